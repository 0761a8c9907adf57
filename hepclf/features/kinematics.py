"""Numba-compiled kinematics kernels: every formula written once.

Conventions (collider coordinates): ``pt`` is the transverse momentum, ``eta`` the pseudorapidity,
``phi`` the azimuth; objects are massless unless a mass is given (the challenges give no masses).
NaN in, NaN out: an undefined input gives an undefined output, never a sentinel.

Each formula is one scalar function (``_scalar_*``), compiled by numba twice from that one source:
as a NumPy ufunc (broadcasting, arrays in and arrays out, exported here as an ``ArrayKernel``,
which refuses infinite input), and as an inlined numba function that fused, multi-threaded
feature builders (:mod:`hepclf.features.higgs`) call per event. A formula with several results
(the Lorentz :data:`boost`) becomes a generalised ufunc that returns a tuple of arrays.
The cartesian momentum has one formula, :func:`_cartesian_momentum`, fed with angle functions
that the callers compute directly or, in the fused builders, from half angles.
The multi-object kernels (several objects per event, as 2-D arrays of shape ``(n_events,
n_objects)``) treat a NaN ``pt`` as an absent object, which is how missing jets are represented.
"""

from __future__ import annotations

import contextlib
import inspect
import math

import numpy as np
from numba import guvectorize, njit, prange, vectorize

from hepclf._utils import ArrayLike, FloatArray, as_numeric_array, check_finite, check_flag

TWO_PI = 2.0 * math.pi


def _formula(scalar):
    """Compile a scalar formula for numba (inlined where called); ``.py_func`` keeps the source."""
    return njit(cache=True, inline="always", error_model="numpy")(scalar)


@_formula
def _sqrt_clipped(value: float) -> float:
    """sqrt(max(value, 0)) for a squared mass that rounding may leave slightly negative.

    Written as sqrt((v + |v|) / 2), exact for v >= 0, with no ordered comparison: compiled
    loops evaluate comparisons on NaN lanes too, which would raise the floating-point 'invalid'
    flag (a NumPy RuntimeWarning) for every absent object.
    """
    return math.sqrt(0.5 * (value + abs(value)))


@_formula
def _scalar_delta_phi(phi1: float, phi2: float) -> float:
    """phi1 - phi2 wrapped into [-pi, pi).

    For azimuths in [-pi, pi] at most one turn of 2 pi is taken off, chosen without a branch (the
    data decide the sign at random, which a branch would mispredict); the subtraction is then
    exact, by Sterbenz's lemma. Differences further out are reduced modulo 2 pi; NaN stays NaN.
    """
    difference = phi1 - phi2
    turn = TWO_PI if difference >= math.pi else (-TWO_PI if difference < -math.pi else 0.0)
    wrapped = difference - turn
    if wrapped >= math.pi or wrapped < -math.pi:
        return (difference + math.pi) % TWO_PI - math.pi
    return wrapped


@_formula
def _scalar_abs_delta_phi(phi1: float, phi2: float) -> float:
    """Opening angle in the transverse plane, |delta-phi| in [0, pi]."""
    return abs(_scalar_delta_phi(phi1, phi2))


@_formula
def _scalar_delta_eta(eta1: float, eta2: float) -> float:
    """eta1 - eta2 (a difference of pseudorapidities is invariant under boosts along z)."""
    return eta1 - eta2


@_formula
def _scalar_delta_r(eta1: float, phi1: float, eta2: float, phi2: float) -> float:
    """Angular distance sqrt(delta-eta^2 + delta-phi^2)."""
    dphi = _scalar_delta_phi(phi1, phi2)
    deta = eta1 - eta2
    return math.sqrt(deta * deta + dphi * dphi)


@_formula
def _cartesian_momentum(
    pt: float, cos_phi: float, sin_phi: float, sinh_eta: float
) -> tuple[float, float, float]:
    """Cartesian momentum (px, py, pz) = pt (cos phi, sin phi, sinh eta): the one implementation.

    ``pt`` is the transverse momentum, phi the azimuth, eta the pseudorapidity; pz = pt sinh eta
    = |p| cos theta, since sinh eta = cot theta (theta the polar angle). The caller supplies the
    three angle functions: computed directly (:data:`momentum_x` etc., the many-object kernels) or,
    in the fused builders, from precomputed half-angle functions by the double-angle formulas
    (:func:`_cos_sin_from_halves`, :func:`_sinh_from_halves`). A caller that needs only the
    transverse components passes ``sinh_eta = 0`` (the unused product is compiled away).

    Examples
    --------
    >>> _cartesian_momentum(10.0, 0.6, 0.8, 0.75)
    (6.0, 8.0, 7.5)
    """
    return pt * cos_phi, pt * sin_phi, pt * sinh_eta


