"""Constrained weighted ensembling: the best blend of models that still passes KS and CvM.

A blend is a weighted average of the members' signal probabilities with non-negative weights
summing to 1. It must pass the agreement test (KS < 0.09 - ks_margin on the control channel) and
the correlation test (CvM < 0.002 - cvm_margin on check_correlation); among those blends the one
with the highest objective (truncated AUC, or AMS) on out-of-fold training predictions wins.

The seed solution drew random weights and kept the best passing one. This search is deterministic
and spends its evaluations where they matter:

1. every member alone, then every point of a simplex grid with spacing ``grid_step`` (all blends
   whose weights are multiples of the step; skipped for more than ``max_grid_members`` members);
2. a local lattice search from each of the ``n_starts`` best feasible blends of step 1 (default:
   the best one): try every coordinated move of the weights by multiples of ``step`` within a small
   radius (all zero-sum integer moves, see :func:`local_moves`), go to the best feasible
   improvement, repeat until none, then halve the step down to ``min_step``; the best end point
   wins. Coordinated moves, because the best blends sit on the curved, non-convex boundary of the
   passing region, which moves of one pair of weights at a time cannot follow; more starts
   explore other stretches of that boundary, at the price of more evaluations.

Every evaluation is cached by its weights, so the same inputs always give the same blend.
"""

from __future__ import annotations

import itertools
from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from hepclf._utils import (
    ArrayLike,
    as_binary_labels,
    as_float_array,
    as_one_dimensional,
    as_weights,
    check_both_classes,
    check_count,
    check_lengths,
    check_name,
    check_positive_total,
    check_probabilities,
    check_real,
)
from hepclf.metrics.agreement import KS_THRESHOLD, agreement_curves_checked
from hepclf.metrics.correlation import CVM_THRESHOLD, CVM_WINDOW, cvm_checked, mass_order
from hepclf.metrics.scorers import Scorer, get_scorer, scorer_names
from hepclf.progress import advance, step, task
from hepclf.validation import check_estimator, out_of_fold_predictions

__all__ = [
    "BlendResult",
    "constrained_blend",
    "local_moves",
    "member_predictions",
    "simplex_grid",
]


@dataclass
class BlendResult:
    """The chosen blend and every number a physicist needs to trust it.

    Attributes
    ----------
    weights : dict
        Member name -> weight (non-negative, summing to 1).
    objective, ks, cvm : float
        The blend's objective and test statistics (NaN for a test that was not given).
    table : DataFrame
        One row per member and one for the blend: objective, KS, CvM, passes.
    evaluations : int
        Distinct blends evaluated.

    Raises
    ------
    TypeError
        A field is missing (the fields are not checked: the result is built by
        :func:`constrained_blend`); :meth:`predict` refuses ``predictions`` that are not a
        mapping of numeric arrays.
    ValueError
        :meth:`predict` refuses predictions that lack a member, are empty, not 1-D, NaN,
        infinite, outside [0, 1], or of different lengths.
    """

    weights: dict[str, float]
    objective: float
    ks: float
    cvm: float
    table: pd.DataFrame
    evaluations: int
    objective_name: str = "truncated_auc"
    history: list[tuple[int, float]] = field(default_factory=list, repr=False)

    def predict(self, predictions: Mapping[str, np.ndarray]) -> np.ndarray:
        """The blend of new predictions of the members (e.g. on the test set):
        ``sum_k w_k p_k`` over the members ``k``.

        Raises
        ------
        TypeError
            ``predictions`` is not a mapping, or a member's predictions are not numeric.
        ValueError
            A member is missing; predictions empty, not 1-D, NaN, infinite, outside [0, 1], or
            of different lengths for different members.
        """
        names = list(self.weights)
        stacked = _stack(_mapping(predictions, "predictions"), names, "predictions", None)
        return np.asarray(list(self.weights.values())) @ stacked

    def __str__(self) -> str:
        shown = ", ".join(f"{name} {w:.3f}" for name, w in self.weights.items())
        return (
            f"blend weights: {shown}\n"
            f"{self.table.to_string(float_format=lambda v: f'{v:.6f}')}\n"
            f"{self.evaluations} blends evaluated"
        )


