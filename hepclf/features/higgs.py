"""Higgs ML (H -> tau tau) feature builders: ATLAS's DER_ columns and the seed solution's features.

The event has a hadronic tau, a lepton (e or mu), up to two reported jets (``PRI_jet_num`` says how
many there are, up to 3+), and the missing transverse momentum (MET). Objects that are absent give
NaN. Input frames may carry NaN (as the loaders give) or the raw -999.0 sentinel; both mean missing.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from numba import njit, prange

from hepclf._utils import check_finite_columns, check_flag, check_frame, row_name
from hepclf.features import kinematics as kin
from hepclf.features.registry import register
from hepclf.schemas import DER_COLUMNS, MISSING_SENTINEL, PRI_COLUMNS

#: The four visible objects, in the column order of the packed arrays.
OBJECTS = ("tau", "lep", "jet1", "jet2")
_PREFIX = {
    "tau": "PRI_tau",
    "lep": "PRI_lep",
    "jet1": "PRI_jet_leading",
    "jet2": "PRI_jet_subleading",
}

#: Raw columns the seed solution found useless: phi is symmetric, tau / lepton eta help little.
USELESS_RAW_COLUMNS = (
    "PRI_tau_phi",
    "PRI_lep_phi",
    "PRI_met_phi",
    "PRI_jet_leading_phi",
    "PRI_jet_subleading_phi",
    "PRI_tau_eta",
    "PRI_lep_eta",
)


class HiggsEvents:
    """The PRI_ columns of a frame as float arrays, with every absent object set to NaN.

    ``pt``, ``eta`` and ``phi`` have shape (n_events, 4) (tau, lepton, leading jet, subleading jet);
    a jet beyond ``PRI_jet_num`` and any -999.0 sentinel become NaN. The input is checked (numeric
    columns, no infinities, whole non-negative jet counts) in the same single pass that packs it.
    """

    def __init__(self, frame: pd.DataFrame):
        check_frame(frame, "frame", PRI_COLUMNS)
        raw = {name: _read_only_float_column(frame, name) for name in PRI_COLUMNS}
        n_events = len(frame)
        # allocated by NumPy (not inside the kernel): NumPy asks Linux for huge pages for large
        # arrays, which makes the first write into fresh memory several times cheaper
        self.pt, self.eta, self.phi = (np.empty((n_events, len(OBJECTS))) for _ in range(3))
        self.met, self.met_phi, self.jet_all_pt = (np.empty(n_events) for _ in range(3))
        object_columns = tuple(
            raw[f"{_PREFIX[obj]}_{part}"] for obj in OBJECTS for part in ("pt", "eta", "phi")
        )
        n_infinite, n_bad_jet_num, n_missing = _pack_events(
            object_columns,
            (raw["PRI_met"], raw["PRI_met_phi"], raw["PRI_jet_all_pt"]),
            raw["PRI_jet_num"],
            self.pt,
            self.eta,
            self.phi,
            (self.met, self.met_phi, self.jet_all_pt),
        )
        if n_infinite:
            _refuse_infinite(raw, frame.index)
        if n_bad_jet_num:
            jet_num = raw["PRI_jet_num"]
            row = int(np.flatnonzero(~((jet_num >= 0) & (jet_num == np.floor(jet_num))))[0])
            raise ValueError(
                f"frame: column PRI_jet_num must hold whole numbers >= 0, got {jet_num[row]} at "
                f"{row_name(frame.index, row)}"
            )
        self.jet_num = raw["PRI_jet_num"]
        if n_missing:
            self._refuse_absent_objects_that_must_be_present(frame.index)

    def _refuse_absent_objects_that_must_be_present(self, index) -> None:
        """The tau, the lepton and the MET are in every event, and jet k in every event with
        PRI_jet_num >= k: a NaN or -999 there is a damaged row, never an absent object."""
        must_be_present = np.ones(self.pt.shape, dtype=bool)
        must_be_present[:, 2] = self.jet_num >= 1
        must_be_present[:, 3] = self.jet_num >= 2
        for part, values in (("pt", self.pt), ("eta", self.eta), ("phi", self.phi)):
            missing = np.isnan(values) & must_be_present
            if missing.any():
                row, k = (int(i[0]) for i in np.nonzero(missing))
                column = f"{_PREFIX[OBJECTS[k]]}_{part}"
                raise ValueError(
                    f"frame: column {column} is missing (NaN or -999) at {row_name(index, row)}, "
                    f"where the {OBJECTS[k]} is always present"
                    + (" (PRI_jet_num counts it)" if k >= 2 else "")
                )
        for column, values in (("PRI_met", self.met), ("PRI_met_phi", self.met_phi),
                               ("PRI_jet_all_pt", self.jet_all_pt)):  # fmt: skip
            if np.isnan(values).any():
                row = int(np.flatnonzero(np.isnan(values))[0])
                raise ValueError(
                    f"frame: column {column} is missing (NaN or -999) at {row_name(index, row)}, "
                    "where it is always present"
                )

    def column(self, obj: str, part: str) -> np.ndarray:
        """One cleaned quantity ('pt', 'eta', 'phi') of one object ('tau', 'lep', 'jet1' ...)."""
        return {"pt": self.pt, "eta": self.eta, "phi": self.phi}[part][:, OBJECTS.index(obj)]


def _refuse_infinite(raw: dict[str, np.ndarray], index) -> None:
    """Raise naming the first column (in file order) with an infinity, and its first row."""
    for name, values in raw.items():
        check_finite_columns(values[:, None], [name], index, "frame", allow_nan=True)


def _read_only_float_column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A column as contiguous float64 (no copy when it already is), always marked read-only.

    Whatever the column's dtype (int, float32, float64; pandas hands out read-only views of
    float64 data but fresh copies of the rest), the packing kernel then sees one array type.
    """
    values = np.ascontiguousarray(frame[name].to_numpy(np.float64))
    values.flags.writeable = False
    return values


