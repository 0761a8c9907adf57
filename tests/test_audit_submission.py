"""Scoring a Higgs ML submission as the leaderboard did: the real Kaggle format, read completely and
checked before anything is scored, on simulated Open Data files."""

from __future__ import annotations

import gzip
import json
import warnings

import numpy as np
import pandas as pd
import pytest

from hepclf.audit import (
    SubmissionWarning,
    audit_predictions,
    check_submission,
    read_submission,
    score_submission,
)
from hepclf.cli import main
from hepclf.datasets import load_higgs
from hepclf.metrics import ams, leaderboard_ams, renormalise
from hepclf.models import XGBPhysicsClassifier
from hepclf.schemas import HIGGS_FEATURE_COLUMNS, KAGGLE_SET_SIZES
from hepclf.simulate import simulate_higgs, write_higgs_csv


def kaggle_submission(boards: pd.DataFrame, score: np.ndarray, cut: float) -> pd.DataFrame:
    """The Kaggle format: RankOrder 1..N by increasing score, Class 's' above the cut."""
    rank = np.empty(score.size, dtype=np.int64)
    rank[np.argsort(score, kind="stable")] = np.arange(1, score.size + 1)
    return pd.DataFrame(
        {"EventId": boards["EventId"].to_numpy(), "RankOrder": rank,
         "Class": np.where(score >= cut, "s", "b")}
    )  # fmt: skip


@pytest.fixture(scope="module")
def simulated(tmp_path_factory):
    """A simulated Open Data file (100,000 events, every KaggleSet) written in the real format,
    and a model trained on its set t: its predictions on the public and private sets."""
    folder = tmp_path_factory.mktemp("open-data")
    path = folder / "simulated-open-data.csv"
    write_higgs_csv(simulate_higgs(100_000, seed=11), path)
    events = load_higgs(path, partial=True)
    training = events[events.KaggleSet == "t"]
    model = XGBPhysicsClassifier(n_estimators=40, max_depth=4, learning_rate=0.3, n_jobs=1)
    features = list(HIGGS_FEATURE_COLUMNS)
    model.fit(training[features], training.Label, training.KaggleWeight)
    boards = events[events.KaggleSet.isin(["b", "v"])]
    score = model.predict_proba(boards[features])[:, 1]
    cut = float(np.quantile(score, 0.85))
    return {"path": path, "events": events, "boards": boards, "score": score, "cut": cut}


def test_cli_scores_a_kaggle_submission_as_leaderboard_ams(simulated, tmp_path, capsys):
    boards, score, cut = simulated["boards"], simulated["score"], simulated["cut"]
    path = tmp_path / "submission.csv"
    kaggle_submission(boards, score, cut).to_csv(path, index=False)
    status = main(["audit", "submission", str(path), "--data", str(simulated["path"]),
                   "--partial", "--json", "--resamples", "50", "--quiet"])  # fmt: skip
    assert status == 0
    result = json.loads(capsys.readouterr().out)
    expected = leaderboard_ams(boards.KaggleSet, boards.Label, score, boards.KaggleWeight, cut)
    assert result["score"]["public"] == pytest.approx(expected["public"], rel=1e-12)
    assert result["score"]["private"] == pytest.approx(expected["private"], rel=1e-12)
    assert 0 < result["score"]["private_error"] < result["score"]["public_error"] < 0.5


def test_both_sets_together_read_high_by_the_ams_formula(simulated):
    boards, score, cut = simulated["boards"], simulated["score"], simulated["cut"]
    audit = audit_predictions(boards, score, cut, n_resamples=20)
    selected = score >= cut
    signal = (boards.Label == "s").to_numpy()
    weight = boards.KaggleWeight.to_numpy()
    private = (boards.KaggleSet == "v").to_numpy()

    def sums(mask):
        return weight[mask & selected & signal].sum(), weight[mask & selected & ~signal].sum()

    by_formula = ams(*sums(np.ones_like(private))) / ams(*sums(private))
    together = audit.row("public_plus_private")
    assert together["ratio"] == pytest.approx(by_formula, rel=1e-9)
    assert together["ratio"] == pytest.approx(np.sqrt(2), abs=0.08)
    assert together["nominal"] == pytest.approx(2.0, rel=1e-6)
    assert audit.value("correct") == pytest.approx(
        leaderboard_ams(boards.KaggleSet, boards.Label, score, boards.KaggleWeight, cut)["private"],
        rel=1e-6,
    )


