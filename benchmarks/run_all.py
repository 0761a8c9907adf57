"""Every speed comparison of issue 16, each case in a fresh process; rewrites RESULTS.md.

    python benchmarks/run_all.py              # every case; ~25 minutes on 2 cores (uGB: 6)
    python benchmarks/run_all.py --quick      # 10^5 flatness only, one run of each case
    python benchmarks/run_all.py --case NAME  # one case, printed as JSON (what the runner calls)
    python benchmarks/run_all.py --seed-fit   # and the seed-size Higgs fit, presets (hours)
    python benchmarks/run_all.py --from-log LOG [LOG ...]  # report only, from runs' lines

Ratios against the peers (plain xgboost, plain numpy, the load_higgs path, np.argsort, the
official KS code, the quadratic CvM) are measured side by side in one process, the cases
interleaved, best of N. Cases near a target run three times (three fresh processes) and the
table gives the spread. The machine's load average is recorded beside every figure: the machine
may be shared, and the absolute times move with it; the ratios much less.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import bench_higgs
import numpy as np
from _common import machine_line, write_section

ROOT = Path(__file__).resolve().parents[1]
#: hep_ml's uGB at 10^5 events, 100 trees of depth 6 (RESULTS.md, 2026-11-24, hep_ml 0.8.0):
#: about 6-7 minutes, so it is not rerun here; its figure is reused.
UGB_SECONDS_1E5 = 331.5
#: The Higgs parameter sets compared (bench_higgs.CANDIDATES) and the CV seeds of each.
HIGGS_PRESETS, HIGGS_CV_SEEDS = tuple(bench_higgs.CANDIDATES), 5


def interleaved_best(cases: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best wall time of each case over ``repeat`` rounds, the cases alternating in each round
    (after one warm-up call of each)."""
    for function in cases.values():
        function()
    best = dict.fromkeys(cases, np.inf)
    for _ in range(repeat):
        for name, function in cases.items():
            start = time.perf_counter()
            function()
            best[name] = min(best[name], time.perf_counter() - start)
    return best


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --------------------------------------------------------------------------------------------
# cases (each runs in its own process and returns a dict)


def _flavours_fit_data(n_events: int):
    """Simulated Flavours training events (features, mass last), their labels, the held-out
    events and the check_correlation sample, and the knobs both fits share."""
    from hepclf.features import flavours_features, model_columns
    from hepclf.simulate import simulate_flavours

    tables = simulate_flavours(
        7, training=int(n_events / 0.8), check_agreement=1000, check_correlation=5_514, test=0
    )
    training = flavours_features(tables["training"])
    correlation = flavours_features(tables["check_correlation"])
    columns = [*model_columns(training), "mass"]
    y = training.signal.to_numpy()
    order = np.random.default_rng(0).permutation(len(y))
    fit_rows, held_out = order[:n_events], order[n_events:]
    X = training.iloc[fit_rows][columns].reset_index(drop=True)
    held = (training.iloc[held_out][columns], y[held_out])
    common = dict(uniform_features=["mass"], uniform_label=0, n_estimators=100, max_depth=6,
                  learning_rate=0.1, n_bins=10, power=2.0, fl_coefficient=3.0,
                  random_state=0)  # fmt: skip
    return X, y[fit_rows], held, correlation, columns, common


def _quality(model, held, correlation, columns) -> dict:
    """Held-out truncated AUC and the CvM of the check_correlation sample."""
    from hepclf.metrics import cvm_correlation, truncated_auc

    auc = truncated_auc(held[1], model.predict_proba(held[0])[:, 1])
    pred = model.predict_proba(correlation[columns[:-1]])[:, 1]
    return {"truncated_auc": auc, "cvm": cvm_correlation(pred, correlation.mass).value}


