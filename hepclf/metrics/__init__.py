"""Physics metrics: AMS with correct normalisation, KS agreement, CvM correlation, truncated AUC."""

from hepclf.metrics._result import PhysicsTestResult
from hepclf.metrics.agreement import KS_THRESHOLD, ks_agreement
from hepclf.metrics.ams import (
    AMS_BR,
    HIGGS_TOTALS,
    AMSCurve,
    BestCut,
    ClassTotals,
    ams,
    ams_curve,
    best_cut,
    leaderboard_ams,
    renormalise,
    selection_ams,
)
from hepclf.metrics.auc import ROC_WEIGHTS, TPR_THRESHOLDS, roc_curve_points, truncated_auc
from hepclf.metrics.correlation import CVM_THRESHOLD, cvm_correlation

__all__ = [
    "AMS_BR",
    "CVM_THRESHOLD",
    "HIGGS_TOTALS",
    "KS_THRESHOLD",
    "ROC_WEIGHTS",
    "TPR_THRESHOLDS",
    "AMSCurve",
    "BestCut",
    "ClassTotals",
    "PhysicsTestResult",
    "ams",
    "ams_curve",
    "best_cut",
    "cvm_correlation",
    "ks_agreement",
    "leaderboard_ams",
    "renormalise",
    "roc_curve_points",
    "selection_ams",
    "truncated_auc",
]
