"""Approximate Median Significance (AMS) of the ATLAS Higgs ML challenge, correctly normalised.

The challenge scores a selection region by

    AMS = sqrt( 2 * ( (s + b + b_r) * ln(1 + s / (b + b_r)) - s ) ),   b_r = 10,

where ``s`` and ``b`` are the sums of the weights of the selected signal and background events. The
weights are expected event counts at the challenge luminosity, so AMS is *not* self-normalising:
for s << b it grows like the square root of the weight scale. Any subset that is scored (a
cross-validation fold, a validation split, the public or private set) must first have its weights
rescaled per class so that they sum to the full totals (signal 691.988607712, background
410999.847322). :func:`renormalise` does that; :func:`ams_curve` and :func:`best_cut` do it by
default.
"""

from __future__ import annotations

import math
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
from numba import njit, vectorize

from hepclf._utils import (
    ArrayLike,
    FloatArray,
    as_binary_labels,
    as_numeric_array,
    as_one_dimensional,
    as_physics_weights,
    as_scored_events,
    as_weights,
    check_both_classes,
    check_finite,
    check_lengths,
    check_real,
)
from hepclf.metrics._cumulative import cumulative_sums, sorted_records
from hepclf.schemas import HIGGS_TOTALS, LEADERBOARD_SETS, ClassTotals

#: Regularisation term b_r of the challenge AMS.
AMS_BR = 10.0


# Coefficients of (1 + x) ln(1 + x) - x = sum_{k>=2} (-1)^k x^k / (k (k - 1)), highest power first.
_SERIES_ORDER = 12
_SERIES = np.array([(-1.0) ** k / (k * (k - 1)) for k in range(_SERIES_ORDER, 1, -1)] + [0.0, 0.0])
_SERIES_LIMIT = 1e-2


@njit(cache=True, inline="always", error_model="numpy")
def _ams_by_series(s: float, denominator: float) -> float:  # pragma: no cover - numba
    """``sqrt(2 h)`` with ``h = d ((1 + x) ln(1 + x) - x)``, ``x = s / d``, by the series summed by
    Horner's rule: the AMS where x is below 1e-2 (the direct form cancels there)."""
    x = s / denominator
    half_squared = 0.0
    for coefficient in _SERIES:
        half_squared = half_squared * x + coefficient
    return math.sqrt(2.0 * max(half_squared * denominator, 0.0))


@njit(cache=True, error_model="numpy")
def _ams_one(s: float, b: float, br: float) -> float:  # pragma: no cover - numba
    """The AMS of one selection, ``s >= 0`` and ``b + br >= 0``: 0 when ``s = 0``, ``inf`` when
    ``b + br = 0 < s``, else ``sqrt(2 h)`` with ``h = AMS^2 / 2 = (s + d) ln(1 + s / d) - s`` and
    ``d = b + br``.

    For x = s / d below 1e-2, :func:`_ams_by_series`; above, the direct form, written without
    (1 + x) so that it stays finite however small d is (s / d may be near the float64 limit).
    """
    denominator = b + br
    if s == 0:
        return 0.0
    if denominator == 0:
        return math.inf
    x = s / denominator
    if x < _SERIES_LIMIT:
        return _ams_by_series(s, denominator)
    return math.sqrt(2.0 * max((s + denominator) * math.log1p(x) - s, 0.0))


@vectorize(["float64(float64, float64, float64)"], cache=True)
def _ams_value(s: float, b: float, br: float) -> float:  # pragma: no cover - numba
    """:func:`_ams_one` as a ufunc (broadcasting), for :func:`ams`."""
    return _ams_one(s, b, br)


@njit(cache=True, error_model="numpy")
def _ams_of_curve(s, b, br):  # pragma: no cover - numba
    """:func:`_ams_one` of every cut of a curve, the same arithmetic in two passes: first every
    cut by :func:`_ams_by_series`, branch-free, so that the compiler vectorises it (the cuts of a
    large sample almost all have s << b); then the cuts the series does not cover (s = 0,
    b + br = 0, s / (b + br) >= 1e-2) again through :func:`_ams_one`. Single-threaded on
    purpose: a parallel kernel here would start OpenMP in every process that scores a cut, and a
    process forked after that aborts."""
    out = np.empty(s.size)
    for k in range(s.size):
        out[k] = _ams_by_series(s[k], b[k] + br)
    for k in range(s.size):
        denominator = b[k] + br
        if s[k] == 0 or denominator == 0 or not s[k] / denominator < _SERIES_LIMIT:
            out[k] = _ams_one(s[k], b[k], br)
    return out