def case_flatness(n_events: int, repeat: int = 2) -> dict:
    """FlatnessXGBClassifier.fit against plain xgboost with the same trees; split of the fit."""
    import xgboost as xgb

    from hepclf.models import FlatnessXGBClassifier, _base, losses
    from hepclf.models._xgboost import xgboost_params

    X, y_fit, held, correlation, columns, common = _flavours_fit_data(n_events)
    trained_on = columns[:-1]
    model = FlatnessXGBClassifier(**common, n_jobs=2)
    params = xgboost_params(model) | {"objective": "binary:logistic"}

    def plain():
        values = X[trained_on].to_numpy(np.float64)
        xgb.train(params, xgb.DMatrix(values, label=y_fit), num_boost_round=100)

    spent = {"objective": 0.0, "validation": 0.0}

    def timed(owner, name, key):
        original = getattr(owner, name)

        def wrapper(*args, **kwargs):
            start = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                spent[key] += time.perf_counter() - start

        setattr(owner, name, wrapper)

    timed(losses.BinFlatnessLoss, "_gradient_hessian_into", "objective")
    timed(_base.PhysicsClassifierBase, "_validate_fit", "validation")
    FlatnessXGBClassifier(**(common | {"n_estimators": 2})).fit(X.head(2000), y_fit[:2000])
    fits = []

    def flat():
        spent.update(objective=0.0, validation=0.0)
        start = time.perf_counter()
        model.fit(X, y_fit)
        fits.append((time.perf_counter() - start, dict(spent)))

    base_rss = peak_mb()
    best = interleaved_best({"plain": plain, "flatness": flat}, repeat)
    total, parts = min(fits[1:], key=lambda fit: fit[0])
    return _quality(model, held, correlation, columns) | {
        "events": n_events,
        "plain": best["plain"],
        "flatness": best["flatness"],
        "ratio": best["flatness"] / best["plain"],
        "objective": parts["objective"],
        "validation": parts["validation"],
        "trees_and_rest": total - parts["objective"] - parts["validation"],
        "input_mb": X.to_numpy().nbytes / 2**20,
        "peak_rss_mb": peak_mb(),
        "peak_before_fits_mb": base_rss,
    }


def case_ugb(n_events: int = 100_000) -> dict:
    """hep_ml's uGB against the flatness fit, same trees and knobs, in one process (uGB once:
    about six minutes at 10^5 events; the flatness fit best of 2 after a warm-up)."""
    from hepclf.models import FlatnessXGBClassifier, UGBClassifier

    X, y_fit, held, correlation, columns, common = _flavours_fit_data(n_events)
    ours = FlatnessXGBClassifier(**common, n_jobs=2)
    peer = UGBClassifier(**common)
    FlatnessXGBClassifier(**(common | {"n_estimators": 2})).fit(X.head(2000), y_fit[:2000])
    best = interleaved_best({"flatness": lambda: ours.fit(X, y_fit)}, 2)
    start = time.perf_counter()
    peer.fit(X, y_fit)
    seconds = time.perf_counter() - start
    mine, theirs = (_quality(m, held, correlation, columns) for m in (ours, peer))
    return {
        "events": n_events,
        "flatness": best["flatness"],
        "ugb": seconds,
        "auc_flatness": mine["truncated_auc"],
        "auc_ugb": theirs["truncated_auc"],
        "cvm_flatness": mine["cvm"],
        "cvm_ugb": theirs["cvm"],
    }


def _higgs_frames(n_events: int):
    import pandas as pd

    from hepclf.datasets import sample

    raw = pd.read_csv(sample.higgs_sample_path())
    rows = np.random.default_rng(0).integers(0, len(raw), n_events)
    raw = raw.iloc[rows].reset_index(drop=True)
    return raw, raw.replace(-999.0, np.nan)


