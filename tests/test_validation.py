"""Cross-validated AMS on the real ATLAS sample with renormalised folds."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold

from hepclf.datasets import load_higgs
from hepclf.metrics import HIGGS_TOTALS, renormalise
from hepclf.models import XGBPhysicsClassifier
from hepclf.schemas import HIGGS_FEATURE_COLUMNS as FEATURE_COLUMNS
from hepclf.validation import choose_cut, cross_validate_ams, out_of_fold_predictions


@pytest.fixture(scope="module")
def atlas_cv(higgs_sample_path):
    events = load_higgs(higgs_sample_path, partial=True)
    model = XGBPhysicsClassifier(n_estimators=60, max_depth=5, learning_rate=0.2, random_state=0)
    x = events[list(FEATURE_COLUMNS)]
    y = (events.Label == "s").to_numpy().astype(int)
    # the sample as a full-luminosity data set: its weights scaled up to the physics totals
    w = renormalise(y, events.Weight.to_numpy())
    result = cross_validate_ams(
        model, x, y, w, n_splits=4, threshold="mean_top", top=50, random_state=1
    )
    return events, x, y, w, result


def test_fold_ams_is_renormalised_and_raw_is_low_by_the_luminosity_factor(atlas_cv):
    _, _, y, w, result = atlas_cv
    folds = result.folds
    assert len(folds) == 4 and folds.events.sum() == y.size
    # renormalised folds agree with each other and with the pooled value
    assert folds.ams.min() > 0.75 * folds.ams.max()
    assert result.pooled_ams == pytest.approx(folds.ams.mean(), rel=0.1)
    assert 2.5 < result.pooled_ams < 4.5
    # raw weights: each fold carries 1/K of the luminosity, so its AMS reads low by ~sqrt(1/K)
    for (_, fold), (_, test) in zip(folds.iterrows(), _folds(y), strict=True):
        luminosity = w[test][y[test] == 0].sum() / HIGGS_TOTALS.background
        assert luminosity == pytest.approx(0.25, rel=0.05)
        assert fold.ams_raw_weights / fold.ams == pytest.approx(math.sqrt(1 / 4), rel=0.05)


def _folds(y):
    from sklearn.model_selection import StratifiedKFold

    return StratifiedKFold(n_splits=4, shuffle=True, random_state=1).split(np.zeros(y.size), y)


def test_cuts_are_chosen_on_the_other_folds_only(atlas_cv):
    _, _, y, w, result = atlas_cv
    for (_, fold), (_, test) in zip(result.folds.iterrows(), _folds(y), strict=True):
        others = np.setdiff1d(np.arange(y.size), test)
        chosen = choose_cut(y[others], result.oof_score[others], w[others], "mean_top", top=50)
        assert fold.cut == chosen
        scored_on_itself = choose_cut(y[test], result.oof_score[test], w[test], "mean_top", top=50)
        assert fold.cut != scored_on_itself


def test_threshold_methods(atlas_cv):
    _, _, y, w, result = atlas_cv
    score = result.oof_score
    assert np.mean(score >= choose_cut(y, score, w, "fraction", fraction=0.15)) == pytest.approx(
        0.15, abs=0.01
    )
    top = choose_cut(y, score, w, "mean_top", top=20)
    assert np.min(score) <= top <= np.max(score)
    with pytest.raises(ValueError, match="method must be one of"):
        choose_cut(y, score, w, "median")
    with pytest.raises(ValueError, match="threshold must be one of"):
        cross_validate_ams(XGBPhysicsClassifier(n_estimators=2), y[:, None], y, w, threshold="x")
    with pytest.raises(ValueError, match="top must be an integer >= 1"):
        choose_cut(y, score, w, "mean_top", top=0)
    with pytest.raises(ValueError, match="fraction must be > 0.0 and < 1.0"):
        choose_cut(y, score, w, "fraction", fraction=1.5)


def test_bad_input(atlas_cv):
    _, x, y, w, _ = atlas_cv
    model = XGBPhysicsClassifier(n_estimators=2)
    with pytest.raises(TypeError, match="sample_weight is required"):
        cross_validate_ams(model, x, y, None)
    with pytest.raises(ValueError, match="length mismatch"):
        cross_validate_ams(model, x.iloc[:-1], y, w)
    with pytest.raises(ValueError, match="n_splits must be an integer >= 2"):
        cross_validate_ams(model, x, y, w, n_splits=1)
    with pytest.raises(ValueError, match="sample_weight has 1 negative"):
        cross_validate_ams(model, x, y, np.r_[-1.0, w[1:]])
    with pytest.raises(ValueError, match="single class"):
        cross_validate_ams(model, x, np.ones_like(y), w)


def test_the_cut_for_test_data_is_chosen_on_all_out_of_fold_predictions(atlas_cv):
    _, _, y, w, result = atlas_cv
    assert result.cut == choose_cut(y, result.oof_score, w, result.threshold, top=50)
    best = choose_cut(y, result.oof_score, w, "best")
    assert result.curve.ams[result.curve.cuts == best][0] == result.curve.ams.max()


class _Recorder(ClassifierMixin, BaseEstimator):
    """Logistic regression that keeps every X it is fitted on or predicts (in a list shared by
    its clones)."""

    seen: list = []

    def fit(self, X, y, sample_weight=None):
        self.seen.append(X)
        self.model_ = LogisticRegression().fit(X, y, sample_weight)
        return self

    def predict_proba(self, X):
        self.seen.append(X)
        return self.model_.predict_proba(X)


@pytest.mark.parametrize("mixed", [False, True])
def test_folds_hand_the_estimator_what_iloc_gives(mixed):
    rng = np.random.default_rng(0)
    y = rng.integers(0, 2, 60)
    x = pd.DataFrame(
        np.asfortranarray(rng.normal(y[:, None], 1.0, (60, 3))), columns=["a", "b", "c"],
        index=np.arange(100, 160),
    )  # fmt: skip
    x.attrs["source"] = "toy"
    if mixed:
        x["n"] = rng.integers(0, 3, 60)
    seen = _Recorder.seen = []
    oof = out_of_fold_predictions(_Recorder(), x, y, n_splits=3, random_state=0)
    folds = StratifiedKFold(3, shuffle=True, random_state=0).split(x, y)
    for (train, test), fitted, predicted in zip(folds, seen[::2], seen[1::2], strict=True):
        pd.testing.assert_frame_equal(fitted, x.iloc[train])
        pd.testing.assert_frame_equal(predicted, x.iloc[test])
        assert fitted.attrs == {"source": "toy"}
        # one dtype: each fold's events are one C-contiguous array (no further copy to xgboost)
        assert fitted.to_numpy().flags.c_contiguous != mixed
    assert np.all((oof > 0) & (oof < 1))
