"""Weighted Kolmogorov-Smirnov agreement test of the Flavours of Physics challenge.

On the control channel Ds -> phi pi the classifier output must be distributed alike on real data
and on simulation, or the classifier has learnt simulation artefacts. With each side's weights
normalised to sum to 1 (real data carries sWeights, which can be negative), the statistic is

    KS = max_t | F_real(t) - F_sim(t) |,   F(t) = sum_i w_i [p_i <= t],

the largest distance between the two weighted cumulative distributions of the predictions. The
official code takes the largest |FPR - TPR| of a weighted ROC curve, which is the same number. The
test passes when KS < 0.09.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
from numba import njit

from hepclf._utils import (
    ArrayLike,
    FloatArray,
    as_float_array,
    as_weights,
    check_positive_total,
    check_probabilities,
    check_real,
)
from hepclf.metrics._cumulative import cumulative_two_groups
from hepclf.metrics._result import PhysicsTestResult

#: The challenge's pass threshold for the KS agreement test.
KS_THRESHOLD = 0.09


def ks_agreement(
    pred_real: ArrayLike,
    pred_sim: ArrayLike,
    weight_real: ArrayLike | None = None,
    weight_sim: ArrayLike | None = None,
    threshold: float = KS_THRESHOLD,
) -> PhysicsTestResult:
    """Weighted KS distance between predictions on real data and on simulation.

    Parameters
    ----------
    pred_real, pred_sim : array-like
        Predicted signal probabilities, in [0, 1], on real data (``signal == 0`` in
        check_agreement) and on simulation (``signal == 1``).
    weight_real, weight_sim : array-like, optional
        Event weights; sWeights may be negative. Each side must sum to a positive number.
        ``None`` means unit weights.
    threshold : float
        Pass threshold (0.09 in the challenge).

    Returns
    -------
    PhysicsTestResult
        ``.value`` the KS distance, ``.passed`` true when it is below ``threshold``.

    Raises
    ------
    TypeError
        A prediction or weight array is not numeric, ``threshold`` is not a real number.
    ValueError
        Predictions empty, not 1-D, NaN, infinite or outside [0, 1]; weights of the wrong length,
        NaN or infinite, or a side's weights not summing to a positive number; ``threshold``
        outside (0, 1].

    Examples
    --------
    >>> ks_agreement([0.1, 0.2, 0.3], [0.1, 0.2, 0.9]).value
    0.3333333333333333
    """
    threshold = check_real(threshold, "threshold", minimum=0.0, maximum=1.0, open_minimum=True)
    curves = agreement_curves(pred_real, pred_sim, weight_real, weight_sim)
    return PhysicsTestResult("KS agreement", curves.distance, threshold)


class AgreementCurves(NamedTuple):
    """The two weighted distributions the KS agreement test compares, at every distinct cut.

    Attributes
    ----------
    cuts : ndarray
        Distinct predictions, decreasing.
    real, sim : ndarray
        Normalised weight of real data and of simulation with ``pred >= cut`` (survival
        functions; the cumulative distributions are ``1 - real`` and ``1 - sim``).

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: build the curves
        with :func:`agreement_curves`).
    """

    cuts: FloatArray
    real: FloatArray
    sim: FloatArray

    @property
    def distance(self) -> float:
        """The KS distance max |F_real - F_sim| (= max |S_real - S_sim|: both totals are 1); NaN
        when a curve holds NaN.

        Raises
        ------
        ValueError
            ``real`` and ``sim`` differ in length (curves not built by
            :func:`agreement_curves`).
        """
        real, sim = np.asarray(self.real, dtype=np.float64), np.asarray(self.sim, dtype=np.float64)
        if real.shape != sim.shape or real.ndim != 1:
            raise ValueError(
                f"real and sim must be 1-D curves of one length, got shapes {real.shape} and "
                f"{sim.shape}"
            )
        return float(_largest_gap(real, sim))


@njit(cache=True, error_model="numpy")
def _largest_gap(first: FloatArray, second: FloatArray) -> float:  # pragma: no cover - numba
    """``max |first - second|`` in one pass (NumPy's takes three and two temporary arrays); NaN
    if a difference is NaN, as NumPy's."""
    largest = 0.0
    for k in range(first.size):
        gap = abs(first[k] - second[k])
        if np.isnan(gap):
            return gap
        largest = max(largest, gap)
    return largest


def agreement_curves(
    pred_real: ArrayLike,
    pred_sim: ArrayLike,
    weight_real: ArrayLike | None = None,
    weight_sim: ArrayLike | None = None,
) -> AgreementCurves:
    """The weighted survival functions of :func:`ks_agreement` (arguments as there), for figures
    and for anyone who wants to see where the distance is reached.

    Raises
    ------
    TypeError
        ``pred_real`` or ``pred_sim`` is None or not numeric; a weight array is not numeric or is
        boolean.
    ValueError
        A prediction array is empty, not 1-D, NaN, infinite or outside [0, 1]; a weight array is
        not 1-D, of the wrong length, NaN, infinite or all zero, or a side's weights do not sum to
        a positive number (negative weights are accepted).
    """
    real = as_float_array(pred_real, "pred_real")
    sim = as_float_array(pred_sim, "pred_sim")
    check_probabilities(real, "pred_real")
    check_probabilities(sim, "pred_sim")
    w_real = as_weights(weight_real, "weight_real", real.size, allow_negative=True)
    w_sim = as_weights(weight_sim, "weight_sim", sim.size, allow_negative=True)
    w_real = w_real / check_positive_total(w_real, "weight_real")
    w_sim = w_sim / check_positive_total(w_sim, "weight_sim")
    return agreement_curves_checked(real, sim, w_real, w_sim)


def agreement_curves_checked(
    real: FloatArray, sim: FloatArray, w_real: FloatArray, w_sim: FloatArray
) -> AgreementCurves:
    """:func:`agreement_curves` of predictions already checked and weights already normalised to
    sum 1 on each side (for searches that test many predictions of the same events)."""
    predictions = np.concatenate([real, sim])
    side = np.concatenate([np.zeros(real.size, dtype=np.int8), np.ones(sim.size, dtype=np.int8)])
    cuts, above_real, above_sim = cumulative_two_groups(
        predictions, side, np.concatenate([w_real, w_sim])
    )
    # Both totals are 1, so |S_real - S_sim| over survival functions equals |F_real - F_sim|;
    # the empty selection (0, 0) adds nothing.
    return AgreementCurves(cuts, above_real, above_sim)
