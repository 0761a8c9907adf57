"""Loaders: round trip of the real samples, and refusal of every kind of damaged file."""

from __future__ import annotations

import gzip

import numpy as np
import pandas as pd
import pytest

from hepclf.datasets import (
    IncompleteFileError,
    download_higgs,
    load_flavours,
    load_higgs,
    select_kaggle_set,
)
from hepclf.metrics import leaderboard_ams


@pytest.fixture(scope="module")
def higgs_bytes(higgs_sample_path):
    return gzip.decompress(higgs_sample_path.read_bytes())


def test_higgs_sample_round_trip(higgs_sample_path, higgs_raw):
    frame = load_higgs(higgs_sample_path, partial=True)
    assert frame.attrs["format"] == "opendata"
    assert frame.shape == (22_889, 35)
    expected = higgs_raw.replace(-999.0, np.nan)
    pd.testing.assert_frame_equal(frame, expected, check_dtype=False)
    assert not (frame.select_dtypes("number") == -999.0).any().any()
    # README facts: class counts, jet multiplicities, weight sums
    assert (frame.Label == "s").sum() == 7_817 and (frame.Label == "b").sum() == 15_072
    assert frame.PRI_jet_num.value_counts().sort_index().tolist() == [9_108, 7_090, 4_638, 2_053]
    assert frame.loc[frame.Label == "s", "Weight"].sum() == pytest.approx(19.8335, abs=1e-4)
    assert frame.loc[frame.Label == "b", "KaggleWeight"].sum() == pytest.approx(37_467.64, abs=0.01)


def test_sample_is_refused_as_a_complete_file(higgs_sample_path):
    with pytest.raises(IncompleteFileError, match="22,889 events, but the complete opendata"):
        load_higgs(higgs_sample_path)


def test_kaggle_layout_round_trip(tmp_path, higgs_sample_path):
    frame = load_higgs(higgs_sample_path, partial=True)
    training = select_kaggle_set(frame, "t")
    np.testing.assert_array_equal(training.Weight, frame.KaggleWeight)
    path = tmp_path / "training.csv"
    training.fillna(-999.0).to_csv(path, index=False)
    again = load_higgs(path, partial=True)
    assert again.attrs["format"] == "kaggle_training"
    pd.testing.assert_frame_equal(again, training.reset_index(drop=True), check_dtype=False)
    test = training.drop(columns=["Weight", "Label"])
    test.fillna(-999.0).to_csv(tmp_path / "test.csv", index=False)
    assert load_higgs(tmp_path / "test.csv", partial=True).attrs["format"] == "kaggle_test"
    with pytest.raises(ValueError, match="kaggle_set must be one of"):
        select_kaggle_set(frame, "x")
    with pytest.raises(ValueError, match="no events of KaggleSet 'v'"):
        select_kaggle_set(frame, "v")


def _write(path, content: bytes, compress: bool = True):
    path.write_bytes(gzip.compress(content) if compress else content)
    return path


