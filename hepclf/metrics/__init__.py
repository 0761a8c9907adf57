"""Physics metrics: AMS with correct normalisation, KS agreement, CvM correlation, truncated AUC,
and the scorer registry that early stopping and the blend search look metrics up in."""

from hepclf.metrics._result import PhysicsTestResult
from hepclf.metrics.agreement import (
    KS_THRESHOLD,
    AgreementCurves,
    agreement_curves,
    ks_agreement,
)
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
from hepclf.metrics.scorers import Scorer, get_scorer, register_scorer, scorer_names

__all__ = [
    "AMS_BR",
    "CVM_THRESHOLD",
    "HIGGS_TOTALS",
    "KS_THRESHOLD",
    "ROC_WEIGHTS",
    "TPR_THRESHOLDS",
    "AMSCurve",
    "AgreementCurves",
    "BestCut",
    "ClassTotals",
    "PhysicsTestResult",
    "Scorer",
    "agreement_curves",
    "ams",
    "ams_curve",
    "best_cut",
    "cvm_correlation",
    "get_scorer",
    "ks_agreement",
    "leaderboard_ams",
    "register_scorer",
    "renormalise",
    "roc_curve_points",
    "scorer_names",
    "selection_ams",
    "truncated_auc",
]
