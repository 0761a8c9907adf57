"""Models: scikit-learn conventions, pickling, physics weights, the flatness objective."""

from __future__ import annotations

import pickle

import numpy as np
import pandas as pd
import pytest
from sklearn.utils.estimator_checks import check_estimator

from hepclf.metrics import cvm_correlation, truncated_auc
from hepclf.models import FlatnessXGBClassifier, UGBClassifier, XGBPhysicsClassifier
from hepclf.models.losses import BinFlatnessLoss, sigmoid


def _toy(n=3000, seed=0):
    """Signal and background; feature 'shape' carries signal information that also tracks mass
    for the background, so a plain classifier sculpts the background mass."""
    rng = np.random.default_rng(seed)
    y = (rng.uniform(size=n) < 0.4).astype(int)
    mass = np.where(y == 1, rng.normal(1777, 10, n), rng.uniform(1600, 1950, n))
    shape = np.where(
        y == 1, rng.normal(1.0, 1.0, n), -np.abs(mass - 1777) / 80 + rng.normal(0, 0.7, n)
    )
    clean = rng.normal(y * 1.0, 1.0)
    frame = pd.DataFrame({"shape": shape, "clean": clean, "mass": mass})
    return frame, y


# The one check that cannot apply, and why (scikit-learn's expected_failed_checks).
EXPECTED_FAILURES = {
    "check_sample_weight_equivalence_on_dense_data": "physics weights are rescaled per class "
    "to a mean of 1 before training (signal and background weights differ by orders of "
    "magnitude), so that min_child_weight and the regularisation keep their meaning; doubling "
    "a weight and repeating an event then train with different regularisation strength",
}


@pytest.mark.parametrize(
    "estimator, expected_failed",
    [
        (XGBPhysicsClassifier(n_estimators=10, n_jobs=1), EXPECTED_FAILURES),
        (
            FlatnessXGBClassifier(uniform_features=[0], n_estimators=10, n_jobs=1),
            EXPECTED_FAILURES,
        ),
        (UGBClassifier(uniform_features=[0], n_estimators=5), EXPECTED_FAILURES),
    ],
    ids=["xgb", "flatness_xgb", "ugb"],
)
def test_scikit_learn_estimator_checks(estimator, expected_failed):
    check_estimator(estimator, expected_failed_checks=expected_failed)


@pytest.mark.parametrize(
    "model",
    [
        XGBPhysicsClassifier(n_estimators=30, random_state=1),
        FlatnessXGBClassifier(uniform_features=["mass"], n_estimators=30, random_state=1),
        UGBClassifier(uniform_features=["mass"], n_estimators=10, random_state=1),
    ],
    ids=["xgb", "flatness_xgb", "ugb"],
)
def test_pickle_round_trip_and_determinism(model, tmp_path):
    frame, y = _toy()
    model.fit(frame, y)
    before = model.predict_proba(frame)
    restored = pickle.loads(pickle.dumps(model))
    np.testing.assert_array_equal(restored.predict_proba(frame), before)
    again = pickle.loads(pickle.dumps(model)).fit(frame, y)  # same random_state, same model
    np.testing.assert_allclose(again.predict_proba(frame), before, rtol=1e-6, atol=1e-7)
    assert before.shape == (len(frame), 2) and np.allclose(before.sum(axis=1), 1)


def test_flatness_gradient_equals_hep_ml(rng):
    """Our loss object's penalty gradient against hep_ml's BinFlatnessLossFunction on the same
    scores; its full negative gradient is the log-loss's plus the coefficient times that."""
    from hep_ml.losses import BinFlatnessLossFunction

    frame, y = _toy(2000, seed=3)
    weights = rng.uniform(0.5, 2.0, y.size)
    scores = rng.normal(0, 1, y.size)
    flat = np.flatnonzero(y == 0)
    normalised = np.where(y == 1, weights / weights[y == 1].sum(), weights / weights[y == 0].sum())
    normalised = normalised / normalised.mean()
    for power in (2.0, 1.5):
        reference_loss = BinFlatnessLossFunction(["mass"], uniform_label=0, n_bins=7, power=power)
        reference_loss.fit(frame, y, sample_weight=weights)
        reference = reference_loss._compute_fl_derivatives(scores)
        loss = BinFlatnessLoss(n_bins=7, power=power, fl_coefficient=2.5)
        loss.fit(y.astype(float), normalised, flat, frame[["mass"]].to_numpy()[flat])
        ours = loss.flatness_negative_gradient(scores)
        np.testing.assert_allclose(ours, reference[flat], rtol=1e-10, atol=1e-13)
        assert np.all(reference[y == 1] == 0)
        expected = normalised * (y - sigmoid(scores))
        expected[flat] += 2.5 * reference[flat]
        np.testing.assert_allclose(loss.negative_gradient(scores), expected, rtol=1e-9, atol=1e-13)
        p = sigmoid(scores)
        np.testing.assert_allclose(loss.hessian(scores), normalised * p * (1 - p), rtol=1e-12)


def test_flatness_flattens_the_background_mass_response():
    frame, y = _toy(6000, seed=5)
    test_frame, test_y = _toy(6000, seed=6)
    background = test_y == 0
    plain = XGBPhysicsClassifier(n_estimators=80, random_state=0).fit(frame[["shape", "clean"]], y)
    flat = FlatnessXGBClassifier(
        uniform_features=["mass"], fl_coefficient=30, n_estimators=80, random_state=0
    ).fit(frame, y)
    cvm = {}
    for name, model in (("plain", plain), ("flat", flat)):
        score = model.predict_proba(test_frame[["shape", "clean"]])[:, 1]
        cvm[name] = cvm_correlation(score[background], test_frame.mass[background]).value
        auc = truncated_auc(test_y, score)
        assert auc > 0.75, name
    assert cvm["flat"] < 0.5 * cvm["plain"]
    # predicting needs only the training columns (the Flavours test file has no mass)
    np.testing.assert_array_equal(
        flat.predict_proba(test_frame[["shape", "clean"]]), flat.predict_proba(test_frame)
    )


