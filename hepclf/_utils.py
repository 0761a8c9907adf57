"""Input validation shared by every stage of hepclf.

Every public function turns what the user gave into clean ``float64`` / ``int8`` arrays through the
helpers here, so that a bad input fails early with a message that names the argument and says what
was wrong, and no metric is ever computed from NaN, infinities, mismatched lengths or impossible
weights.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

ArrayLike = npt.ArrayLike
FloatArray = npt.NDArray[np.float64]

#: Label spellings accepted as a binary class: numbers 0/1, booleans, and the HiggsML 's'/'b'.
_STRING_LABELS = {"s": 1, "b": 0}


def as_numeric_array(values: ArrayLike, name: str) -> FloatArray:
    """Return ``values`` (any shape, a scalar included) as a float64 array, or raise TypeError.

    Numbers of any numeric dtype are accepted, and numbers written as strings or objects; words,
    None and other types are a TypeError naming ``name``. Nothing about the values is checked.
    """
    if values is None:
        raise TypeError(f"{name} is required, got None")
    try:
        array = np.asarray(values)
    except Exception as error:  # pragma: no cover - numpy's own message is kept
        raise TypeError(f"{name} could not be read as an array: {error}") from error
    if array.dtype == object or array.dtype.kind in "USV":
        try:
            array = array.astype(np.float64)
        except (TypeError, ValueError) as error:
            raise TypeError(f"{name} must be numeric, got values of type {array.dtype}") from error
    if array.dtype.kind not in "biuf":
        raise TypeError(f"{name} must be numeric, got dtype {array.dtype}")
    return np.asarray(array, dtype=np.float64)


def check_finite(array: FloatArray, name: str, *, allow_nan: bool = False) -> None:
    """Raise ValueError naming ``name`` and the first bad index (in C order) unless every value
    of ``array`` is finite (NaN is accepted when ``allow_nan``; infinities never are)."""
    if not allow_nan:
        with np.errstate(over="ignore", invalid="ignore"):
            total = np.add.reduce(array, axis=None)
        if np.isfinite(total):
            return  # a sum is finite only if every term is (one that overflows is looked at below)
    bad = np.isinf(array) if allow_nan else ~np.isfinite(array)
    if bad.any():
        what = "infinite" if allow_nan else "NaN or infinite"
        first = int(np.flatnonzero(bad)[0])
        where = first if array.ndim <= 1 else tuple(map(int, np.unravel_index(first, array.shape)))
        raise ValueError(
            f"{name} has {int(bad.sum())} {what} value(s) (first at index {where}: "
            f"{array.ravel()[first]})"
        )


def as_float_array(values: ArrayLike, name: str, *, allow_nan: bool = False) -> FloatArray:
    """Return ``values`` as a non-empty 1-D float64 array, rejecting NaN and infinities.

    Parameters
    ----------
    values : array-like
        Anything numpy can turn into a 1-D numeric array (list, ndarray, pandas Series; a
        Series is taken by position, never aligned by its index).
    name : str
        The argument name, used in error messages.
    allow_nan : bool
        Accept NaN (never infinities). Only feature kernels use this: metrics never do.

    Raises
    ------
    TypeError
        ``values`` is None, or not numeric (words, objects).
    ValueError
        ``values`` is a scalar, not 1-D, empty, or holds NaN or infinities (the message gives
        the count and the first index).

    Examples
    --------
    >>> as_float_array([1, 2.5], "score")
    array([1. , 2.5])
    """
    array = as_numeric_array(values, name)
    if array.ndim == 0:
        raise ValueError(f"{name} must be a 1-D array, got a scalar")
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    check_finite(array, name, allow_nan=allow_nan)
    return array


def as_one_dimensional(values: ArrayLike, name: str) -> np.ndarray:
    """Return ``values`` as a non-empty 1-D array of any dtype (a mask, a column of set codes),
    raising ValueError naming ``name`` otherwise."""
    if values is None:
        raise TypeError(f"{name} is required, got None")
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    return array


def check_real(
    value: object,
    name: str,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    open_minimum: bool = False,
    open_maximum: bool = False,
) -> float:
    """Return ``value`` as a float, raising unless it is a finite real number in the range.

    Python and NumPy integers and floats are accepted; booleans, strings and None are a
    TypeError (a number given as anything else is a mistake in the calling code), NaN,
    infinities and values outside ``[minimum, maximum]`` (open ends when asked) a ValueError.

    Examples
    --------
    >>> check_real(0.09, "threshold", minimum=0.0, open_minimum=True)
    0.09
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(
        value, (int, float, np.integer, np.floating)
    ):
        raise TypeError(f"{name} must be a real number, got {value!r}")
    number = float(value)
    if not np.isfinite(number):
        raise ValueError(f"{name} must be a finite number, got {number!r}")
    too_low = minimum is not None and (number <= minimum if open_minimum else number < minimum)
    too_high = maximum is not None and (number >= maximum if open_maximum else number > maximum)
    if too_low or too_high:
        low = "" if minimum is None else f"{'>' if open_minimum else '>='} {minimum}"
        high = "" if maximum is None else f"{'<' if open_maximum else '<='} {maximum}"
        raise ValueError(
            f"{name} must be {' and '.join(filter(None, (low, high)))}, got {number!r}"
        )
    return number


