"""The Flavours toy simulation: schemas, determinism, the physics of the KS and CvM tests."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hepclf.datasets import load_flavours
from hepclf.features import flavours_features, model_columns
from hepclf.metrics import cvm_correlation, ks_agreement, truncated_auc
from hepclf.schemas import FLAVOURS_INTEGER_FEATURES as INTEGER_FEATURES
from hepclf.schemas import FLAVOURS_SCHEMAS as SCHEMAS
from hepclf.simulate import simulate_flavours

SIZES = dict(training=20_000, check_agreement=20_000, check_correlation=5_514, test=3_000)


@pytest.fixture(scope="module")
def tables():
    return simulate_flavours(4, **SIZES)


def test_schemas_sizes_and_round_trip(tables, tmp_path):
    for name, frame in tables.items():
        assert list(frame.columns) == list(SCHEMAS[name])
        assert len(frame) == SIZES[name]
        frame.to_csv(tmp_path / f"{name}.csv", index=False)
    loaded = load_flavours(tmp_path, partial=True)
    for name, frame in tables.items():
        pd.testing.assert_frame_equal(loaded[name], frame, check_dtype=False)
    ids = pd.concat([frame["id"] for frame in tables.values()])
    assert ids.is_unique


def test_deterministic_and_sizes_checked():
    first = simulate_flavours(9, training=500, check_agreement=0, check_correlation=300, test=0)
    again = simulate_flavours(9, training=500, check_agreement=0, check_correlation=300, test=0)
    assert set(first) == {"training", "check_correlation"}
    for name in first:
        pd.testing.assert_frame_equal(first[name], again[name])
    with pytest.raises(ValueError, match="training must be an integer >= 0"):
        simulate_flavours(training=-1)
    with pytest.raises(ValueError, match="test must be 0 or at least 20"):
        simulate_flavours(test=5)


def test_training_physics(tables):
    training = tables["training"]
    signal = training[training.signal == 1]
    background = training[training.signal == 0]
    assert signal.mass.median() == pytest.approx(1776.9, abs=2)
    window = background.mass.between(1750, 1800)
    assert not window.any()  # the signal window is blinded in the real-data background
    assert (background.production == -1).all() and signal.production.between(1, 3).all()
    assert signal.IP.median() < background.IP.median()  # the signal points back to the PV
    # flight distance is the decay time times the boost: c t p / m, to within 10 %
    ratio = training.FlightDistance / (
        training.LifeTime
        * 299.792458
        * (training.p0_p + training.p1_p + training.p2_p)
        / training.mass
    )
    assert ratio.between(0.9, 1.1).all()


def test_control_channel_sweights(tables):
    agreement = tables["check_agreement"]
    data = agreement[agreement.signal == 0]
    assert (data.weight < 0).any() and data.weight.sum() > 0
    assert (agreement.loc[agreement.signal == 1, "weight"] == 1.0).all()
    # SPDhits is badly mismodelled: the sWeighted data mean is far above the simulation's
    weighted_data = np.average(data.SPDhits, weights=data.weight)
    assert weighted_data > 1.3 * agreement.loc[agreement.signal == 1, "SPDhits"].mean()


def _fit_and_test(tables, columns):
    from xgboost import XGBClassifier

    training = flavours_features(tables["training"])
    agreement = flavours_features(tables["check_agreement"])
    correlation = flavours_features(tables["check_correlation"])
    y = training.signal.to_numpy()
    train, valid = np.split(np.random.default_rng(0).permutation(len(y)), [14_000])
    model = XGBClassifier(n_estimators=150, max_depth=6, learning_rate=0.1, n_jobs=2)
    model.fit(training.iloc[train][columns], y[train])
    auc = truncated_auc(y[valid], model.predict_proba(training.iloc[valid][columns])[:, 1])
    ks = None
    if set(columns) <= set(agreement.columns):  # check_agreement has no mass column
        sim = agreement.signal.to_numpy() == 1
        pred = model.predict_proba(agreement[columns])[:, 1]
        ks = ks_agreement(pred[~sim], pred[sim], agreement.weight[~sim], agreement.weight[sim])
    cvm = cvm_correlation(model.predict_proba(correlation[columns])[:, 1], correlation.mass)
    return auc, ks, cvm


def test_spdhits_fails_agreement_and_mass_fails_correlation(tables):
    columns = model_columns(flavours_features(tables["training"].head(5)))
    auc, ks, cvm = _fit_and_test(tables, columns)
    assert ks.passed and cvm.passed and auc > 0.95
    auc_spd, ks_spd, cvm_spd = _fit_and_test(tables, [*columns, "SPDhits"])
    assert not ks_spd.passed and cvm_spd.passed
    assert auc_spd > auc  # SPDhits helps on training data: the temptation is real
    _, _, cvm_mass = _fit_and_test(tables, [*columns, "mass"])
    assert not cvm_mass.passed


def test_correlation_table_marginals_match_the_real_file(tables, correlation_raw):
    sim = tables["check_correlation"]
    for column in SCHEMAS["check_correlation"][1:]:
        real_q = correlation_raw[column].quantile([0.25, 0.5, 0.75]).to_numpy()
        sim_q = sim[column].quantile([0.25, 0.5, 0.75]).to_numpy()
        if column in INTEGER_FEATURES and column != "SPDhits":
            np.testing.assert_allclose(sim_q, real_q, atol=1.0, err_msg=column)
        else:
            spread = real_q[2] - real_q[0]
            assert abs(sim_q[1] - real_q[1]) < 0.5 * spread, column
            assert 0.5 < (sim_q[2] - sim_q[0]) / spread < 2.0, column
    # features depend on the mass only weakly, as in the real sidebands
    for column in ("IP", "pt", "FlightDistance", "p1_p"):
        assert abs(np.corrcoef(sim[column], sim.mass)[0, 1]) < 0.1
