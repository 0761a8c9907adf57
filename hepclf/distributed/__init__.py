"""Dask backend (optional extra ``dask``): read, build features, train with xgboost.dask and
compute the physics metrics exactly, over events that do not fit on one machine.

See ``docs/scaling.md``. Every function takes or returns Dask DataFrames; the per-partition work is
the in-memory code of the layers below (loaders, numba feature kernels, metric functions).
"""

from hepclf.distributed.cluster import LOCAL, connect, require_dask
from hepclf.distributed.features import (
    build_on_cluster,
    features_dask,
    flavours_features_dask,
    higgs_features_dask,
)
from hepclf.distributed.metrics import (
    DEFAULT_CELLS,
    ScoreCells,
    ams_curve_dask,
    best_cut_dask,
    class_sums,
    ks_agreement_dask,
    renormalise_dask,
    roc_curve_dask,
    score_cells,
    truncated_auc_dask,
)
from hepclf.distributed.reading import EVENT_KINDS, event_paths, read_events
from hepclf.distributed.training import DaskBoostedModel, fit_on_cluster, fit_xgboost_dask

__all__ = [
    "DEFAULT_CELLS",
    "EVENT_KINDS",
    "DaskBoostedModel",
    "LOCAL",
    "ScoreCells",
    "ams_curve_dask",
    "build_on_cluster",
    "best_cut_dask",
    "class_sums",
    "connect",
    "event_paths",
    "features_dask",
    "fit_on_cluster",
    "fit_xgboost_dask",
    "flavours_features_dask",
    "higgs_features_dask",
    "ks_agreement_dask",
    "read_events",
    "renormalise_dask",
    "require_dask",
    "roc_curve_dask",
    "score_cells",
    "truncated_auc_dask",
]
