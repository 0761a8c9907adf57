"""Uniform boosting: predictions flat along chosen features (the mass) for a chosen class.

A classifier that learns the tau mass sculpts a peak out of the background and fails the CvM test.
The bin-flatness loss of Rogozhnikov et al. (arXiv:1410.4140,
:class:`hepclf.models.losses.BinFlatnessLoss`) penalises that.

- :class:`UGBClassifier` wraps hep_ml's single-threaded ``UGradientBoostingClassifier`` with
  ``BinFlatnessLossFunction`` (exponential loss plus the penalty).
- :class:`FlatnessXGBClassifier` runs the same penalty, added to the log-loss, as a custom
  objective inside multi-threaded xgboost; the penalty's gradient is a numba kernel costing one
  sort per round.
"""

from __future__ import annotations

import warnings
from numbers import Integral, Real

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.utils._param_validation import Interval

from hepclf._utils import row_name
from hepclf.models._base import (
    PhysicsClassifierBase,
    as_feature_frame,
    balanced_weights,
    column_values,
    resolve_columns,
)
from hepclf.models._xgboost import (
    TREE_ENSEMBLE_CONSTRAINTS,
    XGBOOST_CONSTRAINTS,
    signal_probability,
    train_booster,
    xgboost_params,
)
from hepclf.models.losses import BinFlatnessLoss, as_xgboost_objective
from hepclf.progress import task

#: The flatness knobs and column choices shared by both uniform boosters.
FLATNESS_CONSTRAINTS = {
    "uniform_features": ["array-like", str, Integral, None],
    "uniform_label": "no_validation",
    "train_features": ["array-like", None],
    "n_bins": [Interval(Integral, 2, None, closed="left")],
    "power": [Interval(Real, 1, None, closed="left")],
    "fl_coefficient": [Interval(Real, 0, None, closed="left")],
}


class _UniformColumns:
    """Column bookkeeping shared by both uniform boosters."""

    def _split_columns(self, frame: pd.DataFrame) -> tuple[list[str], list[str]]:
        columns = list(frame.columns)
        if self.uniform_features is None or len(np.atleast_1d(self.uniform_features)) == 0:
            raise ValueError("uniform_features must name at least one column of X")
        uniform = resolve_columns(self.uniform_features, columns, "uniform_features")
        if self.train_features is None:
            train = [c for c in columns if c not in uniform]
        else:
            train = resolve_columns(self.train_features, columns, "train_features")
        if not train:
            raise ValueError(
                f"train_features is empty: X has {len(columns)} feature(s), all of them "
                f"uniform_features {uniform}; trees need at least one more column"
            )
        for name, chosen in (("uniform_features", uniform), ("train_features", train)):
            repeated = sorted({c for c in chosen if chosen.count(c) > 1})
            if repeated:
                raise ValueError(f"{name} names column {repeated[0]!r} twice")
        growing = [c for c in train if c in uniform]
        if growing:
            raise ValueError(
                f"train_features include the uniform feature(s) {growing}: a uniform feature "
                "must never grow trees (the classifier would learn it); leave it out of "
                "train_features"
            )
        return uniform, train

    def _validate_predict(self, X) -> pd.DataFrame:
        """Predictions need only the training columns: a DataFrame without the uniform features
        (the Flavours test file has no mass) is accepted when it names every training column."""
        if isinstance(X, pd.DataFrame) and hasattr(self, "train_columns_"):
            if set(self.train_columns_) <= set(map(str, X.columns)) and not set(
                self.uniform_columns_
            ) <= set(map(str, X.columns)):
                return as_feature_frame(X[self.train_columns_])
        return super()._validate_predict(X)


