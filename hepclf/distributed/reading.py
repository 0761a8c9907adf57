"""Reading many event files into one Dask DataFrame, one partition per file, nothing unchecked.

Before any event is read, every file's columns are read from its header (CSV) or metadata
(parquet, ROOT) and compared: a file that lacks a column, has one more, or disagrees in order or
type with the others is refused by name, and nothing is computed. Each partition is then read by
the in-memory loader (:func:`hepclf.datasets.load_higgs` for the Higgs ML schema,
:func:`hepclf.datasets.load_flavours` for a Flavours table,
:func:`hepclf.datasets.columnar.read_columnar` for any parquet / ROOT table), so every
partition has the loaders' guarantees: schema checked, -999 as NaN, a damaged file refused by
name.

>>> import tempfile, pathlib
>>> from hepclf.simulate import simulate_higgs
>>> from hepclf.distributed import read_events
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> events = simulate_higgs(400, seed=1).drop(columns="process")
>>> for k in range(2):
...     events.iloc[k * 200 : (k + 1) * 200].to_parquet(folder / f"part-{k}.parquet")
>>> frame = read_events(sorted(folder.glob("*.parquet")))
>>> frame.npartitions, len(frame.compute())
(2, 400)
"""

from __future__ import annotations

import glob
import gzip
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from hepclf.datasets import load_flavours, load_higgs
from hepclf.datasets._reading import check_columns, read_header
from hepclf.datasets.columnar import (
    columnar_format,
    columnar_schema,
    read_columnar,
    refuse_jagged,
)
from hepclf.datasets.higgs import higgs_format
from hepclf.distributed.cluster import require_dask
from hepclf.schemas import FLAVOURS_INTEGER_FEATURES, FLAVOURS_SCHEMAS

__all__ = ["EVENT_KINDS", "event_paths", "read_events"]

#: What the files hold: the Higgs ML schema or one of the Flavours tables (CSV, parquet or ROOT),
#: or any parquet / ROOT table.
EVENT_KINDS = ("higgs", "flavours", "table")
_INTEGER_COLUMNS = ("EventId", "PRI_jet_num")
_STRING_COLUMNS = ("Label", "KaggleSet")


def event_paths(paths: str | Path | Sequence[str | Path]) -> list[Path]:
    """The files of ``paths``: one path, a glob pattern (``'events/*.parquet'``) or a list; each
    must exist. A path naming an existing file is that file, even if its name holds glob
    characters (``run[1].csv``).

    Raises
    ------
    FileNotFoundError
        A glob pattern matches no file, or a path is not an existing file (a directory is not).
    ValueError
        ``paths`` is an empty list.
    TypeError
        ``paths`` is neither a path nor an iterable of paths (None).
    """
    items = [paths] if isinstance(paths, (str, Path)) else list(paths)
    found: list[Path] = []
    for item in items:
        text = str(item)
        # an existing file is itself, even when its name holds [, * or ?
        literal = not glob.has_magic(text) or Path(text).is_file()
        matches = [text] if literal else sorted(glob.glob(text))
        if not matches:
            raise FileNotFoundError(f"paths: no file matches {text}")
        found.extend(Path(match) for match in matches)
    if not found:
        raise ValueError("paths: no files given")
    for path in found:
        if not path.is_file():
            raise FileNotFoundError(f"paths: no such file {path}")
    return found


def _header(path: Path, tree: str | None) -> list[str]:
    """A file's column names without reading its events (CSV: the first line)."""
    if columnar_format(path) is not None:
        return list(columnar_schema(path, tree=tree))
    with open(path, "rb") as handle:
        gzipped = handle.read(2) == b"\x1f\x8b"
    with (gzip.open if gzipped else open)(path, "rb") as handle:
        first_line = handle.readline()
    return read_header(path, first_line)[1]


def _higgs_meta(columns: list[str]) -> pd.DataFrame:
    """An empty frame with the columns and dtypes :func:`load_higgs` gives."""
    dtypes = {
        name: "int64" if name in _INTEGER_COLUMNS else "str" if name in _STRING_COLUMNS else "f8"
        for name in columns
    }
    return pd.DataFrame({name: pd.Series(dtype=dtype) for name, dtype in dtypes.items()})


def _flavours_table(path: Path, header: list[str]) -> str:
    """The Flavours table whose columns ``header`` holds (in any order)."""
    for table, expected in FLAVOURS_SCHEMAS.items():
        if sorted(header) == sorted(expected):
            return table
    raise ValueError(
        f"{path}: its columns are those of no Flavours table ({', '.join(FLAVOURS_SCHEMAS)}): "
        f"{', '.join(header[:6])}{', ...' if len(header) > 6 else ''}"
    )


def _flavours_meta(columns: list[str]) -> pd.DataFrame:
    """An empty frame with the columns and dtypes :func:`load_flavours` gives."""
    integer = {"id", "signal", "production", *FLAVOURS_INTEGER_FEATURES}
    return pd.DataFrame(
        {name: pd.Series(dtype="int64" if name in integer else "f8") for name in columns}
    )


def _read_flavours_partition(path: Path, table: str) -> pd.DataFrame:
    frame = load_flavours(**{table: path}, partial=True)[table]
    frame.attrs.clear()
    return frame


def _read_higgs_partition(path: Path) -> pd.DataFrame:
    frame = load_higgs(path, partial=True)
    frame.attrs.clear()
    return frame