def test_physics_weights_and_class_balancing():
    frame, y = _toy(4000, seed=8)
    weights = np.where(y == 1, 1e-3, 10.0)  # Higgs-like: tiny signal weights
    balanced = XGBPhysicsClassifier(n_estimators=40, random_state=0).fit(frame, y, weights)
    raw = XGBPhysicsClassifier(n_estimators=40, balance_classes=False, random_state=0)
    raw.fit(frame, y, weights)
    assert balanced.predict_proba(frame)[:, 1].mean() > 10 * raw.predict_proba(frame)[:, 1].mean()


@pytest.mark.parametrize("metric", ["ams", "truncated_auc", "logloss"])
def test_early_stopping_on_a_physics_metric(metric):
    frame, y = _toy(4000, seed=9)
    weights = np.where(y == 1, 0.02, 1.0)
    model = XGBPhysicsClassifier(
        n_estimators=400,
        learning_rate=0.3,
        early_stopping_rounds=15,
        early_stopping_metric=metric,
        random_state=0,
    ).fit(frame, y, weights)
    assert 1 <= model.best_iteration_ < 400
    assert len(model.validation_scores_) >= model.best_iteration_


def test_presets_follow_the_seed():
    higgs = XGBPhysicsClassifier.preset("higgs")
    assert (higgs.learning_rate, higgs.max_depth, higgs.subsample, higgs.n_estimators) == (
        0.01,
        9,
        0.9,
        3000,
    )
    flavours = XGBPhysicsClassifier.preset("flavours", n_estimators=10)
    assert (flavours.learning_rate, flavours.subsample, flavours.n_estimators) == (0.2, 0.7, 10)
    assert flavours.colsample_bytree < 1
    with pytest.raises(ValueError, match="name must be one of"):
        XGBPhysicsClassifier.preset("lhc")


def test_string_labels_and_uniform_label():
    frame, y = _toy(1500)
    labels = np.where(y == 1, "s", "b")
    model = FlatnessXGBClassifier(uniform_features=["mass"], uniform_label="b", n_estimators=10)
    model.fit(frame, labels)
    assert list(model.classes_) == ["b", "s"]
    assert set(model.predict(frame)) <= {"b", "s"}


BAD_FITS = [
    (lambda f, y: (f, y[:-1], None), ValueError, "inconsistent numbers of samples"),
    (lambda f, y: (f, np.full(y.size, 1), None), ValueError, "one class only"),
    (lambda f, y: (f, np.arange(y.size) % 3, None), ValueError, "Only binary classification"),
    (lambda f, y: (f, y, np.ones(3)), ValueError, "length mismatch"),
    (lambda f, y: (f, y, -np.ones(y.size)), ValueError, "sample_weight has .* negative"),
    (lambda f, y: (f, y, np.where(y == 1, 0.0, 1.0)), ValueError, "sum to 0"),
    (lambda f, y: (f.assign(shape=np.inf), y, None), ValueError, "[Ii]nf"),
    (lambda f, y: (f.assign(shape="a"), y, None), ValueError, "non-numeric column"),
]


@pytest.mark.parametrize("make, error, message", BAD_FITS)
@pytest.mark.parametrize(
    "model",
    [
        XGBPhysicsClassifier(n_estimators=5),
        FlatnessXGBClassifier(uniform_features=["mass"], n_estimators=5),
        UGBClassifier(uniform_features=["mass"], n_estimators=3),
    ],
    ids=["xgb", "flatness_xgb", "ugb"],
)
def test_bad_input(model, make, error, message):
    frame, y = _toy(300)
    with pytest.raises(error, match=message):
        model.fit(*make(frame, y))


def test_bad_parameters():
    frame, y = _toy(300)
    with pytest.raises(ValueError, match="uniform_features: column 'masss' is not in X"):
        FlatnessXGBClassifier(uniform_features=["masss"]).fit(frame, y)
    with pytest.raises(ValueError, match="uniform_features must name at least one column"):
        FlatnessXGBClassifier().fit(frame, y)
    with pytest.raises(ValueError, match="uniform_label 3 is not one of the classes \\[0, 1\\]"):
        FlatnessXGBClassifier(uniform_features=["mass"], uniform_label=3).fit(frame, y)
    with pytest.raises(ValueError, match="'subsample' parameter of XGBPhysicsClassifier must be"):
        XGBPhysicsClassifier(subsample=0.0).fit(frame, y)
    with pytest.raises(ValueError, match="'n_bins' parameter of UGBClassifier must be an int"):
        UGBClassifier(uniform_features=["mass"], n_bins=2.5).fit(frame, y)
    with pytest.raises(ValueError, match="early_stopping_metric must be one of"):
        XGBPhysicsClassifier(early_stopping_rounds=5, early_stopping_metric="auc").fit(frame, y)
    model = XGBPhysicsClassifier(n_estimators=5).fit(frame, y)
    with pytest.raises(ValueError, match="X has 2 features, but XGBPhysicsClassifier is expecting"):
        model.predict_proba(frame.to_numpy()[:, :2])