def case_features(n_events: int = 1_000_000, repeat: int = 10) -> dict:
    """der_from_pri against plain numpy; higgs_features from the raw -999 frame against the
    loaded (NaN) frame; the seed features against the pandas version. Each pair alternates on
    its own, so that both of a pair run after the same kind of work."""
    import bench_features as peers

    from hepclf.features import der_from_pri, higgs_features

    raw, loaded = _higgs_frames(n_events)
    pairs = (
        {
            "der_from_pri": lambda: der_from_pri(loaded),
            "numpy_der": lambda: peers.numpy_der_from_pri(loaded),
        },
        {
            "features_raw": lambda: higgs_features(raw),
            "features_loaded": lambda: higgs_features(loaded),
        },
        {
            "seed_features": lambda: higgs_features(loaded, include_inputs=False),
            "pandas_features": lambda: peers.pandas_features(loaded),
        },
    )
    best = {"events": n_events}
    for pair in pairs:
        best |= interleaved_best(pair, repeat)
    return best


def case_feature_memory(n_events: int = 1_000_000) -> dict:
    """Peak resident set of one higgs_features build from a loaded frame, beside its input."""
    from hepclf.features import higgs_features

    _, loaded = _higgs_frames(n_events)
    del _
    higgs_features(loaded.head(1000))
    before = peak_mb()
    out = higgs_features(loaded)
    return {
        "events": n_events,
        "input_mb": loaded.memory_usage(deep=False).sum() / 2**20,
        "output_mb": out.memory_usage(deep=False).sum() / 2**20,
        "peak_rss_mb": peak_mb(),
        "peak_growth_mb": peak_mb() - before,
    }


def case_metrics(n_events: int = 1_000_000, repeat: int = 10) -> dict:
    """The four metrics against the argsorts the issue names as their limit (and the official KS
    code), and against ``np.sort`` of the same values: the metrics now sort integer keys that
    carry each event's index (``hepclf.metrics._order``), so one ``np.sort`` of n 64-bit values
    per sorted array is their floor."""
    import bench_metrics as peers

    from hepclf.metrics import ams_curve, cvm_correlation, ks_agreement, truncated_auc

    rng = np.random.default_rng(0)
    mass, pred = rng.uniform(1600, 1950, n_events), rng.random(n_events)
    p_real, p_sim = rng.random(n_events), rng.random(n_events)
    w_real, w_sim = rng.uniform(-0.2, 1, n_events), rng.uniform(0, 1, n_events)
    both = np.concatenate([p_real, p_sim])
    y = rng.integers(0, 2, n_events)
    score = rng.normal(y, 1.0)
    w = rng.uniform(0.5, 2, n_events)
    prob = 1 / (1 + np.exp(-score))
    groups = (
        {
            "cvm": lambda: cvm_correlation(pred, mass),
            "cvm_limit": lambda: (np.argsort(mass), np.argsort(pred)),
            "cvm_floor": lambda: (np.sort(mass), np.sort(pred)),
        },
        {
            "ks": lambda: ks_agreement(p_real, p_sim, w_real, w_sim),
            "ks_limit": lambda: np.argsort(both),
            "ks_floor": lambda: np.sort(both),
        },
        {"ks_official": lambda: peers.official_ks(p_real, p_sim, w_real, w_sim)},
        {
            "ams": lambda: ams_curve(y, score, w),
            "ams_limit": lambda: np.argsort(score),
            "ams_floor": lambda: np.sort(score),
        },
        {
            "auc": lambda: truncated_auc(y, prob, w),
            "auc_limit": lambda: np.argsort(prob),
            "auc_floor": lambda: np.sort(prob),
        },
    )
    # each metric alternates with its own limit and floor only, so that the two see the same
    # caches (a metric run after the official KS code, which sweeps ~200 MB, found its inputs
    # cold, and its limit, run next, found them warm: 1.55x instead of 1.25x for the AMS)
    best = {"events": n_events}
    for group in groups:
        best |= interleaved_best(group, repeat)
    return best


