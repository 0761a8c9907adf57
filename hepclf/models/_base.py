"""What every hepclf classifier shares: input checks, label encoding, column selection, tags.

Inputs follow scikit-learn: ``X`` is a DataFrame (columns by name) or a 2-D array (columns by
position, named ``x0, x1, ...`` inside), ``y`` holds two classes (the larger one is the signal, so
0/1 and 'b'/'s' both work), ``sample_weight`` holds physics weights (non-negative). NaN in ``X`` is
allowed (xgboost treats it as missing), infinities are not.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.utils.validation import check_array, check_is_fitted

from hepclf._utils import as_weights, check_lengths


def _column_names(X) -> tuple[pd.DataFrame, bool]:
    """X as a float DataFrame, and whether the user gave names (a DataFrame with string columns)."""
    if isinstance(X, pd.DataFrame):
        named = all(isinstance(column, str) for column in X.columns)
        non_numeric = [str(c) for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        if non_numeric:
            raise ValueError(f"X has non-numeric column(s): {', '.join(non_numeric)}")
        array = check_array(
            X.to_numpy(np.float64), ensure_all_finite="allow-nan", input_name="X", dtype=np.float64
        )
        columns = [str(c) for c in X.columns] if named else [f"x{i}" for i in range(X.shape[1])]
        return pd.DataFrame(array, columns=columns, index=X.index), named
    array = check_array(X, ensure_all_finite="allow-nan", input_name="X", dtype=np.float64)
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])]), False


def resolve_columns(spec: Sequence | None, columns: list[str], name: str) -> list[str]:
    """Column names from a list of names or positions; errors name the argument and the columns."""
    if spec is None:
        return []
    if isinstance(spec, (str, int, np.integer)):
        spec = [spec]
    resolved = []
    for item in spec:
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            if not 0 <= item < len(columns):
                raise ValueError(f"{name}: column position {item} is outside 0..{len(columns) - 1}")
            resolved.append(columns[item])
        elif isinstance(item, str):
            if item not in columns:
                raise ValueError(f"{name}: column {item!r} is not in X")
            resolved.append(item)
        else:
            raise TypeError(f"{name} must list column names or positions, got {item!r}")
    return resolved


class PhysicsClassifierBase(ClassifierMixin, BaseEstimator):
    """Shared fit/predict plumbing; subclasses implement ``_fit`` and ``_decision``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.classifier_tags.multi_class = False
        return tags

    def _validate_fit(self, X, y, sample_weight):
        frame, named = _column_names(X)
        labels = np.asarray(y)
        if labels.ndim != 1:
            raise ValueError(f"y must be 1-D, got shape {labels.shape}")
        check_lengths({"y": labels.size}, len(frame))
        if pd.isna(labels).any():
            raise ValueError("y has missing labels")
        classes = np.unique(labels)
        if classes.size != 2:
            raise ValueError(
                f"y must hold exactly two classes (background, signal), found {classes.size}: "
                f"{classes[:5].tolist()}; only binary classification is supported"
            )
        self.classes_ = classes
        self.n_features_in_ = frame.shape[1]
        if named:
            self.feature_names_in_ = np.asarray(frame.columns, dtype=object)
        elif hasattr(self, "feature_names_in_"):
            del self.feature_names_in_
        weights = as_weights(sample_weight, "sample_weight", len(frame))
        target = (labels == classes[1]).astype(np.float64)
        for value in (0.0, 1.0):
            if not weights[target == value].sum() > 0:
                raise ValueError(f"sample_weight of class {classes[int(value)]!r} sum to 0")
        return frame, target, weights

    def _validate_predict(self, X) -> pd.DataFrame:
        check_is_fitted(self, "classes_")
        frame, named = _column_names(X)
        if frame.shape[1] != self.n_features_in_:
            raise ValueError(
                f"X has {frame.shape[1]} features, but {type(self).__name__} was fitted with "
                f"{self.n_features_in_}"
            )
        if hasattr(self, "feature_names_in_") and named:
            expected = list(self.feature_names_in_)
            if list(frame.columns) != expected:
                missing = [c for c in expected if c not in frame.columns]
                raise ValueError(
                    f"X columns differ from those seen in fit (missing: {missing or 'none'})"
                )
        elif hasattr(self, "feature_names_in_"):
            frame.columns = list(self.feature_names_in_)
        return frame

    def _class_index(self, label) -> int:
        """0 or 1: the internal index of a label given in the user's class values."""
        matches = np.flatnonzero(self.classes_ == label)
        if matches.size != 1:
            raise ValueError(
                f"uniform_label {label!r} is not one of the classes {self.classes_.tolist()}"
            )
        return int(matches[0])

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of (background, signal) for each event, shape (n_events, 2)."""
        frame = self._validate_predict(X)
        signal = self._signal_probability(frame)
        return np.column_stack([1.0 - signal, signal])

    def predict(self, X) -> np.ndarray:
        """The more probable class of each event."""
        return self.classes_[(self.predict_proba(X)[:, 1] > 0.5).astype(int)]


def balanced_weights(target: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Weights rescaled so each class sums to half the number of events (mean weight 1).

    Physics weights differ by orders of magnitude between signal and background; training on them
    as given would ignore the signal. The relative weights within each class are kept.
    """
    out = np.empty_like(weights)
    for value in (0.0, 1.0):
        mask = target == value
        out[mask] = weights[mask] / weights[mask].sum() * (0.5 * weights.size)
    return out


def check_parameter(
    name: str,
    value,
    low: float,
    high: float | None = None,
    *,
    integer: bool = False,
    open_low: bool = False,
) -> None:
    """Raise ValueError unless ``value`` is a finite number in [low, high] (or (low, high])."""
    if integer and (isinstance(value, bool) or not isinstance(value, (int, np.integer))):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    too_low = value <= low if open_low else value < low
    if not np.isfinite(value) or too_low or (high is not None and value > high):
        bracket = "(" if open_low else "["
        upper = "inf)" if high is None else f"{high}]"
        raise ValueError(f"{name} must be in {bracket}{low}, {upper}, got {value!r}")
