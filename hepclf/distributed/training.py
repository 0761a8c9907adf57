"""Training xgboost on a Dask DataFrame (xgboost.dask) with the physics weights of hepclf.

The parameters come from an :class:`~hepclf.models.XGBPhysicsClassifier` (validated as its
``fit`` does). With ``balance_classes`` the weights are rescaled per class by
:func:`hepclf.models._base.balanced_weights` with the *global* class sums and event count, so
every partition is rescaled alike and the training weights are those of the in-memory fit.

Early stopping on a physics metric: the booster grows in blocks of ``evaluate_every`` rounds; after
each block the held-out events are scored and the metric computed exactly by
:mod:`hepclf.distributed.metrics` ('ams': the best-cut AMS with the held-out weights renormalised
to the HiggsML totals; 'truncated_auc'), or xgboost's own distributed log-loss; training stops when
``early_stopping_rounds`` rounds bring no improvement and predicts with the best block's rounds.
Predictions are the in-memory :func:`hepclf.models._xgboost.signal_probability` on each partition.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.base import clone

from hepclf._utils import check_count, check_finite_columns, check_frame, check_name
from hepclf.distributed.cluster import require_dask
from hepclf.distributed.metrics import (
    _add_pairs,
    _part_labels,
    _part_weights,
    _tree_reduce,
    best_cut_dask,
    class_sums,
    truncated_auc_dask,
)
from hepclf.models import XGBPhysicsClassifier
from hepclf.models._base import balanced_weights
from hepclf.models._xgboost import signal_probability, xgboost_params

__all__ = ["DaskBoostedModel", "fit_xgboost_dask", "fit_on_cluster"]

#: Early-stopping metrics computed on the held-out Dask events (higher is better).
_METRICS = {
    "ams": lambda frame, label, weight: (
        best_cut_dask(frame, label=label, score="score", weight=weight).ams
    ),
    "truncated_auc": lambda frame, label, weight: truncated_auc_dask(
        frame, label=label, score="score", weight=weight
    ),
}


@dataclass
class DaskBoostedModel:
    """An xgboost booster trained on a Dask DataFrame.

    Attributes
    ----------
    booster : xgboost.Booster
    best_iteration : int
        Rounds used for prediction.
    features : list of str
        The columns the booster reads, in order.
    validation_scores : list of (int, float)
        (rounds, metric of the held-out events) after each block; empty without early stopping.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the model is
        built by :func:`fit_xgboost_dask`).
    """

    booster: xgb.Booster
    best_iteration: int
    features: list[str]
    validation_scores: list[tuple[int, float]] = field(default_factory=list)

    def predict_signal(self, events: Any) -> Any:
        """Signal probability of every event of a Dask DataFrame, as a Dask Series ('score').

        Raises
        ------
        TypeError
            ``events`` is not a Dask DataFrame (a pandas frame: use :meth:`to_estimator`).
        ValueError
            ``events`` lacks a training feature; when computed, a feature that is not a number.
        """
        import dask.dataframe as dd

        if not isinstance(events, dd.DataFrame):
            raise TypeError(
                f"events must be a Dask DataFrame, got {type(events).__name__} (for a pandas "
                "frame, predict with model.to_estimator())"
            )
        missing = [name for name in self.features if name not in events.columns]
        if missing:
            raise ValueError(f"events lack the training feature(s): {', '.join(missing)}")
        booster, rounds = self.booster.copy(), self.best_iteration
        booster.feature_names = None  # columns by position, as the in-memory models predict

        def predict(part: pd.DataFrame) -> pd.Series:
            values = part.to_numpy(np.float64)
            score = signal_probability(booster, values, rounds) if len(part) else np.zeros(0)
            return pd.Series(score, index=part.index, name="score")

        return events[self.features].map_partitions(predict, meta=("score", np.float64))

    def to_estimator(
        self, estimator: XGBPhysicsClassifier, classes: Sequence = (0, 1)
    ) -> XGBPhysicsClassifier:
        """A copy of ``estimator`` (the one whose parameters trained this booster) fitted with
        it: an in-memory model (``predict_proba``, pickling, feature importances) of the same
        predictions; ``classes`` are the (background, signal) labels.

        Raises
        ------
        TypeError
            ``estimator`` is not a scikit-learn estimator (it cannot be cloned).
        """
        fitted = clone(estimator)
        booster = self.booster.copy()
        booster.feature_names = None  # columns by position, as XGBPhysicsClassifier trains
        fitted.booster_, fitted.best_iteration_ = booster, self.best_iteration
        fitted.classes_ = np.asarray(classes)
        fitted.feature_names_in_ = np.asarray(self.features, dtype=object)
        fitted.n_features_in_ = len(self.features)
        fitted.validation_scores_ = [value for _, value in self.validation_scores]
        return fitted


def _part_summary(part: pd.DataFrame, features, label, weight, name, number) -> np.ndarray:
    """Events and weight sum of each class of one partition, (background, signal) x 2, after
    the checks of an in-memory fit: labels 0/1 ('b'/'s'), numeric features (NaN allowed, not
    infinities), finite non-negative weights. Each message names the column, the partition and
    the first bad row."""
    if len(part) == 0:
        return np.zeros(4)
    where = f"{name} (partition {number})"
    labels = _part_labels(part, label, number)
    check_frame(part, where, features)
    values = part[features].to_numpy(np.float64)
    check_finite_columns(values, features, part.index, where, allow_nan=True)
    weights = _part_weights(part, weight, number, allow_negative=False)
    return np.concatenate([np.bincount(labels, minlength=2), np.bincount(labels, weights, 2)])


def _check_events(events: Any, features, label, weight, name: str) -> tuple[float, float]:
    """Check every partition of ``events`` (one pass, before xgboost.dask sees them, which would
    report a failed partition as a bare AssertionError); returns the (background, signal) weight
    sums."""
    from dask import compute, delayed

    parts = events[[*features, label, weight]].to_delayed()
    summary = compute(
        _tree_reduce(
            [
                delayed(_part_summary)(part, features, label, weight, name, k)
                for k, part in enumerate(parts)
            ],
            _add_pairs,
        )
    )[0]
    counts, sums = summary[:2], summary[2:]
    if counts.sum() == 0:
        raise ValueError(f"{name} has no events")
    for cls, kind in enumerate(("background", "signal")):
        if counts[cls] == 0:
            raise ValueError(
                f"{name}: y contains a single class ({1 - cls}) in column {label!r}; both 0 and "
                "1 are needed"
            )
        if not sums[cls] > 0:
            raise ValueError(
                f"{name}: sample_weight of the {kind} events sum to 0 (column {weight!r})"
            )
    return float(sums[0]), float(sums[1])


def _target(events: Any, label: str) -> Any:
    def target(values: pd.Series) -> pd.Series:
        if len(values) == 0:
            return pd.Series(np.zeros(0), index=values.index, name=label)
        return pd.Series(
            _part_labels(values.to_frame(), label).astype(np.float64), index=values.index
        )

    return events[label].map_partitions(target, meta=(label, np.float64))


def _training_weights(
    events: Any, label: str, weight: str, balance: bool, sums: tuple[float, float] | None = None
) -> Any:
    """Physics weights, balanced per class with the global (background, signal) ``sums``
    (default: :func:`class_sums`) when ``balance``."""
    if not balance:
        return events[weight].astype(np.float64)
    if sums is None:
        found = class_sums(events, label=label, weight=weight)
        sums = (found.background, found.signal)
    background_and_signal = sums
    for name, total in zip(("background", "signal"), background_and_signal, strict=True):
        if not total > 0:
            raise ValueError(f"weight: the {name} events' weights sum to {total}")
    n_events = int(events.shape[0].compute())

    def balance_part(part: pd.DataFrame) -> pd.Series:
        if len(part) == 0:
            return pd.Series(np.zeros(0), index=part.index, name=weight)
        target = _part_labels(part, label).astype(np.float64)
        values = part[weight].to_numpy(np.float64)
        return pd.Series(
            balanced_weights(target, values, background_and_signal, n_events), index=part.index
        )

    return events.map_partitions(balance_part, meta=(weight, np.float64))


def _xgboost_dask():
    """xgboost's Dask module (imported when used: dask is an optional extra)."""
    require_dask()
    from xgboost import dask as xgboost_dask

    return xgboost_dask