@_formula
def _cos_sin_from_halves(sin_half: float, cos_half: float) -> tuple[float, float]:
    """(cos x, sin x) from sin(x / 2) and cos(x / 2), by the double-angle formulas.

    cos x = 1 - 2 sin^2(x / 2), sin x = 2 sin(x / 2) cos(x / 2): the fused builders get every
    object's azimuth functions from the half-angle functions they already hold, without libm.

    Examples
    --------
    >>> [round(value, 12) for value in _cos_sin_from_halves(0.6, 0.8)]  # sin(x / 2) = 3/5
    [0.28, 0.96]
    """
    return 1.0 - 2.0 * sin_half * sin_half, 2.0 * sin_half * cos_half


@_formula
def _sinh_from_halves(sinh_half: float, cosh_half: float) -> float:
    """sinh x = 2 sinh(x / 2) cosh(x / 2), the double-argument formula (see above).

    Examples
    --------
    >>> _sinh_from_halves(0.75, 1.25)  # sinh(x / 2) = 3/4, so x / 2 = ln 2 and sinh x = 15/8
    1.875
    """
    return 2.0 * sinh_half * cosh_half


@_formula
def _scalar_px(pt: float, phi: float) -> float:
    """px = pt cos(phi), the x component of the transverse momentum.

    Examples
    --------
    >>> float(momentum_x(10.0, 0.0))
    10.0
    """
    return _cartesian_momentum(pt, math.cos(phi), 0.0, 0.0)[0]


@_formula
def _scalar_py(pt: float, phi: float) -> float:
    """py = pt sin(phi), the y component of the transverse momentum.

    Examples
    --------
    >>> float(momentum_y(10.0, math.pi / 2))
    10.0
    """
    return _cartesian_momentum(pt, 0.0, math.sin(phi), 0.0)[1]


@_formula
def _scalar_pz(pt: float, eta: float) -> float:
    """pz = pt sinh(eta), the momentum along the beam.

    For a massive object the same formula holds with the rapidity y in place of eta and the
    transverse mass m_T = sqrt(m^2 + pt^2) in place of pt: pz = m_T sinh y.

    Examples
    --------
    >>> float(momentum_z(10.0, 0.0))
    0.0
    """
    return _cartesian_momentum(pt, 0.0, 0.0, math.sinh(eta))[2]


@_formula
def _scalar_energy_massless(pt: float, eta: float) -> float:
    """Energy of a massless object, E = |p| = pt cosh(eta)."""
    return pt * math.cosh(eta)


@_formula
def _scalar_pt_from_momentum(p: float, eta: float) -> float:
    """Transverse momentum of an object of momentum |p| at pseudorapidity eta, pt = |p| / cosh eta.

    The inverse of |p| = pt cosh(eta) (LHCb's tracks are given by p and eta).

    >>> round(float(transverse_momentum_from_momentum(10.0, 0.0)), 12)
    10.0
    """
    return p / math.cosh(eta)


@_formula
def _scalar_energy(px: float, py: float, pz: float, mass: float) -> float:
    """Energy of an object of mass m and momentum p, E = sqrt(px^2 + py^2 + pz^2 + m^2).

    With pz = 0 it is sqrt(m^2 + pt^2), the object's own transverse mass m_T (not the two-object
    :data:`transverse_mass`): its energy in the frame, boosted along the beam, where it has no
    longitudinal momentum.

    Examples
    --------
    >>> float(energy(3.0, 0.0, 4.0, 12.0))  # |p| = 5, m = 12
    13.0
    """
    return math.sqrt(px * px + py * py + pz * pz + mass * mass)


@_formula
def _scalar_transverse_momentum(px: float, py: float) -> float:
    """Transverse momentum, the length of the momentum across the beam, pt = sqrt(px^2 + py^2).

    Examples
    --------
    >>> float(transverse_momentum(3.0, -4.0))
    5.0
    """
    return math.sqrt(px * px + py * py)


