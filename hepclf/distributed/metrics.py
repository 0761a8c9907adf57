"""The physics metrics of scored events in a Dask DataFrame, exact, without collecting the events.

Every metric here is a function of the cumulative weight of each class above a cut. Two passes
over the events give it exactly:

1. **Cells.** The score range is split into ``n_cells`` equal cells; each partition sums, per cell
   and class, the number of events, their positive and their negative weights, and keeps the
   lowest and highest score (arrays of a few MB, added up on the client). The cumulative weight
   above every cell edge is then exact, and so is every point of the curve at an edge.
2. **Exact pass.** Inside a cell the curve is known only where the cell is simple: a single
   distinct score, or events of one class (for the AMS and the ROC the curve is then monotone or a
   straight segment between the edges). A cell holding both classes at several scores is re-read
   (only its events come back) when it can matter: for the AMS and the KS distance, when the
   bound of the statistic inside the cell reaches the best value found at the edges (the cell
   that holds the optimum); for the truncated AUC, an area, every such cell.

The events of the re-read cells and one *pseudo event* per class for every other cell (at the
cell's lowest score, carrying the cell's weight of that class) are then scored by the in-memory
metric functions of :mod:`hepclf.metrics` themselves: the weight above every cut they evaluate
is the weight above that cut in the full data, so the AMS curve (at the cuts it lists), the best
cut, the ROC points, the truncated AUC and the KS distance equal the in-memory ones on the same
scores, up to the order of the floating-point sums (1e-12 and better).

Renormalisation uses the global sums of each class (:func:`renormalise`), never a partition's.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from hepclf._utils import (
    FloatArray,
    as_binary_labels,
    as_numeric_array,
    check_count,
    check_finite_columns,
    check_flag,
    check_name,
    check_real,
    row_name,
)
from hepclf.distributed.cluster import require_dask
from hepclf.metrics import (
    AMS_BR,
    HIGGS_TOTALS,
    ROC_WEIGHTS,
    TPR_THRESHOLDS,
    AMSCurve,
    BestCut,
    ClassTotals,
    PhysicsTestResult,
    ams,
    ams_curve,
    best_cut,
    ks_agreement,
    roc_curve_points,
    truncated_auc,
)
from hepclf.metrics.ams import check_totals

__all__ = [
    "DEFAULT_CELLS",
    "ScoreCells",
    "ams_curve_dask",
    "best_cut_dask",
    "class_sums",
    "ks_agreement_dask",
    "renormalise_dask",
    "roc_curve_dask",
    "score_cells",
    "truncated_auc_dask",
]

#: Cells of the score grid: 2^16 cells are 4 MB of sums per partition.
DEFAULT_CELLS = 1 << 16
#: A cell whose bound is within this relative margin of the best edge value is re-read (the
#: sums of the two passes are added in different orders).
_BOUND_MARGIN = 1e-9
_COUNT, _POSITIVE, _NEGATIVE = 0, 2, 4  # rows (background, signal) of the per-partition sums
_LOWEST, _HIGHEST = 6, 7


def _where(number: int | None) -> str:
    return "" if number is None else f" (partition {number})"


def _part_labels(part: pd.DataFrame, label: str, number: int | None = None) -> np.ndarray:
    """The 0/1 labels of a non-empty partition (the error names the column and partition)."""
    return as_binary_labels(part[label].to_numpy(), f"label{_where(number)}: column {label!r}")


def _part_column(part: pd.DataFrame, column: str, argument: str, number: int | None) -> FloatArray:
    """A column of a non-empty partition as finite float64 numbers (the error names the
    argument, the partition, the column and the first bad row)."""
    name = f"{argument}{_where(number)}"
    values = as_numeric_array(part[column].to_numpy(), f"{name}: column {column!r}")
    check_finite_columns(values[:, None], [repr(column)], part.index, name, allow_nan=False)
    return values


def _part_weights(
    part: pd.DataFrame, weight: str, number: int | None = None, *, allow_negative: bool = True
) -> FloatArray:
    """The weights of a non-empty partition: numbers, finite, and non-negative unless
    ``allow_negative`` (the error names the column, the partition and the first bad row)."""
    name = f"weight{_where(number)}: column {weight!r}"
    if part[weight].dtype.kind == "b":
        raise TypeError(f"{name} must hold numbers, got booleans")
    weights = _part_column(part, weight, "weight", number)
    if not allow_negative and (weights < 0).any():
        first = int(np.flatnonzero(weights < 0)[0])
        raise ValueError(
            f"{name} has {int((weights < 0).sum())} negative weight(s) (first at "
            f"{row_name(part.index, first)}: {weights[first]}); negative weights are not allowed "
            "here"
        )
    return weights


def _scored_arrays(
    part: pd.DataFrame,
    label: str,
    score: str,
    weight: str | None,
    number: int | None = None,
    allow_negative: bool = True,
):
    """Labels (0/1), scores and weights of one non-empty partition, checked like the in-memory
    inputs (``number``: the partition's, for the messages)."""
    labels = _part_labels(part, label, number)
    values = _part_column(part, score, "score", number)
    weights = (
        np.ones(values.size)
        if weight is None
        else _part_weights(part, weight, number, allow_negative=allow_negative)
    )
    return labels, values, weights


def _cell_index(values: FloatArray, edges: FloatArray) -> np.ndarray:
    """Cell k of each score: ``edges[k] <= score < edges[k + 1]`` (the last cell is closed)."""
    return np.clip(np.searchsorted(edges, values, side="right") - 1, 0, edges.size - 2)


def _partition_sums(part, label, score, weight, edges, number, allow_negative) -> FloatArray:
    """The per-cell sums of one partition: 8 rows (see the module's constants) x n_cells."""
    n_cells = edges.size - 1
    sums = np.zeros((8, n_cells))
    sums[_LOWEST], sums[_HIGHEST] = np.inf, -np.inf
    if len(part) == 0:
        return sums
    labels, values, weights = _scored_arrays(part, label, score, weight, number, allow_negative)
    cells = _cell_index(values, edges)
    for cls in (0, 1):
        chosen = labels == cls
        where, w = cells[chosen], weights[chosen]
        sums[_COUNT + cls] = np.bincount(where, minlength=n_cells)
        sums[_POSITIVE + cls] = np.bincount(where, np.maximum(w, 0.0), minlength=n_cells)
        sums[_NEGATIVE + cls] = np.bincount(where, np.minimum(w, 0.0), minlength=n_cells)
    np.minimum.at(sums[_LOWEST], cells, values)
    np.maximum.at(sums[_HIGHEST], cells, values)
    return sums


def _add_sums(*parts: FloatArray) -> FloatArray:
    total = parts[0].copy()
    for part in parts[1:]:
        total[:_LOWEST] += part[:_LOWEST]
        np.minimum(total[_LOWEST], part[_LOWEST], out=total[_LOWEST])
        np.maximum(total[_HIGHEST], part[_HIGHEST], out=total[_HIGHEST])
    return total


def _score_range(part, score, number) -> FloatArray:
    if len(part) == 0:
        return np.array([np.nan, np.nan, 0.0])
    values = _part_column(part, score, "score", number)
    return np.array([values.min(), values.max(), len(part)])


def _tree_reduce(items: list, combine) -> Any:
    """Combine delayed results pairwise (no task holds more than two partitions' sums)."""
    from dask import delayed

    while len(items) > 1:
        items = [
            delayed(combine)(*items[i : i + 2]) if i + 1 < len(items) else items[i]
            for i in range(0, len(items), 2)
        ]
    return items[0]


@dataclass(frozen=True)
class ScoreCells:
    """Per-cell sums of scored events (pass 1), added over every partition.

    Attributes
    ----------
    edges : ndarray
        ``n_cells + 1`` increasing edges from the lowest to the highest score; cell k holds
        ``edges[k] <= score < edges[k + 1]`` (the last cell also ``score == edges[-1]``).
    count, positive, negative : ndarray, shape (2, n_cells)
        Per class (0 = background, 1 = signal): events, sum of positive weights, sum of negative
        weights.
    lowest, highest : ndarray
        The lowest and highest score in each cell (inf / -inf for an empty cell).

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: build the cells
        with :func:`score_cells`).
    dataclasses.FrozenInstanceError
        A field is assigned to (the cells are frozen).
    """

    edges: FloatArray
    count: FloatArray
    positive: FloatArray
    negative: FloatArray
    lowest: FloatArray
    highest: FloatArray

    @property
    def weight(self) -> FloatArray:
        """Sum of the weights per class and cell, shape (2, n_cells)."""
        return self.positive + self.negative

    def above(self) -> FloatArray:
        """Weight per class with score >= edges[k], for k = 0 .. n_cells (the last is 0)."""
        weight = self.weight
        return np.concatenate([np.cumsum(weight[:, ::-1], axis=1)[:, ::-1], np.zeros((2, 1))], 1)

    @property
    def occupied(self) -> np.ndarray:
        """Cells holding at least one event."""
        return self.count.sum(axis=0) > 0

    @property
    def mixed(self) -> np.ndarray:
        """Cells whose events are of both classes at more than one distinct score."""
        return (self.count > 0).all(axis=0) & (self.lowest < self.highest)


def score_cells(
    frame: Any,
    *,
    label: str,
    score: str,
    weight: str | None,
    n_cells: int = DEFAULT_CELLS,
    allow_negative: bool = True,
) -> ScoreCells:
    """Pass 1: the per-cell sums of the events of a Dask DataFrame (see the module docstring).

    ``frame`` holds one row per event with the columns named by ``label`` (0/1 or 's'/'b'),
    ``score`` and ``weight`` (None: unit weights). Computes the score range first, then the sums;
    a partition without rows adds nothing. Negative weights are refused unless
    ``allow_negative``.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        ``label`` or ``score`` (or a given ``weight``) is not a string; ``allow_negative`` is not
        a bool; the ``label`` column holds labels of a non-numeric kind; the ``score`` or
        ``weight`` column is not numeric.
    ValueError
        ``n_cells`` is not an integer >= 1; ``label``, ``score`` or ``weight`` is not a column of
        ``frame``; ``frame`` has no events; a label is not 0/1 ('b'/'s') or is NaN; a score or
        weight is NaN or infinite; a weight is negative and ``allow_negative`` is False (each
        message names the column and the partition).
    """
    require_dask()
    from dask import compute, delayed

    check_count(n_cells, "n_cells", 1)
    check_flag(allow_negative, "allow_negative")
    _check_columns(frame, label, score, weight)
    parts = frame.to_delayed()
    (low, high, n_events) = compute(
        _tree_reduce([delayed(_score_range)(p, score, k) for k, p in enumerate(parts)], _add_ranges)
    )[0]
    if n_events == 0:
        raise ValueError("frame has no events")
    edges = np.linspace(low, high, n_cells + 1) if high > low else np.array([low, low])
    sums = compute(
        _tree_reduce(
            [
                delayed(_partition_sums)(p, label, score, weight, edges, k, allow_negative)
                for k, p in enumerate(parts)
            ],
            _add_sums,
        )
    )[0]
    return ScoreCells(
        edges=edges,
        count=sums[_COUNT : _COUNT + 2],
        positive=sums[_POSITIVE : _POSITIVE + 2],
        negative=sums[_NEGATIVE : _NEGATIVE + 2],
        lowest=sums[_LOWEST],
        highest=sums[_HIGHEST],
    )


def _add_ranges(*ranges: FloatArray) -> FloatArray:
    stacked = np.vstack(ranges)
    # fmin / fmax skip the NaN of empty partitions (NaN only when every partition is empty)
    low, high = np.fmin.reduce(stacked[:, 0]), np.fmax.reduce(stacked[:, 1])
    return np.array([low, high, stacked[:, 2].sum()])


def _check_columns(frame, label: str, score: str, weight: str | None) -> None:
    for argument, name in (("label", label), ("score", score), ("weight", weight)):
        if argument != "weight" or name is not None:
            check_name(name, argument)
        if name is not None and name not in frame.columns:
            raise ValueError(f"{argument}: column {name!r} is not in the frame")


def _read_cells(frame, label, score, weight, edges, cells: np.ndarray) -> pd.DataFrame:
    """Pass 2: the events (label, score, weight) of the chosen cells, collected."""

    def select(part: pd.DataFrame) -> pd.DataFrame:
        if len(part) == 0:
            return _EVENTS_META
        labels, values, weights = _scored_arrays(part, label, score, weight)
        keep = np.isin(_cell_index(values, edges), cells)
        return pd.DataFrame({"label": labels[keep], "score": values[keep], "weight": weights[keep]})

    if cells.size == 0:
        return _EVENTS_META
    return frame.map_partitions(select, meta=_EVENTS_META).compute()


_EVENTS_META = pd.DataFrame(
    {
        "label": np.array([], np.int8),
        "score": np.array([], np.float64),
        "weight": np.array([], np.float64),
    }
)


@dataclass(frozen=True)
class _Exact:
    """What the in-memory metrics are given: pseudo events of the simple cells and the real
    events of the re-read ones (``reread`` holds the cell numbers)."""

    labels: np.ndarray
    scores: FloatArray
    weights: FloatArray
    reread: np.ndarray
    reread_events: pd.DataFrame


def _exact_events(frame, cells: ScoreCells, needed: np.ndarray, label, score, weight) -> _Exact:
    events = _read_cells(frame, label, score, weight, cells.edges, np.flatnonzero(needed))
    pseudo_cells = np.flatnonzero(cells.occupied & ~needed)
    weight_sums = cells.weight
    labels, scores, weights = (
        [events["label"].to_numpy()],
        [events["score"].to_numpy()],
        [events["weight"].to_numpy()],
    )
    for cls in (0, 1):
        present = pseudo_cells[cells.count[cls, pseudo_cells] > 0]
        labels.append(np.full(present.size, cls, np.int8))
        scores.append(cells.lowest[present])
        weights.append(weight_sums[cls, present])
    return _Exact(
        np.concatenate(labels),
        np.concatenate(scores),
        np.concatenate(weights),
        np.flatnonzero(needed),
        events,
    )


def _part_class_sums(part: pd.DataFrame, label: str, weight: str, number: int) -> FloatArray:
    """(background, signal) weight sums of one partition (zeros for a partition without rows)."""
    if len(part) == 0:
        return np.zeros(2)
    labels = _part_labels(part, label, number)
    weights = _part_weights(part, weight, number, allow_negative=False)
    return np.bincount(labels, weights, minlength=2)


def class_sums(frame: Any, *, label: str, weight: str) -> ClassTotals:
    """Global sum of the weights of each class (signal, background) of a Dask DataFrame.

    A partition without rows adds nothing.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        ``label`` or ``weight`` is not a string (None included: the sums are of physics weights);
        the ``label`` column holds labels of a non-numeric kind; the ``weight`` column is not
        numeric (strings, booleans).
    ValueError
        ``label`` or ``weight`` is not a column of ``frame``; a label is not 0/1 ('b'/'s') or is
        NaN; a weight is NaN, infinite or negative (the message names the column and the
        partition).
    """
    require_dask()
    from dask import compute, delayed

    if weight is None:
        raise TypeError("weight is required: the class sums are sums of physics weights")
    _check_columns(frame, label, label, weight)
    parts = frame[[label, weight]].to_delayed()
    sums = compute(
        _tree_reduce(
            [delayed(_part_class_sums)(p, label, weight, k) for k, p in enumerate(parts)],
            _add_pairs,
        )
    )[0]
    return ClassTotals(float(sums[1]), float(sums[0]))


def _add_pairs(*pairs: FloatArray) -> FloatArray:
    return np.sum(pairs, axis=0)


def renormalise_dask(
    frame: Any,
    *,
    label: str,
    weight: str,
    totals: ClassTotals | tuple[float, float] = HIGGS_TOTALS,
) -> Any:
    """The weights rescaled per class to ``totals`` with the *global* class sums, as a Dask
    Series: ``w_i * T_c / sum_{j in c} w_j`` (:func:`hepclf.metrics.renormalise`), the sums taken
    over every partition, so the result equals the in-memory renormalisation of all events.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        ``totals`` is not a pair of numbers; as :func:`class_sums` (``label`` or ``weight`` not a
        string, None included; labels of a non-numeric kind; a weight column not numeric).
    ValueError
        A total is not finite and positive; as :func:`class_sums` (a missing column, a label not
        0/1 ('b'/'s'), a NaN, infinite or negative weight); the weights of a class sum to zero
        over all partitions (a class without events included). A partition without rows gives
        an empty one.
    """
    target = check_totals(totals)
    found = class_sums(frame, label=label, weight=weight)
    for name, value in zip(("signal", "background"), found, strict=True):
        if not value > 0:
            raise ValueError(f"weight: the {name} events' weights sum to {value}; cannot rescale")
    factors = np.array([target.background / found.background, target.signal / found.signal])

    def rescale(part: pd.DataFrame) -> pd.Series:
        labels = _part_labels(part, label) if len(part) else np.zeros(0, int)
        return pd.Series(part[weight].to_numpy(np.float64) * factors[labels], index=part.index)

    return frame.map_partitions(rescale, meta=(weight, np.float64))


def _ams_needed(cells: ScoreCells, scale: FloatArray, br: float) -> np.ndarray:
    """Cells that can hold the best cut: mixed, and AMS bound (all the cell's signal, none of
    its background) at least the best AMS at an occupied cell's lowest score."""
    above = cells.above() * scale[:, None]
    at_edges = np.where(cells.occupied, ams(above[1, :-1], above[0, :-1], br), -np.inf)
    bound = ams(above[1, :-1], above[0, 1:], br)
    return cells.mixed & (bound >= at_edges.max() * (1 - _BOUND_MARGIN))


def _check_both_classes(cells: ScoreCells, label: str) -> None:
    """The in-memory message for events of a single class (column ``label``)."""
    present = np.flatnonzero(cells.count.sum(axis=1) > 0)
    if present.size == 1:
        raise ValueError(
            f"y contains a single class ({int(present[0])}) in column {label!r}; both 0 and 1 "
            "are needed"
        )


def _ams_scale(cells: ScoreCells, totals, weight: str = "weight") -> FloatArray:
    """Renormalisation factors (background, signal) the AMS bound is computed with."""
    if totals is None:
        return np.ones(2)
    target = check_totals(totals)
    found = cells.weight.sum(axis=1)
    for name, total in zip(("background", "signal"), found, strict=True):
        if not total > 0:
            raise ValueError(
                f"sample_weight of the {name} events sum to {total}; cannot rescale (column "
                f"{weight!r})"
            )
    return np.array([target.background, target.signal]) / found


def _ams_exact(frame, label, score, weight, totals, br, n_cells) -> tuple[_Exact, ScoreCells]:
    if weight is None:
        raise TypeError("weight is required: AMS is a sum of physics weights")
    if totals is not None:
        check_totals(totals)
    check_real(br, "br", minimum=0.0)
    cells = score_cells(
        frame, label=label, score=score, weight=weight, n_cells=n_cells, allow_negative=False
    )
    _check_both_classes(cells, label)
    needed = _ams_needed(cells, _ams_scale(cells, totals, weight), br)
    return _exact_events(frame, cells, needed, label, score, weight), cells


def ams_curve_dask(
    frame: Any,
    *,
    label: str,
    score: str,
    weight: str,
    totals: ClassTotals | tuple[float, float] | None = HIGGS_TOTALS,
    br: float = AMS_BR,
    n_cells: int = DEFAULT_CELLS,
) -> AMSCurve:
    """The AMS curve of the events of a Dask DataFrame (:func:`hepclf.metrics.ams_curve`).

    Its cuts are the lowest score of every occupied cell and every distinct score of the cells
    that can hold the best cut; at each of them the AMS, ``s`` and ``b`` equal the in-memory
    curve's at the same cut. Weights are renormalised with the global class sums.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        ``weight`` is None (AMS is a sum of physics weights); the ``label`` column holds labels
        of a non-numeric kind; the ``score`` or ``weight`` column is not numeric; ``totals`` is
        not a pair of numbers; ``br`` is not a real number.
    ValueError
        As :func:`score_cells` (``n_cells``, a missing column, no events, a label not 0/1
        ('b'/'s'), NaN or infinities); a negative weight (naming the column and partition); a
        single class ("y contains a single class"), or with ``totals`` a class whose weights sum
        to zero ("sample_weight of the signal events sum to 0"); a total is not finite and
        positive; ``br`` is NaN, infinite or negative (these two checked before any pass).

    Examples
    --------
    >>> import numpy as np, pandas as pd, dask.dataframe as dd
    >>> from hepclf.distributed import ams_curve_dask
    >>> from hepclf.metrics import ams_curve
    >>> rng = np.random.default_rng(0)
    >>> events = pd.DataFrame({"y": rng.integers(0, 2, 1000), "p": rng.random(1000),
    ...                        "w": rng.random(1000)})
    >>> curve = ams_curve_dask(dd.from_pandas(events, npartitions=4), label="y", score="p",
    ...                        weight="w", n_cells=64)
    >>> exact = ams_curve(events.y, events.p, events.w)
    >>> bool(np.allclose(curve.ams.max(), exact.ams.max(), rtol=1e-12))
    True
    """
    exact, _ = _ams_exact(frame, label, score, weight, totals, br, n_cells)
    return ams_curve(exact.labels, exact.scores, exact.weights, totals, br)


def best_cut_dask(
    frame: Any,
    *,
    label: str,
    score: str,
    weight: str,
    totals: ClassTotals | tuple[float, float] | None = HIGGS_TOTALS,
    br: float = AMS_BR,
    n_cells: int = DEFAULT_CELLS,
) -> BestCut:
    """The cut of highest AMS (:func:`hepclf.metrics.best_cut`) of a Dask DataFrame's events;
    arguments as :func:`ams_curve_dask`. Only the events of the cells that can hold it are
    re-read.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        As :func:`ams_curve_dask`: ``weight`` is None; labels of a non-numeric kind; a score or
        weight column that is not numeric; ``totals`` not a pair of numbers; ``br`` not a real
        number.
    ValueError
        As :func:`ams_curve_dask`: ``n_cells``, a missing column, no events, a label not 0/1
        ('b'/'s'), NaN or infinities, a negative weight, a single class or a class of zero
        weight, a total not finite and positive, ``br`` NaN, infinite or negative.
    """
    exact, cells = _ams_exact(frame, label, score, weight, totals, br, n_cells)
    best = best_cut(exact.labels, exact.scores, exact.weights, totals, br)
    # the in-memory fraction would count pseudo events: count the events themselves
    selected = _selected(cells, exact, best.cut) / float(cells.count.sum())
    return best._replace(selected_fraction=selected)


def _selected(cells: ScoreCells, exact: _Exact, cut: float) -> float:
    """Number of events with score >= cut, from the cell counts and the re-read events."""
    cell = int(_cell_index(np.array([cut]), cells.edges)[0])
    count = cells.count.sum(axis=0)
    if cell in exact.reread:
        scores = exact.reread_events["score"].to_numpy()
        in_cell = _cell_index(scores, cells.edges) == cell
        return float(count[cell + 1 :].sum() + np.sum(scores[in_cell] >= cut))
    return float(count[cell:].sum())  # the cut is the cell's lowest score


def _exact_for_area(frame, label, score, weight, n_cells) -> _Exact:
    cells = score_cells(
        frame, label=label, score=score, weight=weight, n_cells=n_cells, allow_negative=False
    )
    _check_both_classes(cells, label)
    return _exact_events(frame, cells, cells.mixed, label, score, weight)


def roc_curve_dask(
    frame: Any,
    *,
    label: str,
    score: str,
    weight: str | None = None,
    n_cells: int = DEFAULT_CELLS,
) -> tuple[FloatArray, FloatArray]:
    """ROC points (FPR, TPR) of a Dask DataFrame's events (:func:`hepclf.metrics.roc_curve_points`):
    every vertex of the in-memory curve where it bends (the cells holding both classes are
    re-read); the straight stretches are given by their end points.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        The ``label`` column holds labels of a non-numeric kind; the ``score`` or ``weight``
        column is not numeric.
    ValueError
        As :func:`score_cells` (``n_cells``, a missing column, no events, a label not 0/1
        ('b'/'s'), NaN or infinities); a negative weight (refused in the first pass, naming the
        column and partition); a single class, or a class whose weights sum to zero.
    """
    exact = _exact_for_area(frame, label, score, weight, n_cells)
    return roc_curve_points(exact.labels, exact.scores, exact.weights)


def truncated_auc_dask(
    frame: Any,
    *,
    label: str,
    score: str,
    weight: str | None = None,
    tpr_thresholds: Sequence[float] = TPR_THRESHOLDS,
    roc_weights: Sequence[float] = ROC_WEIGHTS,
    n_cells: int = DEFAULT_CELLS,
) -> float:
    """The weighted truncated ROC AUC (:func:`hepclf.metrics.truncated_auc`) of a Dask
    DataFrame's events. An area depends on the order of the events inside every cell that holds
    both classes, so those cells are re-read: a finer grid (``n_cells``) re-reads fewer events.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        The ``label`` column holds labels of a non-numeric kind; the ``score`` or ``weight``
        column is not numeric; ``tpr_thresholds`` or ``roc_weights`` is not numeric.
    ValueError
        As :func:`roc_curve_dask` (``n_cells``, a missing column, no events, bad labels, NaN or
        infinities, a single class or a class of zero weight, a negative weight); a score
        outside [0, 1]; ``tpr_thresholds`` not increasing strictly inside (0, 1);
        ``roc_weights`` not one longer, negative or all zero (both checked before any pass).
    """
    # the in-memory checks of tpr_thresholds and roc_weights, on two events, before any pass
    truncated_auc(np.array([0, 1]), np.array([0.0, 1.0]), None, tpr_thresholds, roc_weights)
    exact = _exact_for_area(frame, label, score, weight, n_cells)
    return truncated_auc(exact.labels, exact.scores, exact.weights, tpr_thresholds, roc_weights)


def _ks_needed(cells: ScoreCells) -> np.ndarray:
    """Cells where |F_real - F_sim| can exceed its best value at the cell edges: several
    distinct scores, with both sides or a negative weight, and a bound that reaches it."""
    totals = cells.weight.sum(axis=1)
    for name, total in zip(("real (label 0)", "simulation (label 1)"), totals, strict=True):
        if not total > 0:
            raise ValueError(f"weight: the {name} events' weights sum to {total}")
    above = cells.above() / totals[:, None]
    distance = above[0] - above[1]
    best = np.max(np.abs(distance[:-1][cells.occupied]))
    positive, negative = cells.positive / totals[:, None], cells.negative / totals[:, None]
    high = distance[1:] + positive[0] - negative[1]
    low = distance[1:] + negative[0] - positive[1]
    bound = np.maximum(np.abs(high), np.abs(low))
    tangled = (cells.count > 0).all(axis=0) | (cells.negative < 0).any(axis=0)
    return tangled & (cells.lowest < cells.highest) & (bound >= best * (1 - _BOUND_MARGIN))


def ks_agreement_dask(
    frame: Any,
    *,
    label: str,
    score: str,
    weight: str | None = None,
    n_cells: int = DEFAULT_CELLS,
    threshold: float | None = None,
) -> PhysicsTestResult:
    """The weighted KS agreement test (:func:`hepclf.metrics.ks_agreement`) of a Dask DataFrame:
    ``label`` 0 marks real data, 1 simulation (the ``signal`` column of check_agreement); weights
    may be negative (sWeights). Only the cells that can hold the largest distance are re-read.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        The ``label`` column holds labels of a non-numeric kind; the ``score`` or ``weight``
        column is not numeric; ``threshold`` is not a real number.
    ValueError
        As :func:`score_cells` (``n_cells``, a missing column, no events, a label not 0/1
        ('b'/'s'), NaN or infinities); the weights of real data (label 0) or of simulation
        (label 1) do not sum to a positive number (a side without events included); a score
        outside [0, 1]; ``threshold`` outside (0, 1] (checked before any pass).
    """
    if threshold is not None:
        check_real(threshold, "threshold", minimum=0.0, maximum=1.0, open_minimum=True)
    cells = score_cells(frame, label=label, score=score, weight=weight, n_cells=n_cells)
    exact = _exact_events(frame, cells, _ks_needed(cells), label, score, weight)
    real, sim = exact.labels == 0, exact.labels == 1
    options = {} if threshold is None else {"threshold": threshold}
    return ks_agreement(
        exact.scores[real], exact.scores[sim], exact.weights[real], exact.weights[sim], **options
    )