@njit(cache=True, inline="always", error_model="numpy")
def _missing_as_nan(value: float) -> float:
    """The HiggsML sentinel -999.0 as NaN; every other value as it is."""
    return math.nan if value == MISSING_SENTINEL else value


@njit(cache=True, parallel=True, error_model="numpy")
def _copy_missing_as_nan(values, out):  # pragma: no cover
    """``out[:] = values`` with the sentinel turned into NaN, in one multi-threaded pass; returns
    the number of infinite values (which the caller refuses). Branch-free (the count is a sum of
    comparisons, not an ``if``), so that the compiler can vectorise the loop."""
    n_infinite = 0
    for i in prange(values.size):
        value = values[i]
        n_infinite += np.int64(abs(value) == math.inf)
        out[i] = _missing_as_nan(value)
    return n_infinite


@njit(cache=True, inline="always", error_model="numpy")
def _packed(value, present):  # pragma: no cover - numba
    """(``value`` as stored: the sentinel as NaN, NaN when the object is absent; 1 if it is
    infinite; 1 if it is missing, NaN or -999, where the object is present), without a branch."""
    cleaned = _missing_as_nan(value) if present else math.nan
    return cleaned, np.int64(abs(value) == math.inf), np.int64(present & (cleaned != cleaned))


@njit(cache=True, inline="always", error_model="numpy")
def _pack_object(
    pt_column, eta_column, phi_column, i, k, present, pt, eta, phi
):  # pragma: no cover
    """Event ``i`` of object ``k`` into column ``k`` of ``pt``, ``eta``, ``phi``; returns its
    counts of infinite and of missing values (see :func:`_packed`)."""
    pt[i, k], infinite_pt, missing_pt = _packed(pt_column[i], present)
    eta[i, k], infinite_eta, missing_eta = _packed(eta_column[i], present)
    phi[i, k], infinite_phi, missing_phi = _packed(phi_column[i], present)
    return (
        infinite_pt + infinite_eta + infinite_phi,
        missing_pt + missing_eta + missing_phi,
    )


