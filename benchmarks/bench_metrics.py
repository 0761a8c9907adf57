"""Speed of hepclf's metrics against the straightforward implementations, side by side.

    python benchmarks/bench_metrics.py            # 10^4, 10^5, 10^6 events; writes RESULTS.md

Peers (written here, as a physicist would write them first):
- CvM: the official definition, one O(n) CDF comparison per window (quadratic overall).
- KS: both weighted CDFs evaluated at every distinct value with searchsorted after separate sorts
  (already O(n log n): the competition's own roc_curve-based code is timed too).
- AMS curve: one pass over the events for every distinct cut (quadratic overall).
Where a quadratic peer would run for hours, it is timed on a subset of its windows / cuts and
extrapolated linearly; such rows are marked "extrapolated".
"""

from __future__ import annotations

import argparse
import time

import numpy as np
from _common import best_time, machine_line, write_section
from sklearn.metrics import roc_curve

from hepclf.metrics import ams, ams_curve, cvm_correlation, ks_agreement

WINDOW, STEP = 200, 50


def quadratic_cvm(pred, mass, max_windows=None):
    n = pred.size
    ranks = np.argsort(np.argsort(pred[np.argsort(mass, kind="stable")], kind="stable"))
    target = np.arange(1, n + 1) / n
    starts = range(0, n - WINDOW + 1, STEP)
    starts = list(starts)[:max_windows] if max_windows else starts
    values = [
        np.mean((target - np.cumsum(np.bincount(ranks[s : s + WINDOW], minlength=n)) / WINDOW) ** 2)
        for s in starts
    ]
    return np.mean(values)


def official_ks(p_real, p_sim, w_real, w_sim):
    labels = np.r_[np.zeros(p_real.size), np.ones(p_sim.size)]
    weights = np.r_[w_real / w_real.sum(), w_sim / w_sim.sum()]
    fpr, tpr, _ = roc_curve(labels, np.r_[p_real, p_sim], sample_weight=weights)
    return np.max(np.abs(fpr - tpr))


def loop_ams_curve(y, score, w, max_cuts=None):
    cuts = np.unique(score)[::-1]
    cuts = cuts[:max_cuts] if max_cuts else cuts
    return [ams(w[(score >= c) & (y == 1)].sum(), w[(score >= c) & (y == 0)].sum()) for c in cuts]


def timed_once(function) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def run(sizes: list[int]) -> str:
    rng = np.random.default_rng(0)
    rows = []
    for n in sizes:
        mass = rng.uniform(1600, 1950, n)
        pred = rng.random(n)
        n_windows = (n - WINDOW) // STEP + 1
        ours = best_time(lambda: cvm_correlation(pred, mass))
        sample = min(n_windows, max(20, 2_000_000 // n))
        peer = timed_once(lambda: quadratic_cvm(pred, mass, sample)) * n_windows / sample
        note = "" if sample == n_windows else f"extrapolated from {sample} of {n_windows} windows"
        rows.append(("CvM correlation", n, ours, "quadratic official", peer, note))

        p_real, p_sim = rng.random(n), rng.random(n)
        w_real, w_sim = rng.uniform(-0.2, 1, n), rng.uniform(0, 1, n)
        ours = best_time(lambda: ks_agreement(p_real, p_sim, w_real, w_sim))
        peer = best_time(lambda: official_ks(p_real, p_sim, w_real, w_sim))
        rows.append(("KS agreement", n, ours, "official (sklearn roc_curve)", peer, ""))

        y = rng.integers(0, 2, n)
        score = rng.normal(y, 1.0)
        w = rng.uniform(0.5, 2, n)
        ours = best_time(lambda: ams_curve(y, score, w))
        sample = min(n, max(20, 20_000_000 // n))
        peer = timed_once(lambda: loop_ams_curve(y, score, w, sample)) * n / sample
        note = "" if sample == n else f"extrapolated from {sample} of {n} cuts"
        rows.append(("AMS curve (all cuts)", n, ours, "loop over cuts", peer, note))

    lines = [
        machine_line(),
        "Command: `python benchmarks/bench_metrics.py`. Times are the best of 3 (hepclf, after a",
        "warm-up call) and single runs for the quadratic peers.",
        "",
        "| metric | events | hepclf (s) | peer | peer (s) | speed-up | note |",
        "|---|---:|---:|---|---:|---:|---|",
    ]
    for metric, n, ours, peer_name, peer, note in rows:
        lines.append(
            f"| {metric} | {n:,} | {ours:.4f} | {peer_name} | {peer:.4g} | {peer / ours:,.0f}x "
            f"| {note} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()
    table = run(args.sizes)
    print(table)
    if not args.no_write:
        write_section("Metrics: CvM, KS, AMS curve", table)
