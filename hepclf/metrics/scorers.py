"""The scorer registry: metric name -> function of (y, score, sample_weight), higher is better.

Early stopping (:class:`hepclf.models.XGBPhysicsClassifier`) and the blend search
(:func:`hepclf.ensemble.constrained_blend`) look a physics metric up here by name, so a metric
added once is available to both.

- ``'ams'``: the AMS of the best cut ``score >= cut``, weights renormalised per class to the
  HiggsML totals first (a held-out split or a fold carries only part of the luminosity).
- ``'truncated_auc'``: the Flavours of Physics score, the ROC area weighted by TPR region.

Examples
--------
>>> from hepclf.metrics import get_scorer
>>> scorer = get_scorer("truncated_auc")
>>> round(scorer([0, 0, 1, 1], [0.1, 0.2, 0.8, 0.9]), 6)
1.0
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from hepclf._utils import ArrayLike
from hepclf.metrics.ams import best_cut
from hepclf.metrics.auc import truncated_auc


@dataclass(frozen=True)
class Scorer:
    """A physics metric of a classifier's scores, higher is better.

    Attributes
    ----------
    name : str
        The registry key.
    function : callable
        ``function(y, score, sample_weight) -> float``.
    description : str
        One line for error messages and reports.
    """

    name: str
    function: Callable[[ArrayLike, ArrayLike, ArrayLike | None], float]
    description: str

    def __call__(self, y: ArrayLike, score: ArrayLike, sample_weight: ArrayLike | None = None):
        """The metric of ``score`` against the classes ``y`` (AMS needs ``sample_weight``)."""
        return float(self.function(y, score, sample_weight))


def _best_cut_ams(y: ArrayLike, score: ArrayLike, sample_weight: ArrayLike) -> float:
    return best_cut(y, score, sample_weight).ams


_SCORERS: dict[str, Scorer] = {}


def register_scorer(
    name: str,
    function: Callable[[ArrayLike, ArrayLike, ArrayLike | None], float],
    *,
    description: str = "",
) -> Scorer:
    """Add a higher-is-better metric under ``name`` (an error if the name is taken)."""
    if name in _SCORERS:
        raise ValueError(f"a scorer named {name!r} is already registered")
    _SCORERS[name] = Scorer(name, function, description)
    return _SCORERS[name]


def get_scorer(name: str) -> Scorer:
    """The registered scorer ``name``; an error lists the known names."""
    if name not in _SCORERS:
        raise ValueError(f"unknown scorer {name!r}: must be one of {scorer_names()}")
    return _SCORERS[name]


def scorer_names() -> tuple[str, ...]:
    """Names of every registered scorer, in registration order."""
    return tuple(_SCORERS)


register_scorer(
    "ams",
    _best_cut_ams,
    description="best-cut AMS, weights renormalised to the HiggsML totals",
)
register_scorer(
    "truncated_auc",
    truncated_auc,
    description="ROC area weighted by TPR region (Flavours of Physics)",
)
