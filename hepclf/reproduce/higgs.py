"""The seed's Higgs ML solution reproduced: physics features + xgboost, scored with correct AMS.

Training uses KaggleSet t with its KaggleWeight. The cut is chosen on out-of-fold predictions of
the training set (cross-validation, folds renormalised), then applied to the public (b) and
private (v) sets, each scored on its own as the leaderboard did. A file without b and v (the
shared sample) gets the cross-validated result only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf.datasets import load_higgs, load_higgs_sample, select_kaggle_set
from hepclf.features import higgs_features
from hepclf.metrics import leaderboard_ams
from hepclf.models import XGBPhysicsClassifier
from hepclf.progress import step
from hepclf.report import Report, plot_ams_curve, plot_score_distributions
from hepclf.reproduce._common import ReproductionResult, close_report, shows_progress
from hepclf.schemas import HIGGS_FILE_SIZES, KAGGLE_TRAINING_SET, LEADERBOARD_SETS
from hepclf.simulate import simulate_higgs
from hepclf.validation import CrossValidationResult, cross_validate_ams

#: The published numbers a real-data result is compared with (REFERENCE.md).
PUBLISHED = {
    "Kaggle private leaderboard, 1st": 3.80581,
    "seed solution, public (26th)": 3.75,
    "seed solution, private (26th)": 3.73,
}
#: How the cut for the test sets is chosen on the out-of-fold training predictions.
CUT_METHOD, CUT_TOP = "mean_top", 50
_DATA_LABELS = {
    "simulated": "simulated events",
    "subset": "real ATLAS events",
    "release": "real ATLAS events",
}
_CUT_RULES = {
    "best": "the cut of highest AMS",
    "mean_top": f"mean of the {CUT_TOP} cuts of highest AMS",
    "fraction": "the top-scoring fraction",
}


@dataclass
class HiggsResult(ReproductionResult):
    """What :func:`reproduce_higgs` found, with everything its report states (and the fields
    of :class:`ReproductionResult`; the training events are described by ``training_set``).

    Attributes
    ----------
    training_set : str
        Which events trained the model (a KaggleSet, or every event of a Kaggle training file).
    model : XGBPhysicsClassifier
        The estimator's settings (fitted on all training events when there were test sets).
    cv : CrossValidationResult
        Out-of-fold predictions, the renormalised AMS of each fold, the AMS curve of the
        out-of-fold predictions and the cut chosen on them (``cv.cut``) for the test sets.
    leaderboard : dict or None
        Public and private AMS (each set scored on its own), None without test sets.
    labels, weights : ndarray
        Classes (1 = signal) and physics weights of the training events (``cv.oof_score`` order).
    """

    training_set: str
    model: XGBPhysicsClassifier
    cv: CrossValidationResult
    leaderboard: dict[str, float] | None
    labels: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)

    def report(self) -> Report:
        """The report of this result (Markdown / HTML; figures written by :meth:`write`)."""
        model = self.model
        report = Report("Higgs ML reproduction")
        report.paragraph(
            f"Data: {self.source}. Training: {self.training_set}, {self.n_training:,} events, "
            f"{self.n_features} features (seed physics features plus DER_/PRI_ inputs)."
        )
        report.paragraph(
            f"Model: xgboost, {model.n_estimators} rounds, eta {model.learning_rate}, depth "
            f"{model.max_depth}, subsample {model.subsample}."
        )
        folds = len(self.cv.folds)
        report.section(f"Cross-validation ({folds} folds, weights renormalised per fold)")
        report.code(str(self.cv))
        report.paragraph(
            f"Cut for the test sets ({_CUT_RULES[self.cv.threshold]} on the out-of-fold "
            f"predictions): {self.cv.cut:.5f}"
        )
        report.figure("ams_curve.png", "AMS of every cut on the out-of-fold predictions")
        report.figure(
            "score_distributions.png",
            "out-of-fold signal probability of signal and background, in expected events",
        )
        report.section("Leaderboard sets (each scored on its own with its KaggleWeight)")
        if self.leaderboard is None:
            report.paragraph("No public / private events in this file: cross-validated AMS only.")
        else:
            board = self.leaderboard
            report.table(_board_table(board["public"], board["private"]))
        published = "; ".join(f"{name} {value}" for name, value in PUBLISHED.items())
        return close_report(report, published, self.kind, self.seconds)

    def write(self, out: str | Path) -> Path:
        """Write ``report.md``, ``report.html``, ``ams_curve.png`` and
        ``score_distributions.png`` into ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        plot_ams_curve(self.cv.curve, out / "ams_curve.png", cut=self.cv.cut)
        plot_score_distributions(
            self.labels, self.cv.oof_score, self.weights, out / "score_distributions.png",
            cut=self.cv.cut, data_label=_DATA_LABELS[self.kind],
        )  # fmt: skip
        return self.report().write(out)


