"""The seed's Higgs ML solution reproduced: physics features + xgboost, scored with correct AMS.

Training uses KaggleSet t with its KaggleWeight. The cut is chosen on out-of-fold predictions of
the training set (cross-validation, folds renormalised), then applied to the public (b) and
private (v) sets, each scored on its own as the leaderboard did. A file without b and v (the
shared sample) gets the cross-validated result only.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hepclf._utils import check_count, check_flag, check_name, check_real
from hepclf.datasets import load_higgs, load_higgs_sample, select_kaggle_set
from hepclf.distributed import build_on_cluster, fit_on_cluster
from hepclf.features import higgs_features
from hepclf.metrics import AMSCurve, ams_curve, leaderboard_ams
from hepclf.models import PRESETS, XGBPhysicsClassifier
from hepclf.models._xgboost import DEVICES
from hepclf.progress import step
from hepclf.report import (
    AMSBand,
    Report,
    ScoredEvents,
    ams_band,
    plot_ams_curves,
    plot_feature_importances,
    plot_roc,
    plot_score_distributions,
)
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
#: The bootstrap band of the AMS curves: replicates, seed, probability content.
BAND_REPLICATES, BAND_SEED, BAND_LEVEL = 200, 0, 0.68
#: Features shown in the importance figure.
TOP_FEATURES = 15
#: The names of the data sets in the figures and the text.
OUT_OF_FOLD, PUBLIC, PRIVATE = "out-of-fold (training)", "public (b)", "private (v)"
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
        The estimator, fitted on all training events (it scored the leaderboard sets).
    cv : CrossValidationResult
        Out-of-fold predictions, the renormalised AMS of each fold, the AMS curve of the
        out-of-fold predictions and the cut chosen on them (``cv.cut``) for the test sets.
    leaderboard : dict or None
        Public and private AMS (each set scored on its own), None without test sets.
    labels, weights : ndarray
        Classes (1 = signal) and physics weights of the training events (``cv.oof_score`` order).
    importances : Series
        Each feature's share of the total split gain of ``model`` (xgboost's ``total_gain``;
        features never split on have 0), largest first.
    boards : DataFrame or None
        The public and private events: ``KaggleSet`` ('b' / 'v'), ``label`` (1 = signal),
        ``score`` (of ``model``) and ``KaggleWeight``; None without test sets.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the result is
        built by :func:`reproduce_higgs`).
    ImportError
        :meth:`write`: matplotlib is not installed (the figures need it).
    OSError
        :meth:`write`: the folder ``out`` cannot be created or written (a file has its name, no
        permission).
    """

    training_set: str
    model: XGBPhysicsClassifier
    cv: CrossValidationResult
    leaderboard: dict[str, float] | None
    labels: np.ndarray = field(repr=False)
    weights: np.ndarray = field(repr=False)
    importances: pd.Series = field(repr=False)
    boards: pd.DataFrame | None = field(default=None, repr=False)

    def scored_sets(self) -> dict[str, ScoredEvents]:
        """The scored events of each data set: out-of-fold training predictions, then the
        public and private sets when there are any."""
        sets = {OUT_OF_FOLD: ScoredEvents(self.labels, self.cv.oof_score, self.weights)}
        if self.boards is not None:
            for name, code in ((PUBLIC, LEADERBOARD_SETS["public"]),
                               (PRIVATE, LEADERBOARD_SETS["private"])):  # fmt: skip
                board = self.boards[self.boards.KaggleSet == code]
                sets[name] = ScoredEvents(
                    board.label.to_numpy(), board.score.to_numpy(), board.KaggleWeight.to_numpy()
                )
        return sets

    @cached_property
    def ams_curves(self) -> dict[str, AMSCurve]:
        """The AMS of every cut of each data set (weights renormalised to the HiggsML totals,
        which leaves a complete leaderboard set's KaggleWeight as it is)."""
        return {name: ams_curve(*events) for name, events in self.scored_sets().items()}

    @cached_property
    def ams_bands(self) -> dict[str, AMSBand]:
        """The bootstrap band (:func:`hepclf.report.ams_band`) of each AMS curve, evaluated on
        cuts evenly spaced in logit(cut) from 0.5 to the highest score below 1, and at
        ``cv.cut``."""
        bands = {}
        for name, events in self.scored_sets().items():
            cuts = _logit_grid(events.score, self.cv.cut)
            bands[name] = ams_band(
                *events, cuts=cuts, replicates=BAND_REPLICATES, level=BAND_LEVEL, seed=BAND_SEED
            )
        return bands

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
        report.paragraph(self._band_sentence())
        self._add_figures(report)
        report.section("Leaderboard sets (each scored on its own with its KaggleWeight)")
        if self.leaderboard is None:
            report.paragraph("No public / private events in this file: cross-validated AMS only.")
        else:
            board = self.leaderboard
            report.table(_board_table(board["public"], board["private"]))
        published = "; ".join(f"{name} {value}" for name, value in PUBLISHED.items())
        return close_report(report, published, self.kind, self.seconds)

    def _band_sentence(self) -> str:
        """The AMS of each data set at the chosen cut with its bootstrap interval."""
        parts = []
        for name, band in self.ams_bands.items():
            value, low, high = band.at(self.cv.cut)
            parts.append(f"{name} {value:.4f} ({low:.4f} to {high:.4f})")
        return (
            f"AMS at the chosen cut, with the central {BAND_LEVEL:.0%} of {BAND_REPLICATES} "
            f"Poisson-bootstrap replicates of the events (seed {BAND_SEED}; each renormalised to "
            f"the HiggsML totals): {'; '.join(parts)}."
        )

    def _add_figures(self, report: Report) -> None:
        sets = ", ".join(self.scored_sets())
        alone = "" if self.boards is not None else " (this file has no public / private sets)"
        report.figure(
            "ams_curve.png",
            f"AMS of the selection score >= cut against the cut: {sets}{alone}; dashed: the "
            f"chosen cut; shaded: the central {BAND_LEVEL:.0%} of {BAND_REPLICATES} bootstrap "
            "replicates of the events",
        )
        report.figure(
            "score_distributions.png",
            "out-of-fold signal probability of signal and background, in expected events at the "
            "challenge luminosity (log scale)",
        )
        report.figure(
            "roc.png",
            f"weighted ROC: background rejection against signal efficiency, {sets}{alone}; "
            "markers: the chosen cut",
        )
        report.figure(
            "feature_importances.png",
            f"the {TOP_FEATURES} features with the largest share of the total split gain of the "
            f"model trained on all {self.n_training:,} training events",
        )

    def write(self, out: str | Path) -> Path:
        """Write ``report.md``, ``report.html`` and the figures (``ams_curve.png``,
        ``score_distributions.png``, ``roc.png``, ``feature_importances.png``) into ``out``."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        label = _DATA_LABELS[self.kind]
        plot_ams_curves(
            self.ams_curves, out / "ams_curve.png", cut=self.cv.cut, bands=self.ams_bands,
            data_label=label,
        )  # fmt: skip
        plot_score_distributions(
            self.labels, self.cv.oof_score, self.weights, out / "score_distributions.png",
            cut=self.cv.cut, data_label=label,
        )  # fmt: skip
        plot_roc(self.scored_sets(), out / "roc.png", cut=self.cv.cut, data_label=label)
        plot_feature_importances(
            self.importances, out / "feature_importances.png", top=TOP_FEATURES,
            title=f"xgboost trained on {self.n_training:,} {label}",
        )  # fmt: skip
        return self.report().write(out)


def _logit_grid(score: np.ndarray, cut: float, points: int = 150) -> np.ndarray:
    """Cuts evenly spaced in logit from 0.5 to the highest score below 1, and ``cut``."""
    top = float(np.max(score[score < 1], initial=0.5))
    logits = np.linspace(0.0, np.log(top / (1 - top)), points) if top > 0.5 else np.zeros(1)
    return np.union1d(1 / (1 + np.exp(-logits)), [cut])


def gain_shares(model: XGBPhysicsClassifier) -> pd.Series:
    """Each feature's share of the total split gain of a fitted model (xgboost ``total_gain``,
    0 for a feature never split on), largest first, indexed by the feature names."""
    names = [str(name) for name in model.feature_names_in_]
    gains = model.booster_.get_score(importance_type="total_gain")  # keys f0, f1, ...
    values = np.array([gains.get(f"f{k}", 0.0) for k in range(len(names))])
    shares = pd.Series(values / values.sum(), index=names, name="share of the total split gain")
    return shares.sort_values(ascending=False)


def _features(frame: pd.DataFrame, client: Any | None) -> pd.DataFrame:
    """The Higgs features of ``frame``, in memory or on the Dask cluster of ``client``."""
    if client is None:
        return higgs_features(frame)
    return build_on_cluster(client, frame, higgs_features)


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
    rounds: int = PRESETS["higgs-fast"]["n_estimators"],
    eta: float = PRESETS["higgs-fast"]["learning_rate"],
    seed_parameters: bool = False,
    device: str = "cpu",
    quiet: bool = False,
    dask: Any | None = None,
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
        Boosting rounds and learning rate of the ``'higgs-fast'`` preset of
        :class:`~hepclf.models.XGBPhysicsClassifier` (depth 9, subsample 0.9; by default its
        own 300 rounds at eta 0.1); ignored with ``seed_parameters``.
    seed_parameters : bool
        The ``'higgs'`` preset: the seed's 3000 rounds at eta 0.01 (ten times slower; about 6
        minutes a fit on 250,000 events and 2 cores).
    device : {'cpu', 'cuda'}
        Where xgboost trains ('cuda': an NVIDIA GPU, with an xgboost built with CUDA).
    quiet : bool
        Show no progress (by default the long steps show it on standard error).
    dask : distributed.Client, optional
        Build the features on this Dask cluster (partition by partition, the same numbers) and
        train the final model with xgboost.dask (:func:`hepclf.distributed.fit_on_cluster`); the
        cross-validation that chooses the cut stays in memory.

    Raises
    ------
    TypeError
        A flag that is not a bool, ``eta`` that is not a real number, ``device`` not a string.
    ValueError
        ``data`` and ``simulate`` both given; ``simulate`` under 100 events; ``seed`` negative;
        ``folds`` under 2; ``rounds`` under 1; ``eta`` outside (0, 1]; an unknown ``device``;
        a file without labels; and whatever the loader refuses in the file (see
        :func:`hepclf.datasets.load_higgs`), before any training.

    Examples
    --------
    >>> from hepclf.reproduce import reproduce_higgs
    >>> result = reproduce_higgs(simulate=3000, folds=2, rounds=10, quiet=True)
    >>> result.kind, len(result.cv.folds)
    ('simulated', 2)
    """
    if data is not None and simulate is not None:
        raise ValueError("give data (a file) or simulate (a number of events), not both")
    if simulate is not None:
        check_count(simulate, "simulate", 100)
    check_flag(partial, "partial")
    check_flag(seed_parameters, "seed_parameters")
    check_count(seed, "seed", 0)
    check_count(folds, "folds", 2)
    check_count(rounds, "rounds", 1)
    check_real(eta, "eta", minimum=0.0, maximum=1.0, open_minimum=True)
    check_name(device, "device", DEVICES)
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
    features = _features(training, dask)
    y = (training.Label == "s").astype(int).to_numpy()
    weight = training.Weight.to_numpy()
    preset, overrides = (
        ("higgs", {}) if seed_parameters
        else ("higgs-fast", {"n_estimators": rounds, "learning_rate": eta})
    )  # fmt: skip
    model = XGBPhysicsClassifier.preset(preset, random_state=seed, device=device, **overrides)
    cv = cross_validate_ams(
        model, features, y, weight, n_splits=folds, threshold=CUT_METHOD, top=CUT_TOP,
        random_state=seed,
    )  # fmt: skip
    if dask is None:
        step(f"training on all {len(training):,} events")
        model.fit(features, y, weight)
    else:
        step(f"training on all {len(training):,} events with xgboost.dask")
        model = fit_on_cluster(dask, model, features, y, weight)
    leaderboard = board_events = None
    if len(boards):
        step("scoring the leaderboard sets")
        score = model.predict_proba(_features(boards, dask))[:, 1]
        leaderboard = leaderboard_ams(
            boards.KaggleSet, boards.Label, score, boards.KaggleWeight, cv.cut
        )
        board_events = pd.DataFrame(
            {"KaggleSet": boards.KaggleSet.to_numpy(), "label": (boards.Label == "s").to_numpy(),
             "score": score, "KaggleWeight": boards.KaggleWeight.to_numpy()}
        ).astype({"label": int})  # fmt: skip
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
        importances=gain_shares(model),
        boards=board_events,
        seconds=time.perf_counter() - start,
    )
