"""Higgs feature build: hepclf's fused numba kernel against a straightforward pandas/numpy version.

    python benchmarks/bench_features.py     # 10^5 and 10^6 events; writes RESULTS.md

The events are the real ATLAS sample (../shared/data) resampled with replacement to the wanted size.
The peer computes the same 55 features column by column with pandas and numpy (written below, as a
physicist would); the benchmark first checks that both give the same numbers. Reported: wall time of
each, the ratio, hepclf's speed-up from 1 to 2 numba threads, the peak resident memory of each
build (measured in a fresh process), and the bytes per second of input+output against a plain numpy
copy of the same data (the memory-bandwidth ceiling).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from _common import best_time, machine_line, write_section

SAMPLE = Path(__file__).resolve().parents[2] / "shared" / "data" / "higgs_opendata_sample.csv.gz"
OBJECTS = {
    "tau": "PRI_tau",
    "lep": "PRI_lep",
    "jet1": "PRI_jet_leading",
    "jet2": "PRI_jet_subleading",
}


def events(n: int) -> pd.DataFrame:
    frame = pd.read_csv(SAMPLE).replace(-999.0, np.nan)
    rows = np.random.default_rng(0).integers(0, len(frame), n)
    return frame.iloc[rows].reset_index(drop=True)


def pandas_features(frame: pd.DataFrame) -> pd.DataFrame:
    """The same features, written directly with pandas / numpy."""
    f = {}
    pt = {
        o: frame[f"{p}_pt"].where(frame.PRI_jet_num >= {"jet1": 1, "jet2": 2}.get(o, 0))
        for o, p in OBJECTS.items()
    }
    eta = {o: frame[f"{p}_eta"] for o, p in OBJECTS.items()}
    phi = {o: frame[f"{p}_phi"] for o, p in OBJECTS.items()}
    names = list(OBJECTS)
    for i, a in enumerate(names):
        for b in names[i + 1 :]:
            dphi = np.abs(np.arctan2(np.sin(phi[a] - phi[b]), np.cos(phi[a] - phi[b])))
            deta = np.abs(eta[a] - eta[b])
            f[f"abs_dphi_{a}_{b}"] = dphi
            f[f"abs_deta_{a}_{b}"] = deta
            f[f"mass_{a}_{b}"] = np.sqrt(
                (2 * pt[a] * pt[b] * (np.cosh(deta) - np.cos(dphi))).clip(lower=0)
            )
            f[f"mt_{a}_{b}"] = np.sqrt((2 * pt[a] * pt[b] * (1 - np.cos(dphi))).clip(lower=0))
    for a in ("lep", "jet1", "jet2"):
        f[f"abs_dphi_{a}_met"] = np.abs(
            np.arctan2(np.sin(phi[a] - frame.PRI_met_phi), np.cos(phi[a] - frame.PRI_met_phi))
        )
    for a in names:
        f[f"mt_{a}_met"] = np.sqrt(
            (2 * pt[a] * frame.PRI_met * (1 - np.cos(phi[a] - frame.PRI_met_phi))).clip(lower=0)
        )
    for a in names:
        f[f"px_{a}"] = pt[a] * np.cos(phi[a])
        f[f"py_{a}"] = pt[a] * np.sin(phi[a])
        f[f"pz_{a}"] = pt[a] * np.sinh(eta[a])
    f["px_met"] = frame.PRI_met * np.cos(frame.PRI_met_phi)
    f["py_met"] = frame.PRI_met * np.sin(frame.PRI_met_phi)
    f["pz_tau_lep"] = f["pz_tau"] + f["pz_lep"]
    f["pz_jets"] = pd.concat([f["pz_jet1"], f["pz_jet2"]], axis=1).sum(axis=1, min_count=1)
    scale = f["pz_jets"].abs() + f["pz_tau_lep"].abs()
    f["pz_balance_jets_tau_lep"] = (f["pz_jets"] - f["pz_tau_lep"]) / scale
    total = pt["tau"] + pt["lep"] + frame.PRI_jet_all_pt + frame.PRI_met
    f["pt_ratio_tau_lep"] = pt["tau"] / pt["lep"]
    f["pt_ratio_jet2_jet1"] = pt["jet2"] / pt["jet1"]
    f["pt_fraction_met"] = frame.PRI_met / total
    f["pt_fraction_tau_lep"] = (pt["tau"] + pt["lep"]) / total
    f["pt_fraction_jets"] = frame.PRI_jet_all_pt / total
    all_pt = pd.concat([pt[o] for o in names], axis=1)
    f["pt_min"] = all_pt.min(axis=1)
    f["pt_max"] = all_pt.max(axis=1)
    return pd.DataFrame(f)


def numpy_der_from_pri(frame: pd.DataFrame) -> pd.DataFrame:
    """The DER_ columns of ``der_from_pri``, written with vectorised numpy (the same formulas)."""
    col = {name: frame[name].to_numpy(np.float64) for name in frame.columns if "PRI" in name}
    jets = col["PRI_jet_num"]
    pt = {
        o: np.where(jets >= {"jet1": 1, "jet2": 2}.get(o, 0), col[f"{p}_pt"], np.nan)
        for o, p in OBJECTS.items()
    }
    eta = {o: col[f"{p}_eta"] for o, p in OBJECTS.items()}
    phi = {o: col[f"{p}_phi"] for o, p in OBJECTS.items()}
    met, met_phi = col["PRI_met"], col["PRI_met_phi"]

    def pair_mass(a, b):
        return np.sqrt(
            np.clip(
                2 * pt[a] * pt[b] * (np.cosh(eta[a] - eta[b]) - np.cos(phi[a] - phi[b])), 0, None
            )
        )

    def vector_sum(objects):
        px = sum(np.nan_to_num(pt[o] * np.cos(phi[o])) for o in objects) + met * np.cos(met_phi)
        py = sum(np.nan_to_num(pt[o] * np.sin(phi[o])) for o in objects) + met * np.sin(met_phi)
        return np.hypot(px, py)

    dphi = np.arctan2(np.sin(phi["tau"] - phi["lep"]), np.cos(phi["tau"] - phi["lep"]))
    sign = np.sign(np.sin(phi["tau"] - phi["lep"]))
    a, b = sign * np.sin(met_phi - phi["lep"]), sign * np.sin(phi["tau"] - met_phi)
    span, centre = eta["jet1"] - eta["jet2"], eta["lep"] - 0.5 * (eta["jet1"] + eta["jet2"])
    with np.errstate(invalid="ignore", divide="ignore"):
        derived = {
            "DER_mass_transverse_met_lep": np.sqrt(
                np.clip(2 * pt["lep"] * met * (1 - np.cos(phi["lep"] - met_phi)), 0, None)
            ),
            "DER_mass_vis": pair_mass("tau", "lep"),
            "DER_pt_h": vector_sum(["tau", "lep"]),
            "DER_deltaeta_jet_jet": np.abs(eta["jet1"] - eta["jet2"]),
            "DER_mass_jet_jet": pair_mass("jet1", "jet2"),
            "DER_prodeta_jet_jet": eta["jet1"] * eta["jet2"],
            "DER_deltar_tau_lep": np.hypot(eta["tau"] - eta["lep"], dphi),
            "DER_pt_tot": vector_sum(list(OBJECTS)),
            "DER_sum_pt": pt["tau"] + pt["lep"] + col["PRI_jet_all_pt"],
            "DER_pt_ratio_lep_tau": pt["lep"] / pt["tau"],
            "DER_met_phi_centrality": (a + b) / np.hypot(a, b),
            "DER_lep_eta_centrality": np.exp(-4 / span**2 * centre**2),
        }
    return pd.DataFrame(derived, index=frame.index)


def hepclf_features(frame: pd.DataFrame) -> pd.DataFrame:
    from hepclf.features import higgs_features

    return higgs_features(frame, include_inputs=False)


def measure_in_subprocess(kind: str, n: int, threads: int) -> dict:
    """Time and peak memory of one build in a fresh interpreter (so peaks do not mix)."""
    code = f"""