def _matrix(client, events, features, label, weight, balance, name="events"):
    """The DaskDMatrix of ``events``, every partition checked first (:func:`_check_events`)."""
    sums = _check_events(events, features, label, weight, name)
    return _xgboost_dask().DaskDMatrix(
        client,
        events[features].astype(np.float64),
        _target(events, label),
        weight=_training_weights(events, label, weight, balance, sums),
    )


def _check_columns(frame: Any, features: list[str], label: str, weight: str, name: str) -> None:
    missing = [column for column in (*features, label, weight) if column not in frame.columns]
    if missing:
        raise ValueError(f"{name} lacks the column(s): {', '.join(map(str, missing))}")


def fit_xgboost_dask(
    client: Any,
    events: Any,
    *,
    features: Sequence[str],
    label: str,
    weight: str,
    estimator: XGBPhysicsClassifier | None = None,
    validation: Any | None = None,
    evaluate_every: int = 10,
) -> DaskBoostedModel:
    """Train xgboost with ``xgboost.dask`` on the events of a Dask DataFrame.

    Parameters
    ----------
    client : distributed.Client
    events : dask DataFrame
        One row per event: the ``features`` columns, ``label`` (0/1 or 's'/'b'), ``weight``.
    estimator : XGBPhysicsClassifier, optional
        Its parameters (rounds, eta, depth, ..., ``balance_classes``, ``early_stopping_rounds``,
        ``early_stopping_metric`` 'logloss', 'ams' or 'truncated_auc', ``validation_fraction``,
        ``random_state``); default ``XGBPhysicsClassifier()``.
    validation : dask DataFrame, optional
        Held-out events for early stopping; default a random ``validation_fraction`` of
        ``events`` (seeded by ``random_state``).
    evaluate_every : int
        Rounds per block between two evaluations of a physics metric.

    Raises
    ------
    ImportError
        dask or xgboost's Dask support is not installed.
    sklearn.utils._param_validation.InvalidParameterError
        A parameter of ``estimator`` is of the wrong type or outside its range.
    ValueError
        ``evaluate_every`` is not an integer >= 1; ``features`` is empty; ``events`` or
        ``validation`` lacks a ``features``, ``label`` or ``weight`` column;
        ``early_stopping_metric`` is not 'logloss', 'ams' or 'truncated_auc'; ``device='cuda'``
        with an xgboost built without CUDA. Checked in one pass over every partition of
        ``events`` and ``validation`` before xgboost.dask sees them (the message names the
        column, the partition and the first bad row): a label not 0/1 ('b'/'s'), an infinite
        feature, a NaN, infinite or negative weight; then no events, a single class, a class
        whose weights sum to zero. A partition without rows is skipped. With 'ams' or
        'truncated_auc': the held-out events cannot be scored (see :func:`best_cut_dask`,
        :func:`truncated_auc_dask`).
    TypeError
        ``events`` or ``validation`` is not a Dask DataFrame; ``features`` is not a list of
        column names, ``label`` or ``weight`` not a string; the ``label`` column holds labels of a
        non-numeric kind; a feature or the weight column is not numeric (checked in the same
        pass).
    """
    require_dask()
    import dask.dataframe as dd

    estimator = XGBPhysicsClassifier() if estimator is None else estimator
    estimator._validate_params()
    check_count(evaluate_every, "evaluate_every", 1)
    if isinstance(features, str) or features is None:
        raise TypeError(f"features must be a list of column names, got {features!r}")
    features = list(features)
    if not features:
        raise ValueError("features must name at least one column")
    check_name(label, "label")
    check_name(weight, "weight")
    for name, frame in (("events", events), ("validation", validation)):
        if frame is not None and not isinstance(frame, dd.DataFrame):
            raise TypeError(f"{name} must be a Dask DataFrame, got {type(frame).__name__}")
    _check_columns(events, features, label, weight, "events")
    if validation is not None:
        _check_columns(validation, features, label, weight, "validation")
    metric = estimator.early_stopping_metric
    if metric not in ("logloss", *_METRICS):
        raise ValueError(
            f"early_stopping_metric must be one of {['logloss', *_METRICS]}, got {metric!r}"
        )
    params = xgboost_params(estimator) | {"objective": "binary:logistic", "eval_metric": "logloss"}
    balance = estimator.balance_classes
    if estimator.early_stopping_rounds is None:
        dtrain = _matrix(client, events, features, label, weight, balance)
        result = _xgboost_dask().train(
            client, params, dtrain, estimator.n_estimators, verbose_eval=False
        )
        return DaskBoostedModel(result["booster"], estimator.n_estimators, features)
    if validation is None:
        fraction = estimator.validation_fraction
        seed = 0 if estimator.random_state is None else estimator.random_state
        events, validation = events.random_split([1 - fraction, fraction], random_state=seed)
    dtrain = _matrix(client, events, features, label, weight, balance)
    if metric == "logloss":
        dvalid = _matrix(client, validation, features, label, weight, balance, "validation")
        result = _xgboost_dask().train(
            client, params, dtrain, estimator.n_estimators, evals=[(dvalid, "valid")],
            early_stopping_rounds=estimator.early_stopping_rounds, verbose_eval=False,
        )  # fmt: skip
        booster = result["booster"]
        scores = list(enumerate(result["history"]["valid"]["logloss"], start=1))
        return DaskBoostedModel(booster, int(booster.best_iteration) + 1, features, scores)
    _check_events(validation, features, label, weight, "validation")
    return _fit_in_blocks(
        client, params, dtrain, validation, features, label, weight, estimator, evaluate_every
    )


