"""Losses as objects: sigmoid, log-loss and the bin-flatness penalty against independent
implementations (scipy, finite differences, a plain-Python penalty written from the formula)."""

from __future__ import annotations

import numpy as np
import pytest
from scipy.special import expit

from hepclf.models.losses import (
    MIN_HESSIAN,
    BinFlatnessLoss,
    LogLoss,
    as_xgboost_objective,
    flatness_groups,
    sigmoid,
)


def test_sigmoid_equals_scipy_and_never_overflows():
    margin = np.concatenate([np.linspace(-40, 40, 801), [-1e308, -800.0, 800.0, 1e308]])
    # 0.5 (1 + tanh(m / 2)) is accurate in absolute terms (its relative accuracy for very
    # negative margins is not needed: p only enters the gradient as w (p - y))
    np.testing.assert_allclose(sigmoid(margin), expit(margin), rtol=1e-14, atol=2e-16)
    assert (
        np.isfinite(sigmoid(margin)).all()
        and ((0 <= sigmoid(margin)) & (sigmoid(margin) <= 1)).all()
    )
    assert sigmoid(np.array([0.0]))[0] == 0.5


def _weighted_log_loss(margin, target, weight):
    p = expit(margin)
    return -np.sum(weight * (target * np.log(p) + (1 - target) * np.log1p(-p)))


def test_log_loss_derivatives_by_finite_differences(rng):
    n = 50
    target = rng.integers(0, 2, n).astype(float)
    weight = rng.uniform(0.1, 3.0, n)
    margin = rng.normal(0, 2, n)
    loss = LogLoss().fit(target, weight)
    grad, hess = loss.gradient_hessian(margin)
    h = 1e-5
    for i in range(n):
        up, down = margin.copy(), margin.copy()
        up[i] += h
        down[i] -= h
        numeric = _weighted_log_loss(up, target, weight) - _weighted_log_loss(down, target, weight)
        assert grad[i] == pytest.approx(numeric / (2 * h), rel=1e-6, abs=1e-9)
    p = expit(margin)
    np.testing.assert_allclose(grad, weight * (p - target), rtol=1e-13)
    np.testing.assert_allclose(hess, weight * p * (1 - p), rtol=1e-13)
    np.testing.assert_allclose(loss.negative_gradient(margin), -grad, rtol=1e-15)
    np.testing.assert_allclose(loss.hessian(margin), hess, rtol=1e-15)


def test_hessian_floor_keeps_xgboost_dividing_by_something():
    loss = LogLoss().fit(np.array([1.0, 0.0, 1.0]), np.array([1.0, 1.0, 0.0]))
    hess = loss.hessian(np.array([60.0, -60.0, 0.0]))
    assert (hess >= MIN_HESSIAN).all()
    assert hess[2] == MIN_HESSIAN  # zero weight: the floor, not 0


def _flatness_gradient_reference(score, weight, uniform, n_bins, power):
    """The penalty's negative gradient from the module formula, in plain Python: for each of the
    two binnings (equal width, shifted by half a bin) and each event i of group g,
    d_i = F_g(s_i) - F(s_i) with mid-point weighted CDFs, contribution
    power * sign(d_i) * |d_i|^(power - 1) * w_i / 2."""
    n = score.size
    order = sorted(range(n), key=lambda i: score[i])
    low, high = uniform.min(), uniform.max()
    width = (high - low) / n_bins
    out = np.zeros(n)
    for shift in (0.5, 0.0):
        # bin edges at low + (k + shift) * width, k = 1, 2, ...: the two binnings of hep_ml
        edges = [low + (k + shift) * width for k in range(n_bins) if 0 < k + shift < n_bins]
        group = [sum(value > edge for edge in edges) for value in uniform]
        total = sum(weight)
        group_total = {}
        for i in range(n):
            group_total[group[i]] = group_total.get(group[i], 0.0) + weight[i]
        cumulative, running = 0.0, {}
        for i in order:
            global_position = (cumulative + 0.5 * weight[i]) / total
            cumulative += weight[i]
            g = group[i]
            local_position = (running.get(g, 0.0) + 0.5 * weight[i]) / group_total[g]
            running[g] = running.get(g, 0.0) + weight[i]
            d = local_position - global_position
            out[i] += power * np.sign(d) * abs(d) ** (power - 1) * weight[i] / 2
    return out


@pytest.mark.parametrize("n_bins, power", [(4, 2.0), (3, 1.5), (1, 2.0)])
def test_flatness_gradient_equals_plain_formula(rng, n_bins, power):
    n = 120
    target = (rng.uniform(size=n) < 0.3).astype(float)
    weight = rng.uniform(0.2, 2.0, n)
    flat_index = np.flatnonzero(target == 0)
    mass = rng.uniform(1600, 1950, flat_index.size)
    margin = rng.normal(0, 1, n)
    loss = BinFlatnessLoss(n_bins=n_bins, power=power, fl_coefficient=2.0)
    loss.fit(target, weight, flat_index, mass[:, None])
    reference = _flatness_gradient_reference(
        margin[flat_index], weight[flat_index], mass, n_bins, power
    )
    np.testing.assert_allclose(loss.flatness_negative_gradient(margin), reference, rtol=1e-12)
    # the full gradient: log-loss minus the coefficient times the penalty's negative gradient
    grad, hess = loss.gradient_hessian(margin)
    expected = weight * (expit(margin) - target)
    expected[flat_index] -= 2.0 * reference
    np.testing.assert_allclose(grad, expected, rtol=1e-12, atol=1e-15)
    np.testing.assert_allclose(hess, np.maximum(weight * expit(margin) * (1 - expit(margin)), 0))


