"""``hepclf audit``: score a submission, explain a published claim, list the catalogue, check a
Flavours submission (:mod:`hepclf.audit`). Exit status 0 consistent (or passed), 1 flagged (or
failed), 2 bad input."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from hepclf.cli._arguments import add_command, common_options, count, positive

AUDIT_EXAMPLES = """\
  hepclf audit submission submission.csv --data atlas-higgs-challenge-2014-v2.csv.gz
  hepclf audit submission predictions.csv --cut 0.85 --data atlas-higgs-challenge-2014-v2.csv.gz
  hepclf audit claim 3.979 --scored public+private --weights KaggleWeight
  hepclf audit claim 3.95 --scored private --weights KaggleWeight --cut-on validation --json
  hepclf audit catalogue --report out/audit-catalogue
  hepclf audit flavours submission.csv --data flavours/
"""
_CLAIM_OPTIONS = ("scored", "weights", "fraction", "cut_on", "br", "formula", "in_sample")


def register(commands) -> None:
    """Add ``audit`` (with its four actions) to the ``hepclf`` subcommands."""
    audit = add_command(
        commands, "audit",
        "audit published AMS numbers: score a submission, explain a claim, the catalogue",
        "The AMS is not self-normalising: scored on the wrong luminosity, with a cut tuned on "
        "the scored events or another formula, it reads differently from the leaderboard. "
        "'submission' scores a Kaggle submission (or predictions and --cut) as the leaderboard "
        "did, with bootstrap uncertainties and the table of every protocol; 'claim' judges a "
        "published number from what its paper states; 'catalogue' lists the published claims "
        "with their verdicts; 'flavours' runs the KS and CvM checks of a Flavours submission. "
        "Exit status: 0 consistent (passed), 1 flagged (failed), 2 bad input.",
        AUDIT_EXAMPLES, _run_help,
    )  # fmt: skip
    actions = audit.add_subparsers(dest="action", required=True, metavar="ACTION")

    submission = _action(actions, "submission", "score a Higgs ML submission as Kaggle did")
    submission.add_argument(
        "file", type=Path,
        help="Kaggle submission (EventId,RankOrder,Class) or predictions (EventId,score) CSV",
    )  # fmt: skip
    submission.add_argument("--data", type=Path, required=True, help="the Open Data file")
    submission.add_argument("--cut", type=float, help="predictions: select score >= CUT")
    submission.add_argument("--partial", action="store_true", help="accept a subset of the file")
    submission.add_argument("--claim", type=positive, help="also judge this claimed AMS")
    _bootstrap_options(submission)
    submission.set_defaults(run=_run_submission)

    claim = _action(actions, "claim", "judge a published AMS from what its paper states")
    claim.add_argument("value", type=positive, help="the claimed AMS")
    # the values are checked by hepclf.audit.StatedProtocol (importing it here would slow --help)
    claim.add_argument("--scored", help="public, private, public+private or training")
    claim.add_argument(
        "--weights", help="KaggleWeight, renormalised, Weight, event-count or unweighted"
    )
    claim.add_argument("--fraction", type=positive, help="share of the set scored (0-1]")
    claim.add_argument("--cut-on", help="beforehand, validation, training or scored")
    claim.add_argument("--br", type=float, help="b_r of the AMS formula (10 on the leaderboard)")
    claim.add_argument("--formula", help="ams or s/sqrt(b)")
    claim.add_argument("--in-sample", action="store_true", default=None,
                       help="the scored events trained the model")  # fmt: skip
    claim.set_defaults(run=_run_claim)

    catalogue = _action(actions, "catalogue", "the published claims with their verdicts")
    catalogue.add_argument("--file", type=Path, help="another catalogue CSV (same columns)")
    catalogue.set_defaults(run=_run_catalogue)

    flavours = _action(actions, "flavours", "the KS and CvM checks of a Flavours submission")
    flavours.add_argument("file", type=Path, help="submission CSV (id,prediction)")
    flavours.add_argument(
        "--data", type=Path, required=True,
        help="folder with check_agreement.csv and check_correlation.csv",
    )  # fmt: skip
    flavours.set_defaults(run=_run_flavours)


def _action(actions, name: str, summary: str) -> argparse.ArgumentParser:
    parser = actions.add_parser(
        name, help=summary, description=summary, parents=[common_options()],
        epilog="examples:\n" + AUDIT_EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )  # fmt: skip
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--report", type=Path, metavar="DIR", help="write a Markdown/HTML report")
    parser.set_defaults(parser=parser)
    return parser


def _bootstrap_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--resamples", type=count(2), default=200, help="bootstrap resamples")
    parser.add_argument("--seed", type=int, default=0, help="seed of the bootstrap and fraction")


def _run_help(args: argparse.Namespace) -> int:  # pragma: no cover - argparse requires an action
    args.parser.print_help()
    return 2


def _emit(args: argparse.Namespace, payload: dict, text: str, **report_parts) -> None:
    if args.report is not None:
        from hepclf.audit.document import write_audit_report

        path = write_audit_report(args.report, **report_parts)
        text += f"\nreport written to {path} (and report.html beside it)"
    if args.json:
        print(json.dumps(payload, indent=2, default=_plain))
    elif not args.quiet:
        print(text)


def _plain(value):
    """JSON for numpy scalars and tuples."""
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def _run_submission(args: argparse.Namespace) -> int:
    import warnings

    from hepclf.audit import SubmissionWarning, explain_claim, score_submission

    with warnings.catch_warnings():  # the warning is printed with the result
        warnings.simplefilter("ignore", SubmissionWarning)
        score = score_submission(
            args.file, args.data, cut=args.cut, n_resamples=args.resamples, seed=args.seed,
            partial=args.partial,
        )  # fmt: skip
    audit = score.protocols
    verdict = None if args.claim is None else explain_claim(args.claim, audit=audit)
    payload = {"score": score.to_dict(), "protocols": audit.to_dict()}
    parts = [str(score), "", str(audit)]
    if verdict is not None:
        payload["claim"] = verdict.to_dict()
        parts = [str(verdict), "", *parts]
    _emit(args, payload, "\n".join(parts), score=score, audit=audit, verdict=verdict)
    return 1 if verdict is not None and verdict.flagged else 0


def _run_claim(args: argparse.Namespace) -> int:
    from hepclf.audit import explain_claim

    stated = {name: getattr(args, name) for name in _CLAIM_OPTIONS}
    verdict = explain_claim(args.value, **stated)
    candidates = verdict.candidates.drop(columns=["protocol"]).to_string(
        index=False, float_format=lambda v: f"{v:.4f}"
    )
    text = f"{verdict}\n\nreadings considered:\n{candidates}"
    _emit(args, verdict.to_dict(), text, verdict=verdict)
    return 1 if verdict.flagged else 0


def _run_catalogue(args: argparse.Namespace) -> int:
    from hepclf.audit import audit_catalogue, load_catalogue

    table = audit_catalogue(load_catalogue(args.file))
    shown = table[["source", "year", "value", "scored", "verdict", "equivalent", "z"]].copy()
    shown["source"] = shown["source"].str.slice(0, 48)
    text = shown.to_string(index=False, float_format=lambda v: f"{v:.4f}")
    payload = table.to_dict(orient="records")
    _emit(args, {"claims": payload}, text, catalogue=table)
    return 0


def _run_flavours(args: argparse.Namespace) -> int:
    from hepclf.audit import audit_flavours

    result = audit_flavours(args.file, args.data)
    _emit(args, result.to_dict(), str(result), flavours=result)
    return 0 if result.passed else 1
