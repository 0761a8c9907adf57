"""Bad input to the simulators, the writers and the report figures, table-driven (see
``tests/bad_input.py``): a figure never draws NaN or a cut that is not a number, a writer never
writes what its reader would refuse."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hepclf import audit, report, reproduce
from hepclf.datasets import select_kaggle_set
from hepclf.metrics import agreement_curves, ams_curve
from hepclf.progress import task
from hepclf.simulate import simulate_flavours, simulate_higgs, write_higgs_csv
from tests.bad_input import refusal_test

RNG = np.random.default_rng(8)
N = 400
Y = np.tile([0, 1], N // 2)
SCORE = RNG.uniform(size=N)
W = RNG.uniform(0.5, 1.5, N)
NAN_SCORE = np.where(np.arange(N) == 3, np.nan, SCORE)
CURVE = ams_curve(Y, SCORE, W)
EVENTS = report.ScoredEvents(Y, SCORE, W)
IMPORTANCES = pd.Series([3.0, 1.0, 2.0], index=["a", "b", "c"], name="gain")
EFFICIENCIES = report.mass_bin_efficiencies(SCORE, RNG.uniform(1700, 1900, N), bins=4)

FIGURE_CASES = {
    "score distributions: NaN score": (
        lambda: report.draw_score_distributions(Y, NAN_SCORE, W),
        ValueError,
        ["score", "index 3"],
    ),
    "score distributions: score above 1": (
        lambda: report.draw_score_distributions(Y, SCORE + 1, W),
        ValueError,
        ["score", "[0, 1]"],
    ),
    "score distributions: NaN cut": (
        lambda: report.draw_score_distributions(Y, SCORE, W, cut=np.nan),
        ValueError,
        ["cut"],
    ),
    "score distributions: cut a string": (
        lambda: report.draw_score_distributions(Y, SCORE, W, cut="0.5"),
        TypeError,
        ["cut"],
    ),
    "score distributions: no weights": (
        lambda: report.draw_score_distributions(Y, SCORE, None),
        TypeError,
        ["sample_weight"],
    ),
    "AMS curves: NaN cut": (
        lambda: report.draw_ams_curves({"oof": CURVE}, cut=np.nan),
        ValueError,
        ["cut"],
    ),
    "AMS curves: not a curve": (
        lambda: report.draw_ams_curves({"oof": 5}, cut=0.5),
        TypeError,
        ["curves['oof']", "AMSCurve"],
    ),
    "AMS curves: none": (lambda: report.draw_ams_curves({}, cut=0.5), ValueError, ["curves"]),
    "AMS curves: a list": (
        lambda: report.draw_ams_curves([CURVE], cut=0.5),
        TypeError,
        ["curves", "mapping"],
    ),
    "AMS curves: a band of the wrong kind": (
        lambda: report.draw_ams_curves({"oof": CURVE}, cut=0.5, bands={"oof": CURVE}),
        TypeError,
        ["bands['oof']", "AMSBand"],
    ),
    "ROC: NaN cut": (
        lambda: report.draw_roc({"oof": EVENTS}, cut=np.nan),
        ValueError,
        ["cut"],
    ),
    "ROC: NaN score": (
        lambda: report.draw_roc({"oof": report.ScoredEvents(Y, NAN_SCORE, W)}),
        ValueError,
        ["pred", "index 3"],
    ),
    "ROC: not scored events": (
        lambda: report.draw_roc({"oof": (Y, SCORE, W)}),
        TypeError,
        ["ScoredEvents"],
    ),
    "importances: NaN": (
        lambda: report.draw_feature_importances(IMPORTANCES.where(IMPORTANCES > 1)),
        ValueError,
        ["importances", "index 1"],
    ),
    "importances: top 0": (
        lambda: report.draw_feature_importances(IMPORTANCES, top=0),
        ValueError,
        ["top"],
    ),
    "importances: a list": (
        lambda: report.draw_feature_importances([1.0, 2.0]),
        TypeError,
        ["importances", "Series"],
    ),
    "importances: empty": (
        lambda: report.draw_feature_importances(IMPORTANCES.iloc[:0]),
        ValueError,
        ["empty"],
    ),
    "agreement: NaN prediction": (
        lambda: report.draw_agreement(NAN_SCORE, SCORE, W, W),
        ValueError,
        ["pred_data", "index 3"],
    ),
    "agreement: weights summing to 0": (
        lambda: report.draw_agreement(SCORE[:2], SCORE, [1.0, -1.0], W),
        ValueError,
        ["weight_data", "positive"],
    ),
    "agreement: NaN KS": (
        lambda: report.draw_agreement(SCORE, SCORE, W, W, ks=np.nan),
        ValueError,
        ["ks"],
    ),
    "agreement CDFs: not curves": (
        lambda: report.draw_agreement_cdfs((SCORE, SCORE)),
        TypeError,
        ["AgreementCurves"],
    ),
    "agreement CDFs: NaN limit": (
        lambda: report.draw_agreement_cdfs(agreement_curves(SCORE, SCORE[::-1]), limit=np.nan),
        ValueError,
        ["limit"],
    ),
    "flatness: NaN CvM": (
        lambda: report.draw_flatness(EFFICIENCIES, cvm=np.nan),
        ValueError,
        ["cvm"],
    ),
    "flatness: not efficiencies": (
        lambda: report.draw_flatness({"x": 1}),
        TypeError,
        ["MassBinEfficiencies"],
    ),
    "truncated ROC: NaN": (
        lambda: report.draw_truncated_roc(Y, NAN_SCORE),
        ValueError,
        ["pred", "index 3"],
    ),
    "plot: a folder that does not exist": (
        lambda: report.plot_roc({"oof": EVENTS}, "/nonexistent/roc.png"),
        FileNotFoundError,
        ["path", "does not exist"],
    ),
    "plot: a suffix matplotlib cannot write": (
        lambda: report.plot_roc({"oof": EVENTS}, "/tmp/roc.txt"),
        ValueError,
        ["path", ".txt"],
    ),
    "plot: path None": (
        lambda: report.plot_roc({"oof": EVENTS}, None),
        TypeError,
        ["path"],
    ),
}

SUMMARY_CASES = {
    "ams_band: NaN score": (
        lambda: report.ams_band(Y, NAN_SCORE, W),
        ValueError,
        ["score", "index 3"],
    ),
    "ams_band: replicates 0": (
        lambda: report.ams_band(Y, SCORE, W, replicates=0),
        ValueError,
        ["replicates"],
    ),
    "ams_band: level 1.5": (
        lambda: report.ams_band(Y, SCORE, W, level=1.5),
        ValueError,
        ["level"],
    ),
    "mass_bin_efficiencies: NaN mass": (
        lambda: report.mass_bin_efficiencies(SCORE, NAN_SCORE),
        ValueError,
        ["index 3"],
    ),
    "mass_bin_efficiencies: efficiency 1.5": (
        lambda: report.mass_bin_efficiencies(SCORE, W, global_efficiencies=(1.5,)),
        ValueError,
        ["global_efficiencies"],
    ),
    "format_against: NaN": (lambda: report.format_against(np.nan, 0.09), ValueError, ["value"]),
    "format_against: limit a string": (
        lambda: report.format_against(0.05, "0.09"),
        TypeError,
        ["limit"],
    ),
    "Report: title None": (lambda: report.Report(None), TypeError, ["title"]),
    "Report: digits -1": (lambda: report.Report("t", digits=-1), ValueError, ["digits"]),
}

SIMULATION_CASES = {
    "simulate_higgs: seed 1.5": (lambda: simulate_higgs(100, seed=1.5), ValueError, ["seed"]),
    "simulate_higgs: seed a string": (lambda: simulate_higgs(100, seed="a"), ValueError, ["seed"]),
    "simulate_higgs: negative seed": (lambda: simulate_higgs(100, seed=-1), ValueError, ["seed"]),
    "simulate_higgs: 50 events": (lambda: simulate_higgs(50), ValueError, ["n_events", ">= 100"]),
    "simulate_higgs: 2.5 events": (lambda: simulate_higgs(2.5), ValueError, ["n_events"]),
    "simulate_flavours: seed 1.5": (
        lambda: simulate_flavours(1.5, training=20, check_agreement=0, check_correlation=0, test=0),
        ValueError,
        ["seed"],
    ),  # fmt: skip
    "simulate_flavours: negative size": (
        lambda: simulate_flavours(0, training=-5),
        ValueError,
        ["training"],
    ),
    "simulate_flavours: 10 events": (
        lambda: simulate_flavours(0, test=10),
        ValueError,
        ["test", "at least 20"],
    ),
    "write_higgs_csv: not a frame": (
        lambda: write_higgs_csv("abc", "/tmp/x.csv"),
        TypeError,
        ["frame", "DataFrame"],
    ),
    "write_higgs_csv: a column missing": (
        lambda: write_higgs_csv(simulate_higgs(100).drop(columns="PRI_met"), "/tmp/x.csv"),
        ValueError,
        ["PRI_met"],
    ),
    "write_higgs_csv: a folder that does not exist": (
        lambda: write_higgs_csv(simulate_higgs(100), "/nonexistent/x.csv"),
        FileNotFoundError,
        ["path", "/nonexistent"],
    ),
    "write_higgs_csv: a suffix it cannot write": (
        lambda: write_higgs_csv(simulate_higgs(100), "/tmp/x.json"),
        ValueError,
        ["path", ".json"],
    ),
}


test_figures_refuse = refusal_test(FIGURE_CASES)


test_summaries_refuse = refusal_test(SUMMARY_CASES)


test_simulators_and_writers_refuse = refusal_test(SIMULATION_CASES)


# The audit and the reproductions: their arguments are checked before any work is done.
AUDIT_CASES = {
    "explain_claim: value a string": (
        lambda: audit.explain_claim("3.8"),
        TypeError,
        ["value"],
    ),
    "explain_claim: in_sample 1": (
        lambda: audit.explain_claim(3.8, in_sample=1),
        TypeError,
        ["in_sample"],
    ),
    "luminosity_for: NaN value": (
        lambda: audit.luminosity_for(np.nan, 1.0, 2.0),
        ValueError,
        ["value"],
    ),
    "luminosity_for: negative s": (
        lambda: audit.luminosity_for(3.0, -1.0, 2.0),
        ValueError,
        ["s", ">= 0"],
    ),
    "equivalent_ams: not a protocol": (
        lambda: audit.equivalent_ams(3.8, "private"),
        TypeError,
        ["protocol"],
    ),
    "audit_predictions: events a list": (
        lambda: audit.audit_predictions([1, 2], np.zeros(2), 0.5),
        TypeError,
        ["events"],
    ),
    "read_submission: a number": (lambda: audit.read_submission(5), TypeError, ["submission"]),
    "audit_catalogue: a string": (lambda: audit.audit_catalogue("x"), TypeError, ["claims"]),
    "reproduce_higgs: folds 1": (
        lambda: reproduce.reproduce_higgs(folds=1, quiet=True),
        ValueError,
        ["folds"],
    ),
    "reproduce_higgs: rounds 0": (
        lambda: reproduce.reproduce_higgs(rounds=0, quiet=True),
        ValueError,
        ["rounds"],
    ),
    "reproduce_higgs: eta NaN": (
        lambda: reproduce.reproduce_higgs(eta=np.nan, quiet=True),
        ValueError,
        ["eta"],
    ),
    "reproduce_higgs: device tpu": (
        lambda: reproduce.reproduce_higgs(device="tpu", quiet=True),
        ValueError,
        ["device"],
    ),
    "reproduce_higgs: partial 'yes'": (
        lambda: reproduce.reproduce_higgs(partial="yes", quiet=True),
        TypeError,
        ["partial"],
    ),
    "reproduce_flavours: with_ugb 'no'": (
        lambda: reproduce.reproduce_flavours(with_ugb="no", quiet=True),
        TypeError,
        ["with_ugb"],
    ),
    "reproduce_flavours: ks_margin -1": (
        lambda: reproduce.reproduce_flavours(ks_margin=-1.0, quiet=True),
        ValueError,
        ["ks_margin"],
    ),
    "reproduce_flavours: cvm_margin above the test": (
        lambda: reproduce.reproduce_flavours(cvm_margin=0.01, quiet=True),
        ValueError,
        ["cvm_margin"],
    ),
}


test_audit_and_reproductions_refuse = refusal_test(AUDIT_CASES)


def _claims_with(column, value):
    claims = audit.load_catalogue().copy()
    claims[column] = claims[column].astype(object)
    claims.loc[0, column] = value
    return claims


HIGGS_EVENTS = simulate_higgs(2000, seed=5)
SCORE_OF_EVENTS = np.random.default_rng(1).uniform(size=len(HIGGS_EVENTS))

REVIEW_CASES = {
    "figure: unknown experiment": (
        lambda: report.draw_truncated_roc(Y, SCORE, experiment="ATLSA"),
        ValueError,
        ["experiment", "'ATLSA'"],
    ),
    "figure: experiment a number": (
        lambda: report.draw_truncated_roc(Y, SCORE, experiment=3),
        TypeError,
        ["experiment"],
    ),
    "ams_band: level a string": (
        lambda: report.ams_band(Y, SCORE, W, level="0.68"),
        TypeError,
        ["level"],
    ),
    "mass_bin_efficiencies: one mass for every event": (
        lambda: report.mass_bin_efficiencies(SCORE, np.full(N, 1800.0)),
        ValueError,
        ["mass", "1800"],
    ),
    "audit_predictions: NaN weight": (
        lambda: audit.audit_predictions(
            HIGGS_EVENTS.assign(Weight=HIGGS_EVENTS.Weight.where(HIGGS_EVENTS.index != 7)),
            SCORE_OF_EVENTS,
            0.5,
        ),
        ValueError,
        ["events Weight", "index 7"],
    ),
    "audit_predictions: seed 1.5": (
        lambda: audit.audit_predictions(HIGGS_EVENTS, SCORE_OF_EVENTS, 0.5, seed=1.5),
        ValueError,
        ["seed"],
    ),
    "audit_predictions: scored a list": (
        lambda: audit.audit_predictions(HIGGS_EVENTS, SCORE_OF_EVENTS, 0.5, scored=["v"]),
        TypeError,
        ["scored"],
    ),
    "explain_claim: audit of the wrong kind": (
        lambda: audit.explain_claim(3.8, audit="table"),
        TypeError,
        ["audit", "ProtocolAudit"],
    ),
    "audit_catalogue: a column missing": (
        lambda: audit.audit_catalogue(audit.load_catalogue().drop(columns="value")),
        ValueError,
        ["claims", "value"],
    ),
    "audit_catalogue: in_sample 'maybe'": (
        lambda: audit.audit_catalogue(_claims_with("in_sample", "maybe")),
        ValueError,
        ["in_sample", "'maybe'"],
    ),
    "audit_flavours: a table lacking mass": (
        lambda: audit.audit_flavours(
            pd.DataFrame({"id": [1], "prediction": [0.5]}),
            {
                "check_agreement": pd.DataFrame({"id": [1], "signal": [0], "weight": [1.0]}),
                "check_correlation": pd.DataFrame({"id": [1]}),
            },
        ),
        ValueError,
        ["check_correlation", "mass"],
    ),  # fmt: skip
    "select_kaggle_set: not a frame": (
        lambda: select_kaggle_set(3, "t"),
        TypeError,
        ["frame", "DataFrame"],
    ),
    "select_kaggle_set: no Weight": (
        lambda: select_kaggle_set(HIGGS_EVENTS.drop(columns="Weight"), "t"),
        ValueError,
        ["Weight"],
    ),
    "progress task: total a string": (
        lambda: _enter(task("fitting", total="10")),
        TypeError,
        ["total"],
    ),
    "progress task: negative total": (
        lambda: _enter(task("fitting", total=-1)),
        ValueError,
        ["total"],
    ),
}


def _enter(context):
    with context:
        pass


test_review_cases_refuse = refusal_test(REVIEW_CASES)


def test_catalogue_reads_false_as_false():
    """A catalogue whose yes/no column was read as text: 'False' is False, never truthy."""
    claims = _claims_with("in_sample", "False")
    assert audit.audit_catalogue(claims).shape[0] == len(claims)
