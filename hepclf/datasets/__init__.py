"""Stage 1: loaders for the real challenge files and physics simulators in the same schemas."""

from hepclf.datasets._reading import IncompleteFileError
from hepclf.datasets.flavours import load_flavours
from hepclf.datasets.higgs import download_higgs, load_higgs, select_kaggle_set
from hepclf.datasets.simulate_flavours import simulate_flavours
from hepclf.datasets.simulate_higgs import simulate_higgs, write_higgs_csv

__all__ = [
    "IncompleteFileError",
    "download_higgs",
    "load_flavours",
    "load_higgs",
    "select_kaggle_set",
    "simulate_flavours",
    "simulate_higgs",
    "write_higgs_csv",
]