import json, resource, sys, time
sys.path.insert(0, {str(Path(__file__).parent)!r})
import numba
numba.set_num_threads({threads})
import bench_features as b
frame = b.events({n})
build = b.hepclf_features if {kind!r} == "hepclf" else b.pandas_features
build(frame.head(1000))
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
times = []
for _ in range(3):
    out = None  # the previous result is released first, so the peak is that of one build
    start = time.perf_counter(); out = build(frame); times.append(time.perf_counter() - start)
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"time": min(times), "peak_mb": (peak - base) / 1024}}))
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def run(sizes: list[int]) -> str:
    check = events(20_000)
    ours, theirs = hepclf_features(check), pandas_features(check)
    pd.testing.assert_frame_equal(ours, theirs[ours.columns], rtol=1e-9, atol=1e-9)
    lines = [
        machine_line(),
        "Command: `python benchmarks/bench_features.py`. Both builds produce the same 55 features",
        "(checked to 1e-9 first); best of 3 runs, each configuration in a fresh process. Peak",
        "memory is the growth of the resident set during the build. Bandwidth counts the 17",
        "input and 55 output float64 columns against `np.copy` of the same bytes.",
        "",
        "| events | pandas (s) | hepclf 1 thread (s) | hepclf 2 threads (s) | speed-up vs pandas "
        "| 1 -> 2 threads | peak MB pandas | peak MB hepclf | hepclf GB/s | np.copy GB/s |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for n in sizes:
        peer = measure_in_subprocess("pandas", n, 2)
        one = measure_in_subprocess("hepclf", n, 1)
        two = measure_in_subprocess("hepclf", n, 2)
        nbytes = n * 8 * (17 + 55)
        block = np.ones(nbytes // 8)
        copy_time = best_time(lambda: np.copy(block))
        lines.append(
            f"| {n:,} | {peer['time']:.3f} | {one['time']:.3f} | {two['time']:.3f} "
            f"| {peer['time'] / two['time']:.1f}x | {one['time'] / two['time']:.2f}x "
            f"| {peer['peak_mb']:.0f} | {two['peak_mb']:.0f} "
            f"| {nbytes / two['time'] / 1e9:.2f} | {2 * nbytes / copy_time / 1e9:.2f} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--no-write", action="store_true")
    args = parser.parse_args()
    table = run(args.sizes)
    print(table)
    if not args.no_write:
        write_section("Higgs feature build", table)
