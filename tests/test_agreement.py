"""KS agreement test against explicit weighted CDFs, hand cases and bad input."""

from __future__ import annotations

import numpy as np
import pytest

from hepclf.metrics import KS_THRESHOLD, ks_agreement


def _ks_explicit(p_real, p_sim, w_real, w_sim):
    """Plain reference: both weighted CDFs evaluated at every observed value."""
    w_real = w_real / w_real.sum()
    w_sim = w_sim / w_sim.sum()
    grid = np.unique(np.concatenate([p_real, p_sim]))
    cdf_real = np.array([w_real[p_real <= t].sum() for t in grid])
    cdf_sim = np.array([w_sim[p_sim <= t].sum() for t in grid])
    return np.max(np.abs(cdf_real - cdf_sim))


@pytest.mark.parametrize("negative", [False, True])
def test_ks_equals_explicit_cdfs_with_ties(rng, negative):
    p_real = np.round(rng.beta(2, 3, 700), 2)
    p_sim = np.round(rng.beta(2.3, 3, 900), 2)
    w_real = rng.uniform(-0.4 if negative else 0.1, 1.5, 700)
    w_sim = rng.uniform(0.1, 1.5, 900)
    result = ks_agreement(p_real, p_sim, w_real, w_sim)
    assert abs(result.value - _ks_explicit(p_real, p_sim, w_real, w_sim)) < 1e-12
    assert float(result) == result.value


def test_ks_matches_the_official_roc_definition(rng):
    from sklearn.metrics import roc_curve

    p_real, p_sim = rng.random(500), rng.random(600) ** 1.2
    w_real, w_sim = rng.uniform(-0.3, 1.0, 500), rng.uniform(0.2, 1.0, 600)
    labels = np.r_[np.zeros(500), np.ones(600)]
    weights = np.r_[w_real / w_real.sum(), w_sim / w_sim.sum()]
    fpr, tpr, _ = roc_curve(labels, np.r_[p_real, p_sim], sample_weight=weights)
    official = np.max(np.abs(fpr - tpr))
    assert abs(ks_agreement(p_real, p_sim, w_real, w_sim).value - official) < 1e-12


def test_ks_hand_cases():
    same = np.array([0.1, 0.5, 0.5, 0.9])
    assert ks_agreement(same, same).value == 0.0
    assert ks_agreement(same, same, [1, 2, 3, 4], [2, 4, 6, 8]).value == pytest.approx(0.0)
    disjoint = ks_agreement([0.1, 0.2], [0.8, 0.9])
    assert disjoint.value == 1.0 and not disjoint.passed
    # half the simulation sits above all the data: distance 1/2
    assert ks_agreement([0.1, 0.2], [0.15, 0.9]).value == pytest.approx(0.5)


def test_ks_result_object():
    result = ks_agreement([0.1, 0.2, 0.3], [0.1, 0.2, 0.3])
    assert result.threshold == KS_THRESHOLD and result.passed
    assert "passed" in str(result)
    strict = ks_agreement([0.1, 0.2], [0.15, 0.9], threshold=0.5)
    assert not strict.passed  # 0.5 is not below 0.5


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(pred_real=[0.1, 1.2]), "pred_real must lie in \\[0, 1\\]"),
        (dict(pred_sim=[-0.1, 0.5]), "pred_sim must lie in \\[0, 1\\]"),
        (dict(pred_real=[0.1, np.nan]), "pred_real has 1 NaN"),
        (dict(pred_sim=[np.inf, 0.5]), "pred_sim has 1 NaN or infinite"),
        (dict(weight_real=[1.0]), "length mismatch.*weight_real has 1"),
        (dict(weight_sim=[1.0, 1.0, 1.0]), "length mismatch.*weight_sim has 3"),
        (dict(weight_real=[1.0, -1.0]), "weight_real must sum to a positive number"),
        (dict(weight_sim=[0.0, 0.0]), "weight_sim are all zero"),
        (dict(weight_sim=[1.0, np.nan]), "weight_sim has 1 NaN"),
        (dict(pred_real=[]), "pred_real is empty"),
    ],
)
def test_ks_rejects_bad_input(kwargs, message):
    args = dict(pred_real=[0.1, 0.2], pred_sim=[0.3, 0.4]) | kwargs
    with pytest.raises(ValueError, match=message):
        ks_agreement(**args)


def test_ks_rejects_non_numeric():
    with pytest.raises(TypeError, match="pred_real must be numeric"):
        ks_agreement(["a", "b"], [0.1, 0.2])


def test_ks_result_text_tells_pass_from_fail():
    failed = ks_agreement([0.1, 0.2], [0.8, 0.9])
    assert str(failed) == "KS agreement: 1 (threshold 0.09) FAILED"
    passed = ks_agreement([0.1, 0.2, 0.3], [0.1, 0.2, 0.3])
    assert str(passed) == "KS agreement: 0 (threshold 0.09) passed"
    assert bool(failed) and bool(passed)  # a result is an object, never a verdict by truthiness


def test_ks_accepts_negative_weights_on_either_side(rng):
    """sWeights can be negative on both sides (only each side's total must be positive)."""
    p_real, p_sim = np.round(rng.random(300), 2), np.round(rng.random(400) ** 1.3, 2)
    w_real, w_sim = rng.uniform(0.1, 1.0, 300), rng.uniform(-0.3, 1.0, 400)
    expected = _ks_explicit(p_real, p_sim, w_real, w_sim)
    assert ks_agreement(p_real, p_sim, w_real, w_sim).value == pytest.approx(expected, abs=1e-12)
    # symmetric in its two samples, and blind to each side's weight scale
    swapped = ks_agreement(p_sim, p_real, 3.0 * w_sim, 0.01 * w_real).value
    assert swapped == pytest.approx(expected, abs=1e-12)


def test_the_distance_of_hand_made_curves_is_checked():
    from hepclf.metrics import AgreementCurves

    cuts = np.array([0.9, 0.3])
    assert AgreementCurves(cuts, np.array([0.5, 1.0]), np.array([0.2, 1.0])).distance == 0.3
    assert np.isnan(AgreementCurves(cuts, np.array([0.5, 1.0]), np.array([np.nan, 1.0])).distance)
    with pytest.raises(ValueError, match=r"1-D curves of one length, got shapes \(3,\) and \(2,\)"):
        _ = AgreementCurves(cuts, np.array([0.5, 0.8, 1.0]), np.array([0.2, 1.0])).distance
