"""The numbers the figures draw beyond the metrics themselves: the AMS of a curve at given cuts, a
bootstrap band of the AMS curve, and the background efficiency in bins of mass (the flatness
picture). Every AMS and every weight renormalisation here is the metrics layer's
(:func:`hepclf.metrics.ams_curve`), so a figure shows the formula the scores use.

Examples
--------
>>> import numpy as np
>>> from hepclf.metrics import ams_curve
>>> from hepclf.report import ams_at
>>> curve = ams_curve([0, 1, 1, 0], [0.1, 0.9, 0.7, 0.3], [1.0, 1.0, 1.0, 1.0])
>>> bool(ams_at(curve, 0.7) == curve.ams[1]), float(ams_at(curve, 0.95))
(True, 0.0)
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import NamedTuple

import numpy as np

from hepclf._utils import (
    ArrayLike,
    FloatArray,
    as_float_array,
    as_numeric_array,
    check_count,
    check_finite,
    check_lengths,
    check_real,
)
from hepclf.metrics._bootstrap import resampled_group_sums
from hepclf.metrics.ams import (
    AMSCurve,
    ams,
    ams_curve_checked,
    check_scored_events,
    check_totals,
)
from hepclf.schemas import HIGGS_TOTALS, ClassTotals

__all__ = [
    "AMSBand",
    "MassBinEfficiencies",
    "ScoredEvents",
    "ams_at",
    "ams_band",
    "mass_bin_efficiencies",
]


class ScoredEvents(NamedTuple):
    """Events with their class (1 = signal), classifier score and physics weight.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are checked where they are used,
        e.g. by :func:`~hepclf.report.draw_roc`).
    """

    y: np.ndarray
    score: np.ndarray
    weight: np.ndarray


def ams_at(curve: AMSCurve, cut: ArrayLike) -> float | FloatArray:
    """The AMS of the selection ``score >= cut``, read off ``curve`` (0 when nothing is selected).

    The selection ``score >= c`` is the curve's selection at the smallest of its cuts that is
    still >= c (its cuts are the distinct scores, decreasing).

    Raises
    ------
    TypeError
        ``curve`` is not an :class:`~hepclf.metrics.AMSCurve`, ``cut`` is not numeric.
    ValueError
        ``cut`` holds NaN or infinities, or is empty.
    """
    if not isinstance(curve, AMSCurve):
        raise TypeError(f"curve must be an AMSCurve (hepclf.metrics.ams_curve), got "
                        f"{type(curve).__name__}")  # fmt: skip
    cuts = as_numeric_array(cut, "cut")
    if cuts.size == 0:
        raise ValueError("cut is empty")
    check_finite(cuts, "cut")
    index = np.searchsorted(-curve.cuts, -cuts, side="right") - 1
    value = np.where(index >= 0, curve.ams[np.maximum(index, 0)], 0.0)
    return float(value) if value.ndim == 0 else value


class AMSBand(NamedTuple):
    """A bootstrap band of an AMS curve at given cuts.

    Attributes
    ----------
    cuts : ndarray
        Score cuts, increasing.
    ams : ndarray
        AMS of the events themselves at each cut (``score >= cut``).
    low, high : ndarray
        The central ``level`` interval of the AMS over the bootstrap replicates.
    level : float
        Probability content of the band (0.68: one standard deviation for a normal spread).
    replicates : int
        Bootstrap replicates drawn.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: build bands
        with :func:`ams_band`).
    """

    cuts: FloatArray
    ams: FloatArray
    low: FloatArray
    high: FloatArray
    level: float
    replicates: int

    def at(self, cut: float) -> tuple[float, float, float]:
        """(AMS, low, high) at the band's cut nearest ``cut``."""
        k = int(np.argmin(np.abs(self.cuts - cut)))
        return float(self.ams[k]), float(self.low[k]), float(self.high[k])