def test_weight_column_reads_low_by_the_sets_share(simulated):
    boards, score, cut = simulated["boards"], simulated["score"], simulated["cut"]
    events = simulated["events"]
    audit = audit_predictions(boards, score, cut, n_resamples=20)
    private = boards[boards.KaggleSet == "v"]
    chosen = score[(boards.KaggleSet == "v").to_numpy()] >= cut
    signal = (private.Label == "s").to_numpy()
    weight = private.Weight.to_numpy()
    expected = ams(weight[chosen & signal].sum(), weight[chosen & ~signal].sum())
    row = audit.row("weight_column")
    assert row["ams"] == pytest.approx(expected, rel=1e-12)
    share = private.Weight.sum() / events.Weight.sum()  # ~0.55: the private set's share
    assert row["nominal"] == pytest.approx(share, rel=1e-9)
    assert row["luminosity"] == pytest.approx(share, rel=0.03)
    assert row["ratio"] == pytest.approx(np.sqrt(share), rel=0.02)


def test_submission_round_trips_at_the_size_of_the_release(tmp_path):
    """550,000 rows in the Kaggle format, written and read back; rows in any order, and the
    public and private events swapped in RankOrder, score the same."""
    base = simulate_higgs(20_000, seed=3)
    rng = np.random.default_rng(0)
    n = sum(KAGGLE_SET_SIZES.values())
    events = base.iloc[rng.integers(0, len(base), n)].reset_index(drop=True)
    events["EventId"] = np.arange(100_000, 100_000 + n)
    events["KaggleSet"] = rng.permutation(np.repeat(list(KAGGLE_SET_SIZES),
                                                    list(KAGGLE_SET_SIZES.values())))  # fmt: skip
    signal = (events.Label == "s").to_numpy()
    events["Weight"] = renormalise(signal, events.Weight)
    for code in KAGGLE_SET_SIZES:
        in_set = (events.KaggleSet == code).to_numpy()
        events.loc[in_set, "KaggleWeight"] = renormalise(signal[in_set], events.Weight[in_set])
    boards = events[events.KaggleSet.isin(["b", "v"])]
    assert len(boards) == 550_000
    score = -np.abs(boards.DER_mass_MMC.fillna(0).to_numpy() - 120.0) + rng.normal(0, 5, 550_000)
    cut = float(np.quantile(score, 0.8))
    submission = kaggle_submission(boards, score, cut)
    path = tmp_path / "submission.csv"
    submission.to_csv(path, index=False)
    read = read_submission(path)
    assert read.attrs["format"] == "kaggle" and len(read) == 550_000
    scored = score_submission(path, events, n_resamples=10)
    expected = leaderboard_ams(boards.KaggleSet, boards.Label, score, boards.KaggleWeight, cut)
    assert (scored.public, scored.private) == pytest.approx(
        (expected["public"], expected["private"]), rel=1e-12
    )
    public = (boards.KaggleSet == "b").to_numpy()
    private_first = submission.iloc[np.argsort(public, kind="stable")]
    # public events take the top ranks, private ones the rest (each keeping its order and Class)
    swapped = submission.copy()
    order = np.lexsort((submission.RankOrder.to_numpy(), public))
    swapped.iloc[order, swapped.columns.get_loc("RankOrder")] = np.arange(1, 550_001)
    assert swapped.RankOrder[public].min() == (~public).sum() + 1
    for frame in (private_first, swapped):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", SubmissionWarning)
            again = score_submission(frame, events, n_resamples=10)
        assert (again.public, again.private) == (scored.public, scored.private)


def test_b_ranked_above_s_scores_with_a_warning(simulated):
    boards, score, cut = simulated["boards"], simulated["score"], simulated["cut"]
    submission = kaggle_submission(boards, score, cut)
    top = submission.RankOrder.idxmax()
    submission.loc[top, "Class"] = "b"
    with pytest.warns(SubmissionWarning, match="ranked above the lowest-ranked 's'"):
        checked = check_submission(submission, simulated["events"])
    assert checked.warnings and checked.selected.sum() == (score >= cut).sum() - 1


@pytest.fixture(scope="module")
def small():
    events = simulate_higgs(2000, seed=4)
    boards = events[events.KaggleSet.isin(["b", "v"])]
    score = np.linspace(0, 1, len(boards))
    return events, boards, kaggle_submission(boards, score, 0.7)


