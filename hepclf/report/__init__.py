"""Reports: Markdown and HTML documents built from result objects, and their figures
(matplotlib + mplhep, the optional extra ``hepclf[plot]``)."""

from hepclf.report.document import Report
from hepclf.report.figures import (
    draw_agreement,
    draw_agreement_cdfs,
    draw_ams_curve,
    draw_score_distributions,
    plot_agreement,
    plot_agreement_cdfs,
    plot_ams_curve,
    plot_score_distributions,
)

__all__ = [
    "Report",
    "draw_agreement",
    "draw_agreement_cdfs",
    "draw_ams_curve",
    "draw_score_distributions",
    "plot_agreement",
    "plot_agreement_cdfs",
    "plot_ams_curve",
    "plot_score_distributions",
]
