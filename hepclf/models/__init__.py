"""scikit-learn classifiers for weighted physics events: xgboost with physics weights and
physics-metric early stopping, the flatness objective inside xgboost, hep_ml's uGB; the losses."""

from hepclf.models.boosting import PRESETS, XGBPhysicsClassifier
from hepclf.models.flatness import FlatnessXGBClassifier, UGBClassifier
from hepclf.models.losses import BinFlatnessLoss, LogLoss, sigmoid

__all__ = [
    "PRESETS",
    "BinFlatnessLoss",
    "FlatnessXGBClassifier",
    "LogLoss",
    "UGBClassifier",
    "XGBPhysicsClassifier",
    "sigmoid",
]
