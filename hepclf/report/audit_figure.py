"""The figure of the AMS audit: the AMS against the cut under every protocol, on one figure.

The x axis is the selected fraction of the scored set (the cut, in a unit that reads the same
whatever the classifier's scale). The upper panel shows each protocol's AMS (log scale: event
counts read tens, unrenormalised fractions below one); the lower panel each protocol's ratio to the
correct AMS, where a luminosity mistake is a near-flat band at about sqrt(k).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np

from hepclf.report._plotting import FIGURE_SIZE, pyplot, save, style


def draw_protocol_curves(
    selected_fraction: np.ndarray,
    curves: Mapping[str, np.ndarray],
    *,
    labels: Mapping[str, str] | None = None,
    reference: str = "correct",
    chosen: float | None = None,
    tuned: tuple[float, float] | None = None,
    experiment: str = "ATLAS",
):
    """The figure of :func:`plot_protocol_curves` (a matplotlib Figure, not yet saved).

    Its first axes hold one line per entry of ``curves``, in order (``axes[0].lines[i]``: x the
    selected fraction, y that protocol's AMS, non-finite points left out), then, with ``chosen``,
    a vertical line at the fixed cut's selected fraction, and with ``tuned`` a marker at the
    (selected fraction, AMS) of the cut tuned on the scored set. The second axes hold the ratio of
    each other curve to ``reference``, in the same order.
    """
    plt = pyplot()
    labels = dict(labels or {})
    x = np.asarray(selected_fraction, dtype=np.float64)
    base = np.asarray(curves[reference], dtype=np.float64)
    width, height = FIGURE_SIZE.get(experiment, (7.0, 5.0))
    with style(experiment):
        figure, (top, bottom) = plt.subplots(
            2, 1, figsize=(width, 1.5 * height), sharex=True, height_ratios=(2, 1)
        )
        for key, values in curves.items():
            y = np.asarray(values, dtype=np.float64)
            shown = np.isfinite(y) & (y > 0)
            emphasis = {"color": "black", "linewidth": 2.5}
            line_style = emphasis if key == reference else {"linewidth": 1.5}
            top.plot(x[shown], y[shown], label=labels.get(key, key), **line_style)
            if key != reference:
                ratio = np.divide(y, base, out=np.full_like(y, np.nan), where=base > 0)
                keep = np.isfinite(ratio) & (ratio > 0)
                bottom.plot(x[keep], ratio[keep], linewidth=1.5, color=top.lines[-1].get_color())
        if chosen is not None:
            top.axvline(chosen, color="tab:red", linestyle="--", label="cut fixed beforehand")
            bottom.axvline(chosen, color="tab:red", linestyle="--")
        if tuned is not None:
            top.plot(*tuned, marker="*", markersize=14, color="tab:orange", linestyle="none",
                     label="cut tuned on the scored set")  # fmt: skip
        bottom.axhline(1.0, color="black", linewidth=1.0)
        top.set_yscale("log")
        top.set_ylim(*_log_range(list(curves.values()), x, 0.01))
        top.set_ylabel("AMS")
        top.legend(loc="lower center", bbox_to_anchor=(0.5, 1.0), fontsize="x-small", ncols=2)
        bottom.set_yscale("log")
        bottom.set_ylabel("ratio to correct")
        bottom.set_xlabel("selected fraction of the scored set (the cut)")
        bottom.set_xlim(0, min(1.0, float(np.nanmax(x)) * 1.02))
    return figure


def _log_range(curves: list[np.ndarray], x: np.ndarray, start: float) -> tuple[float, float]:
    """Limits of a log axis that show every curve once ``start`` of the set is selected (the
    tiniest selections read anything)."""
    values = np.concatenate([np.asarray(y, dtype=np.float64)[x >= start] for y in curves])
    values = values[np.isfinite(values) & (values > 0)]
    if values.size == 0:
        return 0.1, 10.0
    return 0.5 * float(values.min()), 2.0 * float(values.max())


def plot_protocol_curves(
    selected_fraction: np.ndarray, curves: Mapping[str, np.ndarray], path: str | Path, **options
) -> Path:
    """AMS against the cut of every protocol on one figure, saved as a PNG at ``path``.

    ``options`` as :func:`draw_protocol_curves`. Returns the path written.

    Examples
    --------
    >>> import numpy as np, tempfile, pathlib
    >>> x = np.linspace(0.01, 1, 50)
    >>> curves = {"correct": 3 * np.sqrt(x), "doubled": 3 * np.sqrt(2 * x)}
    >>> plot_protocol_curves(x, curves, pathlib.Path(tempfile.mkdtemp()) / "a.png").name
    'a.png'
    """
    return save(draw_protocol_curves(selected_fraction, curves, **options), path)
