"""Numba-compiled physics feature builders for the Higgs ML and Flavours of Physics data."""

from hepclf.features import kinematics
from hepclf.features.flavours import FORBIDDEN_COLUMNS, flavours_features, model_columns
from hepclf.features.higgs import der_from_pri, higgs_features
from hepclf.features.registry import feature_registry

__all__ = [
    "FORBIDDEN_COLUMNS",
    "der_from_pri",
    "feature_registry",
    "flavours_features",
    "higgs_features",
    "kinematics",
    "model_columns",
]
