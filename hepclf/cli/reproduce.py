"""``hepclf higgs`` and ``hepclf flavours``: the two reproductions (:mod:`hepclf.reproduce`)."""

from __future__ import annotations

import argparse
from pathlib import Path

from hepclf.cli._arguments import add_command, add_dask_option, count, default_out, positive

HIGGS_EXAMPLES = """\
  hepclf higgs                          # the real ATLAS sample packaged with hepclf (~1 min)
  hepclf higgs --simulate 100000        # simulated events, with public and private sets
  hepclf higgs --data atlas-higgs-challenge-2014-v2.csv.gz   # the full Open Data release
  hepclf higgs --seed-parameters --data training.csv         # the seed's 3000 rounds (slow)
  hepclf higgs --simulate 100000 --dask local   # features and final model on a LocalCluster
"""
FLAVOURS_EXAMPLES = """\
  hepclf flavours                       # simulated tables (~1 min)
  hepclf flavours --data flavours/      # training, check_agreement, check_correlation (, test)
  hepclf flavours --with-ugb            # add hep_ml's uGB to the blend (slow)
"""


def register(commands) -> None:
    """Add ``higgs`` and ``flavours`` to the ``hepclf`` subcommands."""
    higgs = add_command(
        commands, "higgs",
        "reproduce the seed's Higgs ML solution (physics features + xgboost, correct AMS)",
        "Reproduce the seed's Higgs ML solution: physics features and xgboost, cross-validated "
        "with renormalised folds; with the Open Data file, the public and private leaderboard "
        "sets scored on their own. Without --data: the real ATLAS sample packaged with hepclf.",
        HIGGS_EXAMPLES, _run_higgs,
    )  # fmt: skip
    source = higgs.add_mutually_exclusive_group()
    source.add_argument(
        "--data", type=Path, help="Open Data or Kaggle training.csv (default: the packaged sample)"
    )
    source.add_argument(
        "--simulate", type=count(100), metavar="N", help="simulate N Open Data events instead"
    )
    higgs.add_argument("--partial", action="store_true", help="accept a subset of a real file")
    higgs.add_argument("--seed", type=int, default=0, help="random seed (simulation, folds, model)")
    higgs.add_argument("--folds", type=count(2), default=5, help="cross-validation folds")
    higgs.add_argument(
        "--rounds", type=count(1), default=300,
        help="boosting rounds (default: the higgs-fast preset's 300)",
    )  # fmt: skip
    higgs.add_argument(
        "--eta", type=positive, default=0.1, help="learning rate (default: higgs-fast's 0.1)"
    )
    higgs.add_argument(
        "--seed-parameters",
        action="store_true",
        help="the seed solution's xgboost (the higgs preset: 3000 rounds, eta 0.01; ten times "
        "slower) instead of the higgs-fast preset's depth 9 and subsample 0.9 with --rounds/--eta",
    )
    higgs.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="xgboost device")
    higgs.add_argument("--out", type=Path, help="report folder (default: out/higgs-DATA)")
    add_dask_option(higgs, "build the features there and train the final model with "
                    "xgboost.dask (the cross-validation stays in memory)")  # fmt: skip

    flavours = add_command(
        commands, "flavours",
        "reproduce the seed's Flavours of Physics solution (the best blend passing KS, CvM)",
        "Reproduce the seed's Flavours of Physics solution: xgboost, flatness boosting and the "
        "best blend that passes the KS agreement and CvM correlation tests. Without --data: "
        "simulated tables.",
        FLAVOURS_EXAMPLES, _run_flavours,
    )  # fmt: skip
    flavours.add_argument("--data", type=Path, help="folder with the Flavours csv files")
    flavours.add_argument("--seed", type=int, default=0, help="random seed")
    flavours.add_argument(
        "--training", type=count(100), default=30_000, help="simulated training events"
    )
    flavours.add_argument("--with-ugb", action="store_true", help="add hep_ml's (slow) uGB")
    flavours.add_argument(
        "--ks-margin", type=float, default=0.01, help="the blend must pass KS < 0.09 - margin"
    )
    flavours.add_argument(
        "--cvm-margin", type=float, default=0.0002, help="the blend must pass CvM < 0.002 - margin"
    )
    flavours.add_argument("--device", choices=["cpu", "cuda"], default="cpu", help="xgboost device")
    flavours.add_argument("--out", type=Path, help="report folder (default: out/flavours-DATA)")


def _run_higgs(args: argparse.Namespace) -> int:
    require_matplotlib()  # before the work: the report needs its figures
    from hepclf.reproduce import reproduce_higgs

    options = _options(args, "simulate", "partial", "seed", "folds", "rounds", "eta")
    if args.dask is None:
        result = reproduce_higgs(args.data, seed_parameters=args.seed_parameters, **options)
    else:
        from hepclf.distributed import connect

        with connect(args.dask) as client:
            result = reproduce_higgs(
                args.data, seed_parameters=args.seed_parameters, dask=client, **options
            )
    return _write(result, args, default_out("higgs", args.data, args.simulate))


def _run_flavours(args: argparse.Namespace) -> int:
    require_matplotlib()
    from hepclf.reproduce import reproduce_flavours

    options = _options(args, "seed", "training", "with_ugb", "ks_margin", "cvm_margin")
    result = reproduce_flavours(args.data, **options)
    return _write(result, args, default_out("flavours", args.data, None))


def _options(args: argparse.Namespace, *names: str) -> dict:
    return {name: getattr(args, name) for name in (*names, "device", "quiet")}


def require_matplotlib() -> None:
    from hepclf.report.figures import require_matplotlib as require

    require()


def _write(result, args: argparse.Namespace, default: Path) -> int:
    path = result.write(args.out or default)
    if not args.quiet:
        print(path.read_text())
        print(f"report written to {path} (and report.html beside it)")
    return 0