def _csv(tmp_path, frame: pd.DataFrame, name="bad.csv"):
    path = tmp_path / name
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ("duplicate", r"EventId (\d+) appears more than once \(data row 1 and data row 2"),
        ("missing", r"1 event\(s\) missing .* first missing EventId"),
        ("training", r"EventId \d+ \(data row 3\) is a training event \(KaggleSet t\)"),
        ("unknown", r"EventId 7 \(data row 3\) is not an event of the Open Data file"),
        ("class", r"Class must be 's' or 'b', found 'S' \(data row 5, EventId \d+\)"),
        ("rank", r"RankOrder must be a permutation of 1\.\.\S+, found 0 \(data row 4"),
        ("rank_twice", r"RankOrder must be a permutation .* appears twice"),
    ],
)
def test_bad_submissions_are_refused_naming_the_row(small, change, message):
    events, boards, good = small
    bad = good.copy()
    training_id = int(events.EventId[events.KaggleSet == "t"].iloc[0])
    if change == "duplicate":
        bad.loc[1, "EventId"] = bad.loc[0, "EventId"]
    elif change == "missing":
        bad = bad.drop(index=5)
        bad["RankOrder"] = bad.RankOrder.rank().astype(int)
    elif change == "training":
        bad.loc[2, "EventId"] = training_id
    elif change == "unknown":
        bad.loc[2, "EventId"] = 7
    elif change == "class":
        bad.loc[4, "Class"] = "S"
    elif change == "rank":
        bad.loc[3, "RankOrder"] = 0
    else:
        bad.loc[3, "RankOrder"] = bad.loc[2, "RankOrder"]
    with pytest.raises(ValueError, match=message):
        score_submission(bad, events)


def test_files_that_are_not_complete_csv_submissions_are_refused(small, tmp_path):
    events, _, good = small
    not_csv = tmp_path / "submission.parquet"
    good.to_parquet(not_csv)
    with pytest.raises(ValueError, match="not a Higgs ML submission"):
        score_submission(not_csv, events)
    text = good.to_csv(index=False)
    truncated = tmp_path / "truncated.csv"
    truncated.write_text(text[: len(text) // 2 - 3])
    with pytest.raises(ValueError, match="ends in the middle of a row"):
        score_submission(truncated, events)
    gz = tmp_path / "truncated.csv.gz"
    gz.write_bytes(gzip.compress(text.encode())[:-40])
    with pytest.raises(ValueError, match="gzip stream is truncated"):
        score_submission(gz, events)
    at_row_end = tmp_path / "rows.csv"
    at_row_end.write_text("".join(text.splitlines(keepends=True)[:-10]))
    with pytest.raises(ValueError, match="10 event\\(s\\) missing"):
        score_submission(at_row_end, events)


def test_predictions_with_nan_are_refused_naming_the_event(small, tmp_path):
    events, boards, _ = small
    predictions = pd.DataFrame({"EventId": boards.EventId, "score": np.linspace(0, 1, len(boards))})
    predictions.loc[predictions.index[6], "score"] = np.nan
    event = predictions.EventId.iloc[6]
    with pytest.raises(
        ValueError, match=rf"score must be a finite number.*data row 7, EventId {event}"
    ):
        score_submission(predictions, events, cut=0.5)
    with pytest.raises(ValueError, match="data row 7"):
        score_submission(_csv(tmp_path, predictions), events, cut=0.5)
    with pytest.raises(ValueError, match="cut is required"):
        score_submission(predictions.fillna(0.5), events)


def test_cli_bad_input_is_one_line_and_status_2(small, tmp_path, capsys):
    events, _, good = small
    data = tmp_path / "events.csv"
    write_higgs_csv(events, data)
    bad = good.copy()
    bad.loc[1, "EventId"] = bad.loc[0, "EventId"]
    with pytest.raises(SystemExit) as exit_info:
        main(["audit", "submission", str(_csv(tmp_path, bad)), "--data", str(data), "--partial"])
    assert exit_info.value.code == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert err[-1].startswith("hepclf audit: error: submission: EventId")
    assert "Traceback" not in "\n".join(err)


def test_the_submission_header_is_read_as_the_loaders_read_it(tmp_path):
    """A spreadsheet's byte-order mark is not part of the first column's name; a column named
    twice is refused by name (the loaders' read_header)."""
    text = "EventId,RankOrder,Class\n350000,2,s\n350001,1,b\n"
    marked = tmp_path / "marked.csv"
    marked.write_bytes(b"\xef\xbb\xbf" + text.encode())
    assert read_submission(marked).attrs["format"] == "kaggle"
    twice = tmp_path / "twice.csv"
    twice.write_text(text.replace("Class", "RankOrder", 1))
    with pytest.raises(ValueError, match="column RankOrder appears twice"):
        read_submission(twice)
