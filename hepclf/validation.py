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

from dataclasses import dataclass

import numpy as np
import pandas as pd
from sklearn.base import clone
from sklearn.model_selection import StratifiedKFold

from hepclf._utils import (
    as_binary_labels,
    as_physics_weights,
    check_both_classes,
    check_lengths,
)
from hepclf.metrics.ams import HIGGS_TOTALS, ClassTotals, ams_curve, selection_ams

THRESHOLD_METHODS = ("best", "mean_top", "fraction")


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
    """

    oof_score: np.ndarray
    folds: pd.DataFrame
    pooled_ams: float
    threshold: str

    def __str__(self) -> str:
        table = self.folds.to_string(index=False, float_format=lambda v: f"{v:.4f}")
        return (
            f"{table}\nmean fold AMS {self.folds['ams'].mean():.4f} "
            f"(+- {self.folds['ams'].std(ddof=1):.4f}); pooled AMS {self.pooled_ams:.4f}; "
            f"threshold method: {self.threshold}"
        )


def choose_cut(
    y,
    score,
    sample_weight,
    method: str = "best",
    *,
    top: int = 10,
    fraction: float = 0.15,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
) -> float:
    """A selection cut ``score >= cut`` chosen on validation events.

    Parameters
    ----------
    method : {'best', 'mean_top', 'fraction'}
        'best': the cut of highest AMS; 'mean_top': the mean of the ``top`` cuts with the highest
        AMS (less sensitive to fluctuations); 'fraction': select the ``fraction`` of events with
        the highest scores (the seed's "top 15 %").
    """
    if method not in THRESHOLD_METHODS:
        raise ValueError(f"threshold must be one of {THRESHOLD_METHODS}, got {method!r}")
    values = np.asarray(score, dtype=np.float64)
    if method == "fraction":
        if not 0 < fraction < 1:
            raise ValueError(f"fraction must be in (0, 1), got {fraction}")
        return float(np.quantile(values, 1 - fraction))
    curve = ams_curve(y, values, sample_weight, totals)
    if method == "best":
        return float(curve.cuts[np.argmax(curve.ams)])
    if isinstance(top, bool) or not isinstance(top, (int, np.integer)) or top < 1:
        raise ValueError(f"top must be a positive integer, got {top!r}")
    best = np.argsort(curve.ams)[::-1][:top]
    return float(np.mean(curve.cuts[best]))


def cross_validate_ams(
    estimator,
    X,
    y,
    sample_weight,
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
    """
    labels = as_binary_labels(y, "y")
    weights = as_physics_weights(sample_weight, "sample_weight", labels.size)
    check_lengths({"X": len(X)}, labels.size)
    check_both_classes(labels)
    if threshold not in THRESHOLD_METHODS:
        raise ValueError(f"threshold must be one of {THRESHOLD_METHODS}, got {threshold!r}")
    if isinstance(n_splits, bool) or not isinstance(n_splits, (int, np.integer)) or n_splits < 2:
        raise ValueError(f"n_splits must be an integer >= 2, got {n_splits!r}")
    splitter = StratifiedKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    rows = X.iloc if isinstance(X, pd.DataFrame) else np.asarray(X)
    oof = np.empty(labels.size)
    folds = list(splitter.split(np.zeros(labels.size), labels))
    for train, test in folds:
        model = clone(estimator).fit(rows[train], labels[train], sample_weight=weights[train])
        oof[test] = model.predict_proba(rows[test])[:, 1]
    selected = np.zeros(labels.size, dtype=bool)
    records = []
    for k, (_, test) in enumerate(folds):
        others = np.setdiff1d(np.arange(labels.size), test, assume_unique=True)
        cut = choose_cut(
            labels[others], oof[others], weights[others], threshold,
            top=top, fraction=fraction, totals=totals,
        )  # fmt: skip
        chosen = oof[test] >= cut
        selected[test] = chosen
        records.append(
            {
                "fold": k,
                "events": test.size,
                "cut": cut,
                "ams": selection_ams(labels[test], chosen, weights[test], totals),
                "ams_raw_weights": selection_ams(labels[test], chosen, weights[test], None),
                "selected_fraction": float(chosen.mean()),
            }
        )
    pooled = selection_ams(labels, selected, weights, totals)
    return CrossValidationResult(oof, pd.DataFrame(records), pooled, threshold)
