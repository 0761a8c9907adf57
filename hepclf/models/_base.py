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
from sklearn.utils.multiclass import check_classification_targets, type_of_target
from sklearn.utils.validation import check_array, check_is_fitted, validate_data

from hepclf._utils import as_weights


def _check_numeric(X) -> None:
    if isinstance(X, pd.DataFrame):
        non_numeric = [str(c) for c in X.columns if not pd.api.types.is_numeric_dtype(X[c])]
        if non_numeric:
            raise ValueError(f"X has non-numeric column(s): {', '.join(non_numeric)}")


def as_feature_frame(X) -> pd.DataFrame:
    """X as a float DataFrame without fit bookkeeping (names kept, or ``x0, x1, ...``)."""
    _check_numeric(X)
    array = check_array(X, ensure_all_finite="allow-nan", input_name="X", dtype=np.float64)
    if isinstance(X, pd.DataFrame) and all(isinstance(c, str) for c in X.columns):
        return pd.DataFrame(array, columns=list(X.columns), index=X.index)
    return pd.DataFrame(array, columns=[f"x{i}" for i in range(array.shape[1])])


def column_values(frame: pd.DataFrame, columns: Sequence[str]) -> np.ndarray:
    """The values of ``columns`` of a checked frame as one C-contiguous float64 array, copied once
    from the frame's block (``frame[columns].to_numpy()`` copies twice, the second time into the
    column-major order xgboost then copies again); no copy at all when ``columns`` are all of them.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"a": [1.0, 2.0], "b": [3.0, 4.0], "c": [5.0, 6.0]})
    >>> column_values(frame, ["a", "c"]).tolist()
    [[1.0, 5.0], [2.0, 6.0]]
    """
    values = frame.to_numpy(dtype=np.float64)
    if list(columns) == list(frame.columns):
        return np.ascontiguousarray(values)
    return np.take(values, frame.columns.get_indexer(list(columns)), axis=1)


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
    """Shared fit/predict plumbing; subclasses implement ``fit`` (starting with
    ``_validate_fit``) and ``_signal_probability``."""

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = True
        tags.classifier_tags.multi_class = False
        return tags

    def _checked_frame(self, X, reset: bool, y=None):
        """X checked by scikit-learn (shape, finiteness, names seen in fit) as a DataFrame, and y
        (1-D) when given."""
        _check_numeric(X)
        options = dict(reset=reset, ensure_all_finite="allow-nan", dtype=np.float64)
        if y is None and reset:
            raise ValueError(
                f"{type(self).__name__} requires y to be passed, but the target y is None"
            )
        if reset:
            array, y = validate_data(self, X, y, **options)
        else:
            array = validate_data(self, X, **options)
        if hasattr(self, "feature_names_in_"):
            columns = [str(c) for c in self.feature_names_in_]
        else:
            columns = [f"x{i}" for i in range(array.shape[1])]
        index = X.index if isinstance(X, pd.DataFrame) else None
        # wraps the checked array without copying it (one block): frame.to_numpy() gives it back
        return pd.DataFrame(array, columns=columns, index=index, copy=False), y

    def _validate_fit(self, X, y, sample_weight):
        """Every check of a fit, once: the parameters (``_parameter_constraints``), X, y and the
        physics weights. Returns the events as a DataFrame, the target (1.0 = signal) and the
        weights."""
        self._validate_params()
        frame, labels = self._checked_frame(X, reset=True, y=y)
        check_classification_targets(labels)
        kind = type_of_target(labels, input_name="y")
        if kind != "binary":
            raise ValueError(
                "Only binary classification is supported (background and signal). The type of "
                f"the target is {kind}."
            )
        classes = np.unique(labels)
        if classes.size != 2:
            raise ValueError(
                f"y holds one class only ({classes.tolist()}); background and signal are needed"
            )
        self.classes_ = classes
        weights = as_weights(sample_weight, "sample_weight", len(frame))
        target = (labels == classes[1]).astype(np.float64)
        for value in (0.0, 1.0):
            if not weights[target == value].sum() > 0:
                label = classes[int(value)]
                label = label.item() if isinstance(label, np.generic) else label
                raise ValueError(f"sample_weight of class {label!r} sum to 0")
        return frame, target, weights

    def _validate_predict(self, X) -> pd.DataFrame:
        check_is_fitted(self, "classes_")
        return self._checked_frame(X, reset=False)[0]

    def _class_index(self, label) -> int:
        """0 (background) or 1 (signal) for a label given as a class value, or as 0 / 1 meaning
        background / signal when the classes are named otherwise (e.g. 'b' / 's')."""
        matches = np.flatnonzero(self.classes_ == label)
        if matches.size == 1:
            return int(matches[0])
        if not isinstance(label, bool) and label in (0, 1):
            return int(label)
        raise ValueError(
            f"uniform_label {label!r} is not one of the classes {self.classes_.tolist()} "
            "(nor 0 / 1 for background / signal)"
        )

    def predict_proba(self, X) -> np.ndarray:
        """Probabilities of (background, signal) for each event, shape (n_events, 2)."""
        frame = self._validate_predict(X)
        signal = self._signal_probability(frame)
        return np.column_stack([1.0 - signal, signal])

    def predict(self, X) -> np.ndarray:
        """The more probable class of each event."""
        signal = self.predict_proba(X)[:, 1] > 0.5
        return self.classes_[signal.astype(int)]


def balanced_weights(
    target: np.ndarray,
    weights: np.ndarray,
    class_sums: tuple[float, float] | None = None,
    n_events: int | None = None,
) -> np.ndarray:
    """Weights rescaled so each class sums to half the number of events (mean weight 1).

    Physics weights differ by orders of magnitude between signal and background; training on them
    as given would ignore the signal. The relative weights within each class are kept.
    ``class_sums`` (background, signal) and ``n_events``, when given, are those of all the
    events of which these are a part (a partition of a Dask DataFrame), so that every part is
    rescaled alike; by default they are those of ``weights``.
    """
    n_events = weights.size if n_events is None else n_events
    out = np.empty_like(weights)
    for value in (0.0, 1.0):
        mask = target == value
        total = weights[mask].sum() if class_sums is None else class_sums[int(value)]
        out[mask] = weights[mask] / total * (0.5 * n_events)
    return out
