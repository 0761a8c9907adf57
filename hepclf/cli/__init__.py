"""The ``hepclf`` command (also ``python -m hepclf``): argument parsing only.

    hepclf higgs                        # Higgs ML reproduction on the packaged real ATLAS sample
    hepclf higgs --simulate 100000      # on simulated events with public and private sets
    hepclf flavours                     # Flavours of Physics reproduction on simulated tables
    hepclf simulate higgs --out events.csv.gz
    hepclf features higgs events.csv.gz features.parquet

Each subcommand lives in its own module (:mod:`hepclf.cli.reproduce`, :mod:`hepclf.cli.data`)
with a ``register(commands)`` that adds its parser and sets ``run(args) -> exit status``. Progress
goes to standard error (:mod:`hepclf.progress`; nothing with ``--quiet``), results to standard
output. Bad input ends in one line ``hepclf COMMAND: error: REASON`` on standard error and exit
status 2, never a traceback (``--debug`` shows it).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from hepclf.cli import audit, data, reproduce
from hepclf.progress import show_progress, step

#: The modules whose ``register`` adds subcommands, in the order ``--help`` lists them.
_COMMAND_MODULES = (reproduce, data, audit)
#: What a command can raise on bad input (a missing or damaged file, a value out of range, a
#: missing optional dependency): one line on stderr and exit status 2.
BAD_INPUT = (ValueError, TypeError, KeyError, OSError, ImportError)


def build_parser() -> argparse.ArgumentParser:
    """The ``hepclf`` argument parser with every subcommand."""
    parser = argparse.ArgumentParser(
        prog="hepclf",
        description="Classification of high-energy-physics events stored as tables. "
        "Run 'hepclf COMMAND --help' for a command's options and examples.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in _COMMAND_MODULES:
        module.register(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command in ``argv`` (default: the process's arguments); return the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    with show_progress(args.command, quiet=args.quiet):
        step("starting")  # at once: the numba kernels take a few seconds to load
        try:
            return args.run(args)
        except BAD_INPUT as error:
            if args.debug:
                raise
            args.parser.exit(2, f"hepclf {args.command}: error: {_message(error, args)}\n")


def _message(error: Exception, args: argparse.Namespace) -> str:
    """The error's reason in the command line's terms (``--partial`` for ``partial=True``)."""
    message = str(error.args[0] if isinstance(error, KeyError) and error.args else error)
    if hasattr(args, "partial"):
        message = message.replace("pass partial=True", "pass --partial")
    return message


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