@njit(cache=True, error_model="numpy")
def _class_sums(labels, weights):  # pragma: no cover - numba
    """(background sum, signal sum, largest weight) in one pass (``np.bincount`` and ``max``)."""
    sums = np.zeros(2)
    largest = -math.inf
    for i in range(labels.size):
        sums[labels[i]] += weights[i]
        largest = max(largest, weights[i])
    return sums[0], sums[1], largest


def ams(s: ArrayLike, b: ArrayLike, br: float = AMS_BR) -> float | FloatArray:
    """Approximate Median Significance of a selection with ``s`` signal and ``b`` background.

    ``AMS = sqrt(2 ((s + b + br) ln(1 + s / (b + br)) - s))``. For small ``x = s / (b + br)``
    it is evaluated as ``sqrt(2 (b + br) ((1 + x) ln(1 + x) - x))`` by the series of the bracket,
    so the result keeps full precision when s << b; it stays finite for any finite s and b with
    b + br > 0.

    Parameters
    ----------
    s, b : float or array-like
        Sums of weights of the selected signal and background events (expected counts).
        Broadcast against each other. Must be finite and non-negative.
    br : float
        Regularisation term ``b_r`` (10 in the challenge). Must be finite and non-negative.

    Returns
    -------
    float or ndarray
        The AMS; 0 where ``s = 0``; ``inf`` in the limit ``b + br -> 0`` with ``s > 0``.

    Raises
    ------
    TypeError
        ``s`` or ``b`` is not numeric, ``br`` is not a real number.
    ValueError
        ``s`` or ``b`` is empty, NaN, infinite or negative, or they do not broadcast together;
        ``br`` is NaN, infinite or negative.

    Examples
    --------
    >>> round(ams(100.0, 10_000.0), 4)
    0.9978
    """
    s_array = as_numeric_array(s, "s")
    b_array = as_numeric_array(b, "b")
    for name, value in (("s", s_array), ("b", b_array)):
        if value.size == 0:
            raise ValueError(f"{name} is empty")
        check_finite(value, name)
        if (value < 0).any():
            raise ValueError(f"{name} must be non-negative (it is a sum of event weights)")
    br = check_real(br, "br", minimum=0.0)
    try:
        s_array, b_array = np.broadcast_arrays(s_array, b_array)
    except ValueError as error:
        raise ValueError(
            f"s and b must broadcast together, got shapes {s_array.shape} and {b_array.shape}"
        ) from error
    with np.errstate(over="ignore"):  # s / (b + br) may overflow to inf: the AMS is then inf
        value = _ams_value(s_array, b_array, br)
    return float(value) if value.ndim == 0 else value


def renormalise(
    y: ArrayLike,
    sample_weight: ArrayLike,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
) -> FloatArray:
    """Rescale weights per class so that signal and background sum to the physics totals.

    ``w_i -> w_i * T_c / sum_{j in c} w_j`` for the class ``c`` of event ``i``. This restores the
    luminosity of a subset (a fold, a split, one KaggleSet) before AMS is computed on it.

    Parameters
    ----------
    y : array-like of {0, 1} or {'b', 's'}
        Class of each event (1 = signal).
    sample_weight : array-like
        Physics weights, non-negative, with a positive sum in each class.
    totals : (signal, background)
        Target sums; default the HiggsML totals.

    Returns
    -------
    ndarray
        The rescaled weights (a new array).

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind, ``sample_weight`` is not numeric or is
        boolean, ``totals`` is not a pair of numbers.
    ValueError
        ``y`` is not 1-D, is empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``sample_weight`` has the wrong length, NaN, infinities, negative values, or sums to zero
        in a class (or so little that the rescaled weights overflow); a total is not finite and
        positive.
    """
    labels = as_binary_labels(y, "y")
    weights = as_weights(sample_weight, "sample_weight", labels.size)
    check_both_classes(labels)
    return _rescale(labels, weights, check_totals(totals))


def _rescale(labels: npt.NDArray[np.int8], weights: FloatArray, totals: ClassTotals) -> FloatArray:
    """The renormalisation of checked events (see :func:`renormalise`)."""
    background, signal = _class_factors(labels, weights, totals)
    return np.where(labels == 1, weights * signal, weights * background)


