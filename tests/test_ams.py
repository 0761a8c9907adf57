"""AMS: hand-computed values, limits, agreement with a loop over cuts, real-data normalisation."""

from __future__ import annotations

import math
import warnings
from decimal import Decimal, getcontext

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hepclf.metrics import (
    HIGGS_TOTALS,
    ams,
    ams_curve,
    best_cut,
    leaderboard_ams,
    renormalise,
    selection_ams,
)


def test_ams_hand_computed():
    # s = 3, b = 1, b_r = 10: (s + b + b_r) ln(1 + s / (b + b_r)) - s = 14 ln(14 / 11) - 3
    # ln(14/11) = 0.2411620568..., 14 * 0.2411620568 = 3.3762687958, minus 3 = 0.3762687958,
    # times 2 = 0.7525375917, sqrt = 0.8674892.
    assert ams(3.0, 1.0) == pytest.approx(0.8674892, abs=5e-8)
    # Without regularisation, s = b = 1: sqrt(2 (2 ln 2 - 1)) = sqrt(0.77258872) = 0.87897026
    assert ams(1.0, 1.0, br=0.0) == pytest.approx(0.8789703, abs=5e-8)


def test_ams_limits():
    assert ams(0.0, 123.0) == 0.0
    assert ams(0.0, 0.0, br=0.0) == 0.0
    assert ams(2.0, 0.0, br=0.0) == math.inf
    # s << b: AMS -> s / sqrt(b + b_r) to first order; the series keeps full precision there
    s, b = 1e-7, 1e4
    assert ams(s, b) == pytest.approx(s / math.sqrt(b + 10.0), rel=1e-9)


def _ams_decimal(s: float, b: float, br: float = 10.0) -> float:
    """The challenge formula in 50-digit decimal arithmetic: no cancellation at any s / b."""
    getcontext().prec = 50
    s_, d = Decimal(s), Decimal(b) + Decimal(br)
    if s_ == 0 or d == 0:  # the limits: no signal, or nothing to compare it with
        return 0.0 if s_ == 0 else math.inf
    return float((2 * ((s_ + d) * (1 + s_ / d).ln() - s_)).sqrt())


def test_ams_is_exact_to_the_last_digits_over_the_whole_range(rng):
    s = np.concatenate([rng.uniform(0.1, 500.0, 200), 10.0 ** rng.uniform(-9, 0, 200)])
    b = np.concatenate([rng.uniform(0.0, 5e3, 200), 10.0 ** rng.uniform(0, 6, 200)])
    expected = [_ams_decimal(si, bi) for si, bi in zip(s, b, strict=True)]
    np.testing.assert_allclose(ams(s, b), expected, rtol=1e-13)


def test_ams_is_monotonic_and_scales_like_root_luminosity():
    assert ams(10.0, 100.0) > ams(9.0, 100.0)
    assert ams(10.0, 100.0) > ams(10.0, 110.0)
    # with b_r scaled too, AMS scales exactly as sqrt of the weight scale
    assert ams(40.0, 400.0, br=40.0) == pytest.approx(2 * ams(10.0, 100.0, br=10.0), rel=1e-14)


@pytest.mark.parametrize(
    "args, message",
    [
        ((-1.0, 1.0), "s must be non-negative"),
        ((1.0, -1.0), "b must be non-negative"),
        ((np.nan, 1.0), "s has 1 NaN or infinite value"),
        ((1.0, np.inf), "b has 1 NaN or infinite value"),
    ],
)
def test_ams_rejects_bad_input(args, message):
    with pytest.raises(ValueError, match=message):
        ams(*args)


def test_ams_rejects_bad_br():
    with pytest.raises(ValueError, match="br"):
        ams(1.0, 1.0, br=-1.0)


def test_renormalise_hits_totals_and_keeps_ratios(rng):
    y = rng.integers(0, 2, 500)
    w = rng.uniform(0.1, 3.0, 500)
    out = renormalise(y, w)
    assert out[y == 1].sum() == pytest.approx(HIGGS_TOTALS.signal, rel=1e-12)
    assert out[y == 0].sum() == pytest.approx(HIGGS_TOTALS.background, rel=1e-12)
    np.testing.assert_allclose(out[y == 1] / w[y == 1], out[y == 1][0] / w[y == 1][0])
    custom = renormalise(np.where(y == 1, "s", "b"), w, totals=(2.0, 5.0))
    assert custom[y == 1].sum() == pytest.approx(2.0) and custom[y == 0].sum() == pytest.approx(5.0)


