"""Figures of the Higgs ML report (ATLAS style): the weighted score distributions, the ROC, the AMS
against the score cut with its bootstrap band, and the feature importances.

Each ``draw_*`` returns a matplotlib Figure whose artists hold exactly the plotted numbers (the
tests read them back); each ``plot_*`` saves the same figure as a PNG.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf._utils import (
    as_float_array,
    as_scored_events,
    check_count,
    check_probabilities,
    check_real,
)
from hepclf.metrics.ams import AMSCurve, renormalise
from hepclf.metrics.auc import roc_curve_points
from hepclf.report._checks import instance_of, optional_real, results_of
from hepclf.report._plotting import new_axes, pyplot, save, style
from hepclf.report.summaries import AMSBand, ScoredEvents, ams_at

__all__ = [
    "SCORE_BINS",
    "draw_ams_curves",
    "draw_feature_importances",
    "draw_roc",
    "draw_score_distributions",
    "plot_ams_curves",
    "plot_feature_importances",
    "plot_roc",
    "plot_score_distributions",
]

SCORE_BINS = np.linspace(0.0, 1.0, 51)
#: The AMS figure shows the cuts that keep at least this fraction of the first set's signal
#: (tighter ones select a handful of events, whose AMS swings wildly).
_KEPT_SIGNAL = 0.05
#: A legend that hides the lines behind it (the cut line crosses it).
_OPAQUE = {"frameon": True, "framealpha": 0.9, "edgecolor": "none"}
#: Colours of the data sets, the same in every Higgs figure.
_COLOURS = ("tab:blue", "tab:orange", "tab:green", "tab:purple")


def _cut_line(axis, cut: float) -> None:
    axis.axvline(cut, color="tab:red", linestyle="--", label=f"chosen cut {cut:.4g}")


def draw_score_distributions(
    y: np.ndarray,
    score: np.ndarray,
    weight: np.ndarray,
    *,
    cut: float | None = None,
    data_label: str = "",
    experiment: str = "ATLAS",
):
    """Weighted distributions of the signal probability for signal and background (log y).

    The weights are renormalised per class to the HiggsML totals first, so the heights are
    expected events at the challenge luminosity (``axis.patches`` 0: signal, 1: background, over
    :data:`SCORE_BINS`); with ``cut``, a vertical line marks the selection ``score >= cut``.

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``score`` or ``weight`` is None or not numeric
        (boolean weights too); ``cut`` is not a real number.
    ValueError
        ``y`` is not 1-D, is empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``score`` or ``weight`` is not 1-D, empty, NaN, infinite or of another length than
        ``y``; ``score`` lies outside [0, 1]; ``weight`` is negative, all zero or sums to zero in
        a class; ``cut`` is NaN or infinite.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    labels, score, weight = as_scored_events(y, score, weight, weights_required=True)
    check_probabilities(score, "score")
    cut = optional_real(cut, "cut")
    expected = renormalise(labels, weight)
    signal = labels == 1
    with style(experiment):
        figure, axis = new_axes(experiment)
        for mask, label in ((signal, r"signal ($H \to \tau\tau$)"), (~signal, "background")):
            events, _ = np.histogram(score[mask], bins=SCORE_BINS, weights=expected[mask])
            axis.stairs(events, SCORE_BINS, linewidth=1.5, label=label)
        if cut is not None:
            _cut_line(axis, cut)
        axis.set_yscale("log")
        axis.set_xlim(0, 1)
        axis.set_ylim(top=axis.get_ylim()[1] * 30)  # room for the legend above the histograms
        axis.set_xlabel("signal probability (out-of-fold)")
        axis.set_ylabel("expected events per bin")
        axis.legend(loc="upper center", title=data_label or None, ncols=2)
    return figure


