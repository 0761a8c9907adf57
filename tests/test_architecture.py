"""The layers of docs/architecture.md hold: imports go downward only, and the scripts stay thin."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint_imports(root: Path) -> subprocess.CompletedProcess:
    """Run import-linter on the package found first under ``root`` (its pyproject contract)."""
    if not LINT_IMPORTS.exists():
        pytest.fail(f"lint-imports not installed beside {sys.executable}: pip install -e '.[dev]'")
    environment = os.environ | {"PYTHONPATH": str(root)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=root, env=environment,
        capture_output=True, text=True, check=False,
    )  # fmt: skip


def _copy_package(destination: Path) -> Path:
    shutil.copytree(ROOT / "hepclf", destination / "hepclf",
                    ignore=shutil.ignore_patterns("__pycache__"))  # fmt: skip
    shutil.copy(ROOT / "pyproject.toml", destination / "pyproject.toml")
    return destination


def test_the_package_keeps_its_layers():
    result = _lint_imports(ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "1 kept, 0 broken" in result.stdout


@pytest.mark.parametrize(
    "module, backward_import",
    [
        ("metrics/ams.py", "from hepclf.models import losses"),  # metrics below models
        ("features/higgs.py", "import hepclf.simulate.higgs"),  # features below simulate
        ("schemas.py", "from hepclf.datasets import _reading"),  # schemas at the bottom
        ("models/_base.py", "from hepclf.report import Report"),  # models below report
    ],
)
def test_a_backward_import_breaks_the_contract(tmp_path, module, backward_import):
    copy = _copy_package(tmp_path)
    path = copy / "hepclf" / module
    path.write_text(path.read_text() + f"\n{backward_import}  # noqa\n")
    result = _lint_imports(copy)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
    assert f"hepclf.{module.removesuffix('.py').replace('/', '.')}" in result.stdout


@pytest.mark.parametrize("script", ["higgs.py", "flavours.py"])
def test_scripts_are_thin(script):
    lines = (ROOT / "scripts" / script).read_text().splitlines()
    assert len(lines) < 30
    assert "from hepclf.cli import main" in lines


def test_every_stage_is_reexported_at_the_top():
    import hepclf as hc

    for stage in ("datasets", "features", "simulate", "metrics", "models", "validation",
                  "ensemble", "report", "reproduce", "schemas"):  # fmt: skip
        module = getattr(hc, stage)
        for name in module.__all__:
            assert getattr(hc, name) is getattr(module, name), f"{stage}.{name}"
            assert name in hc.__all__


@pytest.mark.parametrize(
    "benchmark", sorted(p.stem for p in (ROOT / "benchmarks").glob("bench_*.py"))
)
def test_benchmarks_import_against_the_current_api(benchmark, monkeypatch):
    """Benchmarks are not run by the suite; at least their imports must follow the package."""
    monkeypatch.syspath_prepend(str(ROOT / "benchmarks"))
    module = __import__(benchmark)
    assert callable(module.run)
