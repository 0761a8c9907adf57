"""One sort shared by the AMS curve, the KS test and the ROC curve.

All three need the cumulative weight of each class above every distinct value of a score. Sorting
once (O(n log n)) and keeping only the last position of each run of equal scores treats tied scores
as one cut, as a threshold must.
"""

from __future__ import annotations

import numpy as np

from hepclf._utils import FloatArray


def cumulative_above(
    score: FloatArray, *weights: FloatArray
) -> tuple[FloatArray, list[FloatArray]]:
    """Cumulative sums of each weight array over events with ``score >= cut``.

    Parameters
    ----------
    score : ndarray of float64
        One value per event.
    *weights : ndarray of float64
        Arrays of the same length as ``score``.

    Returns
    -------
    cuts : ndarray
        The distinct values of ``score`` in decreasing order.
    sums : list of ndarray
        For each weight array, ``sums[k][i] = weights[k][score >= cuts[i]].sum()``.
    """
    order = np.argsort(-score)  # ties are summed as one run, so the sort need not be stable
    sorted_score = score[order]
    run_ends = np.flatnonzero(np.diff(sorted_score) != 0.0)
    run_ends = np.append(run_ends, sorted_score.size - 1)
    sums = [np.cumsum(w[order])[run_ends] for w in weights]
    return sorted_score[run_ends], sums


def cumulative_by_class(
    score: FloatArray, labels: np.ndarray, weights: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Distinct cuts (decreasing) and the signal and background weight with ``score >= cut``."""
    signal = labels == 1
    cuts, (above_signal, above_background) = cumulative_above(
        score, np.where(signal, weights, 0.0), np.where(signal, 0.0, weights)
    )
    return cuts, above_signal, above_background


def stable_argsort(values: FloatArray) -> np.ndarray:
    """``np.argsort(values, kind="stable")``, costing an unstable sort when there are no ties.

    Without ties every sort gives the same order; numpy's default sort is several times faster
    than its stable one, so the stable sort is only paid for when a tie is present.
    """
    order = np.argsort(values)
    if np.any(np.diff(values[order]) == 0):
        order = np.argsort(values, kind="stable")
    return order
