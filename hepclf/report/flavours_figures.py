"""Figures of the Flavours of Physics report (LHCb style): the agreement test (weighted
distributions and cumulative distributions with the KS distance), the flatness picture (background
efficiency in bins of mass, with the CvM value) and the ROC with the truncated-AUC bands.

Each ``draw_*`` returns a matplotlib Figure whose artists hold exactly the plotted numbers (the
tests read them back); each ``plot_*`` saves the same figure as a PNG.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hepclf._utils import as_float_array, as_weights, check_positive_total, check_probabilities
from hepclf.metrics.agreement import AgreementCurves
from hepclf.metrics.auc import ROC_WEIGHTS, TPR_THRESHOLDS, roc_curve_points, truncated_auc
from hepclf.report._checks import instance_of, optional_real
from hepclf.report._plotting import new_axes, pyplot, save, style
from hepclf.report.document import format_against
from hepclf.report.summaries import MassBinEfficiencies

__all__ = [
    "AGREEMENT_BINS",
    "draw_agreement",
    "draw_agreement_cdfs",
    "draw_flatness",
    "draw_truncated_roc",
    "plot_agreement",
    "plot_agreement_cdfs",
    "plot_flatness",
    "plot_truncated_roc",
]

AGREEMENT_BINS = np.linspace(0.0, 1.0, 41)
#: Legend text of the figures with several entries (LHCb2's default, 28 pt, crowds them).
_LEGEND_TEXT = {"fontsize": 20, "title_fontsize": 20, "alignment": "left"}


def draw_agreement(
    pred_data: np.ndarray,
    pred_sim: np.ndarray,
    weight_data: np.ndarray,
    weight_sim: np.ndarray,
    *,
    data_label: str = "real data (sWeighted)",
    title: str = "control channel",
    ks: float | None = None,
    ks_limit: float | None = None,
    experiment: str = "LHCb2",
):
    """The figure of :func:`plot_agreement` (a matplotlib Figure, not yet saved).

    Its axes hold two step histograms (``axis.patches`` 0: data, 1: simulation) of the
    predictions over :data:`AGREEMENT_BINS`, each side's weights normalised to sum 1, as the KS test
    compares them (sWeighted data can have negative bins). With ``ks``, the legend title gives
    it (beside ``ks_limit`` when given).

    Raises
    ------
    TypeError
        A prediction array is None or not numeric; a weight array is not numeric or holds
        booleans; ``ks`` or ``ks_limit`` is not a real number.
    ValueError
        A prediction array is empty, not 1-D, NaN, infinite or outside [0, 1]; a weight array
        has the wrong length, NaN or infinities, or does not sum to a positive number; ``ks`` or
        ``ks_limit`` is NaN or infinite.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    sides = []
    for values, weights, name in ((pred_data, weight_data, "data"), (pred_sim, weight_sim, "sim")):
        values = as_float_array(values, f"pred_{name}")
        check_probabilities(values, f"pred_{name}")
        weights = as_weights(weights, f"weight_{name}", values.size, allow_negative=True)
        sides.append((values, weights / check_positive_total(weights, f"weight_{name}")))
    ks, ks_limit = optional_real(ks, "ks"), optional_real(ks_limit, "ks_limit")
    with style(experiment):
        figure, axis = new_axes(experiment)
        highest = 0.0
        for (values, weights), label in zip(sides, (data_label, "simulation"), strict=True):
            fractions, _ = np.histogram(values, bins=AGREEMENT_BINS, weights=weights)
            highest = max(highest, float(fractions.max()))
            axis.stairs(fractions, AGREEMENT_BINS, linewidth=1.5, label=label)
        axis.set_xlabel("signal probability")
        axis.set_ylabel("weighted fraction of events")
        axis.set_xlim(0, 1)
        axis.set_ylim(top=1.4 * highest)  # room for the legend above the histograms
        legend_title = title if ks is None else f"{title}\n{_statistic('KS', ks, ks_limit)}"
        axis.legend(loc="upper left", title=legend_title, alignment="left")
    return figure


