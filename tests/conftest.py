"""Shared fixtures: the real ATLAS sample packaged with hepclf (always there), and the real
Flavours check_correlation file, which is not packaged (its licence is unclear): tests that need it
skip without it, saying where to get it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from hepclf.datasets import higgs_sample_path as higgs_sample_path_of_package

DATA_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "data"
FLAVOURS_CORRELATION = DATA_DIR / "flavours_check_correlation.csv.gz"


def _require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(
            f"real Flavours file not found at {path}: get check_correlation.csv from the Kaggle "
            "competition 'Flavours of Physics: Finding tau -> mu mu mu' (data page) and put it "
            "there, gzipped"
        )
    return path


@pytest.fixture(scope="session")
def shared_data_dir() -> Path:
    """The folder holding the real Flavours file."""
    return _require(FLAVOURS_CORRELATION).parent


@pytest.fixture(scope="session")
def higgs_sample_path() -> Path:
    """The packaged real ATLAS sample (22,889 Open Data events)."""
    return higgs_sample_path_of_package()


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
