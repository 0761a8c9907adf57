"""Gradient-boosted trees (xgboost) with physics weights and physics-metric early stopping."""

from __future__ import annotations

import numpy as np
import xgboost as xgb
from sklearn.model_selection import train_test_split

from hepclf.metrics.ams import best_cut
from hepclf.metrics.auc import truncated_auc
from hepclf.models._base import PhysicsClassifierBase, balanced_weights, check_parameter

EARLY_STOPPING_METRICS = ("logloss", "ams", "truncated_auc")

#: Parameter presets from the seed solutions (REFERENCE.md).
PRESETS = {
    # Higgs ML, 26th place (public 3.75+, private 3.73+): eta 0.01, depth 9, subsample 0.9,
    # 3000 rounds
    "higgs": dict(n_estimators=3000, learning_rate=0.01, max_depth=9, subsample=0.9),
    # Flavours of Physics: xgboost had to be weakened to pass the KS test: eta 0.2, subsample 0.7
    # and column subsampling
    "flavours": dict(
        n_estimators=300, learning_rate=0.2, max_depth=6, subsample=0.7, colsample_bytree=0.7
    ),
}


def _sigmoid(margin: np.ndarray) -> np.ndarray:
    return 0.5 * (1.0 + np.tanh(0.5 * margin))


class XGBPhysicsClassifier(PhysicsClassifierBase):
    """xgboost classifier for weighted physics events, with the scikit-learn API.

    Parameters
    ----------
    n_estimators, learning_rate, max_depth, subsample, colsample_bytree, min_child_weight,
    reg_lambda : xgboost tree-booster parameters (``eta`` is ``learning_rate``).
    balance_classes : bool
        Rescale the weights so that signal and background carry equal total weight (the relative
        physics weights inside each class are kept). Without it a Higgs signal of total weight 692
        against a background of 411,000 would be ignored.
    early_stopping_rounds : int or None
        Stop when the metric on a held-out split has not improved for this many rounds, and
        predict with the best round.
    early_stopping_metric : {'logloss', 'ams', 'truncated_auc'}
        'ams': the best-cut AMS of the held-out split with its weights renormalised to the HiggsML
        totals; 'truncated_auc': the Flavours score.
    validation_fraction : float
        Size of the held-out split (stratified by class) used for early stopping.
    n_jobs : int or None
        Threads for xgboost (None: all cores).
    random_state : int or None
        Seed of the split and of xgboost's sampling.

    Attributes
    ----------
    booster_ : xgboost.Booster
    best_iteration_ : int
        Rounds used for prediction.
    validation_scores_ : list of float
        The early-stopping metric after each round (empty without early stopping).
    """

    def __init__(
        self,
        n_estimators: int = 500,
        learning_rate: float = 0.1,
        max_depth: int = 6,
        subsample: float = 1.0,
        colsample_bytree: float = 1.0,
        min_child_weight: float = 1.0,
        reg_lambda: float = 1.0,
        balance_classes: bool = True,
        early_stopping_rounds: int | None = None,
        early_stopping_metric: str = "logloss",
        validation_fraction: float = 0.2,
        n_jobs: int | None = None,
        random_state: int | None = None,
    ):
        self.n_estimators = n_estimators
        self.learning_rate = learning_rate
        self.max_depth = max_depth
        self.subsample = subsample
        self.colsample_bytree = colsample_bytree
        self.min_child_weight = min_child_weight
        self.reg_lambda = reg_lambda
        self.balance_classes = balance_classes
        self.early_stopping_rounds = early_stopping_rounds
        self.early_stopping_metric = early_stopping_metric
        self.validation_fraction = validation_fraction
        self.n_jobs = n_jobs
        self.random_state = random_state

    @classmethod
    def preset(cls, name: str, **overrides) -> XGBPhysicsClassifier:
        """The seed solution's parameters: ``'higgs'`` or ``'flavours'`` (see :data:`PRESETS`)."""
        if name not in PRESETS:
            raise ValueError(f"name must be one of {sorted(PRESETS)}, got {name!r}")
        return cls(**(PRESETS[name] | overrides))

    def fit(self, X, y, sample_weight=None) -> XGBPhysicsClassifier:
        """Train on events ``X`` with classes ``y`` and physics weights ``sample_weight``."""
        frame, target, weights = self._validate_fit(X, y, sample_weight)
        if self.early_stopping_metric not in EARLY_STOPPING_METRICS:
            raise ValueError(
                f"early_stopping_metric must be one of {EARLY_STOPPING_METRICS}, "
                f"got {self.early_stopping_metric!r}"
            )
        params = tree_params(self) | {"objective": "binary:logistic", "eval_metric": "logloss"}
        train_weights = balanced_weights(target, weights) if self.balance_classes else weights
        self.validation_scores_ = []
        if self.early_stopping_rounds is None:
            dtrain = xgb.DMatrix(frame.to_numpy(), label=target, weight=train_weights)
            self.booster_ = xgb.train(params, dtrain, num_boost_round=self.n_estimators)
            self.best_iteration_ = self.n_estimators
            return self
        if not 0 < self.validation_fraction < 1:
            raise ValueError(
                f"validation_fraction must be in (0, 1), got {self.validation_fraction}"
            )
        train, valid = train_test_split(
            np.arange(len(frame)),
            test_size=self.validation_fraction,
            stratify=target,
            random_state=self.random_state,
        )
        values = frame.to_numpy()
        dtrain = xgb.DMatrix(values[train], label=target[train], weight=train_weights[train])
        dvalid = xgb.DMatrix(values[valid], label=target[valid], weight=train_weights[valid])
        metric = _early_stopping_metric(self.early_stopping_metric, target[valid], weights[valid])
        history: dict = {}
        self.booster_ = xgb.train(
            params,
            dtrain,
            num_boost_round=self.n_estimators,
            evals=[(dvalid, "valid")],
            custom_metric=metric,
            maximize=self.early_stopping_metric != "logloss",
            early_stopping_rounds=self.early_stopping_rounds,
            evals_result=history,
            verbose_eval=False,
        )
        name = "logloss" if self.early_stopping_metric == "logloss" else self.early_stopping_metric
        self.validation_scores_ = list(history["valid"][name])
        self.best_iteration_ = int(self.booster_.best_iteration) + 1
        return self

    def _signal_probability(self, frame) -> np.ndarray:
        matrix = xgb.DMatrix(frame.to_numpy())
        margin = self.booster_.predict(
            matrix, output_margin=True, iteration_range=(0, self.best_iteration_)
        )
        return _sigmoid(margin)