def _class_factors(
    labels: npt.NDArray[np.int8], weights: FloatArray, totals: ClassTotals
) -> npt.NDArray[np.float64]:
    """(background, signal) factors that bring each class's weights to ``totals``; an error when
    a class's weights sum to zero, or so little that a rescaled weight would overflow float64."""
    return _factors_from_sums(*_class_sums(labels, weights), totals)


def _factors_from_sums(
    background_sum: float, signal_sum: float, largest: float, totals: ClassTotals
) -> npt.NDArray[np.float64]:
    """:func:`_class_factors` from the class sums and the largest weight."""
    factors = []
    for label, total, target in (("background", background_sum, totals.background),
                                 ("signal", signal_sum, totals.signal)):  # fmt: skip
        if not 0 < total < np.inf:  # an overflowing sum would give the factor 0, silently
            raise ValueError(f"sample_weight of the {label} events sum to {total}; cannot rescale")
        with np.errstate(over="ignore"):
            factor = target / total
            if not np.isfinite(factor * largest):
                raise ValueError(
                    f"sample_weight of the {label} events sum to {total:.3g}, too small to "
                    f"rescale to {target:.9g} in float64"
                )
        factors.append(factor)
    return np.array(factors)


def check_totals(totals: ClassTotals | tuple[float, float]) -> ClassTotals:
    """``totals`` as :class:`ClassTotals`, raising unless it is a pair of finite positive sums."""
    try:
        signal_total, background_total = (float(value) for value in totals)
    except (TypeError, ValueError) as error:
        raise TypeError(f"totals must be a pair (signal, background), got {totals!r}") from error
    for label, value in (("signal", signal_total), ("background", background_total)):
        if not (np.isfinite(value) and value > 0):
            raise ValueError(f"totals: the {label} total must be finite and positive, got {value}")
    return ClassTotals(signal_total, background_total)


class AMSCurve(NamedTuple):
    """AMS of every possible cut ``score >= cut``.

    Attributes
    ----------
    cuts : ndarray
        Distinct score values, decreasing (so the selection grows along the array).
    ams : ndarray
        AMS of the selection ``score >= cuts[i]``.
    signal, background : ndarray
        Selected signal and background weight sums ``s`` and ``b`` at each cut.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: build curves
        with :func:`ams_curve`).
    """

    cuts: FloatArray
    ams: FloatArray
    signal: FloatArray
    background: FloatArray


class BestCut(NamedTuple):
    """The cut of highest AMS: select ``score >= cut``.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: find the cut
        with :func:`best_cut`).
    """

    cut: float
    ams: float
    signal: float
    background: float
    selected_fraction: float


def ams_curve(
    y: ArrayLike,
    score: ArrayLike,
    sample_weight: ArrayLike,
    totals: ClassTotals | tuple[float, float] | None = HIGGS_TOTALS,
    br: float = AMS_BR,
) -> AMSCurve:
    """AMS of every cut on ``score`` in one sort (O(n log n)).

    Events with equal scores cannot be separated by a threshold, so each distinct score is one cut.

    Parameters
    ----------
    y : array-like of {0, 1} or {'b', 's'}
        True classes (1 = signal).
    score : array-like
        Classifier output; larger means more signal-like. Any real values.
    sample_weight : array-like
        Physics weights (expected counts), non-negative.
    totals : (signal, background) or None
        Renormalise the weights to these totals first (default: HiggsML). ``None`` scores the
        weights as given, which is only right when they already carry the full luminosity.
    br : float
        AMS regularisation term.

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``score`` or ``sample_weight`` is not numeric
        (or is None; boolean weights are refused too); ``totals`` is not a pair of numbers;
        ``br`` is not a real number.
    ValueError
        ``y`` is not 1-D, empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``score`` or ``sample_weight`` is not 1-D, is empty, has NaN or infinities or a length
        other than that of ``y``; ``sample_weight`` is negative or all zero (or, when
        renormalised, sums to zero in a class); a total is not finite and positive; ``br`` is
        NaN, infinite or negative.
    """
    labels, values, weights = check_scored_events(y, score, sample_weight)
    br = check_real(br, "br", minimum=0.0)
    return ams_curve_checked(labels, values, weights, _optional_totals(totals), br)


def _optional_totals(totals) -> ClassTotals | None:
    return None if totals is None else check_totals(totals)


