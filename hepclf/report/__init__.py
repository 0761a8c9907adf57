"""Reports: Markdown and HTML documents built from result objects, and their figures
(matplotlib + mplhep, the optional extra ``hepclf[plot]``)."""

from hepclf.report.document import Report, format_against
from hepclf.report.figures import (
    draw_agreement,
    draw_agreement_cdfs,
    draw_ams_curves,
    draw_feature_importances,
    draw_flatness,
    draw_roc,
    draw_score_distributions,
    draw_truncated_roc,
    plot_agreement,
    plot_agreement_cdfs,
    plot_ams_curves,
    plot_feature_importances,
    plot_flatness,
    plot_roc,
    plot_score_distributions,
    plot_truncated_roc,
)
from hepclf.report.summaries import (
    AMSBand,
    MassBinEfficiencies,
    ScoredEvents,
    ams_at,
    ams_band,
    mass_bin_efficiencies,
)

__all__ = [
    "AMSBand",
    "MassBinEfficiencies",
    "Report",
    "ScoredEvents",
    "ams_at",
    "ams_band",
    "draw_agreement",
    "draw_agreement_cdfs",
    "draw_ams_curves",
    "draw_feature_importances",
    "draw_flatness",
    "draw_roc",
    "draw_score_distributions",
    "draw_truncated_roc",
    "format_against",
    "mass_bin_efficiencies",
    "plot_agreement",
    "plot_agreement_cdfs",
    "plot_ams_curves",
    "plot_feature_importances",
    "plot_flatness",
    "plot_roc",
    "plot_score_distributions",
    "plot_truncated_roc",
]