@njit(cache=True, parallel=True, error_model="numpy")
def _pack_events(
    object_columns, scalar_columns, jet_num, pt, eta, phi, scalars
):  # pragma: no cover
    """Pack the PRI_ columns into (n_events, 4) arrays, absent values as NaN, in one pass.

    ``object_columns`` holds pt, eta, phi of each object in ``OBJECTS`` order; jet k (k = 1, 2) is
    absent when ``PRI_jet_num < k``. Returns the number of infinite values, of jet counts that are
    not whole numbers >= 0, and of values missing (NaN or -999) where the object is present (the
    tau, the lepton, the MET and the jets PRI_jet_num counts always are), so the caller can refuse
    the input. Branch-free: the counts are sums of comparisons, and every column is named by a
    constant position of its tuple.
    """
    n_infinite = 0
    n_bad_jet_num = 0
    n_missing = 0
    c = object_columns
    for i in prange(jet_num.size):
        jets = jet_num[i]
        # np.floor stays a float (math.floor is an integer here, undefined for inf); NaN: bad
        n_bad_jet_num += 1 - np.int64((jets >= 0.0) & (jets == np.floor(jets)))
        tau = _pack_object(c[0], c[1], c[2], i, 0, True, pt, eta, phi)
        lepton = _pack_object(c[3], c[4], c[5], i, 1, True, pt, eta, phi)
        leading = _pack_object(c[6], c[7], c[8], i, 2, jets >= 1.0, pt, eta, phi)
        subleading = _pack_object(c[9], c[10], c[11], i, 3, jets >= 2.0, pt, eta, phi)
        met, infinite_met, missing_met = _packed(scalar_columns[0][i], True)
        met_phi, infinite_met_phi, missing_met_phi = _packed(scalar_columns[1][i], True)
        jet_all_pt, infinite_all, missing_all = _packed(scalar_columns[2][i], True)
        scalars[0][i] = met
        scalars[1][i] = met_phi
        scalars[2][i] = jet_all_pt
        n_infinite += (
            np.int64(abs(jets) == math.inf)
            + tau[0] + lepton[0] + leading[0] + subleading[0]
            + infinite_met + infinite_met_phi + infinite_all
        )  # fmt: skip
        n_missing += (
            tau[1] + lepton[1] + leading[1] + subleading[1]
            + missing_met + missing_met_phi + missing_all
        )  # fmt: skip
    return n_infinite, n_bad_jet_num, n_missing