def _early_stopping_metric(name: str, target: np.ndarray, physics_weights: np.ndarray):
    """A custom xgboost metric on the held-out split (None for xgboost's own logloss)."""
    if name == "logloss":
        return None

    def metric(predt: np.ndarray, dmatrix: xgb.DMatrix):
        probability = np.clip(predt, 0.0, 1.0)
        if name == "ams":
            return "ams", best_cut(target, probability, physics_weights).ams
        return "truncated_auc", truncated_auc(target, probability, physics_weights)

    return metric


def tree_params(estimator) -> dict:
    """xgboost tree-booster parameters from an estimator's attributes, after checking them."""
    _check_booster_params(estimator)
    return {
        "eta": estimator.learning_rate,
        "max_depth": estimator.max_depth,
        "subsample": estimator.subsample,
        "colsample_bytree": estimator.colsample_bytree,
        "min_child_weight": estimator.min_child_weight,
        "lambda": estimator.reg_lambda,
        "tree_method": "hist",
        "nthread": estimator.n_jobs or 0,
        "seed": 0 if estimator.random_state is None else int(estimator.random_state),
    }


def check_tree_ensemble_params(estimator) -> None:
    """Raise ValueError naming any parameter shared by every boosted-tree model out of range."""
    check_parameter("n_estimators", estimator.n_estimators, 1, integer=True)
    check_parameter("max_depth", estimator.max_depth, 1, integer=True)
    check_parameter("learning_rate", estimator.learning_rate, 0.0, open_low=True)
    check_parameter("subsample", estimator.subsample, 0.0, 1.0, open_low=True)


def _check_booster_params(estimator) -> None:
    """Raise ValueError naming any xgboost tree-booster parameter outside its range."""
    check_tree_ensemble_params(estimator)
    check_parameter("colsample_bytree", estimator.colsample_bytree, 0.0, 1.0, open_low=True)
    check_parameter("min_child_weight", estimator.min_child_weight, 0.0)
    check_parameter("reg_lambda", estimator.reg_lambda, 0.0)
