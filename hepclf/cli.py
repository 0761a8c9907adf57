"""The ``hepclf`` command (also ``python -m hepclf``): argument parsing only.

    hepclf higgs                        # Higgs ML reproduction on simulated events
    hepclf higgs --data atlas-higgs-challenge-2014-v2.csv.gz
    hepclf flavours                     # Flavours of Physics reproduction on simulated tables
    hepclf flavours --data flavours/    # training, check_agreement, check_correlation (, test)

Each command writes ``report.md``, ``report.html`` and its figures to ``--out``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

from hepclf.reproduce import reproduce_flavours, reproduce_higgs


def _parser() -> tuple[argparse.ArgumentParser, dict[str, argparse.ArgumentParser]]:
    parser = argparse.ArgumentParser(
        prog="hepclf", description="Classification of high-energy-physics events."
    )
    commands = parser.add_subparsers(dest="command", required=True)

    higgs = commands.add_parser("higgs", help="reproduce the seed's Higgs ML solution")
    higgs.add_argument("--data", type=Path, help="Open Data or Kaggle training file")
    higgs.add_argument("--partial", action="store_true", help="accept a subset of the file")
    higgs.add_argument("--events", type=int, default=100_000, help="simulated events")
    higgs.add_argument("--seed", type=int, default=0)
    higgs.add_argument("--folds", type=int, default=5)
    higgs.add_argument("--rounds", type=int, default=300)
    higgs.add_argument("--eta", type=float, default=0.1)
    higgs.add_argument("--seed-parameters", action="store_true", help="3000 rounds, eta 0.01")
    higgs.add_argument("--out", type=Path, default=Path("out/higgs"))
    higgs.add_argument("--quiet", action="store_true", help="no progress lines")

    flavours = commands.add_parser("flavours", help="reproduce the seed's Flavours solution")
    flavours.add_argument("--data", type=Path, help="folder with the Flavours csv files")
    flavours.add_argument("--seed", type=int, default=0)
    flavours.add_argument("--training", type=int, default=30_000, help="simulated events")
    flavours.add_argument("--with-ugb", action="store_true", help="add hep_ml's (slow) uGB")
    flavours.add_argument("--ks-margin", type=float, default=0.01)
    flavours.add_argument("--cvm-margin", type=float, default=0.0002)
    flavours.add_argument("--out", type=Path, default=Path("out/flavours"))
    flavours.add_argument("--quiet", action="store_true", help="no progress lines")
    return parser, {"higgs": higgs, "flavours": flavours}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's arguments); return the exit code.

    Bad input (a missing or damaged file, an argument out of range) ends with ``hepclf: error:``
    and the reason on standard error, and exit code 2, never a traceback.
    """
    parser, commands = _parser()
    args = parser.parse_args(argv)
    options = {k: v for k, v in vars(args).items() if k not in ("command", "out")}
    run = reproduce_higgs if args.command == "higgs" else reproduce_flavours
    try:
        result = run(**options)
    except (ValueError, OSError) as error:
        commands[args.command].error(str(error))
    path = result.write(args.out)
    if not args.quiet:
        print(result.report().to_markdown())
        print(f"report written to {path} (and report.html beside it)")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
