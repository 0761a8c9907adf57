"""hepclf.distributed on a LocalCluster against the same job in memory.

    python benchmarks/bench_distributed.py compare --events 1000000 --files 8 --seeds 3
    python benchmarks/bench_distributed.py memory --events 10000000 --files 80

``compare``: simulated Open Data events written as parquet files; on a LocalCluster (2 worker
processes, 1 thread each) the features are built per partition and compared with the in-memory
build bit for bit; the scores of one in-memory model are computed per partition and the AMS curve,
best cut, truncated AUC and KS distance compared with the in-memory metrics; then xgboost.dask and
the in-memory xgboost are trained on KaggleSet t with several seeds and scored on the private set
(v, best-cut AMS), to state the spread. ``memory``: read, build features and score ``--events``
events from parquet (copies of the simulated files with new EventIds) on the LocalCluster, with
the peak resident memory of the client and of each worker, and the in-memory peak of the same job
(in a fresh process, at a size that fits). Both write their section of RESULTS.md.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pandas as pd
from _common import machine_line, write_section

FOLDER = Path(__file__).resolve().parent / "_distributed_data"
WORKERS = 2


def simulated_files(n_events: int, n_files: int, folder: Path = FOLDER) -> list[Path]:
    """``n_events`` simulated Open Data events as ``n_files`` parquet files (made once)."""
    from hepclf.simulate import simulate_higgs

    target = folder / f"simulated-{n_events}-{n_files}"
    paths = [target / f"part-{k:03d}.parquet" for k in range(n_files)]
    if all(path.exists() for path in paths):
        return paths
    target.mkdir(parents=True, exist_ok=True)
    events = simulate_higgs(n_events, seed=15).drop(columns="process")
    for k, rows in enumerate(np.array_split(np.arange(n_events), n_files)):
        events.iloc[rows].to_parquet(paths[k], index=False)
    return paths


def copied_files(source: list[Path], copies: int, folder: Path = FOLDER) -> list[Path]:
    """``copies`` copies of the ``source`` files, each with its own EventIds (made once)."""
    target = folder / f"copies-{copies}x{len(source)}"
    paths = [
        target / f"part-{c:02d}-{k:03d}.parquet" for c in range(copies) for k in range(len(source))
    ]
    if all(path.exists() for path in paths):
        return paths
    target.mkdir(parents=True, exist_ok=True)
    n_source = sum(len(pd.read_parquet(path, columns=["EventId"])) for path in source)
    for c in range(copies):
        for k, path in enumerate(source):
            table = pd.read_parquet(path)
            table["EventId"] += c * n_source
            table.to_parquet(target / f"part-{c:02d}-{k:03d}.parquet", index=False)
    return paths


def in_memory_frame(paths: list[Path]) -> pd.DataFrame:
    from hepclf.datasets import load_higgs

    return pd.concat([load_higgs(path, partial=True) for path in paths], ignore_index=True)


def quick_model(frame: pd.DataFrame, seed: int = 0, rounds: int = 50):
    """An in-memory xgboost trained on KaggleSet t (its KaggleWeight)."""
    from hepclf.datasets import select_kaggle_set
    from hepclf.features import higgs_features
    from hepclf.models import XGBPhysicsClassifier

    training = select_kaggle_set(frame, "t")
    model = XGBPhysicsClassifier(
        n_estimators=rounds, learning_rate=0.1, max_depth=6, subsample=0.9, colsample_bytree=0.9,
        random_state=seed,
    )  # fmt: skip
    features = higgs_features(training)
    return model.fit(features, (training.Label == "s").to_numpy(int), training.Weight.to_numpy())


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def compare(n_events: int, n_files: int, seeds: int, rounds: int) -> str:
    from hepclf import metrics
    from hepclf.distributed import (
        DaskBoostedModel,
        ams_curve_dask,
        best_cut_dask,
        connect,
        fit_xgboost_dask,
        higgs_features_dask,
        ks_agreement_dask,
        read_events,
        truncated_auc_dask,
    )
    from hepclf.features import higgs_features

    paths = simulated_files(n_events, n_files)
    frame, load_time = timed(lambda: in_memory_frame(paths))
    features, feature_time = timed(lambda: higgs_features(frame))
    rows = []
    with connect("local", n_workers=WORKERS) as client:
        events = read_events(paths)
        built, dask_feature_time = timed(lambda: higgs_features_dask(events).compute())
        identical = bool(
            list(built.columns) == list(features.columns)
            and np.array_equal(built.to_numpy(), features.to_numpy(), equal_nan=True)
        )
        del built
        rows.append(("features", f"{feature_time:.2f}", f"{dask_feature_time:.2f}",
                     "bit for bit" if identical else "DIFFERENT"))  # fmt: skip
        model = quick_model(frame, rounds=rounds)
        score = model.predict_proba(features)[:, 1]
        label = (frame.Label == "s").to_numpy(int)
        weight = frame.Weight.to_numpy()
        wrapped = DaskBoostedModel(model.booster_, model.best_iteration_, list(features.columns))
        scored = (
            events[["Label", "Weight"]]
            .assign(score=wrapped.predict_signal(higgs_features_dask(events)))
            .persist()
        )
        same_scores = bool(np.array_equal(scored.score.compute().to_numpy(), score))
        columns = dict(label="Label", score="score", weight="Weight")
        exact, t_mem = timed(lambda: metrics.best_cut(label, score, weight))
        found, t_dask = timed(lambda: best_cut_dask(scored, **columns))
        rows.append(("best cut (AMS)", f"{t_mem:.2f}", f"{t_dask:.2f}",
                     f"cut equal: {found.cut == exact.cut}; AMS rel. diff "
                     f"{abs(found.ams / exact.ams - 1):.1e} ({exact.ams:.6f})"))  # fmt: skip
        full, t_mem = timed(lambda: metrics.ams_curve(label, score, weight))
        curve, t_dask = timed(lambda: ams_curve_dask(scored, **columns))
        where = {cut: i for i, cut in enumerate(full.cuts)}
        index = np.array([where[cut] for cut in curve.cuts])
        worst = np.max(np.abs(curve.ams - full.ams[index]) / np.maximum(full.ams[index], 1e-300))
        rows.append(("AMS curve", f"{t_mem:.2f}", f"{t_dask:.2f}",
                     f"{curve.cuts.size:,} cuts, max rel. diff {worst:.1e}"))  # fmt: skip
        auc, t_mem = timed(lambda: metrics.truncated_auc(label, score, weight))
        auc_dask, t_dask = timed(lambda: truncated_auc_dask(scored, **columns))
        rows.append(("truncated AUC", f"{t_mem:.2f}", f"{t_dask:.2f}",
                     f"diff {abs(auc_dask - auc):.1e} ({auc:.6f})"))  # fmt: skip
        signal = label == 1
        ks, t_mem = timed(
            lambda: metrics.ks_agreement(
                score[~signal], score[signal], weight[~signal], weight[signal]
            )
        )
        ks_dask, t_dask = timed(lambda: ks_agreement_dask(scored, **columns))
        rows.append(("KS distance (signal vs background)", f"{t_mem:.2f}", f"{t_dask:.2f}",
                     f"diff {abs(ks_dask.value - ks.value):.1e} ({ks.value:.6f})"))  # fmt: skip
        spread = _ams_spread(client, frame, events, seeds, rounds, fit_xgboost_dask, best_cut_dask)
    table = "\n".join(f"| {' | '.join(row)} |" for row in rows)
    return (
        f"{machine_line()}\n"
        f"Command: `python benchmarks/bench_distributed.py compare --events {n_events} --files "
        f"{n_files} --seeds {seeds} --rounds {rounds}`. {n_events:,} simulated Open Data events "
        f"(`simulate_higgs(seed=15)`) in {n_files} parquet files; LocalCluster of {WORKERS} worker "
        "processes with 1 thread each, on the same 2 cores (shared with other work). In-memory "
        f"load of the files: {load_time:.1f} s. Scores: an in-memory xgboost ({rounds} rounds) "
        f"applied per partition (equal to the in-memory scores: {same_scores}).\n\n"
        "| step | in memory (s) | Dask (s) | agreement |\n|---|---:|---:|---|\n"
        f"{table}\n\n{spread}"
    )


def _ams_spread(client, frame, events, seeds, rounds, fit_xgboost_dask, best_cut_dask) -> str:
    """Private-set (v) best-cut AMS of in-memory and xgboost.dask models over ``seeds`` seeds,
    both trained on KaggleSet t with its KaggleWeight."""
    from hepclf import metrics
    from hepclf.distributed import higgs_features_dask
    from hepclf.features import higgs_features
    from hepclf.models import XGBPhysicsClassifier
    from hepclf.report import ams_band

    private = frame[frame.KaggleSet == "v"]
    private_features = higgs_features(private)
    features = higgs_features_dask(events)
    table = features.assign(Label=events.Label, Weight=events.KaggleWeight, Set=events.KaggleSet)
    training = table[table.Set == "t"]
    held_out = table[table.Set == "v"]
    names = list(private_features.columns)
    lines = []
    memory, distributed = [], []
    for seed in range(seeds):
        model, t_mem = timed(lambda: quick_model(frame, seed=seed, rounds=rounds))
        score = model.predict_proba(private_features)[:, 1]
        memory.append(metrics.best_cut(private.Label, score, private.KaggleWeight).ams)
        estimator = XGBPhysicsClassifier(
            n_estimators=rounds, learning_rate=0.1, max_depth=6, subsample=0.9,
            colsample_bytree=0.9, random_state=seed,
        )  # fmt: skip
        dask_model, t_dask = timed(
            lambda: fit_xgboost_dask(
                client,
                training,
                features=names,
                label="Label",
                weight="Weight",
                estimator=estimator,
            )  # fmt: skip
        )
        scored = held_out[["Label", "Weight"]].assign(score=dask_model.predict_signal(held_out))
        distributed.append(best_cut_dask(scored, label="Label", score="score", weight="Weight").ams)
        lines.append(f"| {seed} | {memory[-1]:.4f} | {distributed[-1]:.4f} | {t_mem:.1f} | "
                     f"{t_dask:.1f} |")  # fmt: skip
    mean, spread = np.mean(memory), np.std(memory, ddof=1)
    mean_dask = np.mean(distributed)
    cut = metrics.best_cut(private.Label, score, private.KaggleWeight).cut
    _, low, high = ams_band(private.Label, score, private.KaggleWeight, cuts=[cut]).at(cut)
    return (
        f"AMS of the private set (KaggleSet v, {len(private):,} events, best cut, KaggleWeight "
        f"renormalised) of xgboost ({rounds} rounds, eta 0.1, depth 6, subsample and column "
        "subsample 0.9) trained on KaggleSet t, in memory and with xgboost.dask, for each seed:\n\n"
        "| seed | in memory | xgboost.dask | training in memory (s) | training Dask (s) |\n"
        "|---:|---:|---:|---:|---:|\n" + "\n".join(lines) + "\n\n"
        f"In memory: mean {mean:.4f}, standard deviation over seeds {spread:.4f}; xgboost.dask: "
        f"mean {mean_dask:.4f} (difference of the means {mean_dask - mean:+.4f}, "
        f"{abs(mean_dask - mean) / spread:.1f} standard deviations of the seeds). Statistical "
        f"spread of the private-set AMS itself (events drawn again: central 68% of 200 Poisson "
        f"bootstrap replicates at the last in-memory model's best cut, hepclf.report.ams_band): "
        f"{low:.4f} to {high:.4f}, half-width {(high - low) / 2:.4f}."
    )


class PeakMemory:
    """Peak resident memory of this process and of every Dask worker, polled every 0.2 s."""

    def __init__(self, client):
        import psutil

        self.client, self.process = client, psutil.Process()
        self.client_peak, self.worker_peak = 0, {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)

    def _poll(self):
        import psutil

        while not self._stop.is_set():
            self.client_peak = max(self.client_peak, self.process.memory_info().rss)
            for worker, rss in self.client.run(lambda: psutil.Process().memory_info().rss).items():
                self.worker_peak[worker] = max(self.worker_peak.get(worker, 0), rss)
            time.sleep(0.2)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


def in_memory_job(paths: list[str], model_path: str) -> dict:
    """The memory job in this process: load, features, score, best cut; peak RSS (MB)."""
    import xgboost as xgb

    from hepclf import metrics
    from hepclf.features import higgs_features
    from hepclf.models._xgboost import signal_probability

    booster = xgb.Booster(model_file=model_path)
    rounds = booster.num_boosted_rounds()
    start = time.perf_counter()
    frame = in_memory_frame([Path(p) for p in paths])
    score = signal_probability(booster, higgs_features(frame).to_numpy(), rounds)
    best = metrics.best_cut(frame.Label, score, frame.Weight)
    return {
        "events": len(frame),
        "seconds": time.perf_counter() - start,
        "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "ams": best.ams,
    }


def memory(n_events: int, n_files: int, in_memory_events: int) -> str:
    from hepclf.distributed import (
        DaskBoostedModel,
        best_cut_dask,
        connect,
        higgs_features_dask,
        read_events,
    )
    from hepclf.features import higgs_features

    base_events = 1_000_000
    copies = n_events // base_events
    source = simulated_files(base_events, n_files // copies)
    paths = copied_files(source, copies)
    model = quick_model(in_memory_frame(source[:2]), rounds=50)
    model_path = str(FOLDER / "memory-model.json")
    model.booster_.save_model(model_path)
    columns = list(higgs_features(in_memory_frame(source[:1]).iloc[:100]).columns)
    one = in_memory_frame(paths[:1])
    partition_mb = (
        one.memory_usage(deep=True).sum() + higgs_features(one).memory_usage(deep=True).sum()
    ) / 2**20
    del one
    with connect("local", n_workers=WORKERS) as client, PeakMemory(client) as peak:
        start = time.perf_counter()
        events = read_events(paths)
        wrapped = DaskBoostedModel(model.booster_, model.best_iteration_, columns)
        scored = events[["Label", "Weight"]].assign(
            score=wrapped.predict_signal(higgs_features_dask(events))
        )
        scored = scored.persist()
        best = best_cut_dask(scored, label="Label", score="score", weight="Weight")
        dask_seconds = time.perf_counter() - start
    in_paths = paths[: max(1, len(paths) * in_memory_events // n_events)]
    command = [sys.executable, __file__, "_in_memory", model_path, *map(str, in_paths)]
    result = json.loads(subprocess.run(command, capture_output=True, text=True, check=True).stdout)
    workers = ", ".join(f"{mb / 2**20:,.0f}" for mb in sorted(peak.worker_peak.values()))
    per_event = result["peak_mb"] / result["events"]
    return (
        f"{machine_line()}\n"
        f"Command: `python benchmarks/bench_distributed.py memory --events {n_events} --files "
        f"{n_files} --in-memory-events {in_memory_events}`. {n_events:,} events in {n_files} "
        f"parquet files ({copies} copies of {base_events:,} simulated events, each copy with its "
        "own EventIds); job: read (load_higgs per file), build the Higgs features, score with an "
        "xgboost of 50 rounds, persist (label, weight, score), best cut by the two-pass exact "
        f"AMS (AMS {best.ams:.4f}). LocalCluster of {WORKERS} worker processes, 1 thread each.\n\n"
        "| quantity | value |\n|---|---:|\n"
        f"| Dask job, wall time | {dask_seconds:.0f} s |\n"
        f"| client process, peak resident | {peak.client_peak / 2**20:,.0f} MB |\n"
        f"| each worker, peak resident | {workers} MB |\n"
        f"| one partition in memory (events + features) | {partition_mb:,.0f} MB |\n"
        f"| in memory, {result['events']:,} events: peak resident | {result['peak_mb']:,.0f} MB "
        f"({result['seconds']:.0f} s) |\n"
        f"| in memory, extrapolated to {n_events:,} events | "
        f"{per_event * n_events / 1024:,.1f} GB |\n"
    )


def run() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    first = commands.add_parser("compare")
    first.add_argument("--events", type=int, default=1_000_000)
    first.add_argument("--files", type=int, default=8)
    first.add_argument("--seeds", type=int, default=3)
    first.add_argument("--rounds", type=int, default=100)
    second = commands.add_parser("memory")
    second.add_argument("--events", type=int, default=10_000_000)
    second.add_argument("--files", type=int, default=80)
    second.add_argument("--in-memory-events", type=int, default=2_000_000)
    inner = commands.add_parser("_in_memory")
    inner.add_argument("model")
    inner.add_argument("paths", nargs="+")
    args = parser.parse_args()
    if args.command == "_in_memory":
        print(json.dumps(in_memory_job(args.paths, args.model)))
    elif args.command == "compare":
        body = compare(args.events, args.files, args.seeds, args.rounds)
        write_section("Distributed: LocalCluster against in memory", body)
        print(body)
    else:
        body = memory(args.events, args.files, args.in_memory_events)
        write_section("Distributed: memory of 10^7 events", body)
        print(body)


if __name__ == "__main__":
    run()