def _ams_by_loop(y, score, w):
    """Independent reference: every distinct score as a cut, one full pass each."""
    cuts = np.unique(score)[::-1]
    values = []
    for cut in cuts:
        sel = score >= cut
        values.append(ams(w[sel & (y == 1)].sum(), w[sel & (y == 0)].sum()))
    return cuts, np.array(values)


def test_ams_curve_equals_loop_over_cuts_with_ties(rng):
    n = 2000
    y = rng.integers(0, 2, n)
    score = np.round(rng.normal(y * 0.8, 1.0), 1)  # heavy ties
    w = rng.uniform(0.5, 2.0, n)
    curve = ams_curve(y, score, w, totals=None)
    cuts, values = _ams_by_loop(y, score, w)
    np.testing.assert_array_equal(curve.cuts, cuts)
    np.testing.assert_allclose(curve.ams, values, rtol=1e-12)
    assert curve.cuts.size == np.unique(score).size
    # renormalised curve equals the loop on renormalised weights
    renorm = ams_curve(y, score, w)
    np.testing.assert_allclose(renorm.ams, _ams_by_loop(y, score, renormalise(y, w))[1], rtol=1e-12)


def test_best_cut_is_argmax_of_curve(rng):
    y = rng.integers(0, 2, 3000)
    score = rng.normal(y, 1.0)
    w = rng.uniform(0.5, 2.0, 3000)
    best = best_cut(y, score, w)
    curve = ams_curve(y, score, w)
    assert best.ams == curve.ams.max()
    assert selection_ams(y, score >= best.cut, w) == pytest.approx(best.ams, rel=1e-12)
    assert best.selected_fraction == pytest.approx(np.mean(score >= best.cut))


def _higgs_arrays(frame: pd.DataFrame):
    y = (frame["Label"] == "s").to_numpy().astype(int)
    mmc = frame["DER_mass_MMC"].replace(-999.0, 0.0).to_numpy()
    score = -np.abs(mmc - 125.0)  # closeness of the MMC mass to the Higgs mass: a physics score
    return y, score, frame["Weight"].to_numpy()


def test_real_sample_renormalised_subsets_agree_raw_ones_do_not(higgs_raw):
    y, score, w = _higgs_arrays(higgs_raw)
    cut = best_cut(y, score, w).cut
    reference = selection_ams(y, score >= cut, w)
    raw_full = selection_ams(y, score >= cut, w, totals=None)
    parts = np.random.default_rng(7).permutation(y.size)
    for k in (2, 4, 8):
        for part in np.array_split(parts, k)[:2]:
            renormed = selection_ams(y[part], score[part] >= cut, w[part])
            raw = selection_ams(y[part], score[part] >= cut, w[part], totals=None)
            assert renormed == pytest.approx(reference, rel=0.15)
            # raw weights of 1/k of the events: the AMS falls by about sqrt(1/k)
            assert raw / raw_full == pytest.approx(math.sqrt(1 / k), rel=0.1)
            assert raw < 0.8 * renormed


def _leaderboard_frame(rng, n=4000):
    sets = np.where(np.arange(n) % 2 == 0, "b", "v")
    y = rng.integers(0, 2, n)
    w = rng.uniform(0.5, 1.5, n)
    for code in ("b", "v"):
        in_set = sets == code
        w[in_set] = renormalise(y[in_set], w[in_set])
    score = rng.normal(y, 1.0)
    return sets, y, score, w


def test_leaderboard_scores_each_set_alone(rng):
    sets, y, score, w = _leaderboard_frame(rng)
    board = leaderboard_ams(sets, y, score, w, cut=1.0)
    for name, code in (("public", "b"), ("private", "v")):
        s = sets == code
        assert board[name] == pytest.approx(selection_ams(y[s], score[s] >= 1.0, w[s], totals=None))
    # scoring both sets together with the given weights doubles the luminosity: ~sqrt(2) too high
    both = selection_ams(y, score >= 1.0, w, totals=None)
    assert both / np.mean(list(board.values())) == pytest.approx(math.sqrt(2), rel=0.05)


