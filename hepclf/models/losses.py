"""Losses as objects (hep_ml style): fitted on the training events, then asked for the negative
gradient and the Hessian of the loss with respect to the margins (log-odds) of the booster.

- :func:`sigmoid`: the link from a margin to a signal probability, p = 1 / (1 + e^-m), written once
  (never overflowing) for NumPy callers and numba kernels alike.
- :class:`LogLoss`: weighted binary log-loss, L = -sum_i w_i (y_i ln p_i + (1 - y_i) ln(1 - p_i)),
  -dL/dm_i = w_i (y_i - p_i), d2L/dm_i2 = w_i p_i (1 - p_i).
- :class:`BinFlatnessLoss`: the log-loss plus ``fl_coefficient`` times the bin-flatness penalty of
  Rogozhnikov et al. (arXiv:1410.4140). Events of the uniform class are grouped by equal-width bins
  of the uniform features (two binnings shifted by half a bin, so each event sits in two
  overlapping groups). For event i in group g, with F_g and F the weighted CDFs of the predictions
  inside the group and over the whole class,

      d_i = F_g(s_i) - F(s_i),   -dL_flat / ds_i = power * sign(d_i) * |d_i|^(power - 1) * w_i / k_i

  (w_i the class-normalised weight, k_i = 2 the number of groups holding the event): an event
  sitting higher in its group than globally is pushed up, flattening the group's distribution
  towards the global one. The penalty's gradient costs one sort per call (NumPy's) and one pass
(a numba kernel).

:func:`as_xgboost_objective` turns any of these losses into an xgboost custom objective.

Examples
--------
>>> import numpy as np
>>> from hepclf.models.losses import LogLoss, sigmoid
>>> float(sigmoid(np.array([0.0]))[0])
0.5
>>> loss = LogLoss().fit(np.array([0.0, 1.0]), np.array([1.0, 1.0]))
>>> loss.negative_gradient(np.zeros(2)).tolist()
[-0.5, 0.5]
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
import xgboost as xgb
from numba import njit, vectorize

from hepclf._utils import FloatArray, as_binary_labels, as_weights, check_count
from hepclf.metrics._order import stable_order

#: Smallest Hessian handed to the booster: xgboost divides by sums of Hessians.
MIN_HESSIAN = 1e-16


@njit(cache=True, inline="always", error_model="numpy")
def _scalar_sigmoid(margin: float) -> float:
    """1 / (1 + exp(-margin)), as e^m / (1 + e^m) for negative margins: exp never overflows.

    ``exp`` rather than the equivalent 0.5 (1 + tanh(margin / 2)): a third of the time (7 ms
    against 23 ms for 10^6 margins), and as accurate (within 2 ulp of scipy's ``expit``).
    """
    small = math.exp(-abs(margin))  # in (0, 1]: no overflow
    return (1.0 if margin >= 0.0 else small) / (1.0 + small)


sigmoid = vectorize(["float64(float64)"], cache=True)(_scalar_sigmoid.py_func)
sigmoid.__doc__ = _scalar_sigmoid.__doc__


@njit(cache=True, error_model="numpy")
def _log_loss_gradient_hessian(
    margin, target, weight, flat_index, flat_gradient, coefficient, grad, hess
):
    """Gradient and Hessian of the weighted log-loss minus ``coefficient`` times the flatness
    negative gradient ``flat_gradient`` of the events ``flat_index`` (one fused pass).

    Single-threaded on purpose: it runs inside xgboost's round, between two of xgboost's OpenMP
    parallel regions, where a second OpenMP runtime (numba's) would spin against xgboost's idle
    workers on every core; one thread streams the 10^6 margins in a few milliseconds.
    """
    for i in range(margin.size):
        p = _scalar_sigmoid(margin[i])
        grad[i] = weight[i] * (p - target[i])
        hess[i] = max(weight[i] * p * (1.0 - p), MIN_HESSIAN)
    for k in range(flat_index.size):
        grad[flat_index[k]] -= coefficient * flat_gradient[k]


def _gradient_hessian(margin, loss, flat_index, flat_gradient, coefficient, out=None):
    """:func:`_log_loss_gradient_hessian` of a fitted loss, into ``out`` (gradient, Hessian) or
    arrays NumPy allocates."""
    grad, hess = (np.empty(margin.size), np.empty(margin.size)) if out is None else out
    _log_loss_gradient_hessian(
        margin, loss.target, loss.weight, flat_index, flat_gradient, coefficient, grad, hess
    )
    return grad, hess


_NO_EVENTS = np.zeros(0, dtype=np.int64)
_NO_GRADIENT = np.zeros(0)


class LogLoss:
    """Weighted binary log-loss on the margins of a booster (see the module documentation)."""

    def fit(self, target: FloatArray, weight: FloatArray) -> LogLoss:
        """Remember the classes (0 / 1) and the non-negative training weights of the events.

        Raises
        ------
        TypeError
            ``target`` holds labels of a non-numeric kind; ``weight`` is not numeric or holds
            booleans.
        ValueError
            ``target`` is not 1-D, is empty, or holds labels other than 0/1 ('b'/'s'); ``weight``
            is not 1-D, has a length other than that of ``target``, NaN, infinities or negative
            values, or is all zero.
        """
        labels = as_binary_labels(target, "target")
        self.target = labels.astype(np.float64)
        self.weight = as_weights(weight, "weight", labels.size)
        return self

    def _margins(self, margin: FloatArray) -> FloatArray:
        """``margin`` as contiguous float64, one per event seen in ``fit``."""
        values = np.ascontiguousarray(margin)
        if values.dtype not in (np.float32, np.float64):  # xgboost hands float32: kept as is
            values = values.astype(np.float64)
        if values.ndim != 1 or values.size != self.target.size:
            raise ValueError(
                f"margin must hold one value per event of fit ({self.target.size}), "
                f"got shape {values.shape}"
            )
        return values

    def gradient_hessian(self, margin: FloatArray) -> tuple[FloatArray, FloatArray]:
        """dL/dm and d2L/dm2 of every event, in one pass (what xgboost asks for); a penalty's
        gradient included in a subclass, its Hessian neglected."""
        return self._gradient_hessian_into(margin, _RoundBuffers())  # fresh arrays

    def _gradient_hessian_into(self, margin: FloatArray, work: _RoundBuffers):
        """The log-loss's :meth:`gradient_hessian` into the arrays of ``work`` (xgboost's
        objective keeps one ``work`` for every round)."""
        margin = self._margins(margin)
        out = (work.get("gradient", margin.size), work.get("hessian", margin.size))
        return _gradient_hessian(margin, self, _NO_EVENTS, _NO_GRADIENT, 0.0, out)

    def negative_gradient(self, margin: FloatArray) -> FloatArray:
        """-dL/dm: the direction the next tree is fitted to."""
        return -self.gradient_hessian(margin)[0]

    def hessian(self, margin: FloatArray) -> FloatArray:
        """d2L/dm2 (at least :data:`MIN_HESSIAN`)."""
        return self.gradient_hessian(margin)[1]


def flatness_groups(uniform: np.ndarray, n_bins: int) -> tuple[np.ndarray, np.ndarray]:
    """Group ids of events in two equal-width binnings of the uniform features, shifted by half
    a bin (hep_ml's BinFlatnessLossFunction grouping).

    Parameters
    ----------
    uniform : ndarray, shape (n_events, n_features)
        The uniform features of the events of the uniform class.
    n_bins : int
        Bins per uniform feature.

    Returns
    -------
    groups : ndarray of int64, shape (2, n_events)
        Group id of each event in each binning.
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


def group_totals(weight: np.ndarray, groups: np.ndarray, n_groups: np.ndarray) -> np.ndarray:
    """Summed weight of every group of both binnings, shape (2, max(n_groups)) (zero-padded)."""
    totals = np.zeros((2, int(n_groups.max())))
    for shift in range(2):
        totals[shift, : n_groups[shift]] = np.bincount(
            groups[shift], weights=weight, minlength=n_groups[shift]
        )
    return totals


@njit(cache=True, error_model="numpy")
def _flatness_pass(order, events, total, totals, power, out):  # pragma: no cover
    """-dL_flat/ds of the uniform class's events from their ``order`` by score: one pass in score
    order over both binnings at once (running weighted CDFs of the class and of each group).

    ``events[i]`` holds what the pass needs of event ``i`` side by side (one cache line read at
    a scattered position, where it read three arrays): its class-normalised weight, the same
    divided by the number of groups holding it, and its group in each of the two binnings.
    ``total`` is the class's summed weight, ``totals`` the groups' (:func:`group_totals`).
    """
    running = np.zeros_like(totals)
    cumulative = 0.0
    for position in range(order.size):
        i = order[position]
        w = events[i, 0]
        global_position = (cumulative + 0.5 * w) / total
        cumulative += w
        gradient = 0.0
        for shift in range(2):
            g = np.int64(events[i, 2 + shift])
            if totals[shift, g] == 0.0:  # a group of zero-weight events: nothing to flatten
                continue
            local_position = (running[shift, g] + 0.5 * w) / totals[shift, g]
            running[shift, g] += w
            difference = local_position - global_position
            if difference != 0.0:
                magnitude = abs(difference)
                if power != 2.0:
                    magnitude = magnitude ** (power - 1.0)
                gradient += power * magnitude * (1.0 if difference > 0 else -1.0)
        out[i] = gradient * events[i, 1]
    return out


class BinFlatnessLoss(LogLoss):
    """Log-loss plus ``fl_coefficient`` times the bin-flatness penalty (module documentation).

    Parameters
    ----------
    n_bins : int
        Equal-width bins per uniform feature.
    power : float
        Exponent of |F_group - F| in the penalty (2: a Cramer-von Mises-like distance).
    fl_coefficient : float
        Weight of the penalty against the log-loss.

    Raises
    ------
    ValueError
        ``n_bins`` is not a whole number >= 1; ``power`` is not a finite number >= 1;
        ``fl_coefficient`` is not a finite number >= 0.
    TypeError
        ``power`` or ``fl_coefficient`` is not a number (a string, None).
    """

    def __init__(self, n_bins: int = 10, power: float = 2.0, fl_coefficient: float = 3.0):
        self.n_bins = check_count(n_bins, "n_bins", 1)
        if not (np.isfinite(power) and power >= 1.0):
            raise ValueError(f"power must be a finite number >= 1, got {power!r}")
        if not (np.isfinite(fl_coefficient) and fl_coefficient >= 0.0):
            raise ValueError(f"fl_coefficient must be a finite number >= 0, got {fl_coefficient!r}")
        self.power = float(power)
        self.fl_coefficient = float(fl_coefficient)

    def fit(  # type: ignore[override]
        self,
        target: FloatArray,
        weight: FloatArray,
        flat_index: np.ndarray,
        uniform_values: np.ndarray,
    ) -> BinFlatnessLoss:
        """Prepare the penalty: ``flat_index`` are the events that must stay flat (the uniform
        class, defined uniform features), ``uniform_values`` their uniform features.

        Raises
        ------
        TypeError
            ``target`` holds labels of a non-numeric kind; ``weight`` is not numeric or holds
            booleans.
        ValueError
            ``target`` is not 1-D, is empty, or holds labels other than 0/1 ('b'/'s'); ``weight``
            has a length other than that of ``target``, NaN, infinities or negative values, or is
            all zero; ``uniform_values`` or ``flat_index`` cannot be read as numbers;
            ``uniform_values`` does not have one row per event of ``flat_index`` or holds NaN or
            infinities; ``flat_index`` is empty or lists an event outside ``0..len(target) - 1``.
        """
        super().fit(target, weight)
        self.flat_index = np.ascontiguousarray(flat_index, dtype=np.int64)
        values = np.asarray(uniform_values, dtype=np.float64)
        if values.ndim == 1:
            values = values[:, None]
        if values.shape[0] != self.flat_index.size or not np.isfinite(values).all():
            raise ValueError(
                "uniform_values must hold finite uniform features of every event of flat_index "
                f"({self.flat_index.size}), got shape {values.shape}"
            )
        if (
            self.flat_index.size == 0
            or not ((self.flat_index >= 0) & (self.flat_index < self.target.size)).all()
        ):
            raise ValueError(f"flat_index must list events 0..{self.target.size - 1}")
        self.groups, self.n_groups = flatness_groups(values, self.n_bins)
        self.flat_weight = self.weight[self.flat_index]
        self.divided_weight = self.flat_weight / 2.0  # every event lies in one group per binning
        # what does not change from round to round, computed once: the groups' summed weights,
        # the class's (added in order, as the pass used to), and each event's weights and two
        # groups side by side (one cache line per event in the pass)
        self._totals = group_totals(self.flat_weight, self.groups, self.n_groups)
        self._total = float(np.cumsum(self.flat_weight)[-1])
        self._events = np.column_stack([self.flat_weight, self.divided_weight, *self.groups])
        return self

    def flatness_negative_gradient(self, margin: FloatArray) -> FloatArray:
        """-dL_flat/dm of the events ``flat_index`` (without the coefficient): one sort of their
        margins, then one pass in that order. The sort is the metrics' stable order (NumPy's
        vectorised sort of index-carrying integer keys, 2-3x ``np.argsort``); ties (every margin
        is 0 in the first round) are taken in increasing position, the same on every machine
        (NumPy's unstable ``argsort`` orders ties differently with and without AVX-512)."""
        n_flat = self.flat_index.size
        return self._flatness_gradient(margin, np.empty(n_flat, np.int64), np.empty(n_flat))

    def _flatness_gradient(self, margin, order, out):
        """:meth:`flatness_negative_gradient` with the order and the result written into
        ``order`` and ``out`` (as many as ``flat_index``)."""
        stable_order(self._margins(margin)[self.flat_index], out=order)
        return _flatness_pass(order, self._events, self._total, self._totals, self.power, out)

    def _gradient_hessian_into(self, margin: FloatArray, work: _RoundBuffers):
        """Gradient of log-loss + penalty, Hessian of the log-loss (the penalty's is neglected,
        as in hep_ml), in one pass over the events after the penalty's sort; into the arrays of
        ``work``, the penalty's order and gradient too."""
        margin = self._margins(margin)
        n_flat = self.flat_index.size
        flat_gradient = self._flatness_gradient(
            margin, work.get("order", n_flat, np.int64), work.get("flat gradient", n_flat)
        )
        out = (work.get("gradient", margin.size), work.get("hessian", margin.size))
        return _gradient_hessian(
            margin, self, self.flat_index, flat_gradient, self.fl_coefficient, out
        )

    def hessian(self, margin: FloatArray) -> FloatArray:
        """d2L/dm2 of the log-loss (no sort: the penalty's second derivative is neglected)."""
        return LogLoss._gradient_hessian_into(self, margin, _RoundBuffers())[1]


def as_xgboost_objective(
    loss: LogLoss,
) -> Callable[[np.ndarray, xgb.DMatrix], tuple[FloatArray, FloatArray]]:
    """An xgboost custom objective ``obj(margin, dtrain) -> (gradient, hessian)`` of a fitted
    loss (the booster must start from ``base_score = 0`` so that it hands over margins).

    The objective writes every round into the same arrays (its own, see
    :class:`_RoundBuffers`): xgboost copies the gradient and Hessian into its own storage before
    it asks again, and reusing them spares faulting in fresh memory every round (at 10^6
    events 25 ms a round instead of 32). So a round's result is overwritten by the next call:
    copy it to keep it, and give each training its own objective.
    """
    work = _RoundBuffers()

    def objective(margin: np.ndarray, dtrain: xgb.DMatrix):
        return loss._gradient_hessian_into(margin, work)

    return objective


class _RoundBuffers:
    """Arrays that one objective reuses from round to round, each made again when a call asks
    for another size or dtype (a loss refitted on other events)."""

    def __init__(self) -> None:
        self._arrays: dict[str, np.ndarray] = {}

    def get(self, name: str, size: int, dtype: type = np.float64) -> np.ndarray:
        """The array ``name`` of ``size`` elements of ``dtype`` (its values are left over from
        the last round)."""
        array = self._arrays.get(name)
        if array is None or array.size != size or array.dtype != dtype:
            array = self._arrays[name] = np.empty(size, dtype)
        return array
