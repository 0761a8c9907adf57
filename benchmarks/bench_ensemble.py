"""Constrained blend search against the seed's random brute force, at equal evaluation budgets.

    python benchmarks/bench_ensemble.py       # writes RESULTS.md

Members (trained on simulated Flavours data, out-of-fold predictions on the training events):
xgboost with the seed's Flavours preset, xgboost with SPDhits (fails KS), and hepclf's
FlatnessXGBClassifier. hepclf's search (simplex grid + pattern search) is run once; the random
brute force draws Dirichlet(1, 1, 1) weights and keeps the best blend that passes KS and CvM, for
20 seeds, with the same number of evaluations as hepclf used and with ten times as many.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import machine_line, write_section

from hepclf.ensemble import (
    _agreement_inputs,
    _BlendEvaluator,
    _correlation_inputs,
    constrained_blend,
    member_predictions,
)
from hepclf.features import flavours_features, model_columns
from hepclf.metrics import get_scorer
from hepclf.models import FlatnessXGBClassifier, XGBPhysicsClassifier
from hepclf.simulate import simulate_flavours


def members(n_events: int):
    tables = simulate_flavours(
        3, training=n_events, check_agreement=40_000, check_correlation=5_514, test=0
    )
    training, agreement, correlation = (
        flavours_features(tables[name])
        for name in ("training", "check_agreement", "check_correlation")
    )
    y = training.signal.to_numpy()
    base = model_columns(training)
    models = {
        "xgb": (XGBPhysicsClassifier.preset("flavours", n_estimators=100, random_state=0), base),
        "xgb_spdhits": (XGBPhysicsClassifier(n_estimators=150, random_state=0), [*base, "SPDhits"]),
        "flatness_xgb": (
            FlatnessXGBClassifier(uniform_features=["mass"], n_estimators=150, random_state=0),
            [*base, "mass"],
        ),
    }
    train, predicted = member_predictions(
        models, training, y, {"agreement": agreement, "correlation": correlation}
    )
    agree, corr = predicted["agreement"], predicted["correlation"]
    inputs = dict(
        agreement_predictions=agree,
        agreement_is_simulation=agreement.signal.to_numpy() == 1,
        agreement_weight=agreement.weight.to_numpy(),
        correlation_predictions=corr,
        correlation_mass=correlation.mass.to_numpy(),
    )
    return train, y, inputs


def random_search(train, y, inputs, budget: int, seed: int) -> float:
    names = list(train)
    evaluate = _BlendEvaluator(
        names,
        np.vstack([train[n] for n in names]),
        y,
        np.ones(y.size),
        get_scorer("truncated_auc"),
        _agreement_inputs(
            inputs["agreement_predictions"],
            names,
            inputs["agreement_is_simulation"],
            inputs["agreement_weight"],
        ),
        _correlation_inputs(inputs["correlation_predictions"], names, inputs["correlation_mass"]),
        (0.09, 0.002),
    )
    rng = np.random.default_rng(seed)
    best = -np.inf
    for _ in range(budget):
        value, ks, cvm = evaluate(rng.dirichlet(np.ones(len(names))))
        if evaluate.feasible(ks, cvm):
            best = max(best, value)
    return best


def run(n_events: int) -> str:
    train, y, inputs = members(n_events)
    start = time.perf_counter()
    ours = constrained_blend(train, y, **inputs)
    seconds = time.perf_counter() - start
    budget = ours.evaluations
    lines = [
        machine_line(),
        f"Command: `python benchmarks/bench_ensemble.py --events {n_events}`. Objective: truncated "
        "AUC (out-of-fold) subject to KS < 0.09 and CvM < 0.002.",
        "",
        f"hepclf search: {budget} evaluations, {seconds:.1f} s, best passing blend "
        f"{ours.objective:.5f} (weights "
        + ", ".join(f"{k} {v:.3f}" for k, v in ours.weights.items())
        + f"; KS {ours.ks:.5f}, CvM {ours.cvm:.5f}). Members: "
        + ", ".join(
            f"{name} {row.truncated_auc:.5f} ({'passes' if row.passes else 'fails'})"
            for name, row in ours.table.drop(index="blend").iterrows()
        )
        + ".",
        "",
        "| random brute force | evaluations | best blend: median over 20 seeds | worst seed "
        "| seeds reaching hepclf's value |",
        "|---|---:|---:|---:|---:|",
    ]
    for factor in (1, 10):
        results = np.array([random_search(train, y, inputs, budget * factor, s) for s in range(20)])
        reached = int(np.sum(results >= ours.objective - 1e-12))
        lines.append(
            f"| Dirichlet(1,1,1) | {budget * factor} | {np.median(results):.5f} "
            f"| {results.min():.5f} | {reached} / 20 |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=30_000)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    table = run(args.events)
    print(table)
    if not args.no_write:
        write_section("Constrained blend search against random brute force", table)
