"""Argument types and options shared by the ``hepclf`` subcommands."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from pathlib import Path


def count(minimum: int) -> Callable[[str], int]:
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


def positive(text: str) -> float:
    """An argparse type: a number > 0."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"must be a number, got {text!r}") from None
    if not value > 0:
        raise argparse.ArgumentTypeError(f"must be positive, got {text}")
    return value


def common_options() -> argparse.ArgumentParser:
    """``--quiet`` and ``--debug``, which every subcommand takes."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--quiet", action="store_true", help="no progress, no printed report")
    common.add_argument(
        "--debug", action="store_true", help="on an error, show the Python traceback"
    )
    return common


def add_dask_option(parser: argparse.ArgumentParser, what: str) -> None:
    """``--dask SCHEDULER``: run on a Dask cluster ('local' starts a LocalCluster; otherwise a
    scheduler address such as tcp://host:8786); ``what`` says what the command does there."""
    parser.add_argument(
        "--dask", metavar="SCHEDULER",
        help=f"on a Dask cluster ('local': a LocalCluster on this machine; or the address of a "
        f"scheduler, tcp://host:8786): {what}",
    )  # fmt: skip


def add_command(
    commands, name: str, summary: str, description: str, examples: str, run: Callable
) -> argparse.ArgumentParser:
    """Add the subcommand ``name``; ``examples`` close its ``--help``; ``run(args)`` does the
    work and returns the exit status."""
    parser = commands.add_parser(
        name,
        help=summary,
        description=description,
        epilog="examples:\n" + examples,
        formatter_class=_HelpFormatter,
        parents=[common_options()],
    )
    parser.set_defaults(run=run, parser=parser)
    return parser


class _HelpFormatter(argparse.ArgumentDefaultsHelpFormatter, argparse.RawDescriptionHelpFormatter):
    """Defaults shown after each option that has one; the examples keep their lines."""

    def _get_help_string(self, action: argparse.Action) -> str:
        if action.default is None or action.default is False:
            return action.help or ""
        return super()._get_help_string(action)


def default_out(command: str, data: Path | None, simulate: int | None) -> Path:
    """out/COMMAND-DATA: each data set's report in its own folder, never over another's."""
    if data is not None:
        name = data.name.removesuffix(".gz").removesuffix(".csv") or "data"
    elif simulate is not None:
        name = f"simulated-{simulate}"
    else:
        name = "sample" if command == "higgs" else "simulated"
    return Path("out") / f"{command}-{name}"
