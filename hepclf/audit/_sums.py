"""Weight sums of the groups of a scored set, from which every AMS variant of the audit follows.

The events of a set fall into 8 groups: class (background, signal) x selected (no, yes) x in the
audit's random fraction (no, yes). Three columns are summed over each group: the ``KaggleWeight``,
the file's ``Weight`` and 1 (the number of events). An array of such sums has the trailing shape
``(2, 2, 2, 3)``: ``sums[..., class, selected, fraction, column]``; leading axes run over cuts
(a curve) or bootstrap resamples (an uncertainty). Every protocol of the audit is a function of
these sums, so the same code gives a row of the table, its curve and its uncertainty.

Examples
--------
>>> import numpy as np
>>> group = group_of(np.array([1, 0, 0]), np.array([True, True, False]), np.zeros(3, bool))
>>> sums = observed_sums(group, np.array([[1.0, 0.5, 1.0], [3.0, 1.5, 1.0], [5.0, 2.5, 1.0]]))
>>> [float(v) for v in selected_sums(sums, KAGGLE_WEIGHT)]
[1.0, 3.0]
"""

from __future__ import annotations

import numpy as np

from hepclf._utils import FloatArray
from hepclf.metrics._bootstrap import resampled_group_sums
from hepclf.schemas import ClassTotals

#: Groups: class x selected x in the random fraction.
N_GROUPS = 8
GROUP_SHAPE = (2, 2, 2)
#: The summed columns.
KAGGLE_WEIGHT, WEIGHT, COUNT = 0, 1, 2
N_COLUMNS = 3


def group_of(labels: np.ndarray, selected: np.ndarray, in_fraction: np.ndarray) -> np.ndarray:
    """The group of each event: ``4 * class + 2 * selected + in_fraction``."""
    return 4 * labels.astype(np.int64) + 2 * selected.astype(np.int64) + in_fraction.astype(int)


def event_columns(kaggle_weight: FloatArray, weight: FloatArray) -> FloatArray:
    """The summed columns of each event: KaggleWeight, Weight, 1."""
    return np.column_stack([kaggle_weight, weight, np.ones(kaggle_weight.size)])


def observed_sums(group: np.ndarray, columns: FloatArray) -> FloatArray:
    """The sums of the set itself, shape ``(2, 2, 2, 3)``."""
    sums = np.stack(
        [np.bincount(group, weights=columns[:, c], minlength=N_GROUPS) for c in range(N_COLUMNS)],
        axis=-1,
    )
    return sums.reshape(*GROUP_SHAPE, N_COLUMNS)


def bootstrap_sums(
    group: np.ndarray, columns: FloatArray, *, n_resamples: int, seed: int
) -> FloatArray:
    """The sums of ``n_resamples`` bootstrap resamples of the set, ``(n_resamples, 2, 2, 2, 3)``."""
    sums = resampled_group_sums(group, columns, N_GROUPS, n_resamples=n_resamples, seed=seed)
    return sums.reshape(n_resamples, *GROUP_SHAPE, N_COLUMNS)


def _by_class(sums: FloatArray, column: int, *, selected: bool, fraction: bool) -> FloatArray:
    part = sums[..., column]  # (..., class, selected, fraction)
    part = part[..., 1, :] if selected else part.sum(axis=-2)
    return part[..., 1] if fraction else part.sum(axis=-1)  # (..., class)


def selected_sums(
    sums: FloatArray, column: int, *, fraction: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Selected signal and background sums ``(s, b)`` of a column (of the fraction only, if
    ``fraction``)."""
    part = _by_class(sums, column, selected=True, fraction=fraction)
    return part[..., 1], part[..., 0]


def class_totals(
    sums: FloatArray, column: int, *, fraction: bool = False
) -> tuple[FloatArray, FloatArray]:
    """Signal and background sums of a column over all events (selected or not)."""
    part = _by_class(sums, column, selected=False, fraction=fraction)
    return part[..., 1], part[..., 0]


def renormalised_sums(
    sums: FloatArray, column: int, totals: ClassTotals
) -> tuple[FloatArray, FloatArray]:
    """Selected ``(s, b)`` after the weights of each class are rescaled to ``totals``: the
    correct normalisation, ``s = T_s sum_sel w / sum_all w`` (the same for b)."""
    return to_totals(*selected_sums(sums, column), *class_totals(sums, column), totals)


def to_totals(
    s: FloatArray,
    b: FloatArray,
    signal_sum: FloatArray,
    background_sum: FloatArray,
    totals: ClassTotals,
) -> tuple[FloatArray, FloatArray]:
    """Selected sums ``(s, b)`` of events whose classes sum to ``signal_sum`` and
    ``background_sum``, rescaled as :func:`hepclf.metrics.renormalise` rescales the weights:
    ``s T_s / signal_sum``, ``b T_b / background_sum``."""
    return s * (totals.signal / signal_sum), b * (totals.background / background_sum)