def _fit_in_blocks(
    client, params, dtrain, validation, features, label, weight, estimator, evaluate_every
) -> DaskBoostedModel:
    """Grow the booster block by block, scoring the held-out events after each (see above)."""
    booster, rounds, scores = None, 0, []
    best_rounds, best_value = 0, -np.inf
    held_out = validation[[label, weight]]
    while rounds < estimator.n_estimators:
        block = min(evaluate_every, estimator.n_estimators - rounds)
        result = _xgboost_dask().train(
            client, params, dtrain, block, xgb_model=booster, verbose_eval=False
        )
        booster, rounds = result["booster"], rounds + block
        model = DaskBoostedModel(booster, rounds, features)
        scored = held_out.assign(score=model.predict_signal(validation))
        value = float(_METRICS[estimator.early_stopping_metric](scored, label, weight))
        scores.append((rounds, value))
        if value > best_value:
            best_rounds, best_value = rounds, value
        elif rounds - best_rounds >= estimator.early_stopping_rounds:
            break
    return DaskBoostedModel(booster, best_rounds, features, scores)


def fit_on_cluster(
    client: Any,
    estimator: XGBPhysicsClassifier,
    X: pd.DataFrame,
    y: Any,
    sample_weight: Any,
    *,
    npartitions: int | None = None,
) -> XGBPhysicsClassifier:
    """``estimator.fit(X, y, sample_weight)`` done by xgboost.dask on the cluster of ``client``:
    the events are split into ``npartitions`` (default: two per worker) and the fitted estimator
    (:meth:`DaskBoostedModel.to_estimator`) is returned; ``estimator`` is not modified.

    ``X``, ``y`` and ``sample_weight`` are checked as the in-memory ``fit`` checks them (None:
    unit weights) before anything is sent to the cluster.

    Raises
    ------
    ImportError
        dask or xgboost's Dask support is not installed.
    TypeError
        ``X`` is not a pandas DataFrame; as the in-memory ``fit`` (a column of ``X`` not numeric,
        ``sample_weight`` not numeric or boolean).
    sklearn.utils._param_validation.InvalidParameterError
        A parameter of ``estimator`` is of the wrong type or outside its range.
    ValueError
        A column of ``X`` is named ``_label`` or ``_weight`` (the names the labels and weights
        travel under); ``npartitions`` is not None or an integer >= 1; as the in-memory ``fit``:
        ``y`` does not hold exactly two classes, ``y`` or ``sample_weight`` has a length other
        than that of ``X``, an infinity in ``X``, a NaN, infinite or negative weight, the
        weights of a class sum to 0; as :func:`fit_xgboost_dask` (the early stopping metric,
        ``device``).
    """
    require_dask()
    import dask.dataframe as dd

    if not isinstance(X, pd.DataFrame):
        raise TypeError(f"X must be a pandas DataFrame, got {type(X).__name__}")
    taken = [name for name in ("_label", "_weight") if name in X.columns]
    if taken:
        raise ValueError(
            f"X: column {', '.join(taken)} is reserved (fit_on_cluster sends the labels and "
            "weights under these names); rename it"
        )
    if npartitions is not None:
        check_count(npartitions, "npartitions", 1)
    checker = clone(estimator)  # the in-memory fit's checks of X, y and sample_weight
    frame, target, weights = checker._validate_fit(X, y, sample_weight)
    frame.columns = list(X.columns)
    events = frame.assign(_label=target.astype(np.int8), _weight=weights)
    parts = npartitions or 2 * max(1, len(client.scheduler_info()["workers"]))
    table = dd.from_pandas(events.reset_index(drop=True), npartitions=parts)
    model = fit_xgboost_dask(
        client, table, features=list(X.columns), label="_label", weight="_weight",
        estimator=estimator,
    )  # fmt: skip
    return model.to_estimator(estimator, checker.classes_)