def ams_curve_checked(
    labels: npt.NDArray[np.int8],
    values: FloatArray,
    weights: FloatArray,
    totals: ClassTotals | None,
    br: float = AMS_BR,
) -> AMSCurve:
    """:func:`ams_curve` of events already checked by :func:`check_scored_events` and totals
    checked by :func:`check_totals` (for callers that score the same events many times)."""
    # the class sums come with the sort; the renormalisation is applied to each weight inside
    # the one pass that sums them in order
    events = sorted_records(values, labels, weights)
    factor = None
    if totals is not None:
        factor = _factors_from_sums(events.first_sum, events.second_sum, events.largest, totals)
    cuts, b, s = cumulative_sums(events, factor)
    # the weights are non-negative, so the last cut holds the largest sums: finite there means
    # finite everywhere (sums that overflow float64 are refused, as ams() refuses them)
    if not (np.isfinite(s[-1]) and np.isfinite(b[-1])):
        check_finite(s, "s")
        check_finite(b, "b")
    return AMSCurve(cuts=cuts, ams=_ams_of_curve(s, b, br), signal=s, background=b)


def best_cut(
    y: ArrayLike,
    score: ArrayLike,
    sample_weight: ArrayLike,
    totals: ClassTotals | tuple[float, float] | None = HIGGS_TOTALS,
    br: float = AMS_BR,
) -> BestCut:
    """The cut ``score >= cut`` with the highest AMS (arguments as :func:`ams_curve`).

    Choosing the cut on the events that are then scored with it overestimates the AMS; choose it
    on validation data and apply it elsewhere.

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``score`` or ``sample_weight`` is not numeric
        (or is None; boolean weights are refused too); ``totals`` is not a pair of numbers;
        ``br`` is not a real number.
    ValueError
        ``y`` is not 1-D, empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``score`` or ``sample_weight`` is not 1-D, is empty, has NaN or infinities or a length
        other than that of ``y``; ``sample_weight`` is negative or all zero (or, when
        renormalised, sums to zero in a class); a total is not finite and positive; ``br`` is
        NaN, infinite or negative.
    """
    labels, values, weights = check_scored_events(y, score, sample_weight)
    br = check_real(br, "br", minimum=0.0)
    curve = ams_curve_checked(labels, values, weights, _optional_totals(totals), br)
    best = int(np.argmax(curve.ams))
    cut = float(curve.cuts[best])
    return BestCut(
        cut=cut,
        ams=float(curve.ams[best]),
        signal=float(curve.signal[best]),
        background=float(curve.background[best]),
        selected_fraction=float(np.mean(values >= cut)),
    )


def check_scored_events(
    y: ArrayLike, score: ArrayLike, sample_weight: ArrayLike
) -> tuple[npt.NDArray[np.int8], FloatArray, FloatArray]:
    """Labels (int8), scores and physics weights checked once: both classes, equal lengths,
    finite values, non-negative weights that must be given."""
    return as_scored_events(y, score, sample_weight, weights_required=True)


def selection_ams(
    y: ArrayLike,
    selected: ArrayLike,
    sample_weight: ArrayLike,
    totals: ClassTotals | tuple[float, float] | None = HIGGS_TOTALS,
    br: float = AMS_BR,
) -> float:
    """AMS of a given selection (a boolean mask, e.g. ``score >= cut`` fixed beforehand).

    ``totals`` as in :func:`ams_curve`: the weights of the scored events are renormalised first
    unless it is ``None``.

    Raises
    ------
    TypeError
        ``selected`` is None or not a boolean mask; ``y`` holds labels of a non-numeric kind;
        ``sample_weight`` is None, not numeric or boolean; ``totals`` is not a pair of numbers;
        ``br`` is not a real number.
    ValueError
        ``y`` or ``selected`` is not 1-D or is empty; ``y`` holds labels other than 0/1
        ('b'/'s') or a single class; ``selected`` or ``sample_weight`` has a length other than
        that of ``y``; ``sample_weight`` has NaN, infinities, negative values or is all zero (or,
        when renormalised, sums to zero in a class); a total is not finite and positive; ``br``
        is NaN, infinite or negative.
    """
    labels = as_binary_labels(y, "y")
    mask = as_one_dimensional(selected, "selected")
    if mask.dtype != bool:
        raise TypeError(f"selected must be a boolean mask, got dtype {mask.dtype}")
    weights = as_physics_weights(sample_weight, "sample_weight", labels.size)
    check_lengths({"selected": mask.size}, labels.size)
    check_both_classes(labels)
    br = check_real(br, "br", minimum=0.0)
    return selection_ams_checked(labels, mask, weights, _optional_totals(totals), br)


