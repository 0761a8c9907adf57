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
    with pytest.raises(ValueError, match="eta2 has 1 infinite value"):
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


# ---------------------------------------------------------------------------------------------
# Cartesian momenta and single four-momenta: the one momentum formula, the conversions back to
# collider coordinates, the mass and energy of one object, two-body decays and boosts.


def _numpy_boost(e, px, py, pz, bx, by, bz):
    """Independent reference: the textbook boost with (gamma - 1) / beta^2 (beta != 0)."""
    b2 = bx**2 + by**2 + bz**2
    gamma = 1 / np.sqrt(1 - b2)
    bp = bx * px + by * py + bz * pz
    along = (gamma - 1) * bp / b2 + gamma * e
    return gamma * (e + bp), px + along * bx, py + along * by, pz + along * bz


@pytest.fixture()
def massive_objects(rng):
    n = 5000
    pt = rng.uniform(1, 200, n)
    eta = rng.uniform(-4, 4, n)
    phi = rng.uniform(-math.pi, math.pi, n)
    mass = rng.uniform(0, 50, n)
    return pt, eta, phi, mass


def test_new_kernels_by_hand():
    assert kin._cartesian_momentum(10.0, 0.6, 0.8, 0.75) == (6.0, 8.0, 7.5)
    assert kin.momentum_x(2.0, math.pi) == -2.0 and kin.momentum_y(2.0, -math.pi / 2) == -2.0
    assert kin.momentum_z(2.0, math.asinh(1.5)) == pytest.approx(3.0, rel=1e-15)
    assert kin.energy(3.0, 0.0, 4.0, 12.0) == 13.0  # |p| = 5, m = 12
    assert kin.energy(0.0, 0.0, 0.0, 80.4) == 80.4  # at rest: E = m
    assert kin.transverse_momentum(-3.0, 4.0) == 5.0
    assert kin.azimuth(-1.0, 0.0) == math.pi and kin.azimuth(0.0, -2.0) == -math.pi / 2
    assert kin.pseudorapidity(1.0, 0.0, 0.0) == 0.0  # perpendicular to the beam
    # theta = 45 degrees: eta = -ln tan(pi / 8) = asinh(1)
    assert kin.pseudorapidity(0.0, 2.0, 2.0) == pytest.approx(math.asinh(1.0), rel=1e-15)
    assert np.isnan(kin.pseudorapidity(0.0, 0.0, 5.0))  # along the beam: no finite eta
    assert kin.four_momentum_mass(13.0, 3.0, 0.0, 4.0) == 12.0
    assert kin.four_momentum_mass(5.0, 3.0, 0.0, 4.0) == 0.0  # massless
    assert kin.four_momentum_mass(5.0, 3.0, 0.0, 4.0 + 1e-12) == 0.0  # rounding: clipped
    assert kin.two_body_momentum(91.0, 0.0, 0.0) == 45.5
    assert kin.two_body_momentum(5.0, 3.0, 0.0) == pytest.approx(1.6, rel=1e-15)
    # W -> l nu at rest in the top frame: p* = (m_t^2 - m_W^2) / (2 m_t) for a massless b
    assert kin.two_body_momentum(172.5, 80.4, 0.0) == pytest.approx(
        (172.5**2 - 80.4**2) / (2 * 172.5), rel=1e-14
    )
    assert kin.two_body_momentum(10.0, 5.0, 5.0) == 0.0  # at threshold
    assert np.isnan(kin.two_body_momentum(9.0, 5.0, 5.0))  # below threshold: no decay
    # a unit mass at rest boosted to 0.6 c along z: gamma = 1.25, gamma beta = 0.75
    assert [float(v) for v in kin.boost(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6)] == [
        1.25,
        0.0,
        0.0,
        0.75,
    ]
    # a photon along x, boosted along x by beta = 0.6: Doppler factor sqrt((1 + b) / (1 - b)) = 2
    assert [float(v) for v in kin.boost(1.0, 1.0, 0.0, 0.0, 0.6, 0.0, 0.0)] == pytest.approx(
        [2.0, 2.0, 0.0, 0.0], rel=1e-15
    )
    assert [float(v) for v in kin.boost(7.0, 1.0, 2.0, 3.0, 0.0, 0.0, 0.0)] == [7.0, 1.0, 2.0, 3.0]
    assert all(np.isnan(v) for v in kin.boost(1.0, 0.0, 0.0, 0.0, 0.6, 0.8, 0.0))  # |beta| = 1
    px, py = kin.transverse_momentum_sum([[10.0, 5.0, np.nan]], [[0.0, math.pi / 2, 1.0]])
    assert px[0] == 10.0 and py[0] == pytest.approx(5.0, rel=1e-15)


