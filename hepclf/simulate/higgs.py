"""A toy Monte Carlo of the Higgs ML challenge in the exact Open Data schema.

Processes (lepton-hadron channel: one tau decays to a lepton and two neutrinos, the other to hadrons
and a neutrino):

- signal H(125) -> tau tau, gluon fusion (with initial-state jets) and vector-boson fusion (two
  forward jets with a large rapidity gap and a large dijet mass);
- Z -> tau tau (the irreducible background, a mass peak at 91 GeV);
- W + jets, W -> l nu, with a jet misidentified as the hadronic tau (no di-tau resonance, large
  transverse mass);
- top pairs, t -> W b with one W -> l nu and the other W -> tau nu, tau -> hadrons nu, plus b jets.

Simplified: taus decay collinearly (visible fraction drawn from the leptonic-decay spectrum or a
broad hadronic one), no spin correlations, no explicit pile-up, Gaussian resolutions (lepton 2 %,
hadronic tau 8 %, jets 10 %, MET 1.1 sqrt(sum ET) per component, wide enough to stand in for
pile-up), parton showers replaced by a jet multiplicity model with recoil against the boson.
Not modelled: QCD multijet fakes, jet masses
(DER_mass_jet_jet uses massless jets), the ATLAS MMC fit (``DER_mass_MMC`` is the true di-tau
(or lepton-neutrino-jet) mass smeared by 14 % with a 35 % tail in a quarter of the events,
undefined in 3 % of genuine di-tau events and 25 % of fakes, as the MMC fails more often on events
that are not di-tau). A few per cent of Z and W events get a VBF-like pair of forward jets, and
12 % of Z -> tau tau come from the Drell-Yan continuum above the peak.

Weights are expected event counts: each class sums to the HiggsML totals; the background total is
shared Z 45 %, W 45 %, top 10 %. KaggleSet splits t/b/v/u follow the real proportions with
KaggleWeight renormalised per set and class.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import numpy as np
import pandas as pd

from hepclf._utils import check_count, check_frame
from hepclf.datasets.writing import write_table
from hepclf.features import kinematics as kin
from hepclf.features.higgs import der_from_pri
from hepclf.metrics.ams import renormalise
from hepclf.progress import advance, task
from hepclf.schemas import (
    HIGGS_FEATURE_COLUMNS,
    HIGGS_TOTALS,
    KAGGLE_SET_SIZES,
    MISSING_SENTINEL,
    OPEN_DATA_COLUMNS,
)

TAU_MASS = 1.777
#: Share of the simulated (unweighted) events and of the expected weight of each process.
PROCESSES = {
    #          events, weight share within its class
    "ggH": (0.27, 0.87),
    "VBF": (0.07, 0.13),
    "Ztautau": (0.30, 0.45),
    "Wjets": (0.26, 0.45),
    "ttbar": (0.10, 0.10),
}
SIGNAL_PROCESSES = ("ggH", "VBF")
JET_PT_MIN = 30.0
JET_ETA_MAX = 4.5
TAU_PT_MIN, LEP_PT_MIN, ETA_MAX = 20.0, 26.0, 2.5
VBF_JET_PT, VBF_ETA_OFFSET = 40.0, 0.8
MMC_CORE, MMC_TAIL, MMC_TAIL_FRACTION = 0.14, 0.35, 0.25
MET_RESOLUTION = 1.1  # GeV^(1/2): sigma of each MET component is MET_RESOLUTION sqrt(sum ET)


class _FourMomenta(NamedTuple):
    """Four-momenta as component arrays (E, px, py, pz), one entry per event.

    A container only: every formula applied to it is a kernel of
    :mod:`hepclf.features.kinematics`. (Not ``+``: a tuple's ``+`` concatenates; see :func:`_sum`.)
    """

    e: np.ndarray
    px: np.ndarray
    py: np.ndarray
    pz: np.ndarray

    @classmethod
    def massless(cls, pt, eta, phi) -> _FourMomenta:
        px, py, pz, e = kin.cartesian(pt, eta, phi)
        return cls(e, px, py, pz)

    @classmethod
    def at_rapidity(cls, px, py, rapidity, mass) -> _FourMomenta:
        """An object of the given mass and transverse momentum at rapidity y: pz = m_T sinh y."""
        transverse_mass = kin.energy(px, py, 0.0, mass)  # sqrt(m^2 + pt^2): the energy at pz = 0
        pz = kin.momentum_z(transverse_mass, rapidity)
        return cls(kin.energy(px, py, pz, mass), px, py, pz)

    def scaled(self, factor) -> _FourMomenta:
        return _FourMomenta(*(component * factor for component in self))

    @property
    def pt(self) -> np.ndarray:
        return kin.transverse_momentum(self.px, self.py)

    @property
    def phi(self) -> np.ndarray:
        return kin.azimuth(self.px, self.py)

    @property
    def eta(self) -> np.ndarray:
        return kin.pseudorapidity(self.px, self.py, self.pz)

    @property
    def mass(self) -> np.ndarray:
        return kin.four_momentum_mass(*self)


def _sum(*vectors: _FourMomenta) -> _FourMomenta:
    """The total four-momentum (energy and momentum add component by component)."""
    return _FourMomenta(*(sum(components) for components in zip(*vectors, strict=True)))


def _two_body_decay(rng, parent: _FourMomenta, m1: float, m2: float):
    """Isotropic two-body decay in the parent's rest frame, boosted to the lab.

    Isotropic: cos theta = tanh(eta) uniform in (-1, 1), that is eta logistic with scale 1/2. The
    second daughter takes what the first leaves of the parent's four-momentum.
    """
    n = parent.e.size
    p_star = kin.two_body_momentum(parent.mass, m1, m2)
    eta = rng.logistic(0.0, 0.5, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    # the direction: a massless object's momentum over its energy |p|
    *direction, length = kin.cartesian(np.ones(n), eta, phi)
    px, py, pz = (p_star * component / length for component in direction)
    at_rest = _FourMomenta(kin.energy(px, py, pz, m1), px, py, pz)
    velocity = (parent.px / parent.e, parent.py / parent.e, parent.pz / parent.e)  # beta = p / E
    first = _FourMomenta(*kin.boost(*at_rest, *velocity))
    return first, _sum(parent, first.scaled(-1.0))


def _breit_wigner(rng, n, mass, width, low, high):
    values = mass + 0.5 * width * np.tan(np.pi * (rng.uniform(0, 1, n) - 0.5))
    bad = (values < low) | (values > high)
    while bad.any():
        values[bad] = mass + 0.5 * width * np.tan(np.pi * (rng.uniform(0, 1, bad.sum()) - 0.5))
        bad = (values < low) | (values > high)
    return values


def _leptonic_fraction(rng, n):
    """Visible energy fraction of tau -> l nu nu, density (5/3 - 3x^2 + 4/3 x^3) on [0, 1]."""
    out = np.empty(n)
    filled = 0
    while filled < n:
        x = rng.uniform(0, 1, 2 * (n - filled))
        keep = x[rng.uniform(0, 5 / 3, x.size) < 5 / 3 - 3 * x**2 + 4 / 3 * x**3]
        take = min(keep.size, n - filled)
        out[filled : filled + take] = keep[:take]
        filled += take
    return out


def _jets(rng, n, mean_extra, vbf=False, forward_fraction=0.0):
    """Jets as (pt, eta, phi) arrays of shape (n, 4) (NaN where absent).

    ``mean_extra`` is the mean number of radiated jets; ``vbf`` adds two tagging jets in opposite
    forward regions; ``forward_fraction`` gives that fraction of events a VBF-like pair of jets
    too (electroweak and QCD production of bosons with two jets), so that the forward-jet topology
    is not a signal-only signature.
    """
    pt = np.full((n, 4), np.nan)
    eta = np.full((n, 4), np.nan)
    phi = np.full((n, 4), np.nan)
    count = np.minimum(rng.poisson(mean_extra, n), 4)
    for k in range(4):
        present = count > k
        m = present.sum()
        pt[present, k] = JET_PT_MIN * rng.pareto(2.2, m) + JET_PT_MIN * rng.uniform(0.6, 1.2, m)
        eta[present, k] = rng.normal(0, 1.8, m)
        phi[present, k] = rng.uniform(-np.pi, np.pi, m)
    tagged = np.ones(n, bool) if vbf else rng.uniform(0, 1, n) < forward_fraction
    m = int(tagged.sum())
    hemisphere = rng.choice([-1.0, 1.0], m)
    for k, sign in ((0, 1.0), (1, -1.0)):
        pt[tagged, k] = 25.0 + rng.exponential(VBF_JET_PT, m)
        eta[tagged, k] = sign * hemisphere * (VBF_ETA_OFFSET + np.abs(rng.normal(0, 1.3, m)))
        phi[tagged, k] = rng.uniform(-np.pi, np.pi, m)
    return pt, eta, phi


def _boson(rng, n, mass, jets, soft=8.0, rapidity_width=1.6):
    """A boson of the given masses recoiling against the jets (plus soft radiation)."""
    jx, jy = kin.transverse_momentum_sum(jets[0], jets[2])
    px = -jx + rng.normal(0, soft, n)
    py = -jy + rng.normal(0, soft, n)
    y = rng.normal(0, rapidity_width, n)
    return _FourMomenta.at_rapidity(px, py, y, mass)


def _di_tau_events(rng, n, mass, jets):
    """Resonance -> tau tau -> (l nu nu)(had nu): visible lepton, visible tau, neutrinos."""
    boson = _boson(rng, n, mass, jets)
    tau_a, tau_b = _two_body_decay(rng, boson, TAU_MASS, TAU_MASS)
    swap = rng.uniform(0, 1, n) < 0.5  # which tau decays leptonically
    lep_tau = _FourMomenta(*(np.where(swap, a, b) for a, b in zip(tau_a, tau_b, strict=True)))
    had_tau = _FourMomenta(*(np.where(swap, b, a) for a, b in zip(tau_a, tau_b, strict=True)))
    x_lep = _leptonic_fraction(rng, n)
    x_had = np.clip(rng.beta(1.6, 1.1, n), 0.05, 1.0)
    lepton = lep_tau.scaled(x_lep)
    tau_visible = had_tau.scaled(x_had)
    neutrinos = _sum(lep_tau.scaled(1 - x_lep), had_tau.scaled(1 - x_had))
    return lepton, tau_visible, neutrinos, boson.mass


def _w_jets_events(rng, n, jets):
    """W -> l nu with the leading extra jet misidentified as the hadronic tau."""
    w = _boson(rng, n, _breit_wigner(rng, n, 80.4, 2.1, 50, 200), jets)
    lepton, neutrino = _two_body_decay(rng, w, 0.0, 0.0)
    fake_pt = 20.0 * rng.pareto(2.6, n) + rng.uniform(14, 24, n)
    fake = _FourMomenta.massless(fake_pt, rng.normal(0, 1.2, n), rng.uniform(-np.pi, np.pi, n))
    # the fake tau recoils against the W too: rebalance the soft recoil
    return lepton, fake, neutrino, _sum(lepton, neutrino, fake).mass


def _ttbar_events(rng, n):
    """t tbar -> (b l nu)(b tau nu), tau -> had nu; b jets returned as jets."""
    m_tt = 346 + rng.gamma(2.0, 60.0, n)
    pt = rng.exponential(40.0, n)
    phi = rng.uniform(-np.pi, np.pi, n)
    y = rng.normal(0, 1.0, n)
    system = _FourMomenta.at_rapidity(kin.momentum_x(pt, phi), kin.momentum_y(pt, phi), y, m_tt)
    top1, top2 = _two_body_decay(rng, system, 172.5, 172.5)
    w1, b1 = _two_body_decay(rng, top1, 80.4, 4.8)
    w2, b2 = _two_body_decay(rng, top2, 80.4, 4.8)
    lepton, nu1 = _two_body_decay(rng, w1, 0.0, 0.0)
    tau, nu2 = _two_body_decay(rng, w2, TAU_MASS, 0.0)
    x_had = np.clip(rng.beta(1.6, 1.1, n), 0.05, 1.0)
    tau_visible = tau.scaled(x_had)
    neutrinos = _sum(nu1, nu2, tau.scaled(1 - x_had))
    jets = np.full((n, 4), np.nan), np.full((n, 4), np.nan), np.full((n, 4), np.nan)
    for k, b in enumerate((b1, b2)):
        jets[0][:, k], jets[1][:, k], jets[2][:, k] = b.pt, b.eta, b.phi
    extra = _jets(rng, n, 0.6)
    for k in range(2):
        for part in range(3):
            jets[part][:, 2 + k] = extra[part][:, k]
    return lepton, tau_visible, neutrinos, _sum(lepton, tau_visible, neutrinos).mass, jets


def _generate(rng, process: str, n: int) -> pd.DataFrame:
    if process == "ggH":
        jets = _jets(rng, n, 0.9)
        lepton, tau, neutrinos, true_mass = _di_tau_events(rng, n, np.full(n, 125.0), jets)
    elif process == "VBF":
        jets = _jets(rng, n, 0.3, vbf=True)
        lepton, tau, neutrinos, true_mass = _di_tau_events(rng, n, np.full(n, 125.0), jets)
    elif process == "Ztautau":
        jets = _jets(rng, n, 0.5, forward_fraction=0.06)
        mass = _breit_wigner(rng, n, 91.19, 2.495, 60, 250)
        continuum = rng.uniform(0, 1, n) < 0.12  # Drell-Yan continuum above the peak
        mass[continuum] = 70.0 + rng.exponential(45.0, continuum.sum())
        lepton, tau, neutrinos, true_mass = _di_tau_events(rng, n, mass, jets)
    elif process == "Wjets":
        jets = _jets(rng, n, 0.65, forward_fraction=0.06)
        lepton, tau, neutrinos, true_mass = _w_jets_events(rng, n, jets)
    else:
        lepton, tau, neutrinos, true_mass, jets = _ttbar_events(rng, n)
    return _detector(rng, process, lepton, tau, neutrinos, true_mass, jets)


def _detector(rng, process, lepton, tau, neutrinos, true_mass, jets) -> pd.DataFrame:
    n = lepton.e.size
    lep_pt = lepton.pt * rng.normal(1, 0.02, n)
    tau_pt = tau.pt * rng.normal(1, 0.08, n)
    jet_pt, jet_eta, jet_phi = (array.copy() for array in jets)
    jet_pt *= rng.normal(1, 0.10, jet_pt.shape)
    reconstructed = (jet_pt > JET_PT_MIN) & (np.abs(jet_eta) < JET_ETA_MAX)
    jet_pt = np.where(reconstructed, jet_pt, np.nan)
    order = np.argsort(-np.nan_to_num(jet_pt, nan=-1.0), axis=1)
    jet_pt, jet_eta, jet_phi = (
        np.take_along_axis(a, order, axis=1) for a in (jet_pt, jet_eta, jet_phi)
    )
    jet_eta = np.where(np.isnan(jet_pt), np.nan, jet_eta)
    jet_phi = np.where(np.isnan(jet_pt), np.nan, jet_phi)
    jet_num = np.sum(~np.isnan(jet_pt), axis=1)
    jet_all = np.nansum(jet_pt, axis=1)
    underlying = rng.gamma(3.0, 25.0, n)
    sumet = lep_pt + tau_pt + jet_all + underlying
    met_resolution = MET_RESOLUTION * np.sqrt(sumet)
    met_x = neutrinos.px + rng.normal(0, 1, n) * met_resolution
    met_y = neutrinos.py + rng.normal(0, 1, n) * met_resolution
    genuine = process != "Wjets"
    failed = rng.uniform(0, 1, n) < (0.03 if genuine else 0.25)
    resolution = np.where(rng.uniform(0, 1, n) < MMC_TAIL_FRACTION, MMC_TAIL, MMC_CORE)
    mmc = np.where(failed, np.nan, true_mass * np.abs(rng.normal(1, resolution)))
    frame = pd.DataFrame(
        {
            "PRI_tau_pt": tau_pt,
            "PRI_tau_eta": tau.eta,
            "PRI_tau_phi": tau.phi,
            "PRI_lep_pt": lep_pt,
            "PRI_lep_eta": lepton.eta,
            "PRI_lep_phi": lepton.phi,
            "PRI_met": kin.transverse_momentum(met_x, met_y),
            "PRI_met_phi": kin.azimuth(met_x, met_y),
            "PRI_met_sumet": sumet,
            "PRI_jet_num": np.minimum(jet_num, 3),
            "PRI_jet_leading_pt": jet_pt[:, 0],
            "PRI_jet_leading_eta": jet_eta[:, 0],
            "PRI_jet_leading_phi": jet_phi[:, 0],
            "PRI_jet_subleading_pt": jet_pt[:, 1],
            "PRI_jet_subleading_eta": jet_eta[:, 1],
            "PRI_jet_subleading_phi": jet_phi[:, 1],
            "PRI_jet_all_pt": jet_all,
            "DER_mass_MMC": mmc,
        }
    )
    accepted = (
        (tau_pt > TAU_PT_MIN)
        & (lep_pt > LEP_PT_MIN)
        & (np.abs(frame["PRI_tau_eta"]) < ETA_MAX)
        & (np.abs(frame["PRI_lep_eta"]) < ETA_MAX)
    )
    frame["process"] = process
    return frame.loc[accepted.to_numpy()].reset_index(drop=True)


def simulate_higgs(n_events: int = 100_000, seed: int = 0) -> pd.DataFrame:
    """Simulated Higgs ML events in the Open Data schema (as :func:`load_higgs` returns them).

    Parameters
    ----------
    n_events : int
        Number of events (after the acceptance cuts), at least 100.
    seed : int
        Seed of the random generator: the same seed gives the same events.

    Returns
    -------
    DataFrame
        The 35 Open Data columns (NaN for undefined values, 3 decimals as in the real file) plus
        ``process`` (ggH, VBF, Ztautau, Wjets, ttbar), which the real file does not have.

    Raises
    ------
    ValueError
        ``n_events`` is not a whole number >= 100 or ``seed`` not a whole number >= 0 (booleans,
        floats and strings are refused as well).
    """
    check_count(n_events, "n_events", 100)
    rng = np.random.default_rng(check_count(seed, "seed", 0))
    parts = []
    with task("simulating Higgs ML events", total=n_events, unit="events"):
        for process, (share, _) in PROCESSES.items():
            wanted = int(round(share * n_events))
            if process == "ttbar":
                wanted = n_events - sum(len(p) for p in parts)
            events = []
            have = 0
            while have < wanted:
                batch = _generate(rng, process, int(1.6 * (wanted - have)) + 100)
                events.append(batch)
                have += len(batch)
            parts.append(pd.concat(events, ignore_index=True).iloc[:wanted])
            advance(wanted)
        frame = pd.concat(parts, ignore_index=True)
        frame = frame.iloc[rng.permutation(len(frame))].reset_index(drop=True)
        return _finish(rng, frame)


def _finish(rng, frame: pd.DataFrame) -> pd.DataFrame:
    primitive = [c for c in HIGGS_FEATURE_COLUMNS if c.startswith("PRI_") and c != "PRI_jet_num"]
    frame[primitive] = frame[primitive].round(3)
    frame["PRI_jet_num"] = frame["PRI_jet_num"].astype(np.int64)
    derived = der_from_pri(frame)
    for column in derived:
        frame[column] = derived[column].round(3)
    frame["DER_mass_MMC"] = frame["DER_mass_MMC"].round(3)
    signal = frame["process"].isin(SIGNAL_PROCESSES).to_numpy()
    frame["Label"] = np.where(signal, "s", "b")
    weight = np.empty(len(frame))
    for process, (_, share) in PROCESSES.items():
        chosen = (frame["process"] == process).to_numpy()
        total = HIGGS_TOTALS.signal if process in SIGNAL_PROCESSES else HIGGS_TOTALS.background
        weight[chosen] = share * total / max(chosen.sum(), 1) * rng.uniform(0.8, 1.2, chosen.sum())
    frame["Weight"] = renormalise(signal.astype(int), weight)
    sizes = np.array(list(KAGGLE_SET_SIZES.values()), dtype=float)
    frame["KaggleSet"] = rng.choice(list(KAGGLE_SET_SIZES), len(frame), p=sizes / sizes.sum())
    frame["KaggleWeight"] = 0.0
    for code in KAGGLE_SET_SIZES:
        in_set = (frame["KaggleSet"] == code).to_numpy()
        labels = signal[in_set].astype(int)
        if in_set.any() and 0 < labels.sum() < labels.size:
            frame.loc[in_set, "KaggleWeight"] = renormalise(labels, frame["Weight"][in_set])
    frame["EventId"] = np.arange(100_000, 100_000 + len(frame))
    return frame[[*OPEN_DATA_COLUMNS, "process"]]


def write_higgs_csv(frame: pd.DataFrame, path) -> Path:
    """Write events in the real file format: Open Data columns only, -999.0 for undefined values
    (gzip when ``path`` ends with .gz; written whole or not at all, see
    :func:`hepclf.datasets.write_table`). Returns the path.

    Floats are written in their shortest form that reads back to the same double, so
    :func:`hepclf.datasets.load_higgs` returns the frame's values bit for bit (a file with fewer
    events than the full 818,238 reads with ``partial=True``).

    Raises
    ------
    TypeError
        ``frame`` is not a DataFrame.
    ValueError
        ``frame`` lacks an Open Data column, names one twice, or has no events; ``path`` has a
        suffix other than .csv / .csv.gz or its folder does not exist.
    """
    check_frame(frame, "frame", OPEN_DATA_COLUMNS[:-3])
    columns = [c for c in OPEN_DATA_COLUMNS if c in frame]
    return write_table(frame[columns].fillna(MISSING_SENTINEL), path, float_format=None)
