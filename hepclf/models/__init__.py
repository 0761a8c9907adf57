"""Stage 3: classifiers with the scikit-learn API for weighted physics events."""

from hepclf.models.boosting import PRESETS, XGBPhysicsClassifier
from hepclf.models.flatness import FlatnessXGBClassifier, UGBClassifier

__all__ = ["PRESETS", "FlatnessXGBClassifier", "UGBClassifier", "XGBPhysicsClassifier"]