def check_flag(value: object, name: str) -> bool:
    """Return ``value`` unchanged if it is a bool (Python or NumPy), else raise TypeError: a 0/1,
    a string or NaN given for a yes/no option is a mistake, never cast."""
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, got {value!r}")
    return bool(value)


def check_name(value: object, name: str, choices: Sequence[str] | None = None) -> str:
    """Return ``value`` if it is a non-empty string (one of ``choices`` when given), else raise
    TypeError (not a string) or ValueError (empty, or not a choice)."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, got {value!r}")
    if not value:
        raise ValueError(f"{name} must not be empty")
    if choices is not None and value not in choices:
        raise ValueError(f"{name} must be one of {tuple(choices)}, got {value!r}")
    return value


def as_binary_labels(values: ArrayLike, name: str = "y") -> npt.NDArray[np.int8]:
    """Return class labels as an int8 array of 0 (background) and 1 (signal).

    Accepts 0/1 numbers, booleans, and the HiggsML strings ``'s'`` (signal) and ``'b'``
    (background). Anything else, or NaN, is an error naming ``name``.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of labels, got shape {array.shape}")
    if array.size == 0:
        raise ValueError(f"{name} is empty")
    if array.dtype.kind in "USO":
        strings = array.astype(str)
        unknown = sorted(set(np.unique(strings)) - set(_STRING_LABELS))
        if unknown:
            raise ValueError(f"{name} must hold 0/1 or 's'/'b' labels, found {unknown[:5]!r}")
        return (strings == "s").astype(np.int8)
    if array.dtype.kind == "b":
        return array.astype(np.int8)
    if array.dtype.kind not in "iuf":
        raise TypeError(f"{name} must hold 0/1 labels, got dtype {array.dtype}")
    if array.dtype.kind == "f" and not np.isfinite(array).all():
        raise ValueError(f"{name} has NaN or infinite labels")
    if array.dtype.kind in "iu" and array.min() >= 0 and array.max() <= 1:
        return array.astype(np.int8)  # integers in [0, 1]: the quick way to the check below
    if not ((array == 0) | (array == 1)).all():  # a sort (np.unique) only to name the culprits
        values_seen = np.unique(array)
        extra = values_seen[(values_seen != 0) & (values_seen != 1)]
        raise ValueError(f"{name} must hold only 0 and 1, found {extra[:5].tolist()}")
    return array.astype(np.int8)


def as_weights(
    values: ArrayLike | None,
    name: str,
    n_events: int,
    *,
    allow_negative: bool = False,
) -> FloatArray:
    """Return event weights as a float64 array of length ``n_events``.

    ``None`` means unit weights. Weights must be finite, of the right length, and not all zero;
    negative weights (sWeights) are accepted only when ``allow_negative`` is true, since only some
    physics quantities are defined for them.
    """
    if values is None:
        return np.ones(n_events, dtype=np.float64)
    if np.asarray(values).dtype.kind == "b":
        raise TypeError(f"{name} must hold numbers, got booleans")
    weights = as_float_array(values, name)
    check_lengths({name: weights.size}, n_events)
    if not allow_negative and weights.min() < 0:
        first = int(np.flatnonzero(weights < 0)[0])
        raise ValueError(
            f"{name} has {int((weights < 0).sum())} negative weight(s) (first at index {first}: "
            f"{weights[first]}); negative weights are not allowed here"
        )
    if not (weights.max() > 0 if not allow_negative else np.any(weights != 0)):
        raise ValueError(f"{name} are all zero")
    return weights


def as_physics_weights(values: ArrayLike | None, name: str, n_events: int) -> FloatArray:
    """Physics weights that must be given (AMS is a sum of them): like :func:`as_weights`, but
    ``None`` is a TypeError instead of unit weights."""
    if values is None:
        raise TypeError(f"{name} is required: AMS is a sum of physics weights")
    return as_weights(values, name, n_events)


def check_lengths(lengths: dict[str, int], expected: int) -> None:
    """Raise ValueError naming every argument whose length differs from ``expected``."""
    wrong = {name: size for name, size in lengths.items() if size != expected}
    if wrong:
        described = ", ".join(f"{name} has {size}" for name, size in wrong.items())
        raise ValueError(f"length mismatch: expected {expected} events, but {described}")


def check_probabilities(values: FloatArray, name: str) -> None:
    """Raise ValueError unless every value of ``values`` lies in [0, 1]."""
    if values.size == 0 or (values.min() >= 0.0 and values.max() <= 1.0):
        return
    outside = (values < 0.0) | (values > 1.0)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise ValueError(
            f"{name} must lie in [0, 1]; {int(outside.sum())} value(s) are outside "
            f"(first at index {first}: {values[first]})"
        )


