"""The xgboost plumbing shared by every hepclf booster: parameter constraints, the booster's
parameters, and the signal probability from the margins of a prediction.

The constraints are scikit-learn's (``Interval``, ``Options``): an estimator lists them in its
``_parameter_constraints`` and :meth:`PhysicsClassifierBase._validate_fit` checks them once, at the
start of ``fit``, with an error that names the parameter, the allowed range and the value given.
"""

from __future__ import annotations

from numbers import Integral, Real

import numpy as np
import xgboost as xgb
from sklearn.utils._param_validation import Interval, Options, StrOptions

from hepclf.models.losses import sigmoid
from hepclf.progress import advance, task

#: Parameters of every boosted-tree model (xgboost and hep_ml's uGB alike).
TREE_ENSEMBLE_CONSTRAINTS = {
    "n_estimators": [Interval(Integral, 1, None, closed="left")],
    "learning_rate": [Interval(Real, 0, None, closed="neither")],
    "max_depth": [Interval(Integral, 1, None, closed="left")],
    "subsample": [Interval(Real, 0, 1, closed="right")],
    "random_state": [Interval(Integral, 0, 2**31 - 1, closed="both"), None],
}
#: Where xgboost can train: the CPU, or an NVIDIA GPU with an xgboost built with CUDA.
DEVICES = ("cpu", "cuda")
#: Parameters of the xgboost tree booster on top of those.
XGBOOST_CONSTRAINTS = TREE_ENSEMBLE_CONSTRAINTS | {
    "colsample_bytree": [Interval(Real, 0, 1, closed="right")],
    "min_child_weight": [Interval(Real, 0, None, closed="left")],
    "reg_lambda": [Interval(Real, 0, None, closed="left")],
    "n_jobs": [Interval(Integral, 1, None, closed="left"), Options(Integral, {-1}), None],
    "device": [StrOptions(set(DEVICES))],
}


def xgboost_params(estimator) -> dict:
    """The xgboost tree-booster parameters of an estimator whose parameters are validated.

    ``learning_rate`` is xgboost's ``eta``, ``reg_lambda`` its ``lambda``; ``n_jobs`` None or -1
    uses every core; ``random_state`` None is seed 0 (xgboost is then still deterministic);
    ``device`` 'cuda' trains on the first visible NVIDIA GPU (``CUDA_VISIBLE_DEVICES`` picks it),
    which needs an xgboost built with CUDA (the ``xgboost`` wheels of Linux x86_64 and Windows).
    """
    n_jobs = estimator.n_jobs
    if estimator.device == "cuda" and not xgb.build_info().get("USE_CUDA", False):
        raise ValueError(
            "device='cuda' needs an xgboost built with CUDA, and this one is not (xgboost-cpu, or "
            "macOS): pip install xgboost on Linux x86_64 or Windows with an NVIDIA GPU, or pass "
            "device='cpu'"
        )
    return {
        "device": estimator.device,
        "eta": estimator.learning_rate,
        "max_depth": estimator.max_depth,
        "subsample": estimator.subsample,
        "colsample_bytree": estimator.colsample_bytree,
        "min_child_weight": estimator.min_child_weight,
        "lambda": estimator.reg_lambda,
        "tree_method": "hist",
        "nthread": 0 if n_jobs is None or n_jobs < 0 else int(n_jobs),
        "seed": 0 if estimator.random_state is None else int(estimator.random_state),
    }


class _CountRounds(xgb.callback.TrainingCallback):
    """Counts each boosting round in the running progress task (:mod:`hepclf.progress`)."""

    def after_iteration(self, model, epoch: int, evals_log) -> bool:
        advance()
        return False  # never stops the training


def train_booster(params: dict, dtrain: xgb.DMatrix, n_rounds: int, **options) -> xgb.Booster:
    """``xgboost.train`` with each round counted as progress ('boosting', ``n_rounds`` rounds)."""
    with task("boosting", total=n_rounds, unit="rounds"):
        return xgb.train(
            params, dtrain, num_boost_round=n_rounds, callbacks=[_CountRounds()], **options
        )


def signal_probability(booster: xgb.Booster, values: np.ndarray, n_rounds: int) -> np.ndarray:
    """Signal probability of each event from the first ``n_rounds`` trees of ``booster``: the
    sigmoid of the summed margins (boosters trained from ``base_score = 0`` or with a logistic
    objective alike)."""
    margin = booster.predict(xgb.DMatrix(values), output_margin=True, iteration_range=(0, n_rounds))
    return sigmoid(margin.astype(np.float64))
