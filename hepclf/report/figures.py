"""Figures of the reports (matplotlib in the experiments' style with mplhep; both are imported
only when a figure is drawn: the optional extra ``hepclf[plot]``)."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path

import numpy as np

from hepclf.metrics.agreement import AgreementCurves
from hepclf.metrics.ams import AMSCurve, renormalise


def require_matplotlib() -> None:
    """Raise ImportError, saying how to install it, unless matplotlib can be imported."""
    _pyplot()


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("plotting needs matplotlib: pip install 'hepclf[plot]'") from error
    return plt


#: Figure size (inches) that suits each experiment's style (LHCb's uses larger type).
_FIGURE_SIZE = {"ATLAS": (7.0, 5.0), "LHCb2": (10.0, 7.5)}


def _style(experiment: str):
    """The experiment's plot style from mplhep ('ATLAS', 'LHCb2'), or matplotlib's default when
    mplhep is not installed."""
    try:
        import mplhep
    except ImportError:  # pragma: no cover - depends on the installation
        return contextlib.nullcontext()
    # the styles name fallback fonts (e.g. 'cursive') that most machines lack: no warning per call
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return _pyplot().style.context(getattr(mplhep.style, experiment))


def _save(figure, path: str | Path) -> Path:
    """Write ``figure`` to ``path`` (PNG, 120 dpi) and release it."""
    path = Path(path)
    figure.tight_layout()
    figure.savefig(path, dpi=120)
    _pyplot().close(figure)
    return path


def draw_ams_curve(curve: AMSCurve, *, cut: float | None = None, experiment: str = "ATLAS"):
    """The figure of :func:`plot_ams_curve` (a matplotlib Figure, not yet saved).

    Line 0 of its axes is the AMS against the selected signal efficiency s(cut) / s_total; with
    ``cut``, line 1 is a vertical line at the efficiency of the selection ``score >= cut``.
    """
    plt = _pyplot()
    efficiency = curve.signal / curve.signal[-1]
    with _style(experiment):
        figure, axis = plt.subplots(figsize=_FIGURE_SIZE.get(experiment, (7.0, 5.0)))
        axis.plot(efficiency, curve.ams, color="tab:blue", label="AMS of the cut score >= c")
        if cut is not None:
            index = int(np.searchsorted(-curve.cuts, -cut, side="right")) - 1
            index = min(max(index, 0), curve.cuts.size - 1)
            axis.axvline(
                efficiency[index], color="tab:red", linestyle="--", label=f"chosen cut {cut:.4g}"
            )
        axis.set_xlabel("signal efficiency of the selection")
        axis.set_ylabel("AMS (weights renormalised)")
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1.15 * float(np.max(curve.ams)))
        axis.legend(loc="lower center")
    return figure


def plot_ams_curve(
    curve: AMSCurve, path: str | Path, *, cut: float | None = None, experiment: str = "ATLAS"
) -> Path:
    """AMS against the fraction of the signal selected, with the chosen cut marked.

    The x axis is the selected signal weight fraction (signal efficiency), which reads the same
    whatever the score's scale. Returns the path of the PNG written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> from hepclf.metrics import ams_curve
    >>> rng = np.random.default_rng(0)
    >>> y = rng.integers(0, 2, 1000)
    >>> curve = ams_curve(y, rng.normal(y, 1.0), np.ones(1000))
    >>> plot_ams_curve(curve, pathlib.Path(tempfile.mkdtemp()) / "ams.png").name
    'ams.png'
    """
    return _save(draw_ams_curve(curve, cut=cut, experiment=experiment), path)


AGREEMENT_BINS = np.linspace(0.0, 1.0, 41)


def draw_agreement(
    pred_data: np.ndarray,
    pred_sim: np.ndarray,
    weight_data: np.ndarray,
    weight_sim: np.ndarray,
    *,
    data_label: str = "real data (sWeighted)",
    title: str = "control channel",
    ks: float | None = None,
    experiment: str = "LHCb2",
):
    """The figure of :func:`plot_agreement` (a matplotlib Figure, not yet saved).

    Its axes hold two step histograms (``axis.patches`` 0: data, 1: simulation) of the
    predictions over :data:`AGREEMENT_BINS`, each side's weights normalised to sum 1, as the KS test
    compares them (sWeighted data can have negative bins).
    """
    plt = _pyplot()
    with _style(experiment):
        figure, axis = plt.subplots(figsize=_FIGURE_SIZE.get(experiment, (7.0, 5.0)))
        highest = 0.0
        for values, weights, label in (
            (pred_data, weight_data, data_label),
            (pred_sim, weight_sim, "simulation"),
        ):
            weights = np.asarray(weights, dtype=np.float64)
            fractions, _ = np.histogram(values, bins=AGREEMENT_BINS, weights=weights)
            fractions = fractions / weights.sum()
            highest = max(highest, float(fractions.max()))
            axis.stairs(fractions, AGREEMENT_BINS, linewidth=1.5, label=label)
        axis.set_xlabel("signal probability")
        axis.set_ylabel("weighted fraction of events")
        axis.set_xlim(0, 1)
        axis.set_ylim(top=1.4 * highest)  # room for the legend above the histograms
        legend_title = title if ks is None else f"{title}\nKS = {ks:.4f}"
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
    """
    return _save(draw_agreement(pred_data, pred_sim, weight_data, weight_sim, **options), path)


