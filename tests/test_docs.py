"""Documentation that runs: every docstring example of the package (doctest) and the Python
blocks of the short documents (each document's blocks run in order, in one namespace)."""

from __future__ import annotations

import doctest
import importlib
import pkgutil
import re
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
#: Documents whose blocks run here in seconds (the others train models for minutes, or download).
RUNNABLE_DOCUMENTS = (
    "README.md",
    "docs/architecture.md",
    "docs/metrics.md",
    "docs/audit.md",
)


@pytest.mark.parametrize("name", ["hepclf", *MODULES])
def test_docstring_examples(name):
    module = importlib.import_module(name)
    finder = doctest.DocTestFinder(exclude_empty=True)
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    for test in finder.find(module, name):
        runner.run(test)
    assert runner.failures == 0, f"{runner.failures} docstring example(s) of {name} fail"


@pytest.mark.parametrize("document", RUNNABLE_DOCUMENTS)
def test_document_code_blocks_run(document, monkeypatch):
    monkeypatch.chdir(ROOT)
    # a document may register a scorer: keep that out of the registry the other tests see
    monkeypatch.setattr(scorers, "_SCORERS", dict(scorers._SCORERS))
    blocks = re.findall(r"```python\n(.*?)```", (ROOT / document).read_text(), re.S)
    assert blocks, f"{document} has no Python block"
    namespace: dict = {}
    for number, block in enumerate(blocks):
        exec(compile(block, f"{document} block {number}", "exec"), namespace)