def der_from_pri(frame: pd.DataFrame, *, mass_mmc_estimate: bool = False) -> pd.DataFrame:
    """Recompute ATLAS's DER_ columns from the PRI_ columns (HiggsML documentation, appendix B).

    Exact definitions, with every object massless (the file gives no masses):

    - ``DER_mass_transverse_met_lep``: sqrt(2 pT_lep MET (1 - cos(phi_lep - phi_met)))
    - ``DER_mass_vis``: invariant mass of the tau and the lepton
    - ``DER_pt_h``: |pT_tau + pT_lep + MET| (vector sum)
    - ``DER_deltaeta_jet_jet``: |eta_j1 - eta_j2| (2+ jets)
    - ``DER_mass_jet_jet``: invariant mass of the two leading jets (2+ jets). ATLAS used the jets'
      masses, which the file lacks: this massless value is lower (median 0.6 %, up to ~30 %).
    - ``DER_prodeta_jet_jet``: eta_j1 * eta_j2 (2+ jets)
    - ``DER_deltar_tau_lep``: sqrt(delta-eta^2 + delta-phi^2) of tau and lepton
    - ``DER_pt_tot``: |pT_tau + pT_lep + MET + pT_j1 + pT_j2| over the jets present
    - ``DER_sum_pt``: pT_tau + pT_lep + PRI_jet_all_pt
    - ``DER_pt_ratio_lep_tau``: pT_lep / pT_tau
    - ``DER_met_phi_centrality``: phi centrality of the MET between the lepton and the tau
    - ``DER_lep_eta_centrality``: eta centrality of the lepton between the two jets (2+ jets)

    ``DER_mass_MMC`` (ATLAS's likelihood-based di-tau mass) cannot be recomputed from the file; with
    ``mass_mmc_estimate=True`` it is replaced by the collinear-approximation mass
    (:func:`hepclf.features.kinematics.collinear_mass`, NaN where that fails).

    All of them come from one fused, multi-threaded pass over the events (:func:`_der_features`),
    each from the one scalar formula of :mod:`hepclf.features.kinematics` that the array kernels
    of the same names also use.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame, a PRI_ column is not numeric (the message gives the first
        cell that is not a number), ``mass_mmc_estimate`` is not a bool.
    ValueError
        ``frame`` has no rows, lacks a PRI_ column or names a column twice; a PRI_ value is
        infinite; ``PRI_jet_num`` is not a whole number >= 0; the tau, lepton, MET or a jet that
        ``PRI_jet_num`` counts is missing (NaN or -999). The message names the column and row.
    """
    check_flag(mass_mmc_estimate, "mass_mmc_estimate")
    events = HiggsEvents(frame)
    names = [*(["DER_mass_MMC"] if mass_mmc_estimate else []), *DER_NAMES]
    # one contiguous row per column of the result; allocated by NumPy for huge pages
    values = np.empty((len(names), len(frame)))
    _der_features(
        events.pt, events.eta, events.phi, events.met, events.met_phi, events.jet_all_pt, values
    )
    return pd.DataFrame(values.T, columns=names, index=frame.index, copy=False)


#: The DER_ columns :func:`der_from_pri` recomputes, in the order :func:`_der_features` writes them.
DER_NAMES = DER_COLUMNS[1:]  # every DER_ column but DER_mass_MMC, in file order


@njit(cache=True, parallel=True, error_model="numpy")
def _der_features(pt, eta, phi, met, met_phi, jet_all_pt, out):  # pragma: no cover
    """Write the DER_ columns of every event into the rows of ``out`` (``DER_NAMES`` order,
    preceded by the collinear mass when ``out`` has one row more), in one pass over the events.

    Objects are (tau, lepton, leading jet, subleading jet) as packed by :class:`HiggsEvents`;
    the vector sums skip absent objects (NaN pt) and add in the order tau, lepton, jets, MET.
    """
    first = out.shape[0] - len(DER_NAMES)
    for i in prange(pt.shape[0]):
        if first:
            out[0, i] = kin._scalar_collinear_mass(
                pt[i, 0], eta[i, 0], phi[i, 0], pt[i, 1], eta[i, 1], phi[i, 1], met[i], met_phi[i]
            )
        px_h, py_h = 0.0, 0.0  # the tau-lepton system, then with the MET: the Higgs candidate
        for k in range(2):
            px_h, py_h = kin._add_transverse_momentum(px_h, py_h, pt[i, k], phi[i, k])
        px_tot, py_tot = px_h, py_h  # the tau-lepton system, the jets, then the MET
        for k in range(2, 4):
            px_tot, py_tot = kin._add_transverse_momentum(px_tot, py_tot, pt[i, k], phi[i, k])
        if not math.isnan(met[i]):
            px_met, py_met, _ = kin._cartesian_momentum(
                met[i], math.cos(met_phi[i]), math.sin(met_phi[i]), 0.0
            )
            px_h, py_h, px_tot, py_tot = (
                px_h + px_met,
                py_h + py_met,
                px_tot + px_met,
                py_tot + py_met,
            )
        out[first, i] = kin._scalar_transverse_mass(pt[i, 1], phi[i, 1], met[i], met_phi[i])
        out[first + 1, i] = kin._scalar_invariant_mass_pair(
            pt[i, 0], eta[i, 0], phi[i, 0], pt[i, 1], eta[i, 1], phi[i, 1]
        )
        out[first + 2, i] = kin._scalar_transverse_momentum(px_h, py_h)
        out[first + 3, i] = abs(kin._scalar_delta_eta(eta[i, 2], eta[i, 3]))
        out[first + 4, i] = kin._scalar_invariant_mass_pair(
            pt[i, 2], eta[i, 2], phi[i, 2], pt[i, 3], eta[i, 3], phi[i, 3]
        )
        out[first + 5, i] = eta[i, 2] * eta[i, 3]
        out[first + 6, i] = kin._scalar_delta_r(eta[i, 0], phi[i, 0], eta[i, 1], phi[i, 1])
        out[first + 7, i] = kin._scalar_transverse_momentum(px_tot, py_tot)
        out[first + 8, i] = pt[i, 0] + pt[i, 1] + jet_all_pt[i]
        out[first + 9, i] = pt[i, 1] / pt[i, 0]
        out[first + 10, i] = kin._scalar_phi_centrality(met_phi[i], phi[i, 1], phi[i, 0])
        out[first + 11, i] = kin._scalar_eta_centrality(eta[i, 1], eta[i, 2], eta[i, 3])
    return out


