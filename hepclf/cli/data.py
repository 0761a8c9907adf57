"""``hepclf simulate`` and ``hepclf features``: events in the real formats, and their features."""

from __future__ import annotations

import argparse
from pathlib import Path

from hepclf.cli._arguments import add_command, add_dask_option, count

SIMULATE_EXAMPLES = """\
  hepclf simulate higgs --out higgs.csv.gz          # 100,000 events in the Open Data format
  hepclf simulate higgs --events 818238 --out full.csv.gz   # the size of the real release
  hepclf simulate flavours --out flavours/          # the four tables, each the real file's size
  hepclf simulate flavours --training 30000 --test 0 --out small/
"""
FEATURES_EXAMPLES = """\
  hepclf features higgs atlas-higgs-challenge-2014-v2.csv.gz features.parquet
  hepclf features higgs training.csv features.csv.gz --orient
  hepclf features flavours flavours/training.csv training-features.parquet
  hepclf features higgs 'events/*.parquet' features/ --dask local   # one file per input file
"""
#: Columns of a Higgs file that identify, label or weight an event: kept beside its features.
HIGGS_BOOKKEEPING = ("EventId", "Label", "Weight", "KaggleSet", "KaggleWeight")


def register(commands) -> None:
    """Add ``simulate`` and ``features`` to the ``hepclf`` subcommands."""
    simulate = add_command(
        commands, "simulate",
        "write simulated events in the real file formats (Open Data CSV, the Flavours tables)",
        "Simulate events in the schema of the real files, with every column, and write them: "
        "Higgs ML as one Open Data file (CSV, -999 for undefined values, KaggleSet and "
        "KaggleWeight included; or parquet), Flavours as the four CSV files of the challenge.",
        SIMULATE_EXAMPLES, _run_simulate,
    )  # fmt: skip
    simulate.add_argument("channel", choices=["higgs", "flavours"], help="which challenge")
    simulate.add_argument(
        "--out", type=Path, required=True,
        help="higgs: a .csv, .csv.gz or .parquet file; flavours: a folder",
    )  # fmt: skip
    simulate.add_argument("--seed", type=int, default=0, help="random seed")
    simulate.add_argument(
        "--events", type=count(100), default=100_000, help="higgs: number of events"
    )
    for table in ("training", "check-agreement", "check-correlation", "test"):
        simulate.add_argument(
            f"--{table}", type=count(0), metavar="N",
            help=f"flavours: events in {table.replace('-', '_')}.csv (default: the real file's; "
            "0 leaves it out)",
        )  # fmt: skip

    features = add_command(
        commands, "features",
        "build the physics features of a file and write them (CSV or parquet)",
        "Read a real-format file (schema-checked, -999 as missing), build the seed solution's "
        "physics features with the numba kernels, and write them with the event's id, label "
        "and weights, as CSV or parquet (by OUT's name).",
        FEATURES_EXAMPLES, _run_features,
    )  # fmt: skip
    features.add_argument("channel", choices=["higgs", "flavours"], help="which challenge")
    features.add_argument("input", type=Path, help="an Open Data / Kaggle / Flavours CSV file")
    features.add_argument("output", type=Path, help="a .csv, .csv.gz or .parquet file")
    features.add_argument("--partial", action="store_true", help="accept a subset of a real file")
    features.add_argument(
        "--orient", action="store_true", help="higgs: add the oriented-event features"
    )
    features.add_argument(
        "--table", choices=["training", "check_agreement", "check_correlation", "test"],
        help="flavours: which table the file is (default: from its name)",
    )  # fmt: skip
    add_dask_option(features, "read INPUT (a file or a glob pattern of CSV / parquet / ROOT "
                    "files; flavours: parquet / ROOT) one partition per file and write OUTPUT as "
                    "a folder of parquet files, one per partition")  # fmt: skip


