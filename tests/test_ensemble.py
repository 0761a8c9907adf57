"""Constrained blending: feasibility, optimality against the members, determinism, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from hepclf.ensemble import constrained_blend, member_predictions, simplex_grid
from hepclf.metrics import cvm_correlation, ks_agreement, truncated_auc


def _members(seed=0, n=4000, n_agree=4000, n_corr=3000):
    """Three members: 'sharp' separates best but disagrees between data and simulation;
    'smooth' and 'other' pass the tests with less separation."""
    rng = np.random.default_rng(seed)
    y = rng.integers(0, 2, n)
    latent = rng.normal(y * 1.6, 1.0)
    sim = rng.uniform(size=n_agree) < 0.5
    agree_latent = rng.normal(0.8, 1.0, n_agree)
    mass = rng.uniform(1600, 1950, n_corr)
    corr_latent = rng.normal(0, 1, n_corr)

    def member(noise, data_shift):
        train = 1 / (1 + np.exp(-(latent + rng.normal(0, noise, n))))
        agree = 1 / (
            1 + np.exp(-(agree_latent + rng.normal(0, noise, n_agree) + data_shift * ~sim))
        )
        corr = 1 / (1 + np.exp(-(corr_latent + rng.normal(0, noise, n_corr))))
        return train, agree, corr

    members = {"sharp": member(0.3, 0.5), "smooth": member(1.2, 0.0), "other": member(1.0, 0.0)}
    weights = np.where(~sim, rng.uniform(-0.2, 1.2, n_agree), 1.0)
    inputs = dict(
        agreement_predictions={k: v[1] for k, v in members.items()},
        agreement_is_simulation=sim,
        agreement_weight=weights,
        correlation_predictions={k: v[2] for k, v in members.items()},
        correlation_mass=mass,
    )
    return {k: v[0] for k, v in members.items()}, y, inputs


def test_blend_passes_and_beats_every_passing_member():
    train, y, inputs = _members()
    result = constrained_blend(train, y, **inputs)
    assert math.isclose(sum(result.weights.values()), 1.0, abs_tol=1e-9)
    assert all(w >= 0 for w in result.weights.values())
    table = result.table
    assert not table.loc["sharp", "passes"] and table.loc["blend", "passes"]
    passing = table.drop(index="blend")[table.drop(index="blend").passes]
    assert result.objective > passing.truncated_auc.max()
    # the reported numbers are the blend's, recomputed independently here
    blend = result.predict(train)
    assert result.objective == pytest.approx(truncated_auc(y, blend), abs=1e-12)
    mixed = result.predict(inputs["agreement_predictions"])
    sim, w = inputs["agreement_is_simulation"], inputs["agreement_weight"]
    ks = ks_agreement(mixed[~sim], mixed[sim], w[~sim], w[sim]).value
    assert result.ks == pytest.approx(ks, abs=1e-12) and result.ks < 0.09
    cvm = cvm_correlation(
        result.predict(inputs["correlation_predictions"]), inputs["correlation_mass"]
    )
    assert result.cvm == pytest.approx(cvm.value, abs=1e-12)


def test_margins_tighten_the_constraint_and_search_is_deterministic():
    train, y, inputs = _members()
    loose = constrained_blend(train, y, **inputs)
    again = constrained_blend(train, y, **inputs)
    assert loose.weights == again.weights and loose.objective == again.objective
    tight = constrained_blend(train, y, ks_margin=0.03, **inputs)
    assert tight.ks < 0.06
    assert tight.objective <= loose.objective


def test_no_feasible_blend_is_a_clear_error():
    train, y, inputs = _members()
    with pytest.raises(ValueError, match="no blend passes KS < 0.001 .*sharp: KS"):
        constrained_blend(train, y, ks_threshold=0.001, **inputs)


def test_local_moves_keep_the_weights_summing_to_one():
    from hepclf.ensemble import local_moves

    for members in (2, 3, 4, 6):
        moves = local_moves(members)
        assert moves.shape[1] == members
        np.testing.assert_array_equal(moves.sum(axis=1), 0)
        assert len({tuple(m) for m in moves}) == len(moves) and not (moves == 0).all(axis=1).any()
        pair = np.zeros(members)
        pair[0], pair[1] = -1, 1
        assert (moves == pair).all(axis=1).any()  # every single pair move is among them


def test_simplex_grid():
    grid = simplex_grid(3, 0.1)
    assert grid.shape == (66, 3)  # C(10 + 2, 2)
    np.testing.assert_allclose(grid.sum(axis=1), 1.0)
    assert (grid >= 0).all() and len({tuple(row) for row in grid}) == 66
    assert simplex_grid(4, 0.25).shape == (35, 4)


def test_bad_inputs():
    train, y, inputs = _members(n=500, n_agree=500, n_corr=400)
    with pytest.raises(ValueError, match="train_predictions is empty"):
        constrained_blend({}, y)
    with pytest.raises(ValueError, match="objective must be one of"):
        constrained_blend(train, y, objective="accuracy")
    bad = dict(train, smooth=train["smooth"] * 2)
    with pytest.raises(ValueError, match="train_predictions\\['smooth'\\] must lie in \\[0, 1\\]"):
        constrained_blend(bad, y)
    with pytest.raises(ValueError, match=r"agreement_predictions is missing member\(s\): other"):
        partial = {k: v for k, v in inputs["agreement_predictions"].items() if k != "other"}
        constrained_blend(train, y, **(inputs | {"agreement_predictions": partial}))
    with pytest.raises(ValueError, match="correlation_mass"):
        constrained_blend(train, y, **(inputs | {"correlation_mass": np.ones(3)}))
    with pytest.raises(ValueError, match="length mismatch"):
        constrained_blend(train, y[:-1])


@pytest.mark.slow_models
def test_blend_on_simulated_flavours_with_ugb():
    """The must-show: xgboost with SPDhits fails KS; the blend of xgboost, uGB and the SPDhits
    model passes both tests with a truncated AUC above every passing member."""
    from hepclf.features import flavours_features, model_columns
    from hepclf.models import UGBClassifier, XGBPhysicsClassifier
    from hepclf.simulate import simulate_flavours

    tables = simulate_flavours(
        2, training=8000, check_agreement=10000, check_correlation=5514, test=0
    )
    training, agreement, correlation = (
        flavours_features(tables[name])
        for name in ("training", "check_agreement", "check_correlation")
    )
    y = training.signal.to_numpy()
    base = model_columns(training)
    members = {
        "xgb": (XGBPhysicsClassifier.preset("flavours", n_estimators=60, random_state=0), base),
        "xgb_spdhits": (XGBPhysicsClassifier(n_estimators=80, random_state=0), [*base, "SPDhits"]),
        "ugb": (
            UGBClassifier(uniform_features=["mass"], n_estimators=30, max_depth=4, random_state=0),
            [*base, "mass"],
        ),
    }
    train, predicted = member_predictions(
        members, training, y, {"agreement": agreement, "correlation": correlation}
    )
    agree, corr = predicted["agreement"], predicted["correlation"]
    # the flatness member was trained with the mass but predicted the control channel without it
    assert "mass" not in agreement and len(agree["ugb"]) == len(agreement)
    sim = agreement.signal.to_numpy() == 1
    result = constrained_blend(
        train, y,
        agreement_predictions=agree, agreement_is_simulation=sim,
        agreement_weight=agreement.weight.to_numpy(),
        correlation_predictions=corr, correlation_mass=correlation.mass.to_numpy(),
    )  # fmt: skip
    table = result.table
    assert not table.loc["xgb_spdhits", "passes"]
    assert table.loc["blend", "passes"]
    members_passing = table.drop(index="blend").query("passes")
    assert result.objective > members_passing.truncated_auc.max()
    assert result.weights["xgb_spdhits"] > 0


def _blend_value(weights, train, y, inputs, ks_limit=0.09, cvm_limit=0.002):
    """Objective of a blend if it passes both tests (recomputed from the metrics), else None."""
    names = list(train)
    mix = lambda table: sum(w * np.asarray(table[n]) for n, w in zip(names, weights, strict=True))  # noqa: E731
    agree = mix(inputs["agreement_predictions"])
    sim, w = inputs["agreement_is_simulation"], inputs["agreement_weight"]
    ks = ks_agreement(agree[~sim], agree[sim], w[~sim], w[sim]).value
    cvm = cvm_correlation(mix(inputs["correlation_predictions"]), inputs["correlation_mass"]).value
    return truncated_auc(y, mix(train)) if ks < ks_limit and cvm < cvm_limit else None


def test_blend_is_a_local_optimum_at_the_finest_step():
    """No feasible lattice move of the final step (min_step) improves the chosen blend, and the
    local search did move away from the best grid point."""
    from hepclf.ensemble import local_moves

    train, y, inputs = _members()
    result = constrained_blend(train, y, grid_step=0.1, min_step=0.025, **inputs)
    weights = np.array(list(result.weights.values()))
    assert result.objective == pytest.approx(_blend_value(weights, train, y, inputs), abs=1e-12)
    for move in local_moves(3):
        trial = weights + 0.025 * move
        if (trial >= -1e-12).all():
            value = _blend_value(np.clip(trial, 0, None), train, y, inputs)
            assert value is None or value <= result.objective + 1e-12, move
    grid_best = max(
        value
        for point in simplex_grid(3, 0.1)
        if (value := _blend_value(point, train, y, inputs)) is not None
    )
    assert result.objective > grid_best + 1e-6
    assert not np.allclose(np.round(weights / 0.1) * 0.1, weights)  # off the grid
    assert result.history and result.history[-1][1] == result.objective
    assert [v for _, v in result.history] == sorted(v for _, v in result.history)


def test_blend_predict_refuses_missing_members_and_weights_new_predictions():
    train, y, inputs = _members(n=500, n_agree=500, n_corr=400)
    result = constrained_blend(train, y, grid_step=0.5, min_step=0.5)
    new = {name: np.full(3, value) for name, value in zip(train, (0.2, 0.4, 0.9), strict=True)}
    expected = sum(result.weights[name] * new[name] for name in train)
    np.testing.assert_allclose(result.predict(new), expected, rtol=1e-15)
    with pytest.raises(ValueError, match="predictions is missing member\\(s\\): sharp, other"):
        result.predict({"smooth": new["smooth"]})


def test_member_predictions_are_out_of_fold_and_refitted():
    import pandas as pd
    from sklearn.base import clone
    from sklearn.linear_model import LogisticRegression

    from hepclf.models import FlatnessXGBClassifier
    from hepclf.validation import out_of_fold_predictions

    rng = np.random.default_rng(4)
    y = rng.integers(0, 2, 300)
    training = pd.DataFrame(
        {"a": rng.normal(y, 1.0), "b": rng.normal(0, 1, 300), "mass": rng.uniform(0, 1, 300)}
    )
    weight = rng.uniform(0.5, 2.0, 300)
    control = training.drop(columns="mass").iloc[:50]  # a table without the mass
    flat = FlatnessXGBClassifier(uniform_features=["mass"], n_estimators=3, n_jobs=1)
    members = {"lr": (LogisticRegression(), ["a", "b"]), "flat": (flat, ["a", "mass"])}
    oof, predicted = member_predictions(
        members, training, y, {"control": control}, sample_weight=weight, cv=2, random_state=5
    )
    for name, (estimator, columns) in members.items():
        expected = out_of_fold_predictions(
            estimator, training[columns], y, weight, n_splits=2, random_state=5
        )
        np.testing.assert_allclose(oof[name], expected, rtol=1e-12)
        model = clone(estimator).fit(training[columns], y, sample_weight=weight)
        used = [c for c in columns if c in control]
        np.testing.assert_allclose(
            predicted["control"][name], model.predict_proba(control[used])[:, 1], rtol=1e-12
        )
    unweighted, _ = member_predictions(members, training, y, {}, cv=2, random_state=5)
    assert np.abs(unweighted["lr"] - oof["lr"]).max() > 1e-6
    with pytest.raises(ValueError, match="member 'lr': training lacks column\\(s\\) c"):
        member_predictions({"lr": (LogisticRegression(), ["a", "c"])}, training, y, {})


def test_blend_table_and_text_report_every_member():
    train, y, inputs = _members(n=800, n_agree=800, n_corr=600)
    result = constrained_blend(train, y, grid_step=0.25, min_step=0.25, **inputs)
    table = result.table
    assert list(table.index) == [*train, "blend"]
    assert list(table.columns) == ["truncated_auc", "ks", "cvm", "passes"]
    assert result.objective_name == "truncated_auc" and result.evaluations > 3
    sim, w = inputs["agreement_is_simulation"], inputs["agreement_weight"]
    for name in train:
        agree = inputs["agreement_predictions"][name]
        ks = ks_agreement(agree[~sim], agree[sim], w[~sim], w[sim]).value
        cvm = cvm_correlation(inputs["correlation_predictions"][name], inputs["correlation_mass"])
        row = table.loc[name]
        assert row.truncated_auc == pytest.approx(truncated_auc(y, train[name]), abs=1e-12)
        assert row.ks == pytest.approx(ks, abs=1e-12)
        assert row.cvm == pytest.approx(cvm.value, abs=1e-12)
        assert row.passes == (ks < 0.09 and cvm.value < 0.002)
    text = str(result)
    shown = ", ".join(f"{name} {weight:.3f}" for name, weight in result.weights.items())
    assert text.startswith(f"blend weights: {shown}\n")
    assert "blend " in text.splitlines()[-2] and "truncated_auc" in text.splitlines()[1]
    assert text.endswith(f"{result.evaluations} blends evaluated")
