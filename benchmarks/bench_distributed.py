"""hepclf.distributed on a LocalCluster against the same job in memory.

    python benchmarks/bench_distributed.py compare --events 1000000 --files 8 --seeds 3
    python benchmarks/bench_distributed.py memory --events 10000000 --files 80 40

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
    booster.feature_names = None  # columns by position
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


def _worker_baseline() -> int:
    """Resident memory of a worker with hepclf's feature kernels and xgboost loaded."""
    import psutil
    import xgboost  # noqa: F401

    from hepclf.features import higgs_features  # noqa: F401

    return psutil.Process().memory_info().rss


def dask_memory_job(paths: list[str], model_path: str) -> dict:
    """Read, build features, score and persist (label, weight, score), best cut: on a fresh
    LocalCluster, with the peak resident memory of this (client) process and of each worker.
    Run in a fresh process (``_dask`` command), so the client holds nothing else."""
    import xgboost as xgb

    from hepclf.distributed import (
        DaskBoostedModel,
        best_cut_dask,
        connect,
        higgs_features_dask,
        read_events,
    )

    booster = xgb.Booster(model_file=model_path)
    columns, booster.feature_names = booster.feature_names, None
    with connect("local", n_workers=WORKERS) as client:
        baseline = client.run(_worker_baseline)
        with PeakMemory(client) as peak:
            start = time.perf_counter()
            events = read_events(paths)
            wrapped = DaskBoostedModel(booster, booster.num_boosted_rounds(), columns)
            scored = events[["Label", "Weight"]].assign(
                score=wrapped.predict_signal(higgs_features_dask(events))
            )
            scored = scored.persist()
            best = best_cut_dask(scored, label="Label", score="score", weight="Weight")
            seconds = time.perf_counter() - start
            persisted = scored.memory_usage(deep=True).sum().compute() / 2**20
    return {
        "seconds": seconds,
        "ams": best.ams,
        "client": peak.client_peak / 2**20,
        "workers": sorted(rss / 2**20 for rss in peak.worker_peak.values()),
        "baseline": sorted(rss / 2**20 for rss in baseline.values()),
        "persisted": persisted,
    }


def memory(n_events: int, file_counts: list[int], in_memory_events: list[int]) -> str:
    from hepclf.features import higgs_features

    base_events = 1_000_000
    copies = n_events // base_events
    model = quick_model(in_memory_frame(simulated_files(base_events, 8)[:1]), rounds=50)
    model_path = str(FOLDER / "memory-model.json")
    booster = model.booster_.copy()
    booster.feature_names = [str(name) for name in model.feature_names_in_]
    booster.save_model(model_path)
    rows, runs = [], {}
    for n_files in file_counts:
        paths = copied_files(simulated_files(base_events, n_files // copies), copies)
        one = in_memory_frame(paths[:1])
        features = higgs_features(one)
        partition_mb = one.memory_usage(deep=True).sum() + features.memory_usage(deep=True).sum()
        del one, features
        command = [sys.executable, __file__, "_dask", model_path, *map(str, paths)]
        done = subprocess.run(command, capture_output=True, text=True, check=True)
        run = runs[n_files] = json.loads(done.stdout.strip().splitlines()[-1])
        rows.append(
            f"| {n_files} | {n_events // n_files:,} | {partition_mb / 2**20:,.0f} | "
            f"{run['client']:,.0f} | {', '.join(f'{mb:,.0f}' for mb in run['baseline'])} | "
            f"{', '.join(f'{mb:,.0f}' for mb in run['workers'])} | {run['persisted']:,.0f} | "
            f"{run['seconds']:.0f} |"
        )
    memory_rows = []
    paths = copied_files(simulated_files(base_events, 8), copies)
    for size in in_memory_events:
        chosen = [str(path) for path in paths[: max(1, len(paths) * size // n_events)]]
        command = [sys.executable, __file__, "_in_memory", model_path, *chosen]
        found = json.loads(
            subprocess.run(command, capture_output=True, text=True, check=True).stdout
        )
        memory_rows.append(
            f"| {found['events']:,} | {found['peak_mb']:,.0f} | "
            f"{found['peak_mb'] / found['events'] * 1e6:,.0f} | {found['seconds']:.0f} |"
        )
    ams = ", ".join(f"{run['ams']:.6f}" for run in runs.values())
    return (
        f"{machine_line()}\n"
        f"Command: `python benchmarks/bench_distributed.py memory --events {n_events} --files "
        f"{' '.join(map(str, file_counts))} --in-memory-events "
        f"{' '.join(map(str, in_memory_events))}`. {n_events:,} events in parquet files "
        f"({copies} copies of {base_events:,} simulated events, each copy with its own EventIds). "
        "Job: read (load_higgs per file), build the Higgs features, score with an xgboost of 50 "
        "rounds, persist (label, weight, score), best cut by the two-pass exact AMS (AMS "
        f"{ams}). LocalCluster of {WORKERS} worker processes, 1 thread each; resident memory "
        "polled every 0.2 s; each Dask job in a fresh process (`_dask` in the benchmark), whose "
        "peak is the client's.\n\n"
        "| files | events per partition | partition in memory, events + features (MB) | "
        "client peak (MB) | each worker idle, with hepclf and xgboost loaded (MB) | "
        "each worker peak (MB) | persisted (label, weight, score), all workers (MB) | "
        "wall time (s) |\n|---:|---:|---:|---:|---:|---:|---:|---:|\n"
        + "\n".join(rows)
        + "\n\nThe same job in memory (one process, `_in_memory` in the benchmark: load every "
        "file, features, score, best cut), on the first files of the same set:\n\n"
        "| events | peak resident (MB) | MB per 10^6 events | wall time (s) |\n"
        "|---:|---:|---:|---:|\n" + "\n".join(memory_rows) + "\n"
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
    second.add_argument("--files", type=int, nargs="+", default=[80, 40])
    second.add_argument("--in-memory-events", type=int, nargs="+", default=[2_000_000, 5_000_000])
    for name in ("_in_memory", "_dask"):
        inner = commands.add_parser(name)
        inner.add_argument("model")
        inner.add_argument("paths", nargs="+")
    args = parser.parse_args()
    if args.command == "_in_memory":
        print(json.dumps(in_memory_job(args.paths, args.model)))
    elif args.command == "_dask":
        print(json.dumps(dask_memory_job(args.paths, args.model)))
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