def plot_score_distributions(y, score, weight, path: str | Path, **options) -> Path:
    """:func:`draw_score_distributions` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        What :func:`draw_score_distributions` refuses as such (``y``, ``score``, ``weight``,
        ``cut``), or ``path`` is not a file name (a string or path).
    ValueError
        What :func:`draw_score_distributions` refuses as such, or matplotlib cannot write the
        suffix of ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_score_distributions(y, score, weight, **options), path)


def draw_ams_curves(
    curves: Mapping[str, AMSCurve],
    *,
    cut: float,
    bands: Mapping[str, AMSBand] | None = None,
    data_label: str = "",
    experiment: str = "ATLAS",
):
    """AMS against the score cut for several data sets, with the chosen cut and the bands.

    ``axis.lines`` k: the AMS of the selection ``score >= c`` against c for the k-th curve
    (``curve.cuts``, ``curve.ams``), then the vertical line at ``cut``; ``axis.collections`` k:
    the band of the k-th curve (``band.cuts``, ``band.low`` to ``band.high``) when ``bands`` has
    it. Each legend entry gives the AMS at the cut and, with a band, its interval. The x axis is
    the logit scale, which spreads the probabilities near 1 where the cuts are; it runs from 0.5
    to the tightest cut that keeps 5 % of the first curve's signal (tighter ones select a handful
    of events, whose AMS swings wildly), and the y axis ends above that curve's AMS there.

    Raises
    ------
    TypeError
        ``curves`` (or ``bands``) is not a mapping, or an entry is not an
        :class:`~hepclf.metrics.AMSCurve` (an :class:`~hepclf.report.AMSBand`); ``cut`` is not a
        real number.
    ValueError
        ``curves`` (or ``bands``) is empty; ``cut`` is NaN or infinite.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    results_of(curves, "curves", AMSCurve)
    cut = check_real(cut, "cut")
    bands = {} if bands is None else results_of(bands, "bands", AMSBand)
    with style(experiment):
        figure, axis = new_axes(experiment)
        for colour, (name, curve) in zip(_COLOURS, curves.items(), strict=False):
            axis.plot(curve.cuts, curve.ams, color=colour, linewidth=1.5, label=name)
        _cut_line(axis, cut)
        for colour, name in zip(_COLOURS, curves, strict=False):
            if name in bands:
                band = bands[name]
                axis.fill_between(band.cuts, band.low, band.high, color=colour, alpha=0.25)
        first = next(iter(curves.values()))
        upper = _tightest_cut_keeping(first, _KEPT_SIGNAL)
        axis.set_xscale("logit")
        axis.set_xlim(0.5, upper)
        ticks = _spread_ticks(upper)
        axis.set_xticks(ticks, [f"{t:g}" for t in ticks])
        axis.minorticks_off()
        axis.set_ylim(0, 1.9 * float(np.max(first.ams[first.cuts <= upper])))
        axis.set_xlabel("cut on the signal probability (select score >= cut)")
        axis.set_ylabel("AMS (weights renormalised)")
        labels = [_ams_label(name, curves, bands, cut) for name in curves]
        axis.legend(axis.lines, [*labels, cut_label(cut)], loc="upper left",
                    title=data_label or None, fontsize="small", **_OPAQUE)  # fmt: skip
    return figure


def cut_label(cut: float) -> str:
    """The legend entry of the chosen cut."""
    return f"chosen cut {cut:.4g}"


def _ams_label(name: str, curves, bands, cut: float) -> str:
    if name not in bands:
        return f"{name}: AMS {ams_at(curves[name], cut):.3f} at the cut"
    value, low, high = bands[name].at(cut)
    return f"{name}: AMS {value:.3f} at the cut ({bands[name].level:.0%}: {low:.2f} - {high:.2f})"


def _tightest_cut_keeping(curve: AMSCurve, efficiency: float) -> float:
    """The highest cut whose selection keeps at least ``efficiency`` of the signal."""
    return float(curve.cuts[np.argmax(curve.signal >= efficiency * curve.signal[-1])])


def _spread_ticks(upper: float) -> list[float]:
    """Round cuts from 0.5 to ``upper``, at least 1/8 of the axis apart on the logit scale."""
    kept: list[float] = []
    for tick in (0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.98, 0.99, 0.995, 0.998, 0.999):
        if tick <= upper and (not kept or _logit(tick) - _logit(kept[-1]) >= _logit(upper) / 8):
            kept.append(tick)
    return kept


def _logit(p: float) -> float:
    return float(np.log(p / (1 - p)))


def plot_ams_curves(curves: Mapping[str, AMSCurve], path: str | Path, **options) -> Path:
    """:func:`draw_ams_curves` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        What :func:`draw_ams_curves` refuses as such (``curves``, ``bands``, ``cut``), or
        ``path`` is not a file name (a string or path).
    ValueError
        ``curves`` (or ``bands``) is empty, ``cut`` is NaN or infinite, or matplotlib cannot
        write the suffix of ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from hepclf.metrics import ams_curve
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 1000)
    >>> curve = ams_curve(y, 1 / (1 + np.exp(-rng.normal(2 * y - 1, 1.0))), np.ones(1000))
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> plot_ams_curves({"validation": curve}, folder / "ams.png", cut=0.8).name
    'ams.png'
    """
    return save(draw_ams_curves(curves, **options), path)