def ams_band(
    y: ArrayLike,
    score: ArrayLike,
    sample_weight: ArrayLike,
    *,
    cuts: ArrayLike | None = None,
    replicates: int = 200,
    level: float = 0.68,
    seed: int = 0,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
) -> AMSBand:
    """Statistical band of the AMS curve by a seeded Poisson bootstrap over the events (the
    resampling kernel the audit uses too: :mod:`hepclf.metrics._bootstrap`).

    Each replicate weights event i by ``w_i k_i`` with ``k_i ~ Poisson(1)`` (resampling the
    events with replacement, for a large sample), renormalises the weights to ``totals`` as the
    AMS of any subset must be (:func:`hepclf.metrics.renormalise`) and computes the AMS at every
    cut from the replicate's selected weight sums (one pass over the events per replicate, which
    sums them in the groups between consecutive cuts). The band is the central ``level`` interval
    of the replicates at each cut: how much the AMS of a sample of this size moves with the events
    drawn.

    Parameters
    ----------
    y, score, sample_weight : array-like
        Classes (1 = signal), classifier scores and physics weights, as for
        :func:`hepclf.metrics.ams_curve`.
    cuts : array-like, optional
        Where to evaluate the band (default: 201 cuts evenly spaced over the scores' range).
    replicates : int
        Bootstrap replicates (at least 10).
    level : float
        Probability content of the band, in (0, 1).
    seed : int
        Seed of the replicates.
    totals : (signal, background)
        Weight totals every replicate is renormalised to (default: HiggsML).

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``score`` or ``sample_weight`` is None or not
        numeric (boolean weights too); ``cuts`` is not numeric; ``level`` is not a number (the
        comparison fails); ``totals`` is not a pair of numbers.
    ValueError
        ``y`` is not 1-D, is empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``score`` or ``sample_weight`` is not 1-D, empty, NaN, infinite or of another length
        than ``y``; ``sample_weight`` is negative or all zero; ``cuts`` is not 1-D, empty, NaN
        or infinite; ``replicates`` is not a whole number >= 10, ``seed`` not a whole number
        >= 0; ``level`` is not in (0, 1); a total is not finite and positive; a replicate draws
        no weight of a class (too few events of it for a band).

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 2000)
    >>> band = ams_band(y, rng.normal(y, 1.0), np.ones(2000), cuts=[0.5, 1.0], replicates=50)
    >>> bool(np.all(band.low <= band.ams) and np.all(band.ams <= band.high))
    True
    """
    labels, values, weights = check_scored_events(y, score, sample_weight)
    replicates = check_count(replicates, "replicates", 10)
    level = check_real(level, "level", minimum=0.0, maximum=1.0, open_minimum=True,
                       open_maximum=True)  # fmt: skip
    grid = np.linspace(values.min(), values.max(), 201) if cuts is None else cuts
    grid = np.sort(as_float_array(grid, "cuts"))
    checked_totals = check_totals(totals)
    # group g = 2 j + class, where j counts the grid cuts at or below the event's score: the cut
    # grid[k] selects exactly the events with j > k. One pass per replicate sums every group.
    below = np.searchsorted(grid, values, side="right")
    sums = resampled_group_sums(
        2 * below + labels, weights[:, None], 2 * (grid.size + 1), n_resamples=replicates,
        seed=check_count(seed, "seed", 0),
    )[:, :, 0].reshape(replicates, grid.size + 1, 2)  # fmt: skip
    # selected (s, b) at each cut: the groups above it, summed from the top
    selected = np.cumsum(sums[:, :0:-1], axis=1)[:, ::-1]
    totals_drawn = sums.sum(axis=1)
    if not (totals_drawn > 0).all():
        raise ValueError(
            "a bootstrap replicate drew no weight of one class: too few events of that class for "
            "a band"
        )
    scale = np.array([checked_totals.background, checked_totals.signal]) / totals_drawn
    draws = ams(selected[:, :, 1] * scale[:, None, 1], selected[:, :, 0] * scale[:, None, 0])
    nominal = ams_at(ams_curve_checked(labels, values, weights, checked_totals), grid)
    low, high = np.quantile(draws, [(1 - level) / 2, (1 + level) / 2], axis=0)
    return AMSBand(grid, np.atleast_1d(nominal), low, high, float(level), replicates)


