"""The seed's Flavours of Physics solution reproduced: physics features, xgboost and uniform
boosting, and the best blend that passes the KS and CvM tests.

Members: xgboost with the seed's weakened Flavours preset, hepclf's flatness xgboost (mass as the
uniform feature for the background), and xgboost with SPDhits (which separates better and fails
KS); optionally hep_ml's (slow) uGB. Out-of-fold predictions on the training events feed the
constrained blend; the report lists every member's truncated AUC, KS and CvM; a submission is
written when there is a test table.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf._utils import check_count, check_flag, check_name, check_real
from hepclf.datasets import load_flavours
from hepclf.ensemble import BlendResult, constrained_blend, member_predictions
from hepclf.features import flavours_features, model_columns
from hepclf.metrics import CVM_THRESHOLD, KS_THRESHOLD, ROC_WEIGHTS, agreement_curves
from hepclf.models import FlatnessXGBClassifier, UGBClassifier, XGBPhysicsClassifier
from hepclf.models._xgboost import DEVICES
from hepclf.progress import step
from hepclf.report import (
    MassBinEfficiencies,
    Report,
    format_against,
    mass_bin_efficiencies,
    plot_agreement,
    plot_agreement_cdfs,
    plot_flatness,
    plot_truncated_roc,
)
from hepclf.reproduce._common import ReproductionResult, close_report, shows_progress
from hepclf.schemas import FLAVOURS_TABLE_SIZES
from hepclf.simulate import simulate_flavours

#: The seed team's published result (REFERENCE.md).
PUBLISHED = "the seed team: public 0.988420, private 0.989161 (29th), passing both tests"
#: The tables the reproduction needs (the test table is optional).
NEEDED = ("training", "check_agreement", "check_correlation")
#: The flatness figure: global background efficiencies and equal-width mass bins.
FLATNESS_EFFICIENCIES, MASS_BINS = (0.3, 0.5, 0.7, 0.9), 12


def default_members(
    seed: int, base: list[str], *, with_ugb: bool = False, device: str = "cpu"
) -> dict:
    """The blend's members: name -> (estimator, training columns); the xgboost members train on
    ``device``."""
    xgb_options = {"random_state": seed, "device": device}
    chosen = {
        "xgb (flavours preset)": (XGBPhysicsClassifier.preset("flavours", **xgb_options), base),
        "flatness xgb (mass)": (
            FlatnessXGBClassifier(uniform_features=["mass"], n_estimators=300, **xgb_options),
            [*base, "mass"],
        ),
        "xgb with SPDhits": (
            XGBPhysicsClassifier(n_estimators=300, **xgb_options),
            [*base, "SPDhits"],
        ),
    }
    if with_ugb:
        chosen["hep_ml uGB (mass)"] = (
            UGBClassifier(
                uniform_features=["mass"], n_estimators=100, max_depth=5, random_state=seed
            ),
            [*base, "mass"],
        )
    return chosen


@dataclass
class FlavoursResult(ReproductionResult):
    """What :func:`reproduce_flavours` found, with everything its report states (and the fields
    of :class:`ReproductionResult`; with simulated tables the "real data" side of check_agreement
    is simulated too; members may add one column to the ``n_features`` all of them use).

    Attributes
    ----------
    blend : BlendResult
        The chosen blend, with every member's objective, KS and CvM.
    ks_limit, cvm_limit : float
        The limits the blend had to pass: the thresholds minus the margins.
    agreement : tuple of arrays
        The blend's predictions on check_agreement, which events are simulation, their weights.
    submission : DataFrame or None
        ``id, prediction`` of the test table, when there was one.
    correlation : tuple of arrays
        The blend's predictions on check_correlation and the events' mass (MeV).
    training : tuple of arrays
        The training classes (1 = signal) and the blend of the members' out-of-fold predictions.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the result is
        built by :func:`reproduce_flavours`).
    ImportError
        :meth:`write`: matplotlib is not installed (the figures need it).
    OSError
        :meth:`write`: the folder ``out`` cannot be created or written (a file has its name, no
        permission).
    """

    blend: BlendResult
    ks_limit: float
    cvm_limit: float
    agreement: tuple[np.ndarray, np.ndarray, np.ndarray] = field(repr=False)
    submission: pd.DataFrame | None
    correlation: tuple[np.ndarray, np.ndarray] = field(repr=False)
    training: tuple[np.ndarray, np.ndarray] = field(repr=False)

    @property
    def _labels(self) -> dict[str, str]:
        """What each table's events are, for the figures."""
        if self.simulated:
            return {"agreement": "simulated data (sWeighted)",
                    "correlation": "simulated background (check_correlation)",
                    "training": "simulated training events"}  # fmt: skip
        return {"agreement": "real data (sWeighted)",
                "correlation": "real background (check_correlation)",
                "training": "simulated signal, real background"}  # fmt: skip

    def flatness(self) -> MassBinEfficiencies:
        """The background efficiency of the blend in bins of mass at the global efficiencies
        :data:`FLATNESS_EFFICIENCIES` (check_correlation)."""
        prediction, mass = self.correlation
        return mass_bin_efficiencies(
            prediction, mass, global_efficiencies=FLATNESS_EFFICIENCIES, bins=MASS_BINS
        )

    def blend_table(self) -> pd.DataFrame:
        """Each member's and the blend's weight, objective, KS, CvM and verdict (KS and CvM as
        text, with the decimals that tell them from their limits)."""
        table = self.blend.table.copy()
        weights = [*(self.blend.weights.get(name, 0.0) for name in table.index[:-1]), 1.0]
        table.insert(0, "weight", weights)
        for column, limit in (("ks", self.ks_limit), ("cvm", self.cvm_limit)):
            table[column] = [format_against(value, limit, 6) for value in table[column]]
        return table

    def report(self) -> Report:
        """The report of this result (Markdown / HTML; figures written by :meth:`write`)."""
        report = Report("Flavours of Physics reproduction", digits=6)
        report.paragraph(
            f"Data: {self.source}; {self.n_training:,} training events, {self.n_features} "
            "features (no mass, no SPDhits unless a member says so)."
        )
        report.paragraph(
            f"Objective: {self.blend.objective_name} of the out-of-fold training predictions; KS "
            "on check_agreement; CvM on "
            f"check_correlation. The blend must pass with margins: KS < {self.ks_limit:g} "
            f"(the test's {KS_THRESHOLD:g} minus a margin) and CvM < {self.cvm_limit:g} "
            f"(the test's {CVM_THRESHOLD:g} minus a margin); 'passes' applies these limits."
        )
        report.section("Members and blend")
        report.table(self.blend_table(), index=True)
        verdict = "passes" if self.blend.table.loc["blend", "passes"] else "FAILS"
        report.paragraph(
            f"The blend {verdict}: KS {format_against(self.blend.ks, self.ks_limit, 6)} against "
            f"{self.ks_limit:g}, CvM {format_against(self.blend.cvm, self.cvm_limit, 6)} against "
            f"{self.cvm_limit:g} ({self.blend.evaluations} blends evaluated)."
        )
        self._add_figures(report)
        if self.submission is not None:
            report.paragraph(f"Submission for {len(self.submission):,} test events: submission.csv")
        return close_report(report, PUBLISHED, self.kind, self.seconds)

    def _add_figures(self, report: Report) -> None:
        labels = self._labels
        report.section("Figures")
        report.figure(
            "roc.png",
            f"ROC of the blend's out-of-fold predictions ({labels['training']}); shaded: the TPR "
            f"bands of the weighted truncated AUC, darker for larger weights "
            f"({', '.join(f'{w:g}' for w in ROC_WEIGHTS)}, labelled on the right)",
        )
        report.figure(
            "agreement.png",
            f"the blend's predictions on the control channel Ds -> phi pi: {labels['agreement']} "
            "and simulation, each side's weights summing to 1",
        )
        report.figure(
            "agreement_cdf.png",
            "the KS test: weighted cumulative distributions of the blend's predictions on the "
            "control channel, the largest distance marked",
        )
        efficiencies = ", ".join(f"{e:.0%}" for e in FLATNESS_EFFICIENCIES)
        report.figure(
            "flatness.png",
            f"the CvM test: {labels['correlation']} efficiency of the blend in {MASS_BINS} mass "
            f"bins at global efficiencies {efficiencies} (dotted), binomial errors",
        )

    def write(self, out: str | Path) -> Path:
        """Write ``report.md``, ``report.html``, the figures (``roc.png``, ``agreement.png``,
        ``agreement_cdf.png``, ``flatness.png``) and ``submission.csv`` (with a test table)."""
        out = Path(out)
        out.mkdir(parents=True, exist_ok=True)
        labels = self._labels
        prediction, simulation, weight = self.agreement
        # (data, simulation) predictions, then their weights, as the KS test takes them
        sides = (prediction[~simulation], prediction[simulation])
        sides += (weight[~simulation], weight[simulation])
        plot_agreement(
            *sides, out / "agreement.png", data_label=labels["agreement"],
            title="blend on the control channel", ks=self.blend.ks, ks_limit=self.ks_limit,
        )  # fmt: skip
        plot_agreement_cdfs(
            agreement_curves(*sides), out / "agreement_cdf.png", data_label=labels["agreement"],
            title="blend on the control channel", limit=self.ks_limit,
        )  # fmt: skip
        plot_flatness(
            self.flatness(), out / "flatness.png", cvm=self.blend.cvm, cvm_limit=self.cvm_limit,
            data_label=labels["correlation"],
        )  # fmt: skip
        plot_truncated_roc(
            *self.training, None, out / "roc.png", label="blend (out-of-fold)",
            data_label=labels["training"],
        )  # fmt: skip
        if self.submission is not None:
            self.submission.to_csv(out / "submission.csv", index=False)
        return self.report().write(out)


