"""Truncated AUC against the official formula and a plain trapezoid reference."""

from __future__ import annotations

import numpy as np
import pytest

from hepclf.metrics import roc_curve_points, truncated_auc

EDGES = [0.0, 0.2, 0.4, 0.6, 0.8, 1.0]
BANDS = [4, 3, 2, 1, 0]


def _explicit_roc(y, pred, w):
    """Plain ROC: one point per distinct prediction, from the highest down, plus (0, 0)."""
    thresholds = np.unique(pred)[::-1]
    tpr = [0.0] + [w[(pred >= t) & (y == 1)].sum() / w[y == 1].sum() for t in thresholds]
    fpr = [0.0] + [w[(pred >= t) & (y == 0)].sum() / w[y == 0].sum() for t in thresholds]
    return np.array(fpr), np.array(tpr)


def _official(fpr, tpr):
    """The competition's roc_auc_truncated, with np.trapezoid in place of auc(reorder=True)."""
    area = 0.0
    for index in range(1, len(EDGES)):
        band = np.minimum(tpr, EDGES[index]) - np.minimum(tpr, EDGES[index - 1])
        area += BANDS[index - 1] * np.trapezoid(band, fpr)
    return area / np.sum(np.diff(EDGES) * np.array(BANDS))


@pytest.mark.parametrize("weighted", [False, True])
def test_truncated_auc_equals_explicit_trapezoids_with_ties(rng, weighted):
    y = rng.integers(0, 2, 1500)
    pred = np.clip(np.round(rng.normal(0.35 + 0.3 * y, 0.2), 2), 0, 1)
    w = rng.uniform(0.2, 2.0, 1500) if weighted else np.ones(1500)
    expected = _official(*_explicit_roc(y, pred, w))
    got = truncated_auc(y, pred, sample_weight=w if weighted else None)
    assert abs(got - expected) < 1e-12


def test_truncated_auc_equals_official_code_on_sklearn_roc(rng):
    from sklearn.metrics import roc_curve

    y = rng.integers(0, 2, 3000)
    pred = rng.beta(2 + y, 2, 3000)
    fpr, tpr, _ = roc_curve(y, pred, drop_intermediate=False)
    assert abs(truncated_auc(y, pred) - _official(fpr, tpr)) < 1e-12


def test_truncated_auc_hand_cases(rng):
    y = np.array([0, 0, 1, 1])
    assert truncated_auc(y, [0.1, 0.2, 0.8, 0.9]) == 1.0
    assert truncated_auc(y, [0.9, 0.8, 0.2, 0.1]) == 0.0
    # all predictions equal: one ROC segment (0, 0) -> (1, 1). The official code clips TPR at the
    # curve's points, so each band is a triangle of area 0.2 / 2 = 0.1: (4+3+2+1) * 0.1 / 2.0 = 0.5
    # (clipping the segment itself would give 0.7; the official convention is kept).
    assert truncated_auc(y, [0.5] * 4) == pytest.approx(0.5, abs=1e-15)
    # with equal band weights the score is the ordinary AUC
    from sklearn.metrics import roc_auc_score

    yy = rng.integers(0, 2, 500)
    pp = rng.random(500)
    plain = truncated_auc(yy, pp, roc_weights=(1, 1, 1, 1, 1))
    assert plain == pytest.approx(roc_auc_score(yy, pp), abs=1e-12)
    # TPR reaches 1 at FPR 1/3: the top band (weight 1 here) counts up to FPR 1; 8 of the 9
    # (signal, background) pairs are ordered right
    early = np.array([1, 1, 0, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.6, 0.2, 0.1])
    assert truncated_auc(*early, roc_weights=[1] * 5) == pytest.approx(8 / 9, abs=1e-15)
    # the same with the challenge's unequal bands, against the official band-by-band sum
    expected = _official(*_explicit_roc(*early, np.ones(6)))
    assert truncated_auc(*early) == pytest.approx(expected, abs=1e-15)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(pred=[0.1, 1.1, 0.3, 0.4]), "pred must lie in \\[0, 1\\]"),
        (dict(pred=[0.1, np.nan, 0.3, 0.4]), "pred has 1 NaN"),
        (dict(pred=[0.1, 0.2]), "length mismatch"),
        (dict(y=[0, 3, 1, 1]), "y must hold only 0 and 1"),
        (dict(y=[1, 1, 1, 1]), "single class"),
        (dict(sample_weight=[1.0, -1.0, 1.0, 1.0]), "sample_weight has 1 negative"),
        (dict(sample_weight=[0.0, 0.0, 0.0, 0.0]), "sample_weight are all zero"),
        (dict(sample_weight=[1.0, 1.0]), "length mismatch"),
        (dict(y=[], pred=[]), "y is empty"),
        (dict(roc_weights=(1, 2)), "roc_weights must have one more entry"),
        (dict(tpr_thresholds=(0.5, 0.2, 0.6, 0.8)), "tpr_thresholds must increase"),
        (dict(roc_weights=(1, 1, -1, 1, 1)), "roc_weights must be finite, non-negative"),
    ],
)
def test_truncated_auc_rejects_bad_input(kwargs, message):
    args = dict(y=[0, 1, 0, 1], pred=[0.1, 0.2, 0.3, 0.4]) | kwargs
    with pytest.raises(ValueError, match=message):
        truncated_auc(**args)


