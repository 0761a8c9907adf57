"""The same predictions scored under every protocol published Higgs ML results are known to use.

The AMS is not self-normalising: for s << b it is about ``s / sqrt(b)``, so multiplying every
weight by ``k`` (a luminosity ``k`` times the challenge's) multiplies it by about ``sqrt(k)``. The
correct protocol scores one set on its own with weights that carry the full luminosity (each
class summing to the totals: KaggleWeight of a whole set, or any subset renormalised), at a cut
fixed beforehand. Each other protocol below changes the luminosity, the formula or the cut; its
row of the table says by how much, from the data and the AMS formula (no factor is assumed):

============================  ===================================================================
``correct``                   the scored set alone, weights renormalised to the totals, fixed cut
``cut_on_scored_set``         the cut that maximises the AMS of the scored set itself
``public_plus_private``       public and private scored together with KaggleWeight (luminosity 2)
``weight_column``             the scored set with the file's ``Weight`` (luminosity = its share)
``unrenormalised_fraction``   a random fraction f of the set, weights as given (luminosity f)
``event_count_rescaled``      the same fraction, weights times N_set / N_fraction
``unweighted_counts``         s and b counted in events instead of summed weights
``s_over_sqrt_b``             s / sqrt(b) in place of the AMS
``no_br``                     the AMS with b_r = 0
``in_sample``                 the set's own training predictions (a model scored in-sample)
============================  ===================================================================

Each row's ``luminosity`` is the weight scale ``k`` that the correct selection would need to read
the row's value, ``AMS(k s, k b) = AMS_row`` (s, b the correct sums): 2 means the row reads as if
twice the data had been collected.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from hepclf._utils import (
    as_binary_labels,
    as_float_array,
    as_weights,
    check_count,
    check_lengths,
    check_real,
    check_required_columns,
)
from hepclf.audit._sums import (
    COUNT,
    KAGGLE_WEIGHT,
    WEIGHT,
    bootstrap_sums,
    class_totals,
    event_columns,
    group_of,
    observed_sums,
    renormalised_sums,
    selected_sums,
)
from hepclf.audit.submission import EVENT_COLUMNS, set_names
from hepclf.metrics import AMS_BR, HIGGS_TOTALS, ams
from hepclf.metrics._order import stable_order
from hepclf.metrics.ams import ams_curve_checked
from hepclf.schemas import KAGGLE_SETS, LEADERBOARD_SETS

#: Bootstrap resamples of the uncertainties, by default.
N_RESAMPLES = 200
#: Fraction of the scored set the fraction rows score (a validation split of 20 %).
DEFAULT_FRACTION = 0.2
#: Cuts on which the curves of the figure are evaluated.
CURVE_POINTS = 200
_TOTAL = HIGGS_TOTALS.signal + HIGGS_TOTALS.background


@dataclass(frozen=True)
class Protocol:
    """One way of computing a published AMS.

    Attributes
    ----------
    key : str
        Identifier (a row of the protocol table).
    name : str
        Short name, for tables and verdicts.
    does : str
        What the row computes.
    formula : str
        Its formula, in terms of the correct sums s and b (weights renormalised to the totals).

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked).
    dataclasses.FrozenInstanceError
        A field is assigned to (a protocol is frozen).
    """

    key: str
    name: str
    does: str
    formula: str


PROTOCOLS = {
    p.key: p
    for p in (
        Protocol(
            "correct",
            "correct",
            "the scored set alone, weights renormalised to the totals, cut fixed beforehand",
            "AMS(s, b), b_r = 10",
        ),
        Protocol(
            "cut_on_scored_set",
            "cut tuned on the scored set",
            "the cut that maximises the AMS of the scored set itself",
            "max_c AMS(s(c), b(c)): never below the correct value",
        ),
        Protocol(
            "public_plus_private",
            "public + private together with KaggleWeight",
            "both leaderboard sets scored as one, each with its KaggleWeight (luminosity 2)",
            "AMS(s_public + s_private, b_public + b_private) ~ sqrt(2) AMS",
        ),
        Protocol(
            "weight_column",
            "the file's Weight on one set",
            "the scored set with the Open Data Weight column (luminosity = the set's share)",
            "AMS(k s, k b), k = sum_set Weight / sum_file Weight",
        ),
        Protocol(
            "unrenormalised_fraction",
            "a fraction without renormalisation",
            "a random fraction f of the set (a CV fold, a validation split), weights as given",
            "AMS(f s, f b) ~ sqrt(f) AMS",
        ),
        Protocol(
            "event_count_rescaled",
            "a fraction rescaled by an event count",
            "the same fraction, weights times N_set / N_fraction instead of per-class weight sums",
            "AMS(s_f N/N_f, b_f N/N_f): right on average, wrong per class",
        ),
        Protocol(
            "unweighted_counts",
            "unweighted event counts",
            "s and b counted in events instead of summed weights",
            "AMS(n_s, n_b)",
        ),
        Protocol(
            "s_over_sqrt_b",
            "s / sqrt(b)",
            "the leading term of the AMS in place of the AMS",
            "s / sqrt(b)",
        ),
        Protocol(
            "no_br",
            "AMS without b_r",
            "the AMS with the regularisation term b_r = 0",
            "AMS(s, b), b_r = 0",
        ),
        Protocol(
            "in_sample",
            "training events scored in-sample",
            "the scored events' predictions by a model trained on them",
            "AMS(s, b) of in-sample predictions",
        ),
    )  # fmt: skip
}


@dataclass
class _Sums:
    """Group sums (``_sums`` layout) of the scored set, and of the other leaderboard set."""

    scored: np.ndarray
    other: np.ndarray | None


#: A row computed from sums: (AMS, s, b, weight the row's events carry in total).
_Row = tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]


def _correct(sums: _Sums) -> _Row:
    s, b = renormalised_sums(sums.scored, KAGGLE_WEIGHT, HIGGS_TOTALS)
    return ams(s, b), s, b, np.full_like(s, _TOTAL)


def _raw(sums: np.ndarray, column: int, *, fraction: bool = False, scale=1.0) -> _Row:
    s, b = selected_sums(sums, column, fraction=fraction)
    total = sum(class_totals(sums, column, fraction=fraction))
    return ams(s * scale, b * scale), s * scale, b * scale, total * scale


def _together(sums: _Sums) -> _Row | None:
    if sums.other is None:
        return None
    both = sums.scored + sums.other
    return _raw(both, KAGGLE_WEIGHT)


def _event_count(sums: _Sums) -> _Row:
    scale = sum(class_totals(sums.scored, COUNT)) / sum(
        class_totals(sums.scored, COUNT, fraction=True)
    )
    return _raw(sums.scored, KAGGLE_WEIGHT, fraction=True, scale=scale)


def _unweighted(sums: _Sums) -> _Row:
    value, s, b, _ = _raw(sums.scored, COUNT)
    return value, s, b, np.full_like(s, np.nan)


def _s_over_sqrt_b(sums: _Sums) -> _Row:
    _, s, b, total = _correct(sums)
    with np.errstate(divide="ignore", invalid="ignore"):
        value = np.where(b > 0, s / np.sqrt(np.where(b > 0, b, 1.0)), np.inf)
    return value, s, b, total


def _no_br(sums: _Sums) -> _Row:
    _, s, b, total = _correct(sums)
    return ams(s, b, 0.0), s, b, total


#: Protocols computed from the group sums at a fixed selection (the others need the scores).
_FROM_SUMS: dict[str, Callable[[_Sums], _Row | None]] = {
    "correct": _correct,
    "public_plus_private": _together,
    "weight_column": lambda sums: _raw(sums.scored, WEIGHT),
    "unrenormalised_fraction": lambda sums: _raw(sums.scored, KAGGLE_WEIGHT, fraction=True),
    "event_count_rescaled": _event_count,
    "unweighted_counts": _unweighted,
    "s_over_sqrt_b": _s_over_sqrt_b,
    "no_br": _no_br,
}


def luminosity_for(value: float, s: float, b: float, br: float = AMS_BR) -> float:
    """The weight scale ``k`` with ``AMS(k s, k b) = value``: the luminosity (in units of the
    challenge's) at which the selection ``(s, b)`` reads ``value``.

    AMS(k s, k b) grows monotonically with k (about as sqrt(k) when s << b), so k is unique; it is
    found by root finding on the AMS formula itself, never assumed to be a square.

    Examples
    --------
    >>> from hepclf.metrics import ams
    >>> round(luminosity_for(ams(1000.0, 40000.0), 500.0, 20000.0), 6)
    2.0

    Raises
    ------
    TypeError
        ``value``, ``s``, ``b`` or ``br`` is not a real number.
    ValueError
        ``value``, ``s``, ``b`` or ``br`` is NaN, infinite or negative. (A selection that cannot
        read ``value`` at any scale gives NaN, not an error.)
    """
    value = check_real(value, "value", minimum=0.0)
    s, b = check_real(s, "s", minimum=0.0), check_real(b, "b", minimum=0.0)
    br = check_real(br, "br", minimum=0.0)
    if value == 0 or s <= 0:
        return 0.0 if value == 0 else float("nan")

    def gap(log_k: float) -> float:
        k = np.exp(log_k)
        return float(ams(k * s, k * b, br)) - value

    low, high = -30.0, 30.0
    if gap(low) > 0 or gap(high) < 0:
        return float("nan")
    return float(np.exp(brentq(gap, low, high, xtol=1e-13, rtol=1e-13)))


@dataclass
class ProtocolAudit:
    """The protocol table of one set of predictions (:func:`audit_predictions`).

    Attributes
    ----------
    table : DataFrame
        One row per protocol: ``protocol`` (key), ``name``, ``does``, ``events`` scored, the
        ``s`` and ``b`` it sums, its ``ams``, the bootstrap ``uncertainty`` (NaN where the row is
        not a fixed selection), ``ratio`` to the correct AMS, the ``luminosity`` k it implies
        (:func:`luminosity_for`) and the ``nominal`` luminosity its weights carry.
    curves : DataFrame
        The AMS of every protocol at each cut: ``cut``, ``selected_fraction`` (of the scored set)
        and one column per protocol key (``in_sample`` too when given).
    scored_set : str
        KaggleSet code of the scored set.
    cut : float
        The fixed cut.
    best_cut, best_fraction : float
        The cut that maximises the correct AMS of the scored set (the ``cut_on_scored_set`` row),
        and the fraction of the scored set it selects.
    correct_uncertainty : dict
        KaggleSet code -> bootstrap standard deviation of the correct AMS of that set (the scored
        set, and the other leaderboard set when present).
    fraction, n_resamples, seed :
        The settings.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the table is
        built by :func:`audit_predictions`).
    KeyError
        :meth:`row` and :meth:`value`: the table has no row of that protocol.
    """

    table: pd.DataFrame
    curves: pd.DataFrame
    scored_set: str
    cut: float
    best_cut: float
    best_fraction: float
    correct_uncertainty: dict[str, float]
    fraction: float
    n_resamples: int
    seed: int

    def row(self, protocol: str) -> pd.Series:
        """The row of ``protocol`` (a key of :data:`PROTOCOLS`)."""
        rows = self.table[self.table["protocol"] == protocol]
        if rows.empty:
            raise KeyError(f"no row {protocol!r}; rows: {', '.join(self.table['protocol'])}")
        return rows.iloc[0]

    def value(self, protocol: str) -> float:
        """The AMS of ``protocol``'s row."""
        return float(self.row(protocol)["ams"])

    def pin(self, claim: float) -> tuple[str, float]:
        """The row that reproduces ``claim`` best, and its distance in standard deviations (the
        row's bootstrap spread; the correct row's where the row has none)."""
        spread = self.table["uncertainty"].fillna(self.row("correct")["uncertainty"]).to_numpy()
        distance = np.abs(self.table["ams"].to_numpy() - claim) / spread
        distance = np.where(np.isfinite(distance), distance, np.inf)
        best = int(np.argmin(distance))
        return str(self.table["protocol"].iloc[best]), float(distance[best])

    def to_dict(self) -> dict:
        """Plain numbers and strings (for ``--json``)."""
        return {
            "scored_set": self.scored_set,
            "cut": self.cut,
            "best_cut": self.best_cut,
            "fraction": self.fraction,
            "n_resamples": self.n_resamples,
            "seed": self.seed,
            "rows": self.table.drop(columns=["does"]).to_dict(orient="records"),
        }

    def __str__(self) -> str:
        shown = self.table[["name", "events", "ams", "uncertainty", "ratio", "luminosity"]]
        name = set_names().get(self.scored_set, self.scored_set)
        return (
            f"protocols on the {name} set ({self.scored_set}), cut {self.cut:.6g}:\n"
            + shown.to_string(index=False, float_format=lambda v: f"{v:.4f}", na_rep="-")
        )


