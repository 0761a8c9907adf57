"""The Higgs toy Monte Carlo: schema, determinism, normalisation, physics against real data."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hepclf.datasets import load_higgs
from hepclf.features import der_from_pri
from hepclf.metrics import HIGGS_TOTALS, best_cut, selection_ams
from hepclf.schemas import HIGGS_FEATURE_COLUMNS as FEATURE_COLUMNS
from hepclf.schemas import OPEN_DATA_COLUMNS
from hepclf.simulate import simulate_higgs, write_higgs_csv


@pytest.fixture(scope="module")
def simulated():
    return simulate_higgs(60_000, seed=11)


def test_schema_and_round_trip_through_the_real_format(simulated, tmp_path):
    assert list(simulated.columns) == [*OPEN_DATA_COLUMNS, "process"]
    assert len(simulated) == 60_000
    path = tmp_path / "simulated.csv.gz"
    write_higgs_csv(simulated, path)
    loaded = load_higgs(path, partial=True)
    pd.testing.assert_frame_equal(loaded, simulated.drop(columns="process"), check_dtype=False)


def test_deterministic_for_a_seed():
    first, again, other = (
        simulate_higgs(2_000, 5),
        simulate_higgs(2_000, 5),
        simulate_higgs(2_000, 6),
    )
    pd.testing.assert_frame_equal(first, again)
    assert not first["PRI_tau_pt"].equals(other["PRI_tau_pt"])


def test_weights_are_normalised_like_the_real_file(simulated):
    signal = simulated["Label"] == "s"
    assert simulated.loc[signal, "Weight"].sum() == pytest.approx(HIGGS_TOTALS.signal, rel=1e-12)
    assert simulated.loc[~signal, "Weight"].sum() == pytest.approx(
        HIGGS_TOTALS.background, rel=1e-12
    )
    for code, share in (("t", 250_000 / 818_238), ("v", 450_000 / 818_238)):
        in_set = simulated["KaggleSet"] == code
        assert in_set.mean() == pytest.approx(share, abs=0.01)
        for mask, total in ((signal, HIGGS_TOTALS.signal), (~signal, HIGGS_TOTALS.background)):
            assert simulated.loc[in_set & mask, "KaggleWeight"].sum() == pytest.approx(total)
    assert (simulated["Weight"] > 0).all()


def test_derived_columns_come_from_the_primitive_ones(simulated):
    recomputed = der_from_pri(simulated).round(3)
    for column in recomputed:
        np.testing.assert_array_equal(simulated[column], recomputed[column], err_msg=column)
    jets = simulated["PRI_jet_num"]
    assert simulated.loc[jets < 2, "DER_mass_jet_jet"].isna().all()
    assert simulated.loc[jets >= 2, "DER_mass_jet_jet"].notna().all()
    assert set(jets.unique()) == {0, 1, 2, 3}


KEY_DISTRIBUTIONS = [
    "DER_mass_vis",
    "DER_mass_transverse_met_lep",
    "PRI_tau_pt",
    "PRI_lep_pt",
    "PRI_met",
    "DER_mass_MMC",
]


@pytest.mark.parametrize("label", ["s", "b"])
def test_key_distributions_in_the_real_ranges(simulated, higgs_raw, label):
    real = higgs_raw.replace(-999.0, np.nan)
    real, sim = real[real.Label == label], simulated[simulated.Label == label]
    for column in KEY_DISTRIBUTIONS:
        for q in (0.25, 0.5, 0.75):
            r, s = real[column].quantile(q), sim[column].quantile(q)
            assert s == pytest.approx(r, rel=0.35), f"{column} quantile {q}: real {r}, sim {s}"
    real_jets = real.PRI_jet_num.value_counts(normalize=True).sort_index()
    sim_jets = sim.PRI_jet_num.value_counts(normalize=True).sort_index()
    np.testing.assert_allclose(sim_jets.to_numpy(), real_jets.to_numpy(), atol=0.1)


def test_signal_peaks_where_physics_says(simulated):
    by_process = simulated.groupby("process")["DER_mass_MMC"].median()
    assert 115 < by_process["ggH"] < 135 and 115 < by_process["VBF"] < 135  # H(125)
    assert 80 < by_process["Ztautau"] < 105  # Z(91) and the Drell-Yan continuum
    # the visible mass of H -> tau tau sits well below 125 GeV: neutrinos escape
    assert 65 < simulated.loc[simulated.Label == "s", "DER_mass_vis"].median() < 95
    # W + jets: the lepton and the neutrino make a Jacobian peak in the transverse mass
    w = simulated[simulated.process == "Wjets"]
    assert (
        w.DER_mass_transverse_met_lep.median()
        > 2 * simulated.loc[simulated.process == "Ztautau", "DER_mass_transverse_met_lep"].median()
    )
    # VBF: forward jets with a large rapidity gap
    vbf = simulated[(simulated.process == "VBF") & (simulated.PRI_jet_num >= 2)]
    ggh = simulated[(simulated.process == "ggH") & (simulated.PRI_jet_num >= 2)]
    assert vbf.DER_deltaeta_jet_jet.median() > ggh.DER_deltaeta_jet_jet.median() + 1


def test_plain_xgboost_scores_in_the_range_of_the_real_challenge():
    """Neither trivial nor hopeless: correctly normalised AMS of a plain xgboost in 2.5 .. 4.5."""
    from xgboost import XGBClassifier

    events = simulate_higgs(80_000, seed=3)
    y = (events.Label == "s").to_numpy().astype(int)
    w = events.Weight.to_numpy()
    x = events[list(FEATURE_COLUMNS)].to_numpy()
    train, valid, test = np.split(np.random.default_rng(0).permutation(len(y)), [40_000, 60_000])
    balanced = np.where(y == 1, w * w[y == 0].sum() / w[y == 1].sum(), w)
    model = XGBClassifier(n_estimators=200, max_depth=6, learning_rate=0.1, n_jobs=2)
    model.fit(x[train], y[train], sample_weight=balanced[train])
    cut = best_cut(y[valid], model.predict_proba(x[valid])[:, 1], w[valid]).cut
    score = selection_ams(y[test], model.predict_proba(x[test])[:, 1] >= cut, w[test])
    assert 2.5 < score < 4.5


@pytest.mark.parametrize("n_events", [0, 99, 1.5, True, "100"])
def test_bad_sizes(n_events):
    with pytest.raises(ValueError, match="n_events must be an integer >= 100"):
        simulate_higgs(n_events)
