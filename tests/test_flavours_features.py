"""Flavours features on the real check_correlation file: completeness, hand values, bad input."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from hepclf.features import FORBIDDEN_COLUMNS, feature_registry, flavours_features, model_columns
from hepclf.features.flavours import DIRA_EPSILON, FEATURE_NAMES


def test_runs_on_every_real_event_with_finite_values(correlation_raw):
    before = correlation_raw.copy()
    features = flavours_features(correlation_raw)
    pd.testing.assert_frame_equal(correlation_raw, before)
    assert len(features) == 5514
    derived = features[list(FEATURE_NAMES)]
    assert np.isfinite(derived.to_numpy()).all()
    # ten real events have dira == 1 exactly: the epsilon keeps distance_sv finite there
    exact = correlation_raw["dira"] == 1.0
    assert exact.sum() == 10
    np.testing.assert_allclose(
        features.loc[exact, "distance_sv"], correlation_raw.loc[exact, "IP"] / DIRA_EPSILON
    )
    assert set(feature_registry("flavours")["feature"]) == set(FEATURE_NAMES)


@pytest.mark.parametrize("row", [0, 1, 2754, 5513])
def test_hand_computed_values(correlation_raw, row):
    e = correlation_raw.iloc[row]
    f = flavours_features(correlation_raw, include_inputs=False).iloc[row]
    assert f.flight_dist_sig == pytest.approx(e.FlightDistance / e.FlightDistanceError, rel=1e-14)
    distance = e.IP / (1 - e.dira + DIRA_EPSILON)
    assert f.distance_sv == pytest.approx(distance, rel=1e-12)
    assert f.neg_log_distance_sv == pytest.approx(-math.log(distance), rel=1e-12)
    assert f.fd_over_sum_p == pytest.approx(e.FlightDistance / (e.p0_p + e.p1_p + e.p2_p))
    assert f.lifetime_mean_ip == pytest.approx(e.LifeTime * (e.p0_IP + e.p1_IP + e.p2_IP) / 3)
    chi2 = [e.p0_track_Chi2Dof, e.p1_track_Chi2Dof, e.p2_track_Chi2Dof]
    assert f.track_chi2_max == max(chi2)
    assert f.track_chi2_sum_squares == pytest.approx(sum(c * c for c in chi2))
    assert f.iso_bdt_min == min(e.p0_IsoBDT, e.p1_IsoBDT, e.p2_IsoBDT)
    assert f.doca_max == max(e.DOCAone, e.DOCAtwo, e.DOCAthree)
    assert f.isolation_min == min(e[f"isolation{c}"] for c in "abcdef")
    assert f.ip_ratio_p0p2 == pytest.approx(e.IP / e.IP_p0p2)
    assert f.ip_ratio_p1p2 == pytest.approx(e.IP / e.IP_p1p2)


def test_model_columns_exclude_mass_and_spdhits(correlation_raw):
    features = flavours_features(correlation_raw)
    allowed = model_columns(features)
    assert "mass" not in allowed and "SPDhits" not in allowed and "id" not in allowed
    assert "flight_dist_sig" in allowed
    assert "SPDhits" in model_columns(features, use_spdhits=True)
    assert {"mass", "production", "min_ANNmuon"} <= set(FORBIDDEN_COLUMNS)


def test_bad_input(correlation_raw):
    with pytest.raises(ValueError, match="missing required column\\(s\\): IP, dira"):
        flavours_features(correlation_raw.drop(columns=["dira", "IP"]))
    broken = correlation_raw.head(20).copy()
    broken.loc[broken.index[4], "p1_IP"] = np.nan
    with pytest.raises(
        ValueError, match=r"column p1_IP has 1 NaN or infinite value\(s\) \(first at row 4"
    ):
        flavours_features(broken)
    with pytest.raises(ValueError, match="no events"):
        flavours_features(correlation_raw.head(0))
    with pytest.raises(ValueError, match="dira_epsilon"):
        flavours_features(correlation_raw, dira_epsilon=0.0)
    with pytest.raises(TypeError, match="frame must be a pandas DataFrame"):
        flavours_features(correlation_raw.to_dict())
    text = correlation_raw.head(5).astype({"IP": str})
    with pytest.raises(TypeError, match="column IP must be numeric"):
        flavours_features(text)
