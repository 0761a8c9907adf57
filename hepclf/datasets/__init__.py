"""Loaders for the real challenge files: complete, schema-checked, -999 as NaN."""

from hepclf.datasets._reading import IncompleteFileError
from hepclf.datasets.flavours import load_flavours
from hepclf.datasets.higgs import download_higgs, load_higgs, select_kaggle_set
from hepclf.datasets.sample import higgs_sample_path, load_higgs_sample
from hepclf.datasets.writing import (
    TABLE_FORMATS,
    check_output_path,
    read_table,
    table_format,
    write_table,
)

__all__ = [
    "TABLE_FORMATS",
    "check_output_path",
    "IncompleteFileError",
    "download_higgs",
    "higgs_sample_path",
    "load_flavours",
    "load_higgs",
    "load_higgs_sample",
    "read_table",
    "select_kaggle_set",
    "table_format",
    "write_table",
]
