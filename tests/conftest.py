"""Shared fixtures: the real data samples in ../shared/data (tests skip cleanly without them)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
HIGGS_SAMPLE = DATA_DIR / "higgs_opendata_sample.csv.gz"
FLAVOURS_CORRELATION = DATA_DIR / "flavours_check_correlation.csv.gz"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"real data sample not found: {path}")
    return path


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    return _require(DATA_DIR)


@pytest.fixture(scope="session")
def higgs_sample_path() -> Path:
    return _require(HIGGS_SAMPLE)


@pytest.fixture(scope="session")
def flavours_correlation_path() -> Path:
    return _require(FLAVOURS_CORRELATION)


@pytest.fixture(scope="session")
def higgs_raw(higgs_sample_path: Path) -> pd.DataFrame:
    """The ATLAS sample exactly as in the file (-999 kept), read by pandas alone."""
    return pd.read_csv(higgs_sample_path)


@pytest.fixture(scope="session")
def correlation_raw(flavours_correlation_path: Path) -> pd.DataFrame:
    return pd.read_csv(flavours_correlation_path)


@pytest.fixture()
def rng() -> np.random.Generator:
    return np.random.default_rng(20261123)
