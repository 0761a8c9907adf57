"""The scorer registry: what each registered name computes, and the registry's contract."""

from __future__ import annotations

import numpy as np
import pytest

from hepclf.metrics import (
    HIGGS_TOTALS,
    Scorer,
    ams,
    get_scorer,
    register_scorer,
    scorer_names,
    truncated_auc,
)
from hepclf.metrics import scorers as registry


@pytest.fixture()
def private_registry(monkeypatch):
    """A copy of the registry, so that registering in a test leaves the real one untouched."""
    monkeypatch.setattr(registry, "_SCORERS", dict(registry._SCORERS))


def _events(rng, n=600):
    y = rng.integers(0, 2, n)
    score = 1 / (1 + np.exp(-rng.normal(1.5 * y - 0.75, 1.0)))
    weight = np.where(y == 1, rng.uniform(1e-3, 3e-3, n), rng.uniform(0.5, 5.0, n))
    return y, score, weight


def _best_cut_ams_by_loop(y, score, weight):
    """Independent reference: renormalise each class to the HiggsML totals, then try every cut."""
    scaled = np.where(
        y == 1,
        weight * HIGGS_TOTALS.signal / weight[y == 1].sum(),
        weight * HIGGS_TOTALS.background / weight[y == 0].sum(),
    )
    return max(
        ams(scaled[(score >= cut) & (y == 1)].sum(), scaled[(score >= cut) & (y == 0)].sum())
        for cut in np.unique(score)
    )


def test_registered_names_in_order():
    assert scorer_names() == ("ams", "truncated_auc")
    for name in scorer_names():
        scorer = get_scorer(name)
        assert isinstance(scorer, Scorer) and scorer.name == name and scorer.description


def test_ams_scorer_is_the_renormalised_best_cut_ams(rng):
    y, score, weight = _events(rng)
    scorer = get_scorer("ams")
    value = scorer(y, score, weight)
    assert type(value) is float
    assert value == pytest.approx(_best_cut_ams_by_loop(y, score, weight), rel=1e-12)
    # renormalised: a held-out split carrying 1/5 of the luminosity scores the same
    assert scorer(y, score, weight / 5) == pytest.approx(value, rel=1e-12)


def test_truncated_auc_scorer(rng):
    y, score, weight = _events(rng)
    scorer = get_scorer("truncated_auc")
    assert scorer(y, score, weight) == truncated_auc(y, score, weight)
    assert scorer(y, score) == truncated_auc(y, score)  # weights are optional here
    assert scorer(y, score, weight) != scorer(y, score)


@pytest.mark.parametrize("name", ["ams", "truncated_auc"])
def test_scorers_are_higher_is_better(rng, name):
    y, score, weight = _events(rng)
    worse = np.clip(score + rng.normal(0, 0.3, score.size), 0, 1)
    scorer = get_scorer(name)
    assert scorer(y, score, weight) > scorer(y, worse, weight)


def test_register_and_look_up(private_registry):
    def mean_signal_score(y, score, sample_weight):
        return np.mean(np.asarray(score)[np.asarray(y) == 1])

    added = register_scorer("mean_signal", mean_signal_score, description="mean score of signal")
    # without a checked variant, the function itself serves the searches
    expected = Scorer("mean_signal", mean_signal_score, mean_signal_score, "mean score of signal")
    assert added == expected
    assert get_scorer("mean_signal") is added
    assert scorer_names() == ("ams", "truncated_auc", "mean_signal")
    assert added([0, 1, 1], [0.9, 0.2, 0.4]) == pytest.approx(0.3)
    plain = register_scorer("plain", mean_signal_score)
    assert plain.description == ""
    with pytest.raises(ValueError, match="a scorer named 'ams' is already registered"):
        register_scorer("ams", mean_signal_score)
    assert get_scorer("ams").function is not mean_signal_score


def test_unknown_scorer_is_refused():
    with pytest.raises(ValueError, match="unknown scorer 'auc': must be one of \\('ams', "):
        get_scorer("auc")