@_formula
def _scalar_azimuth(px: float, py: float) -> float:
    """Azimuth of a momentum about the beam, phi = atan2(py, px), in [-pi, pi].

    Examples
    --------
    >>> float(azimuth(0.0, 2.0)) == math.pi / 2
    True
    """
    return math.atan2(py, px)


@_formula
def _scalar_pseudorapidity(px: float, py: float, pz: float) -> float:
    """Pseudorapidity of a momentum, eta = asinh(pz / pt) = -ln tan(theta / 2).

    The inverse of pz = pt sinh(eta). An object along the beam (pt = 0) has no finite
    pseudorapidity: NaN (an infinite value is never returned).

    Examples
    --------
    >>> round(float(pseudorapidity(3.0, 4.0, 5.0 * math.sinh(1.5))), 12)
    1.5
    """
    pt = _scalar_transverse_momentum(px, py)
    safe_pt = pt if pt != 0.0 else 1.0  # no division by zero, even in vectorised lanes
    return math.asinh(pz / safe_pt) if pt != 0.0 else math.nan


@_formula
def _sinh_cosh(x: float) -> tuple[float, float]:
    """(sinh x, cosh x) from one libm call: with u = expm1(|x|), e^|x| = 1 + u and

    sinh|x| = u (u + 2) / (2 (1 + u)),  cosh x = ((1 + u) + 1 / (1 + u)) / 2,

    both to a few ulp for every x (no cancellation: u >= 0), sinh taking the sign of x.
    """
    u = math.expm1(abs(x))
    grown = 1.0 + u
    return math.copysign(0.5 * u * (u + 2.0) / grown, x), 0.5 * (grown + 1.0 / grown)


@_formula
def _pair_mass_squared(
    pt1: float, pt2: float, sinh_half_deta: float, sin_half_dphi: float
) -> float:
    """m^2 of two massless objects, 4 pt1 pt2 (sinh^2(delta-eta / 2) + sin^2(delta-phi / 2)).

    The same as 2 pt1 pt2 (cosh delta-eta - cos delta-phi), in the half-angle form that keeps full
    relative precision for nearly collinear objects, where cosh - cos cancels. With
    ``sinh_half_deta = 0`` it is the transverse mass squared. Callers supply the two half-angle
    functions, computed directly or, in the fused builders, from each object's precomputed
    half-angle functions by the addition theorems.
    """
    return 4.0 * pt1 * pt2 * (sinh_half_deta * sinh_half_deta + sin_half_dphi * sin_half_dphi)


@_formula
def _scalar_four_momentum_mass(e: float, px: float, py: float, pz: float) -> float:
    """Invariant (rest) mass of one four-momentum, m = sqrt(max(E^2 - |p|^2, 0)).

    The same in every frame; a squared mass left slightly negative by rounding (a massless
    object, or a sum of four-momenta) gives 0.

    Examples
    --------
    >>> float(four_momentum_mass(13.0, 3.0, 0.0, 4.0))
    12.0
    """
    return _sqrt_clipped(e * e - px * px - py * py - pz * pz)


@_formula
def _scalar_two_body_momentum(mass: float, mass1: float, mass2: float) -> float:
    """Momentum of either daughter in the rest frame of a two-body decay M -> m1 + m2.

    p* = sqrt((M^2 - (m1 + m2)^2) (M^2 - (m1 - m2)^2)) / (2 M), the Kallen function written
    with each difference of squares factorised. NaN below threshold (M < m1 + m2: no decay).

    Examples
    --------
    >>> float(two_body_momentum(91.0, 0.0, 0.0))  # massless daughters share M / 2
    45.5
    >>> float(two_body_momentum(5.0, 3.0, 0.0))  # (25 - 9) / 10
    1.6
    """
    total = mass1 + mass2
    difference = mass1 - mass2
    squared = (mass - total) * (mass + total) * (mass - difference) * (mass + difference)
    momentum = _sqrt_clipped(squared) / (2.0 * mass)
    return momentum if mass >= total else math.nan