def audit_predictions(
    events: pd.DataFrame,
    score,
    cut: float,
    *,
    scored: str | None = None,
    in_sample_score=None,
    selected=None,
    fraction: float = DEFAULT_FRACTION,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
) -> ProtocolAudit:
    """Score the same predictions under every known protocol: one row each (see the module).

    Parameters
    ----------
    events : DataFrame
        Open Data events (:func:`hepclf.datasets.load_higgs`, or simulated by
        :func:`hepclf.simulate.simulate_higgs`) with Label, KaggleSet, KaggleWeight and Weight.
    score : array-like
        The classifier output of each row of ``events`` (larger = more signal-like); the
        honest (out-of-fold, or test) predictions.
    cut : float
        The cut fixed beforehand: events with ``score >= cut`` are selected.
    scored : str, optional
        The set scored: 'public'/'b', 'private'/'v', 'training'/'t' or 'unused'/'u'. Default:
        the private set when present, else the set with the most events.
    in_sample_score : array-like, optional
        Predictions of a model trained on the scored events themselves: adds the ``in_sample`` row.
    selected : array-like of bool, optional
        The fixed selection of each event, when it is not ``score >= cut`` (a Kaggle submission
        whose Class is not a cut on its ranking); the curves still cut on ``score``.
    fraction : float
        Share of the scored set in the fraction rows (0 < fraction < 1; default a 20 % split).
    n_resamples, seed : int
        Bootstrap resamples of the uncertainties, and the seed of those and of the fraction.

    Returns
    -------
    ProtocolAudit

    Raises
    ------
    TypeError
        ``events`` is not a DataFrame; ``score`` or ``in_sample_score`` is None or not numeric;
        ``cut`` or ``fraction`` is not a real number; ``selected`` is not a boolean mask;
        ``scored`` is of an unhashable kind (a list); ``seed`` is not an integer (numpy's
        message); the Label column holds labels of a non-numeric kind.
    ValueError
        ``events`` lacks EventId, Label, KaggleSet, KaggleWeight or Weight, or a weight column
        cannot be read as numbers; Label holds labels other than 's'/'b' (0/1); ``score`` or
        ``in_sample_score`` is not 1-D, is empty, has NaN or infinities or a length other than
        the events', ``selected`` a size other than theirs; ``cut`` is NaN or infinite;
        ``fraction`` is not strictly between 0 and 1; ``n_resamples`` is not a whole number >= 2;
        ``seed`` is negative; ``scored`` is not a set name or KaggleSet code, or names a set the
        events do not have; the scored set or its fraction holds a single class.

    Examples
    --------
    >>> import numpy as np
    >>> from hepclf.simulate import simulate_higgs
    >>> events = simulate_higgs(4000, seed=2)
    >>> score = (events.Label == "s") + np.random.default_rng(0).normal(0, 0.8, len(events))
    >>> audit = audit_predictions(events, score, 1.0, n_resamples=20)
    >>> bool(audit.value("cut_on_scored_set") >= audit.value("correct"))
    True
    >>> round(float(audit.row("public_plus_private")["nominal"]), 6)
    2.0
    """
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a pandas DataFrame, got {type(events).__name__}")
    check_required_columns(events.columns, EVENT_COLUMNS, "events (the Open Data file)")
    values = as_float_array(score, "score")
    check_lengths({"score": values.size}, len(events))
    cut = check_real(cut, "cut")
    check_real(fraction, "fraction", minimum=0.0, maximum=1.0, open_minimum=True, open_maximum=True)
    n_resamples = check_count(n_resamples, "n_resamples", 2)
    labels = as_binary_labels(events["Label"].to_numpy(), "events Label")
    for column in ("KaggleWeight", "Weight"):
        as_weights(events[column].to_numpy(), f"events {column}", len(events))
    seed = check_count(seed, "seed", 0)
    sets = events["KaggleSet"].to_numpy().astype(str)
    code = _scored_code(scored, sets)
    in_set = sets == code
    other_code = _other_board(code, sets)
    columns = event_columns(
        events["KaggleWeight"].to_numpy(np.float64), events["Weight"].to_numpy(np.float64)
    )
    rng = np.random.default_rng(seed)
    in_fraction = np.zeros(len(events), dtype=bool)
    members = np.flatnonzero(in_set)
    in_fraction[rng.choice(members, max(1, round(fraction * members.size)), replace=False)] = True
    _check_classes(labels[in_set], in_fraction[in_set], code)
    if selected is None:
        chosen = values >= cut
    else:
        chosen = np.asarray(selected)
        if chosen.dtype != bool:
            raise TypeError(f"selected must be a boolean mask, got dtype {chosen.dtype}")
        check_lengths({"selected": chosen.size}, len(events))

    def set_events(mask):
        return _SetEvents(
            values[mask], labels[mask], in_fraction[mask], columns[mask], chosen[mask]
        )

    scored_events = set_events(in_set)
    other_events = None if other_code is None else set_events(sets == other_code)
    cuts = _curve_cuts(scored_events.score, cut)
    at = _Sums(
        scored_events.sums_at(cuts), None if other_events is None else other_events.sums_at(cuts)
    )
    fixed = _Sums(
        scored_events.observed(), None if other_events is None else other_events.observed()
    )
    resampled = _Sums(
        scored_events.bootstrap(n_resamples, seed),
        None if other_events is None else other_events.bootstrap(n_resamples, seed + 1),
    )
    correct_uncertainty = {code: _spread(_correct, resampled)}
    if other_code is not None:
        correct_uncertainty[other_code] = _spread(_correct, _Sums(resampled.other, None))
    chosen_index = int(np.flatnonzero(cuts == cut)[0])
    selected_count = at.scored[..., COUNT][:, :, 1].sum(axis=(1, 2))  # (cut, class, fraction)
    curves = pd.DataFrame({"cut": cuts, "selected_fraction": selected_count / in_set.sum()})
    records = []
    correct_value, s0, b0, _ = (float(v) for v in _correct(fixed))
    for key, evaluate in _FROM_SUMS.items():
        row = evaluate(fixed)
        if row is None:
            continue
        value, s, b, total = (float(v) for v in row)
        curves[key] = evaluate(at)[0]
        events_scored = _events_scored(key, in_set.sum(), in_fraction.sum(), sets, other_code)
        records.append(
            _record(key, events_scored, s, b, value, _spread(evaluate, resampled), total / _TOTAL,
                    correct_value, s0, b0)
        )  # fmt: skip
    best_cut, best_row = _best_cut_row(scored_events, correct_value, s0, b0)
    records.insert(1, best_row)
    if in_sample_score is not None:
        in_sample = as_float_array(in_sample_score, "in_sample_score")
        check_lengths({"in_sample_score": in_sample.size}, len(events))
        own = _SetEvents(
            in_sample[in_set], labels[in_set], in_fraction[in_set], columns[in_set],
            in_sample[in_set] >= cut,
        )  # fmt: skip
        value, s, b, _ = _correct(_Sums(own.sums_at(cuts), None))
        curves["in_sample"] = value
        records.append(
            _record("in_sample", int(in_set.sum()), s[chosen_index], b[chosen_index],
                    value[chosen_index], np.nan, 1.0, correct_value, s0, b0)
        )  # fmt: skip
    return ProtocolAudit(
        table=pd.DataFrame(records),
        curves=curves,
        scored_set=code,
        cut=float(cut),
        best_cut=best_cut,
        best_fraction=float(np.mean(scored_events.score >= best_cut)),
        correct_uncertainty=correct_uncertainty,
        fraction=float(fraction),
        n_resamples=n_resamples,
        seed=seed,
    )