# ---------------------------------------------------------------------------------------------
# The seed solution's features, built in one fused, multi-threaded pass over the events.

_PAIRS = tuple((a, b) for i, a in enumerate(OBJECTS) for b in OBJECTS[i + 1 :])
_MET_ANGLE_OBJECTS = ("lep", "jet1", "jet2")  # tau-MET delta-phi was useless in the seed
_MET_MASS_OBJECTS = OBJECTS


def _feature_names() -> list[str]:
    """Column names in the order the fused kernel writes them (same loops as the kernel)."""
    names = []
    for a, b in _PAIRS:
        names += [f"abs_dphi_{a}_{b}", f"abs_deta_{a}_{b}", f"mass_{a}_{b}", f"mt_{a}_{b}"]
    names += [f"abs_dphi_{a}_met" for a in _MET_ANGLE_OBJECTS]
    names += [f"mt_{a}_met" for a in _MET_MASS_OBJECTS]
    for obj in OBJECTS:
        names += [f"px_{obj}", f"py_{obj}", f"pz_{obj}"]
    names += ["px_met", "py_met"]
    names += ["pz_tau_lep", "pz_jets", "pz_balance_jets_tau_lep"]
    names += [
        "pt_ratio_tau_lep",
        "pt_ratio_jet2_jet1",
        "pt_fraction_met",
        "pt_fraction_tau_lep",
        "pt_fraction_jets",
        "pt_min",
        "pt_max",
    ]
    return names


FEATURE_NAMES = tuple(_feature_names())
_N_PAIRS = len(_PAIRS)
_PAIR_A = np.array([OBJECTS.index(a) for a, _ in _PAIRS])
_PAIR_B = np.array([OBJECTS.index(b) for _, b in _PAIRS])
_MET_ANGLE_INDEX = np.array([OBJECTS.index(a) for a in _MET_ANGLE_OBJECTS])


#: Events per block of the fused builder: the block's half-angle functions stay in cache.
_BLOCK = 1024


@njit(cache=True, inline="always", error_model="numpy")
def _half_angle_functions(eta, phi, start, stop):
    """sin, cos of phi / 2 and sinh, cosh of eta / 2 of every object of events [start, stop).

    Every pair's half-angle differences follow by the addition theorems, and the full-angle
    functions by the double-angle formulas, so each event needs 4 libm calls per object instead
    of several per pair.
    """
    shape = (stop - start, phi.shape[1])
    sin_half = np.empty(shape)
    cos_half = np.empty(shape)
    sinh_half = np.empty(shape)
    cosh_half = np.empty(shape)
    for j in range(stop - start):
        for k in range(phi.shape[1]):
            sin_half[j, k] = math.sin(0.5 * phi[start + j, k])
            cos_half[j, k] = math.cos(0.5 * phi[start + j, k])
            sinh_half[j, k], cosh_half[j, k] = kin._sinh_cosh(0.5 * eta[start + j, k])
    return sin_half, cos_half, sinh_half, cosh_half


