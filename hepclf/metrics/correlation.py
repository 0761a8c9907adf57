"""Cramer-von Mises correlation (flatness) test of the Flavours of Physics challenge.

A classifier that learns the tau mass would sculpt a fake peak out of the background. The test takes
real background events with their reconstructed mass (check_correlation), sorts them by mass,
replaces each prediction by its rank r_i in 0..n-1, and slides a window of ``window`` events in
steps of ``step``. For a window W the empirical CDF of its ranks is compared with the global one:

    CvM(W) = (1/n) * sum_{k=0}^{n-1} ( (k + 1)/n - #{i in W : r_i <= k} / |W| )^2,

and the statistic is the mean of CvM(W) over all windows. The test passes when it is below 0.002.

The sum over k is evaluated exactly in closed form between consecutive sorted ranks of the window
(the window's CDF is constant there and the global one is linear), so each window costs
O(|W| log |W|) instead of O(n): the whole statistic is O(n log n) rather than O(n^2 / step).
Ties are ranked stably (by position in mass order), in both the mass sort and the ranking.
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from hepclf._utils import (
    ArrayLike,
    FloatArray,
    as_float_array,
    check_count,
    check_lengths,
    check_real,
)
from hepclf.metrics._order import stable_order
from hepclf.metrics._result import PhysicsTestResult

#: The challenge's pass threshold for the CvM correlation test.
CVM_THRESHOLD = 0.002
#: The challenge's sliding window (events, in mass order) and its step.
CVM_WINDOW, CVM_STEP = 200, 50


@njit(cache=True, inline="always", error_model="numpy")
def _window_distance(sorted_ranks: np.ndarray, n_total: int) -> float:  # pragma: no cover
    """CvM distance from uniform of one window, given its ranks sorted (closed form per gap)."""
    window = sorted_ranks.size
    h = 1.0 / n_total
    total = 0.0
    start = 0
    for j in range(window + 1):
        stop = sorted_ranks[j] if j < window else n_total
        m = stop - start
        if m > 0:
            # k = start .. stop-1: the window CDF is j / window, the global (k + 1) / n;
            # sum of squares of the arithmetic sequence d0, d0 + h, ..., d0 + (m - 1) h.
            d0 = (start + 1) * h - j / window
            total += m * d0 * d0 + d0 * h * m * (m - 1)
            total += h * h * (m - 1) * m * (2 * m - 1) / 6.0
        start = stop
    return total / n_total


@njit(cache=True, inline="always", error_model="numpy")
def _merge_sorted_pieces(pieces: np.ndarray, first: int, count: int, size: int) -> np.ndarray:
    """The ``count`` consecutive sorted pieces of ``size`` values starting at piece ``first``,
    merged into one sorted array (each piece merged in turn into what the previous ones gave)."""
    merged = np.empty(count * size, dtype=pieces.dtype)
    spare = np.empty_like(merged)
    merged[:size] = pieces[first * size : (first + 1) * size]
    length = size
    for piece in range(first + 1, first + count):
        i, j, k = 0, piece * size, 0
        end = j + size
        while i < length and j < end:
            if pieces[j] < merged[i]:
                spare[k] = pieces[j]
                j += 1
            else:
                spare[k] = merged[i]
                i += 1
            k += 1
        while i < length:
            spare[k] = merged[i]
            i += 1
            k += 1
        while j < end:
            spare[k] = pieces[j]
            j += 1
            k += 1
        merged, spare = spare, merged
        length += size
    return merged


@njit(cache=True, error_model="numpy")
def _sorted_pieces(by_rank: np.ndarray, n_pieces: int, step: int) -> np.ndarray:  # pragma: no cover
    """The ranks of each piece of ``step`` consecutive events (in mass order), sorted, without a
    sort: ``by_rank[k]`` is the mass position of the event of rank ``k``, so walking the ranks in
    increasing order and appending each to its piece fills every piece in increasing order
    (a counting distribution: one pass, where sorting the pieces took eight times as long)."""
    pieces = np.empty(n_pieces * step, dtype=np.int64)
    filled = np.zeros(n_pieces, dtype=np.int64)
    end = n_pieces * step
    for rank in range(by_rank.size):
        position = by_rank[rank]
        if position < end:
            piece = position // step
            pieces[piece * step + filled[piece]] = rank
            filled[piece] += 1
    return pieces


@njit(cache=True, parallel=True, error_model="numpy")
def _window_cvm(by_rank: np.ndarray, window: int, step: int) -> np.ndarray:  # pragma: no cover
    """CvM distance of each sliding window of the mass-ordered events from uniform, given
    ``by_rank`` (the mass position of the event of each rank 0..n-1: a permutation).

    When ``step`` divides ``window`` (200 and 50 in the challenge) the windows are unions of
    consecutive pieces of ``step`` events: each piece's ranks come out sorted from
    :func:`_sorted_pieces` and every window merges its pieces (``window / step`` of them), instead
    of sorting each window afresh.
    """
    n_total = by_rank.size
    n_windows = (n_total - window) // step + 1
    out = np.empty(n_windows)
    if window % step != 0:
        ranks = np.empty(n_total, dtype=np.int64)
        for rank in range(n_total):
            ranks[by_rank[rank]] = rank
        for w in prange(n_windows):
            out[w] = _window_distance(np.sort(ranks[w * step : w * step + window]), n_total)
        return out
    per_window = window // step
    pieces = _sorted_pieces(by_rank, n_windows - 1 + per_window, step)
    for w in prange(n_windows):
        out[w] = _window_distance(_merge_sorted_pieces(pieces, w, per_window, step), n_total)
    return out


def _by_rank(pred: FloatArray, order: np.ndarray) -> np.ndarray:
    """The mass position (in ``order``) of the event of each rank of ``pred``, ranks stable."""
    return stable_order(pred[order])


def cvm_correlation(
    pred: ArrayLike,
    mass: ArrayLike,
    window: int = CVM_WINDOW,
    step: int = CVM_STEP,
    threshold: float = CVM_THRESHOLD,
) -> PhysicsTestResult:
    """Mean Cramer-von Mises distance between local (in mass) and global prediction distributions.

    Parameters
    ----------
    pred : array-like
        Classifier output on background events (any real values: only their order matters).
    mass : array-like
        Reconstructed mass of the same events.
    window : int
        Events per sliding window (200 in the challenge).
    step : int
        Shift between consecutive windows (50 in the challenge).
    threshold : float
        Pass threshold (0.002 in the challenge).

    Returns
    -------
    PhysicsTestResult
        ``.value`` the mean CvM distance, ``.passed`` true when it is below ``threshold``.

    Raises
    ------
    TypeError
        ``pred`` or ``mass`` not numeric, ``threshold`` not a real number.
    ValueError
        ``pred`` or ``mass`` empty, not 1-D, NaN or infinite, of different lengths, or fewer
        events than one window; ``window`` or ``step`` not a whole number >= 1; ``threshold``
        not positive.
    """
    predictions = as_float_array(pred, "pred")
    masses = as_float_array(mass, "mass")
    check_lengths({"mass": masses.size}, predictions.size)
    window, step = check_count(window, "window", 1), check_count(step, "step", 1)
    threshold = check_real(threshold, "threshold", minimum=0.0, open_minimum=True)
    if predictions.size < window:
        raise ValueError(f"pred has {predictions.size} events, fewer than one window of {window}")
    value = cvm_checked(predictions, mass_order(masses), window, step)
    return PhysicsTestResult("CvM correlation", value, threshold)


def mass_order(mass: FloatArray) -> np.ndarray:
    """The events in increasing mass (stable for ties): what :func:`cvm_checked` needs."""
    return stable_order(mass)


def cvm_checked(
    pred: FloatArray, order: np.ndarray, window: int = CVM_WINDOW, step: int = CVM_STEP
) -> float:
    """The mean CvM distance of :func:`cvm_correlation` for checked predictions (at least one
    window of them), with the events' :func:`mass_order` computed once (for searches that test
    many predictions of the same events)."""
    return float(np.mean(_window_cvm(_by_rank(pred, order), int(window), int(step))))