def _spread(evaluate: Callable[[_Sums], _Row | None], resampled: _Sums) -> float:
    """Standard deviation of a row over the resamples; NaN when a resample has no finite value
    (a tiny set: a class absent from a resample, or b = 0 with b_r = 0)."""
    with np.errstate(divide="ignore", invalid="ignore"):
        try:
            values = evaluate(resampled)[0]
        except ValueError:  # ams() refuses the non-finite sums of a resample without a class
            return float("nan")
    return float(np.std(values)) if np.all(np.isfinite(values)) else float("nan")


def _record(key, events, s, b, value, spread, nominal, correct_value, s0, b0) -> dict:
    protocol = PROTOCOLS[key]
    return {
        "protocol": key,
        "name": protocol.name,
        "does": protocol.does,
        "events": int(events),
        "s": float(s),
        "b": float(b),
        "ams": float(value),
        "uncertainty": spread,
        "ratio": float(value) / correct_value if correct_value > 0 else float("nan"),
        "luminosity": luminosity_for(float(value), s0, b0),
        "nominal": float(nominal),
    }


def _events_scored(key, n_set, n_fraction, sets, other_code) -> int:
    if key == "public_plus_private":
        return int(n_set + (sets == other_code).sum())
    if key in ("unrenormalised_fraction", "event_count_rescaled"):
        return int(n_fraction)
    return int(n_set)