@shows_progress("flavours")
def reproduce_flavours(
    data: str | Path | None = None,
    *,
    seed: int = 0,
    training: int = 30_000,
    with_ugb: bool = False,
    ks_margin: float = 0.01,
    cvm_margin: float = 0.0002,
    device: str = "cpu",
    quiet: bool = False,
) -> FlavoursResult:
    """Run the Flavours of Physics reproduction and return its result.

    Parameters
    ----------
    data : path, optional
        Folder with the Flavours csv files; None simulates the tables (``training`` events).
    seed : int
        Seed of the simulation, the folds and the models.
    training : int
        Simulated training events (at least 100; ignored with ``data``).
    with_ugb : bool
        Add hep_ml's single-threaded uGB to the members (slow).
    ks_margin, cvm_margin : float
        The blend must pass KS < 0.09 - ks_margin and CvM < 0.002 - cvm_margin.
    device : {'cpu', 'cuda'}
        Where xgboost trains ('cuda': an NVIDIA GPU, with an xgboost built with CUDA).
    quiet : bool
        Show no progress (by default the long steps show it on standard error).

    Raises
    ------
    TypeError
        ``with_ugb`` not a bool, a margin not a real number, ``device`` not a string.
    ValueError
        ``training`` under 100 (without ``data``); ``seed`` negative; ``ks_margin`` outside
        [0, 0.09) or ``cvm_margin`` outside [0, 0.002) (a negative margin would loosen the
        challenge's tests); an unknown ``device``; a folder that lacks one of the needed tables.
    """
    if data is None:
        check_count(training, "training", 100)
    check_count(seed, "seed", 0)
    check_flag(with_ugb, "with_ugb")
    for name, margin, threshold in (("ks_margin", ks_margin, KS_THRESHOLD),
                                    ("cvm_margin", cvm_margin, CVM_THRESHOLD)):  # fmt: skip
        check_real(margin, name, minimum=0.0, maximum=threshold, open_maximum=True)
    check_name(device, "device", DEVICES)
    start = time.perf_counter()
    if data is not None:
        step(f"loading {data}")
        tables = load_flavours(data)
        missing = [name for name in NEEDED if name not in tables]
        if missing:
            raise ValueError(f"data: {data} lacks the table(s) {', '.join(missing)}")
        source = str(data)
    else:
        tables = simulate_flavours(
            seed, training=training, check_agreement=60_000,
            check_correlation=FLAVOURS_TABLE_SIZES["check_correlation"], test=20_000,
        )  # fmt: skip
        source = f"simulated tables: simulate_flavours(seed={seed})"
    frames = {name: flavours_features(table) for name, table in tables.items()}
    train, agreement, correlation = (frames[name] for name in NEEDED)
    y = train.signal.to_numpy()
    base = model_columns(train)
    targets = {"agreement": agreement, "correlation": correlation}
    if "test" in frames:
        targets["test"] = frames["test"]
    members = default_members(seed, base, with_ugb=with_ugb, device=device)
    step(f"training {len(members)} members: {', '.join(members)}")
    oof, predicted = member_predictions(members, train, y, targets, random_state=seed)
    step("searching the best blend that passes KS and CvM")
    simulation = agreement.signal.to_numpy() == 1
    blend = constrained_blend(
        oof, y,
        agreement_predictions=predicted["agreement"], agreement_is_simulation=simulation,
        agreement_weight=agreement.weight.to_numpy(),
        correlation_predictions=predicted["correlation"],
        correlation_mass=correlation.mass.to_numpy(),
        ks_margin=ks_margin, cvm_margin=cvm_margin,
    )  # fmt: skip
    submission = None
    if "test" in predicted:
        submission = pd.DataFrame(
            {"id": tables["test"]["id"], "prediction": blend.predict(predicted["test"])}
        )
    step("done")
    return FlavoursResult(
        source=source,
        kind="simulated" if data is None else "release",
        n_training=len(train),
        n_features=len(base),
        blend=blend,
        ks_limit=KS_THRESHOLD - ks_margin,
        cvm_limit=CVM_THRESHOLD - cvm_margin,
        agreement=(
            blend.predict(predicted["agreement"]),
            simulation,
            agreement.weight.to_numpy(),
        ),
        submission=submission,
        correlation=(blend.predict(predicted["correlation"]), correlation.mass.to_numpy()),
        training=(y, blend.predict(oof)),
        seconds=time.perf_counter() - start,
    )
