"""Writing event tables: CSV (as the challenge files are) or parquet, chosen by the file name.

>>> import pandas as pd, tempfile, pathlib
>>> from hepclf.datasets.writing import read_table, write_table
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> frame = pd.DataFrame({"EventId": [1, 2], "pt": [1.5, float("nan")]})
>>> read_table(write_table(frame, folder / "events.csv.gz")).equals(frame)
True
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

__all__ = ["TABLE_FORMATS", "check_output_path", "read_table", "table_format", "write_table"]

#: File-name endings -> format.
TABLE_FORMATS = {".csv": "csv", ".csv.gz": "csv", ".parquet": "parquet", ".pq": "parquet"}


def table_format(path: str | Path, argument: str = "path") -> str:
    """'csv' or 'parquet', from how ``path`` ends (:data:`TABLE_FORMATS`); ValueError otherwise.

    Raises
    ------
    TypeError
        ``path`` is not a string or path.
    ValueError
        ``path`` does not end with one of the endings of :data:`TABLE_FORMATS`.
    """
    name = Path(path).name.lower()
    for ending, kind in sorted(TABLE_FORMATS.items(), key=lambda item: -len(item[0])):
        if name.endswith(ending):
            return kind
    endings = ", ".join(TABLE_FORMATS)
    raise ValueError(f"{argument}: {path} must end with one of {endings} (CSV or parquet)")


def _require_pyarrow() -> None:
    try:
        import pyarrow  # noqa: F401
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise ImportError("parquet needs pyarrow: pip install 'hepclf[parquet]'") from error


def check_output_path(path: str | Path, argument: str = "path") -> str:
    """Check, before any work, that a table can be written to ``path``: a known format
    (:func:`table_format`, returned) in an existing folder, and pyarrow for parquet.

    Raises
    ------
    TypeError
        ``path`` is not a string or path.
    ValueError
        ``path`` does not end with .csv, .csv.gz, .parquet or .pq.
    ImportError
        ``path`` names a parquet file and pyarrow is not installed.
    FileNotFoundError
        The folder of ``path`` does not exist.
    """
    path = Path(path)
    kind = table_format(path, argument)
    if kind == "parquet":
        _require_pyarrow()
    if not path.parent.is_dir():
        raise FileNotFoundError(f"{argument}: folder {path.parent} does not exist")
    return kind


def write_table(
    frame: pd.DataFrame,
    path: str | Path,
    *,
    argument: str = "path",
    float_format: str | None = "%.17g",
) -> Path:
    """Write ``frame`` (without its index) to ``path``, CSV or parquet by its name; return it.

    CSV floats are written with ``float_format`` (17 significant digits: they read back bit for
    bit); NaN is an empty field. The file is written beside ``path`` first and renamed when
    complete, so an interrupted write never leaves a partial file under the final name.

    Raises
    ------
    TypeError
        ``path`` is not a string or path.
    ValueError
        ``path`` does not end with .csv, .csv.gz, .parquet or .pq.
    ImportError
        ``path`` names a parquet file and pyarrow is not installed.
    FileNotFoundError
        The folder of ``path`` does not exist.
    """
    path = Path(path)
    kind = check_output_path(path, argument)
    partial = path.with_name(path.name + ".partial")
    if kind == "csv":
        compression = "gzip" if path.name.lower().endswith(".gz") else None
        frame.to_csv(partial, index=False, float_format=float_format, compression=compression)
    else:
        frame.to_parquet(partial, index=False)
    partial.replace(path)
    return path


def read_table(path: str | Path, *, argument: str = "path") -> pd.DataFrame:
    """Read a table written by :func:`write_table` (CSV or parquet by its name).

    Raises
    ------
    TypeError
        ``path`` is not a string or path.
    ValueError
        ``path`` does not end with .csv, .csv.gz, .parquet or .pq.
    FileNotFoundError
        There is no file at ``path``.
    ImportError
        ``path`` names a parquet file and pyarrow is not installed.
    """
    path = Path(path)
    kind = table_format(path, argument)
    if not path.is_file():
        raise FileNotFoundError(f"{argument}: no such file {path}")
    if kind == "parquet":
        _require_pyarrow()
        return pd.read_parquet(path)
    return pd.read_csv(path)
