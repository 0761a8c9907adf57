"""Reports: Markdown and HTML documents built from result objects, and their figures
(matplotlib + mplhep, the optional extra ``hepclf[plot]``)."""

from hepclf.report import figures, summaries
from hepclf.report.document import Report, format_against
from hepclf.report.figures import *  # noqa: F403
from hepclf.report.summaries import *  # noqa: F403

__all__ = ["Report", "format_against", *figures.__all__, *summaries.__all__]