def test_leaderboard_refuses_incomplete_set(rng):
    sets, y, score, w = _leaderboard_frame(rng)
    keep = np.arange(y.size) > 10
    with pytest.raises(ValueError, match="kaggle_weight of the .* set 'b'"):
        leaderboard_ams(sets[keep], y[keep], score[keep], w[keep], cut=1.0)
    with pytest.raises(ValueError, match="no events of set 'v'"):
        only_b = sets == "b"
        leaderboard_ams(sets[only_b], y[only_b], score[only_b], w[only_b], cut=1.0)
    with pytest.raises(ValueError, match="cut"):
        leaderboard_ams(sets, y, score, w, cut=np.nan)
    with pytest.raises(ValueError, match="kaggle_set"):
        leaderboard_ams(sets[:-1], y, score, w, cut=1.0)


BAD_CURVE_INPUTS = [
    (dict(score=[0.1, 0.2]), "length mismatch"),
    (dict(sample_weight=[1.0, 1.0]), "length mismatch"),
    (dict(score=[0.1, np.nan, 0.3]), "score has 1 NaN"),
    (dict(score=[0.1, np.inf, 0.3]), "score has 1 NaN or infinite"),
    (dict(sample_weight=[1.0, np.nan, 1.0]), "sample_weight has 1 NaN"),
    (dict(sample_weight=[1.0, -1.0, 1.0]), "sample_weight has 1 negative"),
    (dict(sample_weight=[0.0, 0.0, 0.0]), "sample_weight are all zero"),
    (dict(y=[1, 2, 0]), "y must hold only 0 and 1"),
    (dict(y=["s", "x", "b"]), "y must hold 0/1 or 's'/'b'"),
    (dict(y=[1, 1, 1]), "single class"),
    (dict(y=[], score=[], sample_weight=[]), "y is empty"),
    (dict(sample_weight=[1.0, 0.0, 1.0], y=[1, 0, 1]), "background events sum to 0"),
]


@pytest.mark.parametrize("override, message", BAD_CURVE_INPUTS)
def test_ams_curve_rejects_bad_input(override, message):
    args = dict(y=[1, 0, 1], score=[0.1, 0.2, 0.3], sample_weight=[1.0, 1.0, 1.0]) | override
    with pytest.raises(ValueError, match=message):
        ams_curve(**args)


def test_ams_curve_requires_weights_and_valid_totals():
    with pytest.raises(TypeError, match="sample_weight is required"):
        ams_curve([1, 0], [0.1, 0.2], None)
    with pytest.raises(ValueError, match="totals: the signal total"):
        ams_curve([1, 0], [0.1, 0.2], [1.0, 1.0], totals=(0.0, 1.0))
    with pytest.raises(TypeError, match="selected must be a boolean mask"):
        selection_ams([1, 0], [1, 0], [1.0, 1.0])


def test_ams_limits_are_exact_and_silent():
    """b + b_r = 0 is a legal limit (b_r = 0, no background selected): inf for any s > 0, 0 for
    s = 0, without a floating-point warning; a scalar in gives a Python float out."""
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ams(0.5, 0.0, br=0.0) == math.inf  # s below 1 too
        assert ams(0.0, 0.0, br=0.0) == 0.0
        np.testing.assert_array_equal(
            ams(np.array([0.0, 0.25, 3.0]), 0.0, br=0.0), [0.0, math.inf, math.inf]
        )
    assert type(ams(3.0, 1.0)) is float and type(ams(3, 1)) is float
    assert isinstance(ams([3.0, 1.0], [1.0, 1.0]), np.ndarray)