class FlatnessXGBClassifier(_UniformColumns, PhysicsClassifierBase):
    """xgboost with the bin-flatness penalty: fast, multi-threaded uniform boosting.

    Parameters
    ----------
    uniform_features : list of str or int
        Columns of X along which predictions must stay flat (e.g. ``['mass']``). They are read
        from X but never used to grow trees.
    uniform_label : class label
        The class that must stay flat (0: the background, as in the CvM test).
    train_features : list of str or int, optional
        Columns that grow the trees; None means every column except the uniform ones.
    n_bins, power, fl_coefficient :
        Bins per uniform feature, exponent of |F_bin - F|, weight of the penalty (hep_ml's knobs).
    n_estimators, learning_rate, max_depth, subsample, colsample_bytree, min_child_weight,
    reg_lambda, n_jobs, random_state :
        xgboost parameters.
    device : {'cpu', 'cuda'}
        Where xgboost trains: 'cuda' for an NVIDIA GPU (an xgboost built with CUDA; the penalty's
        gradient is computed on the CPU each round).

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from hepclf.models import FlatnessXGBClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 1000)
    >>> X = pd.DataFrame({"x": rng.normal(y, 1.0), "mass": rng.uniform(1600, 1950, 1000)})
    >>> model = FlatnessXGBClassifier(uniform_features=["mass"], n_estimators=20).fit(X, y)
    >>> model.predict_proba(X[["x"]]).shape  # predictions need no mass
    (1000, 2)
    """

    _parameter_constraints = XGBOOST_CONSTRAINTS | FLATNESS_CONSTRAINTS

    def __init__(
        self,
        uniform_features=None,
        uniform_label=0,
        train_features=None,
        n_bins: int = 10,
        power: float = 2.0,
        fl_coefficient: float = 3.0,
        n_estimators: int = 200,
        learning_rate: float = 0.1,
        max_depth: int = 6,
        subsample: float = 1.0,
        colsample_bytree: float = 1.0,
        min_child_weight: float = 1.0,
        reg_lambda: float = 1.0,
        n_jobs: int | None = None,
        device: str = "cpu",
        random_state: int | None = None,
    ):
        self.uniform_features = uniform_features
        self.uniform_label = uniform_label
        self.train_features = train_features
        self.n_bins = n_bins
        self.power = power
        self.fl_coefficient = fl_coefficient
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.n_jobs = n_jobs
        self.device = device
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None) -> FlatnessXGBClassifier:
        """Train; the uniform features of X are used by the penalty only.

        Raises
        ------
        sklearn.utils._param_validation.InvalidParameterError
            A parameter is of the wrong type or outside its range (a ValueError subclass; the
            message names the parameter, the allowed values and the value given).
        ValueError
            ``X`` is not 2-D numeric data (a non-numeric column, an infinity, no events) or its
            length differs from that of ``y``; ``y`` is None, continuous, or does not hold
            exactly two classes; ``sample_weight`` has the wrong length, NaN, infinities or
            negative values, or sums to zero in a class; ``uniform_features`` is empty or names a
            column that X lacks (by name or position), ``train_features`` names such a column
            or a uniform feature, either names a column twice, or no column is left to grow
            trees; ``uniform_label`` is not a class of ``y`` (nor 0 / 1); the uniform features
            are NaN for every event of the uniform class; ``device='cuda'`` with an xgboost
            built without CUDA.
        TypeError
            ``sample_weight`` is not numeric or holds booleans; ``uniform_features`` or
            ``train_features`` lists something other than column names or positions.
        """
        frame, target, weights = self._validate_fit(X, y, sample_weight)
        uniform, train = self._split_columns(frame)
        self.uniform_columns_, self.train_columns_ = uniform, train
        flat_class = float(self._class_index(self.uniform_label))
        flat_index = np.flatnonzero(target == flat_class)
        uniform_values = frame[uniform].to_numpy()[flat_index]
        defined = np.isfinite(uniform_values).all(axis=1)
        self.n_outside_flatness_ = int((~defined).sum())
        if self.n_outside_flatness_:
            warnings.warn(
                f"{self.n_outside_flatness_} events of the uniform class have NaN in "
                f"uniform_features {uniform}; they are left out of the flatness penalty",
                UserWarning,
                stacklevel=2,
            )
            flat_index, uniform_values = flat_index[defined], uniform_values[defined]
        if flat_index.size == 0:
            raise ValueError(f"uniform_features {uniform} are NaN for every uniform-class event")
        loss = BinFlatnessLoss(self.n_bins, self.power, self.fl_coefficient).fit(
            target, balanced_weights(target, weights), flat_index, uniform_values
        )
        params = xgboost_params(self) | {"base_score": 0.0, "disable_default_eval_metric": 1}
        dtrain = xgb.DMatrix(column_values(frame, train))
        self.booster_ = train_booster(
            params, dtrain, self.n_estimators, obj=as_xgboost_objective(loss)
        )
        return self

    def _signal_probability(self, frame) -> np.ndarray:
        values = column_values(frame, self.train_columns_)
        return signal_probability(self.booster_, values, self.booster_.num_boosted_rounds())