class _BlendEvaluator:
    """Objective and tests of a blend, cached by its weights."""

    def __init__(self, names, train, y, weight, objective: Scorer, agreement, correlation, limits):
        self.names = names
        self.train = train
        self.y = y
        self.weight = weight
        self.objective = objective
        self.agreement = agreement
        self.correlation = correlation
        self.ks_limit, self.cvm_limit = limits
        self.cache: dict[tuple, tuple[float, float, float]] = {}
        self.history: list[tuple[int, float]] = []
        self.best = -np.inf

    def __call__(self, weights: np.ndarray) -> tuple[float, float, float]:
        key = tuple(np.round(weights, 10))
        if key in self.cache:
            return self.cache[key]
        # y and the weights were checked once by constrained_blend; a blend of checked
        # probabilities with non-negative weights summing to 1 is one too
        value = self.objective.checked(self.y, weights @ self.train, self.weight)
        ks = cvm = np.nan
        # every input was checked once by constrained_blend, so the tests run unchecked here
        if self.agreement is not None:
            real, sim, w_real, w_sim = self.agreement
            ks = agreement_curves_checked(weights @ real, weights @ sim, w_real, w_sim).distance
        if self.correlation is not None:
            predictions, order = self.correlation
            cvm = cvm_checked(weights @ predictions, order)
        self.cache[key] = (value, ks, cvm)
        advance()
        if self.feasible(ks, cvm) and value > self.best:
            self.best = value
            self.history.append((len(self.cache), value))
        return value, ks, cvm

    def feasible(self, ks: float, cvm: float) -> bool:
        return (np.isnan(ks) or ks < self.ks_limit) and (np.isnan(cvm) or cvm < self.cvm_limit)


def member_predictions(
    members: Mapping[str, tuple[object, list[str]]],
    training: pd.DataFrame,
    y: ArrayLike,
    targets: Mapping[str, pd.DataFrame],
    *,
    sample_weight: ArrayLike | None = None,
    cv: int = 3,
    random_state: int | None = 0,
) -> tuple[dict[str, np.ndarray], dict[str, dict[str, np.ndarray]]]:
    """The inputs of :func:`constrained_blend`: what each member predicts, honestly.

    Parameters
    ----------
    members : mapping name -> (estimator, columns)
        Each model with the training columns it uses.
    training : DataFrame
        Training events; ``y`` and ``sample_weight`` their classes and weights.
    targets : mapping name -> DataFrame
        Tables to predict with the members refitted on all training events (check_agreement,
        check_correlation, test). A column a member was given but a table lacks (the mass, for a
        flatness model, which needs it only in training) is left out of that table's input.
    cv, random_state :
        Stratified folds for the out-of-fold training predictions.

    Returns
    -------
    out_of_fold : dict name -> array
        Signal probabilities on the training events from models that did not see them.
    predictions : dict target -> dict name -> array

    Raises
    ------
    TypeError
        ``training`` or a table of ``targets`` is not a DataFrame; ``members`` or ``targets`` is
        not a mapping; a member is not a pair (estimator, columns) or its estimator lacks
        ``get_params``, ``fit`` or ``predict_proba``; ``y`` is None; ``sample_weight`` is not
        numeric or holds booleans; ``random_state`` is neither an integer nor None.
    ValueError
        ``y`` is not 1-D, is empty, has a length other than that of ``training``, holds a single
        class or fewer events of a class than ``cv``; ``cv`` is not a whole number >= 2;
        ``training`` lacks a column a member uses; ``sample_weight`` has the wrong length, NaN,
        infinities or negative values, or is all zero. Whatever a member's ``fit`` and
        ``predict_proba`` refuse is raised as they raise it.
    """
    from sklearn.base import clone

    _check_members(members, training, y, targets)
    check_count(cv, "cv", 2)
    labels = np.asarray(y)
    fit_params = {} if sample_weight is None else {"sample_weight": np.asarray(sample_weight)}
    out_of_fold: dict[str, np.ndarray] = {}
    predictions: dict[str, dict[str, np.ndarray]] = {name: {} for name in targets}
    for name, (_, columns) in members.items():
        missing = [c for c in columns if c not in training]
        if missing:
            raise ValueError(f"member {name!r}: training lacks column(s) {', '.join(missing)}")
    for name, (estimator, columns) in members.items():
        step(f"member {name}: {len(columns)} columns, {cv} folds, then a fit on all events")
        out_of_fold[name] = out_of_fold_predictions(
            estimator, training[columns], labels, sample_weight,
            n_splits=cv, random_state=random_state,
        )  # fmt: skip
        model = clone(estimator).fit(training[columns], labels, **fit_params)
        for target, table in targets.items():
            used = [c for c in columns if c in table]
            predictions[target][name] = model.predict_proba(table[used])[:, 1]
    return out_of_fold, predictions