@_formula
def _scalar_boost(
    e: float, px: float, py: float, pz: float, beta_x: float, beta_y: float, beta_z: float
) -> tuple[float, float, float, float]:
    """Lorentz boost of the four-momentum (E, p) by the velocity beta (in units of c).

    Takes a four-momentum given in a frame F to the frame in which F moves with velocity beta:
    for a daughter given in its parent's rest frame, beta = p_parent / E_parent gives it in the
    lab (and -beta takes a lab four-momentum to the parent's rest frame). With
    gamma = 1 / sqrt(1 - beta^2):

    E' = gamma (E + beta.p),  p' = p + (gamma^2 / (gamma + 1) beta.p + gamma E) beta,

    the textbook (gamma - 1) / beta^2 written as gamma^2 / (gamma + 1), which is exact at rest
    (no division by beta^2). The mass is unchanged. NaN when |beta| >= 1 (not a velocity).

    Examples
    --------
    >>> [float(v) for v in boost(1.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.6)]  # unit mass at rest, to 0.6 c
    [1.25, 0.0, 0.0, 0.75]
    """
    beta_squared = beta_x * beta_x + beta_y * beta_y + beta_z * beta_z
    if beta_squared >= 1.0:
        return math.nan, math.nan, math.nan, math.nan
    gamma = 1.0 / math.sqrt(1.0 - beta_squared)
    beta_p = beta_x * px + beta_y * py + beta_z * pz
    along = gamma * gamma / (gamma + 1.0) * beta_p + gamma * e
    return gamma * (e + beta_p), px + along * beta_x, py + along * beta_y, pz + along * beta_z


def _boost_core(e, px, py, pz, beta_x, beta_y, beta_z, out_e, out_px, out_py, out_pz):
    """The gufunc loop body of :data:`boost` (one element: four outputs)."""
    out_e[0], out_px[0], out_py[0], out_pz[0] = _scalar_boost(e, px, py, pz, beta_x, beta_y, beta_z)


@_formula
def _scalar_transverse_mass(pt1: float, phi1: float, pt2: float, phi2: float) -> float:
    """Transverse mass of two massless objects, sqrt(2 pt1 pt2 (1 - cos delta-phi))."""
    return _sqrt_clipped(_pair_mass_squared(pt1, pt2, 0.0, math.sin(0.5 * (phi1 - phi2))))


@_formula
def _scalar_invariant_mass_pair(
    pt1: float, eta1: float, phi1: float, pt2: float, eta2: float, phi2: float
) -> float:
    """Invariant mass of two massless objects, sqrt(2 pt1 pt2 (cosh delta-eta - cos delta-phi)).

    The "pseudo" invariant mass of the seed solution: the objects' own masses are neglected.
    """
    return _sqrt_clipped(
        _pair_mass_squared(pt1, pt2, math.sinh(0.5 * (eta1 - eta2)), math.sin(0.5 * (phi1 - phi2)))
    )


@_formula
def _scalar_eta_centrality(eta: float, eta1: float, eta2: float) -> float:
    """How central ``eta`` lies between eta1 and eta2: 1 at the midpoint, 1/e at either edge.

    exp(-4 / (eta1 - eta2)^2 * (eta - (eta1 + eta2) / 2)^2). When eta1 == eta2 the interval is
    empty: 0 (the limit) unless eta sits exactly on it, where it is undefined (NaN).
    """
    span = eta1 - eta2
    centre = eta - 0.5 * (eta1 + eta2)
    if span == 0.0:
        return 0.0 if centre != 0.0 else math.nan
    return math.exp(-4.0 / (span * span) * centre * centre)


@_formula
def _scalar_phi_centrality(phi: float, phi_a: float, phi_b: float) -> float:
    """How central ``phi`` lies between phi_a and phi_b in the transverse plane.

    With s = sign(sin(phi_b - phi_a)), A = s sin(phi - phi_a), B = s sin(phi_b - phi):
    (A + B) / sqrt(A^2 + B^2), which is sqrt(2) on the bisector, 1 on either object, and
    below 1 outside the smaller angle between them (the HiggsML DER_met_phi_centrality).
    """
    sign = math.copysign(1.0, math.sin(phi_b - phi_a))
    a = sign * math.sin(phi - phi_a)
    b = sign * math.sin(phi_b - phi)
    norm = math.sqrt(a * a + b * b)
    if norm == 0.0:
        return math.nan
    return (a + b) / norm


