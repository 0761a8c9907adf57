"""A submission scored exactly as the Kaggle leaderboard scored it, with its uncertainty.

The public set (KaggleSet ``b``, 100,000 events) and the private set (``v``, 450,000) are scored
each on its own, with its own ``KaggleWeight`` (which sums to the full signal and background totals
within each set):

    AMS = sqrt(2 ((s + b + b_r) ln(1 + s / (b + b_r)) - s)),   b_r = 10,

s and b the KaggleWeight sums of the selected signal and background events of the set
(:func:`hepclf.metrics.leaderboard_ams`). The uncertainty is the standard deviation of the same AMS
over bootstrap resamples of the set's events (Poisson multiplicities; each resample renormalised
to the totals, as the set itself was), seeded: how much the score would move on another test set
of the same size.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf._utils import as_binary_labels, check_count
from hepclf.audit.protocols import N_RESAMPLES, ProtocolAudit, audit_predictions
from hepclf.audit.submission import CheckedSubmission, check_submission
from hepclf.datasets import load_higgs
from hepclf.metrics import leaderboard_ams
from hepclf.schemas import LEADERBOARD_SETS


@dataclass
class SubmissionScore:
    """The leaderboard scores of a submission.

    Attributes
    ----------
    public, private : float
        AMS of the public (b) and private (v) sets, each on its own with its KaggleWeight.
    public_error, private_error : float
        Their bootstrap standard deviations.
    sets : DataFrame
        Per set: events, selected events, selected signal ``s`` and background ``b`` (KaggleWeight
        sums), AMS and its uncertainty.
    checked : CheckedSubmission
        The submission matched to the events.
    protocols : ProtocolAudit
        The same selection under every protocol, on the private set
        (:func:`hepclf.audit.audit_predictions`; its bootstrap gives the uncertainties).
    n_resamples, seed : int
        The bootstrap.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the score is
        built by :func:`score_submission`).
    """

    public: float
    private: float
    public_error: float
    private_error: float
    sets: pd.DataFrame
    checked: CheckedSubmission
    protocols: ProtocolAudit
    n_resamples: int
    seed: int

    @property
    def warnings(self) -> list[str]:
        """What scores but looks unintended (see :func:`check_submission`)."""
        return self.checked.warnings

    def to_dict(self) -> dict:
        """Plain numbers and strings (for ``--json``)."""
        return {
            "format": self.checked.format,
            "public": self.public,
            "public_error": self.public_error,
            "private": self.private,
            "private_error": self.private_error,
            "cut": self.checked.cut,
            "sets": self.sets.to_dict(orient="records"),
            "warnings": list(self.warnings),
            "n_resamples": self.n_resamples,
            "seed": self.seed,
        }

    def __str__(self) -> str:
        lines = [
            f"public AMS {self.public:.4f} +- {self.public_error:.4f}   "
            f"private AMS {self.private:.4f} +- {self.private_error:.4f}   "
            f"(each set alone with its KaggleWeight, b_r = 10; +- bootstrap, "
            f"{self.n_resamples} resamples, seed {self.seed})",
            self.sets.to_string(index=False, float_format=lambda v: f"{v:.4f}"),
        ]
        lines += [f"warning: {text}" for text in self.warnings]
        return "\n".join(lines)


def score_submission(
    submission: str | Path | pd.DataFrame,
    events: str | Path | pd.DataFrame,
    *,
    cut: float | None = None,
    n_resamples: int = N_RESAMPLES,
    seed: int = 0,
    partial: bool = False,
) -> SubmissionScore:
    """Score a Higgs ML submission as the leaderboard did, after checking it completely.

    Parameters
    ----------
    submission : path or DataFrame
        Kaggle format (``EventId, RankOrder, Class``) or predictions (``EventId, score``, with
        ``cut``); see :func:`hepclf.audit.check_submission` for what is checked.
    events : path or DataFrame
        The Open Data file (``atlas-higgs-challenge-2014-v2.csv.gz``) or its table
        (:func:`hepclf.datasets.load_higgs`); a simulated one
        (:func:`hepclf.simulate.simulate_higgs`) works the same.
    cut : float, optional
        For predictions: the selection is ``score >= cut``.
    n_resamples, seed : int
        Bootstrap resamples of each set and their seed.
    partial : bool
        Passed to :func:`load_higgs` when ``events`` is a path.

    Returns
    -------
    SubmissionScore

    Raises
    ------
    TypeError
        ``submission`` is neither a file name nor a DataFrame; ``events`` is neither a path nor a
        DataFrame; ``cut`` is not a number; ``seed`` is not an integer (numpy's message).
    FileNotFoundError
        The submission file or the events file does not exist.
    hepclf.datasets.IncompleteFileError
        A file is truncated or corrupted, or (unless ``partial``) the events file is not the
        complete release.
    ValueError
        ``n_resamples`` is not a whole number >= 2; ``seed`` is negative; the submission is not a
        Higgs ML submission or fails a check of :func:`check_submission` (a missing,
        duplicated, unknown or training EventId, a bad Class or RankOrder, a prediction that is
        not finite, ``cut`` missing for predictions, given for a Kaggle submission, or not
        finite); ``events`` lacks a column, has no public or private event, or a set whose
        KaggleWeight does not sum to the totals, or a set or its fraction holding a single class.
    SubmissionWarning
        Issued (not raised, unless warnings are errors) when a Kaggle submission ranks a 'b'
        above an 's'.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from hepclf.simulate import simulate_higgs
    >>> events = simulate_higgs(3000, seed=1)
    >>> boards = events[events.KaggleSet.isin(["b", "v"])]
    >>> score = np.where(boards.Label == "s", 0.7, 0.3) + np.random.default_rng(0).normal(0, 0.3,
    ...                                                                                len(boards))
    >>> result = score_submission(pd.DataFrame({"EventId": boards.EventId, "score": score}),
    ...                           events, cut=0.8, n_resamples=20)
    >>> result.private > 0, result.private_error > 0
    (True, True)
    """
    n_resamples = check_count(n_resamples, "n_resamples", 2)
    if not isinstance(events, pd.DataFrame):
        events = load_higgs(events, partial=partial)
    checked = check_submission(submission, events, cut=cut)
    boards = checked.events
    sets = boards["KaggleSet"].to_numpy().astype(str)
    labels = as_binary_labels(boards["Label"].to_numpy(), "events Label")
    kaggle_weight = boards["KaggleWeight"].to_numpy(np.float64)
    board = leaderboard_ams(sets, labels, checked.selected.astype(float), kaggle_weight, 0.5)
    # one bootstrap serves the uncertainties and the protocol table
    protocols = audit_predictions(
        boards, checked.score, checked.cut, scored=LEADERBOARD_SETS["private"],
        selected=checked.selected, n_resamples=n_resamples, seed=seed,
    )  # fmt: skip
    rows = []
    for name, code in LEADERBOARD_SETS.items():
        chosen = (sets == code) & checked.selected
        s, b = (float(np.sum(kaggle_weight[chosen & (labels == c)])) for c in (1, 0))
        rows.append(
            {
                "set": f"{name} ({code})",
                "events": int((sets == code).sum()),
                "selected": int(chosen.sum()),
                "s": s,
                "b": b,
                "ams": board[name],
                "uncertainty": protocols.correct_uncertainty[code],
            }
        )
    table = pd.DataFrame(rows)
    return SubmissionScore(
        public=board["public"],
        private=board["private"],
        public_error=rows[0]["uncertainty"],
        private_error=rows[1]["uncertainty"],
        sets=table,
        checked=checked,
        protocols=protocols,
        n_resamples=n_resamples,
        seed=seed,
    )