def _check_members(members, training, y, targets) -> None:
    """The arguments of :func:`member_predictions`, checked before any fit."""
    if not isinstance(training, pd.DataFrame):
        raise TypeError(f"training must be a pandas DataFrame, got {type(training).__name__}")
    check_lengths({"y": len(as_one_dimensional(y, "y"))}, len(training))
    for name, table in _mapping(targets, "targets").items():
        if not isinstance(table, pd.DataFrame):
            raise TypeError(
                f"targets[{name!r}] must be a pandas DataFrame, got {type(table).__name__}"
            )
    for name, member in _mapping(members, "members").items():
        if not (isinstance(member, tuple) and len(member) == 2):
            raise TypeError(
                f"members[{name!r}] must be a pair (estimator, columns), got {member!r:.80}"
            )
        check_estimator(member[0], f"members[{name!r}] estimator")


def simplex_grid(n_members: int, step: float) -> np.ndarray:
    """All weight vectors of ``n_members`` non-negative multiples of ``step`` summing to 1.

    Raises
    ------
    ValueError
        ``n_members`` is not a whole number >= 1, or ``step`` is not 1/k for a whole k >= 1.

    Examples
    --------
    >>> simplex_grid(2, 0.5).tolist()
    [[0.0, 1.0], [0.5, 0.5], [1.0, 0.0]]
    """
    check_count(n_members, "n_members", 1)
    parts = _grid_parts(step, "step")
    points = []
    for cuts in itertools.combinations(range(parts + n_members - 1), n_members - 1):
        bounds = (-1, *cuts, parts + n_members - 1)
        points.append([bounds[i + 1] - bounds[i] - 1 for i in range(n_members)])
    return np.asarray(points, dtype=float) / parts


def _mapping(value: object, argument: str) -> Mapping:
    """``value`` if it is a mapping (member name -> something), else a TypeError."""
    if not isinstance(value, Mapping):
        raise TypeError(f"{argument} must be a mapping of member name -> values, got "
                        f"{type(value).__name__}")  # fmt: skip
    return value


def _grid_parts(step: object, name: str) -> int:
    """The k of a grid ``step`` = 1/k, raising unless the step divides 1 into whole parts (a
    step such as 0.3 would silently become 1/3)."""
    step = check_real(step, name, minimum=0.0, maximum=1.0, open_minimum=True)
    parts = round(1 / step)
    if not np.isclose(parts * step, 1.0, rtol=1e-9, atol=0.0):
        raise ValueError(
            f"{name} must be 1/k for a whole number k (0.5, 0.25, 0.1 ...), got {step}"
        )
    return parts


def _stack(predictions: Mapping[str, np.ndarray], names, argument: str, size: int | None):
    """The members' predictions (each checked: finite probabilities of one common length) as
    rows of one array, in the order of ``names``."""
    missing = [name for name in names if name not in predictions]
    if missing:
        raise ValueError(f"{argument} is missing member(s): {', '.join(map(str, missing))}")
    rows = []
    for name in names:
        values = as_float_array(predictions[name], f"{argument}[{name!r}]")
        check_probabilities(values, f"{argument}[{name!r}]")
        if size is not None:
            check_lengths({f"{argument}[{name!r}]": values.size}, size)
        size = values.size
        rows.append(values)
    return np.vstack(rows)


