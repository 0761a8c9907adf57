"""The audit as a report (Markdown + HTML) with the figure of every protocol's AMS against the cut.

Built from the audit's own result objects, so the text cannot drift from the numbers.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from hepclf.audit.claims import ClaimVerdict
from hepclf.audit.flavours import AUC_NOTE, FlavoursAudit
from hepclf.audit.protocols import PROTOCOLS, ProtocolAudit
from hepclf.audit.scoring import SubmissionScore
from hepclf.report import Report

FIGURE_FILE = "protocols.png"


def audit_report(
    *,
    score: SubmissionScore | None = None,
    audit: ProtocolAudit | None = None,
    verdict: ClaimVerdict | None = None,
    catalogue: pd.DataFrame | None = None,
    flavours: FlavoursAudit | None = None,
    figure: str | None = None,
) -> Report:
    """A report of whatever parts of the audit are given (the verdict first).

    Examples
    --------
    >>> from hepclf.audit import explain_claim
    >>> report = audit_report(verdict=explain_claim(3.70, scored="private"))
    >>> report.to_markdown().splitlines()[2]
    '## Verdict: 3.7 is consistent'
    """
    report = Report("AMS audit")
    if verdict is not None:
        report.section(f"Verdict: {verdict.value:g} is {verdict.verdict}")
        for reason in verdict.reasons:
            report.paragraph(reason)
        report.paragraph(f"What would settle it: {verdict.settle}.")
    if flavours is not None:
        state = "passes both checks" if flavours.passed else "fails the checks"
        report.section(f"Flavours of Physics submission: {state}")
        report.table(
            pd.DataFrame(
                [
                    {"test": r.name, "value": r.value, "threshold": r.threshold,
                     "passed": "yes" if r.passed else "no"}
                    for r in (flavours.ks, flavours.cvm)
                ]
            )
        )  # fmt: skip
        report.paragraph(AUC_NOTE[0].upper() + AUC_NOTE[1:] + ".")
    if score is not None:
        report.section("Leaderboard scores")
        report.paragraph(
            "Each set on its own with its KaggleWeight, b_r = 10, as the Kaggle leaderboard "
            f"scored it; uncertainties: bootstrap over events ({score.n_resamples} resamples, "
            f"seed {score.seed})."
        )
        report.table(score.sets)
        for text in score.warnings:
            report.paragraph(f"Warning: {text}")
    if audit is not None:
        report.section("The same predictions under every protocol")
        report.paragraph(
            f"Scored set: KaggleSet {audit.scored_set}; cut {audit.cut:.6g} fixed beforehand; "
            f"fraction rows: a random {audit.fraction:.0%} of the set. 'luminosity' is the "
            "weight scale k at which the correct selection would read the row's AMS, "
            "AMS(k s, k b) = AMS_row; 'nominal' the luminosity the row's weights carry."
        )
        shown = audit.table.drop(columns=["protocol"])
        report.table(shown)
        if figure is not None:
            report.figure(
                figure,
                "AMS against the cut (selected fraction of the scored set) under every "
                "protocol; lower panel: ratio to the correct AMS",
            )
        formulas = pd.DataFrame(
            [{"protocol": PROTOCOLS[k].name, "formula": PROTOCOLS[k].formula}
             for k in audit.table["protocol"]]
        )  # fmt: skip
        report.table(formulas)
    if catalogue is not None:
        report.section("Published claims")
        report.table(
            catalogue[["source", "year", "value", "scored", "verdict", "equivalent", "z", "link"]]
        )
    return report


def write_audit_report(folder: str | Path, **parts) -> Path:
    """Write the report of ``parts`` (as :func:`audit_report`) and, with a protocol audit, its
    figure into ``folder``; return the Markdown file's path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    audit = parts.get("audit")
    figure = None
    if audit is not None:
        figure = plot_audit(audit, folder / FIGURE_FILE)
    return audit_report(**parts, figure=None if figure is None else str(figure)).write(folder)


def plot_audit(audit: ProtocolAudit, path: str | Path) -> Path:
    """The figure of a protocol audit (:func:`hepclf.report.audit_figure.plot_protocol_curves`):
    every protocol's curve, the fixed cut and the tuned cut's point."""
    from hepclf.report.audit_figure import plot_protocol_curves

    keys = [k for k in audit.curves.columns if k in PROTOCOLS]
    x = audit.curves["selected_fraction"].to_numpy()
    chosen = int(np.flatnonzero(audit.curves["cut"].to_numpy() == audit.cut)[0])
    tuned = (audit.best_fraction, audit.value("cut_on_scored_set"))
    return plot_protocol_curves(
        x,
        {k: audit.curves[k].to_numpy() for k in keys},
        path,
        labels={k: PROTOCOLS[k].name for k in keys},
        chosen=float(x[chosen]),
        tuned=tuned,
    )
