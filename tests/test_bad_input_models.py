"""Bad input to the estimators, table-driven (see ``tests/bad_input.py``): each row a fit or a
predict with one bad argument or parameter, the error it must raise and the words of its
message. Parameters are checked once, in ``fit`` (scikit-learn's convention)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hepclf.models import FlatnessXGBClassifier, UGBClassifier, XGBPhysicsClassifier
from tests.bad_input import refusal_test

RNG = np.random.default_rng(3)
N = 120
Y = np.tile([0, 1], N // 2)
X = pd.DataFrame({"x": RNG.normal(Y, 1.0), "z": RNG.normal(size=N), "mass": RNG.uniform(1, 2, N)})
W = RNG.uniform(0.5, 1.5, N)


def _fit(model, X=X, y=Y, sample_weight=None):
    return lambda: model.fit(X, y, sample_weight=sample_weight)


def _xgb(**parameters):
    return XGBPhysicsClassifier(n_estimators=3, **parameters)


def _flat(**parameters):
    return FlatnessXGBClassifier(**{"uniform_features": ["mass"], "n_estimators": 3} | parameters)


def _ugb(**parameters):
    return UGBClassifier(**{"uniform_features": ["mass"], "n_estimators": 3} | parameters)


def _with(column, row, value):
    changed = X.copy()
    changed[column] = changed[column].astype(object if isinstance(value, str) else np.float64)
    changed.loc[row, column] = value
    return changed


FITTED = _xgb().fit(X, Y)

PARAMETER_CASES = {
    "early_stopping_rounds -3": (
        _fit(_xgb(early_stopping_rounds=-3)),
        ValueError,
        ["early_stopping_rounds", "-3"],
    ),
    "early_stopping_rounds 0": (
        _fit(_xgb(early_stopping_rounds=0)),
        ValueError,
        ["early_stopping_rounds"],
    ),
    "early_stopping_rounds 2.5": (
        _fit(_xgb(early_stopping_rounds=2.5)),
        ValueError,
        ["early_stopping_rounds", "2.5"],
    ),
    "early_stopping_metric unknown": (
        _fit(_xgb(early_stopping_rounds=2, early_stopping_metric="accuracy")),
        ValueError,
        ["early_stopping_metric", "accuracy"],
    ),
    "validation_fraction 1": (
        _fit(_xgb(early_stopping_rounds=2, validation_fraction=1.0)),
        ValueError,
        ["validation_fraction"],
    ),
    "n_estimators 0": (_fit(XGBPhysicsClassifier(n_estimators=0)), ValueError, ["n_estimators"]),
    "learning_rate NaN": (_fit(_xgb(learning_rate=np.nan)), ValueError, ["learning_rate"]),
    "learning_rate negative": (_fit(_xgb(learning_rate=-0.1)), ValueError, ["learning_rate"]),
    "max_depth 2.5": (_fit(_xgb(max_depth=2.5)), ValueError, ["max_depth"]),
    "subsample 0": (_fit(_xgb(subsample=0.0)), ValueError, ["subsample"]),
    "balance_classes 'yes'": (_fit(_xgb(balance_classes="yes")), ValueError, ["balance_classes"]),
    "device 'tpu'": (_fit(_xgb(device="tpu")), ValueError, ["device", "tpu"]),
    "random_state a RandomState": (
        _fit(_xgb(random_state=np.random.RandomState(0))),
        ValueError,
        ["random_state"],
    ),
    "random_state negative": (_fit(_xgb(random_state=-1)), ValueError, ["random_state"]),
    "random_state a string": (_fit(_xgb(random_state="0")), ValueError, ["random_state"]),
    "n_jobs 0": (_fit(_xgb(n_jobs=0)), ValueError, ["n_jobs"]),
    "flatness: uniform feature also trains": (
        _fit(_flat(train_features=["x", "mass"])),
        ValueError,
        ["train_features", "mass", "uniform"],
    ),
    "flatness: uniform feature unknown": (
        _fit(_flat(uniform_features=["m"])),
        ValueError,
        ["uniform_features", "'m'"],
    ),
    "flatness: no uniform feature": (
        _fit(_flat(uniform_features=[])),
        ValueError,
        ["uniform_features"],
    ),
    "flatness: uniform label not a class": (
        _fit(_flat(uniform_label=5)),
        ValueError,
        ["uniform_label", "5"],
    ),
    "flatness: n_bins 1": (_fit(_flat(n_bins=1)), ValueError, ["n_bins"]),
    "flatness: power NaN": (_fit(_flat(power=np.nan)), ValueError, ["power"]),
    "flatness: fl_coefficient negative": (
        _fit(_flat(fl_coefficient=-1.0)),
        ValueError,
        ["fl_coefficient"],
    ),
    "flatness: random_state a RandomState": (
        _fit(_flat(random_state=np.random.RandomState(0))),
        ValueError,
        ["random_state"],
    ),
    "flatness: a train feature named twice": (
        _fit(_flat(train_features=["x", "x"])),
        ValueError,
        ["train_features", "'x'", "twice"],
    ),
    "uGB: uniform feature also trains": (
        _fit(_ugb(train_features=["x", "mass"])),
        ValueError,
        ["train_features", "mass"],
    ),
    "uGB: uniform feature NaN for the whole uniform class": (
        _fit(_ugb(), X=X.assign(mass=np.where(Y == 0, np.nan, X["mass"]))),
        ValueError,
        ["NaN for every uniform-class event"],
    ),
    "uGB: random_state a RandomState": (
        _fit(_ugb(random_state=np.random.RandomState(0))),
        ValueError,
        ["random_state"],
    ),
}

DATA_CASES = {
    "inf in X": (_fit(_xgb(), X=_with("z", 7, np.inf)), ValueError, ["X", "infinity"]),
    "a word in X": (_fit(_xgb(), X=_with("z", 2, "abc")), ValueError, ["X", "z"]),
    "X 1-D": (_fit(_xgb(), X=X["x"].to_numpy()), ValueError, ["2D array"]),
    "X empty": (_fit(_xgb(), X=X.iloc[:0], y=Y[:0]), ValueError, ["0 sample"]),
    "y of one class": (_fit(_xgb(), y=np.zeros(N)), ValueError, ["one class"]),
    "y with three classes": (
        _fit(_xgb(), y=np.arange(N) % 3),
        ValueError,
        ["binary"],
    ),
    "y continuous": (_fit(_xgb(), y=np.linspace(0, 1, N)), ValueError, ["continuous"]),
    "y of wrong length": (_fit(_xgb(), y=Y[:-1]), ValueError, ["inconsistent numbers"]),
    "y NaN": (_fit(_xgb(), y=np.where(np.arange(N) == 3, np.nan, Y)), ValueError, ["y", "NaN"]),
    "negative weight": (
        _fit(_xgb(), sample_weight=np.where(np.arange(N) == 2, -1.0, W)),
        ValueError,
        ["sample_weight", "index 2"],
    ),
    "NaN weight": (
        _fit(_xgb(), sample_weight=np.where(np.arange(N) == 9, np.nan, W)),
        ValueError,
        ["sample_weight", "index 9"],
    ),
    "weights of one class all zero": (
        _fit(_xgb(), sample_weight=np.where(Y == 1, 0.0, W)),
        ValueError,
        ["sample_weight", "class 1"],
    ),
    "weights of wrong length": (
        _fit(_xgb(), sample_weight=W[:-1]),
        ValueError,
        ["sample_weight has 119"],
    ),
    "predict before fit": (lambda: _xgb().predict(X), Exception, ["not fitted"]),
    "predict with a column missing": (
        lambda: FITTED.predict(X.drop(columns="z")),
        ValueError,
        ["z"],
    ),
    "predict with inf": (lambda: FITTED.predict(_with("x", 1, -np.inf)), ValueError, ["X"]),
    "predict with columns renamed": (
        lambda: FITTED.predict_proba(X.rename(columns={"x": "y"})),
        ValueError,
        ["feature names"],
    ),
}


test_parameters_refused_in_fit = refusal_test(PARAMETER_CASES)


test_bad_data_refused = refusal_test(DATA_CASES)

PRESET_CASES = {
    "preset higgs_fast (an underscore)": (
        lambda: XGBPhysicsClassifier.preset("higgs_fast"),
        ValueError,
        ["name", "'higgs-fast'", "'higgs_fast'"],
    ),
    "preset None": (lambda: XGBPhysicsClassifier.preset(None), ValueError, ["name", "None"]),
    "preset override eta (not a parameter)": (
        lambda: XGBPhysicsClassifier.preset("higgs-fast", eta=0.3),
        TypeError,
        ["eta"],
    ),
}


test_presets_refused = refusal_test(PRESET_CASES)


def test_ugb_leaves_events_with_nan_uniform_feature_out_with_a_warning():
    """hep_ml cannot leave an event out of the penalty alone: uGB warns, names the first row and
    trains without it, as if it were not given."""
    with pytest.warns(UserWarning, match=r"1 events of the uniform class.*row 4"):
        model = _ugb(random_state=0).fit(_with("mass", 4, np.nan), Y)
    without = _ugb(random_state=0).fit(X.drop(index=4), np.delete(Y, 4))
    assert model.n_outside_flatness_ == 1
    np.testing.assert_allclose(model.predict_proba(X), without.predict_proba(X))
