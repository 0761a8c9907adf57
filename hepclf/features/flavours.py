"""Flavours of Physics (tau -> mu mu mu) features of the seed solution; none uses the tau mass.

The candidate is a three-track vertex displaced from the primary vertex (PV). Signal taus are
boosted, point back to the PV (``dira``, the cosine of the angle between momentum and flight
direction, close to 1; small ``IP``) and decay immediately into three muons; the Ds -> eta mu nu
background has a missing neutrino and an eta that flies before decaying, which shows in the vertex
and track quality and in the pair-wise impact parameters.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numba import njit, prange

from hepclf._utils import check_finite_columns, check_flag, check_frame, check_real
from hepclf.features.registry import register
from hepclf.schemas import FORBIDDEN_COLUMNS, MISMODELLED_COLUMNS

#: Tiny number added to 1 - dira, which is exactly 0 for some events (dira stored as float32).
DIRA_EPSILON = 1e-9

_INPUTS = (
    "FlightDistance",
    "FlightDistanceError",
    "IP",
    "dira",
    "LifeTime",
    "IP_p0p2",
    "IP_p1p2",
    "p0_p",
    "p1_p",
    "p2_p",
    "p0_IP",
    "p1_IP",
    "p2_IP",
    "p0_track_Chi2Dof",
    "p1_track_Chi2Dof",
    "p2_track_Chi2Dof",
    "p0_IsoBDT",
    "p1_IsoBDT",
    "p2_IsoBDT",
    "DOCAone",
    "DOCAtwo",
    "DOCAthree",
    "isolationa",
    "isolationb",
    "isolationc",
    "isolationd",
    "isolatione",
    "isolationf",
)
REQUIRED_COLUMNS = _INPUTS

FEATURES = {
    "flight_dist_sig": "FlightDistance / FlightDistanceError: significance of the flight",
    "distance_sv": "IP / (1 - dira + eps): distance from the PV to the secondary vertex (small "
    "angle)",
    "neg_log_distance_sv": "-ln(distance_sv): the seed's inverse-log transform of distance_sv",
    "fd_over_sum_p": "FlightDistance / (p0_p + p1_p + p2_p): flight time in the lab frame",
    "lifetime_mean_ip": "LifeTime * mean(p0_IP, p1_IP, p2_IP)",
    "track_chi2_max": "largest track chi2/ndof of the three muons (worst track)",
    "track_chi2_sum_squares": "sum of squared track chi2/ndof of the three muons",
    "iso_bdt_min": "smallest isolation BDT output of the three muons",
    "doca_max": "largest distance of closest approach between track pairs",
    "isolation_min": "smallest pair-wise track isolation (isolationa..f)",
    "ip_ratio_p0p2": "IP / IP_p0p2: tau IP against the IP of the p0-p2 pair",
    "ip_ratio_p1p2": "IP / IP_p1p2: tau IP against the IP of the p1-p2 pair",
}
FEATURE_NAMES = tuple(FEATURES)

for _name, _meaning in FEATURES.items():
    register("flavours", _name, _meaning)


@njit(cache=True, parallel=True, error_model="numpy")
def _flavours_kernel(x, epsilon):
    n = x.shape[0]
    out = np.empty((n, 12))
    for i in prange(n):
        fd, fd_err, ip, dira, lifetime, ip02, ip12 = (
            x[i, 0],
            x[i, 1],
            x[i, 2],
            x[i, 3],
            x[i, 4],
            x[i, 5],
            x[i, 6],
        )
        out[i, 0] = fd / fd_err
        distance = ip / (1.0 - dira + epsilon)
        out[i, 1] = distance
        out[i, 2] = -math.log(distance) if distance > 0.0 else math.nan
        out[i, 3] = fd / (x[i, 7] + x[i, 8] + x[i, 9])
        out[i, 4] = lifetime * (x[i, 10] + x[i, 11] + x[i, 12]) / 3.0
        c0, c1, c2 = x[i, 13], x[i, 14], x[i, 15]
        out[i, 5] = max(c0, max(c1, c2))
        out[i, 6] = c0 * c0 + c1 * c1 + c2 * c2
        out[i, 7] = min(x[i, 16], min(x[i, 17], x[i, 18]))
        out[i, 8] = max(x[i, 19], max(x[i, 20], x[i, 21]))
        lowest = x[i, 22]
        for k in range(23, 28):
            lowest = min(lowest, x[i, k])
        out[i, 9] = lowest
        out[i, 10] = ip / ip02
        out[i, 11] = ip / ip12
    return out


def flavours_features(
    frame: pd.DataFrame, *, include_inputs: bool = True, dira_epsilon: float = DIRA_EPSILON
) -> pd.DataFrame:
    """The seed solution's Flavours features (``docs/features.md`` lists them with formulas).

    Parameters
    ----------
    frame : DataFrame
        Events with the columns of the Flavours files (training, check_agreement,
        check_correlation or test). Not modified.
    include_inputs : bool
        Also return the input columns (all of them; use :func:`model_columns` to choose what a
        model may see).
    dira_epsilon : float
        Added to 1 - dira before dividing.

    Returns
    -------
    DataFrame
        One row per event with the derived features; a division by zero gives NaN or inf only
        where an input is exactly zero, which the real files never have.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame, an input column is not numeric (the message gives the first
        cell that is not a number), ``include_inputs`` is not a bool, ``dira_epsilon`` not a
        real number.
    ValueError
        ``frame`` has no rows, lacks an input column, names a column twice, already holds the
        derived columns (with ``include_inputs``), or has NaN or infinity in an input (the
        message names the column and the first bad row); ``dira_epsilon`` is not positive.
    """
    check_frame(frame, "frame", _INPUTS)
    check_flag(include_inputs, "include_inputs")
    dira_epsilon = check_real(dira_epsilon, "dira_epsilon", minimum=0.0, open_minimum=True)
    already = [name for name in FEATURE_NAMES if name in frame.columns]
    if include_inputs and already:
        raise ValueError(
            f"frame already holds derived feature column(s) {', '.join(already[:3])}...: pass the "
            "input columns only (the built features are not built again), or include_inputs=False"
        )
    values = np.ascontiguousarray(frame[list(_INPUTS)].to_numpy(np.float64))
    check_finite_columns(values, _INPUTS, frame.index, "frame", allow_nan=False)
    derived = pd.DataFrame(
        _flavours_kernel(values, float(dira_epsilon)),
        columns=list(FEATURE_NAMES),
        index=frame.index,
    )
    if not include_inputs:
        return derived
    return pd.concat([frame, derived], axis=1)


def model_columns(frame: pd.DataFrame, *, use_spdhits: bool = False) -> list[str]:
    """The columns of ``frame`` a model may be trained on.

    Leaves out :data:`FORBIDDEN_COLUMNS` (mass, production, min_ANNmuon, labels, weights, ids) and,
    unless ``use_spdhits``, the mismodelled ``SPDhits``.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame, ``use_spdhits`` is not a bool.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    check_flag(use_spdhits, "use_spdhits")
    excluded = set(FORBIDDEN_COLUMNS) | (set() if use_spdhits else set(MISMODELLED_COLUMNS))
    return [name for name in frame.columns if name not in excluded]
