"""The shared argument checks take a quick path on good input (one reduction instead of a mask):
the quick path must accept exactly what the full check accepts."""

from __future__ import annotations

import numpy as np
import pytest

from hepclf._utils import as_binary_labels, as_float_array, as_weights, check_probabilities


def test_finite_values_whose_sum_overflows_are_accepted():
    huge = np.array([1e308, 1e308, -1e308, 1e308])  # the sum overflows to inf; every value is fine
    assert as_float_array(huge, "score") is not None
    assert as_weights(np.abs(huge), "w", 4).max() == 1e308


@pytest.mark.parametrize(
    "values, first",
    [([1.0, np.inf, -np.inf, 2.0], 1), ([0.0, 0.0, np.nan], 2), ([-np.inf, 1.0], 0)],
)
def test_non_finite_values_are_refused_with_the_first_index(values, first):
    with pytest.raises(ValueError, match=f"first at index {first}"):
        as_float_array(values, "score")


def test_weights_zero_negative_and_signed():
    with pytest.raises(ValueError, match="first at index 1"):
        as_weights([1.0, -0.5, 2.0], "w", 3)
    with pytest.raises(ValueError, match="all zero"):
        as_weights([0.0, -0.0], "w", 2)
    with pytest.raises(ValueError, match="all zero"):
        as_weights([0.0, 0.0], "w", 2, allow_negative=True)
    assert as_weights([0.0, -1.0], "w", 2, allow_negative=True).tolist() == [0.0, -1.0]


@pytest.mark.parametrize("dtype", [np.int64, np.uint8, np.int8, bool, np.float32])
def test_binary_labels_of_every_integer_kind(dtype):
    assert as_binary_labels(np.array([0, 1, 1], dtype=dtype)).tolist() == [0, 1, 1]


@pytest.mark.parametrize("labels", [[0, 2, 1], [0, -1, 1], np.array([0, 255], dtype=np.uint8)])
def test_binary_labels_outside_zero_one_are_refused(labels):
    with pytest.raises(ValueError, match="must hold only 0 and 1"):
        as_binary_labels(labels)


def test_probabilities_bounds_and_empty():
    check_probabilities(np.array([0.0, 1.0, 0.5]), "pred")
    check_probabilities(np.array([]), "pred")
    for bad, first in (([0.2, 1.0000000000000002], 1), ([-5e-324, 0.5], 0)):
        with pytest.raises(ValueError, match=f"first at index {first}"):
            check_probabilities(np.array(bad), "pred")