SCORE_BINS = np.linspace(0.0, 1.0, 51)


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
    """
    plt = _pyplot()
    expected = renormalise(y, weight)
    signal = np.asarray(y) == 1
    with _style(experiment):
        figure, axis = plt.subplots(figsize=_FIGURE_SIZE.get(experiment, (7.0, 5.0)))
        for mask, label in ((signal, "signal (H -> tau tau)"), (~signal, "background")):
            events, _ = np.histogram(score[mask], bins=SCORE_BINS, weights=expected[mask])
            axis.stairs(events, SCORE_BINS, linewidth=1.5, label=label)
        if cut is not None:
            axis.axvline(cut, color="tab:red", linestyle="--", label=f"chosen cut {cut:.4g}")
        axis.set_yscale("log")
        axis.set_xlim(0, 1)
        axis.set_xlabel("signal probability (out-of-fold)")
        axis.set_ylabel("expected events per bin")
        axis.legend(loc="upper center", title=data_label or None)
    return figure


def plot_score_distributions(y, score, weight, path: str | Path, **options) -> Path:
    """:func:`draw_score_distributions` saved as a PNG at ``path``."""
    return _save(draw_score_distributions(y, score, weight, **options), path)


def draw_agreement_cdfs(
    curves: AgreementCurves,
    *,
    data_label: str = "real data (sWeighted)",
    experiment: str = "LHCb2",
):
    """The KS agreement test as a picture: the two weighted cumulative distributions of the
    predictions on the control channel, and the largest distance between them marked.

    ``axis.lines`` 0: data, 1: simulation (x: the distinct predictions, increasing; y: the
    weighted fraction below), 2: the vertical segment of length KS where the distance is reached.
    """
    plt = _pyplot()
    x = curves.cuts[::-1]
    below_data, below_sim = 1.0 - curves.real[::-1], 1.0 - curves.sim[::-1]
    where = int(np.argmax(np.abs(below_data - below_sim)))
    with _style(experiment):
        figure, axis = plt.subplots(figsize=_FIGURE_SIZE.get(experiment, (7.0, 5.0)))
        axis.plot(x, below_data, drawstyle="steps-post", linewidth=1.5, label=data_label)
        axis.plot(x, below_sim, drawstyle="steps-post", linewidth=1.5, label="simulation")
        axis.plot(
            [x[where], x[where]], [below_data[where], below_sim[where]], color="tab:red",
            linewidth=2.5, label=f"KS = {curves.distance:.4f}",
        )  # fmt: skip
        axis.set_xlim(0, 1)
        axis.set_xlabel("signal probability")
        axis.set_ylabel("fraction below (weighted)")
        axis.legend(loc="upper left")
    return figure


def plot_agreement_cdfs(curves: AgreementCurves, path: str | Path, **options) -> Path:
    """:func:`draw_agreement_cdfs` saved as a PNG at ``path``."""
    return _save(draw_agreement_cdfs(curves, **options), path)