class MassBinEfficiencies(NamedTuple):
    """Background efficiency in bins of mass at several global efficiencies (flatness).

    Attributes
    ----------
    global_efficiency : ndarray, shape (k,)
        The fraction of all events each selection keeps.
    thresholds : ndarray, shape (k,)
        The prediction cut of each selection ``pred > threshold``.
    edges : ndarray, shape (m + 1,)
        Mass bin edges.
    events : ndarray, shape (m,)
        Events in each mass bin.
    efficiency : ndarray, shape (k, m)
        Fraction of each bin's events selected (NaN for a bin without events).

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: build them with
        :func:`mass_bin_efficiencies`).
    """

    global_efficiency: FloatArray
    thresholds: FloatArray
    edges: FloatArray
    events: np.ndarray
    efficiency: FloatArray

    @property
    def uncertainty(self) -> FloatArray:
        """Binomial standard error sqrt(eff (1 - eff) / n) of each bin's efficiency."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.sqrt(self.efficiency * (1 - self.efficiency) / self.events)


def mass_bin_efficiencies(
    pred: ArrayLike,
    mass: ArrayLike,
    *,
    global_efficiencies: Sequence[float] = (0.3, 0.5, 0.7, 0.9),
    bins: int = 10,
) -> MassBinEfficiencies:
    """Efficiency of the selections ``pred > t`` in equal-width bins of mass (the flatness test).

    For a global efficiency e the threshold t is the (1 - e) quantile of the predictions, so the
    selection keeps a fraction e of all events; in each mass bin the efficiency is
    ``#{pred > t in the bin} / #{events in the bin}``. A classifier that does not learn the mass
    keeps e in every bin; a peak where the signal sits means the classifier sculpts the
    background, as the CvM test measures.

    Raises
    ------
    TypeError
        ``pred``, ``mass`` or ``global_efficiencies`` is None or not numeric.
    ValueError
        ``pred``, ``mass`` or ``global_efficiencies`` is not 1-D, is empty, or holds NaN or
        infinities; ``mass`` has a length other than that of ``pred``; a global efficiency is
        not strictly between 0 and 1; ``bins`` is not a whole number >= 1.

    Examples
    --------
    >>> eff = mass_bin_efficiencies([0.1, 0.2, 0.8, 0.9], [1.0, 2.0, 3.0, 4.0],
    ...                             global_efficiencies=[0.5], bins=2)
    >>> eff.efficiency.tolist(), eff.events.tolist()
    ([[0.0, 1.0]], [2, 2])
    """
    predictions = as_float_array(pred, "pred")
    masses = as_float_array(mass, "mass")
    check_lengths({"mass": masses.size}, predictions.size)
    targets = as_float_array(global_efficiencies, "global_efficiencies")
    if not np.all((targets > 0) & (targets < 1)):
        raise ValueError(f"global_efficiencies must lie in (0, 1), got {targets}")
    if masses.min() == masses.max():
        raise ValueError(f"mass is the same ({masses[0]}) for every event: no mass bins to compare")
    edges = np.linspace(masses.min(), masses.max(), check_count(bins, "bins", 1) + 1)
    events, _ = np.histogram(masses, edges)
    thresholds = np.quantile(predictions, 1.0 - targets)
    selected = [np.histogram(masses[predictions > t], edges)[0] for t in thresholds]
    with np.errstate(invalid="ignore", divide="ignore"):
        efficiency = np.where(events > 0, np.array(selected) / events, np.nan)
    return MassBinEfficiencies(targets, thresholds, edges, events, efficiency)