def selection_ams_checked(
    labels: npt.NDArray[np.int8],
    mask: npt.NDArray[np.bool_],
    weights: FloatArray,
    totals: ClassTotals | None,
    br: float = AMS_BR,
) -> float:
    """:func:`selection_ams` of already checked events and totals (see
    :func:`ams_curve_checked`): s and b are the selected signal and background weight sums."""
    if totals is not None:
        weights = _rescale(labels, weights, totals)
    s = weights[mask & (labels == 1)].sum()
    b = weights[mask & (labels == 0)].sum()
    return float(ams(s, b, br))


def leaderboard_ams(
    kaggle_set: ArrayLike,
    y: ArrayLike,
    score: ArrayLike,
    kaggle_weight: ArrayLike,
    cut: float,
    *,
    br: float = AMS_BR,
    rtol: float = 1e-6,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
) -> dict[str, float]:
    """Public and private leaderboard AMS of the Open Data test sets, each scored on its own.

    The Kaggle leaderboard scored the public set (KaggleSet ``'b'``, 100,000 events) and the
    private set (``'v'``, 450,000 events) separately, each with its ``KaggleWeight``, which sums to
    the full totals within each set. Scoring both together with the given weights doubles the
    luminosity and inflates the AMS by about sqrt(2); this function never does that.

    Parameters
    ----------
    kaggle_set : array-like of str
        The ``KaggleSet`` column; events of other sets are ignored.
    y : array-like of {0, 1} or {'b', 's'}
        True classes.
    score : array-like
        Classifier output; events with ``score >= cut`` are selected.
    kaggle_weight : array-like
        The ``KaggleWeight`` column.
    cut : float
        Threshold chosen beforehand (on training or validation data).
    rtol : float
        Each set's signal and background KaggleWeight must sum to ``totals`` within this relative
        tolerance; otherwise the set is incomplete and its AMS would be wrong, which is an error.

    Returns
    -------
    dict
        ``{'public': AMS of set b, 'private': AMS of set v}``.

    Raises
    ------
    TypeError
        ``kaggle_set`` is None; ``y`` holds labels of a non-numeric kind; ``score`` or
        ``kaggle_weight`` is not numeric (or is None); ``cut``, ``br`` or ``rtol`` is not a real
        number; ``totals`` is not a pair of numbers.
    ValueError
        An array is not 1-D, is empty, or has a length other than that of ``y``; ``y`` holds
        labels other than 0/1 ('b'/'s') or a single class; ``score`` or ``kaggle_weight`` has
        NaN or infinities; ``kaggle_weight`` is negative or all zero; ``cut`` is not finite,
        ``br`` or ``rtol`` is NaN, infinite or negative; a total is not finite and positive;
        ``kaggle_set`` has no event of set 'b' or 'v', or a class's ``kaggle_weight`` in one of
        them does not sum to its total within ``rtol`` (an incomplete set).
    """
    sets = as_one_dimensional(kaggle_set, "kaggle_set").astype(str)
    labels, values, weights = check_scored_events(y, score, kaggle_weight)
    check_lengths({"kaggle_set": sets.size}, labels.size)
    cut = check_real(cut, "cut")
    br = check_real(br, "br", minimum=0.0)
    rtol = check_real(rtol, "rtol", minimum=0.0)
    expected = check_totals(totals)
    for board, code in LEADERBOARD_SETS.items():
        if not (sets == code).any():
            raise ValueError(f"kaggle_set has no events of set {code!r} ({board} leaderboard)")
    result = {}
    for board, code in LEADERBOARD_SETS.items():
        in_set = sets == code
        classes = (("signal", 1, expected.signal), ("background", 0, expected.background))
        for label, cls, total in classes:
            found = weights[in_set & (labels == cls)].sum()
            if not np.isclose(found, total, rtol=rtol, atol=0.0):
                raise ValueError(
                    f"kaggle_weight of the {label} events of set {code!r} sum to {found:.9g}, not "
                    f"{total:.9g}: the set is incomplete or the weights are not KaggleWeight"
                )
        result[board] = selection_ams_checked(labels, in_set & (values >= cut), weights, None, br)
    return result
