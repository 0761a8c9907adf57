"""One sort shared by the AMS curve, the KS test and the ROC curve.

All three need the cumulative weight of each class above every distinct value of a score. Sorting
once (O(n log n)) and keeping only the last position of each run of equal scores treats tied scores
as one cut, as a threshold must.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hepclf._utils import FloatArray


@njit(cache=True, error_model="numpy")
def _run_sums(
    score, order, second, weight, factor, cuts, first_sums, second_sums
):  # pragma: no cover
    """Walk ``order`` (decreasing score) once, summing ``weight * factor[second]`` of each group;
    at the last event of each run of equal scores, write the score and both sums. Returns the
    number of runs. (The outputs are allocated by NumPy: it asks Linux for huge pages, which
    makes the first writes into them several times cheaper than into numba's allocations.)"""
    first_total = 0.0
    second_total = 0.0
    n_runs = 0
    previous = score[order[0]]
    for position in range(order.size):
        i = order[position]
        value = score[i]
        if value != previous:  # the run of ``previous`` ended with the event before
            cuts[n_runs] = previous
            first_sums[n_runs] = first_total
            second_sums[n_runs] = second_total
            n_runs += 1
            previous = value
        flag = second[i]  # 0 or 1: adding 0.0 to the other group's sum leaves it as it is
        first_total += weight[i] * factor[0] * (1 - flag)
        second_total += weight[i] * factor[1] * flag
    cuts[n_runs] = previous
    first_sums[n_runs] = first_total
    second_sums[n_runs] = second_total
    return n_runs + 1


def cumulative_two_groups(
    score: FloatArray,
    second: np.ndarray,
    weight: FloatArray,
    factor: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Cumulative weight of two groups of events over events with ``score >= cut``.

    One sort (NumPy's, vectorised), then one pass in that order (a numba kernel) that keeps the
    running sums only at the last event of each run of equal scores: no sorted copies, no
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
    factor : ndarray, optional
        A factor per group applied to each event's weight before it is summed
        (``weight[i] * factor[second[i]]``: the renormalisation of the AMS); 1 by default.

    Returns
    -------
    cuts : ndarray
        The distinct values of ``score`` in decreasing order.
    first, second : ndarray
        ``first[k] = (weight * factor[0])[(second == 0) & (score >= cuts[k])].sum()``, and the
        same for the second group, summed in decreasing score (ties in NumPy's sort order) as
        ``np.cumsum`` would.

    Examples
    --------
    >>> cuts, first, second = cumulative_two_groups(
    ...     np.array([0.1, 0.9, 0.5, 0.9]), np.array([0, 1, 0, 0], dtype=np.int8), np.ones(4)
    ... )
    >>> cuts.tolist(), first.tolist(), second.tolist()
    ([0.9, 0.5, 0.1], [1.0, 2.0, 3.0], [1.0, 1.0, 1.0])
    """
    factor = np.ones(2) if factor is None else np.asarray(factor, dtype=np.float64)
    order = np.argsort(-score)  # ties are summed as one run, so the sort need not be stable
    cuts, first_sums, second_sums = (np.empty(score.size) for _ in range(3))
    n_runs = _run_sums(score, order, second, weight, factor, cuts, first_sums, second_sums)
    return cuts[:n_runs], first_sums[:n_runs], second_sums[:n_runs]


def cumulative_by_class(
    score: FloatArray,
    labels: np.ndarray,
    weights: FloatArray,
    factor: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distinct cuts (decreasing) and the signal and background weight with ``score >= cut``
    (``factor``: the (background, signal) factors of :func:`cumulative_two_groups`)."""
    cuts, background, signal = cumulative_two_groups(score, labels, weights, factor)
    return cuts, signal, background


def stable_argsort(values: FloatArray) -> np.ndarray:
    """``np.argsort(values, kind="stable")``, costing an unstable sort when there are no ties.

    Without ties every sort gives the same order; numpy's default sort is several times faster
    than its stable one, so the stable sort is only paid for when a tie is present.
    """
    order = np.argsort(values)
    if np.any(np.diff(values[order]) == 0):
        order = np.argsort(values, kind="stable")
    return order