@_formula
def _scalar_collinear_mass(
    pt1: float,
    eta1: float,
    phi1: float,
    pt2: float,
    eta2: float,
    phi2: float,
    met: float,
    met_phi: float,
) -> float:
    """Di-tau mass in the collinear approximation (Ellis et al.).

    The neutrinos of each tau decay are taken collinear with its visible products, so the missing
    transverse momentum splits as MET = a p1 + b p2 with a, b >= 0 (a 2x2 linear system in the
    transverse plane). The visible momentum fractions are x_i = 1 / (1 + a_i) and
    m_collinear = m_vis / sqrt(x1 x2). Undefined (NaN) when the visible objects are back to back
    in phi (singular system) or when a solution needs negative neutrino momentum.
    """
    p1x, p1y, _ = _cartesian_momentum(pt1, math.cos(phi1), math.sin(phi1), 0.0)
    p2x, p2y, _ = _cartesian_momentum(pt2, math.cos(phi2), math.sin(phi2), 0.0)
    mx, my, _ = _cartesian_momentum(met, math.cos(met_phi), math.sin(met_phi), 0.0)
    det = p1x * p2y - p1y * p2x
    if det == 0.0 or math.isnan(det):
        return math.nan
    a = (mx * p2y - my * p2x) / det
    b = (p1x * my - p1y * mx) / det
    if a < 0.0 or b < 0.0:
        return math.nan
    visible = _scalar_invariant_mass_pair(pt1, eta1, phi1, pt2, eta2, phi2)
    return visible * math.sqrt((1.0 + a) * (1.0 + b))


_SIGNATURE_2 = ["float64(float64, float64)"]
_SIGNATURE_3 = ["float64(float64, float64, float64)"]
_SIGNATURE_4 = ["float64(float64, float64, float64, float64)"]
_SIGNATURE_6 = ["float64(float64, float64, float64, float64, float64, float64)"]
_SIGNATURE_8 = ["float64(" + ", ".join(["float64"] * 8) + ")"]
_SIGNATURE_7_TO_4 = ["void(" + ", ".join(["float64"] * 7 + ["float64[:]"] * 4) + ")"]


class ArrayKernel:
    """One scalar formula applied element-wise to arrays: a compiled NumPy ufunc underneath.

    A formula with several results (a tuple) is compiled as a generalised ufunc from ``core``, a
    loop body that writes each result of one element into its own length-1 output; the kernel
    then returns a tuple of arrays.

    Arguments broadcast as in NumPy; NaN in gives NaN out, silently (NaN marks an absent object).
    Infinite input is refused with an error naming the argument. The compiled loop compares NaN
    lanes while vectorised, which sets the floating-point 'invalid' flag that NumPy would turn
    into a RuntimeWarning for every absent object; so when an input holds NaN, that flag is
    ignored (without NaN input it is reported as usual). ``.ufunc`` is the bare ufunc (``out=``
    etc.).
    """

    def __init__(self, signature: list[str], formula, core=None):
        self.arguments = tuple(inspect.signature(formula.py_func).parameters)
        if core is None:
            self.ufunc = vectorize(signature, cache=True)(formula.py_func)
        else:
            n_outputs = len(inspect.signature(core).parameters) - len(self.arguments)
            layout = ",".join(["()"] * len(self.arguments)) + "->" + ",".join(["()"] * n_outputs)
            self.ufunc = guvectorize(signature, layout, cache=True)(core)
        self.__name__ = formula.__name__.removeprefix("_scalar_")
        self.__doc__ = formula.__doc__

    def __call__(self, *values: ArrayLike) -> FloatArray | tuple[FloatArray, ...]:
        if len(values) != len(self.arguments):
            raise TypeError(
                f"{self.__name__} takes {len(self.arguments)} arguments "
                f"({', '.join(self.arguments)}), got {len(values)}"
            )
        arrays = [
            as_numeric_array(value, name)
            for name, value in zip(self.arguments, values, strict=True)
        ]
        has_nan = False
        for name, array in zip(self.arguments, arrays, strict=True):
            if not np.isfinite(array).all():
                check_finite(array, name, allow_nan=True)
                has_nan = True
        # without NaN input, an 'invalid' flag would be a real problem: NumPy reports it as usual
        quiet = np.errstate(invalid="ignore") if has_nan else contextlib.nullcontext()
        with quiet:
            return self.ufunc(*arrays)

    def __repr__(self) -> str:
        return f"<hepclf kinematics kernel {self.__name__}({', '.join(self.arguments)})>"