def plot_agreement(
    pred_data: np.ndarray,
    pred_sim: np.ndarray,
    weight_data: np.ndarray,
    weight_sim: np.ndarray,
    path: str | Path,
    **options,
) -> Path:
    """Weighted distributions of the predictions on data and on simulation (the KS test).

    ``options`` as :func:`draw_agreement` (``data_label``: say "simulated data" when the data
    side is itself simulated). Returns the path of the PNG written.

    Raises
    ------
    TypeError
        What :func:`draw_agreement` refuses as such (predictions, weights, ``ks``,
        ``ks_limit``), or ``path`` is not a file name (a string or path).
    ValueError
        What :func:`draw_agreement` refuses as such, or matplotlib cannot write the suffix of
        ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_agreement(pred_data, pred_sim, weight_data, weight_sim, **options), path)


def draw_agreement_cdfs(
    curves: AgreementCurves,
    *,
    data_label: str = "real data (sWeighted)",
    title: str = "",
    limit: float | None = None,
    experiment: str = "LHCb2",
):
    """The KS agreement test as a picture: the two weighted cumulative distributions of the
    predictions on the control channel, and the largest distance between them marked.

    ``axis.lines`` 0: data, 1: simulation (x: the distinct predictions, increasing; y: the
    weighted fraction below), 2: the vertical segment of length KS where the distance is reached
    (its legend entry gives the value, beside ``limit`` when given, and where it is reached); an
    inset axis repeats the three around the mark.

    Raises
    ------
    TypeError
        ``curves`` is not an :class:`~hepclf.metrics.AgreementCurves`; ``limit`` is not a real
        number.
    ValueError
        ``limit`` is NaN or infinite.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    instance_of(curves, "curves", AgreementCurves)
    limit = optional_real(limit, "limit")
    x = curves.cuts[::-1]
    below_data, below_sim = 1.0 - curves.real[::-1], 1.0 - curves.sim[::-1]
    where = int(np.argmax(np.abs(below_data - below_sim)))
    mark = ([x[where], x[where]], [below_data[where], below_sim[where]])
    with style(experiment):
        figure, axis = new_axes(experiment)
        zoom = axis.inset_axes([0.45, 0.25, 0.33, 0.33])
        for target in (axis, zoom):
            target.plot(x, below_data, drawstyle="steps-post", linewidth=1.5, label=data_label)
            target.plot(x, below_sim, drawstyle="steps-post", linewidth=1.5, label="simulation")
            target.plot(*mark, color="tab:red", linewidth=3, label=f"largest distance "
                        f"{_statistic('KS', curves.distance, limit)}\nat prediction "
                        f"{x[where]:.3f}")  # fmt: skip
        _zoom_on(zoom, x[where], mark[1])
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1.05)
        axis.set_xlabel("signal probability")
        axis.set_ylabel("weighted fraction below")
        axis.legend(loc="upper left", title=title or None, **_LEGEND_TEXT)
    return figure


def _zoom_on(zoom, x: float, y: list[float]) -> None:
    """Frame the inset ``zoom`` around the KS segment at ``x`` from y[0] to y[1]."""
    low, high = min(y), max(y)
    margin = max(high - low, 0.02)
    zoom.set_xlim(max(x - 0.03, 0), min(x + 0.03, 1))
    zoom.set_ylim(max(low - margin, 0), min(high + margin, 1.05))
    zoom.tick_params(labelsize=14)
    zoom.set_title("zoom on the largest distance", fontsize=16)


def plot_agreement_cdfs(curves: AgreementCurves, path: str | Path, **options) -> Path:
    """:func:`draw_agreement_cdfs` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        ``curves`` is not an :class:`~hepclf.metrics.AgreementCurves`, ``limit`` not a real
        number, or ``path`` not a file name (a string or path).
    ValueError
        ``limit`` is NaN or infinite, or matplotlib cannot write the suffix of ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_agreement_cdfs(curves, **options), path)


def draw_flatness(
    efficiencies: MassBinEfficiencies,
    *,
    cvm: float | None = None,
    cvm_limit: float | None = None,
    data_label: str = "real background (check_correlation)",
    experiment: str = "LHCb2",
):
    """Background efficiency against mass at several global efficiencies (the flatness test).

    ``axis.containers`` k is the error bar set of the k-th global efficiency (x: bin centres,
    y: ``efficiencies.efficiency[k]``, y errors the binomial ones); ``axis.lines`` then hold one
    dotted horizontal line per global efficiency after them. The legend title gives the CvM value
    (and the limit it was held to).

    Raises
    ------
    TypeError
        ``efficiencies`` is not a :class:`~hepclf.report.MassBinEfficiencies`; ``cvm`` or
        ``cvm_limit`` is not a real number.
    ValueError
        ``cvm`` or ``cvm_limit`` is NaN or infinite.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    instance_of(efficiencies, "efficiencies", MassBinEfficiencies)
    cvm, cvm_limit = optional_real(cvm, "cvm"), optional_real(cvm_limit, "cvm_limit")
    edges = efficiencies.edges
    centres, half = 0.5 * (edges[1:] + edges[:-1]), 0.5 * np.diff(edges)
    with style(experiment):
        figure, axis = new_axes(experiment)
        rows = zip(
            efficiencies.global_efficiency, efficiencies.efficiency, efficiencies.uncertainty,
            strict=True,
        )  # fmt: skip
        for k, (target, efficiency, error) in enumerate(rows):
            axis.errorbar(
                centres, efficiency, yerr=error, xerr=half, fmt="o", color=f"C{k}",
                label=f"keeps {target:.0%} overall",
            )  # fmt: skip
        for k, target in enumerate(efficiencies.global_efficiency):
            axis.axhline(target, color=f"C{k}", linestyle=":", linewidth=1)
        axis.set_xlim(edges[0], edges[-1])
        axis.set_ylim(0, 1.4)  # room for the legend above the points
        axis.xaxis.set_major_locator(pyplot().MaxNLocator(5))
        axis.set_xlabel(r"reconstructed mass $m(3\mu)$ [MeV]")
        axis.set_ylabel("background efficiency")
        title = _flatness_title(data_label, cvm, cvm_limit)
        axis.legend(loc="upper left", title=title, ncols=2, **_LEGEND_TEXT)
    return figure


