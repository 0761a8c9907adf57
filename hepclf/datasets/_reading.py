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
    """The file is truncated or corrupted: it must not be read as a shorter table.

    A subclass of ValueError, so ``except ValueError`` catches it with the other refusals of a bad
    file.

    Raises
    ------
    IncompleteFileError
        Raised by :func:`hepclf.datasets.load_higgs`, :func:`hepclf.datasets.load_flavours` and
        :func:`hepclf.datasets.load_higgs_sample` for a gzip stream that ends early or fails its
        check, an empty file, a last row cut short, bytes that are not text, empty or malformed
        fields, or (unless ``partial``) fewer events or a different content than the release.
    """


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


#: The UTF-8 byte-order mark some spreadsheet programs put before the header.
_BYTE_ORDER_MARK = b"\xef\xbb\xbf"


def read_header(path: str | Path, content: bytes) -> tuple[bytes, list[str]]:
    """The content without a UTF-8 byte-order mark, and the header's column names.

    Raises IncompleteFileError for an empty file, ValueError for a column named twice.
    """
    if content.startswith(_BYTE_ORDER_MARK):
        content = content[len(_BYTE_ORDER_MARK) :]
    if not content.strip():
        raise IncompleteFileError(f"{path}: the file is empty")
    header = content.split(b"\n", 1)[0].decode("ascii", errors="replace").strip().split(",")
    seen: set[str] = set()
    for name in header:
        if name in seen:
            raise ValueError(f"{path}: column {name} appears twice in the header")
        seen.add(name)
    return content, header


def check_columns(path: str | Path, header: list[str], expected, what: str) -> None:
    """Refuse a header that is not exactly ``expected`` (names and order), saying what differs."""
    expected = list(expected)
    if header == expected:
        return
    missing = [c for c in expected if c not in header]
    unexpected = [c for c in header if c not in expected]
    details = []
    if missing:
        details.append(f"missing column(s): {', '.join(missing)}")
    if unexpected:
        details.append(f"unexpected column(s): {', '.join(unexpected)}")
    if not details:
        first = next(i for i, (a, b) in enumerate(zip(header, expected, strict=True)) if a != b)
        details.append(f"columns out of order (column {first + 1} is {header[first]}, "
                       f"expected {expected[first]})")  # fmt: skip
    raise ValueError(f"{path}: not a {what} ({'; '.join(details)})")


def check_unique_ids(path: str | Path, frame: pd.DataFrame, column: str) -> None:
    """Refuse a table whose ``column`` (the event id) repeats, naming the first repeated id."""
    repeated = frame[column].duplicated()
    if repeated.any():
        row = int(np.flatnonzero(repeated.to_numpy())[0])
        raise ValueError(
            f"{path}: column {column}, data row {row + 1:,}: id {frame[column].iloc[row]} appears "
            f"more than once ({int(repeated.sum()):,} repeated id(s))"
        )


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
        raise IncompleteFileError(
            f"{path}: {_first_malformed_cell(data, parse_as, error)}"
        ) from error
    empty = frame.isna().any()
    if empty.any():
        column = str(empty[empty].index[0])
        row = int(np.flatnonzero(frame[column].isna().to_numpy())[0])
        raise IncompleteFileError(
            f"{path}: empty or missing values (first in column {column}, data row {row + 1:,}); "
            "the real files have none: the file is truncated or corrupted"
        )
    for name, dtype in dtypes.items():
        if name not in frame:
            continue
        values = frame[name].to_numpy()
        bad = ~np.isfinite(values)
        if np.dtype(dtype).kind in "iu":  # whole numbers that int64 holds exactly
            bad |= (values != np.round(values)) | (np.abs(values) > 2.0**53)
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            kind = "a whole number" if np.dtype(dtype).kind in "iu" else "a finite number"
            raise ValueError(
                f"{path}: column {name}, data row {row + 1:,}: {values[row]!r} is not {kind} "
                f"({int(bad.sum()):,} such value(s))"
            )
        if np.dtype(dtype).kind in "iu":
            frame[name] = values.astype(dtype)
    return frame


def _first_malformed_cell(data: bytes, numeric: Mapping[str, str], error: Exception) -> str:
    """Where the first value that is not a number sits (column and data row), for the message."""
    try:
        text = pd.read_csv(io.BytesIO(data), dtype=str, engine="c", keep_default_na=False)
    except (ValueError, pd.errors.ParserError):
        return f"malformed content: {error}"
    for name in numeric:
        if name in text:
            cells = text[name].str.strip()
            bad = pd.to_numeric(cells, errors="coerce").isna() & (cells != "")
            if bad.any():
                row = int(np.flatnonzero(bad.to_numpy())[0])
                return (
                    f"column {name}, data row {row + 1:,}: {cells.iloc[row]!r} is not a number "
                    "(the file is corrupted, or not this format)"
                )
    return f"malformed content: {error}"
