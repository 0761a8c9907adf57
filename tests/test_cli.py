"""The ``hepclf`` subcommands end to end: what they write, and how they refuse bad input.

The reproductions' numbers are tested in tests/test_reproduce.py and their entry points in
tests/test_scripts.py; here ``simulate`` and ``features``, the exit statuses, ``--help``,
``--debug`` and how fast the command starts.
"""

from __future__ import annotations

import gzip
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

from hepclf.cli import build_parser, main
from hepclf.datasets import load_flavours, load_higgs, read_table
from hepclf.features import flavours_features, higgs_features
from hepclf.simulate import simulate_flavours, simulate_higgs

SUBCOMMANDS = ("higgs", "flavours", "simulate", "features")


@pytest.fixture(scope="module")
def higgs_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli") / "events.csv.gz"
    assert main(["simulate", "higgs", "--events", "2000", "--seed", "3", "--out", str(path),
                 "--quiet"]) == 0  # fmt: skip
    return path


def _bad(argv, capsys) -> str:
    """Run argv, expect exit status 2 and one error line; return it."""
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    error = capsys.readouterr().err
    assert "Traceback" not in error
    return error.strip().splitlines()[-1]


def test_simulate_higgs_writes_the_open_data_format(higgs_file):
    events = load_higgs(higgs_file, partial=True)
    expected = simulate_higgs(2000, seed=3)
    assert events.attrs["format"] == "opendata" and len(events) == 2000
    pd.testing.assert_frame_equal(
        events.reset_index(drop=True), expected.drop(columns="process"), check_dtype=False,
        rtol=1e-11,
    )  # fmt: skip


def test_simulate_higgs_writes_parquet(tmp_path):
    path = tmp_path / "events.parquet"
    assert main(["simulate", "higgs", "--events", "500", "--out", str(path), "--quiet"]) == 0
    expected = simulate_higgs(500, seed=0).drop(columns="process")
    pd.testing.assert_frame_equal(pd.read_parquet(path), expected)  # bit for bit


def test_simulate_flavours_writes_the_four_tables(tmp_path, capsys):
    sizes = ["--training", "300", "--check-agreement", "200", "--check-correlation", "100"]
    assert main(["simulate", "flavours", "--out", str(tmp_path), *sizes, "--test", "0"]) == 0
    assert capsys.readouterr().out.count("wrote ") == 3
    tables = load_flavours(tmp_path, partial=True)
    assert {name: len(t) for name, t in tables.items()} == {
        "training": 300, "check_agreement": 200, "check_correlation": 100,
    }  # fmt: skip
    expected = simulate_flavours(0, training=300, check_agreement=200, check_correlation=100,
                                 test=0)  # fmt: skip
    for name, table in tables.items():  # 17 significant digits: the same numbers
        pd.testing.assert_frame_equal(table, expected[name], check_dtype=False, rtol=0)


def test_features_higgs_equals_the_api(higgs_file, tmp_path):
    out = tmp_path / "features.parquet"
    assert main(["features", "higgs", str(higgs_file), str(out), "--partial", "--quiet"]) == 0
    events = load_higgs(higgs_file, partial=True)
    written = pd.read_parquet(out)
    expected = higgs_features(events)
    assert list(written.columns[:5]) == ["EventId", "Label", "Weight", "KaggleSet", "KaggleWeight"]
    pd.testing.assert_frame_equal(written[expected.columns], expected.reset_index(drop=True))
    np.testing.assert_array_equal(written.EventId, events.EventId)


def test_features_flavours_from_csv_to_csv(tmp_path):
    tables = simulate_flavours(1, training=400, check_agreement=0, check_correlation=0, test=0)
    source = tmp_path / "training.csv"
    tables["training"].to_csv(source, index=False, float_format="%.17g")
    out = tmp_path / "training-features.csv.gz"
    assert main(["features", "flavours", str(source), str(out), "--partial", "--quiet"]) == 0
    expected = flavours_features(load_flavours(training=source, partial=True)["training"])
    pd.testing.assert_frame_equal(read_table(out), expected, check_dtype=False, rtol=0)