def constrained_blend(
    train_predictions: Mapping[str, np.ndarray],
    y: ArrayLike,
    *,
    sample_weight: ArrayLike | None = None,
    agreement_predictions: Mapping[str, np.ndarray] | None = None,
    agreement_is_simulation: ArrayLike | None = None,
    agreement_weight: ArrayLike | None = None,
    correlation_predictions: Mapping[str, np.ndarray] | None = None,
    correlation_mass: ArrayLike | None = None,
    objective: str = "truncated_auc",
    ks_threshold: float = KS_THRESHOLD,
    cvm_threshold: float = CVM_THRESHOLD,
    ks_margin: float = 0.0,
    cvm_margin: float = 0.0,
    grid_step: float = 0.1,
    min_step: float = 0.003,
    max_grid_members: int = 5,
    n_starts: int = 1,
) -> BlendResult:
    """The best blend of the members that passes the KS and CvM tests.

    Parameters
    ----------
    train_predictions : mapping name -> array
        Each member's out-of-fold signal probabilities on the training events.
    y, sample_weight :
        Training classes and weights for the objective.
    agreement_predictions, agreement_is_simulation, agreement_weight :
        Members' predictions on check_agreement, which events are simulation (``signal == 1``),
        and the weights (sWeights for data). None skips the KS constraint.
    correlation_predictions, correlation_mass :
        Members' predictions on check_correlation and its mass. None skips the CvM constraint.
    objective : str
        The scorer to maximise, by its name in :mod:`hepclf.metrics.scorers` ('truncated_auc';
        'ams': best-cut AMS with weights renormalised to the HiggsML totals).
    ks_threshold, cvm_threshold, ks_margin, cvm_margin :
        A blend passes when KS < ks_threshold - ks_margin and CvM < cvm_threshold - cvm_margin.
    grid_step, min_step, max_grid_members, n_starts :
        The search (see the module documentation).

    Raises
    ------
    ValueError
        When no blend passes, with every member's KS and CvM in the message.
    """
    names = list(_mapping(train_predictions, "train_predictions"))
    if not names:
        raise ValueError("train_predictions is empty")
    scorer = get_scorer(check_name(objective, "objective", scorer_names()))
    _grid_parts(grid_step, "grid_step")
    check_real(min_step, "min_step", minimum=0.0, maximum=1.0, open_minimum=True)
    check_count(n_starts, "n_starts", 1)
    check_count(max_grid_members, "max_grid_members", 1)
    limits = _test_limits(ks_threshold, ks_margin, cvm_threshold, cvm_margin)
    labels = as_binary_labels(y, "y")
    check_both_classes(labels)
    train = _stack(train_predictions, names, "train_predictions", labels.size)
    weights = as_weights(sample_weight, "sample_weight", labels.size)
    agreement = None
    if agreement_predictions is not None:
        agreement = _agreement_inputs(
            agreement_predictions, names, agreement_is_simulation, agreement_weight
        )
    correlation = None
    if correlation_predictions is not None:
        correlation = _correlation_inputs(correlation_predictions, names, correlation_mass)
    evaluate = _BlendEvaluator(
        names, train, labels, weights, scorer, agreement, correlation,
        limits,
    )  # fmt: skip
    with task("blend search", unit="blends"):
        best = _search(evaluate, names, grid_step, min_step, max_grid_members, n_starts)
    return _result(names, evaluate, best, objective)


def _test_limits(ks_threshold, ks_margin, cvm_threshold, cvm_margin) -> tuple[float, float]:
    """The pass limits (KS < ks_threshold - ks_margin, CvM < cvm_threshold - cvm_margin), each
    argument checked: positive thresholds, margins from 0 to below their threshold (a negative
    margin would loosen the challenge's tests)."""
    limits = []
    for test, threshold, margin in (("ks", ks_threshold, ks_margin), ("cvm", cvm_threshold,
                                                                       cvm_margin)):  # fmt: skip
        threshold = check_real(threshold, f"{test}_threshold", minimum=0.0, open_minimum=True)
        margin = check_real(margin, f"{test}_margin", minimum=0.0)
        if margin >= threshold:
            raise ValueError(
                f"{test}_margin ({margin}) must be below {test}_threshold ({threshold}): "
                "no blend could pass"
            )
        limits.append(threshold - margin)
    return limits[0], limits[1]


def _search(evaluate, names, grid_step, min_step, max_grid_members, n_starts) -> np.ndarray:
    """The grid (each member alone, and the simplex grid for a few members), then a pattern
    search from the ``n_starts`` best feasible points; returns the best blend's weights."""
    m = len(names)
    candidates = list(np.eye(m))
    if m <= max_grid_members:
        candidates += list(simplex_grid(m, grid_step))
    feasible = []
    for point in candidates:
        value, ks, cvm = evaluate(point)
        if evaluate.feasible(ks, cvm):
            feasible.append((value, len(feasible), point))
    if not feasible:
        raise ValueError(_infeasible_message(names, evaluate))
    # the n_starts best feasible points (the earlier point first among equal values)
    starts = sorted(feasible, key=lambda item: (-item[0], item[1]))[:n_starts]
    best, best_value = None, -np.inf
    for value, _, point in starts:
        end = _pattern_search(evaluate, point, value, grid_step, min_step)
        end_value = evaluate(end)[0]
        if end_value > best_value:
            best, best_value = end, end_value
    return best


