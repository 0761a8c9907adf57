"""Bad input to the feature builders and the kinematics kernels, table-driven (see
``tests/bad_input.py``): each row a public call with one bad argument, the error it must raise and
the words of its message (the column, the first bad row)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hepclf.datasets import load_higgs_sample
from hepclf.features import (
    der_from_pri,
    feature_registry,
    flavours_features,
    higgs_features,
    model_columns,
)
from hepclf.features import kinematics as kin
from hepclf.simulate import simulate_flavours
from tests.bad_input import refusal_test

HIGGS = load_higgs_sample().iloc[:50].reset_index(drop=True)
FLAVOURS = simulate_flavours(0, training=50, check_agreement=0, check_correlation=0, test=0)[
    "training"
]
PT = np.array([[40.0, 30.0, np.nan], [50.0, 20.0, 10.0]])
ETA = np.array([[0.5, -1.0, 0.0], [1.5, 0.2, -2.0]])
PHI = np.array([[0.1, 2.0, 0.0], [-3.0, 1.0, 0.5]])


def _changed(frame, column, row, value):
    """``frame`` with one cell replaced (the column made float or object to hold it)."""
    changed = frame.copy()
    changed[column] = changed[column].astype(object if isinstance(value, str) else np.float64)
    changed.loc[changed.index[row], column] = value
    return changed


def _higgs_with(column, row, value, frame=HIGGS):
    return _changed(frame, column, row, value)


def _flavours_with(column, row, value):
    return _changed(FLAVOURS, column, row, value)


def _at(array, row, column, value):
    changed = array.copy()
    changed[row, column] = value
    return changed


HIGGS_CASES = {
    "higgs_features: not a frame": (
        lambda: higgs_features(HIGGS.to_numpy()),
        TypeError,
        ["frame", "DataFrame", "ndarray"],
    ),
    "higgs_features: no events": (
        lambda: higgs_features(HIGGS.iloc[:0]),
        ValueError,
        ["no events"],
    ),
    "higgs_features: a missing PRI_ column": (
        lambda: higgs_features(HIGGS.drop(columns="PRI_met")),
        ValueError,
        ["PRI_met"],
    ),
    "higgs_features: a column named twice": (
        lambda: higgs_features(pd.concat([HIGGS, HIGGS[["PRI_tau_pt"]]], axis=1)),
        ValueError,
        ["PRI_tau_pt", "more than once"],
    ),
    "higgs_features: inf in a PRI_ column": (
        lambda: higgs_features(_higgs_with("PRI_lep_eta", 7, np.inf)),
        ValueError,
        ["PRI_lep_eta", "row 7"],
    ),
    "higgs_features: inf in a DER_ column": (
        lambda: higgs_features(_higgs_with("DER_mass_vis", 9, -np.inf)),
        ValueError,
        ["DER_mass_vis", "row 9"],
    ),
    "higgs_features: NaN tau pt": (
        lambda: higgs_features(_higgs_with("PRI_tau_pt", 4, np.nan)),
        ValueError,
        ["PRI_tau_pt", "row 4", "always present"],
    ),
    "higgs_features: -999 lepton pt": (
        lambda: higgs_features(_higgs_with("PRI_lep_pt", 2, -999.0)),
        ValueError,
        ["PRI_lep_pt", "row 2"],
    ),
    "higgs_features: NaN MET": (
        lambda: higgs_features(_higgs_with("PRI_met", 3, np.nan)),
        ValueError,
        ["PRI_met", "row 3"],
    ),
    "higgs_features: jet count 1.5": (
        lambda: higgs_features(_higgs_with("PRI_jet_num", 6, 1.5)),
        ValueError,
        ["PRI_jet_num", "row 6"],
    ),
    "higgs_features: negative jet count": (
        lambda: higgs_features(_higgs_with("PRI_jet_num", 1, -1)),
        ValueError,
        ["PRI_jet_num", "row 1"],
    ),
    "higgs_features: a word in a PRI_ column": (
        lambda: higgs_features(_higgs_with("PRI_tau_eta", 0, "abc")),
        TypeError,
        ["PRI_tau_eta"],
    ),
    "higgs_features: include_inputs as a string": (
        lambda: higgs_features(HIGGS, include_inputs="no"),
        TypeError,
        ["include_inputs"],
    ),
    "higgs_features: orient as 1": (
        lambda: higgs_features(HIGGS, orient=1),
        TypeError,
        ["orient"],
    ),
    "higgs_features: drop_useless None": (
        lambda: higgs_features(HIGGS, drop_useless=None),
        TypeError,
        ["drop_useless"],
    ),
    "der_from_pri: mass_mmc_estimate as a string": (
        lambda: der_from_pri(HIGGS, mass_mmc_estimate="yes"),
        TypeError,
        ["mass_mmc_estimate"],
    ),
    "der_from_pri: inf in a PRI_ column": (
        lambda: der_from_pri(_higgs_with("PRI_jet_all_pt", 5, np.inf)),
        ValueError,
        ["PRI_jet_all_pt", "row 5"],
    ),
    "der_from_pri: not a frame": (lambda: der_from_pri(None), TypeError, ["frame"]),
}

FLAVOURS_CASES = {
    "flavours_features: its own output again": (
        lambda: flavours_features(flavours_features(FLAVOURS)),
        ValueError,
        ["already", "flight_dist_sig"],
    ),
    "flavours_features: NaN in an input": (
        lambda: flavours_features(_flavours_with("FlightDistance", 8, np.nan)),
        ValueError,
        ["FlightDistance", "row 8"],
    ),
    "flavours_features: inf in an input": (
        lambda: flavours_features(_flavours_with("IP", 3, np.inf)),
        ValueError,
        ["IP", "row 3"],
    ),
    "flavours_features: a word in an input": (
        lambda: flavours_features(_flavours_with("dira", 0, "x")),
        TypeError,
        ["dira"],
    ),
    "flavours_features: a missing input": (
        lambda: flavours_features(FLAVOURS.drop(columns="p1_IP")),
        ValueError,
        ["p1_IP"],
    ),
    "flavours_features: a column named twice": (
        lambda: flavours_features(pd.concat([FLAVOURS, FLAVOURS[["IP"]]], axis=1)),
        ValueError,
        ["IP", "more than once"],
    ),
    "flavours_features: no events": (
        lambda: flavours_features(FLAVOURS.iloc[:0]),
        ValueError,
        ["no events"],
    ),
    "flavours_features: dira_epsilon NaN": (
        lambda: flavours_features(FLAVOURS, dira_epsilon=np.nan),
        ValueError,
        ["dira_epsilon"],
    ),
    "flavours_features: dira_epsilon a string": (
        lambda: flavours_features(FLAVOURS, dira_epsilon="1e-9"),
        TypeError,
        ["dira_epsilon"],
    ),
    "flavours_features: include_inputs 0": (
        lambda: flavours_features(FLAVOURS, include_inputs=0),
        TypeError,
        ["include_inputs"],
    ),
    "flavours_features: a dict": (
        lambda: flavours_features(FLAVOURS.to_dict()),
        TypeError,
        ["frame", "DataFrame"],
    ),
    "model_columns: not a frame": (
        lambda: model_columns(FLAVOURS.columns),
        TypeError,
        ["frame", "DataFrame"],
    ),
    "model_columns: use_spdhits as a string": (
        lambda: model_columns(FLAVOURS, use_spdhits="True"),
        TypeError,
        ["use_spdhits"],
    ),
    "feature_registry: unknown group": (
        lambda: feature_registry("atlas"),
        ValueError,
        ["group", "'atlas'"],
    ),
    "feature_registry: group not a string": (
        lambda: feature_registry(3),
        TypeError,
        ["group"],
    ),
}

KINEMATICS_CASES = {
    "invariant_mass: inf pt": (
        lambda: kin.invariant_mass(_at(PT, 1, 0, np.inf), ETA, PHI),
        ValueError,
        ["pt", "(1, 0)"],
    ),
    "invariant_mass: inf eta of a present object": (
        lambda: kin.invariant_mass(PT, _at(ETA, 0, 1, -np.inf), PHI),
        ValueError,
        ["eta"],
    ),
    "invariant_mass: NaN phi of a present object": (
        lambda: kin.invariant_mass(PT, ETA, _at(PHI, 1, 2, np.nan)),
        ValueError,
        ["phi", "(1, 2)", "present"],
    ),
    "invariant_mass: inf mass": (
        lambda: kin.invariant_mass(PT, ETA, PHI, _at(np.zeros_like(PT), 0, 0, np.inf)),
        ValueError,
        ["mass", "(0, 0)"],
    ),
    "invariant_mass: shapes differ": (
        lambda: kin.invariant_mass(PT, ETA[:, :2], PHI),
        ValueError,
        ["shapes differ"],
    ),
    "invariant_mass: 1-D pt": (
        lambda: kin.invariant_mass(PT[0], ETA[0], PHI[0]),
        ValueError,
        ["pt", "2-D"],
    ),
    "invariant_mass: words": (
        lambda: kin.invariant_mass([["a"]], [[1.0]], [[1.0]]),
        TypeError,
        ["pt", "numeric"],
    ),
    "vector_sum_pt: inf pt": (
        lambda: kin.vector_sum_pt(_at(PT, 0, 1, np.inf), PHI),
        ValueError,
        ["pt", "(0, 1)"],
    ),
    "vector_sum_pt: inf phi": (
        lambda: kin.vector_sum_pt(PT, _at(PHI, 1, 1, np.inf)),
        ValueError,
        ["phi", "(1, 1)"],
    ),
    "vector_sum_pt: no events": (
        lambda: kin.vector_sum_pt(np.empty((0, 2)), np.empty((0, 2))),
        ValueError,
        ["pt", "no events"],
    ),
    "transverse_momentum_sum: NaN phi of a present object": (
        lambda: kin.transverse_momentum_sum(PT, _at(PHI, 0, 0, np.nan)),
        ValueError,
        ["phi", "present"],
    ),
    "orient_event: reference None": (
        lambda: kin.orient_event(PHI, ETA, reference=None),
        TypeError,
        ["reference"],
    ),
    "orient_event: reference 1.0": (
        lambda: kin.orient_event(PHI, ETA, reference=1.0),
        TypeError,
        ["reference"],
    ),
    "orient_event: reference out of range": (
        lambda: kin.orient_event(PHI, ETA, reference=5),
        ValueError,
        ["reference", "below 3"],
    ),
    "orient_event: negative flip_by": (
        lambda: kin.orient_event(PHI, ETA, flip_by=-1),
        ValueError,
        ["flip_by"],
    ),
    "orient_event: inf phi": (
        lambda: kin.orient_event(_at(PHI, 1, 0, np.inf), ETA),
        ValueError,
        ["phi", "(1, 0)"],
    ),
    "orient_event: flip_z as a string": (
        lambda: kin.orient_event(PHI, ETA, flip_z="no"),
        TypeError,
        ["flip_z"],
    ),
    "kernel: inf argument": (
        lambda: kin.transverse_mass([1.0, 2.0], [0.0, np.inf], [1.0, 1.0], [0.0, 0.0]),
        ValueError,
        ["phi", "index 1"],
    ),
    "kernel: words": (
        lambda: kin.delta_phi(["a"], [1.0]),
        TypeError,
        ["numeric"],
    ),
    "kernel: wrong argument count": (
        lambda: kin.delta_phi([1.0]),
        TypeError,
        ["delta_phi takes 2 arguments"],
    ),
    "kernel: shapes that do not broadcast": (
        lambda: kin.delta_phi([1.0, 2.0], [1.0, 2.0, 3.0]),
        ValueError,
        ["broadcast"],
    ),
}


test_higgs_builders_refuse = refusal_test(HIGGS_CASES)


test_flavours_builders_refuse = refusal_test(FLAVOURS_CASES)


test_kinematics_refuse = refusal_test(KINEMATICS_CASES)


def test_a_non_default_index_is_kept_and_rows_named_by_position_and_label():
    """Features keep the caller's index; an error names the row by position and index label."""
    shuffled = HIGGS.set_index(pd.Index(np.arange(len(HIGGS))[::-1] * 10 + 7))
    features = higgs_features(shuffled)
    assert features.index.equals(shuffled.index)
    np.testing.assert_array_equal(
        features.to_numpy(), higgs_features(HIGGS).to_numpy()
    )  # fmt: skip
    with pytest.raises(ValueError, match=r"row 3 \(index 467\)"):
        higgs_features(_higgs_with("PRI_tau_phi", 3, np.inf, frame=shuffled))


def test_one_event_is_enough():
    assert len(higgs_features(HIGGS.iloc[[5]])) == 1
    assert len(flavours_features(FLAVOURS.iloc[[5]])) == 1
