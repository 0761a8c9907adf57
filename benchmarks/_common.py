"""Shared by the benchmark scripts: timing, the machine line, writing RESULTS.md sections."""

from __future__ import annotations

import os
import platform
import re
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"


def best_time(function: Callable[[], object], repeat: int = 3) -> float:
    """Smallest wall time of ``repeat`` calls (after the first, which may compile)."""
    function()
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def machine_line() -> str:
    """One line saying where and when the figures were measured."""
    cpu = platform.processor() or platform.machine()
    try:
        with open("/proc/cpuinfo") as handle:
            names = re.findall(r"model name\s*:\s*(.*)", handle.read())
        cpu = names[0] if names else cpu
    except OSError:
        pass
    return (
        f"Measured {date.today().isoformat()} on {os.cpu_count()} cores ({cpu}), "
        f"Python {platform.python_version()}, {platform.system()}."
    )


def write_section(title: str, body: str) -> None:
    """Replace (or append) the ``## title`` section of RESULTS.md with ``body``."""
    text = RESULTS.read_text() if RESULTS.exists() else "# Benchmark results\n"
    section = f"## {title}\n\n{body.strip()}\n"
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    if pattern.search(text):
        text = pattern.sub(lambda _: section + "\n", text).rstrip() + "\n"
    else:
        text = text.rstrip() + "\n\n" + section
    RESULTS.write_text(text)
