"""Progress of the long steps: exact plain lines, bars on a terminal, silence by default and with
quiet, and the counts the library reports from inside its long steps."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from hepclf.ensemble import constrained_blend
from hepclf.models import UGBClassifier, XGBPhysicsClassifier
from hepclf.progress import advance, show_progress, step, task
from hepclf.validation import out_of_fold_predictions


def _plain(**options):
    log = io.StringIO()
    return log, show_progress("test", stream=log, interactive=False, **options)


def test_plain_lines_start_end_and_at_most_one_per_interval():
    now = [0.0]  # the clock: one second per round
    log, display = _plain(interval=3.0, clock=lambda: now[0])
    with display:
        step("hello")
        with task("boosting", total=10, unit="rounds"):
            for _ in range(10):
                now[0] += 1.0
                advance()
    assert log.getvalue().splitlines() == [
        "[hepclf test    0.0 s] hello",
        "[hepclf test    0.0 s] boosting (10 rounds)",
        "[hepclf test    3.0 s] boosting: 3/10 rounds",  # one line each time 3 s have passed
        "[hepclf test    6.0 s] boosting: 6/10 rounds",
        "[hepclf test    9.0 s] boosting: 9/10 rounds",
        "[hepclf test   10.0 s] boosting: 10/10 rounds in 10.0 s",
    ]


def test_silent_outside_show_progress_and_with_quiet(capsys):
    with task("anything", total=2):
        advance(2)
    step("nothing")
    log, display = _plain()
    with display, show_progress(quiet=True):  # quiet inside a display silences it
        with task("hidden", total=1):
            advance()
    assert log.getvalue() == ""
    assert capsys.readouterr() == ("", "")


def test_a_nested_display_reports_in_the_enclosing_one():
    log, display = _plain(clock=lambda: 0.0)
    with display, show_progress("inner"):
        step("from inside")
    assert log.getvalue() == "[hepclf test    0.0 s] from inside\n"


def test_bars_on_a_terminal():
    log = io.StringIO()
    with show_progress("test", stream=log, interactive=True):
        with task("folds", total=3, unit="folds"):
            for _ in range(3):
                advance()
    assert "folds: 100%" in log.getvalue() and "3/3" in log.getvalue()


def _counts(run) -> str:
    log, display = _plain()
    with display:
        run()
    return log.getvalue()


def test_the_library_counts_folds_rounds_stages_and_blends():
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 300)
    X = rng.normal(y[:, None], 1.0, (300, 2))
    model = XGBPhysicsClassifier(n_estimators=7, random_state=0)
    log = _counts(lambda: out_of_fold_predictions(model, X, y, n_splits=3))
    assert "cross-validating XGBPhysicsClassifier: 3/3 folds in" in log
    assert log.count("boosting: 7/7 rounds in") == 3
    frame = {"x": X[:, 0], "mass": rng.uniform(1600, 1950, 300)}
    ugb = UGBClassifier(uniform_features=["mass"], n_estimators=4, max_depth=2, random_state=0)
    log = _counts(lambda: ugb.fit(pd.DataFrame(frame), y))
    assert "uGB (hep_ml, one thread): 4/4 trees in" in log
    members = {"a": rng.random(300), "b": rng.random(300)}
    results = []
    log = _counts(lambda: results.append(constrained_blend(members, y, grid_step=0.25)))
    assert f"blend search: {results[0].evaluations} blends in" in log


@pytest.mark.parametrize("device", ["gpu", "CUDA", 0])
def test_device_is_checked_in_fit(device):
    model = XGBPhysicsClassifier(n_estimators=2, device=device)
    with pytest.raises(ValueError, match="'device' parameter"):
        model.fit(np.zeros((10, 1)), np.tile([0, 1], 5))


def test_device_reaches_xgboost_and_a_cpu_only_build_is_named(monkeypatch):
    import json

    import xgboost

    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 100)
    model = XGBPhysicsClassifier(n_estimators=2, device="cpu").fit(rng.normal(size=(100, 2)), y)
    config = json.loads(model.booster_.save_config())
    assert config["learner"]["generic_param"]["device"] == "cpu"
    monkeypatch.setattr(xgboost, "build_info", lambda: {"USE_CUDA": False})
    with pytest.raises(ValueError, match="device='cuda' needs an xgboost built with CUDA"):
        XGBPhysicsClassifier(n_estimators=2, device="cuda").fit(rng.normal(size=(100, 2)), y)
