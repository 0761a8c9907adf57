"""Loading the four Flavours of Physics (tau -> mu mu mu) files.

- ``training``: simulated signal (``signal == 1``) and real-data background (``signal == 0``),
  with ``production``, ``mass`` and ``min_ANNmuon``, which the test file lacks (never use them).
- ``check_agreement``: the control channel Ds -> phi pi; ``signal == 1`` simulation, ``0`` real data
  with sWeights in ``weight`` (which can be negative).
- ``check_correlation``: real background events with their ``mass``, for the CvM test.
- ``test``: the events to classify.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf.datasets._reading import (
    IncompleteFileError,
    check_columns,
    check_unique_ids,
    read_bytes,
    read_complete_csv,
    read_header,
)
from hepclf.datasets.columnar import check_numeric_columns, columnar_format, read_columnar
from hepclf.schemas import (
    FLAVOURS_INTEGER_FEATURES,
    FLAVOURS_SCHEMAS,
    FLAVOURS_TABLE_SIZES,
    FLAVOURS_TABLES,
)

#: Size (bytes) and SHA-256 of the complete, uncompressed files (shared/data/README.md).
COMPLETE_FILES = {
    "training": (53_118_097, "5221bd8470691134ac7dbaac07696ad5a719a40b561e4ff14d907de96e20599a"),
    "check_agreement": (
        254_358_077,
        "8eb5dd36213ff36af0a67ae03228543a073b93df3e2d436738d1fd1dd0da674e",
    ),
    "check_correlation": (
        4_195_699,
        "197a063a3ee3258a128dc8b71abd7d43f45ab1d18027b2d2310a12221a67b9ea",
    ),
    "test": (638_751_056, "af88fc5ce05b454b4cef37fa943707cf15d10d09acc2d6eae2a7a9a56e579918"),
}
#: Events in the complete files: every table read without ``partial`` must have its count (a
#: file cut at a row boundary is otherwise indistinguishable from a smaller table).
COMPLETE_SIZES = dict(FLAVOURS_TABLE_SIZES)


def _find(folder: Path, table: str) -> Path | None:
    for name in (f"{table}.csv", f"{table}.csv.gz", f"flavours_{table}.csv.gz", f"{table}.parquet"):
        if (folder / name).is_file():
            return folder / name
    return None


def load_flavours(
    folder: str | Path | None = None,
    *,
    training: str | Path | None = None,
    check_agreement: str | Path | None = None,
    check_correlation: str | Path | None = None,
    test: str | Path | None = None,
    verify: bool | None = None,
    partial: bool = False,
) -> dict[str, pd.DataFrame]:
    """Read the Flavours files that are present, each schema-checked and complete.

    Parameters
    ----------
    folder : path, optional
        Looked in for ``training.csv``, ``check_agreement.csv``, ``check_correlation.csv``,
        ``test.csv`` (each also as ``.csv.gz`` or ``.parquet``; explicit paths may also be ROOT
        files, :mod:`hepclf.datasets.columnar`).
    training, check_agreement, check_correlation, test : path, optional
        Explicit paths; they take precedence over ``folder``.
    verify : bool, optional
        Also compare the size and SHA-256 of each file's content with the complete release
        (:data:`COMPLETE_FILES`), which proves it is the unmodified, complete file. By default
        (None) every table read without ``partial`` is verified; with ``partial`` none is. The
        checksums are those of the released CSV files: a parquet or ROOT copy is checked by its
        event count only.
    partial : bool
        Accept training / check_correlation files with fewer events than the release.

    Returns
    -------
    dict
        Table name -> DataFrame, for every file found. At least one must be found.

    Raises
    ------
    FileNotFoundError
        ``folder`` does not exist, no Flavours file is found, or an explicit path names no file.
    IncompleteFileError
        A file is truncated or corrupted, has fewer events than the release (unless
        ``partial``), or (when verified) differs from the release in size or SHA-256.
    ValueError
        A file has a repeated, missing or unexpected column, a ``signal`` other than 0 or 1, a
        repeated ``id``, or a value that is not a finite (whole) number where one belongs.
    TypeError
        ``folder`` or a path is not a string or path.
    """
    explicit = {
        "training": training,
        "check_agreement": check_agreement,
        "check_correlation": check_correlation,
        "test": test,
    }
    paths: dict[str, Path] = {}
    if folder is not None:
        folder = Path(folder)
        if not folder.is_dir():
            raise FileNotFoundError(f"folder {folder} does not exist")
        for table in FLAVOURS_TABLES:
            found = _find(folder, table)
            if found is not None:
                paths[table] = found
    for table, path in explicit.items():
        if path is not None:
            paths[table] = Path(path)
    if not paths:
        raise FileNotFoundError(
            "no Flavours file found: give folder= (with training.csv, check_agreement.csv, "
            "check_correlation.csv or test.csv) or explicit paths"
        )
    verify = not partial if verify is None else verify
    return {table: _load_table(table, path, verify, partial) for table, path in paths.items()}


def _load_table(table: str, path: Path, verify: bool, partial: bool) -> pd.DataFrame:
    if columnar_format(path) is not None:  # parquet / ROOT: the same columns and checks
        content, frame = None, read_columnar(path)
        header = list(frame.columns)
    else:
        (content, header), frame = read_header(path, read_bytes(path)), None
    expected = FLAVOURS_SCHEMAS[table]
    check_columns(path, header, expected, f"Flavours {table} file")
    integer = {"id", "signal", "production", *FLAVOURS_INTEGER_FEATURES}
    dtypes = {c: ("int64" if c in integer else "float64") for c in expected}
    if frame is None:
        frame = read_complete_csv(path, dtypes, content=content)
    else:
        frame = check_numeric_columns(path, frame, dtypes)
    if "signal" in frame and not frame["signal"].isin([0, 1]).all():
        row = int(np.flatnonzero(~frame["signal"].isin([0, 1]).to_numpy())[0])
        raise ValueError(f"{path}: column signal, data row {row + 1:,}: must be 0 or 1")
    check_unique_ids(path, frame, "id")
    if not partial and table in COMPLETE_SIZES and len(frame) != COMPLETE_SIZES[table]:
        raise IncompleteFileError(
            f"{path}: {len(frame):,} events, but the complete {table} file has "
            f"{COMPLETE_SIZES[table]:,}: the file is incomplete; pass partial=True for a subset"
        )
    if verify and content is not None:  # after the count, which says more about a cut file
        _verify(table, path, content)  # (the checksums are those of the released CSV files)
    frame.attrs["table"] = table
    return frame


def _verify(table: str, path: Path, content: bytes) -> None:
    size, digest = COMPLETE_FILES[table]
    if len(content) != size:
        raise IncompleteFileError(
            f"{path}: {len(content):,} bytes of content, the complete {table}.csv has {size:,}"
        )
    found = hashlib.sha256(content).hexdigest()
    if found != digest:
        raise IncompleteFileError(f"{path}: SHA-256 {found} differs from the release's {digest}")