@njit(cache=True, parallel=True, error_model="numpy")
def _seed_features(pt, eta, phi, met, met_phi, jet_all_pt, pair_a, pair_b, met_angle_index, out):
    """Write every seed feature of every event into ``out`` (n_features, n_events).

    The events are processed in blocks of ``_BLOCK``, in parallel; each block first computes its
    objects' half-angle functions, then every feature of its events, one row of ``out`` each.
    """
    n_events, n_objects = pt.shape
    n_pairs = pair_a.size
    n_blocks = (n_events + _BLOCK - 1) // _BLOCK
    for block in prange(n_blocks):
        start = block * _BLOCK
        stop = min(start + _BLOCK, n_events)
        sin_h, cos_h, sinh_h, cosh_h = _half_angle_functions(eta, phi, start, stop)
        for i in range(start, stop):
            j = i - start
            col = 0
            for p in range(n_pairs):
                a = pair_a[p]
                b = pair_b[p]
                # sin((phi_a - phi_b) / 2), sinh((eta_a - eta_b) / 2) by the addition theorems
                sin_half_dphi = sin_h[j, a] * cos_h[j, b] - cos_h[j, a] * sin_h[j, b]
                sinh_half_deta = sinh_h[j, a] * cosh_h[j, b] - cosh_h[j, a] * sinh_h[j, b]
                out[col, i] = kin._scalar_abs_delta_phi(phi[i, a], phi[i, b])
                out[col + 1, i] = abs(kin._scalar_delta_eta(eta[i, a], eta[i, b]))
                out[col + 2, i] = kin._sqrt_clipped(
                    kin._pair_mass_squared(pt[i, a], pt[i, b], sinh_half_deta, sin_half_dphi)
                )
                out[col + 3, i] = kin._sqrt_clipped(
                    kin._pair_mass_squared(pt[i, a], pt[i, b], 0.0, sin_half_dphi)
                )
                col += 4
            sin_half_met = math.sin(0.5 * met_phi[i])
            cos_half_met = math.cos(0.5 * met_phi[i])
            for k in range(met_angle_index.size):
                out[col, i] = kin._scalar_abs_delta_phi(phi[i, met_angle_index[k]], met_phi[i])
                col += 1
            for k in range(n_objects):
                sin_half_dphi = sin_h[j, k] * cos_half_met - cos_h[j, k] * sin_half_met
                out[col, i] = kin._sqrt_clipped(
                    kin._pair_mass_squared(pt[i, k], met[i], 0.0, sin_half_dphi)
                )
                col += 1
            # cartesian momenta, the angle functions from the half-angle ones by the double-angle
            # formulas; and the longitudinal momenta of the tau-lepton system and of the jets
            pz_tau_lep = 0.0
            pz_jets = math.nan
            for k in range(n_objects):
                cos_phi, sin_phi = kin._cos_sin_from_halves(sin_h[j, k], cos_h[j, k])
                sinh_eta = kin._sinh_from_halves(sinh_h[j, k], cosh_h[j, k])
                p_x, p_y, p_z = kin._cartesian_momentum(pt[i, k], cos_phi, sin_phi, sinh_eta)
                out[col, i] = p_x
                out[col + 1, i] = p_y
                out[col + 2, i] = p_z
                col += 3
                if k < 2:
                    pz_tau_lep += p_z
                elif not math.isnan(p_z):
                    pz_jets = p_z if math.isnan(pz_jets) else pz_jets + p_z
            cos_met, sin_met = kin._cos_sin_from_halves(sin_half_met, cos_half_met)
            out[col, i], out[col + 1, i], _ = kin._cartesian_momentum(met[i], cos_met, sin_met, 0.0)
            col += 2
            out[col, i] = pz_tau_lep
            out[col + 1, i] = pz_jets
            scale = abs(pz_jets) + abs(pz_tau_lep)
            out[col + 2, i] = (pz_jets - pz_tau_lep) / scale if scale > 0.0 else math.nan
            col += 3
            # transverse-momentum ratios and extremes
            scalar_sum = pt[i, 0] + pt[i, 1] + jet_all_pt[i] + met[i]
            out[col, i] = pt[i, 0] / pt[i, 1]
            out[col + 1, i] = pt[i, 3] / pt[i, 2]
            out[col + 2, i] = met[i] / scalar_sum
            out[col + 3, i] = (pt[i, 0] + pt[i, 1]) / scalar_sum
            out[col + 4, i] = jet_all_pt[i] / scalar_sum
            low = math.inf
            high = -math.inf
            for k in range(n_objects):
                if not math.isnan(pt[i, k]):
                    low = min(low, pt[i, k])
                    high = max(high, pt[i, k])
            out[col + 5, i] = low
            out[col + 6, i] = high
    return out


