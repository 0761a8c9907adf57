"""Writing the Markdown reports of the reproductions."""

from __future__ import annotations

import time
from pathlib import Path


def write_report(lines: list[str], out: Path, *, published: str, started: float) -> Path:
    """Close a report with the published reference and the wall time, write ``out/report.md``,
    print it, and return its path. ``started`` is a ``time.perf_counter()`` reading."""
    lines = [
        *lines,
        "",
        f"For reference: {published}.",
        f"Wall time: {time.perf_counter() - started:.0f} s.",
    ]
    text = "\n".join(lines)
    path = Path(out) / "report.md"
    path.write_text(text + "\n")
    print(text)
    print(f"\nreport written to {path}")
    return path