def check_both_classes(y: npt.NDArray[np.int8], name: str = "y") -> None:
    """Raise ValueError when ``y`` does not contain both classes 0 and 1."""
    if y.min() == y.max():
        raise ValueError(f"{name} contains a single class ({int(y[0])}); both 0 and 1 are needed")


def check_positive_total(weights: FloatArray, name: str) -> float:
    """Return ``weights.sum()``, raising ValueError unless it is strictly positive."""
    total = float(weights.sum())
    if not total > 0.0:
        raise ValueError(f"{name} must sum to a positive number, got {total}")
    return total


def check_required_columns(columns: Sequence[str], required: Sequence[str], name: str) -> None:
    """Raise ValueError listing every column of ``required`` missing from ``columns``."""
    present = set(columns)
    missing = [column for column in required if column not in present]
    if missing:
        raise ValueError(f"{name} is missing required column(s): {', '.join(missing)}")


def check_count(value: object, name: str, minimum: int) -> int:
    """Return ``value`` as an int, raising ValueError unless it is a whole number >= ``minimum``.

    Python and NumPy integers are accepted; booleans, floats (even 3.0) and strings are not, since
    a count given as anything else is a mistake in the calling code.

    Examples
    --------
    >>> check_count(5, "n_splits", 2)
    5
    """
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(value)


def as_scored_events(
    y: ArrayLike,
    score: ArrayLike,
    sample_weight: ArrayLike | None,
    *,
    score_name: str = "score",
    weights_required: bool = False,
) -> tuple[npt.NDArray[np.int8], FloatArray, FloatArray]:
    """Classes, classifier outputs and weights of the same events, each checked once.

    ``y`` becomes int8 labels holding both classes, ``score`` (named ``score_name`` in errors) a
    finite float64 array of the same length, ``sample_weight`` non-negative weights (unit weights
    for None, unless ``weights_required``: AMS is a sum of physics weights).
    """
    labels = as_binary_labels(y, "y")
    values = as_float_array(score, score_name)
    if weights_required:
        weights = as_physics_weights(sample_weight, "sample_weight", labels.size)
    else:
        weights = as_weights(sample_weight, "sample_weight", labels.size)
    check_lengths({score_name: values.size}, labels.size)
    check_both_classes(labels)
    return labels, values, weights


def row_name(index: Sequence, position: int) -> str:
    """How an error names the row at ``position`` of a frame with ``index``: its position, and
    its index label too when the two differ (a filtered or re-indexed frame).

    Examples
    --------
    >>> row_name(range(5), 3)
    'row 3'
    >>> row_name(["a", "b"], 1)
    "row 1 (index 'b')"
    """
    label = index[position]
    if isinstance(label, (int, np.integer)) and not isinstance(label, bool) and label == position:
        return f"row {position}"
    return f"row {position} (index {label.item() if isinstance(label, np.generic) else label!r})"


def check_frame(frame: object, name: str, required: Sequence[str] = ()) -> None:
    """Raise unless ``frame`` is a pandas DataFrame with events, unique column names, the
    ``required`` columns, and a numeric dtype in each of them.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame, or a required column is not numeric (the message gives the
        first cell that is not a number).
    ValueError
        A column name appears more than once, a required column is missing, or there are no rows.
    """
    import pandas as pd  # here, not at the top: the command line imports this module early

    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame, got {type(frame).__name__}")
    repeated = frame.columns[frame.columns.duplicated()].unique().tolist()
    if repeated:
        raise ValueError(
            f"{name}: column {', '.join(map(str, repeated))} appears more than once; a column "
            "name must be unique"
        )
    check_required_columns(frame.columns, required, name)
    if len(frame) == 0:
        raise ValueError(f"{name} has no events")
    for column in required:
        if not pd.api.types.is_numeric_dtype(frame[column].dtype) or frame[column].dtype == bool:
            bad = np.flatnonzero(
                pd.to_numeric(frame[column], errors="coerce").isna() & frame[column].notna()
            )
            where = (
                f" (first at {row_name(frame.index, int(bad[0]))}: {frame[column].iloc[bad[0]]!r})"
                if bad.size
                else ""
            )
            raise TypeError(
                f"{name}: column {column} must be numeric, got dtype {frame[column].dtype}{where}"
            )


def check_finite_columns(
    values: np.ndarray, columns: Sequence[str], index: Sequence, name: str, *, allow_nan: bool
) -> None:
    """Raise ValueError naming the column and first row of the first value of ``values`` (shape
    (n_events, n_columns), in ``columns`` order) that is infinite, or NaN unless ``allow_nan``."""
    bad = np.isinf(values) if allow_nan else ~np.isfinite(values)
    if bad.any():
        column = int(np.flatnonzero(bad.any(axis=0))[0])
        row = int(np.flatnonzero(bad[:, column])[0])
        what = "infinite" if allow_nan else "NaN or infinite"
        raise ValueError(
            f"{name}: column {columns[column]} has {int(bad[:, column].sum())} {what} value(s) "
            f"(first at {row_name(index, row)}: {values[row, column]})"
        )
