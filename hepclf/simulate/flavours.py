"""A toy simulation of the four Flavours of Physics tables in their real schemas.

Each event is a three-track vertex at LHCb (pseudorapidity 2 to 5). The generator draws physical
latent quantities and derives the columns from them, so that they are related as in the detector:

- the candidate's momentum is shared among the three tracks (Dirichlet fractions; the file lists
  the hardest track as p1), each track's pT is p / cosh(eta), the candidate pT follows;
- the decay time ``LifeTime`` (ns) and the boost give the flight distance
  ``FlightDistance = LifeTime * c * p / m``; the pointing angle gives ``dira = cos(IP / FD)``;
- impact parameters, vertex and track quality, isolations and the isolation BDTs are drawn per
  process with the spreads of the real check_correlation file (background) and tighter,
  better-isolated, better-pointing values for the signal.

Processes:

- **signal** tau -> mu mu mu (simulation): mass N(1776.9, 9) MeV, prompt-pointing (small IP),
  good vertex, isolated muons, larger pair impact parameters (the seed's IP ratios);
- **background** (real data, Ds -> eta mu nu-like): the missing neutrino and the flying eta spoil
  the pointing and the vertex; mass in 1600-1950 MeV, with the momentum scale and the impact
  parameter rising gently with the mass (as real sidebands do: |correlation| < 0.05 per column);
  training holds only the sidebands (the signal window 1750-1800 MeV is blinded);
- **control channel** Ds -> phi pi (check_agreement): signal-like vertices at the Ds mass. The
  "real data" differ from the "simulation" as at LHCb: ``SPDhits`` (detector occupancy) is badly
  mismodelled (simulation mean 220, data 340), ``IPSig`` reads 3 % higher and the track chi2 5 %
  higher in data; data also hold combinatorial background, removed by sWeights: +1 for the Ds
  signal, positive under the peak and negative in the sidebands for the background, so that the
  background cancels on average and some weights are negative.

Not modelled: track charges and angles (absent from the files), trigger, multiple candidates.
``production`` is 1-3 (the simulated production channel) for signal and -1 for background;
``min_ANNmuon`` is a muon-identification score, high for the signal's muons.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from hepclf._utils import check_count
from hepclf.features import kinematics as kin
from hepclf.progress import advance, task
from hepclf.schemas import FLAVOURS_FEATURE_COLUMNS, FLAVOURS_SCHEMAS, FLAVOURS_TABLE_SIZES

C_MM_PER_NS = 299.792458
TAU_MASS, DS_MASS = 1776.86, 1968.35
MASS_RANGE = (1600.0, 1950.0)
BLINDED_WINDOW = (1750.0, 1800.0)
DEFAULT_SIZES = FLAVOURS_TABLE_SIZES
SPD_SIMULATION_MEAN, SPD_DATA_MEAN = 220.0, 340.0


def _lognormal(rng, median, sigma, n):
    return median * np.exp(rng.normal(0.0, sigma, n))


def _neg_binomial(rng, mean, shape, n):
    return rng.negative_binomial(shape, shape / (shape + mean), n)


# Per-process settings, one row per quantity: (background, signal). Lognormal quantities give
# (median, log-spread), beta-distributed ones their two shapes, counts their mean.
_SETTINGS = {
    "lifetime": ((0.00094, 0.64), (0.00070, 0.60)),
    "momentum": ((50_000.0, 0.75), (55_000.0, 0.70)),
    "ip": ((0.13, 0.65), (0.07, 0.70)),
    "pair_ip": ((0.18, 0.70), (0.19, 0.70)),
    "doca": ((0.038, 1.15), (0.026, 1.1)),
    "track_ip": ((0.31, 0.70), (0.33, 0.70)),
    "track_ipsig": ((10.0, 0.75), (11.0, 0.75)),
    "chi2": ((1.15, 0.34), (1.05, 0.30)),
    "iso_bdt": ((0.185, 0.60), (0.23, 0.55)),
    "vertex": ((1.25, 1.6), (1.1, 2.1)),
    "iso_abc": (3.3, 2.0),
    "iso_def": (0.55, 0.35),
    "iso": (1.8, 1.0),
    "cdf": ((2.4, 0.85), (3.0, 0.8)),
    "ann": ((3.0, 2.0), (8.0, 1.5)),
}
_PROFILES = {
    kind: {quantity: values[k] for quantity, values in _SETTINGS.items()}
    for k, kind in enumerate(("background", "signal"))
}
_PROFILES["control"] = {**_PROFILES["signal"], "lifetime": (0.00095, 0.60), "ip": (0.06, 0.7)}


def _vertices(rng, kind: str, mass: np.ndarray, spd_mean: float) -> pd.DataFrame:
    """Columns of ``n`` three-track vertices of one process at the given masses."""
    profile = _PROFILES[kind]
    n = mass.size
    mass_slope = (mass - TAU_MASS) / (MASS_RANGE[1] - MASS_RANGE[0]) if kind == "background" else 0
    lifetime = _lognormal(rng, *profile["lifetime"], n)
    momentum = _lognormal(rng, *profile["momentum"], n) * (1 + 0.10 * mass_slope)
    eta = np.clip(rng.normal(3.3, 0.55, n), 2.0, 5.0)
    flight = lifetime * C_MM_PER_NS * momentum / mass * rng.uniform(0.9, 1.1, n)
    flight_error = _lognormal(rng, 0.40, 0.69, n)
    ip = _lognormal(rng, *profile["ip"], n) * (1 + 0.15 * mass_slope)
    fractions = np.sort(rng.dirichlet([3.5, 3.5, 3.5], n), axis=1)
    track_p = momentum[:, None] * fractions[:, [0, 2, 1]]  # p1 hardest, then p2, then p0
    track_eta = eta[:, None] + rng.normal(0, 0.25, (n, 3))
    track_pt = kin.transverse_momentum_from_momentum(track_p, track_eta)
    columns = {
        "LifeTime": lifetime,
        "dira": np.cos(np.minimum(ip / flight * rng.uniform(0.4, 1.2, n), 0.06)),
        "FlightDistance": flight,
        "FlightDistanceError": flight_error,
        "IP": ip,
        "IPSig": ip / _lognormal(rng, 0.016, 0.30, n),
        "VertexChi2": 15.0 * rng.beta(*profile["vertex"], n),
        "pt": track_pt.sum(axis=1) * rng.uniform(0.85, 1.0, n),
    }
    for name in ("DOCAone", "DOCAtwo", "DOCAthree"):
        columns[name] = _lognormal(rng, *profile["doca"], n)
    columns["IP_p0p2"] = _lognormal(rng, *profile["pair_ip"], n)
    columns["IP_p1p2"] = _lognormal(rng, profile["pair_ip"][0] * 0.85, profile["pair_ip"][1], n)
    for name in ("isolationa", "isolationb", "isolationc"):
        columns[name] = _neg_binomial(rng, profile["iso_abc"], 1.5, n)
    for name in ("isolationd", "isolatione", "isolationf"):
        columns[name] = rng.poisson(profile["iso_def"], n)
    columns["iso"] = _neg_binomial(rng, profile["iso"], 1.5, n)
    cdf1 = np.minimum(1.0, 1.05 * rng.beta(*profile["cdf"], n))
    cdf2 = cdf1 * rng.beta(5.0, 1.5, n)
    columns |= {"CDF1": cdf1, "CDF2": cdf2, "CDF3": cdf2 * rng.beta(5.0, 1.5, n)}
    iso_bdt = -_lognormal(rng, *profile["iso_bdt"], (n, 3))
    columns["ISO_SumBDT"] = iso_bdt.sum(axis=1)
    for k in range(3):
        columns[f"p{k}_IsoBDT"] = iso_bdt[:, k]
    for k in range(3):
        columns[f"p{k}_track_Chi2Dof"] = _lognormal(rng, *profile["chi2"], n)
    for k in range(3):
        columns[f"p{k}_IP"] = _lognormal(rng, *profile["track_ip"], n)
    for k in range(3):
        columns[f"p{k}_IPSig"] = _lognormal(rng, *profile["track_ipsig"], n)
    for k in range(3):
        columns[f"p{k}_pt"] = track_pt[:, k]
    for k in range(3):
        columns[f"p{k}_p"] = track_p[:, k]
    for k in range(3):
        columns[f"p{k}_eta"] = track_eta[:, k]
    columns["SPDhits"] = _neg_binomial(rng, spd_mean, 6.0, n)
    frame = pd.DataFrame(columns)[list(FLAVOURS_FEATURE_COLUMNS)]
    frame["mass"] = mass
    frame["min_ANNmuon"] = rng.beta(*profile["ann"], n)
    return frame


def _background_masses(rng, n: int, blinded: bool) -> np.ndarray:
    """Background masses: falling slowly over 1600-1950 MeV, optionally outside the window."""
    low, high = MASS_RANGE
    out = np.empty(0)
    while out.size < n:
        draw = low + (high - low) * rng.beta(1.05, 1.1, 2 * n)
        if blinded:
            draw = draw[(draw < BLINDED_WINDOW[0]) | (draw > BLINDED_WINDOW[1])]
        out = np.concatenate([out, draw])
    return out[:n]


def _training(rng, n: int) -> pd.DataFrame:
    n_signal = int(round(0.6 * n))
    signal = _vertices(rng, "signal", rng.normal(TAU_MASS, 9.0, n_signal), SPD_SIMULATION_MEAN)
    signal["production"] = rng.integers(1, 4, n_signal)
    signal["signal"] = 1
    background = _vertices(
        rng, "background", _background_masses(rng, n - n_signal, True), SPD_DATA_MEAN
    )
    background["production"] = -1
    background["signal"] = 0
    return pd.concat([signal, background], ignore_index=True)


def _check_agreement(rng, n: int) -> pd.DataFrame:
    """Ds -> phi pi: simulation (signal 1, weight 1) and sWeighted real data (signal 0)."""
    n_sim = n // 2
    n_data = n - n_sim
    simulation = _vertices(rng, "control", rng.normal(DS_MASS, 8.0, n_sim), SPD_SIMULATION_MEAN)
    simulation["weight"] = 1.0
    n_ds = int(0.7 * n_data)
    n_peak = (n_data - n_ds) // 3
    n_side = n_data - n_ds - n_peak
    data_ds = _vertices(rng, "control", rng.normal(DS_MASS, 8.0, n_ds), SPD_DATA_MEAN)
    data_ds["IPSig"] *= 1.03
    for k in range(3):
        data_ds[f"p{k}_track_Chi2Dof"] *= 1.05
    data_ds["weight"] = rng.normal(1.05, 0.05, n_ds)
    combinatorial = _vertices(
        rng, "background", rng.uniform(1900, 2040, n_peak + n_side), SPD_DATA_MEAN
    )
    sweight = np.empty(n_peak + n_side)
    sweight[:n_peak] = rng.normal(0.6, 0.05, n_peak)
    sweight[n_peak:] = -sweight[:n_peak].sum() / n_side * rng.normal(1.0, 0.05, n_side)
    combinatorial["weight"] = sweight
    data = pd.concat([data_ds, combinatorial], ignore_index=True)
    simulation["signal"], data["signal"] = 1, 0
    return pd.concat([simulation, data], ignore_index=True)


def _test(rng, n: int) -> pd.DataFrame:
    n_signal, n_control = n // 5, n // 5
    parts = [
        _vertices(rng, "signal", rng.normal(TAU_MASS, 9.0, n_signal), SPD_DATA_MEAN),
        _vertices(rng, "control", rng.normal(DS_MASS, 8.0, n_control), SPD_DATA_MEAN),
        _vertices(
            rng,
            "background",
            _background_masses(rng, n - n_signal - n_control, False),
            SPD_DATA_MEAN,
        ),
    ]
    return pd.concat(parts, ignore_index=True)


_BUILDERS = {
    "training": _training,
    "check_agreement": _check_agreement,
    "check_correlation": lambda rng, n: _vertices(
        rng, "background", _background_masses(rng, n, False), SPD_DATA_MEAN
    ),
    "test": _test,
}


def simulate_flavours(
    seed: int = 0,
    *,
    training: int = DEFAULT_SIZES["training"],
    check_agreement: int = DEFAULT_SIZES["check_agreement"],
    check_correlation: int = DEFAULT_SIZES["check_correlation"],
    test: int = DEFAULT_SIZES["test"],
) -> dict[str, pd.DataFrame]:
    """Simulated Flavours tables, keyed by file name, each in its real schema.

    Parameters
    ----------
    seed : int
        Random seed; the same seed and sizes give the same tables.
    training, check_agreement, check_correlation, test : int
        Events per table (defaults: the sizes of the real files). 0 leaves a table out.

    Returns
    -------
    dict
        ``{'training': ..., 'check_agreement': ..., 'check_correlation': ..., 'test': ...}`` with
        the columns of the real files (``id`` first), rows in random order.

    Raises
    ------
    ValueError
        ``seed`` or a table size is not a whole number >= 0 (booleans, floats and strings are
        refused as well), or a size is between 1 and 19.
    """
    sizes = {
        "training": training,
        "check_agreement": check_agreement,
        "check_correlation": check_correlation,
        "test": test,
    }
    for name, size in sizes.items():
        check_count(size, name, 0)
        if 0 < size < 20:
            raise ValueError(f"{name} must be 0 or at least 20 events, got {size}")
    rng = np.random.default_rng(check_count(seed, "seed", 0))
    tables = {}
    next_id = 0
    total = int(sum(sizes.values()))
    with task("simulating the Flavours tables", total=total, unit="events"):
        for name, size in sizes.items():
            if size == 0:
                continue
            frame = _BUILDERS[name](rng, int(size))
            frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
            frame["id"] = np.arange(next_id, next_id + len(frame)) * 7 + 1_000_003
            next_id += len(frame)
            tables[name] = frame[list(FLAVOURS_SCHEMAS[name])]
            advance(int(size))
    return tables