def test_ams_scales_like_root_luminosity_with_br(rng):
    """AMS(k s, k b, k b_r) = sqrt(k) AMS(s, b, b_r) exactly (b_r scaled with the luminosity)."""
    s, b = rng.uniform(0.1, 50.0, 100), rng.uniform(0.0, 1e4, 100)
    for k in (0.25, 2.0, 1e3):
        np.testing.assert_allclose(ams(k * s, k * b, br=10.0 * k), np.sqrt(k) * ams(s, b), 1e-13)


@pytest.mark.parametrize("br", [0.0, 3.0])
def test_br_reaches_every_ams_function(rng, br):
    """b_r other than the challenge's 10 (lumin's b_r = 0, the audit's protocol table) is used by
    the curve, the best cut, a fixed selection and the leaderboard alike."""
    y = rng.integers(0, 2, 400)
    score = np.round(rng.normal(y, 1.0), 1)
    w = rng.uniform(0.5, 2.0, 400)
    scaled = renormalise(y, w)

    def by_hand(mask, weights):
        s, b = weights[mask & (y == 1)].sum(), weights[mask & (y == 0)].sum()
        return _ams_decimal(s, b, br)

    curve = ams_curve(y, score, w, br=br)
    expected = [by_hand(score >= cut, scaled) for cut in curve.cuts]
    np.testing.assert_allclose(curve.ams, expected, rtol=1e-12)
    best = best_cut(y, score, w, br=br)
    assert best.ams == pytest.approx(max(expected), rel=1e-12)
    assert selection_ams(y, score >= 0.5, w, br=br) == pytest.approx(
        by_hand(score >= 0.5, scaled), rel=1e-12
    )
    raw = ams_curve(y, score, w, totals=None, br=br)
    np.testing.assert_allclose(raw.ams, [by_hand(score >= c, w) for c in raw.cuts], rtol=1e-12)
    sets, yy, ss, ww = _leaderboard_frame(rng)
    board = leaderboard_ams(sets, yy, ss, ww, cut=1.0, br=br)
    for name, code in (("public", "b"), ("private", "v")):
        mask = (sets == code) & (ss >= 1.0)
        s, b = ww[mask & (yy == 1)].sum(), ww[mask & (yy == 0)].sum()
        assert board[name] == pytest.approx(_ams_decimal(s, b, br), rel=1e-12)


def test_best_cut_reports_its_selection(rng):
    """s and b of the best cut are the renormalised weight sums of the events it selects."""
    y = rng.integers(0, 2, 1000)
    score = rng.normal(y, 1.0)
    w = rng.uniform(0.5, 2.0, 1000)
    best = best_cut(y, score, w)
    selected = score >= best.cut
    scaled = renormalise(y, w)
    assert best.signal == pytest.approx(scaled[selected & (y == 1)].sum(), rel=1e-12)
    assert best.background == pytest.approx(scaled[selected & (y == 0)].sum(), rel=1e-12)
    assert best.ams == pytest.approx(_ams_decimal(best.signal, best.background), rel=1e-12)


def test_renormalise_small_weights_and_small_totals():
    """Physics weights and totals below 1 are ordinary (a Higgs signal event weighs ~0.002)."""
    y = np.array([1, 1, 0, 0, 0])
    w = np.array([0.002, 0.001, 0.3, 0.1, 0.1])
    out = renormalise(y, w)
    np.testing.assert_allclose(out[:2], [2 / 3 * 691.988607712, 1 / 3 * 691.988607712], 1e-14)
    np.testing.assert_allclose(out[2:], np.array([0.6, 0.2, 0.2]) * 410999.847322, rtol=1e-14)
    np.testing.assert_allclose(
        renormalise(y, w, totals=(0.5, 0.25)), [1 / 3, 1 / 6, 0.15, 0.05, 0.05]
    )


