"""Reports: Markdown and HTML documents built from result objects, and their figures
(matplotlib + mplhep, the optional extra ``hepclf[plot]``)."""

from hepclf.report.document import Report
from hepclf.report.figures import draw_agreement, draw_ams_curve, plot_agreement, plot_ams_curve

__all__ = ["Report", "draw_agreement", "draw_ams_curve", "plot_agreement", "plot_ams_curve"]
