"""The physics features of a Dask DataFrame: the in-memory builders on every partition.

Each partition goes through :func:`hepclf.features.higgs_features` or
:func:`hepclf.features.flavours_features` unchanged (the numba kernels, one event at a time), so
the features of a partitioned frame are those of the whole frame bit for bit. The output schema is
declared up front: the builder's own output on Dask's small sample of the input schema.

>>> import dask.dataframe as dd
>>> from hepclf.simulate import simulate_higgs
>>> from hepclf.features import higgs_features
>>> from hepclf.distributed import higgs_features_dask
>>> events = simulate_higgs(300, seed=2)
>>> built = higgs_features_dask(dd.from_pandas(events, npartitions=3)).compute()
>>> built.equals(higgs_features(events))
True
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pandas as pd

from hepclf._utils import check_count, check_frame
from hepclf.distributed.cluster import require_dask
from hepclf.features import flavours_features, higgs_features

__all__ = [
    "build_on_cluster",
    "features_dask",
    "flavours_features_dask",
    "higgs_features_dask",
]


def features_dask(events: Any, builder: Callable[..., pd.DataFrame], **options) -> Any:
    """``builder(partition, **options)`` on every partition of ``events``, with the output
    schema taken from the builder's output on the input schema's sample rows; a partition without
    rows gives an empty frame of that schema (the builder is not called on it).

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        ``events`` is not a Dask DataFrame; what ``builder`` raises: at once for what it refuses
        in the schema or the options (it runs on Dask's sample rows: a column that is not
        numeric, an unknown or invalid option); the rest when the result is computed.
    ValueError
        What ``builder`` raises: at once for a missing or repeated column; when the result is
        computed, for the values of a partition (NaN, infinities).
    """
    require_dask()
    import dask.dataframe as dd

    if not isinstance(events, dd.DataFrame):
        raise TypeError(f"events must be a Dask DataFrame, got {type(events).__name__}")
    meta = builder(events._meta_nonempty, **options).iloc[:0]
    return events.map_partitions(_build_part, builder, meta, meta=meta, **options)


def _build_part(
    part: pd.DataFrame, builder: Callable[..., pd.DataFrame], meta: pd.DataFrame, **options
) -> pd.DataFrame:
    """``builder(part, **options)``, or for a partition without rows an empty frame of the
    declared schema (the hepclf builders refuse an empty frame)."""
    if len(part) == 0:
        return meta.set_axis(part.index[:0])
    return builder(part, **options)


def higgs_features_dask(events: Any, **options) -> Any:
    """:func:`hepclf.features.higgs_features` of a Dask DataFrame (same options).

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        At once: ``events`` is not a Dask DataFrame, a PRI_ (with ``include_inputs``, DER_)
        column is not numeric, an option is not a bool or unknown.
    ValueError
        At once: a PRI_ column is missing or a column is named twice. When computed: a value
        that :func:`~hepclf.features.higgs_features` refuses (an infinity, a bad
        ``PRI_jet_num``, a missing object). A partition without rows gives an empty one.
    """
    return features_dask(events, higgs_features, **options)


def flavours_features_dask(events: Any, **options) -> Any:
    """:func:`hepclf.features.flavours_features` of a Dask DataFrame (same options).

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        At once: ``events`` is not a Dask DataFrame, an input column is not numeric,
        ``include_inputs`` is not a bool, ``dira_epsilon`` not a real number, an option is
        unknown.
    ValueError
        At once: an input column is missing, a column is named twice, the derived columns are
        already there (with ``include_inputs``), ``dira_epsilon`` is not positive. When
        computed: NaN or an infinity in an input. A partition without rows gives an empty one.
    """
    return features_dask(events, flavours_features, **options)


def build_on_cluster(
    client: Any,
    frame: pd.DataFrame,
    builder: Callable[..., pd.DataFrame],
    *,
    npartitions: int | None = None,
    **options,
) -> pd.DataFrame:
    """``builder(frame, **options)`` of an in-memory frame, computed partition by partition on the
    cluster of ``client`` (default two partitions per worker) and gathered: the same frame, bit
    for bit, as the in-memory call.

    Raises
    ------
    ImportError
        dask is not installed.
    TypeError
        ``frame`` is not a pandas DataFrame; what ``builder(frame, **options)`` raises.
    ValueError
        What ``builder(frame, **options)`` raises (e.g. ``frame`` has no rows or lacks a column:
        see :func:`hepclf.features.higgs_features`); ``npartitions`` is not None or an integer
        >= 1.
    """
    require_dask()
    import dask.dataframe as dd

    check_frame(frame, "frame")
    if npartitions is not None:
        check_count(npartitions, "npartitions", 1)
    parts = npartitions or 2 * max(1, len(client.scheduler_info()["workers"]))
    events = dd.from_pandas(frame, npartitions=min(parts, max(1, len(frame))))
    return client.compute(features_dask(events, builder, **options)).result()
