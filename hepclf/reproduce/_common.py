"""What both reproductions share: their progress display, and how a report closes."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from hepclf.progress import show_progress
from hepclf.report import Report


def shows_progress(name: str) -> Callable:
    """Decorate a reproduction so that its long steps show progress (:mod:`hepclf.progress`)
    under ``name``, unless it is called with ``quiet=True``; inside a running display (the
    ``hepclf`` command's) it reports there."""

    def decorate(function: Callable) -> Callable:
        @functools.wraps(function)
        def run(*args, quiet: bool = False, **kwargs):
            with show_progress(name, quiet=quiet):
                return function(*args, **kwargs)

        return run

    return decorate


#: What the published numbers mean beside each kind of data (see :class:`ReproductionResult`).
_COMPARISON = {
    "simulated": "These events are simulated (a toy of the channel with its own backgrounds and "
    "resolutions), so their numbers measure the simulation, not the challenge: they cannot be "
    "compared with the published numbers.",
    "subset": "These events are a part of the real data: the published numbers were scored on "
    "the complete test sets with models trained on the complete training set, so they are not "
    "like-for-like; this part's own measure is the cross-validated result above (its spread over "
    "the folds shows how far a subset this size can be trusted).",
    "release": "These are the complete challenge files: the published numbers are like-for-like.",
}


def close_report(report: Report, published: str, kind: str, seconds: float) -> Report:
    """Add the published results, with what they mean beside this kind of data ('simulated',
    'subset' or 'release'), and the wall time."""
    report.section("Published results")
    lead = "Published" if kind == "release" else "For reference only"
    report.paragraph(f"{lead}: {published}. {_COMPARISON[kind]}")
    return report.paragraph(f"Wall time: {seconds:.0f} s.")


@dataclass
class ReproductionResult:
    """What every reproduction reports about its input and its run.

    Attributes
    ----------
    source : str
        Where the events came from.
    kind : {'simulated', 'subset', 'release'}
        Simulated events, a part of the real data (the packaged sample, a partial file), or the
        complete release: what the published numbers can be compared with.
    n_training, n_features : int
        Training events and the features the models use.
    seconds : float
        Wall time.
    """

    source: str
    kind: str
    n_training: int
    n_features: int
    seconds: float

    @property
    def simulated(self) -> bool:
        """True for simulated events."""
        return self.kind == "simulated"