def test_leaderboard_tolerance_and_inclusive_cut(rng):
    sets, y, score, w = _leaderboard_frame(rng)
    # a set whose signal KaggleWeight is off by 0.5 events (7e-4 relative) is refused
    off = w.copy()
    off[(sets == "b") & (y == 1)] *= 1 + 0.5 / HIGGS_TOTALS.signal
    with pytest.raises(ValueError, match="signal events of set 'b'"):
        leaderboard_ams(sets, y, score, off, cut=1.0)
    # rtol is honoured: 3e-6 off fails the default 1e-6 and passes 1e-5
    slightly = w.copy()
    slightly[(sets == "v") & (y == 0)] *= 1 + 3e-6
    with pytest.raises(ValueError, match="background events of set 'v'"):
        leaderboard_ams(sets, y, score, slightly, cut=1.0)
    assert leaderboard_ams(sets, y, score, slightly, cut=1.0, rtol=1e-5)["public"] > 0
    # events exactly at the cut are selected (score >= cut)
    at_cut = np.where(score > 1.0, score, 1.0)
    board = leaderboard_ams(sets, y, at_cut, w, cut=1.0)
    assert board["public"] == pytest.approx(
        selection_ams(y[sets == "b"], np.ones((sets == "b").sum(), bool), w[sets == "b"], None)
    )


@settings(max_examples=100, deadline=None)
@given(
    # physical ranges: expected counts from 1e-9 events up, b = 0 exactly included
    s=st.one_of(st.just(0.0), st.floats(1e-9, 1e6)),
    b=st.one_of(st.just(0.0), st.floats(1e-3, 1e7)),
    br=st.sampled_from([0.0, 1.0, 10.0]),
)
def test_ams_matches_50_digit_arithmetic_and_is_monotonic(s, b, br):
    value = ams(s, b, br=br)
    expected = _ams_decimal(s, b, br)
    if math.isinf(expected):
        assert value == math.inf
    else:
        assert value == pytest.approx(expected, rel=1e-12, abs=1e-300)
    # more signal never hurts, more background never helps
    assert ams(s * 1.5 + 1e-3, b, br=br) >= value
    if math.isfinite(value):
        assert ams(s, b * 1.5 + 1.0, br=br) <= value


def test_ams_stays_finite_for_an_almost_empty_background():
    """s / (b + b_r) near the float64 limit: AMS^2 / 2 = (s + d) ln(1 + s / d) - s is finite."""
    from decimal import Decimal, getcontext

    getcontext().prec = 50
    s, b = Decimal(43611), Decimal("1e-301")
    exact = (2 * ((s + b) * (1 + s / b).ln() - s)).sqrt()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        value = ams(43611.0, 1e-301, br=0.0)
    assert value == pytest.approx(float(exact), rel=1e-14)


def test_weight_sums_that_overflow_are_refused_not_nan():
    y, score = np.array([1, 1, 0, 0]), np.array([0.9, 0.8, 0.7, 0.6])
    weights = np.array([1e308, 1e308, 1.0, 1.0])  # the signal sum overflows float64
    for function in (ams_curve, best_cut):
        with pytest.raises(ValueError, match=r"s has 3 NaN or infinite value\(s\)"):
            function(y, score, weights, totals=None)
    # renormalised, the overflowing sum would scale every signal weight to 0
    heavy = np.array([1e308, 1e308, 1e300, 1e300])
    for function in (ams_curve, best_cut):
        with pytest.raises(ValueError, match="signal events sum to inf; cannot rescale"):
            function(y, score, heavy)
    with pytest.raises(ValueError, match="signal events sum to inf; cannot rescale"):
        renormalise(y, heavy)


def test_ams_of_an_overflowing_ratio_is_inf_without_a_warning():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert ams(1e308, 1e-300, br=0.0) == math.inf


def _best_cut_in_a_child(queue) -> None:
    y, score = np.array([1, 0, 1, 0]), np.array([0.9, 0.8, 0.7, 0.1])
    queue.put(best_cut(y, score, np.ones(4), totals=None).cut)


def test_a_process_forked_after_scoring_a_cut_can_score_one():
    """The AMS kernels start no thread pool: a process forked after them (a multiprocessing pool
    on Linux) works; a parallel kernel would make the child abort (GNU OpenMP and fork)."""
    import multiprocessing

    best_cut(np.array([1, 0]), np.array([0.7, 0.2]), np.ones(2), totals=None)
    context = multiprocessing.get_context("fork")
    queue = context.Queue()
    child = context.Process(target=_best_cut_in_a_child, args=(queue,))
    child.start()
    child.join(timeout=60)
    assert child.exitcode == 0
    assert queue.get(timeout=5) == 0.7
