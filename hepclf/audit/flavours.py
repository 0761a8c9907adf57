"""The organisers' two checks of a Flavours of Physics submission, run before its score.

A submission (``id, prediction``: the signal probability of each event) was scored only if it
passed both physics tests on the events of the two check files, whose ids it must contain:

- **agreement** (check_agreement, the control channel Ds -> phi pi): the weighted KS distance
  between the predictions on real data (sWeights) and on simulation, ``KS < 0.09``;
- **correlation** (check_correlation, real background with its mass): the mean Cramer-von Mises
  distance between the predictions in mass windows and overall, ``CvM < 0.002``.

The test labels were never published, so the truncated ROC AUC (the leaderboard score) of a
submission cannot be audited: only these two tests can.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf._utils import check_frame, check_probabilities, check_required_columns
from hepclf.datasets import load_flavours
from hepclf.datasets._reading import check_complete_text, read_bytes
from hepclf.metrics import PhysicsTestResult, cvm_correlation, ks_agreement

#: The leaderboard score that cannot be checked.
AUC_NOTE = (
    "the truncated ROC AUC cannot be audited: the test labels of the Flavours of Physics "
    "challenge were never published"
)


@dataclass
class FlavoursAudit:
    """The two checks of a Flavours submission.

    Attributes
    ----------
    ks : PhysicsTestResult
        KS agreement on check_agreement (pass: < 0.09).
    cvm : PhysicsTestResult
        CvM correlation on check_correlation (pass: < 0.002).
    n_predictions : int
        Rows of the submission.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the audit is
        built by :func:`audit_flavours`).
    """

    ks: PhysicsTestResult
    cvm: PhysicsTestResult
    n_predictions: int

    @property
    def passed(self) -> bool:
        """Both tests passed: the submission would have been scored."""
        return self.ks.passed and self.cvm.passed

    def to_dict(self) -> dict:
        return {
            "passed": self.passed,
            "ks": {"value": self.ks.value, "threshold": self.ks.threshold,
                   "passed": self.ks.passed},
            "cvm": {"value": self.cvm.value, "threshold": self.cvm.threshold,
                    "passed": self.cvm.passed},
            "n_predictions": self.n_predictions,
            "note": AUC_NOTE,
        }  # fmt: skip

    def __str__(self) -> str:
        verdict = "passes both checks" if self.passed else "FAILS the checks"
        return f"submission {verdict}\n  {self.ks}\n  {self.cvm}\n  note: {AUC_NOTE}"


def _read(submission: str | Path | pd.DataFrame) -> pd.DataFrame:
    if isinstance(submission, pd.DataFrame):
        frame = submission
        source = "submission"
    else:
        path = Path(submission)
        content = read_bytes(path)
        check_complete_text(path, content)
        frame = pd.read_csv(path)
        source = str(path)
    check_required_columns(frame.columns, ("id", "prediction"), source)
    return frame


def _predictions_of(frame: pd.DataFrame, ids: np.ndarray, table: str) -> np.ndarray:
    """The submission's prediction for each id of ``table``, in that table's order."""
    index = pd.Index(frame["id"].to_numpy())
    position = index.get_indexer(ids)
    missing = np.flatnonzero(position < 0)
    if missing.size:
        raise ValueError(
            f"submission: {missing.size:,} event(s) of {table} have no prediction (first: id "
            f"{ids[missing[0]]}); the checks need a prediction for every {table} event"
        )
    return frame["prediction"].to_numpy(np.float64)[position]


def audit_flavours(
    submission: str | Path | pd.DataFrame, tables: str | Path | dict[str, pd.DataFrame]
) -> FlavoursAudit:
    """Run the KS agreement and CvM correlation checks on a Flavours submission.

    Parameters
    ----------
    submission : path or DataFrame
        ``id, prediction`` with a prediction in [0, 1] for (at least) every event of
        check_agreement and check_correlation.
    tables : folder or dict
        The folder with check_agreement.csv and check_correlation.csv, or the tables themselves
        (:func:`hepclf.datasets.load_flavours`, :func:`hepclf.simulate.simulate_flavours`).

    Returns
    -------
    FlavoursAudit

    Raises
    ------
    TypeError
        ``submission`` is neither a path nor a DataFrame; ``tables`` is neither a folder nor a
        dict.
    FileNotFoundError
        The submission file, or the folder ``tables``, does not exist, or the folder holds no
        Flavours file.
    hepclf.datasets.IncompleteFileError
        The submission file is empty, ends in the middle of a row or is not text; a check file
        in ``tables`` is truncated or corrupted.
    ValueError
        The submission lacks ``id`` or ``prediction``, repeats an id, has a prediction that is
        not a finite number or lies outside [0, 1], or lacks a prediction for an event of
        check_agreement or check_correlation; ``tables`` has no check_agreement or
        check_correlation table, or a check file has the wrong columns or values; the KS or CvM
        test refuses the tables' weights or masses.
        A table given in a dict lacks a column the checks read (``id``, ``signal``, ``weight``
        in check_agreement; ``id``, ``mass`` in check_correlation) or has no events.
    TypeError
        A table given in a dict is not a DataFrame, or one of those columns is not numeric.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> from hepclf.simulate import simulate_flavours
    >>> tables = simulate_flavours(0, training=0, test=0, check_agreement=4000,
    ...                            check_correlation=2000)
    >>> ids = np.concatenate([tables["check_agreement"].id, tables["check_correlation"].id])
    >>> guess = np.random.default_rng(0).uniform(0, 1, ids.size)  # knows nothing: passes both
    >>> audit_flavours(pd.DataFrame({"id": ids, "prediction": guess}), tables).passed
    True
    """
    if not isinstance(tables, dict):
        tables = load_flavours(tables, partial=True)
    for name, columns in (("check_agreement", ("id", "signal", "weight")),
                          ("check_correlation", ("id", "mass"))):  # fmt: skip
        if name not in tables:
            raise ValueError(f"tables: no {name} table (the check needs check_agreement.csv and "
                             "check_correlation.csv)")  # fmt: skip
        check_frame(tables[name], f"tables[{name!r}]", columns)
    frame = _read(submission)
    ids = frame["id"]
    if ids.duplicated().any():
        first = int(np.flatnonzero(ids.duplicated().to_numpy())[0])
        raise ValueError(f"submission: id {ids.iloc[first]} appears more than once (data row "
                         f"{first + 1:,})")  # fmt: skip
    values = pd.to_numeric(frame["prediction"], errors="coerce").to_numpy(np.float64)
    bad = ~np.isfinite(values)
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        raise ValueError(
            f"submission: prediction must be a finite number, found "
            f"{frame['prediction'].iloc[first]!r} (data row {first + 1:,}, id {ids.iloc[first]})"
        )
    check_probabilities(values, "submission prediction")
    frame = frame.assign(prediction=values)
    agreement = tables["check_agreement"]
    pred = _predictions_of(frame, agreement["id"].to_numpy(), "check_agreement")
    real = (agreement["signal"] == 0).to_numpy()
    weight = agreement["weight"].to_numpy(np.float64)
    ks = ks_agreement(pred[real], pred[~real], weight[real], weight[~real])
    correlation = tables["check_correlation"]
    pred = _predictions_of(frame, correlation["id"].to_numpy(), "check_correlation")
    cvm = cvm_correlation(pred, correlation["mass"].to_numpy(np.float64))
    return FlavoursAudit(ks=ks, cvm=cvm, n_predictions=len(frame))
