"""Higgs features on the real ATLAS sample: DER_ columns recomputed from PRI_, seed features."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hepclf.features import der_from_pri, feature_registry, higgs_features
from hepclf.features.higgs import FEATURE_NAMES
from hepclf.schemas import DER_COLUMNS, PRI_COLUMNS

ROUNDING = 0.0005  # the file gives every value to 3 decimals: half a unit of the last digit
PERTURBED = [c for c in PRI_COLUMNS if c != "PRI_jet_num"]
#: Every DER_ column except the three that cannot be exact, each tested on its own below: the MMC
#: mass (a likelihood fit), and the visible and jet-jet masses (they need the objects' masses).
EXACT_COLUMNS = [
    c for c in DER_COLUMNS if c not in ("DER_mass_MMC", "DER_mass_vis", "DER_mass_jet_jet")
]


@pytest.fixture(scope="module")
def atlas(higgs_raw):
    return higgs_raw.replace(-999.0, np.nan)


@pytest.fixture(scope="module")
def recomputed_with_bound(atlas):
    """der_from_pri and, per event, the error that the 3-decimal rounding of the inputs allows.

    Each PRI input is moved by half a unit of its last digit either way; the larger change of each
    DER value is summed over the inputs, and the rounding of the DER value itself is added. Secants
    rather than derivatives, so kinks (|delta-eta| at 0, a transverse mass at delta-phi = 0, a
    vector sum near 0) are covered.
    """
    ours = der_from_pri(atlas)
    propagated = pd.DataFrame(0.0, index=ours.index, columns=ours.columns)
    for column in PERTURBED:
        up, down = atlas.copy(), atlas.copy()
        up[column] += ROUNDING
        down[column] -= ROUNDING
        change_up = (der_from_pri(up) - ours).abs()
        change_down = (der_from_pri(down) - ours).abs()
        propagated += np.maximum(change_up, change_down).fillna(0.0)
    return ours, propagated + ROUNDING


@pytest.mark.parametrize("column", EXACT_COLUMNS)
def test_der_columns_reproduced_within_input_rounding(atlas, recomputed_with_bound, column):
    ours, bound = recomputed_with_bound
    reference = atlas[column].to_numpy()
    got = ours[column].to_numpy()
    # NaN exactly where ATLAS has -999
    np.testing.assert_array_equal(np.isnan(got), np.isnan(reference))
    defined = ~np.isnan(reference)
    error = np.abs(got - reference)[defined]
    allowed = 1.05 * bound[column].to_numpy()[defined] + 1e-9
    outside = error > allowed
    if column == "DER_met_phi_centrality":
        # The centrality takes the sign of sin(phi_tau - phi_lep); for nearly collinear tau and
        # lepton the rounding of the phis can flip that sign, a discontinuity no first-order bound
        # covers. Those events (|sin| below the rounding of the two phis) are the only exceptions.
        sin_gap = np.abs(np.sin(atlas["PRI_tau_phi"] - atlas["PRI_lep_phi"]).to_numpy()[defined])
        assert np.all(sin_gap[outside] < 2 * ROUNDING)
        assert outside.mean() < 0.001
    else:
        assert not outside.any(), f"{outside.sum()} events outside the rounding bound"


def test_visible_mass_differs_only_by_the_tau_visible_mass(atlas, recomputed_with_bound):
    """ATLAS's DER_mass_vis uses the hadronic tau's visible mass, a per-event number the file does
    not give, so the massless value cannot match to the rounding bound everywhere. Agreement
    reached: median |difference| below 0.02 GeV, 99 % of events within 0.1 GeV, ours lower for most
    events; and giving the tau a typical visible mass (0.8 GeV) brings most outliers inside the
    bound, which confirms the explanation."""
    from hepclf.features import kinematics as kin

    ours, bound = recomputed_with_bound
    reference = atlas["DER_mass_vis"].to_numpy()
    difference = ours["DER_mass_vis"].to_numpy() - reference
    assert np.median(np.abs(difference)) < 0.02
    assert np.quantile(np.abs(difference), 0.99) < 0.1
    assert np.mean(difference < 0) > 0.6
    columns = [["PRI_tau_pt", "PRI_lep_pt"], ["PRI_tau_eta", "PRI_lep_eta"]]
    columns += [["PRI_tau_phi", "PRI_lep_phi"]]
    pt, eta, phi = (atlas[c].to_numpy() for c in columns)
    masses = np.column_stack([np.full(len(atlas), 0.8), np.zeros(len(atlas))])
    with_tau_mass = kin.invariant_mass(pt, eta, phi, masses)
    allowed = 1.05 * bound["DER_mass_vis"].to_numpy()
    outside_massless = np.sum(np.abs(difference) > allowed)
    outside_massive = np.sum(np.abs(with_tau_mass - reference) > allowed)
    assert outside_massive < outside_massless / 3


def test_jet_jet_mass_is_the_massless_lower_value(atlas, recomputed_with_bound):
    """ATLAS computed DER_mass_jet_jet with the jets' masses, which the file does not give.

    Massless jets give a smaller mass (the masses add to m^2); agreement reached: never above
    ATLAS by more than the rounding bound, median deficit below 1 %, 99 % of events within 16 %.
    """
    ours, bound = recomputed_with_bound
    reference = atlas["DER_mass_jet_jet"].to_numpy()
    got = ours["DER_mass_jet_jet"].to_numpy()
    np.testing.assert_array_equal(np.isnan(got), np.isnan(reference))
    defined = ~np.isnan(reference)
    assert np.all(
        got[defined] <= reference[defined] + bound["DER_mass_jet_jet"].to_numpy()[defined]
    )
    deficit = (reference - got)[defined] / reference[defined]
    assert np.median(deficit) < 0.01
    assert np.quantile(deficit, 0.99) < 0.16


def test_collinear_mass_estimate_tracks_mmc_for_signal(atlas):
    """DER_mass_MMC is ATLAS's likelihood fit and cannot be recomputed; the collinear estimate is
    defined for fewer events and is a cruder di-tau mass, but for signal it peaks near 125 GeV."""
    estimate = der_from_pri(atlas, mass_mmc_estimate=True)["DER_mass_MMC"]
    signal = (atlas["Label"] == "s").to_numpy()
    assert 100 < np.nanmedian(estimate[signal]) < 150
    assert np.nanmedian(estimate[signal]) > np.nanmedian(estimate[~signal])


def test_higgs_features_on_real_sample(higgs_raw, atlas):
    before = higgs_raw.copy()
    features = higgs_features(higgs_raw)
    pd.testing.assert_frame_equal(higgs_raw, before)  # the input is never mutated
    assert len(features) == len(higgs_raw)
    assert not (features == -999.0).any().any()
    jets = higgs_raw["PRI_jet_num"].to_numpy()
    # NaN exactly where the objects are absent
    assert np.array_equal(np.isnan(features["mass_jet1_jet2"]), jets < 2)
    assert np.array_equal(np.isnan(features["abs_dphi_tau_jet1"]), jets < 1)
    assert np.array_equal(np.isnan(features["pz_jets"]), jets < 1)
    assert not features["mass_tau_lep"].isna().any()
    # the same column from the raw (-999) and the cleaned (NaN) frame
    pd.testing.assert_frame_equal(features, higgs_features(atlas))
    # useless raw columns are dropped, jet eta kept
    assert "PRI_tau_phi" not in features and "PRI_jet_leading_eta" in features
    assert "PRI_tau_phi" in higgs_features(higgs_raw, drop_useless=False)
    assert list(higgs_features(higgs_raw, include_inputs=False).columns) == list(FEATURE_NAMES)


def test_higgs_features_by_hand_for_first_event(higgs_raw):
    event = higgs_raw.iloc[[0]]
    f = higgs_features(event, include_inputs=False).iloc[0]
    e = event.iloc[0]
    dphi = abs(e.PRI_tau_phi - e.PRI_lep_phi)
    dphi = min(dphi, 2 * math.pi - dphi)
    deta = abs(e.PRI_tau_eta - e.PRI_lep_eta)
    assert f.abs_dphi_tau_lep == pytest.approx(dphi, abs=1e-12)
    assert f.mass_tau_lep == pytest.approx(
        math.sqrt(2 * e.PRI_tau_pt * e.PRI_lep_pt * (math.cosh(deta) - math.cos(dphi))), rel=1e-12
    )
    assert f.pz_jet1 == pytest.approx(e.PRI_jet_leading_pt * math.sinh(e.PRI_jet_leading_eta))
    total = e.PRI_tau_pt + e.PRI_lep_pt + e.PRI_jet_all_pt + e.PRI_met
    assert f.pt_fraction_met == pytest.approx(e.PRI_met / total)
    pts = [e.PRI_tau_pt, e.PRI_lep_pt, e.PRI_jet_leading_pt, e.PRI_jet_subleading_pt]
    assert (f.pt_min, f.pt_max) == (min(pts), max(pts))
    assert f.mt_lep_met == pytest.approx(e.DER_mass_transverse_met_lep, abs=0.01)


def test_orientation_keeps_rotation_invariant_features(higgs_raw):
    plain = higgs_features(higgs_raw, include_inputs=False)
    oriented = higgs_features(higgs_raw, include_inputs=False, orient=True)
    invariant = [c for c in plain.columns if not c.startswith(("px_", "py_", "pz_"))]
    pd.testing.assert_frame_equal(oriented[invariant], plain[invariant], rtol=1e-12, atol=1e-9)
    assert (oriented["oriented_phi_lep"] >= 0).all()
    assert (oriented["oriented_eta_tau"] >= 0).all()
    # momenta change with the frame but their transverse length does not
    np.testing.assert_allclose(
        np.hypot(oriented.px_lep, oriented.py_lep), np.hypot(plain.px_lep, plain.py_lep)
    )


def test_registry_describes_every_feature(higgs_raw):
    registered = set(feature_registry("higgs")["feature"])
    built = higgs_features(higgs_raw.head(50), include_inputs=False, orient=True).columns
    assert set(built) <= registered
    with pytest.raises(ValueError, match="group must be one of"):
        feature_registry("nope")


def test_bad_frames_are_rejected(higgs_raw):
    with pytest.raises(ValueError, match="missing required column\\(s\\): PRI_tau_pt, PRI_met"):
        higgs_features(higgs_raw.drop(columns=["PRI_met", "PRI_tau_pt"]))
    with pytest.raises(ValueError, match="no events"):
        der_from_pri(higgs_raw.head(0))
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        higgs_features(higgs_raw.to_numpy())
    for jet_num in (1.5, -1.0, np.nan):
        bad = higgs_raw.head(10).astype({"PRI_jet_num": float})
        bad.loc[bad.index[3], "PRI_jet_num"] = jet_num
        with pytest.raises(ValueError, match="PRI_jet_num must hold whole numbers"):
            higgs_features(bad)
    for column in ("PRI_met", "PRI_jet_subleading_eta", "PRI_jet_num"):
        bad = higgs_raw.head(3000).astype({"PRI_jet_num": float})
        bad.loc[bad.index[2500], column] = -np.inf
        with pytest.raises(ValueError, match=f"column {column} has 1 infinite value.*row 2500"):
            higgs_features(bad)


def test_fused_builder_agrees_with_the_array_kernels(atlas):
    """The fused pass gets each pair's angles from per-object half-angle functions (addition
    theorems); the ufuncs compute them directly. Both must agree to near machine precision."""
    from hepclf.features import kinematics as kin
    from hepclf.features.higgs import _PAIRS, _PREFIX

    features = higgs_features(atlas, include_inputs=False)
    jets = atlas["PRI_jet_num"].to_numpy()

    def obj(name):
        present = {"jet1": jets >= 1, "jet2": jets >= 2}.get(name, np.ones(jets.size, bool))
        columns = (atlas[f"{_PREFIX[name]}_{part}"].to_numpy() for part in ("pt", "eta", "phi"))
        return tuple(np.where(present, c, np.nan) for c in columns)

    for a, b in _PAIRS:
        (pt1, eta1, phi1), (pt2, eta2, phi2) = obj(a), obj(b)
        np.testing.assert_allclose(
            features[f"mass_{a}_{b}"],
            kin.invariant_mass_pair(pt1, eta1, phi1, pt2, eta2, phi2),
            rtol=1e-12,
            atol=1e-12,
        )
        np.testing.assert_allclose(
            features[f"mt_{a}_{b}"],
            kin.transverse_mass(pt1, phi1, pt2, phi2),
            rtol=1e-12,
            atol=1e-12,
        )
    for name in _PREFIX:
        px, py, pz, _ = kin.cartesian(*(obj(name)[i] for i in (0, 1, 2)))
        for axis, expected in (("x", px), ("y", py), ("z", pz)):
            np.testing.assert_allclose(
                features[f"p{axis}_{name}"], expected, rtol=1e-13, atol=1e-12
            )
    pt, _, phi = obj("lep")
    np.testing.assert_allclose(
        features["mt_lep_met"],
        kin.transverse_mass(pt, phi, atlas["PRI_met"].to_numpy(), atlas["PRI_met_phi"].to_numpy()),
        rtol=1e-12,
        atol=1e-12,
    )


def test_features_do_not_depend_on_threads_or_memory_layout(higgs_raw):
    """Events are independent: the same bits with 1 or 2 threads, and from a frame whose columns
    are strided views of one C-ordered block (copied to contiguous memory on the way in)."""
    import numba

    reference = higgs_features(higgs_raw, include_inputs=False)
    threads = numba.get_num_threads()
    numba.set_num_threads(1)
    try:
        single = higgs_features(higgs_raw, include_inputs=False)
    finally:
        numba.set_num_threads(threads)
    pd.testing.assert_frame_equal(single, reference, check_exact=True)
    columns = list(PRI_COLUMNS)
    block = np.ascontiguousarray(higgs_raw[columns].to_numpy(np.float64))
    strided = pd.DataFrame(block, columns=columns, index=higgs_raw.index, copy=False)
    assert not strided["PRI_tau_pt"].to_numpy().flags.c_contiguous
    pd.testing.assert_frame_equal(
        higgs_features(strided, include_inputs=False), reference, check_exact=True
    )


def test_docs_list_every_registered_feature_with_its_meaning():
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[1] / "docs" / "features.md").read_text()
    registry = feature_registry()
    assert set(registry["group"]) == {"higgs", "flavours"}
    undocumented = [
        row.feature
        for row in registry.itertuples()
        if f"| `{row.feature}` | {row.meaning} |" not in doc
    ]
    assert undocumented == []


def test_any_numeric_column_dtype_gives_the_float64_answer(higgs_raw):
    """float32 and integer columns (copied by pandas, unlike float64 views) are read alike."""
    mixed = higgs_raw[list(PRI_COLUMNS)].astype(np.float32)
    mixed["PRI_met"] = higgs_raw["PRI_met"].round().astype(np.int64)
    mixed["PRI_jet_num"] = higgs_raw["PRI_jet_num"].astype(np.int8)
    as_float64 = mixed.astype(np.float64)
    pd.testing.assert_frame_equal(
        higgs_features(mixed, include_inputs=False),
        higgs_features(as_float64, include_inputs=False),
        check_exact=True,
    )
    pd.testing.assert_frame_equal(der_from_pri(mixed), der_from_pri(as_float64), check_exact=True)
