"""The scripts and the ``hepclf`` command run end to end, and refuse bad input without a traceback.

The reproductions' numbers are tested in-process in tests/test_reproduce.py; here the entry points
themselves: ``python scripts/*.py``, ``python -m hepclf`` and their errors.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _run(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *args], capture_output=True, text=True, check=False, cwd=cwd,
    )  # fmt: skip


def test_higgs_script_writes_its_report(tmp_path):
    out = tmp_path / "higgs"
    result = _run("scripts/higgs.py", "--simulate", "3000", "--folds", "2", "--rounds", "10",
                  "--out", str(out))  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    report = (out / "report.md").read_text()
    assert report.startswith("# Higgs ML reproduction")
    assert "[hepclf higgs" in result.stderr  # progress lines, apart from the report
    assert "report written to" in result.stdout
    figures = {"ams_curve.png", "score_distributions.png", "roc.png", "feature_importances.png"}
    assert {p.name for p in out.iterdir()} == {"report.md", "report.html", *figures}


def test_the_command_is_the_script(tmp_path):
    """``python -m hepclf higgs`` gives the report of ``python scripts/higgs.py`` (same args)."""
    args = ["--simulate", "3000", "--folds", "2", "--rounds", "10", "--quiet"]
    module = _run("-m", "hepclf", "higgs", *args, "--out", str(tmp_path / "a"))
    script = _run("scripts/higgs.py", *args, "--out", str(tmp_path / "b"))
    assert module.returncode == 0 and script.returncode == 0, module.stderr + script.stderr
    assert module.stdout == script.stdout == "" and module.stderr == script.stderr == ""
    strip = lambda text: [line for line in text.splitlines() if not line.startswith("Wall")]  # noqa: E731
    assert strip((tmp_path / "a" / "report.md").read_text()) == strip(
        (tmp_path / "b" / "report.md").read_text()
    )


def test_scripts_refuse_bad_input(tmp_path):
    result = _run("scripts/higgs.py", "--data", str(tmp_path / "no.csv"))
    assert result.returncode == 2
    assert "hepclf higgs: error: no such file" in result.stderr
    assert "Traceback" not in result.stderr
    (tmp_path / "check_correlation.csv").write_text("id\n")
    result = _run("scripts/flavours.py", "--data", str(tmp_path))
    assert result.returncode == 2 and "missing column" in result.stderr
    assert "Traceback" not in result.stderr
    for flag, value, reason in (
        ("--folds", "1", "must be at least 2"),
        ("--simulate", "5.5", "must be a whole number"),
        ("--eta", "0", "must be positive"),
    ):
        result = _run("-m", "hepclf", "higgs", flag, value)
        assert result.returncode == 2, result.stderr
        assert f"argument {flag}: {reason}" in result.stderr  # before any work
    result = _run("-m", "hepclf", "flavours", "--training", "10")
    assert result.returncode == 2 and "argument --training: must be at least 100" in result.stderr
    damaged = tmp_path / "damaged.csv"
    damaged.write_text("EventId,DER_mass_MMC\n100000,138.47\n100001,16")  # cut mid-row
    result = _run("-m", "hepclf", "higgs", "--data", str(damaged), "--partial")
    assert result.returncode == 2 and "hepclf higgs: error: " in result.stderr
    assert str(damaged) in result.stderr and "Traceback" not in result.stderr


def test_the_main_job_runs_on_the_packaged_real_sample_into_its_own_folder(tmp_path):
    result = _run("-m", "hepclf", "higgs", "--folds", "2", "--rounds", "5", "--quiet", cwd=tmp_path)
    assert result.returncode == 0, result.stderr[-3000:]
    report = (tmp_path / "out" / "higgs-sample" / "report.md").read_text()
    assert "the real ATLAS sample packaged with hepclf (22,889 Open Data events)" in report
    assert "not like-for-like" in report and "cross-validated AMS only" in report
    both = _run("-m", "hepclf", "higgs", "--data", "x.csv", "--simulate", "500", cwd=tmp_path)
    assert both.returncode == 2 and "not allowed with argument" in both.stderr
