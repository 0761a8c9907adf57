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
from hepclf.metrics._cumulative import (
    UNIT_FACTORS,
    _split,
    cumulative_by_class,
    sorted_records,
)

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
    _check_class_totals(true_positive[-1], false_positive[-1])
    return true_positive, false_positive


def _check_class_totals(signal: float, background: float) -> None:
    for label, total in (("signal", signal), ("background", background)):
        if not 0 < total < np.inf:
            raise ValueError(f"sample_weight of the {label} events sum to {total}")


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
    for callers that score many predictions of the same events.

    One sort and one walk down the predictions, with no ROC arrays: the weighted sum of the
    bands' areas is the trapezoid area under the weighted height

        H(TPR) = sum_k w_k (min(TPR, t_{k+1}) - min(TPR, t_k)),

    piecewise linear in TPR (slope w_k in band k), which the walk evaluates at each point of the
    curve from the band the TPR has reached (the TPR only grows). The rates divide by the class
    totals summed before the walk, so they may differ from :func:`roc_curve_points`' in the last
    bits.
    """
    events = sorted_records(values, labels, weights)
    _check_class_totals(events.second_sum, events.first_sum)
    levels = np.concatenate([[0.0], np.cumsum(np.diff(edges) * band_weights)])
    area = _weighted_roc_area(
        events.records, labels, events.order, events.first_sum, events.second_sum, edges,
        band_weights, levels,
    )  # fmt: skip
    return float(area / levels[-1])


@njit(cache=True, error_model="numpy")
def _weighted_roc_area(
    records, labels, order, background_total, signal_total, edges, band_weights, levels
):  # pragma: no cover - numba
    """Trapezoid area over FPR of the weighted height H(TPR) of :func:`truncated_auc_checked`,
    walking ``order`` (decreasing prediction) from the point (0, 0): at the last event of each
    run of equal predictions, one point (FPR, TPR) = (background, signal) weight so far over its
    total. ``levels[k]``: H at ``edges[k]``."""
    background = 0.0
    signal = 0.0
    area, fpr, height, band = 0.0, 0.0, 0.0, 0  # the point (0, 0)
    previous = records[order[0], 0]
    for position in range(order.size):
        event = order[position]
        value, background_weight, signal_weight = _split(records, labels, UNIT_FACTORS, event)
        if value != previous:
            area, fpr, height, band = _add_trapezoid(
                area, fpr, height, band, background / background_total, signal / signal_total,
                edges, band_weights, levels,
            )  # fmt: skip
            previous = value
        background += background_weight
        signal += signal_weight
    area, fpr, height, band = _add_trapezoid(
        area, fpr, height, band, background / background_total, signal / signal_total, edges,
        band_weights, levels,
    )  # fmt: skip
    return area


@njit(cache=True, error_model="numpy", inline="always")
def _add_trapezoid(
    area, previous_fpr, previous_height, band, fpr, tpr, edges, band_weights, levels
):  # pragma: no cover - numba
    """The area, FPR, height and band after adding the trapezoid from the previous point to
    (``fpr``, ``tpr``); the band is the one ``tpr`` lies in, searched from ``band`` up."""
    tpr = min(tpr, edges[-1])  # the totals summed in another order: TPR may pass 1 by an ulp
    while band < band_weights.size - 1 and tpr > edges[band + 1]:
        band += 1
    height = levels[band] + band_weights[band] * (tpr - edges[band])
    area += 0.5 * (height + previous_height) * (fpr - previous_fpr)
    return area, fpr, height, band