def test_truncated_auc_is_blind_to_each_class_weight_scale(rng):
    """Rates are ratios of weight sums: rescaling a class (weights summing below 1 included, as
    for Higgs signal) changes nothing."""
    y = rng.integers(0, 2, 400)
    pred = np.round(rng.random(400) * (0.6 + 0.4 * y), 2)
    w = rng.uniform(0.5, 2.0, 400)
    reference = truncated_auc(y, pred, w)
    for signal_scale, background_scale in ((1e-3, 1.0), (1.0, 1e-4), (7.0, 0.5)):
        scaled = w * np.where(y == 1, signal_scale, background_scale)
        assert truncated_auc(y, pred, scaled) == pytest.approx(reference, abs=1e-13)


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(sample_weight=[1.0, 0.0, 1.0, 0.0]), "sample_weight of the signal events sum to 0"),
        (dict(sample_weight=[0.0, 1.0, 0.0, 1.0]), "sample_weight of the background events sum"),
        (dict(tpr_thresholds=(0.2, 0.2, 0.6, 0.8)), "tpr_thresholds must increase strictly"),
        (dict(tpr_thresholds=[[0.2, 0.4, 0.6, 0.8]]), "roc_weights must have one more entry"),
        (dict(roc_weights=[[4, 3, 2, 1, 0]]), "roc_weights must have one more entry"),
    ],
)
def test_truncated_auc_refuses_degenerate_classes_and_bands(kwargs, message):
    args = dict(y=[0, 1, 0, 1], pred=[0.1, 0.2, 0.3, 0.4]) | kwargs
    with pytest.raises(ValueError, match=message):
        truncated_auc(**args)


def test_roc_curve_points_equal_scikit_learn(rng):
    from sklearn.metrics import roc_curve

    y = rng.integers(0, 2, 500)
    pred = np.round(rng.random(500) * (0.7 + 0.3 * y), 2)
    w = rng.uniform(0.1, 2.0, 500)
    fpr, tpr = roc_curve_points(y, pred, w)
    expected_fpr, expected_tpr, _ = roc_curve(y, pred, sample_weight=w, drop_intermediate=False)
    np.testing.assert_allclose(fpr, expected_fpr, atol=1e-14)
    np.testing.assert_allclose(tpr, expected_tpr, atol=1e-14)
    assert fpr[0] == tpr[0] == 0.0 and fpr[-1] == tpr[-1] == 1.0
