"""What both reproductions share: progress lines, and how a report closes."""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass

from hepclf.report import Report


class Progress:
    """Print ``[hepclf NAME   12.3 s] message`` lines on standard error (flushed at once, apart
    from the report on standard output) unless ``quiet``."""

    def __init__(self, name: str, *, quiet: bool = False):
        self.name = name
        self.quiet = quiet
        self.start = time.perf_counter()

    def step(self, message: str) -> None:
        """Report the step that starts now."""
        if not self.quiet:
            elapsed = time.perf_counter() - self.start
            print(f"[hepclf {self.name} {elapsed:6.1f} s] {message}", file=sys.stderr, flush=True)


def close_report(report: Report, published: str, simulated: bool, seconds: float) -> Report:
    """Add the published results (saying, for simulated events, that the numbers cannot be
    compared with them) and the wall time."""
    report.section("Published results")
    if simulated:
        report.paragraph(
            f"For reference only: {published}. These events are simulated (a toy of the channel "
            "with its own backgrounds and resolutions), so their numbers measure the simulation, "
            "not the challenge: they cannot be compared with the published numbers."
        )
    else:
        report.paragraph(f"Published: {published}.")
    return report.paragraph(f"Wall time: {seconds:.0f} s.")


@dataclass
class ReproductionResult:
    """What every reproduction reports about its input and its run.

    Attributes
    ----------
    source : str
        Where the events came from.
    simulated : bool
        True for simulated events, whose numbers cannot be compared with the published ones.
    n_training, n_features : int
        Training events and the features the models use.
    seconds : float
        Wall time.
    """

    source: str
    simulated: bool
    n_training: int
    n_features: int
    seconds: float
