"""Uniform boosting: hepclf's flatness objective in xgboost against hep_ml's uGB, side by side.

    python benchmarks/bench_flatness.py            # 10^5 training events; writes RESULTS.md

Both train on the same simulated Flavours training events (the seed's features, no SPDhits), with
the mass as the uniform feature for the background (label 0), the same number of trees, depth,
learning rate and flatness knobs (10 bins, power 2, coefficient 3). Reported: training time, the
truncated AUC on held-out training events, and the CvM on the simulated check_correlation table;
plus KS on the simulated control channel.
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import machine_line, write_section

from hepclf.features import flavours_features, model_columns
from hepclf.metrics import cvm_correlation, ks_agreement, truncated_auc
from hepclf.models import FlatnessXGBClassifier, UGBClassifier
from hepclf.simulate import simulate_flavours


def run(n_events: int, n_trees: int, depth: int) -> str:
    tables = simulate_flavours(
        7, training=int(n_events / 0.8), check_agreement=40_000, check_correlation=5_514, test=0
    )
    training, agreement, correlation = (
        flavours_features(tables[name])
        for name in ("training", "check_agreement", "check_correlation")
    )
    columns = [*model_columns(training), "mass"]
    y = training.signal.to_numpy()
    order = np.random.default_rng(0).permutation(len(y))
    fit_rows, held_out = order[:n_events], order[n_events:]
    common = dict(uniform_features=["mass"], uniform_label=0, n_estimators=n_trees,
                  max_depth=depth, learning_rate=0.1, n_bins=10, power=2.0, fl_coefficient=3.0,
                  random_state=0)  # fmt: skip
    models = {
        "hepclf FlatnessXGBClassifier (2 threads)": FlatnessXGBClassifier(**common, n_jobs=2),
        "hep_ml uGB (UGBClassifier)": UGBClassifier(**common),
    }
    FlatnessXGBClassifier(**(common | {"n_estimators": 2})).fit(
        training.iloc[fit_rows[:2000]][columns], y[fit_rows[:2000]]
    )  # compile the numba kernels outside the timing
    rows = []
    sim = agreement.signal.to_numpy() == 1
    trained_on = [c for c in columns if c != "mass"]
    for name, model in models.items():
        start = time.perf_counter()
        model.fit(training.iloc[fit_rows][columns], y[fit_rows])
        seconds = time.perf_counter() - start
        auc = truncated_auc(
            y[held_out], model.predict_proba(training.iloc[held_out][columns])[:, 1]
        )
        cvm = cvm_correlation(
            model.predict_proba(correlation[trained_on])[:, 1], correlation.mass
        ).value
        pred = model.predict_proba(agreement[trained_on])[:, 1]
        weight = agreement.weight.to_numpy()
        ks = ks_agreement(pred[~sim], pred[sim], weight[~sim], weight[sim]).value
        rows.append((name, seconds, auc, cvm, ks))
    ours, peer = rows
    lines = [
        machine_line(),
        f"Command: `python benchmarks/bench_flatness.py --events {n_events} --trees {n_trees} "
        f"--depth {depth}`. {n_events:,} simulated training events, {len(held_out):,} held out; "
        "same trees, depth, learning rate and flatness knobs for both.",
        "",
        "| model | training time (s) | truncated AUC | CvM | KS |",
        "|---|---:|---:|---:|---:|",
    ]
    for name, seconds, auc, cvm, ks in rows:
        lines.append(f"| {name} | {seconds:.1f} | {auc:.4f} | {cvm:.5f} | {ks:.4f} |")
    lines += [
        "",
        f"Speed-up: {peer[1] / ours[1]:.1f}x; AUC difference (hepclf - hep_ml): "
        f"{ours[2] - peer[2]:+.4f}; CvM ratio (hepclf / hep_ml): {ours[3] / peer[3]:.2f}.",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=100_000)
    parser.add_argument("--trees", type=int, default=100)
    parser.add_argument("--depth", type=int, default=6)
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    table = run(args.events, args.trees, args.depth)
    print(table)
    if not args.no_write:
        write_section("Uniform boosting: flatness objective in xgboost against hep_ml uGB", table)