def test_bad_input_is_one_line_and_status_2(higgs_file, tmp_path, capsys):
    missing = tmp_path / "missing.csv"
    assert "no such file" in _bad(["features", "higgs", str(missing), "out.csv"], capsys)
    assert "pass --partial" in _bad(
        ["features", "higgs", str(higgs_file), str(tmp_path / "f.csv")], capsys
    )
    assert "must end with one of .csv" in _bad(
        ["features", "higgs", str(higgs_file), "features.txt", "--partial"], capsys
    )
    damaged = tmp_path / "damaged.csv.gz"
    damaged.write_bytes(higgs_file.read_bytes()[:5000])  # a download cut short
    assert "damaged.csv.gz" in _bad(
        ["features", "higgs", str(damaged), str(tmp_path / "f.csv"), "--partial"], capsys
    )
    cut_mid_row = tmp_path / "cut.csv"
    text = gzip.decompress(higgs_file.read_bytes()).decode()
    cut_mid_row.write_text(text[: len(text) // 2])
    assert "cut.csv" in _bad(
        ["features", "higgs", str(cut_mid_row), str(tmp_path / "f.csv"), "--partial"], capsys
    )
    assert "pass --table" in _bad(
        ["features", "flavours", str(higgs_file), str(tmp_path / "f.csv")], capsys
    )
    assert "--events: must be at least 100" in _bad(
        ["simulate", "higgs", "--events", "5", "--out", "x.csv"], capsys
    )
    assert "invalid choice: 'atlas'" in _bad(["simulate", "atlas", "--out", "x.csv"], capsys)
    assert "folder" in _bad(["simulate", "higgs", "--out", str(missing / "x" / "e.csv")], capsys)
    assert "invalid choice: 'gpu'" in _bad(["higgs", "--device", "gpu"], capsys)
    assert not (tmp_path / "f.csv").exists()  # nothing written by a refused command


def test_debug_shows_the_traceback(tmp_path):
    argv = ["features", "higgs", str(tmp_path / "missing.csv"), "out.csv"]
    with pytest.raises(FileNotFoundError, match="no such file"):
        main([*argv, "--debug"])


def test_every_subcommand_has_examples_in_its_help():
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert set(SUBCOMMANDS) <= set(commands)
    for name in SUBCOMMANDS:
        help_text = commands[name].format_help()
        examples = help_text.split("examples:\n")[1]
        assert f"hepclf {name}" in examples, name
        for line in examples.splitlines():  # each example parses
            words = line.split("#")[0].split()
            if words:
                build_parser().parse_args(words[1:])


def test_the_command_starts_without_loading_the_engine():
    """The first progress line comes before numba, pandas and xgboost load (seconds), so that a
    user sees the command start at once: importing the command loads none of them."""
    code = (
        "import sys, hepclf.cli; heavy = {'numba', 'pandas', 'xgboost', 'sklearn', 'matplotlib'}; "
        "print(sorted(heavy & set(sys.modules)))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.strip() == "[]", result.stderr


def test_progress_goes_to_stderr_and_quiet_silences_it(tmp_path):
    out = tmp_path / "e.csv"
    command = [sys.executable, "-m", "hepclf", "simulate", "higgs", "--events", "300", "--out"]
    loud = subprocess.run([*command, str(out)], capture_output=True, text=True)
    assert loud.returncode == 0, loud.stderr
    lines = loud.stderr.splitlines()
    assert lines[0].startswith("[hepclf simulate ") and lines[0].endswith("starting")
    assert "simulating Higgs ML events: 300/300 events in" in loud.stderr  # not a terminal
    assert loud.stdout == f"wrote {out}\n"
    quiet = subprocess.run([*command, str(out), "--quiet"], capture_output=True, text=True)
    assert quiet.returncode == 0 and quiet.stderr == "" and quiet.stdout == ""
