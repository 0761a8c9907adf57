"""Reading a CSV file completely or not at all.

A download that was interrupted leaves a gzip stream that ends early, or (when a resumed download
spliced two pieces) one that decodes into garbage part way; an uncompressed copy can end in the
middle of a row. pandas can read the intact prefix of such files and return it as if it were the
whole table. :func:`read_complete_csv` refuses every one of these cases with an error that says
what is wrong, and never returns a partial table.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import zlib
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

_CHUNK = 1 << 22


class IncompleteFileError(ValueError):
    """The file is truncated or corrupted: it must not be read as a shorter table."""


def read_bytes(path: str | Path) -> bytes:
    """The whole (decompressed) content of ``path``; gzip is detected by its magic bytes.

    Raises IncompleteFileError for a gzip stream that ends early or fails its CRC / length check.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no such file: {path}")
    with open(path, "rb") as handle:
        magic = handle.read(2)
    if magic != b"\x1f\x8b":
        return path.read_bytes()
    pieces = []
    try:
        with gzip.open(path, "rb") as stream:
            while chunk := stream.read(_CHUNK):
                pieces.append(chunk)
    except (EOFError, gzip.BadGzipFile, zlib.error) as error:
        decoded = sum(len(piece) for piece in pieces)
        raise IncompleteFileError(
            f"{path}: the gzip stream is truncated or corrupt after {decoded:,} decoded bytes "
            f"({error}); the download did not finish: fetch the file again"
        ) from error
    return b"".join(pieces)


def sha256_of_content(path: str | Path) -> tuple[str, int]:
    """SHA-256 and size of the (decompressed) content of ``path``."""
    content = read_bytes(path)
    return hashlib.sha256(content).hexdigest(), len(content)


def check_complete_text(path: str | Path, data: bytes) -> None:
    """Raise IncompleteFileError unless ``data`` (the content of ``path``) is non-empty ASCII text
    whose last row ends with its newline: an empty file, a row cut short, or bytes that are not
    text (an interrupted or spliced download) are refused."""
    if not data:
        raise IncompleteFileError(f"{path}: the file is empty")
    if not data.endswith(b"\n"):
        tail = data[-60:].decode("ascii", errors="replace").splitlines()[-1]
        raise IncompleteFileError(
            f"{path}: the file ends in the middle of a row ({tail!r}): it is truncated"
        )
    try:
        data.decode("ascii")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise IncompleteFileError(
            f"{path}: bytes that are not text at offset {error.start:,} (line {line:,}): the file "
            "is corrupted part way, as an interrupted or spliced download leaves it"
        ) from error


def read_complete_csv(
    path: str | Path,
    dtypes: Mapping[str, str],
    *,
    content: bytes | None = None,
) -> pd.DataFrame:
    """Parse a CSV whose every row is complete and every value well-formed.

    Parameters
    ----------
    path : path
        The file (plain or gzip); used for messages when ``content`` is given.
    dtypes : mapping
        Column name -> numpy dtype for the columns that must parse as numbers; the header must
        hold exactly the columns of ``dtypes`` plus any string columns the caller checks itself.
    content : bytes, optional
        Already decompressed content (to avoid reading twice).

    Raises
    ------
    IncompleteFileError
        Truncated gzip, a last row without its newline, bytes that are not text, empty fields, or
        values that are not numbers where numbers belong.
    """
    path = Path(path)
    data = read_bytes(path) if content is None else content
    check_complete_text(path, data)
    # integers are parsed as floats first, so that a missing field is reported as missing
    parse_as = {name: "float64" for name in dtypes}
    try:
        frame = pd.read_csv(io.BytesIO(data), dtype=parse_as, engine="c", na_filter=True)
    except (ValueError, pd.errors.ParserError) as error:
        raise IncompleteFileError(f"{path}: malformed content: {error}") from error
    empty = frame.isna().any()
    if empty.any():
        column = str(empty[empty].index[0])
        row = int(np.flatnonzero(frame[column].isna().to_numpy())[0])
        raise IncompleteFileError(
            f"{path}: empty or missing values (first in column {column}, data row {row + 1:,}); "
            "the real files have none: the file is truncated or corrupted"
        )
    for name, dtype in dtypes.items():
        if np.dtype(dtype).kind in "iu" and name in frame:
            values = frame[name].to_numpy()
            if not np.array_equal(values, np.round(values)):
                raise IncompleteFileError(f"{path}: column {name} must hold whole numbers")
            frame[name] = values.astype(dtype)
    return frame