def _agreement_inputs(predictions, names, is_simulation, weight) -> tuple:
    """The members' predictions on the control channel, checked once and split into real data
    and simulation, with each side's weights normalised to sum 1 (as the KS test uses them)."""
    stacked = _stack(_mapping(predictions, "agreement_predictions"), names,
                     "agreement_predictions", None)  # fmt: skip
    if is_simulation is None:
        raise TypeError("agreement_is_simulation is required with agreement_predictions")
    flags = as_binary_labels(is_simulation, "agreement_is_simulation")
    check_lengths({"agreement_is_simulation": flags.size}, stacked.shape[1])
    check_both_classes(flags, "agreement_is_simulation")
    flags = flags.astype(bool)
    event_weight = as_weights(weight, "agreement_weight", stacked.shape[1], allow_negative=True)
    w_real, w_sim = event_weight[~flags], event_weight[flags]
    return (
        np.ascontiguousarray(stacked[:, ~flags]),
        np.ascontiguousarray(stacked[:, flags]),
        w_real / check_positive_total(w_real, "agreement_weight of the real data"),
        w_sim / check_positive_total(w_sim, "agreement_weight of the simulation"),
    )


def _correlation_inputs(predictions, names, mass) -> tuple:
    """The members' predictions on check_correlation, checked once, and the events' mass order."""
    stacked = _stack(_mapping(predictions, "correlation_predictions"), names,
                     "correlation_predictions", None)  # fmt: skip
    if mass is None:
        raise TypeError("correlation_mass is required with correlation_predictions")
    masses = as_float_array(mass, "correlation_mass")
    check_lengths({"correlation_mass": masses.size}, stacked.shape[1])
    if masses.size < CVM_WINDOW:
        raise ValueError(
            f"correlation_mass has {masses.size} events, fewer than one CvM window of {CVM_WINDOW}"
        )
    return stacked, mass_order(masses)


#: Radius of the local lattice of moves, by number of members (the lattice has (2R+1)^(m-1)
#: points, so it shrinks as members are added).
_LATTICE_RADIUS = {2: 8, 3: 4, 4: 2}


def local_moves(n_members: int) -> np.ndarray:
    """Integer moves in weight space that keep the sum of the weights (zero-sum vectors).

    Raises
    ------
    ValueError
        ``n_members`` is not a whole number >= 2 (one member has no move).
    """
    check_count(n_members, "n_members", 2)
    radius = _LATTICE_RADIUS.get(n_members, 1)
    axes = [range(-radius, radius + 1)] * (n_members - 1)
    moves = [(*head, -sum(head)) for head in itertools.product(*axes) if any(head)]
    return np.asarray([move for move in moves if abs(move[-1]) <= radius], dtype=float)


def _pattern_search(evaluate, best, best_value, step, min_step):
    """Local lattice search: from the best blend, evaluate every move ``step * d`` of the local
    lattice (coordinated moves of several weights, so that the search can follow the curved
    boundary of the passing region), go to the best feasible improvement, repeat; then halve
    the step down to ``min_step``."""
    moves = local_moves(best.size)
    while step >= min_step - 1e-12:
        improved = True
        while improved:
            improved = False
            trials = best + step * moves
            trials = trials[(trials >= -1e-12).all(axis=1)]
            choice, choice_value = None, best_value
            for trial in np.clip(trials, 0.0, None):
                value, ks, cvm = evaluate(trial)
                if evaluate.feasible(ks, cvm) and value > choice_value + 1e-12:
                    choice, choice_value = trial, value
            if choice is not None:
                best, best_value, improved = choice, choice_value, True
        step /= 2
    return best


def _result(names, evaluate, best, objective) -> BlendResult:
    rows = []
    for k, name in enumerate(names):
        value, ks, cvm = evaluate(np.eye(len(names))[k])
        rows.append({"model": name, objective: value, "ks": ks, "cvm": cvm})
    value, ks, cvm = evaluate(best)
    rows.append({"model": "blend", objective: value, "ks": ks, "cvm": cvm})
    table = pd.DataFrame(rows).set_index("model")
    table["passes"] = [evaluate.feasible(k, c) for k, c in zip(table.ks, table.cvm, strict=True)]
    return BlendResult(
        weights={name: float(w) for name, w in zip(names, best, strict=True)},
        objective=float(value),
        ks=float(ks),
        cvm=float(cvm),
        table=table,
        evaluations=len(evaluate.cache),
        objective_name=objective,
        history=list(evaluate.history),
    )


def _infeasible_message(names, evaluate) -> str:
    ks_limit, cvm_limit = evaluate.ks_limit, evaluate.cvm_limit
    parts = []
    for k, name in enumerate(names):
        _, ks, cvm = evaluate(np.eye(len(names))[k])
        parts.append(f"{name}: KS {ks:.4f}, CvM {cvm:.5f}")
    return (
        f"no blend passes KS < {ks_limit:g} and CvM < {cvm_limit:g} "
        f"({len(evaluate.cache)} blends tried); members: " + "; ".join(parts)
    )
