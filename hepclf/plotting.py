"""Figures for reports (matplotlib, imported only when a figure is drawn)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from hepclf.metrics.ams import AMSCurve


def _pyplot():
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("plotting needs matplotlib: pip install 'hepclf[plot]'") from error
    return plt


def plot_ams_curve(curve: AMSCurve, path: str | Path, *, cut: float | None = None) -> Path:
    """AMS against the fraction of events selected, with the chosen cut marked.

    The x axis is the selected signal weight fraction (signal efficiency), which reads the same
    whatever the score's scale.
    """
    plt = _pyplot()
    efficiency = curve.signal / curve.signal[-1]
    figure, axis = plt.subplots(figsize=(6, 4))
    axis.plot(efficiency, curve.ams, color="tab:blue")
    if cut is not None:
        index = int(np.searchsorted(-curve.cuts, -cut, side="right")) - 1
        index = min(max(index, 0), curve.cuts.size - 1)
        axis.axvline(efficiency[index], color="tab:red", linestyle="--", label=f"cut {cut:.4g}")
        axis.legend()
    axis.set_xlabel("signal efficiency of the selection")
    axis.set_ylabel("AMS (weights renormalised)")
    axis.grid(alpha=0.3)
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path


def plot_agreement(
    pred_real: np.ndarray,
    pred_sim: np.ndarray,
    weight_real: np.ndarray,
    weight_sim: np.ndarray,
    path: str | Path,
    *,
    title: str = "control channel",
) -> Path:
    """Weighted distributions of the predictions on real data and on simulation (the KS test)."""
    plt = _pyplot()
    bins = np.linspace(0, 1, 41)
    figure, axis = plt.subplots(figsize=(6, 4))
    for values, weights, label in (
        (pred_real, weight_real, "real data (sWeighted)"),
        (pred_sim, weight_sim, "simulation"),
    ):
        axis.hist(values, bins=bins, weights=weights / weights.sum(), histtype="step", label=label)
    axis.set_xlabel("signal probability")
    axis.set_ylabel("weighted fraction")
    axis.set_title(title)
    axis.legend()
    figure.tight_layout()
    path = Path(path)
    figure.savefig(path, dpi=120)
    plt.close(figure)
    return path
