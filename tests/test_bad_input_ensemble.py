"""Bad input to cross-validation and the constrained blend, table-driven (see
``tests/bad_input.py``): each row a public call with one bad argument, the error it must raise and
the words of its message."""

from __future__ import annotations

import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

from hepclf.ensemble import (
    constrained_blend,
    local_moves,
    member_predictions,
    simplex_grid,
)
from hepclf.validation import cross_validate_ams, out_of_fold_predictions
from tests.bad_input import refusal_test

RNG = np.random.default_rng(5)
N = 400
Y = np.tile([0, 1], N // 2)
X = pd.DataFrame({"a": RNG.normal(Y, 1.0), "b": RNG.normal(size=N)})
W = RNG.uniform(0.5, 1.5, N)
TRAIN = {
    "one": 1 / (1 + np.exp(-X["a"].to_numpy())),
    "two": 1 / (1 + np.exp(-(X["a"] + X["b"]).to_numpy())),
}
IS_SIM = np.tile([0, 1], N // 2)
MASS = RNG.uniform(1700, 1900, N)
BLEND = constrained_blend(TRAIN, Y, grid_step=0.5, min_step=0.5)


def _blend(**arguments):
    return lambda: constrained_blend(**({"train_predictions": TRAIN, "y": Y} | arguments))


def _agreement(**arguments):
    return _blend(**({"agreement_predictions": TRAIN, "agreement_is_simulation": IS_SIM}
                     | arguments))  # fmt: skip


ONE_SIGNAL = np.zeros(N, dtype=int)
ONE_SIGNAL[:3] = 1

VALIDATION_CASES = {
    "out_of_fold: fewer signal events than folds": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, ONE_SIGNAL),
        ValueError,
        ["y", "3", "class 1", "n_splits=5"],
    ),
    "out_of_fold: y of one class": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, np.zeros(N)),
        ValueError,
        ["y", "single class"],
    ),
    "out_of_fold: y 2-D": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, np.column_stack([Y, Y])),
        ValueError,
        ["y", "1-D"],
    ),
    "out_of_fold: y of wrong length": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, Y[:-1]),
        ValueError,
        ["X has 400"],
    ),
    "out_of_fold: n_splits 1": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, Y, n_splits=1),
        ValueError,
        ["n_splits"],
    ),
    "out_of_fold: not an estimator": (
        lambda: out_of_fold_predictions("xgboost", X, Y),
        TypeError,
        ["estimator", "predict_proba"],
    ),
    "out_of_fold: random_state a string": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, Y, random_state="1"),
        TypeError,
        ["random_state"],
    ),
    "out_of_fold: negative weight": (
        lambda: out_of_fold_predictions(LogisticRegression(), X, Y, np.where(Y > 2, 0, -W)),
        ValueError,
        ["sample_weight", "negative"],
    ),
    "cross_validate_ams: fewer signal events than folds": (
        lambda: cross_validate_ams(LogisticRegression(), X, ONE_SIGNAL, W),
        ValueError,
        ["class 1", "n_splits=5"],
    ),
    "cross_validate_ams: no weights": (
        lambda: cross_validate_ams(LogisticRegression(), X, Y, None),
        TypeError,
        ["sample_weight is required"],
    ),
    "cross_validate_ams: unknown threshold": (
        lambda: cross_validate_ams(LogisticRegression(), X, Y, W, threshold="median"),
        ValueError,
        ["threshold", "'median'"],
    ),
}