def test_double_angle_helpers_give_the_direct_cartesian_momentum(massive_objects):
    """The fused builders' route (half angles, double-angle formulas) and the direct one agree."""
    pt, eta, phi, _ = massive_objects
    for i in range(0, pt.size, 7):
        cos_phi, sin_phi = kin._cos_sin_from_halves(math.sin(phi[i] / 2), math.cos(phi[i] / 2))
        sinh_half, cosh_half = kin._sinh_cosh(eta[i] / 2)
        sinh_eta = kin._sinh_from_halves(sinh_half, cosh_half)
        got = kin._cartesian_momentum(pt[i], cos_phi, sin_phi, sinh_eta)
        direct = (kin.momentum_x(pt[i], phi[i]), kin.momentum_y(pt[i], phi[i]))
        np.testing.assert_allclose(got[:2], direct, rtol=1e-14, atol=1e-13 * pt[i])
        assert got[2] == pytest.approx(kin.momentum_z(pt[i], eta[i]), rel=1e-14)


def test_new_kernels_match_numpy(massive_objects, rng):
    pt, eta, phi, mass = massive_objects
    px, py, pz = pt * np.cos(phi), pt * np.sin(phi), pt * np.sinh(eta)
    np.testing.assert_array_equal(kin.momentum_x(pt, phi), px)
    np.testing.assert_array_equal(kin.momentum_y(pt, phi), py)
    np.testing.assert_allclose(kin.momentum_z(pt, eta), pz, rtol=1e-15)
    e = np.sqrt(px**2 + py**2 + pz**2 + mass**2)
    np.testing.assert_allclose(kin.energy(px, py, pz, mass), e, rtol=1e-15)
    np.testing.assert_allclose(kin.transverse_momentum(px, py), np.hypot(px, py), rtol=1e-15)
    np.testing.assert_allclose(kin.azimuth(px, py), np.arctan2(py, px), rtol=1e-15, atol=1e-15)
    np.testing.assert_allclose(
        kin.pseudorapidity(px, py, pz), np.arctanh(pz / np.sqrt(px**2 + py**2 + pz**2)), rtol=1e-9
    )
    np.testing.assert_allclose(
        kin.four_momentum_mass(e, px, py, pz),
        np.sqrt(np.maximum(e**2 - px**2 - py**2 - pz**2, 0)),
        rtol=1e-12,
    )
    np.testing.assert_allclose(kin.four_momentum_mass(e, px, py, pz), mass, rtol=1e-6, atol=1e-5)
    big = mass + rng.uniform(1, 100, mass.size)
    m1, m2 = rng.uniform(0, 0.5, mass.size) * big, rng.uniform(0, 0.5, mass.size) * big
    lam = (big**2 - (m1 + m2) ** 2) * (big**2 - (m1 - m2) ** 2)
    np.testing.assert_allclose(
        kin.two_body_momentum(big, m1, m2), np.sqrt(lam) / (2 * big), rtol=1e-12, atol=1e-12
    )
    beta = rng.uniform(-0.57, 0.57, (3, mass.size))
    for got, expected in zip(
        kin.boost(e, px, py, pz, *beta), _numpy_boost(e, px, py, pz, *beta), strict=True
    ):
        np.testing.assert_allclose(got, expected, rtol=1e-12, atol=1e-10)
    # the vector sum of transverse momenta, as the simulator once summed them with np.nansum
    pts = np.where(rng.random((pt.size, 4)) < 0.3, np.nan, rng.uniform(20, 90, (pt.size, 4)))
    phis = np.where(np.isnan(pts), np.nan, rng.uniform(-math.pi, math.pi, pts.shape))
    sum_x, sum_y = kin.transverse_momentum_sum(pts, phis)
    np.testing.assert_allclose(sum_x, np.nansum(pts * np.cos(phis), axis=1), atol=1e-11)
    np.testing.assert_allclose(sum_y, np.nansum(pts * np.sin(phis), axis=1), atol=1e-11)
    np.testing.assert_array_equal(
        kin.vector_sum_pt(pts, phis), kin.transverse_momentum(sum_x, sum_y)
    )
    with pytest.raises(ValueError, match="pt and phi shapes differ"):
        kin.transverse_momentum_sum(pts, phis[:, :3])


