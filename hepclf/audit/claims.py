"""Explaining a published AMS from the number and whatever its publication says about the protocol.

A claim is judged in three steps:

1. **Where it sits.** The value is compared with the Kaggle winner's private AMS (3.80581) in
   units of the statistical spread of the set it was scored on: ``z = (AMS - 3.80581) / sigma``,
   ``sigma = AMS x (sigma / AMS)`` of a realistic selection bootstrapped at that set's size
   (:mod:`hepclf.audit.reference`; about 0.9 % on the 450,000 private events, 1.9 % on the
   100,000 public ones). Up to ``z = 2`` the claim is within what the leaderboard's best did.
2. **What the protocol does to it.** Each known protocol is a map from the correct selection's
   sums ``(s, b)`` to the number it reads: public + private together with KaggleWeight reads
   ``AMS(2 s, 2 b)``, the file's Weight ``AMS(k s, k b)`` with ``k`` the set's share, an
   unrenormalised fraction ``AMS(f s, f b)``, b_r = 0 ``AMS(s, b; 0)``, ``s / sqrt(b)``,
   unweighted counts ``AMS(n_s, n_b)``, and a cut tuned on the scored set adds the mean gain of
   that choice (bootstrapped). Along the line ``(s, b) = lambda (s_0, b_0)`` through the
   reference operating point (the winning solution's top 15.2 %), the protocol's reading is
   solved for ``lambda`` and the **equivalent correctly normalised AMS** is ``AMS(lambda s_0,
   lambda b_0)``, through the AMS formula (b_r included), never a bare square root.
3. **The verdict.** ``consistent`` (correct protocol, z <= 2); ``explained by <protocol>`` (a stated
   protocol that changes the number, or, for an exceptional claim whose protocol is not fully
   stated, the smallest known mistake that brings it to z <= 2); ``exceptional`` (z > 2 under
   every reading). With a protocol table of the same predictions (:func:`audit_predictions`),
   the row that reproduces the claim pins the protocol instead.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd
from scipy.optimize import brentq

from hepclf._utils import check_flag, check_real
from hepclf.audit.protocols import PROTOCOLS, ProtocolAudit
from hepclf.audit.reference import cut_optimism, reference_selection, relative_spread
from hepclf.metrics import AMS_BR, ams
from hepclf.schemas import KAGGLE_SET_SIZES

#: The Kaggle private leaderboard's 1st place (Melis, 2014): the best correctly scored AMS.
WINNER = 3.80581
#: Beyond this many standard deviations above the winner, a correct-protocol claim is exceptional.
EXCEPTIONAL_SIGMA = 2.0
_FILE_EVENTS = sum(KAGGLE_SET_SIZES.values())
#: Events of each set a claim can be scored on (the Open Data release).
SCORED_EVENTS = {
    "public": KAGGLE_SET_SIZES["b"],
    "private": KAGGLE_SET_SIZES["v"],
    "public+private": KAGGLE_SET_SIZES["b"] + KAGGLE_SET_SIZES["v"],
    "training": KAGGLE_SET_SIZES["t"],
}
WEIGHTS = ("KaggleWeight", "renormalised", "Weight", "event-count", "unweighted")
CUT_CHOICES = ("beforehand", "validation", "training", "scored")
FORMULAS = ("ams", "s/sqrt(b)")
#: What would settle each protocol question.
_SETTLE = {
    "public_plus_private": "score the public and the private set each on its own with its "
    "KaggleWeight (hepclf audit submission), or state which set the number is",
    "weight_column": "score with KaggleWeight, which carries the full luminosity in each set",
    "unrenormalised_fraction": "renormalise each scored fraction to the totals (weights of each "
    "class rescaled to sum to 691.99 and 410,999.85) before computing the AMS",
    "event_count_rescaled": "rescale each class by its weight sum, not by an event count",
    "unweighted_counts": "sum the event weights (expected counts), do not count events",
    "s_over_sqrt_b": "compute the AMS formula with b_r = 10",
    "no_br": "compute the AMS with b_r = 10, as the leaderboard did",
    "cut_on_scored_set": "fix the cut beforehand on training or validation data and report the "
    "AMS at that cut",
    "in_sample": "report the AMS of out-of-fold or test predictions, never of training events",
    "correct": "publish the predictions (a Kaggle-format submission) so the number can be "
    "rescored with hepclf audit submission",
}


@dataclass(frozen=True)
class StatedProtocol:
    """What a publication states about how its AMS was computed (None = not stated).

    Attributes
    ----------
    scored : {'public', 'private', 'public+private', 'training'} or None
        The events scored.
    weights : {'KaggleWeight', 'renormalised', 'Weight', 'event-count', 'unweighted'} or None
        The weights: KaggleWeight as given, renormalised to the totals, the Open Data ``Weight``
        column, rescaled by an event-count ratio, or none (event counts).
    fraction : float or None
        The share of the set that was scored (a fold, a split); with KaggleWeight or Weight its
        weights are taken as given (not renormalised).
    cut_on : {'beforehand', 'validation', 'training', 'scored'} or None
        Where the cut was chosen; 'scored' = on the scored events themselves.
    br : float or None
        The b_r of the formula (10 on the leaderboard).
    formula : {'ams', 's/sqrt(b)'} or None
    in_sample : bool or None
        The scored events trained the model.

    Raises
    ------
    ValueError
        ``scored``, ``weights``, ``cut_on`` or ``formula`` is not one of its values;
        ``fraction`` is not in (0, 1]; ``br`` is NaN, infinite or negative.
    TypeError
        ``fraction`` or ``br`` is not a real number; ``in_sample`` is not a bool.
    dataclasses.FrozenInstanceError
        A field is assigned to (a protocol is frozen: use :func:`dataclasses.replace`).
    """

    scored: str | None = None
    weights: str | None = None
    fraction: float | None = None
    cut_on: str | None = None
    br: float | None = None
    formula: str | None = None
    in_sample: bool | None = None

    def __post_init__(self):
        _check_option(self.scored, tuple(SCORED_EVENTS), "scored")
        _check_option(self.weights, WEIGHTS, "weights")
        _check_option(self.cut_on, CUT_CHOICES, "cut_on")
        _check_option(self.formula, FORMULAS, "formula")
        if self.fraction is not None:
            check_real(self.fraction, "fraction", minimum=0.0, maximum=1.0, open_minimum=True)
        if self.br is not None:
            check_real(self.br, "br", minimum=0.0)
        if self.in_sample is not None:
            check_flag(self.in_sample, "in_sample")

    def completed(self) -> StatedProtocol:
        """Unstated fields read as the leaderboard's: private set, KaggleWeight, the whole set,
        cut fixed beforehand, b_r = 10, the AMS formula, out-of-sample predictions."""
        defaults = dict(
            scored="private", weights="KaggleWeight", fraction=1.0, cut_on="beforehand",
            br=AMS_BR, formula="ams", in_sample=False,
        )  # fmt: skip
        return replace(self, **{k: v for k, v in defaults.items() if getattr(self, k) is None})

    def deviations(self) -> tuple[str, ...]:
        """The protocol keys (:data:`PROTOCOLS`) in which this (completed) protocol departs from
        the correct one."""
        p = self.completed()
        found = []
        raw = p.weights in ("KaggleWeight", "event-count")
        if p.scored == "public+private" and raw:
            found.append("public_plus_private")
        if p.weights == "Weight":
            found.append("weight_column")
        if p.fraction < 1 and p.weights in ("KaggleWeight", "Weight"):
            found.append("unrenormalised_fraction")
        if p.weights == "event-count" and p.fraction < 1:
            found.append("event_count_rescaled")
        if p.weights == "unweighted":
            found.append("unweighted_counts")
        if p.formula == "s/sqrt(b)":
            found.append("s_over_sqrt_b")
        elif p.br == 0:
            found.append("no_br")
        if p.cut_on == "scored":
            found.append("cut_on_scored_set")
        if p.in_sample:
            found.append("in_sample")
        return tuple(found)

    def events(self) -> int:
        """Events scored."""
        p = self.completed()
        return max(1, round(SCORED_EVENTS[p.scored] * p.fraction))

    def luminosity(self) -> float:
        """The weight scale the protocol applies to the correct sums (NaN for event counts)."""
        p = self.completed()
        if p.weights == "unweighted":
            return float("nan")
        if p.weights == "renormalised":
            return 1.0
        if p.weights == "Weight":
            return SCORED_EVENTS[p.scored] / _FILE_EVENTS * p.fraction
        sets = 2.0 if p.scored == "public+private" else 1.0
        return sets * (1.0 if p.weights == "event-count" else p.fraction)

    def reading(self, scale: float) -> float:
        """The number this protocol reads for the correct selection ``scale * (s_0, b_0)`` at the
        reference operating point (NaN for in-sample predictions: not computable)."""
        p = self.completed()
        if p.in_sample:
            return float("nan")
        reference = reference_selection()
        if p.weights == "unweighted":
            n = self.events()
            s, b = scale * reference.signal_events * n, scale * reference.background_events * n
        else:
            k = self.luminosity()
            s, b = k * scale * reference.signal, k * scale * reference.background
        if p.formula == "s/sqrt(b)":
            value = s / np.sqrt(b)
        else:
            value = float(ams(s, b, p.br))
        if p.cut_on == "scored":
            value *= 1.0 + cut_optimism(self.events())
        return float(value)

    def describe(self) -> str:
        """The stated fields, in words."""
        stated = {k: v for k, v in self.__dict__.items() if v is not None}
        return ", ".join(f"{k}={v}" for k, v in stated.items()) or "nothing stated"


def _check_option(value, options, name):
    if value is not None and value not in options:
        raise ValueError(f"{name} must be one of {', '.join(map(str, options))}, got {value!r}")


def equivalent_ams(value: float, protocol: StatedProtocol) -> float:
    """The correctly normalised AMS of the selection that reads ``value`` under ``protocol``.

    Solves ``protocol.reading(lambda) = value`` for the scale ``lambda`` of the reference
    operating point and returns ``AMS(lambda s_0, lambda b_0)`` (b_r = 10). NaN when the
    protocol cannot be modelled (in-sample predictions) or the value is out of its range.

    Examples
    --------
    >>> round(equivalent_ams(3.7, StatedProtocol(scored="private")), 6)
    3.7

    Raises
    ------
    TypeError
        ``value`` is not a real number; ``protocol`` is not a :class:`StatedProtocol`.
    ValueError
        ``value`` is NaN or infinite (a value <= 0 gives NaN, not an error).
    """
    check_real(value, "value")
    if not isinstance(protocol, StatedProtocol):
        raise TypeError(f"protocol must be a StatedProtocol, got {type(protocol).__name__}")
    if value <= 0:
        return float("nan")
    if protocol.completed().in_sample:
        return float("nan")
    reference = reference_selection()

    def gap(log_scale: float) -> float:
        return protocol.reading(np.exp(log_scale)) - value

    low, high = -25.0, 25.0
    if gap(low) > 0 or gap(high) < 0:
        return float("nan")
    scale = np.exp(brentq(gap, low, high, xtol=1e-12, rtol=1e-12))
    return float(ams(scale * reference.signal, scale * reference.background))


def spread(value: float, n_events: int) -> float:
    """The statistical spread of an AMS ``value`` measured on ``n_events`` events."""
    return value * relative_spread(int(n_events))


@dataclass
class ClaimVerdict:
    """What :func:`explain_claim` found.

    Attributes
    ----------
    value : float
        The claimed AMS.
    verdict : str
        'consistent', 'exceptional' or 'explained by <protocol>'.
    protocol : tuple of str
        The protocol keys (:data:`PROTOCOLS`) that explain it; empty for the correct protocol.
    equivalent : float
        The equivalent correctly normalised AMS (NaN when not computable).
    sigma : float
        Its statistical spread on the scored events.
    z : float
        ``(equivalent - 3.80581) / sigma``: where it sits against the Kaggle winner.
    value_z : float
        The same for the value as read under the leaderboard's protocol.
    reasons : list of str
        Why, in sentences with the numbers.
    settle : str
        What would settle it.
    stated : StatedProtocol
        What the publication stated.
    candidates : DataFrame
        Every reading considered: its protocol, equivalent AMS, sigma and z.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the verdict is
        built by :func:`explain_claim`).
    """

    value: float
    verdict: str
    protocol: tuple[str, ...]
    equivalent: float
    sigma: float
    z: float
    value_z: float
    reasons: list[str]
    settle: str
    stated: StatedProtocol
    candidates: pd.DataFrame = field(repr=False)

    @property
    def flagged(self) -> bool:
        """True unless the verdict is 'consistent'."""
        return self.verdict != "consistent"

    def to_dict(self) -> dict:
        """Plain numbers and strings (for ``--json``)."""
        return {
            "value": self.value,
            "verdict": self.verdict,
            "protocol": list(self.protocol),
            "equivalent": self.equivalent,
            "sigma": self.sigma,
            "z": self.z,
            "value_z": self.value_z,
            "reasons": list(self.reasons),
            "settle": self.settle,
            "stated": {k: v for k, v in self.stated.__dict__.items() if v is not None},
        }

    def __str__(self) -> str:
        lines = [f"{self.value:g}: {self.verdict}"]
        lines += [f"  - {reason}" for reason in self.reasons]
        lines.append(f"  what would settle it: {self.settle}")
        return "\n".join(lines)


def protocol_name(keys: tuple[str, ...]) -> str:
    """The protocol keys in words ('the correct protocol' for none)."""
    return " and ".join(PROTOCOLS[k].name for k in keys) or "the correct protocol"


def _assess(value: float, protocol: StatedProtocol) -> dict:
    equivalent = equivalent_ams(value, protocol)
    sigma = spread(equivalent, protocol.events()) if np.isfinite(equivalent) else float("nan")
    z = (equivalent - WINNER) / sigma if np.isfinite(sigma) else float("nan")
    return {
        "protocol": protocol.deviations(),
        "reading": protocol.completed(),
        "equivalent": equivalent,
        "sigma": sigma,
        "z": z,
    }


def _candidates(stated: StatedProtocol) -> list[StatedProtocol]:
    """Readings of the unstated fields that raise a number: both sets together, a cut tuned on
    the scored set, b_r = 0, s / sqrt(b), event counts (stated fields stay as stated)."""
    options = {
        "scored": [stated.scored] if stated.scored else ["private", "public+private"],
        "weights": [stated.weights] if stated.weights else ["KaggleWeight", "unweighted"],
        "cut_on": [stated.cut_on] if stated.cut_on else ["beforehand", "scored"],
        "br": [stated.br] if stated.br is not None else [AMS_BR, 0.0],
        "formula": [stated.formula] if stated.formula else ["ams", "s/sqrt(b)"],
    }
    return [replace(stated, **dict(zip(options, combo, strict=True)))
            for combo in itertools.product(*options.values())]  # fmt: skip


def explain_claim(
    value: float,
    *,
    scored: str | None = None,
    weights: str | None = None,
    fraction: float | None = None,
    cut_on: str | None = None,
    br: float | None = None,
    formula: str | None = None,
    in_sample: bool | None = None,
    audit: ProtocolAudit | None = None,
) -> ClaimVerdict:
    """Judge a published AMS from its value and what its publication states (see the module).

    Parameters
    ----------
    value : float
        The claimed AMS.
    scored, weights, fraction, cut_on, br, formula, in_sample :
        What the publication states (:class:`StatedProtocol`); leave out what it does not say.
    audit : ProtocolAudit, optional
        The protocol table of the claim's own predictions: the row that reproduces the value
        pins the protocol.

    Returns
    -------
    ClaimVerdict

    Raises
    ------
    TypeError
        ``value`` is not a real number; ``fraction`` or ``br`` is not a real number;
        ``in_sample`` is not a bool.
    ValueError
        ``value`` is NaN, infinite or not positive; ``scored``, ``weights``, ``cut_on`` or
        ``formula`` is not one of its values; ``fraction`` is not in (0, 1]; ``br`` is NaN,
        infinite or negative.
    TypeError
        ``audit`` is not a :class:`ProtocolAudit`.

    Examples
    --------
    >>> verdict = explain_claim(3.979, scored="public+private", weights="KaggleWeight")
    >>> verdict.verdict, round(verdict.equivalent, 2)
    ('explained by public + private together with KaggleWeight', 2.81)
    >>> explain_claim(3.70, scored="private", weights="KaggleWeight", cut_on="validation").verdict
    'consistent'
    """
    if not check_real(value, "value") > 0:
        raise ValueError(f"value must be a positive AMS, got {value}")
    if audit is not None and not isinstance(audit, ProtocolAudit):
        raise TypeError(f"audit must be a ProtocolAudit (audit_predictions), got "
                        f"{type(audit).__name__}")  # fmt: skip
    stated = StatedProtocol(scored, weights, fraction, cut_on, br, formula, in_sample)
    correct_reading = StatedProtocol(scored=stated.completed().scored, weights="renormalised")
    as_read = _assess(value, correct_reading)
    base = _assess(value, stated)
    reasons = [_where(value, as_read, stated)]
    candidates = _candidate_table(value, stated)
    if audit is not None:
        pinned = _pinned(value, audit, as_read, stated, candidates, reasons)
        if pinned is not None:
            return pinned
    chosen = base
    if base["protocol"] and base["protocol"] != ("in_sample",):
        reasons.append(_effect(value, base))
    if np.isfinite(base["z"]) and base["z"] <= EXCEPTIONAL_SIGMA:
        verdict = (
            f"explained by {protocol_name(base['protocol'])}"
            if base["protocol"]
            else ("consistent")
        )
    elif base["protocol"] == ("in_sample",) or "in_sample" in base["protocol"]:
        verdict = f"explained by {protocol_name(base['protocol'])}"
        reasons.append(
            "in-sample predictions read high by an amount that depends on the model: the "
            "equivalent cannot be computed without its out-of-fold predictions"
        )
    else:
        fits = candidates[(candidates["z"] <= EXCEPTIONAL_SIGMA) & candidates["equivalent"].notna()]
        if fits.empty:
            verdict = "exceptional"
            reasons.append(
                f"no known protocol mistake brings it within {EXCEPTIONAL_SIGMA:g} sigma of the "
                f"winner: it sits {base['z']:.1f} sigma above it"
            )
        else:
            best = fits.sort_values("equivalent", ascending=False).iloc[0]
            chosen = {k: best[k] for k in ("protocol", "equivalent", "sigma", "z")}
            verdict = f"explained by {protocol_name(chosen['protocol'])}"
            reasons.append(
                "the protocol is not fully stated; the smallest known mistake that makes it "
                f"consistent is {protocol_name(chosen['protocol'])}"
            )
            reasons.append(_effect(value, chosen))
    reasons.append(_equivalent_sentence(chosen))
    settle = "; ".join(_SETTLE[k] for k in (chosen["protocol"] or ("correct",)))
    return ClaimVerdict(
        value=float(value),
        verdict=verdict,
        protocol=tuple(chosen["protocol"]),
        equivalent=float(chosen["equivalent"]),
        sigma=float(chosen["sigma"]),
        z=float(chosen["z"]),
        value_z=float(as_read["z"]),
        reasons=reasons,
        settle=settle,
        stated=stated,
        candidates=candidates,
    )


def _candidate_table(value: float, stated: StatedProtocol) -> pd.DataFrame:
    rows = []
    for candidate in _candidates(stated):
        found = _assess(value, candidate)
        rows.append(
            {
                "protocol": found["protocol"],
                "name": protocol_name(found["protocol"]),
                "equivalent": found["equivalent"],
                "sigma": found["sigma"],
                "z": found["z"],
            }
        )
    table = pd.DataFrame(rows)
    return table.loc[~table["name"].duplicated()].reset_index(drop=True)


def _where(value: float, as_read: dict, stated: StatedProtocol) -> str:
    scored = stated.completed().scored
    n = SCORED_EVENTS[scored]
    note = "" if stated.scored else " (the set is not stated: read as the private set)"
    side = "above" if value >= WINNER else "below"
    return (
        f"{value:g} read as the AMS of the {scored} set{note} sits {abs(as_read['z']):.1f} sigma "
        f"{side} the Kaggle winner's {WINNER} (sigma = {as_read['sigma']:.3f}: "
        f"{100 * relative_spread(n):.2f} % of the AMS on {n:,} events, bootstrap of a realistic "
        "selection of real ATLAS events)"
    )


#: What each luminosity mistake does to the weights, in words.
_LUMINOSITY_NOTES = {
    "public_plus_private": "doubled luminosity: two sets' KaggleWeight, each summing to the totals",
    "weight_column": "luminosity = the set's share of the file",
    "unrenormalised_fraction": "luminosity = the fraction of the set scored",
}


def _effect(value: float, found: dict) -> str:
    equivalent = found["equivalent"]
    reference = reference_selection()
    notes = [_LUMINOSITY_NOTES[k] for k in found["protocol"] if k in _LUMINOSITY_NOTES]
    what = f" ({'; '.join(notes)})" if notes else ""
    return (
        f"{protocol_name(found['protocol'])}{what} reads {value / equivalent:.4f} times the "
        "correct AMS "
        f"at a realistic operating point (the AMS formula with b_r = 10 along s/b = "
        f"{reference.signal / reference.background:.4f}; the top 15.2 % of real events): "
        f"{value:g} -> {equivalent:.4f} ({value - equivalent:+.4f})"
    )


def _equivalent_sentence(found: dict) -> str:
    if not np.isfinite(found["equivalent"]):
        return "equivalent correctly normalised AMS: not computable"
    status = "consistent" if found["z"] <= EXCEPTIONAL_SIGMA else "exceptional"
    side = "above" if found["z"] >= 0 else "below"
    return (
        f"equivalent correctly normalised AMS {found['equivalent']:.4f} +- {found['sigma']:.4f}: "
        f"{abs(found['z']):.1f} sigma {side} the winner ({status})"
    )


def _pinned(value, audit: ProtocolAudit, as_read, stated, candidates, reasons):
    key, distance = audit.pin(value)
    if distance > EXCEPTIONAL_SIGMA:
        reasons.append(
            f"no row of the protocol table reproduces it within {EXCEPTIONAL_SIGMA:g} sigma "
            f"(closest: {PROTOCOLS[key].name}, {distance:.1f} sigma away)"
        )
        return None
    row = audit.row(key)
    correct = audit.row("correct")
    sigma = float(correct["uncertainty"])
    z = (float(correct["ams"]) - WINNER) / sigma
    protocol = () if key == "correct" else (key,)
    if protocol:
        verdict = f"explained by {protocol_name(protocol)}"
    else:
        verdict = "consistent" if z <= EXCEPTIONAL_SIGMA else "exceptional"
    reasons.append(
        f"the protocol table of the predictions reproduces it: {PROTOCOLS[key].name} reads "
        f"{row['ams']:.4f} ({distance:.1f} sigma away), luminosity {row['luminosity']:.3f}"
    )
    found = {"equivalent": float(correct["ams"]), "sigma": sigma, "z": z}
    reasons.append(_equivalent_sentence(found))
    return ClaimVerdict(
        value=float(value), verdict=verdict, protocol=protocol, equivalent=found["equivalent"],
        sigma=sigma, z=z, value_z=float(as_read["z"]), reasons=reasons,
        settle="; ".join(_SETTLE[k] for k in (protocol or ("correct",))), stated=stated,
        candidates=candidates,
    )  # fmt: skip