BLEND_CASES = {
    "predict: a member missing": (
        lambda: BLEND.predict({"one": TRAIN["one"]}),
        ValueError,
        ["predictions", "two"],
    ),
    "predict: NaN prediction": (
        lambda: BLEND.predict({"one": np.where(Y > 2, 0, np.nan), "two": TRAIN["two"]}),
        ValueError,
        ["predictions['one']", "index 0"],
    ),
    "predict: a length-1 member": (
        lambda: BLEND.predict({"one": TRAIN["one"][:1], "two": TRAIN["two"]}),
        ValueError,
        ["predictions['two'] has 400"],
    ),
    "predict: prediction above 1": (
        lambda: BLEND.predict({"one": TRAIN["one"] + 1, "two": TRAIN["two"]}),
        ValueError,
        ["predictions['one']", "[0, 1]"],
    ),
    "predict: not a mapping": (
        lambda: BLEND.predict([TRAIN["one"], TRAIN["two"]]),
        TypeError,
        ["predictions", "mapping"],
    ),
    "blend: is_simulation holds 2": (
        _agreement(agreement_is_simulation=np.where(np.arange(N) == 3, 2, IS_SIM)),
        ValueError,
        ["agreement_is_simulation", "[2]"],
    ),
    "blend: is_simulation NaN": (
        _agreement(agreement_is_simulation=np.where(np.arange(N) == 3, np.nan, IS_SIM)),
        ValueError,
        ["agreement_is_simulation", "NaN"],
    ),
    "blend: is_simulation all real": (
        _agreement(agreement_is_simulation=np.zeros(N)),
        ValueError,
        ["agreement_is_simulation", "single class"],
    ),
    "blend: is_simulation missing": (
        _agreement(agreement_is_simulation=None),
        TypeError,
        ["agreement_is_simulation"],
    ),
    "blend: ks_margin -1": (_blend(ks_margin=-1.0), ValueError, ["ks_margin", "-1"]),
    "blend: cvm_margin NaN": (_blend(cvm_margin=np.nan), ValueError, ["cvm_margin"]),
    "blend: ks_margin above the threshold": (
        _blend(ks_margin=0.2),
        ValueError,
        ["ks_margin", "ks_threshold"],
    ),
    "blend: ks_threshold a string": (_blend(ks_threshold="0.09"), TypeError, ["ks_threshold"]),
    "blend: cvm_threshold 0": (_blend(cvm_threshold=0.0), ValueError, ["cvm_threshold"]),
    "blend: grid_step 0": (_blend(grid_step=0.0), ValueError, ["grid_step"]),
    "blend: grid_step 0.3": (_blend(grid_step=0.3), ValueError, ["grid_step", "0.3"]),
    "blend: min_step NaN": (_blend(min_step=np.nan), ValueError, ["min_step"]),
    "blend: max_grid_members 0": (_blend(max_grid_members=0), ValueError, ["max_grid_members"]),
    "blend: n_starts 1.5": (_blend(n_starts=1.5), ValueError, ["n_starts"]),
    "blend: objective unknown": (_blend(objective="accuracy"), ValueError, ["objective"]),
    "blend: objective a number": (_blend(objective=3), TypeError, ["objective"]),
    "blend: empty members": (_blend(train_predictions={}), ValueError, ["train_predictions"]),
    "blend: members not a mapping": (
        _blend(train_predictions=[TRAIN["one"]]),
        TypeError,
        ["train_predictions", "mapping"],
    ),
    "blend: a member of wrong length": (
        _blend(train_predictions={"one": TRAIN["one"], "two": TRAIN["two"][:-1]}),
        ValueError,
        ["train_predictions['two'] has 399"],
    ),
    "blend: y with label 2": (_blend(y=np.where(np.arange(N) == 0, 2, Y)), ValueError, ["y"]),
    "blend: correlation mass missing": (
        _blend(correlation_predictions=TRAIN),
        TypeError,
        ["correlation_mass"],
    ),
    "blend: correlation mass of wrong length": (
        _blend(correlation_predictions=TRAIN, correlation_mass=MASS[:-1]),
        ValueError,
        ["correlation_mass has 399"],
    ),
    "blend: agreement weights summing to zero": (
        _agreement(agreement_weight=np.where(np.arange(N) % 4 == 0, -1.0, 1.0)),
        ValueError,
        ["agreement_weight", "real data"],
    ),
    "simplex_grid: step 0": (lambda: simplex_grid(3, 0.0), ValueError, ["step"]),
    "simplex_grid: step 0.3": (lambda: simplex_grid(3, 0.3), ValueError, ["step", "0.3"]),
    "simplex_grid: step NaN": (lambda: simplex_grid(3, np.nan), ValueError, ["step"]),
    "simplex_grid: no members": (lambda: simplex_grid(0, 0.5), ValueError, ["n_members"]),
    "local_moves: one member": (lambda: local_moves(1), ValueError, ["n_members"]),
    "local_moves: 2.5 members": (lambda: local_moves(2.5), ValueError, ["n_members"]),
    "member_predictions: training not a frame": (
        lambda: member_predictions({"lr": (LogisticRegression(), ["a"])}, X.to_numpy(), Y, {}),
        TypeError,
        ["training", "DataFrame"],
    ),
    "member_predictions: a column missing": (
        lambda: member_predictions({"lr": (LogisticRegression(), ["c"])}, X, Y, {}),
        ValueError,
        ["member 'lr'", "c"],
    ),
    "member_predictions: y of wrong length": (
        lambda: member_predictions({"lr": (LogisticRegression(), ["a"])}, X, Y[:-1], {}),
        ValueError,
        ["y has 399"],
    ),
    "member_predictions: a target not a frame": (
        lambda: member_predictions(
            {"lr": (LogisticRegression(), ["a"])}, X, Y, {"test": X.to_numpy()}
        ),
        TypeError,
        ["targets['test']", "DataFrame"],
    ),  # fmt: skip
    "member_predictions: cv 1": (
        lambda: member_predictions({"lr": (LogisticRegression(), ["a"])}, X, Y, {}, cv=1),
        ValueError,
        ["cv"],
    ),
    "member_predictions: a member not (estimator, columns)": (
        lambda: member_predictions({"lr": LogisticRegression()}, X, Y, {}),
        TypeError,
        ["members['lr']", "(estimator, columns)"],
    ),
}


test_cross_validation_refuses = refusal_test(VALIDATION_CASES)


test_blend_refuses = refusal_test(BLEND_CASES)


def test_blend_result_predict_is_the_weighted_sum():
    blended = BLEND.predict(TRAIN)
    expected = sum(weight * TRAIN[name] for name, weight in BLEND.weights.items())
    np.testing.assert_allclose(blended, expected, rtol=0, atol=1e-15)