def _best_cut_row(scored: _SetEvents, correct_value, s0, b0) -> tuple[float, dict]:
    curve = ams_curve_checked(
        scored.labels, scored.score, scored.columns[:, KAGGLE_WEIGHT].copy(), HIGGS_TOTALS
    )
    best = int(np.argmax(curve.ams))
    record = _record(
        "cut_on_scored_set", scored.score.size, curve.signal[best], curve.background[best],
        curve.ams[best], np.nan, 1.0, correct_value, s0, b0,
    )  # fmt: skip
    return float(curve.cuts[best]), record


@dataclass
class _SetEvents:
    """The checked events of one set: scores, labels, fraction membership, summed columns."""

    score: np.ndarray
    labels: np.ndarray
    in_fraction: np.ndarray
    columns: np.ndarray
    selected: np.ndarray

    def sums_at(self, cuts: np.ndarray) -> np.ndarray:
        """Group sums at each cut (selection ``score >= cut``), shape (n_cuts, 2, 2, 2, 3)."""
        order = stable_order(self.score, descending=True)
        subgroup = 2 * self.labels[order].astype(int) + self.in_fraction[order]
        per_event = np.zeros((order.size, 4, self.columns.shape[1]))
        per_event[np.arange(order.size), subgroup] = self.columns[order]
        above = np.concatenate([np.zeros((1, 4, 3)), np.cumsum(per_event, axis=0)])
        count = np.searchsorted(-self.score[order], -cuts, side="right")
        selected = above[count].reshape(cuts.size, 2, 2, 3)  # (cut, class, fraction, column)
        unselected = np.maximum(above[-1].reshape(2, 2, 3) - selected, 0.0)
        return np.stack([unselected, selected], axis=2)  # (cut, class, selected, fraction, col)

    def observed(self) -> np.ndarray:
        """Group sums of the fixed selection, shape (2, 2, 2, 3)."""
        return observed_sums(group_of(self.labels, self.selected, self.in_fraction), self.columns)

    def bootstrap(self, n_resamples: int, seed: int) -> np.ndarray:
        """Group sums of the fixed selection in bootstrap resamples."""
        group = group_of(self.labels, self.selected, self.in_fraction)
        return bootstrap_sums(group, self.columns, n_resamples=n_resamples, seed=seed)