def _board_table(public: float, private: float) -> pd.DataFrame:
    return pd.DataFrame({"set": ["public (b)", "private (v)"], "AMS": [public, private]})


@shows_progress("higgs")
def reproduce_higgs(
    data: str | Path | None = None,
    *,
    simulate: int | None = None,
    partial: bool = False,
    seed: int = 0,
    folds: int = 5,
    rounds: int = 300,
    eta: float = 0.1,
    seed_parameters: bool = False,
    device: str = "cpu",
    quiet: bool = False,
) -> HiggsResult:
    """Run the Higgs ML reproduction and return its result (write it with ``result.write``).

    Parameters
    ----------
    data : path, optional
        Open Data or Kaggle training file. Without ``data`` and ``simulate``: the real ATLAS
        sample packaged with hepclf (:func:`hepclf.datasets.load_higgs_sample`).
    simulate : int, optional
        Simulate this many Open Data events instead (:func:`hepclf.simulate.simulate_higgs`),
        with public and private leaderboard sets.
    partial : bool
        Accept a subset of a real file.
    seed : int
        Seed of the simulation, the folds and xgboost.
    folds : int
        Cross-validation folds.
    rounds, eta : int, float
        Boosting rounds and learning rate (ignored with ``seed_parameters``).
    seed_parameters : bool
        The seed's 3000 rounds at eta 0.01 (slow).
    device : {'cpu', 'cuda'}
        Where xgboost trains ('cuda': an NVIDIA GPU, with an xgboost built with CUDA).
    quiet : bool
        Show no progress (by default the long steps show it on standard error).

    Examples
    --------
    >>> from hepclf.reproduce import reproduce_higgs
    >>> result = reproduce_higgs(simulate=3000, folds=2, rounds=10, quiet=True)
    >>> result.kind, len(result.cv.folds)
    ('simulated', 2)
    """
    if data is not None and simulate is not None:
        raise ValueError("give data (a file) or simulate (a number of events), not both")
    start = time.perf_counter()
    if data is not None:
        step(f"loading {data}")
        frame = load_higgs(data, partial=partial)
        source = f"{data} ({frame.attrs['format']}, {len(frame):,} events)"
        kind = "release" if len(frame) == HIGGS_FILE_SIZES[frame.attrs["format"]] else "subset"
    elif simulate is not None:
        frame = simulate_higgs(simulate, seed=seed)
        source = f"simulated events: simulate_higgs({simulate:,}, seed={seed})"
        kind = "simulated"
    else:
        step("loading the real ATLAS sample packaged with hepclf")
        frame = load_higgs_sample()
        source = f"the real ATLAS sample packaged with hepclf ({len(frame):,} Open Data events)"
        kind = "subset"
    if "Label" not in frame:
        raise ValueError(
            f"data: {data} has no Label column (a Kaggle test file?): the reproduction trains on "
            "labelled events; give the Open Data file or Kaggle's training.csv"
        )
    if "KaggleSet" in frame:
        training = select_kaggle_set(frame, KAGGLE_TRAINING_SET)
        boards = frame[frame.KaggleSet.isin(list(LEADERBOARD_SETS.values()))]
        training_set = f"KaggleSet {KAGGLE_TRAINING_SET} with its KaggleWeight"
    else:
        training, boards = frame, frame.iloc[:0]
        training_set = "every event of the file with its Weight"
    step(f"building features of {len(training):,} training events")
    features = higgs_features(training)
    y = (training.Label == "s").astype(int).to_numpy()
    weight = training.Weight.to_numpy()
    overrides = {} if seed_parameters else {"n_estimators": rounds, "learning_rate": eta}
    model = XGBPhysicsClassifier.preset("higgs", random_state=seed, device=device, **overrides)
    cv = cross_validate_ams(
        model, features, y, weight, n_splits=folds, threshold=CUT_METHOD, top=CUT_TOP,
        random_state=seed,
    )  # fmt: skip
    leaderboard = None
    if len(boards):
        step(f"training on all {len(training):,} events, scoring the leaderboard sets")
        model.fit(features, y, weight)
        score = model.predict_proba(higgs_features(boards))[:, 1]
        leaderboard = leaderboard_ams(
            boards.KaggleSet, boards.Label, score, boards.KaggleWeight, cv.cut
        )
    step("done")
    return HiggsResult(
        source=source,
        training_set=training_set,
        kind=kind,
        n_training=len(training),
        n_features=features.shape[1],
        model=model,
        cv=cv,
        leaderboard=leaderboard,
        labels=y,
        weights=weight,
        seconds=time.perf_counter() - start,
    )
