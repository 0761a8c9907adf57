"""The protocol table: hand-computed rows, real ATLAS weights, the bootstrap, the figure."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepclf.audit import PROTOCOLS, audit_predictions, luminosity_for
from hepclf.audit.document import FIGURE_FILE, write_audit_report
from hepclf.audit.reference import reference_selection
from hepclf.datasets import load_higgs_sample
from hepclf.metrics import HIGGS_TOTALS, ams, selection_ams
from hepclf.metrics._bootstrap import resampled_group_sums
from hepclf.models import XGBPhysicsClassifier
from hepclf.report.audit_figure import draw_protocol_curves
from hepclf.schemas import HIGGS_FEATURE_COLUMNS
from hepclf.simulate import simulate_higgs

T_S, T_B = HIGGS_TOTALS


def hand_events() -> tuple[pd.DataFrame, np.ndarray]:
    """Eight private events and four public ones, weights chosen so every sum is by hand."""
    labels = ["s", "s", "b", "b", "s", "b", "b", "b", "s", "b", "s", "b"]
    sets = ["v"] * 8 + ["b"] * 4
    kaggle = [T_S / 4, T_S / 4, T_B / 4, T_B / 4, T_S / 2, T_B / 4, T_B / 8, T_B / 8,
              T_S / 2, T_B / 2, T_S / 2, T_B / 2]  # fmt: skip
    events = pd.DataFrame(
        {"EventId": np.arange(12), "Label": labels, "KaggleSet": sets, "KaggleWeight": kaggle,
         "Weight": np.array(kaggle) * 0.5}
    )  # fmt: skip
    score = np.array([0.9, 0.8, 0.7, 0.2, 0.1, 0.95, 0.3, 0.6, 0.9, 0.8, 0.1, 0.2])
    return events, score


def test_rows_by_hand():
    events, score = hand_events()
    audit = audit_predictions(events, score, 0.65, n_resamples=10, fraction=0.5)
    # private, score >= 0.65: events 0, 1 (signal, T_S/2), 2 and 5 (background, T_B/2)
    s, b = T_S / 2, T_B / 2
    assert audit.value("correct") == pytest.approx(ams(s, b), rel=1e-12)
    assert audit.value("weight_column") == pytest.approx(ams(s / 2, b / 2), rel=1e-12)
    # the public set adds event 8 (signal T_S/2) and 9 (background T_B/2)
    assert audit.value("public_plus_private") == pytest.approx(ams(2 * s, 2 * b), rel=1e-12)
    assert audit.value("unweighted_counts") == pytest.approx(ams(2.0, 2.0), rel=1e-12)
    assert audit.value("s_over_sqrt_b") == pytest.approx(s / np.sqrt(b), rel=1e-12)
    assert audit.value("no_br") == pytest.approx(ams(s, b, 0.0), rel=1e-12)
    assert audit.row("public_plus_private")["luminosity"] == pytest.approx(2.0, rel=1e-9)
    assert audit.row("weight_column")["luminosity"] == pytest.approx(0.5, rel=1e-9)
    assert audit.row("correct")["luminosity"] == pytest.approx(1.0, rel=1e-9)
    assert list(audit.table["protocol"]) == [k for k in PROTOCOLS if k != "in_sample"]


def test_luminosity_is_solved_through_the_formula_not_assumed():
    s, b = 300.0, 8000.0
    for k in (0.1, 0.5, 2.0, 7.0):
        assert luminosity_for(ams(k * s, k * b), s, b) == pytest.approx(k, rel=1e-9)
    # with b_r the factor of a doubled luminosity is not exactly sqrt(2), and the solver knows it
    assert ams(2 * s, 2 * b) / ams(s, b) != pytest.approx(np.sqrt(2), rel=1e-6)
    assert luminosity_for(np.sqrt(2) * ams(s, b), s, b) != pytest.approx(2.0, rel=1e-6)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 10_000), quantile=st.floats(0.05, 0.95))
def test_cut_tuned_on_the_scored_set_is_never_below_the_correct_one(simulated_events, seed,
                                                                    quantile):  # fmt: skip
    rng = np.random.default_rng(seed)
    score = (simulated_events.Label == "s").to_numpy() + rng.normal(0, rng.uniform(0.3, 2), 6000)
    cut = float(np.quantile(score, quantile))
    audit = audit_predictions(simulated_events, score, cut, n_resamples=2, seed=seed)
    assert audit.value("cut_on_scored_set") >= audit.value("correct") - 1e-12


@pytest.fixture(scope="module")
def simulated_events():
    return simulate_higgs(6000, seed=9)


@pytest.fixture(scope="module")
def real_sample_audit():
    """The real ATLAS sample (22,889 events of set t): out-of-fold predictions of the reference
    model, and the same model trained on every event, scored in-sample."""
    reference = reference_selection()
    events = load_higgs_sample()
    features = events[list(HIGGS_FEATURE_COLUMNS)]
    model = XGBPhysicsClassifier(n_estimators=60, max_depth=4, learning_rate=0.3, n_jobs=1)
    model.fit(features, events.Label, events.KaggleWeight)
    in_sample = model.predict_proba(features)[:, 1]
    cut = float(np.quantile(reference.score, 1 - 0.152))
    audit = audit_predictions(
        events, reference.score, cut, in_sample_score=in_sample, fraction=0.25, n_resamples=50
    )
    return events, reference, in_sample, cut, audit


def test_real_sample_in_sample_reads_higher_than_out_of_fold(real_sample_audit):
    events, reference, in_sample, cut, audit = real_sample_audit
    y = (events.Label == "s").to_numpy()
    weights = events.KaggleWeight.to_numpy()
    assert audit.scored_set == "t"
    correct = selection_ams(y, reference.score >= cut, weights)  # renormalised to the totals
    assert audit.value("correct") == pytest.approx(correct, rel=1e-9)
    assert audit.value("correct") == pytest.approx(reference.ams, rel=1e-9)
    own = selection_ams(y, in_sample >= cut, weights)
    assert audit.value("in_sample") == pytest.approx(own, rel=1e-9)
    # a model scored on its own training events reads well above its out-of-fold AMS
    assert (
        audit.value("in_sample") > audit.value("correct") + 3 * audit.row("correct")["uncertainty"]
    )


def test_real_sample_raw_weights_read_the_samples_luminosity(real_sample_audit):
    events, reference, _, cut, audit = real_sample_audit
    y = (events.Label == "s").to_numpy()
    weights = events.KaggleWeight.to_numpy()
    selected = reference.score >= cut
    # the sample is 9 % of set t: its KaggleWeight carries 9 % of the luminosity, a quarter of
    # it 2.3 %; scored as given it reads low by about the square root of that
    share = weights.sum() / (T_S + T_B)
    row = audit.row("unrenormalised_fraction")
    assert row["nominal"] == pytest.approx(0.25 * share, rel=0.1)
    assert row["luminosity"] == pytest.approx(row["nominal"], rel=0.15)
    assert row["ratio"] == pytest.approx(np.sqrt(row["nominal"]), rel=0.1)
    raw_all = selection_ams(y, selected, weights, totals=None)
    assert raw_all / audit.value("correct") == pytest.approx(np.sqrt(share), rel=0.05)
    counted = audit.row("event_count_rescaled")
    assert counted["nominal"] == pytest.approx(share, rel=0.05)  # the event count restores 9 %


def test_bootstrap_is_seeded_and_matches_the_poisson_spread():
    rng = np.random.default_rng(1)
    group = rng.integers(0, 4, 5000)
    columns = np.column_stack([np.ones(5000), rng.uniform(0, 2, 5000)])
    first = resampled_group_sums(group, columns, 4, n_resamples=400, seed=3)
    again = resampled_group_sums(group, columns, 4, n_resamples=400, seed=3)
    other = resampled_group_sums(group, columns, 4, n_resamples=400, seed=4)
    assert np.array_equal(first, again) and not np.array_equal(first, other)
    counts = first[:, :, 0]
    assert np.array_equal(counts, np.round(counts))  # whole multiplicities
    n = np.bincount(group, minlength=4)
    # each event enters k ~ Poisson(1) times: a group's count has mean and variance n_g
    assert counts.mean(axis=0) == pytest.approx(n, rel=0.01)
    assert counts.std(axis=0) == pytest.approx(np.sqrt(n), rel=0.1)
    # and its weight sum has variance sum w^2
    w2 = np.bincount(group, weights=columns[:, 1] ** 2, minlength=4)
    assert first[:, :, 1].std(axis=0) == pytest.approx(np.sqrt(w2), rel=0.1)
    double = resampled_group_sums(group, columns, 4, n_resamples=400, seed=3, rate=2.0)
    assert double[:, :, 0].mean(axis=0) == pytest.approx(2 * n, rel=0.01)


def test_figure_shows_the_table(real_sample_audit, tmp_path):
    audit = real_sample_audit[-1]
    keys = [k for k in audit.curves.columns if k in PROTOCOLS]
    x = audit.curves["selected_fraction"].to_numpy()
    chosen = int(np.flatnonzero(audit.curves["cut"].to_numpy() == audit.cut)[0])
    figure = draw_protocol_curves(
        x, {k: audit.curves[k].to_numpy() for k in keys}, chosen=float(x[chosen]),
        tuned=(audit.best_fraction, audit.value("cut_on_scored_set")),
    )  # fmt: skip
    top = figure.axes[0]
    assert len(top.lines) == len(keys) + 2  # every protocol, the fixed cut, the tuned point
    for key, line in zip(keys, top.lines, strict=False):
        xs, ys = line.get_data()
        at = int(np.flatnonzero(xs == x[chosen])[0])
        assert ys[at] == pytest.approx(audit.value(key), rel=1e-12), key
    assert top.lines[len(keys)].get_xdata()[0] == pytest.approx(x[chosen])
    assert top.lines[-1].get_ydata()[0] == pytest.approx(audit.value("cut_on_scored_set"))
    assert max(top.lines[0].get_ydata()) <= audit.value("cut_on_scored_set") + 1e-12
    path = write_audit_report(tmp_path, audit=audit)
    assert (tmp_path / FIGURE_FILE).is_file() and FIGURE_FILE in path.read_text()
