"""Every public function and estimator says what it refuses (issue 14).

The public API is each name in ``__all__`` of the stage modules. A function's docstring, an
estimator's ``fit`` docstring, or (for a class without ``fit``: results, losses' parents, warnings)
the class docstring must hold a numpydoc ``Raises`` section, and every entry of that section must
name an exception class that exists.
"""

from __future__ import annotations

import builtins
import importlib
import inspect
import sys

import pytest

STAGES = (
    "datasets",
    "features",
    "simulate",
    "metrics",
    "models",
    "validation",
    "ensemble",
    "report",
    "audit",
    "reproduce",
    "progress",
    "distributed",
)
#: Public functions that truly raise nothing: their section says so in a sentence that starts with
#: "Nothing is raised" (and names no exception). A new one is a deliberate decision: add it here.
NOTHING_RAISED = {"datasets.higgs_sample_path", "metrics.scorer_names", "audit.catalogue_path"}


def public_docstrings():
    """(stage.name, stage module, object, the object whose docstring documents it)."""
    for stage in STAGES:
        module = importlib.import_module(f"hepclf.{stage}")
        for name in module.__all__:
            obj = getattr(module, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                target = obj.fit if inspect.isclass(obj) and hasattr(obj, "fit") else obj
                yield f"{stage}.{name}", module, obj, target


def raises_entries(docstring: str) -> list[str] | None:
    """The entries of the numpydoc Raises section of ``docstring`` (its lines that are not
    indented further than the heading), or None when it has no such section."""
    lines = inspect.cleandoc(docstring).splitlines()
    for i in range(len(lines) - 1):
        if lines[i].strip() == "Raises" and set(lines[i + 1].strip()) == {"-"}:
            indent = len(lines[i]) - len(lines[i].lstrip())
            entries = []
            for j in range(i + 2, len(lines)):
                line = lines[j]
                if not line.strip():
                    continue
                if j + 1 < len(lines) and set(lines[j + 1].strip()) == {"-"}:
                    break  # the next section's heading
                if len(line) - len(line.lstrip()) == indent:
                    entries.append(line.strip())
            return entries
    return None


def resolve_exception(name: str, *modules) -> type | None:
    """The exception class ``name`` denotes: a builtin, a name of one of ``modules``, or a dotted
    path to an importable class (``sklearn.utils._param_validation.InvalidParameterError``)."""
    candidates = [getattr(builtins, name, None)]
    candidates += [getattr(module, name, None) for module in modules]
    if "." in name:
        module_name, _, attribute = name.rpartition(".")
        try:
            candidates.append(getattr(importlib.import_module(module_name), attribute, None))
        except ImportError:
            pass
    for candidate in candidates:
        if inspect.isclass(candidate) and issubclass(candidate, BaseException):
            return candidate
    return None


def test_every_public_function_and_estimator_documents_what_it_raises():
    missing = [
        name for name, _, _, target in public_docstrings() if "Raises" not in (target.__doc__ or "")
    ]
    assert not missing, (
        f"{len(missing)} public function(s) / estimator(s) lack a numpydoc Raises section (for an "
        f"estimator: in fit): {', '.join(missing)}"
    )


def test_every_raises_section_names_existing_exceptions():
    problems = []
    for name, stage, obj, target in public_docstrings():
        entries = raises_entries(target.__doc__ or "")
        if entries is None:
            problems.append(f"{name}: 'Raises' is not a numpydoc section (Raises / ------)")
            continue
        if name in NOTHING_RAISED:  # one sentence, which may wrap over several lines
            if not entries or not entries[0].startswith("Nothing is raised"):
                problems.append(f"{name}: expected the sentence 'Nothing is raised: ...'")
            continue
        if not entries:
            problems.append(f"{name}: the Raises section is empty")
        modules = (sys.modules[target.__module__], sys.modules[obj.__module__], stage)
        for entry in entries:
            if resolve_exception(entry, *modules) is None:
                problems.append(f"{name}: {entry!r} is not an exception class")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "docstring, expected",
    [
        (
            "Summary.\n\nRaises\n------\nValueError\n    Bad.\nTypeError\n    Worse.\n",
            ["ValueError", "TypeError"],
        ),
        (
            "Summary.\n\n    Raises\n    ------\n    KeyError\n        Gone.\n\n    Examples\n"
            "    --------\n    >>> 1\n    1\n",
            ["KeyError"],
        ),
        ("Summary without the section; Raises in prose only.", None),
    ],
)
def test_the_raises_parser(docstring, expected):
    assert raises_entries(docstring) == expected
