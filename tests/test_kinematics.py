"""Kinematics kernels: independent numpy references, hand cases and symmetry properties."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from hepclf.features import kinematics as kin


def _four_vector(pt, eta, phi, mass=0.0):
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    return np.sqrt(px**2 + py**2 + pz**2 + mass**2), px, py, pz


def _mass(*vectors):
    e, px, py, pz = (sum(v[i] for v in vectors) for i in range(4))
    return np.sqrt(np.maximum(e**2 - px**2 - py**2 - pz**2, 0))


@pytest.fixture()
def two_objects(rng):
    n = 5000
    return (
        rng.uniform(20, 200, n),
        rng.uniform(-2.5, 2.5, n),
        rng.uniform(-math.pi, math.pi, n),
        rng.uniform(20, 200, n),
        rng.uniform(-2.5, 2.5, n),
        rng.uniform(-math.pi, math.pi, n),
    )


def test_delta_phi_is_wrapped_and_exact(rng):
    a, b = rng.uniform(-50, 50, 10000), rng.uniform(-50, 50, 10000)
    d = kin.delta_phi(a, b)
    assert np.all((d >= -math.pi) & (d <= math.pi))
    np.testing.assert_allclose(d, np.arctan2(np.sin(a - b), np.cos(a - b)), atol=1e-9)
    assert kin.abs_delta_phi(3.0, -3.0) == pytest.approx(2 * math.pi - 6.0)
    assert np.isnan(kin.delta_phi(np.nan, 0.0))


def test_delta_phi_of_azimuths_in_range_takes_off_at_most_one_exact_turn(rng):
    a, b = rng.uniform(-math.pi, math.pi, 100_000), rng.uniform(-math.pi, math.pi, 100_000)
    a[:4], b[:4] = [math.pi, -math.pi, math.pi, 0.0], [-math.pi, math.pi, 0.0, math.pi]
    difference = a - b
    one_turn = np.where(difference >= math.pi, 2 * math.pi, 0.0)
    one_turn[difference < -math.pi] = -2 * math.pi
    expected = difference - one_turn
    assert np.all((expected >= -math.pi) & (expected < math.pi))
    np.testing.assert_array_equal(kin.delta_phi(a, b), expected)


def test_sinh_cosh_from_one_expm1_is_accurate_to_a_few_ulp():
    x = np.concatenate([np.linspace(-6, 6, 20001), [0.0, -0.0, 1e-300, -1e-12, 3e-8]])
    got = np.array([kin._sinh_cosh(value) for value in x])
    np.testing.assert_allclose(got[:, 0], np.sinh(x), rtol=1e-15, atol=0)
    np.testing.assert_allclose(got[:, 1], np.cosh(x), rtol=1e-15, atol=0)
    assert math.copysign(1.0, kin._sinh_cosh(-0.0)[0]) == -1.0


def test_kernels_are_quiet_on_absent_objects_and_refuse_infinities(rng):
    phi = rng.uniform(-math.pi, math.pi, 1000)
    absent = np.where(rng.random(1000) < 0.5, np.nan, phi[::-1])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # NaN lanes must not surface as RuntimeWarnings
        d = kin.delta_phi(phi, absent)
        r = kin.delta_r(phi, phi, absent, absent)
    np.testing.assert_array_equal(np.isnan(d), np.isnan(absent))
    np.testing.assert_array_equal(np.isnan(r), np.isnan(absent))
    with pytest.raises(ValueError, match="eta2 has infinite values"):
        kin.delta_r(0.0, 0.0, np.inf, 1.0)
    with pytest.raises(TypeError, match=r"takes 2 arguments \(phi1, phi2\), got 3"):
        kin.delta_phi(1.0, 2.0, 3.0)


def test_pair_mass_matches_four_vectors_and_symmetries(two_objects):
    pt1, eta1, phi1, pt2, eta2, phi2 = two_objects
    m = kin.invariant_mass_pair(pt1, eta1, phi1, pt2, eta2, phi2)
    reference = _mass(_four_vector(pt1, eta1, phi1), _four_vector(pt2, eta2, phi2))
    np.testing.assert_allclose(m, reference, rtol=1e-9, atol=1e-6)
    np.testing.assert_array_equal(m, kin.invariant_mass_pair(pt2, eta2, phi2, pt1, eta1, phi1))
    rotated = kin.invariant_mass_pair(pt1, eta1, phi1 + 1.234, pt2, eta2, phi2 + 1.234)
    np.testing.assert_allclose(rotated, m, rtol=1e-10)
    boosted = kin.invariant_mass_pair(pt1, eta1 + 0.7, phi1, pt2, eta2 + 0.7, phi2)  # boost along z
    np.testing.assert_allclose(boosted, m, rtol=1e-10)
    # the transverse mass is not boost-sensitive at all and never exceeds the invariant mass
    mt = kin.transverse_mass(pt1, phi1, pt2, phi2)
    assert np.all(mt <= m * (1 + 1e-12) + 1e-9)


def test_many_object_mass_and_vector_sum(rng, two_objects):
    pt1, eta1, phi1, pt2, eta2, phi2 = two_objects
    pt3, eta3, phi3 = (
        rng.uniform(20, 90, pt1.size),
        rng.normal(0, 2, pt1.size),
        rng.uniform(-3, 3, pt1.size),
    )
    masses = np.column_stack([np.full(pt1.size, 1.777), np.zeros(pt1.size), np.full(pt1.size, 5.0)])
    pt = np.column_stack([pt1, pt2, pt3])
    eta = np.column_stack([eta1, eta2, eta3])
    phi = np.column_stack([phi1, phi2, phi3])
    got = kin.invariant_mass(pt, eta, phi, masses)
    reference = _mass(
        _four_vector(pt1, eta1, phi1, 1.777),
        _four_vector(pt2, eta2, phi2),
        _four_vector(pt3, eta3, phi3, 5.0),
    )
    np.testing.assert_allclose(got, reference, rtol=1e-9)
    # an absent object (NaN pt) is skipped: three objects with one absent = the pair
    pt[:, 2] = np.nan
    np.testing.assert_allclose(
        kin.invariant_mass(pt, eta, phi),
        kin.invariant_mass_pair(pt1, eta1, phi1, pt2, eta2, phi2),
        rtol=1e-9,
    )
    vec = kin.vector_sum_pt(pt, phi)
    np.testing.assert_allclose(
        vec,
        np.hypot(pt1 * np.cos(phi1) + pt2 * np.cos(phi2), pt1 * np.sin(phi1) + pt2 * np.sin(phi2)),
    )
    with pytest.raises(ValueError, match="pt must be 2-D"):
        kin.invariant_mass(pt1, eta1, phi1)
    with pytest.raises(ValueError, match="mass has shape"):
        kin.invariant_mass(pt, eta, phi, masses[:, :2])


def test_many_object_mass_is_symmetric_and_lorentz_invariant(rng):
    """Permuting the objects, rotating every phi alike, or boosting the whole event along z
    (massive objects: each four-vector boosted, then converted back to pseudorapidity) leaves the
    invariant mass unchanged."""
    n = 4000
    pt = rng.uniform(10, 150, (n, 3))
    eta = rng.uniform(-2.5, 2.5, (n, 3))
    phi = rng.uniform(-math.pi, math.pi, (n, 3))
    mass = np.column_stack([np.full(n, 1.777), np.zeros(n), rng.uniform(0, 20, n)])
    m = kin.invariant_mass(pt, eta, phi, mass)
    order = [2, 0, 1]
    permuted = kin.invariant_mass(pt[:, order], eta[:, order], phi[:, order], mass[:, order])
    np.testing.assert_allclose(permuted, m, rtol=1e-12)
    np.testing.assert_allclose(kin.invariant_mass(pt, eta, phi + 2.5, mass), m, rtol=1e-10)
    rapidity = 0.8
    p_z = pt * np.sinh(eta)
    energy = np.sqrt((pt * np.cosh(eta)) ** 2 + mass**2)
    boosted_pz = p_z * np.cosh(rapidity) + energy * np.sinh(rapidity)
    boosted_eta = np.arcsinh(boosted_pz / pt)
    np.testing.assert_allclose(kin.invariant_mass(pt, boosted_eta, phi, mass), m, rtol=1e-9)
    # massless objects: a boost along z is a common shift of eta, and it leaves the mass alone
    massless = kin.invariant_mass(pt, eta, phi)
    np.testing.assert_allclose(kin.invariant_mass(pt, eta + 0.8, phi), massless, rtol=1e-10)
    # while shifting eta is not a boost for massive objects: the mass changes
    assert np.abs(kin.invariant_mass(pt, eta + 0.8, phi, mass) / m - 1).max() > 1e-4


def test_cartesian_and_delta_r():
    px, py, pz, e = kin.cartesian(np.array([10.0]), np.array([0.0]), np.array([math.pi / 2]))
    assert px[0] == pytest.approx(0.0, abs=1e-12) and py[0] == pytest.approx(10.0)
    assert pz[0] == 0.0 and e[0] == pytest.approx(10.0)
    assert kin.delta_r(0.0, 0.1, 0.3, -0.3) == pytest.approx(0.5)
    # across the phi = pi seam the distance is short
    assert kin.delta_r(0.0, 3.1, 0.0, -3.1) == pytest.approx(2 * math.pi - 6.2)


def test_centralities_by_hand():
    assert kin.eta_centrality(0.5, -1.0, 2.0) == pytest.approx(1.0)
    assert kin.eta_centrality(2.0, -1.0, 2.0) == pytest.approx(math.exp(-1.0))
    assert kin.eta_centrality(1.0, 2.0, 2.0) == 0.0  # empty interval, off it: the limit 0
    assert np.isnan(kin.eta_centrality(2.0, 2.0, 2.0))
    assert kin.phi_centrality(0.5, 0.0, 1.0) == pytest.approx(math.sqrt(2))  # on the bisector
    assert kin.phi_centrality(0.0, 0.0, 1.0) == pytest.approx(1.0)  # on an object
    assert kin.phi_centrality(-1.0, 0.0, 1.0) < 1.0  # outside the angle


def test_collinear_mass_recovers_a_true_di_tau_mass(rng):
    n = 2000
    pt1, pt2 = rng.uniform(30, 80, n), rng.uniform(30, 80, n)
    eta1, eta2 = rng.uniform(-2, 2, n), rng.uniform(-2, 2, n)
    phi1 = rng.uniform(-math.pi, math.pi, n)
    phi2 = phi1 + rng.uniform(0.5, 2.5, n)  # not back to back
    true_mass = kin.invariant_mass_pair(pt1, eta1, phi1, pt2, eta2, phi2)
    x1, x2 = rng.uniform(0.2, 1.0, n), rng.uniform(0.2, 1.0, n)  # visible momentum fractions
    met_x = (1 - x1) * pt1 * np.cos(phi1) + (1 - x2) * pt2 * np.cos(phi2)
    met_y = (1 - x1) * pt1 * np.sin(phi1) + (1 - x2) * pt2 * np.sin(phi2)
    got = kin.collinear_mass(
        x1 * pt1, eta1, phi1, x2 * pt2, eta2, phi2, np.hypot(met_x, met_y), np.arctan2(met_y, met_x)
    )
    np.testing.assert_allclose(got, true_mass, rtol=1e-8)
    # MET pointing away from both visible objects needs negative neutrino momenta: undefined
    assert np.isnan(kin.collinear_mass(40, 0, 0.0, 40, 0, 1.0, 30, math.pi + 0.5))


def test_orientation_fixing():
    rng = np.random.default_rng(5)
    n = 3000
    phi = rng.uniform(-math.pi, math.pi, (n, 4))
    eta = rng.uniform(-2.5, 2.5, (n, 4))
    phi[::7, 3] = np.nan  # an absent object
    new_phi, new_eta = kin.orient_event(phi, eta, reference=0, flip_by=1, flip_z=True)
    assert np.all(new_phi[:, 0] == 0.0)
    assert np.all(new_phi[:, 1] >= 0.0)
    assert np.all(new_eta[:, 0] >= 0.0)
    assert np.array_equal(np.isnan(new_phi), np.isnan(phi))
    for a in range(4):
        for b in range(a + 1, 4):
            np.testing.assert_allclose(
                kin.abs_delta_phi(new_phi[:, a], new_phi[:, b]),
                kin.abs_delta_phi(phi[:, a], phi[:, b]),
                atol=1e-12,
            )
            np.testing.assert_allclose(
                np.abs(new_eta[:, a] - new_eta[:, b]), np.abs(eta[:, a] - eta[:, b]), atol=1e-12
            )
    with pytest.raises(ValueError, match="flip_by must be a column index"):
        kin.orient_event(phi, eta, flip_by=4)
    with pytest.raises(ValueError, match="phi and eta shapes differ"):
        kin.orient_event(phi, eta[:, :3])
