"""CvM correlation test against the quadratic official definition, on random and real data."""

from __future__ import annotations

import numpy as np
import pytest

from hepclf.metrics import CVM_THRESHOLD, cvm_correlation


def _cvm_quadratic(pred, mass, window=200, step=50):
    """The official definition, written out: one O(n) CDF comparison per window."""
    n = pred.size
    in_mass_order = pred[np.argsort(mass, kind="stable")]
    ranks = np.argsort(np.argsort(in_mass_order, kind="stable"), kind="stable")
    target = np.arange(1, n + 1, dtype=float) / n
    values = []
    for start in range(0, n - window + 1, step):
        cdf = np.cumsum(np.bincount(ranks[start : start + window], minlength=n)) / window
        values.append(np.mean((target - cdf) ** 2))
    return np.mean(values)


@pytest.mark.parametrize("n, window, step", [(1000, 200, 50), (1234, 100, 37), (250, 200, 50)])
def test_cvm_equals_quadratic_with_ties(rng, n, window, step):
    mass = np.round(rng.uniform(1600, 1950, n), 0)  # ties in mass
    pred = np.round(rng.random(n) + 0.001 * (mass - 1600), 2)  # ties in predictions
    got = cvm_correlation(pred, mass, window=window, step=step).value
    assert abs(got - _cvm_quadratic(pred, mass, window, step)) < 1e-12


def test_cvm_on_real_check_correlation(correlation_raw):
    frame = correlation_raw
    assert len(frame) == 5514
    mass = frame["mass"].to_numpy()
    for column in ("IPSig", "FlightDistance", "pt", "p0_IsoBDT"):
        pred = frame[column].to_numpy()
        got = cvm_correlation(pred, mass).value
        assert abs(got - _cvm_quadratic(pred, mass)) < 1e-12
    # the mass itself is as correlated with mass as anything can be: the test must fail hard
    assert not cvm_correlation(mass, mass).passed
    # a prediction independent of mass passes
    noise = np.random.default_rng(3).random(mass.size)
    assert cvm_correlation(noise, mass).passed


def test_cvm_invariant_under_increasing_transform(rng):
    mass = rng.uniform(1600, 1950, 3000)
    pred = rng.random(3000) + 1e-3 * (mass - 1600)
    base = cvm_correlation(pred, mass).value
    for transform in (np.exp, lambda x: 3 * x - 7, lambda x: x**3, np.arctan):
        assert cvm_correlation(transform(pred), mass).value == base


def test_cvm_result_object(rng):
    result = cvm_correlation(rng.random(400), rng.random(400))
    assert result.threshold == CVM_THRESHOLD
    assert result.passed == (result.value < CVM_THRESHOLD)
    assert float(result) == result.value


@pytest.mark.parametrize(
    "kwargs, message",
    [
        (dict(mass=np.ones(299)), "length mismatch.*mass has 299"),
        (dict(pred=np.r_[np.nan, np.ones(299)]), "pred has 1 NaN"),
        (dict(mass=np.r_[np.inf, np.ones(299)]), "mass has 1 NaN or infinite"),
        (dict(window=0), "window must be an integer >= 1"),
        (dict(step=2.5), "step must be an integer >= 1"),
        (dict(pred=np.ones(150), mass=np.ones(150)), "fewer than one window"),
        (dict(pred=[], mass=[]), "pred is empty"),
    ],
)
def test_cvm_rejects_bad_input(kwargs, message):
    args = dict(pred=np.linspace(0, 1, 300), mass=np.linspace(1600, 1900, 300)) | kwargs
    with pytest.raises(ValueError, match=message):
        cvm_correlation(**args)


def test_cvm_defaults_are_the_challenge_window_and_step(rng):
    """window 200 and step 50 by default; continuous values (no ties: the fast sort path)."""
    mass = rng.uniform(1600, 1950, 1000)
    pred = rng.random(1000) + 2e-4 * (mass - 1600)
    expected = _cvm_quadratic(pred, mass, 200, 50)
    assert cvm_correlation(pred, mass).value == pytest.approx(expected, abs=1e-15)
    assert cvm_correlation(pred, mass).value != cvm_correlation(pred, mass, 201, 51).value


def test_cvm_one_window_and_constant_inputs(rng):
    mass = rng.uniform(1600, 1950, 200)
    pred = rng.random(200)
    # exactly one window of events is enough
    assert cvm_correlation(pred, mass).value == pytest.approx(_cvm_quadratic(pred, mass), 1e-12)
    # a constant prediction (all tied) is ranked in mass order: every window is a block of ranks
    flat = np.full(1000, 0.5)
    mass = rng.uniform(1600, 1950, 1000)
    assert cvm_correlation(flat, mass).value == pytest.approx(_cvm_quadratic(flat, mass), 1e-12)
    # a constant mass (all tied) keeps the file order
    same_mass = np.full(1000, 1777.0)
    pred = rng.random(1000)
    got = cvm_correlation(pred, same_mass).value
    assert got == pytest.approx(_cvm_quadratic(pred, same_mass), abs=1e-15)


def test_cvm_result_text():
    mass = np.linspace(1600, 1950, 400)
    assert str(cvm_correlation(mass, mass)).startswith("CvM correlation: ")
    assert str(cvm_correlation(mass, mass)).endswith("(threshold 0.002) FAILED")
