"""Cross-validation for the Higgs ML challenge with correctly normalised AMS.

Each fold holds 1/K of the events, so its weights carry 1/K of the luminosity: scored as they are,
its AMS reads low by about sqrt(1/K). Every fold is therefore renormalised to the physics totals
before it is scored (the raw value is reported too, to show the difference).

The selection threshold of a fold is chosen on validation data only: on the out-of-fold scores of
the *other* folds (each predicted by a model that did not see it), never on the fold it is applied
to. The seed solutions' choices are available: the best cut, the mean of the top cuts (a smoother
choice), or a fixed selected fraction.
"""

from __future__ import annotations

import copy
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, clone
from sklearn.model_selection import StratifiedKFold

from hepclf._utils import (
    ArrayLike,
    as_binary_labels,
    as_one_dimensional,
    as_physics_weights,
    as_weights,
    check_both_classes,
    check_count,
    check_lengths,
    check_real,
)
from hepclf.metrics.ams import (
    AMSCurve,
    ams_curve_checked,
    check_scored_events,
    check_totals,
    selection_ams_checked,
)
from hepclf.progress import advance, task
from hepclf.schemas import HIGGS_TOTALS, ClassTotals

THRESHOLD_METHODS = ("best", "mean_top", "fraction")

__all__ = [
    "THRESHOLD_METHODS",
    "CrossValidationResult",
    "choose_cut",
    "cross_validate_ams",
    "out_of_fold_predictions",
]


@dataclass
class CrossValidationResult:
    """Out-of-fold predictions and the AMS of each fold and of all folds pooled.

    Attributes
    ----------
    oof_score : ndarray
        Signal probability of every event from the model that did not train on it.
    folds : DataFrame
        Per fold: events, the cut (chosen on the other folds), the renormalised AMS, the AMS with
        the raw weights, and the selected fraction.
    pooled_ams : float
        AMS of all events, each selected by its own fold's cut, weights renormalised once.
    threshold : str
        The threshold method used.
    cut : float
        The cut the same method chooses on all out-of-fold predictions: the one to apply to
        test events predicted by a model trained on all the events.
    curve : AMSCurve
        The AMS of every cut on the out-of-fold predictions (weights renormalised).

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the result is
        built by :func:`cross_validate_ams`).
    """

    oof_score: np.ndarray
    folds: pd.DataFrame
    pooled_ams: float
    threshold: str
    cut: float
    curve: AMSCurve

    def __str__(self) -> str:
        table = self.folds.to_string(index=False, float_format=lambda v: f"{v:.4f}")
        return (
            f"{table}\nmean fold AMS {self.folds['ams'].mean():.4f} "
            f"(+- {self.folds['ams'].std(ddof=1):.4f}); pooled AMS {self.pooled_ams:.4f}; "
            f"threshold method: {self.threshold}"
        )


def choose_cut(
    y: ArrayLike,
    score: ArrayLike,
    sample_weight: ArrayLike,
    method: str = "best",
    *,
    top: int = 10,
    fraction: float = 0.15,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
) -> float:
    """A selection cut ``score >= cut`` chosen on validation events.

    Parameters
    ----------
    y, score, sample_weight :
        Classes, classifier outputs and physics weights of the validation events.
    method : {'best', 'mean_top', 'fraction'}
        'best': the cut of highest AMS; 'mean_top': the mean of the ``top`` cuts with the highest
        AMS (less sensitive to fluctuations); 'fraction': select the ``fraction`` of events with
        the highest scores (the seed's "top 15 %").
    top, fraction :
        See ``method``.
    totals : (signal, background)
        The validation weights are renormalised to these before AMS is computed.

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``score`` or ``sample_weight`` is None or not
        numeric (boolean weights too); ``fraction`` is not a real number; ``totals`` is not a
        pair of numbers.
    ValueError
        ``method`` is not one of 'best', 'mean_top', 'fraction'; ``top`` is not a whole number
        >= 1; ``fraction`` is not strictly between 0 and 1; ``y`` is not 1-D, empty, holds labels
        other than 0/1 ('b'/'s') or a single class; ``score`` or ``sample_weight`` is not 1-D,
        empty, has NaN or infinities or a length other than that of ``y``; ``sample_weight`` is
        negative, all zero or sums to zero in a class; a total is not finite and positive.

    Examples
    --------
    >>> from hepclf.validation import choose_cut
    >>> choose_cut([0, 0, 1, 1], [0.1, 0.4, 0.35, 0.8], [1.0, 1.0, 1.0, 1.0])
    0.8
    """
    rule = _CutRule(method, top, fraction, "method")
    labels, values, weights = check_scored_events(y, score, sample_weight)
    return rule.choose(labels, values, weights, check_totals(totals))