# Array kernels: broadcasting, NaN-propagating.
delta_phi = ArrayKernel(_SIGNATURE_2, _scalar_delta_phi)
abs_delta_phi = ArrayKernel(_SIGNATURE_2, _scalar_abs_delta_phi)
delta_eta = ArrayKernel(_SIGNATURE_2, _scalar_delta_eta)
delta_r = ArrayKernel(_SIGNATURE_4, _scalar_delta_r)
momentum_x = ArrayKernel(_SIGNATURE_2, _scalar_px)
momentum_y = ArrayKernel(_SIGNATURE_2, _scalar_py)
momentum_z = ArrayKernel(_SIGNATURE_2, _scalar_pz)
energy_massless = ArrayKernel(_SIGNATURE_2, _scalar_energy_massless)
energy = ArrayKernel(_SIGNATURE_4, _scalar_energy)
transverse_momentum_from_momentum = ArrayKernel(_SIGNATURE_2, _scalar_pt_from_momentum)
transverse_momentum = ArrayKernel(_SIGNATURE_2, _scalar_transverse_momentum)
azimuth = ArrayKernel(_SIGNATURE_2, _scalar_azimuth)
pseudorapidity = ArrayKernel(_SIGNATURE_3, _scalar_pseudorapidity)
four_momentum_mass = ArrayKernel(_SIGNATURE_4, _scalar_four_momentum_mass)
two_body_momentum = ArrayKernel(_SIGNATURE_3, _scalar_two_body_momentum)
boost = ArrayKernel(_SIGNATURE_7_TO_4, _scalar_boost, core=_boost_core)
transverse_mass = ArrayKernel(_SIGNATURE_4, _scalar_transverse_mass)
invariant_mass_pair = ArrayKernel(_SIGNATURE_6, _scalar_invariant_mass_pair)
eta_centrality = ArrayKernel(_SIGNATURE_3, _scalar_eta_centrality)
phi_centrality = ArrayKernel(_SIGNATURE_3, _scalar_phi_centrality)
collinear_mass = ArrayKernel(_SIGNATURE_8, _scalar_collinear_mass)


def cartesian(pt: FloatArray, eta: FloatArray, phi: FloatArray) -> tuple[FloatArray, ...]:
    """Cartesian momentum (px, py, pz) and energy E of massless objects from (pt, eta, phi)."""
    return (
        momentum_x(pt, phi),
        momentum_y(pt, phi),
        momentum_z(pt, eta),
        energy_massless(pt, eta),
    )


@njit(cache=True, inline="always", error_model="numpy")
def _four_momentum_sum(pt, eta, phi, mass, row):
    """Sum of the four-momenta of the present objects (pt not NaN) of one event."""
    e_sum = 0.0
    px_sum = 0.0
    py_sum = 0.0
    pz_sum = 0.0
    for k in range(pt.shape[1]):
        if math.isnan(pt[row, k]):
            continue
        angle = phi[row, k]
        p_x, p_y, p_z = _cartesian_momentum(
            pt[row, k], math.cos(angle), math.sin(angle), math.sinh(eta[row, k])
        )
        e_sum += _scalar_energy(p_x, p_y, p_z, mass[row, k])
        px_sum += p_x
        py_sum += p_y
        pz_sum += p_z
    return e_sum, px_sum, py_sum, pz_sum


@njit(cache=True, parallel=True, error_model="numpy")
def _invariant_mass_many(pt, eta, phi, mass):
    out = np.empty(pt.shape[0])
    for row in prange(pt.shape[0]):
        e, p_x, p_y, p_z = _four_momentum_sum(pt, eta, phi, mass, row)
        out[row] = _scalar_four_momentum_mass(e, p_x, p_y, p_z)
    return out


@njit(cache=True, inline="always", error_model="numpy")
def _add_transverse_momentum(px_sum, py_sum, pt, phi):
    """(px_sum, py_sum) plus the transverse momentum of one object; an absent object (pt NaN)
    adds nothing."""
    if math.isnan(pt):
        return px_sum, py_sum
    p_x, p_y, _ = _cartesian_momentum(pt, math.cos(phi), math.sin(phi), 0.0)
    return px_sum + p_x, py_sum + p_y