def _run_simulate(args: argparse.Namespace) -> int:
    from hepclf.datasets import check_output_path, write_table
    from hepclf.progress import step

    if args.channel == "higgs":
        from hepclf.simulate import simulate_higgs, write_higgs_csv

        kind = check_output_path(args.out, "--out")  # before the work
        frame = simulate_higgs(args.events, seed=args.seed)
        step(f"writing {args.out}")
        if kind == "csv":
            write_higgs_csv(frame, args.out)
        else:
            write_table(frame.drop(columns="process"), args.out, argument="--out")
        written = [args.out]
    else:
        from hepclf.simulate import simulate_flavours

        sizes = {
            name: getattr(args, name)
            for name in ("training", "check_agreement", "check_correlation", "test")
            if getattr(args, name) is not None
        }
        tables = simulate_flavours(args.seed, **sizes)
        args.out.mkdir(parents=True, exist_ok=True)
        written = []
        for name, table in tables.items():
            step(f"writing {args.out / f'{name}.csv'} ({len(table):,} events)")
            written.append(write_table(table, args.out / f"{name}.csv", argument="--out"))
    if not args.quiet:
        print("\n".join(f"wrote {path}" for path in written))
    return 0


def higgs_feature_table(frame, orient: bool = False):
    """The Higgs features of ``frame`` with the columns that identify, label and weight each
    event (:data:`HIGGS_BOOKKEEPING`) in front: what ``hepclf features higgs`` writes."""
    import pandas as pd

    from hepclf.features import higgs_features

    kept = frame[[column for column in HIGGS_BOOKKEEPING if column in frame]]
    return pd.concat([kept, higgs_features(frame, orient=orient)], axis=1)


def _run_features(args: argparse.Namespace) -> int:
    if args.dask is not None:
        return _run_features_on_cluster(args)
    from hepclf.datasets import check_output_path, load_flavours, load_higgs, write_table
    from hepclf.progress import step

    check_output_path(args.output, "output")  # before reading: a bad name fails at once
    step(f"reading {args.input}")
    if args.channel == "higgs":
        frame = load_higgs(args.input, partial=args.partial)
        step(f"building the features of {len(frame):,} events")
        built = higgs_feature_table(frame, orient=args.orient)
    else:
        from hepclf.features import flavours_features

        table = args.table or _flavours_table(args.input)
        frame = load_flavours(**{table: args.input, "partial": args.partial})[table]
        step(f"building the features of {len(frame):,} {table} events")
        built = flavours_features(frame)
    step(f"writing {args.output}")
    write_table(built, args.output, argument="output")
    if not args.quiet:
        print(f"wrote {len(built):,} events x {built.shape[1]} columns to {args.output}")
    return 0


def _run_features_on_cluster(args: argparse.Namespace) -> int:
    from hepclf.datasets import TABLE_FORMATS
    from hepclf.distributed import connect, features_dask, read_events
    from hepclf.features import flavours_features
    from hepclf.progress import step

    if args.output.name.lower().endswith(tuple(TABLE_FORMATS)) or args.output.is_file():
        raise ValueError(f"output: with --dask, {args.output} must be a folder (of parquet files)")
    if not args.output.parent.is_dir():
        raise FileNotFoundError(f"output: folder {args.output.parent} does not exist")
    step(f"connecting to the Dask scheduler ({args.dask})")
    with connect(args.dask):
        if args.channel == "higgs":
            events = read_events(str(args.input))
            built = features_dask(events, higgs_feature_table, orient=args.orient)
        else:
            events = read_events(str(args.input), kind="table")
            built = features_dask(events, flavours_features)
        step(f"building the features of {events.npartitions} partition(s) on the cluster")
        built.to_parquet(args.output, write_index=False)
    if not args.quiet:
        print(
            f"wrote {built.npartitions} parquet file(s) x {len(built.columns)} columns to "
            f"{args.output}"
        )
    return 0


def _flavours_table(path: Path) -> str:
    """The Flavours table a file holds, from its name (training.csv, check_agreement.csv.gz...)."""
    stem = path.name.lower().split(".")[0]
    for table in ("check_agreement", "check_correlation", "training", "test"):
        if stem.startswith(table):
            return table
    raise ValueError(
        f"input: cannot tell which Flavours table {path.name} is from its name: pass --table"
    )
