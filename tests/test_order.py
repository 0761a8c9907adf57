"""The stable order of the metrics (index-carrying integer keys) against NumPy's stable argsort.

The sort drops the low bits of each value to make room for its index, so the cases that matter
are values that differ only in those bits (they land in one group and must be re-ordered by
their full values), ties, -0.0 beside +0.0, infinities, and sizes around powers of two (where
the number of index bits changes).
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from hepclf.metrics._order import stable_order


def _reference(values: np.ndarray, descending: bool) -> np.ndarray:
    return np.argsort(-values if descending else values, kind="stable")


def _near_one(n: int, rng: np.random.Generator) -> np.ndarray:
    """Values 1 + k ulp: every one in the same group of top bits, most of them distinct."""
    return 1.0 + rng.integers(0, 2**12, n) * np.finfo(float).eps


CASES = {
    "normal": lambda rng: rng.normal(size=5000),
    "ties of three decimals": lambda rng: np.round(rng.random(5000), 3),
    "all equal": lambda rng: np.full(3000, 0.25),
    "signed zeros and ties": lambda rng: rng.choice([-0.0, 0.0, 1.0, -1.0], 4000),
    "infinities": lambda rng: np.r_[rng.normal(size=100), np.inf, -np.inf, np.inf, -np.inf],
    "low bits only": lambda rng: _near_one(4096, rng),
    "low bits and ties, mixed with others": lambda rng: np.r_[
        _near_one(3000, rng), rng.random(1000), np.full(500, 1.0)
    ],
    "one value": lambda rng: np.array([3.0]),
    "two values": lambda rng: np.array([2.0, -5.0]),
    "power of two": lambda rng: rng.normal(size=1024),
    "power of two plus one": lambda rng: rng.normal(size=1025),
    "subnormals": lambda rng: rng.integers(-3, 4, 2000) * 5e-324,
}


@pytest.mark.parametrize("descending", [False, True])
@pytest.mark.parametrize("case", CASES)
def test_stable_order_equals_numpy_stable_argsort(case, descending):
    values = CASES[case](np.random.default_rng(7))
    got = stable_order(values, descending=descending)
    assert got.dtype == np.int64
    np.testing.assert_array_equal(got, _reference(values, descending))


def test_stable_order_of_nothing():
    assert stable_order(np.array([])).size == 0


def test_stable_order_leaves_its_input_alone():
    values = np.array([0.3, -0.0, 0.1, 0.3])
    kept = values.copy()
    stable_order(values, descending=True)
    np.testing.assert_array_equal(values.view(np.uint64), kept.view(np.uint64))


@settings(max_examples=200, deadline=None)
@given(
    values=hnp.arrays(
        np.float64,
        st.integers(1, 300),
        elements=st.floats(allow_nan=True, allow_infinity=True, width=64),
    ),
    descending=st.booleans(),
)
def test_stable_order_on_any_values(values, descending):
    np.testing.assert_array_equal(
        stable_order(values, descending=descending), _reference(values, descending)
    )


def test_crowded_and_nan_values():
    """Probabilities saturated near 1 (every value in a narrow range: the keys are spread over 64
    bits first), pairs one ulp apart (many small groups), and NaN (last, as NumPy puts it)."""
    rng = np.random.default_rng(3)
    cases = [
        1 / (1 + np.exp(-rng.normal(30, 3, 20_000))),
        np.repeat(rng.random(5_000), 2) + np.tile([0.0, 1e-16], 5_000),
        np.r_[rng.normal(size=50), np.nan, -np.nan, np.inf, np.nan, 0.0, -0.0],
        np.full(7, np.nan),
    ]
    for values in cases:
        for descending in (False, True):
            np.testing.assert_array_equal(
                stable_order(values, descending=descending), _reference(values, descending)
            )


def test_stable_order_into_a_given_array(rng):
    values = rng.normal(size=1000).round(1)  # ties
    out = np.full(values.size, -1, dtype=np.int64)
    order = stable_order(values, descending=True, out=out)
    assert np.shares_memory(order, out)
    np.testing.assert_array_equal(out, np.argsort(-values, kind="stable"))


@pytest.mark.parametrize(
    "out",
    [np.empty(9, np.int64), np.empty(10, np.int32), np.empty(10), np.empty(20, np.int64)[::2]],
    ids=["short", "int32", "float64", "strided"],
)
def test_stable_order_refuses_an_array_it_cannot_write_into(out):
    with pytest.raises(ValueError, match="out must be a C-contiguous int64 array of shape"):
        stable_order(np.arange(10.0), out=out)