def case_cvm_peer(n_events: int = 100_000) -> dict:
    """CvM at 10^5 against the quadratic official definition run over all its windows."""
    import bench_metrics as peers

    from hepclf.metrics import cvm_correlation

    rng = np.random.default_rng(0)
    mass, pred = rng.uniform(1600, 1950, n_events), rng.random(n_events)
    ours = interleaved_best({"ours": lambda: cvm_correlation(pred, mass)}, 3)["ours"]
    start = time.perf_counter()
    reference = peers.quadratic_cvm(pred, mass)
    peer = time.perf_counter() - start
    value = cvm_correlation(pred, mass).value
    return {
        "events": n_events,
        "ours": ours,
        "peer": peer,
        "same": bool(np.isclose(value, reference)),
    }


#: The cases of ``--seed-fit`` (about 3 hours on 2 idle cores): the seed-size fit (~35 minutes),
#: hepclf's own time at 1 round, the folds' copies before and after, the two presets' fits side
#: by side, and each preset's CV on the real sample per CV seed (the seed's: ~25 minutes each).
SEED_FIT_PLAN = (
    "higgs_seed_fit",
    "higgs_seed_fit_1",
    "higgs_fold_copies",
    "higgs_fit_times",
    *(f"higgs_cv_{name}_{seed}" for seed in range(HIGGS_CV_SEEDS) for name in HIGGS_PRESETS),
)
CASES = {
    "flatness_1e5": lambda: case_flatness(100_000, repeat=4),
    "flatness_1e6": lambda: case_flatness(1_000_000, repeat=1),
    "ugb_1e5": case_ugb,
    "features": case_features,
    "feature_memory": case_feature_memory,
    "metrics": case_metrics,
    "cvm_peer": case_cvm_peer,
    "higgs_seed_fit": lambda: bench_higgs.seed_fit(3000),
    "higgs_seed_fit_300": lambda: bench_higgs.seed_fit(300),
    "higgs_seed_fit_100": lambda: bench_higgs.seed_fit(100),
    "higgs_seed_fit_1": lambda: bench_higgs.seed_fit(1),  # hepclf's own time, xgboost's ~0
    "higgs_fold_copies": bench_higgs.fold_copies,
    **{f"higgs_fit_time_{name}": partial(bench_higgs.fit_time, name) for name in HIGGS_PRESETS},
    "higgs_fit_times": bench_higgs.fit_times,
    **{
        f"higgs_cv_{name}_{seed}": partial(bench_higgs.preset_cv, name, seed)
        for name in HIGGS_PRESETS
        for seed in range(HIGGS_CV_SEEDS)
    },
}


# --------------------------------------------------------------------------------------------
# the runner