@njit(cache=True, inline="always", error_model="numpy")
def _transverse_momentum_sum(pt, phi, row):
    """(sum px, sum py) of the present objects (pt not NaN) of one event."""
    px_sum = 0.0
    py_sum = 0.0
    for k in range(pt.shape[1]):
        px_sum, py_sum = _add_transverse_momentum(px_sum, py_sum, pt[row, k], phi[row, k])
    return px_sum, py_sum


@njit(cache=True, parallel=True, error_model="numpy")
def _vector_sum_pt(pt, phi):
    out = np.empty(pt.shape[0])
    for row in prange(pt.shape[0]):
        px_sum, py_sum = _transverse_momentum_sum(pt, phi, row)
        out[row] = _scalar_transverse_momentum(px_sum, py_sum)
    return out


@njit(cache=True, parallel=True, error_model="numpy")
def _transverse_momentum_sum_many(pt, phi, out_x, out_y):
    for row in prange(pt.shape[0]):
        out_x[row], out_y[row] = _transverse_momentum_sum(pt, phi, row)


def _objects(name: str, values) -> FloatArray:
    """``values`` as a C-contiguous (n_events, n_objects) float64 array with events, NaN allowed
    (an absent object), infinities refused."""
    array = np.ascontiguousarray(as_numeric_array(values, name))
    if array.ndim != 2:
        raise ValueError(f"{name} must be 2-D (n_events, n_objects), got shape {array.shape}")
    if array.shape[0] == 0:
        raise ValueError(f"{name} has no events")
    check_finite(array, name, allow_nan=True)
    return array


def _check_present(pt: FloatArray, values: FloatArray, name: str) -> None:
    """Raise unless ``values`` is a number wherever ``pt`` marks the object present."""
    unknown = np.isnan(values) & ~np.isnan(pt)
    if unknown.any():
        first = tuple(int(i[0]) for i in np.nonzero(unknown))
        raise ValueError(
            f"{name} is NaN at index {first}, where pt is not NaN (the object is present)"
        )


def invariant_mass(
    pt: FloatArray, eta: FloatArray, phi: FloatArray, mass: FloatArray | None = None
) -> FloatArray:
    """Invariant mass of several objects per event, sqrt((sum E)^2 - |sum p|^2).

    Parameters
    ----------
    pt, eta, phi : ndarray, shape (n_events, n_objects)
        Kinematics of each object; a NaN ``pt`` marks an absent object, which is skipped.
    mass : ndarray, optional
        Object masses (default 0: massless objects).
    """
    pt, eta, phi = _objects("pt", pt), _objects("eta", eta), _objects("phi", phi)
    if not (pt.shape == eta.shape == phi.shape):
        raise ValueError(f"pt, eta, phi shapes differ: {pt.shape}, {eta.shape}, {phi.shape}")
    masses = np.zeros_like(pt) if mass is None else _objects("mass", mass)
    if masses.shape != pt.shape:
        raise ValueError(f"mass has shape {masses.shape}, expected {pt.shape}")
    for name, values in (("eta", eta), ("phi", phi), ("mass", masses)):
        _check_present(pt, values, name)
    return _invariant_mass_many(pt, eta, phi, masses)


def vector_sum_pt(pt: FloatArray, phi: FloatArray) -> FloatArray:
    """Modulus of the vector sum of transverse momenta, |sum_k pt_k (cos phi_k, sin phi_k)|.

    ``pt`` and ``phi`` have shape (n_events, n_objects); a NaN ``pt`` marks an absent object.
    """
    pt, phi = _pt_phi(pt, phi)
    return _vector_sum_pt(pt, phi)


