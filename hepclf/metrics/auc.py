"""Weighted truncated ROC AUC, the score of the Flavours of Physics challenge.

Only the low-background part of the ROC curve matters for a rare-decay search, so the area under the
ROC curve (TPR against FPR) is split at TPR = 0.2, 0.4, 0.6, 0.8 into horizontal bands weighted
4, 3, 2, 1, 0:

    score = sum_k w_k * AUC( min(TPR, t_{k+1}) - min(TPR, t_k) ) / sum_k w_k (t_{k+1} - t_k),

with t = (0, 0.2, 0.4, 0.6, 0.8, 1) and each AUC by trapezoids over FPR. As in the official code the
TPR is clipped at the points of the ROC curve (one point per distinct prediction, plus (0, 0)); the
normalisation makes a perfect classifier score 1. The official code called scikit-learn's
``auc(..., reorder=True)``, which no longer exists; this implementation needs no scikit-learn.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
from numba import njit

from hepclf._utils import (
    ArrayLike,
    FloatArray,
    as_numeric_array,
    as_scored_events,
    check_probabilities,
)
from hepclf.metrics._cumulative import cumulative_by_class

#: The challenge's TPR thresholds and segment weights.
TPR_THRESHOLDS = (0.2, 0.4, 0.6, 0.8)
ROC_WEIGHTS = (4.0, 3.0, 2.0, 1.0, 0.0)
_CHALLENGE_EDGES = np.array([0.0, *TPR_THRESHOLDS, 1.0])
_CHALLENGE_BAND_WEIGHTS = np.array(ROC_WEIGHTS)


def roc_curve_points(
    y: ArrayLike, pred: ArrayLike, sample_weight: ArrayLike | None = None
) -> tuple[FloatArray, FloatArray]:
    """Weighted ROC curve: (FPR, TPR) at every distinct prediction, starting from (0, 0).

    Events with ``pred >= t`` are called signal at threshold ``t``; thresholds run from the largest
    prediction down, so both rates increase along the arrays and end at (1, 1).

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``pred`` or ``sample_weight`` is not numeric
        (``pred`` None, or boolean weights).
    ValueError
        ``y`` is not 1-D, empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``pred`` or ``sample_weight`` is not 1-D, empty, has NaN or infinities or a length other
        than that of ``y``; ``sample_weight`` is negative, all zero, or sums to zero in a class.
    """
    return _roc_points(*_check_classified_events(y, pred, sample_weight))


def _check_classified_events(y: ArrayLike, pred: ArrayLike, sample_weight: ArrayLike | None):
    return as_scored_events(y, pred, sample_weight, score_name="pred")


def _roc_points(labels, values, weights) -> tuple[FloatArray, FloatArray]:
    """The ROC curve of checked events (see :func:`roc_curve_points`)."""
    true_positive, false_positive = _class_sums_above(labels, values, weights)
    tpr = np.concatenate([[0.0], true_positive / true_positive[-1]])
    fpr = np.concatenate([[0.0], false_positive / false_positive[-1]])
    return fpr, tpr


def _class_sums_above(labels, values, weights) -> tuple[FloatArray, FloatArray]:
    """Signal and background weight above each distinct prediction; an error when a class's
    weights sum to zero (its rate would be 0 / 0)."""
    _, true_positive, false_positive = cumulative_by_class(values, labels, weights)
    for label, total in (("signal", true_positive[-1]), ("background", false_positive[-1])):
        if not total > 0:
            raise ValueError(f"sample_weight of the {label} events sum to {total}")
    return true_positive, false_positive


def truncated_auc(
    y: ArrayLike,
    pred: ArrayLike,
    sample_weight: ArrayLike | None = None,
    tpr_thresholds: Sequence[float] = TPR_THRESHOLDS,
    roc_weights: Sequence[float] = ROC_WEIGHTS,
) -> float:
    """Weighted truncated ROC AUC: 1 for a perfect classifier, about 0.7 for a random one.

    Parameters
    ----------
    y : array-like of {0, 1}
        True classes (1 = signal).
    pred : array-like
        Predicted signal probabilities in [0, 1].
    sample_weight : array-like, optional
        Non-negative event weights; ``None`` means unit weights.
    tpr_thresholds : sequence of float
        Increasing TPR values strictly inside (0, 1) that split the curve into bands.
    roc_weights : sequence of float
        Non-negative weight of each band; one more than ``tpr_thresholds``.

    Raises
    ------
    TypeError
        ``pred``, ``sample_weight``, ``tpr_thresholds`` or ``roc_weights`` not numeric.
    ValueError
        ``y`` not 0/1 or of one class; ``pred`` empty, not 1-D, NaN, infinite, outside [0, 1] or
        of another length than ``y``; weights negative, NaN, infinite, or all zero in a class;
        ``tpr_thresholds`` not increasing inside (0, 1); ``roc_weights`` not one longer, negative
        or all zero.
    """
    thresholds = as_numeric_array(tpr_thresholds, "tpr_thresholds")
    band_weights = as_numeric_array(roc_weights, "roc_weights")
    if thresholds.ndim != 1 or band_weights.ndim != 1 or band_weights.size != thresholds.size + 1:
        raise ValueError(
            f"roc_weights must have one more entry than tpr_thresholds, got {band_weights.size} "
            f"and {thresholds.size}"
        )
    edges = np.concatenate([[0.0], thresholds, [1.0]])
    if not (np.isfinite(edges).all() and np.all(np.diff(edges) > 0)):
        raise ValueError(f"tpr_thresholds must increase strictly inside (0, 1), got {thresholds}")
    if not (np.isfinite(band_weights).all() and (band_weights >= 0).all() and band_weights.any()):
        raise ValueError(f"roc_weights must be finite, non-negative, not all 0: {band_weights}")
    labels, values, weights = _check_classified_events(y, pred, sample_weight)
    check_probabilities(values, "pred")
    return truncated_auc_checked(labels, values, weights, edges, band_weights)


def truncated_auc_checked(
    labels: np.ndarray,
    values: FloatArray,
    weights: FloatArray,
    edges: FloatArray = _CHALLENGE_EDGES,
    band_weights: FloatArray = _CHALLENGE_BAND_WEIGHTS,
) -> float:
    """:func:`truncated_auc` of events already checked (``edges``: 0, the TPR thresholds, 1),
    for callers that score many predictions of the same events."""
    true_positive, false_positive = _class_sums_above(labels, values, weights)
    areas = _band_areas(false_positive, true_positive, edges)
    return float(areas @ band_weights / (np.diff(edges) @ band_weights))


@njit(cache=True, error_model="numpy")
def _band_areas(false_positive, true_positive, edges):  # pragma: no cover
    """Trapezoid area over FPR of each band's height min(TPR, t_{k+1}) - min(TPR, t_k) (TPR
    clipped at every band edge), in one pass over the points of the ROC curve: from (0, 0)
    through the cumulative class weights, each divided by its class total on the way (the
    rates of :func:`roc_curve_points`, without building them)."""
    n_bands = edges.size - 1
    areas = np.zeros(n_bands)
    previous = np.zeros(n_bands)  # the heights at the point (0, 0)
    false_total = false_positive[-1]
    true_total = true_positive[-1]
    previous_fpr = 0.0
    for j in range(false_positive.size):
        fpr = false_positive[j] / false_total
        tpr = true_positive[j] / true_total
        width = fpr - previous_fpr
        for k in range(n_bands):
            height = min(tpr, edges[k + 1]) - min(tpr, edges[k])
            areas[k] += 0.5 * (height + previous[k]) * width
            previous[k] = height
        previous_fpr = fpr
    return areas