def _curve_cuts(score: np.ndarray, cut: float) -> np.ndarray:
    """Cuts spread evenly in the selected fraction of the scored set, plus ``cut`` itself."""
    ordered = np.sort(score)[::-1]
    positions = np.unique(np.linspace(1, ordered.size, CURVE_POINTS).round().astype(int))
    return np.unique(np.append(ordered[positions - 1], cut))[::-1]


def _scored_code(scored: str | None, sets: np.ndarray) -> str:
    if scored is not None and not isinstance(scored, str):
        raise TypeError(f"scored must be a set name or KaggleSet code, got {scored!r}")
    present = set(np.unique(sets))
    if scored is None:
        if "v" in present:
            return "v"
        codes, counts = np.unique(sets, return_counts=True)
        return str(codes[np.argmax(counts)])
    names = {name: code for code, name in set_names().items()}
    code = names.get(scored, scored)
    if code not in KAGGLE_SETS:
        raise ValueError(
            f"scored must be a set name ({', '.join(names)}) or KaggleSet code, got {scored!r}"
        )
    if code not in present:
        raise ValueError(f"scored: events have no {set_names()[code]} events (KaggleSet {code})")
    return code


def _other_board(code: str, sets: np.ndarray) -> str | None:
    boards = list(LEADERBOARD_SETS.values())
    if code not in boards:
        return None
    other = boards[1 - boards.index(code)]
    return other if (sets == other).any() else None


def _check_classes(labels: np.ndarray, in_fraction: np.ndarray, code: str) -> None:
    for what, part in (("set", labels), ("fraction", labels[in_fraction])):
        if part.min() == part.max():
            raise ValueError(
                f"the scored {what} (KaggleSet {code}) holds a single class: AMS needs both"
            )
