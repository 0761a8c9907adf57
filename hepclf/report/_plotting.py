"""The plotting plumbing every figure shares: matplotlib and mplhep imported only when a figure is
drawn (the optional extra ``hepclf[plot]``), the experiment's style, a new axis, the PNG file."""

from __future__ import annotations

import contextlib
import logging
from pathlib import Path


def require_matplotlib() -> None:
    """Raise ImportError, saying how to install it, unless matplotlib can be imported.

    Raises
    ------
    ImportError
        matplotlib is not installed (the message says: ``pip install 'hepclf[plot]'``).
    """
    pyplot()


def pyplot():
    """``matplotlib.pyplot`` on the file-only Agg backend (ImportError says how to install it)."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("plotting needs matplotlib: pip install 'hepclf[plot]'") from error
    return plt


#: Figure size (inches) that suits each experiment's style (LHCb's uses larger type).
FIGURE_SIZE = {"ATLAS": (8.0, 6.0), "LHCb2": (10.0, 7.5)}


def style(experiment: str):
    """The experiment's plot style from mplhep ('ATLAS', 'LHCb2', 'CMS' ...), or matplotlib's
    default when mplhep is not installed.

    Raises
    ------
    TypeError
        ``experiment`` is not a string.
    ValueError
        mplhep has no style of that name (the message lists a few it has).
    """
    if not isinstance(experiment, str):
        raise TypeError(f"experiment must be a string (an mplhep style), got {experiment!r}")
    try:
        import mplhep
    except ImportError:  # pragma: no cover - depends on the installation
        return contextlib.nullcontext()
    chosen = getattr(mplhep.style, experiment, None)
    if not isinstance(chosen, dict):
        raise ValueError(
            f"experiment {experiment!r} is not an mplhep style; use e.g. 'ATLAS', 'LHCb2', 'CMS'"
        )
    # the styles name fallback fonts (e.g. 'cursive') that most machines lack: no warning per call
    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)
    return pyplot().style.context(chosen)


def new_axes(experiment: str):
    """A figure with one axis in the experiment's size (call inside :func:`style`)."""
    return pyplot().subplots(figsize=FIGURE_SIZE.get(experiment, (8.0, 6.0)))


def save(figure, path: str | Path) -> Path:
    """Write ``figure`` to ``path`` (PNG, 120 dpi; the format follows the suffix) and release it.

    Raises
    ------
    TypeError
        ``path`` is not a file name.
    FileNotFoundError
        The folder of ``path`` does not exist.
    ValueError
        matplotlib cannot write the suffix of ``path``.
    """
    try:
        if not isinstance(path, (str, Path)):
            raise TypeError(f"path must be a file name, got {type(path).__name__}")
        path = Path(path)
        supported = figure.canvas.get_supported_filetypes()
        if not path.parent.is_dir():
            raise FileNotFoundError(f"path: folder {path.parent} does not exist")
        if path.suffix.lstrip(".").lower() not in supported:
            raise ValueError(
                f"path: cannot write a figure as {path.suffix or 'a file without suffix'!r}; "
                f"use one of {', '.join('.' + kind for kind in sorted(supported))}"
            )
        figure.tight_layout()
        figure.savefig(path, dpi=120)
    finally:
        pyplot().close(figure)
    return path