def higgs_features(
    frame: pd.DataFrame,
    *,
    include_inputs: bool = True,
    drop_useless: bool = True,
    orient: bool = False,
) -> pd.DataFrame:
    """The physics features of the seed Higgs ML solution (see ``docs/features.md``).

    For every pair of visible objects (tau, lepton, leading and subleading jet): the opening
    angles |delta-phi| (wrapped) and |delta-eta|, the pseudo invariant mass and the transverse mass;
    for the MET: its opening angle to the lepton and jets and the transverse mass with each object;
    cartesian momenta; the longitudinal balance of the jets against the tau-lepton system;
    transverse-momentum ratios and fractions of the scalar sum; the minimum and maximum pT.

    Parameters
    ----------
    frame : DataFrame
        Events with the PRI_ columns (NaN or -999.0 for absent values). Not modified.
    include_inputs : bool
        Also return the input's DER_ and PRI_ columns (not EventId, weights, labels or sets).
    drop_useless : bool
        Leave out the raw phi columns (symmetric, so useless) and the tau and lepton eta.
    orient : bool
        Fix each event's orientation first (tau at phi = 0, lepton at phi >= 0, tau at eta >= 0):
        the cartesian momenta are then those of the oriented event, and the oriented phi and eta of
        the lepton, jets and MET are added. Rotation-invariant features are unchanged.

    Returns
    -------
    DataFrame
        One row per event, same index as ``frame``; absent objects give NaN.

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame, a PRI_ column (or, with ``include_inputs``, a DER_ column)
        is not numeric, or ``include_inputs``, ``drop_useless`` or ``orient`` is not a bool.
    ValueError
        ``frame`` has no rows, lacks a PRI_ column or names a column twice; a PRI_ value (or,
        with ``include_inputs``, a DER_ value) is infinite; ``PRI_jet_num`` is not a whole number
        >= 0; the tau, lepton, MET or a jet that ``PRI_jet_num`` counts is missing (NaN or -999).
    """
    for name, value in (("include_inputs", include_inputs), ("drop_useless", drop_useless),
                        ("orient", orient)):  # fmt: skip
        check_flag(value, name)
    events = HiggsEvents(frame)
    pt, eta, phi, met_phi = events.pt, events.eta, events.phi, events.met_phi
    oriented = {}
    if orient:
        all_phi = np.column_stack([phi, met_phi])
        all_eta = np.column_stack([eta, np.zeros_like(met_phi)])
        all_phi, all_eta = kin.orient_event(all_phi, all_eta, reference=0, flip_by=1, flip_z=True)
        phi, met_phi = np.ascontiguousarray(all_phi[:, :4]), np.ascontiguousarray(all_phi[:, 4])
        eta = np.ascontiguousarray(all_eta[:, :4])
        for k, obj in enumerate(OBJECTS):
            if obj != "tau":
                oriented[f"oriented_phi_{obj}"] = phi[:, k]
            oriented[f"oriented_eta_{obj}"] = eta[:, k]
        oriented["oriented_phi_met"] = met_phi
    keep = []
    if include_inputs:
        keep = [
            name
            for name in frame.columns
            if name.startswith(("DER_", "PRI_"))
            and not (drop_useless and name in USELESS_RAW_COLUMNS)
        ]
    # one contiguous row per column of the result, the inputs (sentinels as NaN, in the same pass
    # that copies them) then the features; allocated by NumPy for huge pages
    check_frame(frame, "frame", [name for name in keep if name not in PRI_COLUMNS])  # PRI_: above
    values = np.empty((len(keep) + len(FEATURE_NAMES), len(frame)))
    for row, name in enumerate(keep):
        column = _read_only_float_column(frame, name)
        if _copy_missing_as_nan(column, values[row]):
            _refuse_infinite({name: column}, frame.index)
    _seed_features(
        pt,
        eta,
        phi,
        events.met,
        met_phi,
        events.jet_all_pt,
        _PAIR_A,
        _PAIR_B,
        _MET_ANGLE_INDEX,
        values[len(keep) :],
    )
    columns = [*keep, *FEATURE_NAMES]
    features = pd.DataFrame(values.T, columns=columns, index=frame.index, copy=False)
    if oriented:
        return pd.concat([features, pd.DataFrame(oriented, index=frame.index)], axis=1)
    return features


