"""Uniform boosting: predictions flat along chosen features (the mass) for a chosen class.

A classifier that learns the tau mass sculpts a peak out of the background and fails the CvM test.
The bin-flatness loss of Rogozhnikov et al. (arXiv:1410.4140) penalises that. Events of the
uniform class are grouped by equal-width bins of the uniform features (two binnings shifted by half
a bin, so each event sits in two overlapping groups). For event i in group g, with F_g and F the
weighted CDFs of the predictions inside the group and over the whole class,

    d_i = F_g(s_i) - F(s_i),   -dL_flat / ds_i = power * sign(d_i) * |d_i|^(power - 1) * w_i / k_i

(w_i the class-normalised weight, k_i the number of groups holding the event): an event sitting
higher in its group than globally is pushed up, flattening the group's distribution towards the
global one.

- :class:`UGBClassifier` wraps hep_ml's single-threaded ``UGradientBoostingClassifier`` with
  ``BinFlatnessLossFunction`` (exponential loss plus the penalty).
- :class:`FlatnessXGBClassifier` runs the same penalty, added to the log-loss, as a custom
  objective inside multi-threaded xgboost; the penalty's gradient is a numba kernel costing one
  sort per round.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import xgboost as xgb
from numba import njit, prange

from hepclf.models._base import (
    PhysicsClassifierBase,
    as_feature_frame,
    balanced_weights,
    check_parameter,
    resolve_columns,
)
from hepclf.models.boosting import _sigmoid, check_tree_ensemble_params, tree_params


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

    def _check_flatness_params(self) -> None:
        check_parameter("n_bins", self.n_bins, 1, integer=True)
        check_parameter("power", self.power, 1.0)
        check_parameter("fl_coefficient", self.fl_coefficient, 0.0)


def flatness_groups(uniform: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ids of events in two equal-width binnings of the uniform features, shifted by half
    a bin (hep_ml's BinFlatnessLossFunction grouping).

    Parameters
    ----------
    uniform : ndarray, shape (n_events, n_features)
        The uniform features of the events of the uniform class.

    Returns
    -------
    groups : ndarray of int64, shape (2, n_events)
        Group id of each event in each binning, -1 where it falls outside the binning.
    n_groups : ndarray of int64, shape (2,)
    """
    groups = np.zeros((2, uniform.shape[0]), dtype=np.int64)
    n_groups = np.zeros(2, dtype=np.int64)
    for shift in (0, 1):
        combined = np.zeros(uniform.shape[0], dtype=np.int64)
        for column in range(uniform.shape[1]):
            values = uniform[:, column]
            limits = np.linspace(values.min(), values.max(), 2 * n_bins + 1)[1 + shift : -1 : 2]
            combined = combined * (limits.size + 1) + np.searchsorted(limits, values)
        _, dense = np.unique(combined, return_inverse=True)
        groups[shift] = dense
        n_groups[shift] = dense.max() + 1
    return groups, n_groups


@njit(cache=True, error_model="numpy")
def _flatness_negative_gradient(score, weight, divided_weight, groups, n_groups, power):
    """-dL_flat/ds for the uniform class's events (one sort, then one pass in score order)."""
    n = score.size
    order = np.argsort(score)
    total = weight.sum()
    out = np.zeros(n)
    for shift in range(2):
        group_total = np.zeros(n_groups[shift])
        for i in range(n):
            group_total[groups[shift, i]] += weight[i]
        running = np.zeros(n_groups[shift])
        cumulative = 0.0
        for position in range(n):
            i = order[position]
            global_position = (cumulative + 0.5 * weight[i]) / total
            cumulative += weight[i]
            g = groups[shift, i]
            if group_total[g] == 0.0:  # a group of zero-weight events: no distribution to flatten
                continue
            local_position = (running[g] + 0.5 * weight[i]) / group_total[g]
            running[g] += weight[i]
            difference = local_position - global_position
            if difference != 0.0:
                magnitude = abs(difference) ** (power - 1.0)
                out[i] += power * magnitude * (1.0 if difference > 0 else -1.0)
    for i in range(n):
        out[i] *= divided_weight[i]
    return out


