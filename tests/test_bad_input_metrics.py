"""Bad input to the metrics and the cut choice, table-driven (see ``tests/bad_input.py``): each
row a public call with one bad argument, the error it must raise and the words of its message."""

from __future__ import annotations

import numpy as np
import pandas as pd

from hepclf.metrics import (
    agreement_curves,
    ams,
    ams_curve,
    best_cut,
    cvm_correlation,
    get_scorer,
    ks_agreement,
    leaderboard_ams,
    register_scorer,
    renormalise,
    roc_curve_points,
    selection_ams,
    truncated_auc,
)
from hepclf.validation import choose_cut
from tests.bad_input import refusal_test

N = 40
Y = np.tile([0, 1], N // 2)
SCORE = np.linspace(0.05, 0.95, N)
WEIGHT = np.linspace(0.5, 2.0, N)
MASS = np.linspace(1700.0, 1900.0, N)
SETS = np.tile(["t", "t", "b", "b", "v", "v", "v", "v"], N // 8)
NAN_AT_3 = np.where(np.arange(N) == 3, np.nan, SCORE)
INF_AT_5 = np.where(np.arange(N) == 5, np.inf, WEIGHT)
NEGATIVE_AT_2 = np.where(np.arange(N) == 2, -1.0, WEIGHT)
TWO_D = np.column_stack([SCORE, SCORE])
SHORT = SCORE[:-1]
WORDS = np.array(["a"] * N)
ONE_CLASS = np.zeros(N, dtype=int)
DENORMAL = np.full(N, 1e-320)


def _with(value, function, **arguments):
    return lambda: function(**arguments, **value)


AMS_CASES = {
    "ams: br as a string": (lambda: ams(1.0, 2.0, br="10"), TypeError, ["br", "'10'"]),
    "ams: br NaN": (lambda: ams(1.0, 2.0, br=np.nan), ValueError, ["br", "nan"]),
    "ams: br negative": (lambda: ams(1.0, 2.0, br=-1.0), ValueError, ["br", "-1"]),
    "ams: br a bool": (lambda: ams(1.0, 2.0, br=True), TypeError, ["br"]),
    "ams: s NaN": (lambda: ams([1.0, np.nan], 2.0), ValueError, ["s", "index 1"]),
    "ams: s negative": (lambda: ams(-1.0, 2.0), ValueError, ["s", "non-negative"]),
    "ams: b infinite": (lambda: ams(1.0, np.inf), ValueError, ["b", "inf"]),
    "ams: s words": (lambda: ams("abc", 2.0), TypeError, ["s", "numeric"]),
    "ams: s and b of different lengths": (
        lambda: ams([1.0, 2.0], [1.0, 2.0, 3.0]),
        ValueError,
        ["s", "b", "(2,)", "(3,)"],
    ),
    "ams: s empty": (lambda: ams([], 1.0), ValueError, ["s", "empty"]),
    "renormalise: label 2": (
        lambda: renormalise(np.where(np.arange(N) == 4, 2, Y), WEIGHT),
        ValueError,
        ["y", "[2]"],
    ),
    "renormalise: NaN weight": (
        lambda: renormalise(Y, NAN_AT_3),
        ValueError,
        ["sample_weight", "index 3"],
    ),
    "renormalise: negative weight": (
        lambda: renormalise(Y, NEGATIVE_AT_2),
        ValueError,
        ["sample_weight", "index 2"],
    ),
    "renormalise: all-zero weights": (
        lambda: renormalise(Y, np.zeros(N)),
        ValueError,
        ["sample_weight", "all zero"],
    ),
    "renormalise: one class": (
        lambda: renormalise(ONE_CLASS, WEIGHT),
        ValueError,
        ["y", "single class"],
    ),
    "renormalise: weights of wrong length": (
        lambda: renormalise(Y, SHORT),
        ValueError,
        ["sample_weight has 39"],
    ),
    "renormalise: weights 2-D": (
        lambda: renormalise(Y, TWO_D),
        ValueError,
        ["sample_weight", "1-D"],
    ),
    "renormalise: labels 2-D": (
        lambda: renormalise(np.column_stack([Y, Y]), WEIGHT),
        ValueError,
        ["y", "1-D"],
    ),
    "renormalise: totals NaN": (
        lambda: renormalise(Y, WEIGHT, totals=(np.nan, 1.0)),
        ValueError,
        ["totals", "signal"],
    ),
    "renormalise: totals a word": (
        lambda: renormalise(Y, WEIGHT, totals="ab"),
        TypeError,
        ["totals"],
    ),
    "renormalise: denormal class sums": (
        lambda: renormalise(Y, DENORMAL),
        ValueError,
        ["sample_weight", "background", "too small"],
    ),
    "renormalise: weights as bools": (
        lambda: renormalise(Y, np.ones(N, dtype=bool)),
        TypeError,
        ["sample_weight", "bool"],
    ),
    "ams_curve: NaN score": (
        lambda: ams_curve(Y, NAN_AT_3, WEIGHT),
        ValueError,
        ["score", "index 3"],
    ),
    "ams_curve: score words": (lambda: ams_curve(Y, WORDS, WEIGHT), TypeError, ["score"]),
    "ams_curve: score 2-D": (lambda: ams_curve(Y, TWO_D, WEIGHT), ValueError, ["score", "1-D"]),
    "ams_curve: score of wrong length": (
        lambda: ams_curve(Y, SHORT, WEIGHT),
        ValueError,
        ["score has 39"],
    ),
    "ams_curve: no weights": (
        lambda: ams_curve(Y, SCORE, None),
        TypeError,
        ["sample_weight is required"],
    ),
    "ams_curve: infinite weight": (
        lambda: ams_curve(Y, SCORE, INF_AT_5),
        ValueError,
        ["sample_weight", "index 5"],
    ),
    "ams_curve: br a string": (
        lambda: ams_curve(Y, SCORE, WEIGHT, br="10"),
        TypeError,
        ["br"],
    ),
    "ams_curve: br NaN": (lambda: ams_curve(Y, SCORE, WEIGHT, br=np.nan), ValueError, ["br"]),
    "ams_curve: negative total": (
        lambda: ams_curve(Y, SCORE, WEIGHT, totals=(1.0, -2.0)),
        ValueError,
        ["totals", "background"],
    ),
    "ams_curve: three totals": (
        lambda: ams_curve(Y, SCORE, WEIGHT, totals=(1.0, 2.0, 3.0)),
        TypeError,
        ["totals"],
    ),
    "ams_curve: labels as bools of one class": (
        lambda: ams_curve(np.ones(N, dtype=bool), SCORE, WEIGHT),
        ValueError,
        ["single class"],
    ),
    "ams_curve: labels 's'/'x'": (
        lambda: ams_curve(np.where(Y == 1, "s", "x"), SCORE, WEIGHT),
        ValueError,
        ["y", "'x'"],
    ),
    "ams_curve: labels NaN": (
        lambda: ams_curve(np.where(np.arange(N) == 1, np.nan, Y), SCORE, WEIGHT),
        ValueError,
        ["y", "NaN"],
    ),
    "best_cut: empty": (lambda: best_cut([], [], []), ValueError, ["empty"]),
    "best_cut: one event": (lambda: best_cut([1], [0.5], [1.0]), ValueError, ["single class"]),
    "best_cut: all-zero weights": (
        lambda: best_cut(Y, SCORE, np.zeros(N)),
        ValueError,
        ["sample_weight", "all zero"],
    ),
    "best_cut: signal weights all zero": (
        lambda: best_cut(Y, SCORE, np.where(Y == 1, 0.0, 1.0)),
        ValueError,
        ["sample_weight", "signal"],
    ),
    "selection_ams: integer mask": (
        lambda: selection_ams(Y, (SCORE > 0.5).astype(int), WEIGHT),
        TypeError,
        ["selected", "boolean"],
    ),
    "selection_ams: mask of wrong length": (
        lambda: selection_ams(Y, SCORE[:-1] > 0.5, WEIGHT),
        ValueError,
        ["selected has 39"],
    ),
    "selection_ams: mask 2-D": (
        lambda: selection_ams(Y, TWO_D > 0.5, WEIGHT),
        ValueError,
        ["selected", "1-D"],
    ),
    "selection_ams: one class, totals None": (
        lambda: selection_ams(ONE_CLASS, SCORE > 0.5, WEIGHT, totals=None),
        ValueError,
        ["y", "single class"],
    ),
    "selection_ams: br words": (
        lambda: selection_ams(Y, SCORE > 0.5, WEIGHT, br="x"),
        TypeError,
        ["br"],
    ),
    "leaderboard_ams: NaN cut": (
        lambda: leaderboard_ams(SETS, Y, SCORE, WEIGHT, np.nan),
        ValueError,
        ["cut", "nan"],
    ),
    "leaderboard_ams: cut a string": (
        lambda: leaderboard_ams(SETS, Y, SCORE, WEIGHT, "0.5"),
        TypeError,
        ["cut", "'0.5'"],
    ),
    "leaderboard_ams: no private set": (
        lambda: leaderboard_ams(np.where(SETS == "v", "b", SETS), Y, SCORE, WEIGHT, 0.5),
        ValueError,
        ["kaggle_set", "'v'"],
    ),
    "leaderboard_ams: weights not KaggleWeight": (
        lambda: leaderboard_ams(SETS, Y, SCORE, WEIGHT, 0.5),
        ValueError,
        ["kaggle_weight", "incomplete"],
    ),
    "leaderboard_ams: kaggle_set of wrong length": (
        lambda: leaderboard_ams(SETS[:-1], Y, SCORE, WEIGHT, 0.5),
        ValueError,
        ["kaggle_set has 39"],
    ),
    "leaderboard_ams: negative rtol": (
        lambda: leaderboard_ams(SETS, Y, SCORE, WEIGHT, 0.5, rtol=-1.0),
        ValueError,
        ["rtol"],
    ),
    "leaderboard_ams: kaggle_set 2-D": (
        lambda: leaderboard_ams(np.column_stack([SETS, SETS]), Y, SCORE, WEIGHT, 0.5),
        ValueError,
        ["kaggle_set", "1-D"],
    ),
}

AGREEMENT_CASES = {
    "ks_agreement: threshold NaN": (
        lambda: ks_agreement(SCORE, SCORE, threshold=np.nan),
        ValueError,
        ["threshold", "nan"],
    ),
    "ks_agreement: threshold negative": (
        lambda: ks_agreement(SCORE, SCORE, threshold=-0.1),
        ValueError,
        ["threshold", "-0.1"],
    ),
    "ks_agreement: threshold above 1": (
        lambda: ks_agreement(SCORE, SCORE, threshold=2.0),
        ValueError,
        ["threshold"],
    ),
    "ks_agreement: threshold a string": (
        lambda: ks_agreement(SCORE, SCORE, threshold="0.09"),
        TypeError,
        ["threshold"],
    ),
    "ks_agreement: prediction above 1": (
        lambda: ks_agreement(SCORE + 0.5, SCORE),
        ValueError,
        ["pred_real", "[0, 1]"],
    ),
    "ks_agreement: NaN simulation prediction": (
        lambda: ks_agreement(SCORE, NAN_AT_3),
        ValueError,
        ["pred_sim", "index 3"],
    ),
    "ks_agreement: sWeights summing to a negative number": (
        lambda: ks_agreement(SCORE, SCORE, weight_real=-WEIGHT),
        ValueError,
        ["weight_real", "positive"],
    ),
    "ks_agreement: sWeights summing to zero": (
        lambda: ks_agreement(SCORE[:2], SCORE, weight_real=[1.0, -1.0]),
        ValueError,
        ["weight_real", "positive"],
    ),
    "ks_agreement: weight_sim of wrong length": (
        lambda: ks_agreement(SCORE, SCORE, weight_sim=SHORT),
        ValueError,
        ["weight_sim has 39"],
    ),
    "ks_agreement: empty real predictions": (
        lambda: ks_agreement([], SCORE),
        ValueError,
        ["pred_real", "empty"],
    ),
    "agreement_curves: infinite weight": (
        lambda: agreement_curves(SCORE, SCORE, weight_sim=INF_AT_5),
        ValueError,
        ["weight_sim", "index 5"],
    ),
    "agreement_curves: predictions 2-D": (
        lambda: agreement_curves(TWO_D, SCORE),
        ValueError,
        ["pred_real", "1-D"],
    ),
    "cvm_correlation: threshold NaN": (
        lambda: cvm_correlation(SCORE, MASS, window=10, step=5, threshold=np.nan),
        ValueError,
        ["threshold"],
    ),
    "cvm_correlation: threshold negative": (
        lambda: cvm_correlation(SCORE, MASS, window=10, step=5, threshold=-1.0),
        ValueError,
        ["threshold"],
    ),
    "cvm_correlation: window 0": (
        lambda: cvm_correlation(SCORE, MASS, window=0),
        ValueError,
        ["window", ">= 1"],
    ),
    "cvm_correlation: window 2.5": (
        lambda: cvm_correlation(SCORE, MASS, window=2.5),
        ValueError,
        ["window", "2.5"],
    ),
    "cvm_correlation: step 0": (
        lambda: cvm_correlation(SCORE, MASS, window=10, step=0),
        ValueError,
        ["step"],
    ),
    "cvm_correlation: NaN mass": (
        lambda: cvm_correlation(SCORE, NAN_AT_3, window=10, step=5),
        ValueError,
        ["mass", "index 3"],
    ),
    "cvm_correlation: mass of wrong length": (
        lambda: cvm_correlation(SCORE, MASS[:-1], window=10, step=5),
        ValueError,
        ["mass has 39"],
    ),
    "cvm_correlation: fewer events than a window": (
        lambda: cvm_correlation(SCORE, MASS),
        ValueError,
        ["pred has 40", "window of 200"],
    ),
    "cvm_correlation: NaN prediction": (
        lambda: cvm_correlation(NAN_AT_3, MASS, window=10, step=5),
        ValueError,
        ["pred", "index 3"],
    ),
}

AUC_CASES = {
    "truncated_auc: thresholds decreasing": (
        lambda: truncated_auc(Y, SCORE, tpr_thresholds=(0.8, 0.2, 0.4, 0.6)),
        ValueError,
        ["tpr_thresholds"],
    ),
    "truncated_auc: roc_weights of wrong length": (
        lambda: truncated_auc(Y, SCORE, roc_weights=(1.0, 2.0)),
        ValueError,
        ["roc_weights"],
    ),
    "truncated_auc: roc_weights NaN": (
        lambda: truncated_auc(Y, SCORE, roc_weights=(4.0, 3.0, np.nan, 1.0, 0.0)),
        ValueError,
        ["roc_weights"],
    ),
    "truncated_auc: tpr_thresholds words": (
        lambda: truncated_auc(Y, SCORE, tpr_thresholds="abc"),
        TypeError,
        ["tpr_thresholds"],
    ),
    "truncated_auc: NaN prediction": (
        lambda: truncated_auc(Y, NAN_AT_3),
        ValueError,
        ["pred", "index 3"],
    ),
    "truncated_auc: prediction above 1": (
        lambda: truncated_auc(Y, SCORE * 2),
        ValueError,
        ["pred", "[0, 1]"],
    ),
    "truncated_auc: label 3": (
        lambda: truncated_auc(np.where(np.arange(N) == 0, 3, Y), SCORE),
        ValueError,
        ["y", "[3]"],
    ),
    "truncated_auc: negative weight": (
        lambda: truncated_auc(Y, SCORE, NEGATIVE_AT_2),
        ValueError,
        ["sample_weight", "index 2"],
    ),
    "truncated_auc: one class": (
        lambda: truncated_auc(ONE_CLASS, SCORE),
        ValueError,
        ["single class"],
    ),
    "truncated_auc: weights of one class all zero": (
        lambda: truncated_auc(Y, SCORE, np.where(Y == 0, 0.0, 1.0)),
        ValueError,
        ["sample_weight", "background"],
    ),
    "truncated_auc: labels as objects": (
        lambda: truncated_auc(np.array([None] * N), SCORE),
        ValueError,
        ["y"],
    ),
    "roc_curve_points: NaN prediction": (
        lambda: roc_curve_points(Y, NAN_AT_3),
        ValueError,
        ["pred", "index 3"],
    ),
    "roc_curve_points: labels of wrong length": (
        lambda: roc_curve_points(Y[:-1], SCORE),
        ValueError,
        ["pred has 40"],
    ),
    "get_scorer: unknown name": (lambda: get_scorer("accuracy"), ValueError, ["accuracy"]),
    "get_scorer: not a string": (lambda: get_scorer(5), TypeError, ["name", "5"]),
    "register_scorer: not callable": (
        lambda: register_scorer("mine", 5),
        TypeError,
        ["function", "callable"],
    ),
    "register_scorer: name taken": (
        lambda: register_scorer("ams", lambda *a: 0.0),
        ValueError,
        ["'ams'", "already"],
    ),
    "register_scorer: name empty": (
        lambda: register_scorer("", lambda *a: 0.0),
        ValueError,
        ["name"],
    ),
}

CUT_CASES = {
    "choose_cut: NaN score, fraction": (
        lambda: choose_cut(Y, NAN_AT_3, WEIGHT, "fraction"),
        ValueError,
        ["score", "index 3"],
    ),
    "choose_cut: 2-D score, fraction": (
        lambda: choose_cut(Y, TWO_D, WEIGHT, "fraction"),
        ValueError,
        ["score", "1-D"],
    ),
    "choose_cut: negative weights, fraction": (
        lambda: choose_cut(Y, SCORE, NEGATIVE_AT_2, "fraction"),
        ValueError,
        ["sample_weight", "index 2"],
    ),
    "choose_cut: short weights, fraction": (
        lambda: choose_cut(Y, SCORE, SHORT, "fraction"),
        ValueError,
        ["sample_weight has 39"],
    ),
    "choose_cut: fraction 1.5": (
        lambda: choose_cut(Y, SCORE, WEIGHT, "fraction", fraction=1.5),
        ValueError,
        ["fraction", "1.5"],
    ),
    "choose_cut: fraction NaN": (
        lambda: choose_cut(Y, SCORE, WEIGHT, "fraction", fraction=np.nan),
        ValueError,
        ["fraction"],
    ),
    "choose_cut: fraction a string": (
        lambda: choose_cut(Y, SCORE, WEIGHT, "fraction", fraction="0.1"),
        TypeError,
        ["fraction"],
    ),
    "choose_cut: top 0": (
        lambda: choose_cut(Y, SCORE, WEIGHT, "mean_top", top=0),
        ValueError,
        ["top"],
    ),
    "choose_cut: unknown method": (
        lambda: choose_cut(Y, SCORE, WEIGHT, "median"),
        ValueError,
        ["method", "'median'"],
    ),
    "choose_cut: totals NaN": (
        lambda: choose_cut(Y, SCORE, WEIGHT, totals=(np.nan, 1.0)),
        ValueError,
        ["totals"],
    ),
}


test_ams_functions_refuse = refusal_test(AMS_CASES)


test_agreement_and_correlation_refuse = refusal_test(AGREEMENT_CASES)


test_auc_and_scorers_refuse = refusal_test(AUC_CASES)


test_choose_cut_refuses = refusal_test(CUT_CASES)


def test_a_pandas_index_changes_nothing():
    """Series with a shuffled, non-default index give the values of the plain arrays: the
    metrics align by position, never by index label."""
    index = np.random.default_rng(0).permutation(N) + 1000
    as_series = [pd.Series(values, index=index) for values in (Y, SCORE, WEIGHT)]
    assert best_cut(*as_series) == best_cut(Y, SCORE, WEIGHT)
    assert truncated_auc(*as_series) == truncated_auc(Y, SCORE, WEIGHT)
    assert ks_agreement(as_series[1], SCORE[::-1]).value == ks_agreement(SCORE, SCORE[::-1]).value
