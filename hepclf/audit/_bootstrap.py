"""The bootstrap over events: weight sums of groups of events in resampled sets.

A scored set of ``n`` events is resampled by drawing ``n_draws`` events from it with replacement
(``n_draws = n`` for the ordinary bootstrap; more or fewer to ask how a set of another size would
fluctuate). Every AMS the audit computes at a fixed selection is a function of a few weight sums:
of the selected and unselected signal and background, of a subset, of several weight columns.
So each resample is summarised by the sums of every weight column over every group of events,
and any number of AMS variants are then evaluated on those sums at once, with no second pass over
the events.

Each resample ``r`` draws from its own random stream, seeded by ``SeedSequence(seed)``, so the
result depends on the seed only, not on how the resamples are spread over threads.

Examples
--------
>>> import numpy as np
>>> group = np.array([0, 0, 1, 1])
>>> weights = np.array([[1.0], [1.0], [2.0], [2.0]])
>>> sums = resampled_group_sums(group, weights, 2, n_draws=4, n_resamples=3, seed=0)
>>> sums.shape, bool(np.all(sums[:, 0, 0] + sums[:, 1, 0] / 2 == 4))
((3, 2, 1), True)
"""

from __future__ import annotations

import numpy as np
from numba import njit, prange

from hepclf._utils import FloatArray, check_count


@njit(parallel=True, cache=True)
def _group_sums_kernel(group, weights, n_groups, n_draws, seeds):  # pragma: no cover - numba
    n_events, n_columns = weights.shape
    out = np.zeros((seeds.size, n_groups, n_columns))
    for r in prange(seeds.size):
        np.random.seed(seeds[r])  # noqa: NPY002 - numba's per-thread generator
        sums = np.zeros((n_groups, n_columns))
        for _ in range(n_draws):
            # uniform over 0..n_events-1 (the bias of a 53-bit float is below 1e-9 here)
            event = min(int(np.random.random() * n_events), n_events - 1)  # noqa: NPY002
            g = group[event]
            for c in range(n_columns):
                sums[g, c] += weights[event, c]
        out[r] = sums
    return out


def resample_seeds(seed: int, n_resamples: int) -> np.ndarray:
    """One 32-bit seed per resample, derived from ``seed`` by numpy's SeedSequence."""
    return np.random.SeedSequence(seed).generate_state(n_resamples).astype(np.int64)


def resampled_group_sums(
    group: np.ndarray,
    weights: FloatArray,
    n_groups: int,
    *,
    n_draws: int,
    n_resamples: int,
    seed: int,
) -> FloatArray:
    """Sums of each weight column over each group, in ``n_resamples`` bootstrap resamples.

    Parameters
    ----------
    group : ndarray of int
        The group (0 .. n_groups - 1) of each event.
    weights : ndarray, shape (n_events, n_columns)
        The weight columns summed (a column of ones counts events).
    n_groups : int
        Number of groups.
    n_draws : int
        Events drawn, with replacement, into each resample.
    n_resamples : int
        Number of resamples.
    seed : int
        Seed of the resampling.

    Returns
    -------
    ndarray, shape (n_resamples, n_groups, n_columns)
        ``out[r, g, c]`` = sum over the events drawn into resample ``r`` (each as often as it
        was drawn) that belong to group ``g`` of their weight in column ``c``.
    """
    group = np.ascontiguousarray(group, dtype=np.int64)
    weights = np.ascontiguousarray(weights, dtype=np.float64)
    if weights.ndim != 2 or weights.shape[0] != group.size or group.size == 0:
        raise ValueError("weights must be a 2-D array with one row per event of group")
    if group.min() < 0 or group.max() >= n_groups:
        raise ValueError(f"group must lie in 0..{n_groups - 1}")
    check_count(n_draws, "n_draws", 1)
    seeds = resample_seeds(seed, check_count(n_resamples, "n_resamples", 2))
    return _group_sums_kernel(group, weights, n_groups, n_draws, seeds)
