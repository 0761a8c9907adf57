"""Anything hepclf writes reads back through hepclf, value for value (issue 14): the table
writer in every format, the Higgs file writer through the loader, the simulated Flavours files
through theirs, and the command's feature files."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from hepclf.datasets import load_flavours, load_higgs, read_table, write_table
from hepclf.features import flavours_features, higgs_features
from hepclf.simulate import simulate_flavours, simulate_higgs, write_higgs_csv


@pytest.fixture(scope="module")
def higgs_events() -> pd.DataFrame:
    return simulate_higgs(400, seed=11)


@pytest.fixture(scope="module")
def flavours_tables() -> dict[str, pd.DataFrame]:
    return simulate_flavours(4, training=300, check_agreement=200, check_correlation=250,
                             test=150)  # fmt: skip


def _assert_same(read: pd.DataFrame, written: pd.DataFrame) -> None:
    """Same columns in the same order, same values bit for bit (NaN where NaN), same kinds."""
    assert list(read.columns) == list(written.columns)
    for column in written.columns:
        expected, got = written[column].to_numpy(), read[column].to_numpy()
        if pd.api.types.is_numeric_dtype(written[column]):
            np.testing.assert_array_equal(got.astype(np.float64), expected.astype(np.float64))
        else:
            assert (got.astype(str) == expected.astype(str)).all(), column


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz", ".parquet"])
def test_write_table_reads_back_bit_for_bit(tmp_path, higgs_events, suffix):
    features = higgs_features(higgs_events, orient=True)
    features.insert(0, "EventId", higgs_events["EventId"].to_numpy())
    path = write_table(features, tmp_path / f"features{suffix}")
    _assert_same(read_table(path), features)


@pytest.mark.parametrize("suffix", [".csv", ".csv.gz"])
def test_write_higgs_csv_reads_back_through_load_higgs(tmp_path, higgs_events, suffix):
    path = write_higgs_csv(higgs_events, tmp_path / f"atlas{suffix}")
    read = load_higgs(path, partial=True)
    _assert_same(read, higgs_events.drop(columns="process"))


def test_a_written_higgs_file_is_refused_as_complete_without_partial(tmp_path, higgs_events):
    """The writer writes what it is given; the loader still knows a 400-event file is not the
    818,238-event release and says so unless told ``partial``."""
    path = write_higgs_csv(higgs_events, tmp_path / "atlas.csv")
    with pytest.raises(ValueError, match="partial"):
        load_higgs(path)


def test_simulated_flavours_files_read_back_through_load_flavours(tmp_path, flavours_tables):
    for name, table in flavours_tables.items():
        write_table(table, tmp_path / f"{name}.csv")
    read = load_flavours(tmp_path, partial=True)
    assert set(read) == set(flavours_tables)
    for name, table in flavours_tables.items():
        _assert_same(read[name], table)


def test_flavours_features_read_back(tmp_path, flavours_tables):
    built = flavours_features(flavours_tables["training"])
    _assert_same(read_table(write_table(built, tmp_path / "features.parquet")), built)
