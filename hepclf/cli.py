"""The ``hepclf`` command (also ``python -m hepclf``): argument parsing only.

    hepclf higgs                        # Higgs ML reproduction on the packaged real ATLAS sample
    hepclf higgs --simulate 100000      # on simulated events with public and private sets
    hepclf higgs --data atlas-higgs-challenge-2014-v2.csv.gz
    hepclf flavours                     # Flavours of Physics reproduction on simulated tables
    hepclf flavours --data flavours/    # training, check_agreement, check_correlation (, test)

Each command writes ``report.md``, ``report.html`` and its figures to ``--out`` (by default
``out/COMMAND-DATA``, one folder per data set), prints the report,
and shows its progress on standard error (nothing with ``--quiet``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence
from pathlib import Path

from hepclf.report.figures import require_matplotlib
from hepclf.reproduce import reproduce_flavours, reproduce_higgs


def _count(minimum: int) -> Callable[[str], int]:
    """An argparse type: a whole number >= ``minimum`` (argparse names the flag in its error)."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"must be a whole number, got {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, got {value}")
        return value

    return parse


def _positive(text: str) -> float:
    """An argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


#: Command -> (one-line summary, description).
_COMMANDS = {
    "higgs": (
        "reproduce the seed's Higgs ML solution (physics features + xgboost, correct AMS)",
        "Reproduce the seed's Higgs ML solution: physics features and xgboost, cross-validated "
        "with renormalised folds; with the Open Data file, the public and private leaderboard "
        "sets scored on their own. Without --data: the real ATLAS sample packaged with hepclf.",
    ),
    "flavours": (
        "reproduce the seed's Flavours of Physics solution (the best blend passing KS, CvM)",
        "Reproduce the seed's Flavours of Physics solution: xgboost, flatness boosting and the "
        "best blend that passes the KS agreement and CvM correlation tests. Without --data: "
        "simulated tables.",
    ),
}


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="hepclf", description="Classification of high-energy-physics events stored as tables."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    higgs, flavours = (
        commands.add_parser(
            name,
            help=summary,
            description=description,
            formatter_class=argparse.ArgumentDefaultsHelpFormatter,
        )
        for name, (summary, description) in _COMMANDS.items()
    )
    source = higgs.add_mutually_exclusive_group()
    source.add_argument(
        "--data", type=Path, help="Open Data or Kaggle training.csv (default: the packaged sample)"
    )
    source.add_argument(
        "--simulate", type=_count(100), metavar="N", help="simulate N Open Data events instead"
    )
    higgs.add_argument("--partial", action="store_true", help="accept a subset of a real file")
    higgs.add_argument("--seed", type=int, default=0, help="random seed (simulation, folds, model)")
    higgs.add_argument("--folds", type=_count(2), default=5, help="cross-validation folds")
    higgs.add_argument("--rounds", type=_count(1), default=300, help="boosting rounds")
    higgs.add_argument("--eta", type=_positive, default=0.1, help="learning rate")
    higgs.add_argument(
        "--seed-parameters",
        action="store_true",
        help="the seed solution's xgboost (3000 rounds, eta 0.01; slow) instead of --rounds/--eta",
    )
    higgs.add_argument("--out", type=Path, help="report folder (default: out/higgs-DATA)")
    higgs.add_argument("--quiet", action="store_true", help="no progress, no printed report")

    flavours.add_argument("--data", type=Path, help="folder with the Flavours csv files")
    flavours.add_argument("--seed", type=int, default=0, help="random seed")
    flavours.add_argument(
        "--training", type=_count(100), default=30_000, help="simulated training events"
    )
    flavours.add_argument("--with-ugb", action="store_true", help="add hep_ml's (slow) uGB")
    flavours.add_argument(
        "--ks-margin", type=float, default=0.01, help="the blend must pass KS < 0.09 - margin"
    )
    flavours.add_argument(
        "--cvm-margin", type=float, default=0.0002, help="the blend must pass CvM < 0.002 - margin"
    )
    flavours.add_argument("--out", type=Path, help="report folder (default: out/flavours-DATA)")
    flavours.add_argument("--quiet", action="store_true", help="no progress, no printed report")
    return parser, {"higgs": higgs, "flavours": flavours}


def _default_out(args: argparse.Namespace) -> Path:
    """out/COMMAND-DATA: each data set's report in its own folder, never over another's."""
    if args.data is not None:
        name = args.data.name.removesuffix(".gz").removesuffix(".csv") or "data"
    elif getattr(args, "simulate", None) is not None:
        name = f"simulated-{args.simulate}"
    else:
        name = "sample" if args.command == "higgs" else "simulated"
    return Path("out") / f"{args.command}-{name}"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's arguments); return the exit code.

    Bad input (a missing or damaged file, an argument out of range) ends with
    ``hepclf COMMAND: error:`` and the reason on standard error, and exit code 2, never a
    traceback.
    """
    parser, commands = _parser()
    args = parser.parse_args(argv)
    command = commands[args.command]
    options = {k: v for k, v in vars(args).items() if k not in ("command", "out")}
    run = reproduce_higgs if args.command == "higgs" else reproduce_flavours
    try:
        require_matplotlib()  # before the work: the report needs its figures
        result = run(**options)
        path = result.write(args.out or _default_out(args))
    except (ValueError, OSError, ImportError) as error:
        command.error(str(error))
    if not args.quiet:
        print(result.report().to_markdown())
        print(f"report written to {path} (and report.html beside it)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