def _flatness_title(data_label: str, cvm: float | None, limit: float | None) -> str:
    return data_label if cvm is None else f"{data_label}\n{_statistic('CvM', cvm, limit, 6)}"


def _statistic(name: str, value: float, limit: float | None, decimals: int = 4) -> str:
    """'KS = 0.0792 (limit 0.08)': a test statistic beside its limit, never reading as equal."""
    if limit is None:
        return f"{name} = {value:.{decimals}f}"
    return f"{name} = {format_against(value, limit, decimals)} (limit {limit:g})"


def plot_flatness(efficiencies: MassBinEfficiencies, path: str | Path, **options) -> Path:
    """:func:`draw_flatness` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        ``efficiencies`` is not a :class:`~hepclf.report.MassBinEfficiencies`, ``cvm`` or
        ``cvm_limit`` not a real number, or ``path`` not a file name (a string or path).
    ValueError
        ``cvm`` or ``cvm_limit`` is NaN or infinite, or matplotlib cannot write the suffix of
        ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_flatness(efficiencies, **options), path)


def draw_truncated_roc(
    y: np.ndarray,
    pred: np.ndarray,
    sample_weight: np.ndarray | None = None,
    *,
    label: str = "classifier",
    data_label: str = "",
    experiment: str = "LHCb2",
):
    """The ROC curve (TPR against FPR) with the bands of the weighted truncated AUC shaded.

    The score of the challenge weights the area under the curve in the TPR bands between
    0, :data:`~hepclf.metrics.TPR_THRESHOLDS` and 1 by :data:`~hepclf.metrics.ROC_WEIGHTS`
    (:func:`hepclf.metrics.truncated_auc`); each band is shaded by its weight, which the right
    axis (``axis.child_axes[0]``) labels. ``axis.lines`` 0 is the curve
    (:func:`hepclf.metrics.roc_curve_points`; the FPR axis is logarithmic, so the point at FPR 0
    is left out), 1 the random classifier; ``axis.patches`` are the bands, lowest first. The
    legend gives the weighted truncated AUC (computed on the linear FPR scale, as scored).

    Raises
    ------
    TypeError
        ``y`` holds labels of a non-numeric kind; ``pred`` is None or not numeric;
        ``sample_weight`` is not numeric or holds booleans.
    ValueError
        ``y`` is not 1-D, is empty, holds labels other than 0/1 ('b'/'s') or a single class;
        ``pred`` is not 1-D, empty, NaN, infinite, outside [0, 1] or of another length than
        ``y``; ``sample_weight`` has the wrong length, NaN, infinities or negative values, or
        sums to zero in a class.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    ImportError
        matplotlib is not installed.
    """
    fpr, tpr = roc_curve_points(y, pred, sample_weight)
    value = truncated_auc(y, pred, sample_weight)
    edges = np.array([0.0, *TPR_THRESHOLDS, 1.0])
    kept = fpr > 0
    lowest = 10 ** np.floor(np.log10(fpr[kept].min()))
    with style(experiment):
        figure, axis = new_axes(experiment)
        axis.plot(fpr[kept], tpr[kept], color="tab:blue", linewidth=2,
                  label=f"{label}\nweighted truncated AUC = {value:.6f}")  # fmt: skip
        grid = np.logspace(np.log10(lowest), 0, 200)
        axis.plot(grid, grid, color="grey", linestyle=":", label="random classifier")
        for low, high, weight in zip(edges[:-1], edges[1:], ROC_WEIGHTS, strict=True):
            axis.axhspan(low, high, color="tab:orange", alpha=0.45 * weight / max(ROC_WEIGHTS))
        weights = axis.secondary_yaxis("right")
        weights.set_yticks(0.5 * (edges[1:] + edges[:-1]), [f"{w:g}" for w in ROC_WEIGHTS])
        weights.set_ylabel("weight of the TPR band", fontsize=24)
        weights.minorticks_off()
        axis.set_xscale("log")
        axis.set_xlim(lowest, 1)
        axis.set_ylim(0, 1)
        axis.set_xlabel("background efficiency (FPR)")
        axis.set_ylabel("signal efficiency (TPR)")
        axis.legend(loc="upper left", title=data_label or None, **_LEGEND_TEXT)
    return figure


def plot_truncated_roc(y, pred, sample_weight, path: str | Path, **options) -> Path:
    """:func:`draw_truncated_roc` saved as a PNG at ``path``.

    Raises
    ------
    TypeError
        What :func:`draw_truncated_roc` refuses as such (``y``, ``pred``, ``sample_weight``),
        or ``path`` is not a file name (a string or path).
    ValueError
        What :func:`draw_truncated_roc` refuses as such, or matplotlib cannot write the suffix
        of ``path``.
        Also: ``experiment`` names no mplhep style (a TypeError when it is not a string).
    FileNotFoundError
        The folder of ``path`` does not exist.
    ImportError
        matplotlib is not installed.
    """
    return save(draw_truncated_roc(y, pred, sample_weight, **options), path)