def test_collider_cartesian_round_trip(massive_objects):
    pt, eta, phi, mass = massive_objects
    px, py, pz, _ = kin.cartesian(pt, eta, phi)
    np.testing.assert_allclose(kin.transverse_momentum(px, py), pt, rtol=1e-14)
    np.testing.assert_allclose(kin.pseudorapidity(px, py, pz), eta, rtol=1e-13, atol=1e-14)
    np.testing.assert_allclose(kin.delta_phi(kin.azimuth(px, py), phi), 0.0, atol=1e-14)
    # the massless energy is the length of the momentum: the four-momentum has mass 0
    _, _, _, e = kin.cartesian(pt, eta, phi)
    np.testing.assert_allclose(kin.energy(px, py, pz, 0.0), e, rtol=1e-14)
    assert np.all(kin.four_momentum_mass(e, px, py, pz) < 1e-6 * e)
    # pz of a massive object at rapidity y is m_T sinh y, with m_T the energy at pz = 0
    rapidity = eta  # any value
    transverse_mass = kin.energy(px, py, 0.0, mass)
    pz_massive = kin.momentum_z(transverse_mass, rapidity)
    e_massive = kin.energy(px, py, pz_massive, mass)
    np.testing.assert_allclose(e_massive, transverse_mass * np.cosh(rapidity), rtol=1e-14)
    np.testing.assert_allclose(
        0.5 * np.log((e_massive + pz_massive) / (e_massive - pz_massive)), rapidity, atol=1e-9
    )


def test_boost_invariants(massive_objects, rng):
    pt, eta, phi, mass = massive_objects
    px, py, pz, _ = kin.cartesian(pt, eta, phi)
    e = kin.energy(px, py, pz, mass)
    direction = rng.normal(size=(3, pt.size))
    speed = rng.uniform(0, 0.999, pt.size)
    beta = direction / np.sqrt((direction**2).sum(axis=0)) * speed
    boosted = kin.boost(e, px, py, pz, *beta)
    # the mass is Lorentz invariant, and so is a pair's mass (both boosted alike)
    np.testing.assert_allclose(kin.four_momentum_mass(*boosted), mass, rtol=1e-7, atol=1e-4)
    pair = [kin.cartesian(pt, eta, phi), kin.cartesian(pt[::-1], eta[::-1], phi[::-1])]
    total = [pair[0][3] + pair[1][3], *(pair[0][k] + pair[1][k] for k in range(3))]
    boosted_pair = [kin.boost(v[3], *v[:3], *beta) for v in pair]
    boosted_total = [boosted_pair[0][k] + boosted_pair[1][k] for k in range(4)]
    np.testing.assert_allclose(
        kin.four_momentum_mass(*boosted_total), kin.four_momentum_mass(*total), rtol=1e-7
    )
    # boosting back by -beta returns the original four-momentum
    back = kin.boost(*boosted, *(-b for b in beta))
    np.testing.assert_allclose(back, (e, px, py, pz), rtol=1e-9, atol=1e-8 * e.max())
    # boosting a four-momentum by minus its own velocity brings it to rest: (m, 0, 0, 0)
    own = tuple(-p / e for p in (px, py, pz))
    rest = kin.boost(e, px, py, pz, *own)
    np.testing.assert_allclose(rest[0], mass, rtol=1e-6, atol=1e-4)
    np.testing.assert_allclose(rest[1:], 0.0, atol=1e-6 * e.max())
    # a boost along z adds its rapidity atanh(beta); for massless objects, to the pseudorapidity
    px0, py0, pz0, e0 = kin.cartesian(pt, eta, phi)
    along_z = kin.boost(e0, px0, py0, pz0, 0.0, 0.0, math.tanh(0.8))
    np.testing.assert_allclose(kin.transverse_momentum(*along_z[1:3]), pt, rtol=1e-13)
    np.testing.assert_allclose(kin.pseudorapidity(*along_z[1:]), eta + 0.8, atol=1e-12)


