"""Progress lines of the reproductions: one line per step with the elapsed time, or nothing."""

from __future__ import annotations

import sys
import time


class Progress:
    """Print ``[hepclf NAME   12.3 s] message`` lines (flushed at once) unless ``quiet``."""

    def __init__(self, name: str, *, quiet: bool = False):
        self.name = name
        self.quiet = quiet
        self.start = time.perf_counter()

    def step(self, message: str) -> None:
        """Report the step that starts now."""
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[hepclf {self.name} {elapsed:6.1f} s] {message}", file=sys.stdout, flush=True)