@njit(cache=True, parallel=True, error_model="numpy")
def _log_loss_gradient(margin, target, weight, flat_index, flat_gradient, coefficient):
    """Gradient and Hessian of weighted log-loss minus coefficient * flatness negative gradient."""
    n = margin.size
    grad = np.empty(n)
    hess = np.empty(n)
    for i in prange(n):
        p = 0.5 * (1.0 + np.tanh(0.5 * margin[i]))
        grad[i] = weight[i] * (p - target[i])
        hess[i] = max(weight[i] * p * (1.0 - p), 1e-16)
    for k in prange(flat_index.size):
        grad[flat_index[k]] -= coefficient * flat_gradient[k]
    return grad, hess


class _FlatnessObjective:
    """xgboost objective: log-loss + fl_coefficient * bin-flatness penalty."""

    def __init__(self, target, weight, flat_index, groups, n_groups, power, coefficient):
        self.target = target
        self.weight = weight
        self.flat_index = flat_index
        self.groups = groups
        self.n_groups = n_groups
        self.power = float(power)
        self.coefficient = float(coefficient)
        occurrences = np.ones(flat_index.size) * 2.0  # every event lies in one group per binning
        self.flat_weight = weight[flat_index]
        self.divided_weight = self.flat_weight / occurrences

    def __call__(self, margin: np.ndarray, dtrain: xgb.DMatrix):
        flat = _flatness_negative_gradient(
            margin[self.flat_index],
            self.flat_weight,
            self.divided_weight,
            self.groups,
            self.n_groups,
            self.power,
        )
        return _log_loss_gradient(
            margin, self.target, self.weight, self.flat_index, flat, self.coefficient
        )


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
    """

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
        self.random_state = random_state

    def fit(self, X, y, sample_weight=None) -> FlatnessXGBClassifier:
        """Train; the uniform features of X are used by the penalty only."""
        frame, target, weights = self._validate_fit(X, y, sample_weight)
        params = tree_params(self) | {"base_score": 0.0, "disable_default_eval_metric": 1}
        self._check_flatness_params()
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
        groups, n_groups = flatness_groups(uniform_values, self.n_bins)
        objective = _FlatnessObjective(
            target,
            balanced_weights(target, weights),
            flat_index,
            groups,
            n_groups,
            self.power,
            self.fl_coefficient,
        )
        dtrain = xgb.DMatrix(frame[train].to_numpy())
        self.booster_ = xgb.train(params, dtrain, num_boost_round=self.n_estimators, obj=objective)
        return self

    def _signal_probability(self, frame) -> np.ndarray:
        margin = self.booster_.predict(
            xgb.DMatrix(frame[self.train_columns_].to_numpy()), output_margin=True
        )
        return _sigmoid(margin)


class UGBClassifier(_UniformColumns, PhysicsClassifierBase):
    """hep_ml's uniform gradient boosting with the bin-flatness loss, in hepclf's conventions.

    Same column conventions and flatness knobs as :class:`FlatnessXGBClassifier`; the trees are
    scikit-learn regression trees grown one at a time (single-threaded), on the exponential loss
    plus the penalty (hep_ml's ``BinFlatnessLossFunction``).
    """

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
        from hep_ml.gradientboosting import UGradientBoostingClassifier
        from hep_ml.losses import BinFlatnessLossFunction

        frame, target, weights = self._validate_fit(X, y, sample_weight)
        self._check_flatness_params()
        check_tree_ensemble_params(self)
        check_parameter("min_samples_leaf", self.min_samples_leaf, 1, integer=True)
        uniform, train = self._split_columns(frame)
        self.uniform_columns_, self.train_columns_ = uniform, train
        flat_class = self._class_index(self.uniform_label)
        loss = BinFlatnessLossFunction(
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
        used = weights > 0
        self.model_.fit(frame[used], target[used].astype(int), sample_weight=weights[used])
        return self

    def _signal_probability(self, frame) -> np.ndarray:
        return self.model_.predict_proba(frame)[:, 1]
