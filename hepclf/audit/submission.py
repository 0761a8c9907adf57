"""Reading and checking a Higgs ML submission against the Open Data events, completely, before
anything is scored.

Two formats are read:

- **Kaggle**: ``EventId, RankOrder, Class``, one row per event of the test file (550,000 in the
  challenge: the public set ``b`` and the private set ``v``), in any row order. ``RankOrder`` is a
  permutation of 1..N, higher meaning more signal-like; ``Class`` is ``s`` (selected) or ``b``.
- **predictions**: ``EventId, score``, the classifier output of the same events; the selection is
  ``score >= cut`` with a cut given separately (chosen beforehand, on training data).

Every check names the first offending row (``data row`` counts from 1 after the header) and its
EventId: duplicated, missing, unknown and training EventIds, a ``Class`` other than s/b, a
``RankOrder`` that is not a permutation, NaN predictions, a file that is not a CSV submission or
that ends in the middle of a row.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf._utils import check_real, check_required_columns
from hepclf.datasets._reading import check_complete_text, read_bytes, read_header
from hepclf.schemas import KAGGLE_SETS, LEADERBOARD_SETS

#: Format name -> its columns.
SUBMISSION_FORMATS = {
    "kaggle": ("EventId", "RankOrder", "Class"),
    "predictions": ("EventId", "score"),
}
#: Columns the events must have to score a submission (the Open Data file has them all).
EVENT_COLUMNS = ("EventId", "Label", "KaggleSet", "KaggleWeight", "Weight")
_SET_NAMES = {"t": "training", "b": "public", "v": "private", "u": "unused"}


class SubmissionWarning(UserWarning):
    """A submission that scores, but not as its author probably meant (a 'b' ranked above an
    's').

    Raises
    ------
    SubmissionWarning
        Issued with :func:`warnings.warn` (raised only when warnings are turned into errors, e.g.
        ``python -W error``) by :func:`check_submission` and :func:`score_submission` when a
        Kaggle submission's ``Class`` is not a cut on its ``RankOrder``, or marks no event 's'.
    """


def _expected_header() -> str:
    return " or ".join(f"{','.join(cols)} ({name})" for name, cols in SUBMISSION_FORMATS.items())


def _detect_format(columns: list[str], source: str) -> str:
    for name, expected in SUBMISSION_FORMATS.items():
        if sorted(columns) == sorted(expected):
            return name
    shown = ",".join(columns)[:80]
    raise ValueError(
        f"{source}: not a Higgs ML submission: its columns are {shown!r}; expected "
        f"{_expected_header()}"
    )


def read_submission(submission: str | Path | pd.DataFrame) -> pd.DataFrame:
    """A submission as a DataFrame, its format in ``attrs['format']`` ('kaggle' or
    'predictions'); a file must be a complete CSV (plain or gzip).

    Only the file is checked here (its header, that it is text, that no row is cut short); the
    values are checked against the events by :func:`check_submission`.

    Raises
    ------
    TypeError
        ``submission`` is neither a file name (a string or path) nor a DataFrame.
    FileNotFoundError
        There is no file at ``submission``.
    hepclf.datasets.IncompleteFileError
        The file is empty, its gzip stream is truncated, a row is cut short, or it holds bytes
        that are not text.
    ValueError
        The columns are not those of a Kaggle submission (``EventId, RankOrder, Class``) or of a
        predictions table (``EventId, score``), or the header names a column twice.

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"EventId": [350000, 350001], "RankOrder": [2, 1],
    ...                       "Class": ["s", "b"]})
    >>> read_submission(frame).attrs["format"]
    'kaggle'
    """
    if isinstance(submission, pd.DataFrame):
        frame = submission.copy()
        frame.columns = [str(c) for c in frame.columns]
        frame.attrs["format"] = _detect_format(list(frame.columns), "submission")
        frame.attrs["source"] = "submission"
        return frame
    if not isinstance(submission, (str, Path)):
        raise TypeError(
            f"submission must be a file name or a DataFrame, got {type(submission).__name__}"
        )
    path = Path(submission)
    content, header = read_header(path, read_bytes(path))
    kind = _detect_format(header, str(path))
    check_complete_text(path, content)
    frame = pd.read_csv(io.BytesIO(content), dtype=str, keep_default_na=False)
    frame.attrs["format"] = kind
    frame.attrs["source"] = str(path)
    return frame


@dataclass
class CheckedSubmission:
    """A submission matched to the events of the leaderboard sets.

    Attributes
    ----------
    format : str
        'kaggle' or 'predictions'.
    events : DataFrame
        The Open Data events of the public (b) and private (v) sets, in the events' order.
    score : ndarray
        Per event of ``events``: the RankOrder (Kaggle) or the prediction.
    selected : ndarray of bool
        Per event: ``Class == 's'`` (Kaggle) or ``score >= cut``.
    cut : float
        The cut on ``score`` that gives the selection: the given one (predictions), or the lowest
        RankOrder marked ``s`` (Kaggle; with the warning below when that is not the selection).
    warnings : list of str
        What scores but looks unintended.

    Raises
    ------
    TypeError
        A field is missing or an extra one is given (the fields are not checked: the submission
        is matched by :func:`check_submission`).
    """

    format: str
    events: pd.DataFrame
    score: np.ndarray
    selected: np.ndarray
    cut: float
    warnings: list[str] = field(default_factory=list)


def check_events(events: pd.DataFrame) -> pd.DataFrame:
    """The events of the leaderboard sets (b, v) of an Open Data table, checked to have what a
    submission is scored with."""
    if not isinstance(events, pd.DataFrame):
        raise TypeError(f"events must be a DataFrame (load_higgs), got {type(events).__name__}")
    check_required_columns(events.columns, EVENT_COLUMNS, "events (the Open Data file)")
    boards = events[events["KaggleSet"].isin(list(LEADERBOARD_SETS.values()))]
    if boards.empty:
        raise ValueError(
            "events have no public (KaggleSet b) or private (v) events: a submission is scored on "
            "the Open Data file, which has both"
        )
    return boards


def _row(index: int) -> str:
    return f"data row {index + 1:,}"


def _numbers(frame: pd.DataFrame, column: str, *, whole: bool) -> np.ndarray:
    """A column as float64, raising at the first value that is not a (whole, finite) number."""
    raw = frame[column]
    values = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=np.float64)
    bad = ~np.isfinite(values)
    if whole:
        bad |= np.isfinite(values) & (values != np.round(values))
    if bad.any():
        first = int(np.flatnonzero(bad)[0])
        kind = "a whole number" if whole else "a finite number"
        ids = frame["EventId"].iloc[first] if column != "EventId" else None
        where = _row(first) + ("" if ids is None else f", EventId {ids}")
        raise ValueError(
            f"submission: {column} must be {kind}, found {raw.iloc[first]!r} ({where}); "
            f"{int(bad.sum()):,} such value(s)"
        )
    return values


def check_submission(
    submission: str | Path | pd.DataFrame, events: pd.DataFrame, *, cut: float | None = None
) -> CheckedSubmission:
    """Check a submission completely against the Open Data events and match it to them.

    Every event of the public (b) and private (v) sets must appear exactly once; no other EventId
    may appear (a training or unused event, or one the file does not have); ``Class`` must be
    ``s`` or ``b``; ``RankOrder`` a permutation of 1..N; predictions finite. The first problem
    found raises ValueError naming the row and EventId. A Kaggle submission whose selection is not
    a cut on its ranking (some ``b`` ranked above some ``s``) scores, with a
    :class:`SubmissionWarning`.

    Parameters
    ----------
    submission : path or DataFrame
        Kaggle (``EventId, RankOrder, Class``) or predictions (``EventId, score``).
    events : DataFrame
        The Open Data events (:func:`hepclf.datasets.load_higgs`), with Label and KaggleWeight.
    cut : float, optional
        The selection ``score >= cut`` of a predictions table (required there, refused for a
        Kaggle submission, whose ``Class`` is the selection).

    Raises
    ------
    TypeError
        ``submission`` is neither a file name nor a DataFrame; ``events`` is not a DataFrame;
        ``cut`` is not a real number.
    FileNotFoundError
        There is no file at ``submission``.
    hepclf.datasets.IncompleteFileError
        The submission file is empty, truncated, cut short in a row, or not text.
    ValueError
        The submission is not a Kaggle or predictions table, has no rows, a missing, duplicated,
        unknown or training/unused EventId, an EventId or RankOrder that is not a whole number, a
        Class other than 's'/'b', a RankOrder that is not a permutation of 1..N, or a score that
        is not a finite number; ``cut`` is missing for a predictions table, given for a Kaggle
        submission, or not finite; ``events`` lacks EventId, Label, KaggleSet, KaggleWeight or
        Weight, or has no public (b) or private (v) event.
    SubmissionWarning
        Issued (not raised, unless warnings are errors) when a Kaggle submission's Class is not
        a cut on its RankOrder (a 'b' ranked above an 's') or marks no event 's'.

    Examples
    --------
    >>> import pandas as pd
    >>> events = pd.DataFrame({"EventId": [1, 2, 3], "Label": ["s", "b", "b"],
    ...     "KaggleSet": ["b", "v", "t"], "KaggleWeight": 1.0, "Weight": 1.0})
    >>> checked = check_submission(pd.DataFrame({"EventId": [2, 1], "score": [0.2, 0.9]}),
    ...                            events, cut=0.5)
    >>> checked.selected.tolist()
    [True, False]
    """
    frame = read_submission(submission)
    kind = frame.attrs["format"]
    if kind == "predictions" and cut is None:
        raise ValueError("cut is required to score a predictions table (EventId, score)")
    if kind == "kaggle" and cut is not None:
        raise ValueError("cut is for a predictions table: a Kaggle submission's Class is its cut")
    if cut is not None:
        cut = check_real(cut, "cut")
    boards = check_events(events)
    if frame.empty:
        raise ValueError("submission has no rows")
    ids = _numbers(frame, "EventId", whole=True).astype(np.int64)
    if kind == "kaggle":
        ranks = _numbers(frame, "RankOrder", whole=True)
        classes = frame["Class"].astype(str).to_numpy()
        bad = ~np.isin(classes, ["s", "b"])
        if bad.any():
            first = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"submission: Class must be 's' or 'b', found {classes[first]!r} ({_row(first)}, "
                f"EventId {ids[first]})"
            )
        values = ranks
    else:
        values = _numbers(frame, "score", whole=False)
    position = _match_events(ids, events, boards)
    score = np.empty(len(boards))
    score[position] = values
    notes: list[str] = []
    if kind == "kaggle":
        _check_permutation(ranks, ids)
        selected = np.zeros(len(boards), dtype=bool)
        selected[position] = classes == "s"
        the_cut, note = _rank_cut(score, selected)
        if note:
            notes.append(note)
            warnings.warn(note, SubmissionWarning, stacklevel=2)
    else:
        the_cut = float(cut)
        selected = score >= the_cut
    return CheckedSubmission(kind, boards, score, selected, the_cut, notes)


def _first_repeat(values: np.ndarray) -> tuple[int, int, int] | None:
    """The rows of the first value that appears twice, and how many rows repeat one; None when
    every value is unique."""
    order = np.argsort(values, kind="stable")
    repeated = np.flatnonzero(np.diff(values[order]) == 0)
    if not repeated.size:
        return None
    first, second = sorted(order[repeated[0] : repeated[0] + 2])
    return int(first), int(second), int(repeated.size)


def _match_events(ids: np.ndarray, events: pd.DataFrame, boards: pd.DataFrame) -> np.ndarray:
    """Position in ``boards`` of each submission row; raises for duplicated, unknown, training
    and missing EventIds."""
    repeat = _first_repeat(ids)
    if repeat is not None:
        first, second, count = repeat
        raise ValueError(
            f"submission: EventId {ids[first]} appears more than once ({_row(first)} and "
            f"{_row(second)}); {count:,} repeated row(s)"
        )
    board_ids = boards["EventId"].to_numpy(np.int64)
    lookup = pd.Index(board_ids)
    position = lookup.get_indexer(ids)
    outside = np.flatnonzero(position < 0)
    if outside.size:
        first = int(outside[0])
        sets = pd.Series(events["KaggleSet"].to_numpy(), index=events["EventId"].to_numpy())
        code = sets.get(ids[first])
        if code is None:
            what = "is not an event of the Open Data file"
        else:
            what = (
                f"is a {_SET_NAMES.get(code, code)} event (KaggleSet {code}): a submission holds "
                "the public (b) and private (v) events only"
            )
        raise ValueError(
            f"submission: EventId {ids[first]} ({_row(first)}) {what}; {outside.size:,} such row(s)"
        )
    if ids.size != board_ids.size:
        present = np.zeros(board_ids.size, dtype=bool)
        present[position] = True
        missing = np.flatnonzero(~present)
        per_set = boards["KaggleSet"].to_numpy()[missing]
        counts = ", ".join(
            f"{int((per_set == code).sum()):,} of the {name} set ({code})"
            for name, code in LEADERBOARD_SETS.items()
            if (per_set == code).any()
        )
        raise ValueError(
            f"submission: {missing.size:,} event(s) missing ({counts}); first missing EventId "
            f"{board_ids[missing[0]]}: every public and private event must be scored"
        )
    return position


def _check_permutation(ranks: np.ndarray, ids: np.ndarray) -> None:
    n = ranks.size
    outside = (ranks < 1) | (ranks > n)
    if outside.any():
        first = int(np.flatnonzero(outside)[0])
        raise ValueError(
            f"submission: RankOrder must be a permutation of 1..{n:,}, found {ranks[first]:.0f} "
            f"({_row(first)}, EventId {ids[first]})"
        )
    repeat = _first_repeat(ranks)
    if repeat is not None:
        first, second, _ = repeat
        raise ValueError(
            f"submission: RankOrder must be a permutation of 1..{n:,}, but {ranks[first]:.0f} "
            f"appears twice ({_row(first)} and {_row(second)})"
        )


def _rank_cut(rank: np.ndarray, selected: np.ndarray) -> tuple[float, str]:
    """The RankOrder cut of a Kaggle selection, and a warning when the selection is not one."""
    if not selected.any():
        return float(rank.max() + 1), "no event is marked 's': the selection is empty"
    lowest_s = rank[selected].min()
    above = int((~selected & (rank > lowest_s)).sum())
    if not above:
        return float(lowest_s), ""
    the_cut = float(np.sort(rank)[::-1][int(selected.sum()) - 1])
    return the_cut, (
        f"{above:,} event(s) marked 'b' are ranked above the lowest-ranked 's' (RankOrder "
        f"{lowest_s:.0f}): the selection is not a cut on RankOrder. The leaderboard AMS uses "
        f"Class; the protocol table cuts at the same number of top-ranked events (RankOrder >= "
        f"{the_cut:.0f})"
    )


def set_names() -> dict[str, str]:
    """KaggleSet code -> name (t training, b public, v private, u unused)."""
    return {code: _SET_NAMES[code] for code in KAGGLE_SETS}
