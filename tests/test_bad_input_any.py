"""Garbage in every required argument of every public function (issue 14): each call either
raises a TypeError, ValueError or FileNotFoundError, or returns for input that is in fact
valid (listed below). Never an AttributeError, IndexError, KeyError, ZeroDivisionError or an
error from numba, whatever the argument: the entry checks come first."""

from __future__ import annotations

import importlib
import inspect
import warnings

import numpy as np
import pandas as pd
import pytest

STAGES = ("datasets", "features", "simulate", "metrics", "validation", "ensemble", "report",
          "audit")  # fmt: skip
#: Network (download) or context managers: nothing to call with garbage.
SKIPPED = {"download_higgs", "show_progress"}
GARBAGE = {
    "None": None,
    "a word": "abc",
    "NaN": float("nan"),
    "an empty list": [],
    "a 2-D array": np.ones((3, 2)),
    "a dict": {"a": 1},
    "True": True,
    "an object": object(),
    "-3": -3,
    "a frame": pd.DataFrame({"a": [1.0, 2.0]}),
}
#: (function, garbage) pairs where the garbage is valid input and a value is the right answer.
VALID = {
    ("model_columns", "a frame"),  # the columns a model may use: ['a']
    ("ams", "a 2-D array"),  # s = b = 1 for six selections
    ("ams", "True"),  # s = b = 1
    ("ams", "a frame"),  # s = b = [1, 2]
    ("format_against", "-3"),  # -3 printed beside the limit -3
}


def _public_functions():
    for stage in STAGES:
        module = importlib.import_module(f"hepclf.{stage}")
        for name in module.__all__:
            function = getattr(module, name)
            if not inspect.isfunction(function) or name in SKIPPED:
                continue
            required = [
                p for p in inspect.signature(function).parameters.values()
                if p.default is inspect.Parameter.empty
                and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
            ]  # fmt: skip
            if required:
                yield pytest.param(function, len(required), id=f"{stage}.{name}")


@pytest.mark.parametrize(("function", "n_required"), list(_public_functions()))
def test_garbage_is_refused_by_name(function, n_required, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # a writer given a word writes nothing outside the test folder
    for what, value in GARBAGE.items():
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                function(*[value] * n_required)
        except (TypeError, ValueError, FileNotFoundError):
            continue
        except Exception as error:  # the wrong kind: an error from deep inside
            pytest.fail(f"{function.__name__}({what}): {type(error).__name__}: {error}")
        assert (function.__name__, what) in VALID, f"{function.__name__}({what}) returned"