@dataclass(frozen=True)
class _CutRule:
    """A checked way of choosing a cut (:func:`choose_cut`), applied to checked events."""

    method: str
    top: int
    fraction: float
    argument: str = "threshold"  # what the caller calls the method, for errors

    def __post_init__(self):
        if self.method not in THRESHOLD_METHODS:
            raise ValueError(
                f"{self.argument} must be one of {THRESHOLD_METHODS}, got {self.method!r}"
            )
        check_count(self.top, "top", 1)
        check_real(self.fraction, "fraction", minimum=0.0, maximum=1.0, open_minimum=True,
                   open_maximum=True)  # fmt: skip

    def choose(self, labels, values, weights, totals: ClassTotals) -> float:
        curve = (
            None
            if self.method == "fraction"
            else ams_curve_checked(labels, values, weights, totals)
        )
        return self.choose_on(values, curve)

    def choose_on(self, values, curve: AMSCurve | None) -> float:
        """The cut for scores ``values`` whose AMS curve is ``curve`` (unused by 'fraction')."""
        if self.method == "fraction":
            return float(np.quantile(values, 1 - self.fraction))
        if self.method == "best":
            return float(curve.cuts[np.argmax(curve.ams)])
        best = np.argsort(curve.ams)[::-1][: self.top]
        return float(np.mean(curve.cuts[best]))


def out_of_fold_predictions(
    estimator: BaseEstimator,
    X: pd.DataFrame | ArrayLike,
    y: ArrayLike,
    sample_weight: ArrayLike | None = None,
    *,
    n_splits: int = 5,
    random_state: int | None = 0,
) -> np.ndarray:
    """Signal probability of every event from a clone of ``estimator`` that did not train on it.

    The events are split into ``n_splits`` stratified folds; each fold is predicted by a clone
    fitted on the other folds with their physics weights. These are the honest predictions to
    choose a cut or a blend on: a model's predictions on its own training events are optimistic.

    Parameters
    ----------
    estimator : scikit-learn classifier
        Cloned for each fold; fitted with ``sample_weight``.
    X : DataFrame or array
        Features.
    y : array-like
        Classes (any two labels; the estimator's ``predict_proba[:, 1]`` is returned).
    sample_weight : array-like, optional
        Weights passed to ``fit``.
    n_splits : int
        Number of folds K.
    random_state : int or None
        Seed of the fold assignment.

    Raises
    ------
    TypeError
        ``estimator`` lacks ``get_params``, ``fit`` or ``predict_proba``; ``y`` is None; ``X``
        has no length; ``sample_weight`` is not numeric or holds booleans; ``random_state`` is
        neither an integer nor None.
    ValueError
        ``y`` is not 1-D, is empty, holds a single class, or has fewer events of a class than
        ``n_splits``; ``X`` or ``sample_weight`` has a length other than that of ``y``;
        ``sample_weight`` has NaN, infinities or negative values or is all zero; ``n_splits`` is
        not a whole number >= 2. Whatever the estimator's ``fit`` and ``predict_proba`` refuse is
        raised as they raise it.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> from hepclf.validation import out_of_fold_predictions
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 200)
    >>> oof = out_of_fold_predictions(LogisticRegression(), rng.normal(y, 1)[:, None], y)
    >>> oof.shape
    (200,)
    """
    check_estimator(estimator, "estimator")
    labels = as_one_dimensional(y, "y")
    check_lengths({"X": len(X)}, labels.size)
    weights = None if sample_weight is None else as_weights(sample_weight, "sample_weight", len(X))
    folds = _folds(labels, check_count(n_splits, "n_splits", 2), random_state)
    return _out_of_fold(estimator, X, labels, weights, folds)