def run_case(name: str) -> dict:
    """One case in a fresh interpreter (this file with --case), with the load average."""
    env = os.environ | {"PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "benchmarks")])}
    load = os.getloadavg()[0]
    result = subprocess.run(
        [sys.executable, __file__, "--case", name],
        capture_output=True,
        text=True,
        check=True,
        env=env,
        cwd=ROOT,
    )
    figures = json.loads(result.stdout.strip().splitlines()[-1])
    return figures | {"load": max(load, os.getloadavg()[0]), "commit": _commit()}


def _commit() -> str:
    """The commit of the code measured (with '+changes' when the work tree differs from it), or
    ``$BENCH_COMMIT`` (for a copy made with ``git archive``)."""
    if os.environ.get("BENCH_COMMIT"):
        return os.environ["BENCH_COMMIT"]
    git = ["git", "-C", str(ROOT)]
    try:
        head = subprocess.run([*git, "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()  # fmt: skip
    except (OSError, subprocess.CalledProcessError):
        return "not a git checkout"
    changed = subprocess.run([*git, "status", "--porcelain", "--untracked-files=no", "hepclf"],
                             capture_output=True, text=True).stdout.strip()  # fmt: skip
    return head + ("+changes" if changed else "")


def _median(values: list[float]) -> float:
    """The middle value (of three runs: the one that neither the best nor the worst moment of a
    shared machine decides; the upper middle one for an even count)."""
    return sorted(values)[len(values) // 2]


def _median_run(found: list[dict], ratio: Callable[[dict], float]) -> dict:
    """The run whose ``ratio`` is the median of the runs' (its times are shown beside it)."""
    return sorted(found, key=ratio)[len(found) // 2]


def _spread(values: list[float], fmt: str = "{:.2f}") -> str:
    """The median value and the range of all."""
    if len(values) == 1:
        return fmt.format(values[0])
    low, high = fmt.format(min(values)), fmt.format(max(values))
    return f"{fmt.format(_median(values))} ({low}-{high})"


def _mark(met: bool) -> str:
    return "met" if met else "**not met**"


def report(runs: dict[str, list[dict]]) -> str:
    lines = [
        machine_line(),
        "Command: `python benchmarks/run_all.py`. Every case ran in a fresh process; inside it the",
        "compared versions alternate, best of N. Cases near a target ran three times, in turn with",
        "the other cases (so that a slow spell of the shared host falls on one run of a case, not",
        "on all three); the ratio and the status are the median run's, the brackets give the",
        "range over the runs, and the times are those of the median run. `load` is the 1-minute",
        "load average during the cases (lowest-highest).",
        "",
        "| target (issue 16) | figure | limit / peer | ratio | target | status | load |",
        "|---|---:|---:|---:|---:|---|---:|",
    ]

    def loads(name: str) -> str:
        low, high = (f"{bound(r['load'] for r in runs[name]):.1f}" for bound in (min, max))
        return low if low == high else f"{low}-{high}"

    for name in ("flatness_1e5", "flatness_1e6"):
        if name not in runs:
            continue
        ratios = [r["ratio"] for r in runs[name]]
        first = _median_run(runs[name], lambda r: r["ratio"])
        lines.append(
            f"| flatness fit / plain xgboost, {first['events']:,} events, 100 trees depth 6 "
            f"| {first['flatness']:.2f} s "
            f"| {first['plain']:.2f} s | {_spread(ratios)}x | <= 1.3x "
            f"| {_mark(_median(ratios) <= 1.3)} | {loads(name)} |"
        )
    if "ugb_1e5" in runs:
        r = runs["ugb_1e5"][0]
        ratio = r["ugb"] / r["flatness"]
        lines.append(
            f"| hep_ml uGB / flatness fit, {r['events']:,} events, side by side "
            f"| {r['flatness']:.2f} s | {r['ugb']:.1f} s | {ratio:.0f}x | >= 100x "
            f"| {_mark(ratio >= 100)} | {r['load']:.1f} |"
        )
    elif "flatness_1e5" in runs:
        fastest = min(r["flatness"] for r in runs["flatness_1e5"])
        lines.append(
            f"| hep_ml uGB / flatness fit, 100,000 events | {fastest:.2f} s "
            f"| {UGB_SECONDS_1E5} s (reused, see below) | {UGB_SECONDS_1E5 / fastest:.0f}x "
            f"| >= 100x | {_mark(UGB_SECONDS_1E5 / fastest >= 100)} | {loads('flatness_1e5')} |"
        )
    if "features" in runs:
        found = runs["features"]
        ratio = {
            "der": lambda r: r["numpy_der"] / r["der_from_pri"],
            "raw": lambda r: r["features_raw"] / r["features_loaded"],
            "seed": lambda r: r["pandas_features"] / r["seed_features"],
        }
        der, raw, seed = ([function(r) for r in found] for function in ratio.values())
        at = {key: _median_run(found, function) for key, function in ratio.items()}
        lines += [
            f"| der_from_pri / plain numpy, 10^6 events, warm | {at['der']['der_from_pri']:.3f} s "
            f"| {at['der']['numpy_der']:.3f} s | {_spread(der)}x faster | >= 3x "
            f"| {_mark(_median(der) >= 3)} | {loads('features')} |",
            f"| higgs_features from the raw -999 frame / from the loaded frame, 10^6 events "
            f"| {at['raw']['features_raw']:.3f} s | {at['raw']['features_loaded']:.3f} s "
            f"| {_spread(raw)}x | <= 1.2x | {_mark(_median(raw) <= 1.2)} | {loads('features')} |",
            f"| seed features: pandas version / hepclf, 10^6 events (correcting '6.7x') "
            f"| {at['seed']['seed_features']:.3f} s | {at['seed']['pandas_features']:.3f} s "
            f"| {_spread(seed)}x faster | (>= 5x, issue 4) | {_mark(_median(seed) >= 5)} "
            f"| {loads('features')} |",
        ]
    if "metrics" in runs:
        for key, label, official in (
            ("ks", "ks_agreement", "ks_official"),
            ("ams", "ams_curve (every cut)", None),
            ("auc", "truncated_auc", None),
            ("cvm", "cvm_correlation (limit: two argsorts)", None),
        ):
            ratios = [r[key] / r[f"{key}_limit"] for r in runs["metrics"]]
            median = _median_run(runs["metrics"], lambda r, key=key: r[key] / r[f"{key}_limit"])
            best, limit = median[key], median[f"{key}_limit"]
            extra = ""
            if official:
                extra = f"; official code {median[official]:.3f} s"
            floor = median.get(f"{key}_floor")
            if floor is not None:
                extra += f"; np.sort {floor:.3f} s ({best / floor:.1f}x)"
            lines.append(
                f"| {label} / its argsort, 10^6 events | {best:.3f} s | {limit:.3f} s{extra} "
                f"| {_spread(ratios)}x | <= 1.5x | {_mark(_median(ratios) <= 1.5)} "
                f"| {loads('metrics')} |"
            )
    if "cvm_peer" in runs:
        r = runs["cvm_peer"][0]
        lines.append(
            f"| quadratic official CvM / hepclf, 10^5 events, all windows run (correcting "
            f"'190x') | {r['ours']:.4f} s | {r['peer']:.2f} s | {r['peer'] / r['ours']:.0f}x "
            f"| (>= 100x, issue 3) | {_mark(r['peer'] / r['ours'] >= 100)} | {r['load']:.1f} |"
        )
    lines.append(bench_higgs.seed_fit_row(runs))
    lines += [
        "",
        "Each run's ratio, at the load average of its case (a run far above the other two of its",
        "case is a slow spell of the host, or, for the metrics, a process whose allocator hands",
        "out fresh pages on every call; the median leaves it aside, the range shows it):",
    ]
    for name, key, limit in (
        ("flatness_1e5", "flatness", "plain"),
        ("flatness_1e6", "flatness", "plain"),
        ("features", "numpy_der", "der_from_pri"),
        ("features", "features_raw", "features_loaded"),
        ("features", "pandas_features", "seed_features"),
        ("metrics", "ks", "ks_limit"),
        ("metrics", "ams", "ams_limit"),
        ("metrics", "auc", "auc_limit"),
        ("metrics", "cvm", "cvm_limit"),
    ):
        if name in runs:
            per_run = ", ".join(f"{r[key] / r[limit]:.2f}x at {r['load']:.1f}" for r in runs[name])
            lines.append(f"- {name} ({key} / {limit}): {per_run}")
    for name in ("flatness_1e5", "flatness_1e6"):
        if name not in runs:
            continue
        r = _median_run(runs[name], lambda run: run["ratio"])
        lines += [
            "",
            f"Flatness fit at {r['events']:,} events, split of that fit: objective "
            f"(gradient and Hessian, numba) {r['objective']:.2f} s, validation "
            f"{r['validation']:.2f} s, trees and the rest (xgboost's rounds, DMatrix, groups) "
            f"{r['trees_and_rest']:.2f} s. Held-out truncated AUC {r['truncated_auc']:.4f}, CvM "
            f"{r['cvm']:.5f}. Input {r['input_mb']:.0f} MB; peak resident set of the process "
            f"{r['peak_rss_mb']:.0f} MB ({r['peak_before_fits_mb']:.0f} MB before the fits).",
        ]
    if "feature_memory" in runs:
        r = runs["feature_memory"][0]
        lines += [
            "",
            f"Feature build (higgs_features, inputs included) at {r['events']:,} events: input "
            f"frame {r['input_mb']:.0f} MB, result {r['output_mb']:.0f} MB, peak resident set "
            f"grew by {r['peak_growth_mb']:.0f} MB during the build ({r['peak_rss_mb']:.0f} MB "
            "for the process).",
        ]
    lines += bench_higgs.seed_fit_paragraphs(runs)
    if "ugb_1e5" in runs:
        r = runs["ugb_1e5"][0]
        lines += [
            "",
            f"uGB against the flatness fit at {r['events']:,} events (100 trees of depth 6, the "
            "same flatness knobs), in one process: held-out truncated AUC "
            f"{r['auc_ugb']:.4f} (uGB) and {r['auc_flatness']:.4f} (ours, difference "
            f"{r['auc_flatness'] - r['auc_ugb']:+.4f}); CvM {r['cvm_ugb']:.5f} and "
            f"{r['cvm_flatness']:.5f}.",
        ]
    else:
        lines += [
            "",
            f"hep_ml's uGB was not rerun: its {UGB_SECONDS_1E5} s at 10^5 events (100 trees, "
            "depth 6) is the 2026-11-24 figure of the section 'After the layer redesign' below, "
            "measured with `bench_flatness.py` on this machine type, on an otherwise idle "
            "machine; the ratio above divides it by a fit timed under the load shown.",
        ]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=sorted(CASES))
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--no-write", action="store_true")
    parser.add_argument(
        "--from-log", type=Path, nargs="+", metavar="LOG",
        help="rewrite the report from the output of runs (several logs: their lines together)",
    )  # fmt: skip
    parser.add_argument(
        "--seed-fit", action="store_true",
        help="add the seed-size Higgs fit and the presets' CV on the real sample (hours)",
    )  # fmt: skip
    parser.add_argument(
        "--only", nargs="+", choices=sorted(CASES), metavar="NAME",
        help="run these cases (each in a fresh process) and print their lines; no report",
    )  # fmt: skip
    args = parser.parse_args()
    if args.case:
        print(json.dumps(CASES[args.case]()))
        return
    if args.only:
        for name in args.only:
            print(name, json.dumps(run_case(name)), flush=True)
        return
    if args.from_log:
        runs = {}
        lines = [line for log in args.from_log for line in log.read_text().splitlines()]
        for line in lines:
            name, _, figures = line.partition(" ")
            if name in CASES and figures.startswith("{"):
                runs.setdefault(name, []).append(json.loads(figures))
        table = report(runs)
        print(table)
        if not args.no_write:
            write_section("Issue 16: speed targets (run_all.py)", table)
        return
    plan = {"flatness_1e5": 3, "features": 3, "metrics": 3, "feature_memory": 1, "cvm_peer": 1}
    if args.quick:
        plan = dict.fromkeys(plan, 1)
    else:
        plan |= {"flatness_1e6": 3, "ugb_1e5": 1}
    if args.seed_fit:
        plan |= dict.fromkeys(SEED_FIT_PLAN, 1)
    runs: dict[str, list[dict]] = {name: [] for name in plan}
    for round_number in range(max(plan.values())):  # in turn: a slow spell hits one run of a case
        for name, times in plan.items():
            if round_number < times:
                runs[name].append(run_case(name))
                print(name, json.dumps(runs[name][-1]), flush=True)
    table = report(runs)
    print(table)
    if not args.no_write:
        write_section("Issue 16: speed targets (run_all.py)", table)


if __name__ == "__main__":
    main()
