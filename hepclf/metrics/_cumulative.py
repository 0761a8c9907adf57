"""One sort shared by the AMS curve, the KS test and the ROC curve.

All three need the cumulative weight of each class above every distinct value of a score. Sorting
once (O(n log n)) and keeping only the last position of each run of equal scores treats tied scores
as one cut, as a threshold must.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from hepclf._utils import FloatArray
from hepclf.metrics._order import stable_order

#: The factors of a walk that sums the weights as they are (shared: read-only).
UNIT_FACTORS = np.ones(2)
UNIT_FACTORS.flags.writeable = False


@njit(cache=True, error_model="numpy")
def _scored_records(score, second, weight, records):  # pragma: no cover - numba
    """``records[i] = (score[i], weight[i])``: what the walk in sorted order needs of each event
    side by side, so that it reads one record (and the event's one-byte group) where it read
    three arrays at scattered positions (at 10^6 events the walk takes half the time). Returns
    the sum of each group's weights (in index order) and the largest weight, found on the way."""
    first_sum = 0.0
    second_sum = 0.0
    largest = -np.inf
    for i in range(score.size):
        flag = second[i]
        records[i, 0] = score[i]
        records[i, 1] = weight[i]
        first_sum += weight[i] * (1 - flag)  # adding 0.0 leaves a sum unchanged
        second_sum += weight[i] * flag
        largest = max(largest, weight[i])
    return first_sum, second_sum, largest


@njit(cache=True, error_model="numpy", inline="always")
def _split(records, second, factor, i):  # pragma: no cover - numba
    """Event ``i``'s (score, weight of the first group, weight of the second group): its weight
    times its group's factor goes to its group, 0.0 to the other."""
    flag = second[i]
    contribution = records[i, 1] * factor[flag]
    return records[i, 0], contribution * (1 - flag), contribution * flag


@njit(cache=True, error_model="numpy")
def _run_sums(records, second, factor, order, cuts, first_sums, second_sums):  # pragma: no cover
    """Walk ``order`` (decreasing score) once, summing the two groups' weights (each times its
    group's ``factor``); at the last event of each run of equal scores, write the score and both
    sums. Returns the number of runs. (The outputs are allocated by NumPy: it asks Linux for huge
    pages, which makes the first writes into them several times cheaper than into numba's
    allocations.)"""
    first_total = 0.0
    second_total = 0.0
    n_runs = 0
    previous = records[order[0], 0]
    for position in range(order.size):
        value, first_weight, second_weight = _split(records, second, factor, order[position])
        if value != previous:  # the run of ``previous`` ended with the event before
            cuts[n_runs] = previous
            first_sums[n_runs] = first_total
            second_sums[n_runs] = second_total
            n_runs += 1
            previous = value
        first_total += first_weight
        second_total += second_weight
    cuts[n_runs] = previous
    first_sums[n_runs] = first_total
    second_sums[n_runs] = second_total
    return n_runs + 1


class SortedRecords(NamedTuple):
    """Events ready for a walk over the cuts of their score (see :func:`sorted_records`)."""

    records: np.ndarray  #: (score, weight) of each event, shape (n, 2)
    second: np.ndarray  #: 1 for the events of the second group, 0 for the first (int8)
    order: np.ndarray  #: positions in decreasing score, ties in increasing position
    first_sum: float  #: the first group's weights summed in index order
    second_sum: float  #: the second group's, likewise
    largest: float  #: the largest weight


def sorted_records(score: FloatArray, second: np.ndarray, weight: FloatArray) -> SortedRecords:
    """The records of :func:`_scored_records`, each group's total, and the order of decreasing
    score (:func:`~hepclf.metrics._order.stable_order`): the input of every walk over the cuts
    of a score."""
    records = np.empty((score.size, 2))
    sums = _scored_records(score, second, weight, records)
    return SortedRecords(records, second, stable_order(score, descending=True), *sums)


def cumulative_sums(
    events: SortedRecords, factor: FloatArray | None = None
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The cuts and both groups' cumulative sums of :func:`cumulative_two_groups` from events
    already sorted, each weight times its group's ``factor`` (1 by default). Uses up
    ``events.order``: the cuts are written over it."""
    factor = UNIT_FACTORS if factor is None else np.asarray(factor, dtype=np.float64)
    # the walk writes the k-th cut after reading the k-th position (k runs end before it), so
    # the cuts can take the place of the order: 8 bytes an event less of fresh memory
    cuts = events.order.view(np.float64)
    first_sums, second_sums = np.empty(events.order.size), np.empty(events.order.size)
    n_runs = _run_sums(
        events.records, events.second, factor, events.order, cuts, first_sums, second_sums
    )
    return cuts[:n_runs], first_sums[:n_runs], second_sums[:n_runs]


def cumulative_two_groups(
    score: FloatArray, second: np.ndarray, weight: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cumulative weight of two groups of events over events with ``score >= cut``.

    One sort (:func:`~hepclf.metrics._order.stable_order`: NumPy's vectorised sort of integer
    keys that carry each event's index), then one pass in that order (a numba kernel) that keeps
    the running sums only at the last event of each run of equal scores: no sorted copies, no
    cumulative sums of zeros for the other group.

    Parameters
    ----------
    score : ndarray of float64
        One value per event.
    second : ndarray of int8
        1 for the events of the second group, 0 for the first: the class (background, signal),
        or the side (real data, simulation).
    weight : ndarray of float64
        The weight of each event.

    Returns
    -------
    cuts : ndarray
        The distinct values of ``score`` in decreasing order.
    first, second : ndarray
        ``first[k] = weight[(second == 0) & (score >= cuts[k])].sum()``, and the
        same for the second group, summed in decreasing score (ties in increasing position) as
        ``np.cumsum`` would.

    Examples
    --------
    >>> cuts, first, second = cumulative_two_groups(
    ...     np.array([0.1, 0.9, 0.5, 0.9]), np.array([0, 1, 0, 0], dtype=np.int8), np.ones(4)
    ... )
    >>> cuts.tolist(), first.tolist(), second.tolist()
    ([0.9, 0.5, 0.1], [1.0, 2.0, 3.0], [1.0, 1.0, 1.0])
    """
    return cumulative_sums(sorted_records(score, second, weight))


def cumulative_by_class(
    score: FloatArray, labels: np.ndarray, weights: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distinct cuts (decreasing) and the signal and background weight with ``score >= cut``."""
    cuts, background, signal = cumulative_two_groups(score, labels, weights)
    return cuts, signal, background