def check_estimator(estimator: object, name: str) -> None:
    """Raise TypeError unless ``estimator`` is a scikit-learn classifier that can be cloned and
    gives probabilities (``get_params``, ``fit``, ``predict_proba``)."""
    needed = ("get_params", "fit", "predict_proba")
    lacking = [method for method in needed if not hasattr(estimator, method)]
    if lacking:
        raise TypeError(
            f"{name} must be a scikit-learn classifier with {', '.join(needed)}; "
            f"{estimator!r:.60} lacks {', '.join(lacking)}"
        )


def _folds(labels: np.ndarray, n_splits: int, random_state: int | None) -> list:
    """Stratified folds; every fold must hold events of both classes."""
    if random_state is not None and (
        isinstance(random_state, (bool, np.bool_))
        or not isinstance(random_state, (int, np.integer))
    ):
        raise TypeError(f"random_state must be an integer or None, got {random_state!r}")
    classes, counts = np.unique(labels, return_counts=True)
    classes = classes.tolist()  # plain Python labels for the messages
    if len(classes) < 2:
        raise ValueError(f"y contains a single class ({classes[0]!r}); both classes are needed")
    for label, count in zip(classes, counts, strict=True):
        if count < n_splits:
            raise ValueError(
                f"y has {count} events of class {label!r}, fewer than n_splits={n_splits} folds: "
                "some fold would hold no event of that class; use fewer folds or more events"
            )
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    return list(splitter.split(np.zeros(labels.size), labels))


def _row_taker(X) -> Callable[[np.ndarray], object]:
    """A function giving the events at some positions of ``X``, each call one copy.

    A DataFrame whose columns share one NumPy numeric dtype (the feature builders' output) gives
    frames with the same columns, index and attributes as ``X.iloc[rows]``, wrapping one
    C-contiguous array gathered from ``X``'s block: an estimator that converts them (scikit-learn's
    ``check_array``, ``to_numpy``) gets that array back without a copy and can hand it to xgboost
    as it is (``iloc`` would keep the block column-major, which xgboost reads more slowly).
    Other DataFrames are taken with ``iloc``, arrays by indexing.
    """
    if not isinstance(X, pd.DataFrame):
        return np.asarray(X).__getitem__
    dtypes = set(X.dtypes)
    dtype = dtypes.pop() if len(dtypes) == 1 else None
    if not (isinstance(dtype, np.dtype) and dtype.kind in "biuf"):
        return X.iloc.__getitem__
    values = X.to_numpy()  # the block itself, no copy

    def take(rows: np.ndarray) -> pd.DataFrame:
        part = pd.DataFrame(values[rows], index=X.index[rows], columns=X.columns, copy=False)
        part.attrs = copy.deepcopy(X.attrs)  # as iloc does
        return part

    return take


def _out_of_fold(estimator, X, labels, weights, folds) -> np.ndarray:
    """Out-of-fold signal probabilities of checked events over the given folds."""
    rows = _row_taker(X)
    oof = np.empty(labels.size)
    name = type(estimator).__name__
    with task(f"cross-validating {name}", total=len(folds), unit="folds"):
        for train, test in folds:
            fit_weights = {} if weights is None else {"sample_weight": weights[train]}
            model = clone(estimator).fit(rows(train), labels[train], **fit_weights)
            oof[test] = model.predict_proba(rows(test))[:, 1]
            advance()
    return oof


