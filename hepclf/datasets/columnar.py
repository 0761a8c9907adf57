"""The columnar formats of HEP: parquet (pyarrow) and ROOT TTrees (uproot), read whole or refused.

A parquet file is a table; a ROOT file holds one or more TTrees whose branches are columns. A
branch may be *jagged* (a variable number of values per event, e.g. the muons of an event): a
table has one row per event, so a jagged branch is refused with a message naming it, or, when the
caller asks with ``flatten=True``, every jagged branch is flattened into one row per element (the
flat branches repeated along), which needs every jagged branch of the selection to have the same
number of elements in each event.

A damaged file (a footer that does not parse, a column chunk that does not decompress) raises
:class:`~hepclf.datasets.IncompleteFileError` naming the file: never a shorter table.

>>> import pandas as pd, tempfile, pathlib
>>> from hepclf.datasets.columnar import read_columnar
>>> path = pathlib.Path(tempfile.mkdtemp()) / "events.parquet"
>>> pd.DataFrame({"pt": [1.5, 2.5]}).to_parquet(path)
>>> read_columnar(path)["pt"].tolist()
[1.5, 2.5]
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf.datasets._reading import IncompleteFileError

__all__ = [
    "COLUMNAR_FORMATS",
    "columnar_format",
    "check_numeric_columns",
    "columnar_schema",
    "read_columnar",
    "refuse_jagged",
]

#: File-name endings -> columnar format.
COLUMNAR_FORMATS = {".parquet": "parquet", ".pq": "parquet", ".root": "root"}


def columnar_format(path: str | Path) -> str | None:
    """'parquet' or 'root' from how ``path`` ends, None for any other file (e.g. CSV)."""
    name = Path(path).name.lower()
    return next((kind for end, kind in COLUMNAR_FORMATS.items() if name.endswith(end)), None)


def _require(module: str, extra: str):
    try:
        return __import__(module)
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError(
            f"{module} is needed for this file: pip install 'hepclf[{extra}]'"
        ) from error


def _existing(path: str | Path) -> Path:
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    kind = columnar_format(path)
    if kind is None:
        raise ValueError(
            f"{path}: not a columnar file (expected one of {', '.join(COLUMNAR_FORMATS)})"
        )
    return path


def _tree(path: Path, tree: str | None):
    """The TTree ``tree`` of a ROOT file, or its only TTree when ``tree`` is None."""
    uproot = _require("uproot", "root")
    try:
        file = uproot.open(path)
        objects = file.classnames()
    except Exception as error:  # uproot raises several kinds for a file it cannot parse
        raise IncompleteFileError(f"{path}: not a readable ROOT file ({error})") from error
    trees = [key.split(";")[0] for key, kind in objects.items() if kind == "TTree"]
    if not trees:
        raise ValueError(
            f"{path}: holds no TTree (its objects: {objects or 'none'}): not a file of events, "
            "or a damaged one"
        )
    if tree is None:
        if len(set(trees)) != 1:
            raise ValueError(f"{path}: holds TTrees {sorted(set(trees))}: pass tree= to choose one")
        tree = trees[0]
    if tree not in trees:
        raise ValueError(f"{path}: no TTree {tree!r} (it holds {sorted(set(trees))})")
    return file[tree]


def columnar_schema(path: str | Path, *, tree: str | None = None) -> dict[str, str]:
    """Column name -> type of a parquet file or of a ROOT TTree, from its metadata only.

    Jagged ROOT branches show as e.g. ``'float[]'``; the data themselves are not read, so a file
    whose footer or header is damaged is refused here (IncompleteFileError naming it)."""
    path = _existing(path)
    if columnar_format(path) == "root":
        return {name: str(kind) for name, kind in _tree(path, tree).typenames().items()}
    parquet = _require("pyarrow.parquet", "parquet").parquet
    try:
        schema = parquet.read_schema(path)
    except Exception as error:  # pyarrow raises ArrowInvalid / OSError for damaged files
        raise IncompleteFileError(f"{path}: not a readable parquet file ({error})") from error
    return {name: str(schema.field(name).type) for name in schema.names}


def read_columnar(
    path: str | Path,
    *,
    columns: Sequence[str] | None = None,
    tree: str | None = None,
    flatten: bool = False,
) -> pd.DataFrame:
    """Read a parquet file or a ROOT TTree completely into a DataFrame.

    Parameters
    ----------
    path : path
        ``.parquet`` / ``.pq`` or ``.root``.
    columns : sequence of str, optional
        The columns (ROOT: branches) to read, in this order; by default every one.
    tree : str, optional
        ROOT: the TTree's name (needed only when the file holds several).
    flatten : bool
        ROOT: flatten jagged branches into one row per element instead of refusing them.

    Raises
    ------
    IncompleteFileError
        The file is damaged (it names the file).
    ValueError
        A column asked for is not in the file; a jagged branch without ``flatten``; jagged
        branches of different lengths in the same event with ``flatten``.
    """
    path = _existing(path)
    schema = columnar_schema(path, tree=tree)
    wanted = list(schema) if columns is None else list(columns)
    missing = [name for name in wanted if name not in schema]
    if missing:
        raise ValueError(f"{path}: missing column(s): {', '.join(missing)}")
    if columnar_format(path) == "parquet":
        try:
            return pd.read_parquet(path, columns=wanted)
        except Exception as error:
            raise IncompleteFileError(f"{path}: damaged parquet data ({error})") from error
    return _read_tree(path, _tree(path, tree), wanted, flatten)


def refuse_jagged(path: str | Path, jagged: Sequence[str]) -> None:
    """Raise ValueError naming the jagged branches of ``path`` (if any) and what to do."""
    if jagged:
        raise ValueError(
            f"{path}: branch(es) {', '.join(jagged)} are jagged (a variable number of values per "
            "event): select flat branches, or pass flatten=True for one row per element"
        )


def _read_tree(path: Path, ttree, branches: list[str], flatten: bool) -> pd.DataFrame:
    awkward = _require("awkward", "root")
    try:
        arrays = ttree.arrays(branches, library="ak")
    except Exception as error:  # uproot raises several kinds for undecodable baskets
        raise IncompleteFileError(f"{path}: damaged ROOT data ({error})") from error
    jagged = [name for name in branches if arrays[name].ndim > 1]
    if not flatten:
        refuse_jagged(path, jagged)
    if jagged:
        counts = [awkward.num(arrays[name], axis=1) for name in jagged]
        unequal = [
            name for name, n in zip(jagged, counts, strict=True) if not awkward.all(n == counts[0])
        ]
        if unequal:
            raise ValueError(
                f"{path}: jagged branches {jagged[0]} and {unequal[0]} have different numbers of "
                "elements in some events: flatten them in separate reads"
            )
        repeats = awkward.to_numpy(counts[0])
        columns = {
            name: (
                awkward.to_numpy(awkward.flatten(arrays[name]))
                if name in jagged
                else np.repeat(awkward.to_numpy(arrays[name]), repeats)
            )
            for name in branches
        }
    else:
        columns = {name: awkward.to_numpy(arrays[name]) for name in branches}
    return pd.DataFrame(columns)


def check_numeric_columns(
    path: str | Path,
    frame: pd.DataFrame,
    dtypes: dict[str, str],
    missing_allowed: Sequence[str] = (),
) -> pd.DataFrame:
    """The columns of ``dtypes`` of a columnar table as those dtypes, checked as the CSV loader
    checks them: numbers, finite (NaN only in ``missing_allowed``: a missing value), whole
    numbers for integer dtypes. ValueError naming the file, column and first bad row."""
    for name, dtype in dtypes.items():
        if not pd.api.types.is_numeric_dtype(frame[name]):
            raise ValueError(f"{path}: column {name} holds {frame[name].dtype}, not numbers")
        values = frame[name].to_numpy(np.float64)
        bad = np.isinf(values) if name in missing_allowed else ~np.isfinite(values)
        if np.dtype(dtype).kind == "i":
            bad |= values != np.round(values)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            raise ValueError(
                f"{path}: column {name}, data row {row + 1:,}: {values[row]!r} is not a valid "
                f"value ({int(bad.sum()):,} such value(s))"
            )
        frame[name] = values.astype(dtype)
    return frame