class UGBClassifier(_UniformColumns, PhysicsClassifierBase):
    """hep_ml's uniform gradient boosting with the bin-flatness loss, in hepclf's conventions.

    Same column conventions and flatness knobs as :class:`FlatnessXGBClassifier`; the trees are
    scikit-learn regression trees grown one at a time (single-threaded), on the exponential loss
    plus the penalty (hep_ml's ``BinFlatnessLossFunction``).
    """

    _parameter_constraints = (
        TREE_ENSEMBLE_CONSTRAINTS
        | FLATNESS_CONSTRAINTS
        | {
            "min_samples_leaf": [Interval(Integral, 1, None, closed="left")],
        }
    )

    def __init__(
        self,
        uniform_features=None,
        uniform_label=0,
        train_features=None,
        n_bins: int = 10,
        power: float = 2.0,
        fl_coefficient: float = 3.0,
        n_estimators: int = 100,
        learning_rate: float = 0.1,
        max_depth: int = 3,
        subsample: float = 1.0,
        min_samples_leaf: int = 1,
        random_state: int | None = None,
    ):
        self.uniform_features = uniform_features
        self.uniform_label = uniform_label
        self.train_features = train_features
        self.n_bins = n_bins
        self.power = power
        self.fl_coefficient = fl_coefficient
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.subsample = subsample
        self.min_samples_leaf = min_samples_leaf
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None) -> UGBClassifier:
        """Train hep_ml's uGB; the uniform features of X are used by the penalty only.

        Raises
        ------
        sklearn.utils._param_validation.InvalidParameterError
            A parameter is of the wrong type or outside its range (a ValueError subclass; the
            message names the parameter, the allowed values and the value given).
        ValueError
            ``X`` is not 2-D numeric data (a non-numeric column, an infinity, no events) or its
            length differs from that of ``y``; ``y`` is None, continuous, or does not hold
            exactly two classes; ``sample_weight`` has the wrong length, NaN, infinities or
            negative values, or sums to zero in a class; ``uniform_features`` is empty or names a
            column that X lacks (by name or position), ``train_features`` names such a column
            or a uniform feature, either names a column twice, or no column is left to grow
            trees; ``uniform_label`` is not a class of ``y`` (nor 0 / 1).
        TypeError
            ``sample_weight`` is not numeric or holds booleans; ``uniform_features`` or
            ``train_features`` lists something other than column names or positions.
        ImportError
            hep_ml is not installed.
        """
        from hep_ml.gradientboosting import UGradientBoostingClassifier

        from hepclf.models._hep_ml import CountedBinFlatnessLoss

        frame, target, weights = self._validate_fit(X, y, sample_weight)
        uniform, train = self._split_columns(frame)
        self.uniform_columns_, self.train_columns_ = uniform, train
        flat_class = self._class_index(self.uniform_label)
        undefined = (target == float(flat_class)) & np.isnan(frame[uniform].to_numpy()).any(axis=1)
        self.n_outside_flatness_ = int(undefined.sum())
        if self.n_outside_flatness_ == int(np.count_nonzero(target == float(flat_class))):
            raise ValueError(f"uniform_features {uniform} are NaN for every uniform-class event")
        if self.n_outside_flatness_:
            warnings.warn(
                f"{self.n_outside_flatness_} events of the uniform class have NaN in "
                f"uniform_features {uniform} (first at "
                f"{row_name(frame.index, int(np.flatnonzero(undefined)[0]))}); hep_ml's uGB "
                "cannot leave them out of the flatness penalty alone, so they are left out of "
                "the fit (FlatnessXGBClassifier keeps them for the trees)",
                UserWarning,
                stacklevel=2,
            )
        loss = CountedBinFlatnessLoss(
            uniform,
            uniform_label=flat_class,
            n_bins=self.n_bins,
            power=self.power,
            fl_coefficient=self.fl_coefficient,
        )
        self.model_ = UGradientBoostingClassifier(
            loss=loss,
            n_estimators=self.n_estimators,
            learning_rate=self.learning_rate,
            max_depth=self.max_depth,
            subsample=self.subsample,
            min_samples_leaf=self.min_samples_leaf,
            train_features=train,
            random_state=self.random_state,
        )
        # zero-weight events carry no information, and hep_ml divides by per-group weight sums
        used = (weights > 0) & ~undefined
        with task("uGB (hep_ml, one thread)", total=self.n_estimators, unit="trees"):
            self.model_.fit(frame[used], target[used].astype(int), sample_weight=weights[used])
        return self

    def _signal_probability(self, frame) -> np.ndarray:
        return self.model_.predict_proba(frame)[:, 1]