def cross_validate_ams(
    estimator: BaseEstimator,
    X: pd.DataFrame | ArrayLike,
    y: ArrayLike,
    sample_weight: ArrayLike,
    *,
    n_splits: int = 5,
    threshold: str = "best",
    top: int = 10,
    fraction: float = 0.15,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
    random_state: int | None = 0,
) -> CrossValidationResult:
    """K-fold cross-validated AMS with renormalised folds and thresholds chosen out of fold.

    Parameters
    ----------
    estimator : scikit-learn classifier
        Cloned and fitted on each training part with its physics weights.
    X : DataFrame or array
        Features.
    y : array-like of {0, 1} or {'b', 's'}
        Classes (1 / 's' = signal).
    sample_weight : array-like
        Physics weights of the events (for the Open Data file: Weight or KaggleWeight).
    n_splits : int
        Number of folds K (stratified by class).
    threshold, top, fraction :
        How each fold's cut is chosen on the other folds (see :func:`choose_cut`).
    totals : (signal, background)
        Physics totals every scored subset is renormalised to.
    random_state : int or None
        Seed of the fold assignment.

    Raises
    ------
    TypeError
        ``estimator`` lacks ``get_params``, ``fit`` or ``predict_proba``; ``y`` holds labels of a
        non-numeric kind; ``sample_weight`` is None, not numeric or boolean; ``X`` has no length;
        ``fraction`` is not a real number; ``totals`` is not a pair of numbers; ``random_state``
        is neither an integer nor None.
    ValueError
        ``y`` is not 1-D, is empty, holds labels other than 0/1 ('b'/'s') or a single class, or
        has fewer events of a class than ``n_splits``; ``X`` or ``sample_weight`` has a length
        other than that of ``y``; ``sample_weight`` has NaN, infinities or negative values or is
        all zero; ``threshold`` is not one of 'best', 'mean_top', 'fraction', ``top`` not a
        whole number >= 1, ``fraction`` not strictly between 0 and 1, ``n_splits`` not a whole
        number >= 2; a total is not finite and positive. Whatever the estimator's ``fit`` and
        ``predict_proba`` refuse is raised as they raise it.

    Examples
    --------
    >>> import numpy as np
    >>> from hepclf.models import XGBPhysicsClassifier
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 600)
    >>> X = rng.normal(y[:, None], 1.0, (600, 2))
    >>> result = cross_validate_ams(XGBPhysicsClassifier(n_estimators=10), X, y, np.ones(600),
    ...                             n_splits=3)
    >>> len(result.folds), result.pooled_ams > 0
    (3, True)
    """
    check_estimator(estimator, "estimator")
    labels = as_binary_labels(y, "y")
    weights = as_physics_weights(sample_weight, "sample_weight", labels.size)
    check_both_classes(labels)
    check_lengths({"X": len(X)}, labels.size)
    rule = _CutRule(threshold, top, fraction)
    totals = check_totals(totals)
    folds = _folds(labels, check_count(n_splits, "n_splits", 2), random_state)
    oof = _out_of_fold(estimator, X, labels, weights, folds)
    selected = np.zeros(labels.size, dtype=bool)
    records = []
    for k, (_, test) in enumerate(folds):
        others = np.setdiff1d(np.arange(labels.size), test, assume_unique=True)
        cut = rule.choose(labels[others], oof[others], weights[others], totals)
        chosen = oof[test] >= cut
        selected[test] = chosen
        records.append(
            {
                "fold": k,
                "events": test.size,
                "cut": cut,
                "ams": selection_ams_checked(labels[test], chosen, weights[test], totals),
                "ams_raw_weights": selection_ams_checked(labels[test], chosen, weights[test], None),
                "selected_fraction": float(chosen.mean()),
            }
        )
    pooled = selection_ams_checked(labels, selected, weights, totals)
    curve = ams_curve_checked(labels, oof, weights, totals)  # one sort serves the cut and the curve
    return CrossValidationResult(
        oof_score=oof,
        folds=pd.DataFrame(records),
        pooled_ams=pooled,
        threshold=threshold,
        cut=rule.choose_on(oof, curve),
        curve=curve,
    )
