"""Documentation that runs: every docstring example of the package (doctest), the Python blocks of
README.md and docs/*.md (each document's blocks in order, in one namespace, in a fresh folder),
and their shell blocks (each command line run as written)."""

from __future__ import annotations

import doctest
import importlib
import os
import pkgutil
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

import hepclf
from hepclf.metrics import scorers

ROOT = Path(__file__).resolve().parents[1]
MODULES = sorted(
    info.name
    for info in pkgutil.walk_packages(hepclf.__path__, "hepclf.")
    if info.name != "hepclf.__main__"
)
DOCUMENTS = ("README.md", *sorted(f"docs/{p.name}" for p in (ROOT / "docs").glob("*.md")))
#: The README's two set-up commands, which CI itself runs verbatim in a fresh environment
#: (.ci/run): install + the main job, and this test suite.
CI_COMMANDS = (
    'python -m pip install -e ".[dev]" && hepclf higgs',
    "python -m pytest -q",
)


def _blocks(document: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", (ROOT / document).read_text(), re.S)


def _python_documents() -> list[str]:
    return [document for document in DOCUMENTS if _blocks(document, "python")]


def _shell_commands() -> list[tuple[str, str]]:
    commands = []
    for document in DOCUMENTS:
        for block in _blocks(document, "bash"):
            for line in block.splitlines():
                command = line.split("  #")[0].strip()
                if command and command not in CI_COMMANDS:
                    commands.append((document, command))
    return commands


@pytest.mark.parametrize("name", ["hepclf", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) of {name} fail"


def test_every_code_block_is_run_here_or_by_ci():
    """A block in another language would escape both tests below."""
    for document in DOCUMENTS:
        languages = re.findall(r"^```(\w*)$", (ROOT / document).read_text(), re.M)[::2]
        assert set(languages) <= {"python", "bash", ""}, (document, languages)
        plain = re.findall(r"```\n(.*?)```", (ROOT / document).read_text(), re.S)
        # plain blocks hold diagrams and tables of numbers, never code
        assert not [b for b in plain if re.search(r"^(hepclf|python|import|from) ", b, re.M)]
    readme = (ROOT / "README.md").read_text()
    for command in CI_COMMANDS:
        assert f"```bash\n{command}\n```" in readme


@pytest.mark.parametrize("document", _python_documents())
def test_document_python_blocks_run(document, monkeypatch, tmp_path):
    monkeypatch.chdir(tmp_path)  # a block may write files
    # a document may register a scorer: keep that out of the registry the other tests see
    monkeypatch.setattr(scorers, "_SCORERS", dict(scorers._SCORERS))
    namespace: dict = {}
    for number, block in enumerate(_blocks(document, "python")):
        exec(compile(block, f"{document} block {number}", "exec"), namespace)


@pytest.mark.parametrize(
    "document, command", _shell_commands(), ids=[c for _, c in _shell_commands()]
)
def test_document_shell_commands_run(document, command, tmp_path_factory):
    """Each command as written, in one folder per document (a command may read what the one
    before it wrote), with the installed ``hepclf`` of this environment."""
    folder = tmp_path_factory.getbasetemp() / re.sub(r"\W", "_", document)
    folder.mkdir(exist_ok=True)
    bin_dir = str(Path(sys.executable).parent)
    environment = {**os.environ, "PATH": bin_dir + os.pathsep + os.environ.get("PATH", "")}
    arguments = shlex.split(command)
    assert arguments[0] in ("hepclf", "python"), command
    result = subprocess.run(
        arguments, cwd=folder, env=environment, capture_output=True, text=True, check=False
    )
    # hepclf audit exits with 1 when it flags a claim (the README shows one), with its verdict
    flagged = arguments[:2] == ["hepclf", "audit"] and result.returncode == 1 and result.stdout
    assert result.returncode == 0 or flagged, f"{document}: {command}\n{result.stderr[-3000:]}"
    assert "Traceback" not in result.stderr
