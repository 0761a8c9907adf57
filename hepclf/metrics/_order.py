"""A stable argsort of float64 values at the cost of sorting plain 64-bit integers.

NumPy sorts an array of 64-bit integers several times faster than it argsorts the same number of
floats (``np.sort`` moves the keys themselves with vector instructions; ``np.argsort`` compares
through an index), and its stable argsort is slower still. Every metric of this package needs a
stable order of its scores, so it sorts keys that carry their own index instead:

1. each value is mapped to an unsigned integer with the same order (the IEEE 754 bits, with the
   sign bit flipped for positive values and every bit flipped for negative ones; -0.0 is read as
   +0.0 so the two compare equal, as floats do; NaN goes last, as NumPy puts it);
2. the smallest of these integers is subtracted and the differences are shifted up until the
   largest fills 64 bits (a strictly increasing map, so the order is kept; scores crowded near
   one value, such as probabilities near 1, then keep all their distinguishing bits);
3. the lowest ``m = bit_length(n - 1)`` bits are replaced by the event's index,
   ``key = (shifted >> m) << m | i``, and the keys are sorted (``np.sort``);
4. sorted keys whose top ``64 - m`` bits agree form a group in increasing index. A group of equal
   values is already in stable order; any other group (values closer than the dropped bits can
   tell: at 10^6 events 44 bits are kept) is put in order by its full values with a stable sort
   of just that group (an insertion sort in place for small groups).

The result is exactly ``np.argsort(values, kind="stable")`` (``descending``: of ``-values``), for
any values, NaN included.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from hepclf._utils import FloatArray

_SIGN = np.uint64(1) << np.uint64(63)
_ALL = ~np.uint64(0)
#: Groups up to this size are sorted in place by insertion; larger ones by a merge sort.
_SMALL_GROUP = 32


@njit(cache=True, error_model="numpy")
def _pack_keys(bits, index_bits, descending, keys):  # pragma: no cover - numba
    """``keys[i]``: the order-preserving integer of ``bits[i]`` (a float64's bits), bitwise
    negated when ``descending`` (NaN last either way), minus the smallest of them, shifted up to
    fill 64 bits, with its low ``index_bits`` bits replaced by ``i``."""
    smallest, largest = _ALL, np.uint64(0)
    for i in range(bits.size):
        value = bits[i]
        if value == _SIGN:  # -0.0 sorts as +0.0
            value = np.uint64(0)
        if value & ~_SIGN > np.uint64(0x7FF0000000000000):  # NaN, either sign: last
            ordered = _ALL
        else:
            ordered = ~value if value & _SIGN else value | _SIGN
            if descending:
                ordered = ~ordered
            ordered = min(ordered, _ALL - np.uint64(1))  # below NaN
        keys[i] = ordered
        smallest = min(smallest, ordered)
        largest = max(largest, ordered)
    spread = largest - smallest
    shift = np.uint64(0)
    while shift < np.uint64(63) and spread < _SIGN:  # shift up until the top bit is used
        spread <<= np.uint64(1)
        shift += np.uint64(1)
    index_shift = np.uint64(index_bits)
    for i in range(bits.size):
        shifted = (keys[i] - smallest) << shift
        keys[i] = ((shifted >> index_shift) << index_shift) | np.uint64(i)


@njit(cache=True, error_model="numpy")
def _order_groups(keys, values, index_bits, descending):  # pragma: no cover - numba
    """Sorted ``keys`` -> the stable order of ``values``, in place: every group of keys with the
    same top bits but unequal values is stably sorted by value; then each key keeps its index."""
    shift = np.uint64(index_bits)
    mask = (np.uint64(1) << shift) - np.uint64(1)
    n = keys.size
    start = 0
    while start < n:
        top = keys[start] >> shift
        end = start + 1
        while end < n and keys[end] >> shift == top:
            end += 1
        if end - start > 1:
            _order_group(keys, values, start, end, mask, descending)
        start = end
    for position in range(n):
        keys[position] &= mask


@njit(cache=True, error_model="numpy")
def _before(first, second, descending):  # pragma: no cover - numba
    """Whether value ``first`` comes strictly before ``second`` (NaN last either way)."""
    if np.isnan(first):
        return False
    if np.isnan(second):
        return True
    return second < first if descending else first < second


@njit(cache=True, error_model="numpy")
def _order_group(keys, values, start, end, mask, descending):  # pragma: no cover - numba
    """Stable sort of ``keys[start:end]`` (in increasing index) by their values."""
    first = values[keys[start] & mask]
    for position in range(start + 1, end):
        value = values[keys[position] & mask]
        if value != first and not (np.isnan(value) and np.isnan(first)):
            break
    else:
        return  # ties: increasing index is the stable order
    if end - start <= _SMALL_GROUP:  # insertion sort: stable, in place, no allocation
        for position in range(start + 1, end):
            key = keys[position]
            value = values[key & mask]
            slot = position
            while slot > start and _before(value, values[keys[slot - 1] & mask], descending):
                keys[slot] = keys[slot - 1]
                slot -= 1
            keys[slot] = key
        return
    group = np.empty(end - start)
    for position in range(start, end):
        value = values[keys[position] & mask]
        group[position - start] = -value if descending else value
    order = np.argsort(group, kind="mergesort")  # NaN last, as NumPy's
    saved = keys[start:end].copy()
    for position in range(end - start):
        keys[start + position] = saved[order[position]]


def stable_order(
    values: FloatArray, descending: bool = False, out: np.ndarray | None = None
) -> np.ndarray:
    """``np.argsort(values, kind="stable")`` (``descending``: of ``-values``), computed by
    sorting index-carrying integer keys (see the module's docstring).

    Parameters
    ----------
    values : ndarray of float64
        One-dimensional (the callers check the values; NaN would go last, as NumPy puts it).
    descending : bool
        Largest value first; equal values still in increasing index.
    out : ndarray of int64, optional
        Where to write the order (``values.size`` long): a caller that sorts as many values
        every round (the flatness objective) reuses one array instead of faulting in fresh
        memory each time.

    Returns
    -------
    ndarray of int64
        The positions of ``values`` in order.

    Examples
    --------
    >>> stable_order(np.array([0.5, -1.0, 0.5, 2.0])).tolist()
    [1, 0, 2, 3]
    >>> stable_order(np.array([0.5, -1.0, 0.5, 2.0]), descending=True).tolist()
    [3, 0, 2, 1]
    """
    values = np.ascontiguousarray(values, dtype=np.float64)
    index_bits = max(1, (values.size - 1).bit_length())
    if out is None:
        keys = np.empty(values.size, dtype=np.uint64)
    elif out.dtype == np.int64 and out.shape == values.shape and out.flags.c_contiguous:
        keys = out.view(np.uint64)
    else:
        raise ValueError(
            f"out must be a C-contiguous int64 array of shape {values.shape}, got "
            f"{out.dtype} of shape {out.shape}"
        )
    _pack_keys(values.view(np.uint64), index_bits, descending, keys)
    keys.sort()
    _order_groups(keys, values, index_bits, descending)
    return keys.view(np.int64)
