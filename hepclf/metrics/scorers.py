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

import numpy as np

from hepclf._utils import ArrayLike, check_name
from hepclf.metrics.ams import ams_curve_checked, best_cut
from hepclf.metrics.auc import truncated_auc, truncated_auc_checked
from hepclf.schemas import HIGGS_TOTALS


@dataclass(frozen=True)
class Scorer:
    """A physics metric of a classifier's scores, higher is better.

    Attributes
    ----------
    name : str
        The registry key.
    function : callable
        ``function(y, score, sample_weight) -> float``, checking its input.
    checked : callable
        The same metric of input already checked once by the caller (labels as int8 0/1,
        finite float64 scores, float64 weights), for searches that score many predictions of
        the same events.
    description : str
        One line for error messages and reports.

    Raises
    ------
    TypeError
        A field is missing when one is built by hand (use :func:`register_scorer`), or, when the
        scorer is called, the metric's checks refuse the kind of ``y``, ``score`` or
        ``sample_weight`` (non-numeric, None where required: AMS needs ``sample_weight``).
    ValueError
        When the scorer is called: the metric's checks refuse the values (a single class,
        mismatched lengths, NaN, infinities, negative weights; predictions outside [0, 1] for the
        truncated AUC).
    dataclasses.FrozenInstanceError
        A field is assigned to (a scorer is frozen).
    """

    name: str
    function: Callable[[ArrayLike, ArrayLike, ArrayLike | None], float]
    checked: Callable[[np.ndarray, np.ndarray, np.ndarray], float]
    description: str

    def __call__(self, y: ArrayLike, score: ArrayLike, sample_weight: ArrayLike | None = None):
        """The metric of ``score`` against the classes ``y`` (AMS needs ``sample_weight``)."""
        return float(self.function(y, score, sample_weight))


def _best_cut_ams(y: ArrayLike, score: ArrayLike, sample_weight: ArrayLike) -> float:
    return best_cut(y, score, sample_weight).ams


def _best_cut_ams_checked(labels: np.ndarray, score: np.ndarray, weights: np.ndarray) -> float:
    return float(ams_curve_checked(labels, score, weights, HIGGS_TOTALS).ams.max())


_SCORERS: dict[str, Scorer] = {}


def register_scorer(
    name: str,
    function: Callable[[ArrayLike, ArrayLike, ArrayLike | None], float],
    *,
    checked: Callable[[np.ndarray, np.ndarray, np.ndarray], float] | None = None,
    description: str = "",
) -> Scorer:
    """Add a higher-is-better metric under ``name`` (an error if the name is taken).

    ``checked`` is the same metric without input checks (default: ``function`` itself).

    Raises
    ------
    TypeError
        ``name`` is not a string, ``function`` or ``checked`` is not callable.
    ValueError
        ``name`` is empty or already registered.
    """
    check_name(name, "name")
    for argument, value in (("function", function), ("checked", checked)):
        if value is not None and not callable(value):
            raise TypeError(f"{argument} must be callable, got {value!r}")
    if function is None:
        raise TypeError("function must be callable, got None")
    if name in _SCORERS:
        raise ValueError(f"a scorer named {name!r} is already registered")
    _SCORERS[name] = Scorer(name, function, checked or function, description)
    return _SCORERS[name]


def get_scorer(name: str) -> Scorer:
    """The registered scorer ``name``; an error lists the known names.

    Raises
    ------
    TypeError
        ``name`` is not a string.
    ValueError
        No scorer is registered under ``name``.
    """
    check_name(name, "name")
    if name not in _SCORERS:
        raise ValueError(f"unknown scorer {name!r}: must be one of {scorer_names()}")
    return _SCORERS[name]


def scorer_names() -> tuple[str, ...]:
    """Names of every registered scorer, in registration order.

    Raises
    ------
    Nothing is raised: the function takes no argument and reads the registry.
    """
    return tuple(_SCORERS)


register_scorer(
    "ams",
    _best_cut_ams,
    checked=_best_cut_ams_checked,
    description="best-cut AMS, weights renormalised to the HiggsML totals",
)
register_scorer(
    "truncated_auc",
    truncated_auc,
    checked=truncated_auc_checked,
    description="ROC area weighted by TPR region (Flavours of Physics)",
)
