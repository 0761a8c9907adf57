"""Figures of the reports (matplotlib in the experiments' style with mplhep; both are imported
only when a figure is drawn: the optional extra ``hepclf[plot]``).

The Higgs figures live in :mod:`hepclf.report.higgs_figures`, the Flavours ones in
:mod:`hepclf.report.flavours_figures`, the numbers they draw beyond the metrics in
:mod:`hepclf.report.summaries`; this module gathers them. The plumbing every figure shares is
in :mod:`hepclf.report._plotting`.
"""

from hepclf.report._plotting import require_matplotlib
from hepclf.report.flavours_figures import (
    AGREEMENT_BINS,
    draw_agreement,
    draw_agreement_cdfs,
    draw_flatness,
    draw_truncated_roc,
    plot_agreement,
    plot_agreement_cdfs,
    plot_flatness,
    plot_truncated_roc,
)
from hepclf.report.higgs_figures import (
    SCORE_BINS,
    draw_ams_curves,
    draw_feature_importances,
    draw_roc,
    draw_score_distributions,
    plot_ams_curves,
    plot_feature_importances,
    plot_roc,
    plot_score_distributions,
)

__all__ = [
    "AGREEMENT_BINS",
    "SCORE_BINS",
    "draw_agreement",
    "draw_agreement_cdfs",
    "draw_ams_curves",
    "draw_feature_importances",
    "draw_flatness",
    "draw_roc",
    "draw_score_distributions",
    "draw_truncated_roc",
    "plot_agreement",
    "plot_agreement_cdfs",
    "plot_ams_curves",
    "plot_feature_importances",
    "plot_flatness",
    "plot_roc",
    "plot_score_distributions",
    "plot_truncated_roc",
    "require_matplotlib",
]