def draw_roc(
    sets: Mapping[str, ScoredEvents],
    *,
    cut: float | None = None,
    data_label: str = "",
    experiment: str = "ATLAS",
):
    """Weighted ROC curves: background rejection 1 / eff_b against signal efficiency eff_s.

    eff_s and eff_b are the weighted fractions of signal and background with ``score >= c``
    (:func:`hepclf.metrics.roc_curve_points`, points with eff_b = 0 left out: their rejection is
    infinite). ``axis.lines`` k: the k-th set's curve (x: TPR, y: 1 / FPR); with ``cut``, then
    one marker per set at the selection ``score >= cut``, in the same order (none where that
    selection holds no background), and an empty line for the legend.

    Raises
    ------
    TypeError
        ``sets`` is not a mapping, or an entry is not a :class:`~hepclf.report.ScoredEvents`, or
        its ``y``, ``score`` or ``weight`` is of a kind :func:`~hepclf.metrics.roc_curve_points`
        refuses (non-numeric); ``cut`` is not a real number.
    ValueError
        ``sets`` is empty; a set's events are refused by
        :func:`~hepclf.metrics.roc_curve_points` (a single class, labels other than 0/1,
        mismatched lengths, NaN, infinities, negative weights or a class without weight);
        ``cut`` is NaN or infinite.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    results_of(sets, "sets", ScoredEvents)
    cut = optional_real(cut, "cut")
    points = {name: roc_curve_points(*events) for name, events in sets.items()}
    with style(experiment):
        figure, axis = new_axes(experiment)
        for colour, (name, (fpr, tpr)) in zip(_COLOURS, points.items(), strict=False):
            kept = fpr > 0
            axis.plot(tpr[kept], 1 / fpr[kept], color=colour, linewidth=1.5, label=name)
        if cut is not None:
            for colour, (name, (fpr, tpr)) in zip(_COLOURS, points.items(), strict=False):
                k = np.count_nonzero(np.unique(sets[name].score) >= cut)  # ROC point 0: no event
                if fpr[k] > 0:
                    axis.plot(tpr[k], 1 / fpr[k], "o", color=colour, markeredgecolor="black")
            axis.plot([], [], "o", color="white", markeredgecolor="black", label=cut_label(cut))
        axis.set_yscale("log")
        axis.set_xlim(0, 1)
        axis.set_ylim(bottom=1)
        axis.set_xlabel(r"signal efficiency $\varepsilon_s$ (weighted)")
        axis.set_ylabel(r"background rejection $1/\varepsilon_b$ (weighted)")
        axis.legend(loc="upper right", title=data_label or None, fontsize="small")
    return figure


def plot_roc(sets: Mapping[str, ScoredEvents], path: str | Path, **options) -> Path:
    """:func:`draw_roc` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        What :func:`draw_roc` refuses as such (``sets``, their events, ``cut``), or ``path`` is
        not a file name (a string or path).
    ValueError
        What :func:`draw_roc` refuses as such, or matplotlib cannot write the suffix of ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_roc(sets, **options), path)


def draw_feature_importances(
    importances: pd.Series,
    *,
    top: int = 15,
    title: str = "",
    experiment: str = "ATLAS",
):
    """Horizontal bars of the ``top`` largest importances, the largest at the top.

    ``axis.patches`` k is the k-th largest (its width the importance), and the y tick labels
    name the features in the same order.

    Raises
    ------
    TypeError
        ``importances`` is not a pandas Series, or its values are not numeric.
    ValueError
        ``importances`` is empty or holds NaN or infinities; ``top`` is not a whole number >= 1.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    instance_of(importances, "importances", pd.Series)
    check_count(top, "top", 1)
    if importances.empty:
        raise ValueError("importances is empty: nothing to draw")
    as_float_array(importances, "importances")  # numbers, no NaN
    shown = importances.sort_values(ascending=False).iloc[:top]
    with style(experiment):
        figure, axis = new_axes(experiment)
        rows = np.arange(len(shown))
        axis.barh(rows, shown.to_numpy(), color="tab:blue")
        axis.set_yticks(rows, [str(name) for name in shown.index], fontsize="x-small")
        axis.invert_yaxis()
        axis.minorticks_off()
        axis.tick_params(axis="y", length=0)
        axis.xaxis.set_major_locator(pyplot().MaxNLocator(5))
        axis.set_xlabel(importances.name or "importance")
        if title:
            axis.set_title(title, fontsize="small")
    return figure


def plot_feature_importances(importances: pd.Series, path: str | Path, **options) -> Path:
    """:func:`draw_feature_importances` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        ``importances`` is not a pandas Series of numbers, or ``path`` is not a file name (a
        string or path).
    ValueError
        ``importances`` is empty or holds NaN or infinities, ``top`` is not a whole number >= 1,
        or matplotlib cannot write the suffix of ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_feature_importances(importances, **options), path)