def test_truncated_gzip_is_refused(tmp_path, higgs_sample_path):
    whole = higgs_sample_path.read_bytes()
    cut = tmp_path / "cut.csv.gz"
    cut.write_bytes(whole[: len(whole) // 2])
    with pytest.raises(IncompleteFileError, match="gzip stream is truncated or corrupt"):
        load_higgs(cut, partial=True)


def test_gzip_that_decodes_into_garbage_is_refused(tmp_path, higgs_bytes):
    garbage = np.random.default_rng(0).integers(0, 256, 5000, dtype=np.uint8).tobytes()
    spliced = higgs_bytes[: len(higgs_bytes) // 3] + garbage + b"\n"
    with pytest.raises(IncompleteFileError, match="not text at offset"):
        load_higgs(_write(tmp_path / "spliced.csv.gz", spliced), partial=True)
    # text garbage (a spliced piece of another file) breaks the numbers instead
    text_garbage = higgs_bytes[:200_000] + b"lorem,ipsum\n" + higgs_bytes[200_000:]
    with pytest.raises(IncompleteFileError):
        load_higgs(_write(tmp_path / "text.csv.gz", text_garbage), partial=True)


def test_file_cut_mid_row_is_refused(tmp_path, higgs_bytes):
    cut = higgs_bytes[: len(higgs_bytes) // 2]
    cut = cut[: cut.rfind(b"\n") + 40]  # forty characters into a row
    for compress in (True, False):
        with pytest.raises(IncompleteFileError, match="ends in the middle of a row"):
            load_higgs(_write(tmp_path / f"cut{compress}.csv", cut, compress), partial=True)
    # a row with missing fields but a final newline
    short_row = cut + b"\n"
    with pytest.raises(IncompleteFileError, match="empty or missing values"):
        load_higgs(_write(tmp_path / "short.csv", short_row, False), partial=True)


def test_cut_at_a_row_boundary_is_caught_by_the_event_count(tmp_path, higgs_bytes):
    cut = higgs_bytes[: higgs_bytes.find(b"\n", len(higgs_bytes) // 2) + 1]
    path = _write(tmp_path / "boundary.csv.gz", cut)
    with pytest.raises(IncompleteFileError, match="the file is incomplete"):
        load_higgs(path)
    assert len(load_higgs(path, partial=True)) < 22_889


def test_schema_and_value_errors(tmp_path, higgs_raw):
    frame = higgs_raw.copy()
    frame.drop(columns=["PRI_met"]).to_csv(tmp_path / "missing.csv", index=False)
    with pytest.raises(ValueError, match="missing column\\(s\\): PRI_met"):
        load_higgs(tmp_path / "missing.csv", partial=True)
    wrong = frame.copy()
    wrong.loc[5, "Label"] = "x"
    wrong.to_csv(tmp_path / "label.csv", index=False)
    with pytest.raises(ValueError, match="column Label has values \\['x'\\]"):
        load_higgs(tmp_path / "label.csv", partial=True)
    negative = frame.copy()
    negative.loc[7, "Weight"] = -0.5
    negative.to_csv(tmp_path / "negative.csv", index=False)
    with pytest.raises(ValueError, match="column Weight has 1 negative.*data row 8"):
        load_higgs(tmp_path / "negative.csv", partial=True)
    sets = frame.copy()
    sets.loc[3, "KaggleSet"] = "q"
    sets.to_csv(tmp_path / "sets.csv", index=False)
    with pytest.raises(ValueError, match="column KaggleSet"):
        load_higgs(tmp_path / "sets.csv", partial=True)
    with pytest.raises(FileNotFoundError):
        load_higgs(tmp_path / "nope.csv")


def test_leaderboard_scoring_of_loaded_sets(higgs_sample_path):
    """KaggleWeight of the sample (set t only) does not sum to the totals: scoring it as a
    leaderboard set is refused rather than silently wrong."""
    frame = load_higgs(higgs_sample_path, partial=True)
    as_public = frame.assign(KaggleSet=np.where(np.arange(len(frame)) % 2, "b", "v"))
    with pytest.raises(ValueError, match="set is incomplete"):
        leaderboard_ams(
            as_public.KaggleSet,
            as_public.Label,
            as_public.DER_mass_vis.fillna(0),
            as_public.KaggleWeight,
            cut=50.0,
        )


def test_download_fails_fast_offline_with_instructions(tmp_path):
    with pytest.raises(ConnectionError, match="get atlas-higgs-challenge-2014-v2.csv.gz from"):
        download_higgs(tmp_path, url="http://127.0.0.1:9/none.csv.gz", timeout=2)
    assert not list(tmp_path.iterdir())  # nothing partial left behind


def test_flavours_sample_round_trip_and_checksum(shared_data_dir, correlation_raw):
    tables = load_flavours(shared_data_dir, verify=True)
    assert set(tables) == {"check_correlation"}
    pd.testing.assert_frame_equal(tables["check_correlation"], correlation_raw, check_dtype=False)


def test_flavours_damage_is_refused(tmp_path, flavours_correlation_path, correlation_raw):
    content = gzip.decompress(flavours_correlation_path.read_bytes())
    cut = tmp_path / "check_correlation.csv"
    cut.write_bytes(content[: content.rfind(b"\n", 0, len(content) - 1) + 1])  # last row dropped
    with pytest.raises(IncompleteFileError, match="5,513 events"):
        load_flavours(check_correlation=cut)
    with pytest.raises(IncompleteFileError, match="bytes of content"):
        load_flavours(check_correlation=cut, partial=True, verify=True)
    assert len(load_flavours(check_correlation=cut, partial=True)["check_correlation"]) == 5_513
    renamed = tmp_path / "renamed.csv"
    correlation_raw.rename(columns={"mass": "m"}).to_csv(renamed, index=False)
    with pytest.raises(
        ValueError, match="missing column\\(s\\): mass; unexpected column\\(s\\): m"
    ):
        load_flavours(check_correlation=renamed)
    with pytest.raises(FileNotFoundError, match="does not exist"):
        load_flavours(tmp_path / "nowhere")
    (tmp_path / "empty").mkdir()
    with pytest.raises(FileNotFoundError, match="no Flavours file found"):
        load_flavours(tmp_path / "empty")


def test_packaged_sample_is_the_real_file_read_as_load_higgs_reads_it(tmp_path, monkeypatch):
    import shutil

    from hepclf.datasets import higgs_sample_path, load_higgs_sample
    from hepclf.datasets import sample as sample_module

    events = load_higgs_sample()
    pd.testing.assert_frame_equal(events, load_higgs(higgs_sample_path(), partial=True))
    assert len(events) == 22_889 and (events.Label == "s").sum() == 7_817
    assert events.EventId.iloc[0] == 100_000 and events.EventId.iloc[-1] == 122_888
    assert set(events.KaggleSet) == {"t"}
    signal = events.Label == "s"
    assert events.Weight[signal].sum() == pytest.approx(19.8335, abs=5e-4)
    assert events.KaggleWeight[~signal].sum() == pytest.approx(37_467.64, abs=5e-3)
    # a damaged installation is refused, not read
    damaged = tmp_path / "higgs_opendata_sample.csv.gz"
    shutil.copy(higgs_sample_path(), damaged)
    content = gzip.decompress(damaged.read_bytes()).replace(b"100000,", b"100001,", 1)
    damaged.write_bytes(gzip.compress(content))
    monkeypatch.setattr(sample_module, "higgs_sample_path", lambda: damaged)
    with pytest.raises(IncompleteFileError, match="the installation is damaged"):
        load_higgs_sample()