def test_two_body_decay_at_rest_and_in_flight(rng):
    """A decay built from the kernels conserves four-momentum and gives the daughters' masses."""
    n = 3000
    parent_mass, m1, m2 = 172.5, 80.4, 4.8
    p_star = kin.two_body_momentum(parent_mass, m1, m2)
    *direction, length = kin.cartesian(np.ones(n), rng.logistic(0, 0.5, n), rng.uniform(-3, 3, n))
    px, py, pz = (p_star * c / length for c in direction)
    np.testing.assert_allclose(np.sqrt(px**2 + py**2 + pz**2), p_star, rtol=1e-14)
    e1, e2 = kin.energy(px, py, pz, m1), kin.energy(-px, -py, -pz, m2)
    np.testing.assert_allclose(e1 + e2, parent_mass, rtol=1e-14)  # at rest, energy conserved
    parent = kin.cartesian(rng.uniform(0, 300, n), rng.uniform(-3, 3, n), rng.uniform(-3, 3, n))
    parent_e = kin.energy(*parent[:3], parent_mass)
    beta = tuple(p / parent_e for p in parent[:3])
    first = kin.boost(e1, px, py, pz, *beta)
    second = kin.boost(e2, -px, -py, -pz, *beta)
    np.testing.assert_allclose(first[0] + second[0], parent_e, rtol=1e-12)
    for k in range(3):
        np.testing.assert_allclose(
            first[k + 1] + second[k + 1], parent[k], atol=1e-9 * parent_e.max()
        )
    np.testing.assert_allclose(kin.four_momentum_mass(*first), m1, rtol=1e-9)
    np.testing.assert_allclose(kin.four_momentum_mass(*second), m2, rtol=1e-6)


def test_new_kernels_propagate_nan_and_refuse_infinities():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert np.isnan(kin.energy(np.nan, 1.0, 1.0, 0.0))
        assert np.isnan(kin.transverse_momentum(1.0, np.nan))
        assert np.isnan(kin.azimuth(np.nan, 1.0))
        assert np.isnan(kin.pseudorapidity(1.0, 1.0, np.nan))
        assert np.isnan(kin.four_momentum_mass(np.nan, 1.0, 1.0, 1.0))
        assert np.isnan(kin.two_body_momentum(np.nan, 1.0, 1.0))
        assert all(np.isnan(v) for v in kin.boost(1.0, np.nan, 0.0, 0.0, 0.1, 0.0, 0.0))
        assert all(np.isnan(v) for v in kin.boost(1.0, 0.0, 0.0, 0.0, np.nan, 0.0, 0.0))
    with pytest.raises(ValueError, match="pz has 1 infinite value"):
        kin.energy(1.0, 1.0, np.inf, 0.0)
    with pytest.raises(ValueError, match="beta_z has 1 infinite value"):
        kin.boost(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, -np.inf)
    with pytest.raises(TypeError, match=r"boost takes 7 arguments \(e, px, py, pz, beta_x"):
        kin.boost(1.0, 0.0, 0.0, 0.0)
    assert repr(kin.pseudorapidity) == "<hepclf kinematics kernel pseudorapidity(px, py, pz)>"


def test_docstring_examples_of_the_kernels_run():
    """Every ``>>>`` example in the kinematics module (functions and array kernels) holds."""
    import doctest

    parser, runner = doctest.DocTestParser(), doctest.DocTestRunner(verbose=False)
    n_examples = 0
    for name, value in vars(kin).items():
        doc = getattr(value, "__doc__", None)
        documented = (
            isinstance(value, kin.ArrayKernel) or getattr(value, "__module__", "") == kin.__name__
        )
        if doc and ">>>" in doc and documented:
            test = parser.get_doctest(doc, dict(vars(kin)), name, kin.__file__, 0)
            n_examples += len(test.examples)
            runner.run(test, out=lambda _: None)
    assert n_examples >= 15
    assert runner.failures == 0, f"{runner.failures} docstring examples failed"


def test_transverse_momentum_from_momentum_inverts_the_massless_energy(rng):
    pt = rng.uniform(0.5, 500.0, 1000)
    eta = rng.uniform(-5.0, 5.0, 1000)
    momentum = kin.energy_massless(pt, eta)  # |p| of a massless object
    np.testing.assert_allclose(kin.transverse_momentum_from_momentum(momentum, eta), pt, rtol=1e-13)
    np.testing.assert_allclose(
        kin.transverse_momentum_from_momentum(momentum, eta), momentum / np.cosh(eta), rtol=1e-15
    )
    assert np.isnan(kin.transverse_momentum_from_momentum(np.nan, 1.0))
