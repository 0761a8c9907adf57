"""Loaders for the real challenge files: complete, schema-checked, -999 as NaN."""

from hepclf.datasets._reading import IncompleteFileError
from hepclf.datasets.flavours import load_flavours
from hepclf.datasets.higgs import download_higgs, load_higgs, select_kaggle_set

__all__ = [
    "IncompleteFileError",
    "download_higgs",
    "load_flavours",
    "load_higgs",
    "select_kaggle_set",
]