def _describe_features() -> None:
    """Put every Higgs feature in the registry with its one-line physical meaning."""
    meaning = {
        "tau": "hadronic tau",
        "lep": "lepton",
        "jet1": "leading jet",
        "jet2": "subleading jet",
        "met": "missing transverse momentum",
    }
    for a, b in _PAIRS:
        pair = f"{meaning[a]} and {meaning[b]}"
        register("higgs", f"abs_dphi_{a}_{b}", f"transverse opening angle |delta-phi| of {pair}")
        register("higgs", f"abs_deta_{a}_{b}", f"longitudinal opening |delta-eta| of {pair}")
        register("higgs", f"mass_{a}_{b}", f"pseudo invariant mass (massless) of {pair}")
        register("higgs", f"mt_{a}_{b}", f"transverse mass of {pair}")
    for a in _MET_ANGLE_OBJECTS:
        register("higgs", f"abs_dphi_{a}_met", f"|delta-phi| of the {meaning[a]} and the MET")
    for a in _MET_MASS_OBJECTS:
        register("higgs", f"mt_{a}_met", f"transverse mass of the {meaning[a]} and the MET")
    for obj in (*OBJECTS, "met"):
        for axis in ("x", "y", "z") if obj != "met" else ("x", "y"):
            register("higgs", f"p{axis}_{obj}", f"cartesian p{axis} of the {meaning[obj]}")
    register("higgs", "pz_tau_lep", "longitudinal momentum of the tau-lepton system")
    register("higgs", "pz_jets", "longitudinal momentum of the reported jets (NaN with none)")
    register(
        "higgs",
        "pz_balance_jets_tau_lep",
        "(pz_jets - pz_tau_lep) / (|pz_jets| + |pz_tau_lep|): jets against the di-tau system",
    )
    register("higgs", "pt_ratio_tau_lep", "pT of the tau over pT of the lepton")
    register("higgs", "pt_ratio_jet2_jet1", "pT of the subleading over the leading jet")
    register("higgs", "pt_fraction_met", "MET over the scalar pT sum (tau, lepton, jets, MET)")
    register("higgs", "pt_fraction_tau_lep", "tau plus lepton pT over the scalar pT sum")
    register("higgs", "pt_fraction_jets", "all-jet pT over the scalar pT sum")
    register("higgs", "pt_min", "smallest pT among tau, lepton and reported jets")
    register("higgs", "pt_max", "largest pT among tau, lepton and reported jets")
    for obj in OBJECTS:
        if obj != "tau":
            register("higgs", f"oriented_phi_{obj}", f"phi of the {meaning[obj]}, oriented event")
        register("higgs", f"oriented_eta_{obj}", f"eta of the {meaning[obj]}, oriented event")
    register("higgs", "oriented_phi_met", "phi of the MET in the oriented event")


_describe_features()