def transverse_momentum_sum(pt: FloatArray, phi: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Vector sum of the transverse momenta of several objects per event, (sum px, sum py).

    The transverse momentum of the system of objects (e.g. the recoil of a boson against the
    jets is minus this sum); its length is :func:`vector_sum_pt`, its direction
    ``azimuth(*transverse_momentum_sum(pt, phi))``.

    Parameters
    ----------
    pt, phi : ndarray, shape (n_events, n_objects)
        Transverse momenta and azimuths; a NaN ``pt`` marks an absent object, which is skipped
        (an event without objects sums to 0).

    Returns
    -------
    (px, py) : two ndarrays of shape (n_events,)

    Examples
    --------
    >>> px, py = transverse_momentum_sum([[10.0, 5.0, np.nan]], [[0.0, math.pi / 2, 1.0]])
    >>> float(px[0]), round(float(py[0]), 12)
    (10.0, 5.0)
    """
    pt, phi = _pt_phi(pt, phi)
    out_x, out_y = np.empty(pt.shape[0]), np.empty(pt.shape[0])
    _transverse_momentum_sum_many(pt, phi, out_x, out_y)
    return out_x, out_y


def _pt_phi(pt, phi) -> tuple[FloatArray, FloatArray]:
    pt, phi = _objects("pt", pt), _objects("phi", phi)
    if pt.shape != phi.shape:
        raise ValueError(f"pt and phi shapes differ: {pt.shape}, {phi.shape}")
    _check_present(pt, phi, "phi")
    return pt, phi


@njit(cache=True, parallel=True, error_model="numpy")
def _orient(phi, eta, reference, flip_by, flip_z, out_phi, out_eta):
    for row in prange(phi.shape[0]):
        ref = phi[row, reference]
        sign_phi = 1.0
        if flip_by >= 0:
            turned = _scalar_delta_phi(phi[row, flip_by], ref)
            if turned < 0.0:
                sign_phi = -1.0
        sign_eta = 1.0
        if flip_z and eta[row, reference] < 0.0:
            sign_eta = -1.0
        for k in range(phi.shape[1]):
            out_phi[row, k] = sign_phi * _scalar_delta_phi(phi[row, k], ref)
            out_eta[row, k] = sign_eta * eta[row, k]


def orient_event(
    phi: FloatArray,
    eta: FloatArray,
    reference: int = 0,
    flip_by: int | None = 1,
    flip_z: bool = True,
) -> tuple[FloatArray, FloatArray]:
    """Fix the orientation of each event, using the symmetries of the collision.

    The physics is invariant under a rotation about the beam, a reflection of the transverse plane
    and a reflection of z. Each event is turned so that object ``reference`` sits at phi = 0;
    mirrored (phi -> -phi) so that object ``flip_by`` has phi >= 0; and with ``flip_z``, mirrored
    (eta -> -eta) so that the reference object has eta >= 0. Rotation-invariant quantities (opening
    angles, masses, pt) are unchanged. An object whose phi is NaN stays NaN; if the ``flip_by``
    object is absent the event is not mirrored.

    Parameters
    ----------
    phi, eta : ndarray, shape (n_events, n_objects)
        Azimuths and pseudorapidities of the objects (the MET has a phi; give it eta = NaN).
    reference : int
        Column of the object put at phi = 0.
    flip_by : int or None
        Column of the object put at phi >= 0; None: no mirroring in phi.
    flip_z : bool
        Mirror z so that the reference object has eta >= 0.

    Returns
    -------
    (phi, eta) : new arrays of the same shape.
    """
    phi, eta = _objects("phi", phi), _objects("eta", eta)
    if phi.shape != eta.shape:
        raise ValueError(f"phi and eta shapes differ: {phi.shape}, {eta.shape}")
    n_objects = phi.shape[1]
    check_flag(flip_z, "flip_z")
    for name, index in (("reference", reference), ("flip_by", flip_by)):
        if index is None and name == "flip_by":
            continue
        if isinstance(index, (bool, np.bool_)) or not isinstance(index, (int, np.integer)):
            raise TypeError(f"{name} must be an integer column index, got {index!r}")
        if not 0 <= index < n_objects:
            raise ValueError(
                f"{name} must be a column index from 0 to below {n_objects}, got {index}"
            )
    if np.isnan(phi[:, reference]).any():
        row = int(np.flatnonzero(np.isnan(phi[:, reference]))[0])
        raise ValueError(f"phi of the reference object (column {reference}) is NaN in row {row}")
    # outputs allocated by NumPy, which gets huge pages for large arrays (cheaper first writes)
    out_phi, out_eta = np.empty_like(phi), np.empty_like(eta)
    flip_by = -1 if flip_by is None else flip_by
    _orient(phi, eta, reference, flip_by, bool(flip_z), out_phi, out_eta)
    return out_phi, out_eta