def read_events(
    paths: str | Path | Sequence[str | Path],
    *,
    kind: str = "higgs",
    columns: Sequence[str] | None = None,
    tree: str | None = None,
    flatten: bool = False,
) -> Any:
    """Files of events as a Dask DataFrame with one partition per file.

    Parameters
    ----------
    paths : path, glob pattern or list of paths
        CSV (``.csv``, ``.csv.gz``; Higgs ML and Flavours), parquet or ROOT files.
    kind : {'higgs', 'flavours', 'table'}
        'higgs': every file is a Higgs ML table (Open Data, Kaggle training or test columns, the
        same in every file), read by :func:`hepclf.datasets.load_higgs` (any subset of events).
        'flavours': every file is a part of the same Flavours table (training, check_agreement,
        check_correlation or test, told by its columns), read by
        :func:`hepclf.datasets.load_flavours` (any subset of events; ``id`` unique within each
        file).
        'table': any parquet / ROOT table, read by
        :func:`hepclf.datasets.columnar.read_columnar`.
    columns : sequence of str, optional
        'table': the columns (ROOT branches) to read; default all.
    tree, flatten : ROOT options of ``read_columnar`` ('table'): the TTree, and whether jagged
        branches are flattened (one row per element) instead of refused.

    Raises
    ------
    ImportError
        dask is not installed (see :func:`~hepclf.distributed.require_dask`), or pyarrow / uproot
        for a parquet / ROOT file.
    FileNotFoundError
        As :func:`event_paths`: a pattern matches nothing, a path is not a file.
    ValueError
        A file whose columns differ from the first file's (or, 'higgs', from every Higgs ML
        format; 'flavours', from every Flavours table), named, before anything is read; ``kind``
        unknown; ``paths`` empty; 'higgs' or 'flavours' with ``columns``, ``tree`` or
        ``flatten``; 'table' with a CSV file, ``columns`` a file lacks,
        a ROOT file without the TTree (or with several and no ``tree``), or jagged branches
        without ``flatten``.
    hepclf.datasets.IncompleteFileError
        A damaged file, named (its metadata at once; its data when the partition is computed,
        which then fails as a whole). A subclass of ValueError.
    """
    require_dask()
    import dask.dataframe as dd

    if kind not in EVENT_KINDS:
        raise ValueError(f"kind must be one of {list(EVENT_KINDS)}, got {kind!r}")
    files = event_paths(paths)
    if kind != "table" and (columns is not None or tree is not None or flatten):
        raise ValueError("columns, tree and flatten are options of kind='table'")
    if kind == "higgs":
        header = _check_same_columns(files, None)
        higgs_format(files[0], header)
        return dd.from_map(_read_higgs_partition, files, meta=_higgs_meta(header))
    if kind == "flavours":
        header = _check_same_columns(files, None)
        table = _flavours_table(files[0], header)
        return dd.from_map(
            _read_flavours_partition, files, table=table, meta=_flavours_meta(header)
        )
    csv = [path for path in files if columnar_format(path) is None]
    if csv:
        raise ValueError(f"paths: {csv[0]} is not parquet or ROOT (kind='table' reads those)")
    _check_same_columns(files, tree, columns)
    meta = _table_meta(files[0], columns, tree, flatten)
    return dd.from_map(read_columnar, files, columns=columns, tree=tree, flatten=flatten, meta=meta)


def _check_same_columns(
    files: list[Path], tree: str | None, columns: Sequence[str] | None = None
) -> list[str]:
    """The first file's header; every other file must have the same (or hold ``columns``), and
    parquet / ROOT files the same types."""
    first = _header(files[0], tree)
    first_types = _types(files[0], tree)
    for path in files:
        header = _header(path, tree)
        if columns is not None:
            missing = [name for name in columns if name not in header]
            if missing:
                raise ValueError(f"{path}: missing column(s): {', '.join(missing)}")
        else:
            check_columns(path, header, first, f"file with the columns of {files[0].name}")
        types = _types(path, tree)
        for name in columns or first:
            if first_types.get(name) != types.get(name):
                raise ValueError(
                    f"{path}: column {name} is {types.get(name)}, but {first_types.get(name)} in "
                    f"{files[0]}: the files' schemas differ"
                )
    return first


def _types(path: Path, tree: str | None) -> dict[str, str]:
    """Column types from the metadata of a parquet / ROOT file (none for CSV: parsed later)."""
    return columnar_schema(path, tree=tree) if columnar_format(path) is not None else {}


def _table_meta(path: Path, columns, tree, flatten) -> pd.DataFrame:
    """An empty frame with the columns and dtypes ``read_columnar`` gives for ``path``."""
    schema = columnar_schema(path, tree=tree)
    names = list(schema) if columns is None else list(columns)
    if columnar_format(path) == "parquet":
        import pyarrow.parquet as pq

        return pq.read_schema(path).empty_table().select(names).to_pandas()
    if not flatten:
        refuse_jagged(path, [name for name in names if schema[name].endswith("[]")])
    dtypes = {}
    for name in names:
        kind = schema[name].removesuffix("[]")
        dtypes[name] = np.dtype(_ROOT_TYPES.get(kind, kind))
    return pd.DataFrame({name: np.array([], dtype) for name, dtype in dtypes.items()})


#: ROOT (C++) type names -> numpy.
_ROOT_TYPES = {
    "bool": "bool",
    "float": "float32",
    "double": "float64",
    "int8_t": "int8",
    "uint8_t": "uint8",
    "int16_t": "int16",
    "uint16_t": "uint16",
    "int32_t": "int32",
    "uint32_t": "uint32",
    "int64_t": "int64",
    "uint64_t": "uint64",
}