@pytest.mark.parametrize("margins", ["all zero (the first round)", "one decimal"])
def test_flatness_gradient_takes_tied_margins_in_increasing_position(rng, margins):
    """Ties are ordered as Python's stable ``sorted`` of the reference orders them, on every
    machine (NumPy's unstable argsort would leave them in a platform-dependent order)."""
    n = 300
    target = (rng.uniform(size=n) < 0.3).astype(float)
    weight = rng.uniform(0.2, 2.0, n)
    flat_index = np.flatnonzero(target == 0)
    mass = rng.uniform(1600, 1950, flat_index.size)
    margin = np.zeros(n) if margins.startswith("all") else np.round(rng.normal(0, 1, n), 1)
    loss = BinFlatnessLoss(n_bins=4, power=2.0).fit(target, weight, flat_index, mass[:, None])
    reference = _flatness_gradient_reference(margin[flat_index], weight[flat_index], mass, 4, 2.0)
    np.testing.assert_allclose(loss.flatness_negative_gradient(margin), reference, rtol=1e-12)


def test_flatness_groups_by_hand():
    values = np.array([[0.0], [0.1], [0.3], [0.45], [0.55], [0.8], [1.0]])
    groups, n_groups = flatness_groups(values, 2)
    # edges at 0.25 and 0.75 (shifted binning) and at 0.5 (plain binning)
    np.testing.assert_array_equal(groups[0], [0, 0, 1, 1, 1, 2, 2])
    np.testing.assert_array_equal(groups[1], [0, 0, 0, 0, 1, 1, 1])
    np.testing.assert_array_equal(n_groups, [3, 2])
    # two uniform features: groups are the cells of the product binning, numbered densely
    grid = np.array([[0.0, 0.0], [1.0, 0.0], [0.0, 1.0], [1.0, 1.0], [0.0, 0.0]])
    groups, n_groups = flatness_groups(grid, 1)
    np.testing.assert_array_equal(groups[1], [0, 0, 0, 0, 0])
    np.testing.assert_array_equal(groups[0], [0, 2, 1, 3, 0])
    np.testing.assert_array_equal(n_groups, [4, 1])


def test_flatness_loss_keeps_its_knobs_and_weights():
    loss = BinFlatnessLoss(n_bins=7, power=3, fl_coefficient=4)
    assert (loss.n_bins, loss.power, loss.fl_coefficient) == (7, 3.0, 4.0)
    assert type(loss.power) is float and type(loss.fl_coefficient) is float
    default = BinFlatnessLoss()
    assert (default.n_bins, default.power, default.fl_coefficient) == (10, 2.0, 3.0)
    target = np.array([0.0, 1.0, 0.0, 0.0])
    weight = np.array([1.0, 2.0, 3.0, 4.0])
    default.fit(target, weight, np.array([0, 2, 3]), np.array([[1.0], [2.0], [3.0]]))
    np.testing.assert_array_equal(default.flat_weight, [1.0, 3.0, 4.0])
    np.testing.assert_array_equal(default.divided_weight, [0.5, 1.5, 2.0])


def test_xgboost_objective_hands_over_gradient_and_hessian(rng):
    target = rng.integers(0, 2, 30).astype(float)
    weight = rng.uniform(0.5, 1.5, 30)
    margin = rng.normal(0, 1, 30)
    loss = LogLoss().fit(target, weight)
    grad, hess = as_xgboost_objective(loss)(margin, None)
    np.testing.assert_array_equal(grad, loss.gradient_hessian(margin)[0])
    np.testing.assert_array_equal(hess, loss.gradient_hessian(margin)[1])


def test_xgboost_objective_reuses_its_arrays_without_carrying_a_round_over(rng):
    """The objective writes every round into the same arrays (xgboost has copied the previous
    round's by then): each round's values must still be that round's alone."""
    target = rng.integers(0, 2, 500).astype(float)
    flat = np.flatnonzero(target == 0)
    loss = BinFlatnessLoss(n_bins=4).fit(
        target, rng.uniform(0.5, 1.5, 500), flat, rng.uniform(0, 1, flat.size)
    )
    objective = as_xgboost_objective(loss)
    first = objective(rng.normal(0, 1, 500).astype(np.float32), None)
    for margin in (rng.normal(0, 2, 500), np.zeros(500)):
        grad, hess = objective(margin, None)
        assert grad is first[0] and hess is first[1]  # the same arrays every round
        expected = loss.gradient_hessian(margin)
        np.testing.assert_array_equal(grad, expected[0])
        np.testing.assert_array_equal(hess, expected[1])


def test_an_objective_follows_its_loss_refitted_on_other_events(rng):
    """An objective made before the loss is refitted on more, then fewer, events still hands
    over that fit's values (its arrays are made again at the new sizes)."""
    loss = BinFlatnessLoss(n_bins=3)
    objective = as_xgboost_objective(loss)
    for n_events in (200, 2000, 50):
        target = rng.integers(0, 2, n_events).astype(float)
        flat = np.flatnonzero(target == 0)
        loss.fit(target, rng.uniform(0.5, 1.5, n_events), flat, rng.uniform(0, 1, flat.size))
        margin = rng.normal(0, 1, n_events)
        grad, hess = objective(margin, None)
        expected = loss.gradient_hessian(margin)
        np.testing.assert_array_equal(grad, expected[0])
        np.testing.assert_array_equal(hess, expected[1])
