"""The two reproductions run end to end on small simulated inputs and on the real sample."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]


def _run(script: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / script), *args],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def test_higgs_script_on_simulated_events(tmp_path):
    out = tmp_path / "higgs"
    text = _run("higgs.py", "--events", "6000", "--folds", "3", "--rounds", "30", "--out", str(out))
    report = (out / "report.md").read_text()
    assert "Cross-validation (3 folds" in report and "public (b)" in report
    public, private = (
        float(v) for v in re.findall(r"\| (?:public|private) \(\w\) \| ([\d.]+) \|", report)
    )
    assert 0.5 < public < 8 and 0.5 < private < 8
    assert (out / "ams_curve.png").stat().st_size > 5000
    assert "report written" in text


def test_higgs_script_on_the_real_sample(tmp_path, higgs_sample_path):
    out = tmp_path / "sample"
    _run("higgs.py", "--data", str(higgs_sample_path), "--partial", "--folds", "3",
         "--rounds", "30", "--out", str(out))  # fmt: skip
    report = (out / "report.md").read_text()
    assert "22,889 events" in report and "cross-validated AMS only" in report
    fold_ams = [float(v) for v in re.findall(r"^\s+\d\s+\d+\s+[\d.]+\s+([\d.]+)", report, re.M)]
    assert len(fold_ams) == 3 and all(1.5 < v < 5 for v in fold_ams)


def test_flavours_script_on_simulated_tables(tmp_path):
    out = tmp_path / "flavours"
    _run("flavours.py", "--training", "6000", "--out", str(out))
    report = (out / "report.md").read_text()
    assert "blend weights:" in report
    blend_row = re.search(r"^blend\s+([\d.]+)\s+([\d.]+)\s+([\d.]+)\s+True", report, re.M)
    assert blend_row, report
    auc, ks, cvm = (float(v) for v in blend_row.groups())
    assert ks < 0.08 and cvm < 0.0018 and auc > 0.9
    spd_row = re.search(r"^xgb with SPDhits\s+[\d.]+\s+([\d.]+)", report, re.M)
    assert float(spd_row.group(1)) > 0.09  # the SPDhits member fails the agreement test alone
    submission = np.genfromtxt(out / "submission.csv", delimiter=",", names=True)
    assert submission.size == 20_000
    assert ((submission["prediction"] >= 0) & (submission["prediction"] <= 1)).all()


def test_scripts_refuse_bad_input(tmp_path):
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "higgs.py"), "--data", str(tmp_path / "no.csv")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "no such file" in result.stderr
    (tmp_path / "check_correlation.csv").write_text("id\n")
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "flavours.py"), "--data", str(tmp_path)],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode != 0 and "missing column" in result.stderr


def test_plots_are_written(tmp_path, rng):
    from hepclf.metrics import ams_curve
    from hepclf.plotting import plot_agreement, plot_ams_curve

    y = rng.integers(0, 2, 2000)
    curve = ams_curve(y, rng.normal(y, 1), rng.uniform(0.5, 1, 2000))
    assert plot_ams_curve(curve, tmp_path / "a.png", cut=0.5).stat().st_size > 5000
    p = rng.random(500)
    path = plot_agreement(p, p**2, np.ones(500), np.ones(500), tmp_path / "k.png")
    assert path.stat().st_size > 5000
