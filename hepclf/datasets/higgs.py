"""Loading the ATLAS Higgs ML challenge files (CERN Open Data release and the Kaggle files).

Formats, detected from the header:

- ``opendata``: ``atlas-higgs-challenge-2014-v2.csv`` (818,238 events): EventId, 13 DER_, 17 PRI_,
  Weight, Label (s/b), KaggleSet (t/b/v/u), KaggleWeight.
- ``kaggle_training``: ``training.csv`` (250,000 events): EventId, 30 features, Weight, Label.
- ``kaggle_test``: ``test.csv`` (550,000 events): EventId, 30 features.

The same tables are read from parquet and ROOT files (:mod:`hepclf.datasets.columnar`): NaN or
-999.0 for missing values; a ROOT TTree holds numbers only, so there ``Label`` is 0 / 1 (b / s) and
``KaggleSet`` 0, 1, 2, 3 (t, b, v, u; :data:`NUMERIC_CODES`).

The -999.0 sentinel becomes NaN. Weights are expected event counts: within each KaggleSet the
KaggleWeight of each class sums to the totals in :data:`hepclf.schemas.HIGGS_TOTALS`.
"""

from __future__ import annotations

import urllib.error
import urllib.request
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
    HIGGS_FEATURE_COLUMNS,
    HIGGS_FILE_SIZES,
    HIGGS_FORMATS,
    HIGGS_TOTALS,
    KAGGLE_SET_SIZES,
    KAGGLE_SETS,
    KAGGLE_TRAINING_COLUMNS,
    MISSING_SENTINEL,
)

OPEN_DATA_URL = "http://opendata.cern.ch/record/328/files/atlas-higgs-challenge-2014-v2.csv.gz"
OPEN_DATA_FILE = "atlas-higgs-challenge-2014-v2.csv.gz"
OPEN_DATA_RECORD = "https://opendata.cern.ch/record/328 (DOI 10.7483/OPENDATA.ATLAS.ZBP2.M5T8)"

_STRING_COLUMNS = {"Label", "KaggleSet"}
#: The string columns as numbers, for formats without strings (ROOT): value k means codes[k].
NUMERIC_CODES = {"Label": ("b", "s"), "KaggleSet": KAGGLE_SETS}
_INTEGER_COLUMNS = {"EventId", "PRI_jet_num"}


def _dtypes(columns: tuple[str, ...]) -> dict[str, str]:
    return {
        name: ("int64" if name in _INTEGER_COLUMNS else "float64")
        for name in columns
        if name not in _STRING_COLUMNS
    }


def higgs_format(path: str | Path, header: list[str]) -> str:
    """The Higgs ML format (a key of HIGGS_FORMATS) of a header; ValueError naming the file and
    the columns that differ from the closest format otherwise."""
    for name, columns in HIGGS_FORMATS.items():
        if header == list(columns):
            return name
    best = min(HIGGS_FORMATS, key=lambda name: len(set(HIGGS_FORMATS[name]) ^ set(header)))
    check_columns(path, header, HIGGS_FORMATS[best], f"Higgs ML file (closest format {best!r})")
    raise AssertionError("unreachable: check_columns raises for a header that differs")


def load_higgs(path: str | Path, *, partial: bool = False) -> pd.DataFrame:
    """Read a Higgs ML file (Open Data or Kaggle format), checked and with -999.0 as NaN.

    Parameters
    ----------
    path : path
        ``.csv`` or ``.csv.gz``; or ``.parquet`` / ``.root`` holding the same columns.
    partial : bool
        Accept a file with fewer events than the complete release (a deliberate subset such as
        the shared sample). By default an incomplete file is refused, since a file cut at a row
        boundary is otherwise indistinguishable from a smaller data set.

    Returns
    -------
    DataFrame
        The file's columns in order; ``frame.attrs['format']`` names the detected format.

    Raises
    ------
    IncompleteFileError
        Truncated or corrupted file, or (unless ``partial``) fewer events than the release has.
    ValueError
        Wrong columns, labels, KaggleSet codes, negative or non-finite weights, bad jet counts.
    """
    path = Path(path)
    if columnar_format(path) is not None:
        frame, kind = _read_columnar_higgs(path)
    else:
        content, header = read_header(path, read_bytes(path))
        kind = higgs_format(path, header)
        frame = read_complete_csv(path, _dtypes(HIGGS_FORMATS[kind]), content=content)
    _check_values(path, frame)
    if not partial:
        _check_complete(path, frame, kind)
    features = list(HIGGS_FEATURE_COLUMNS)
    frame[features] = frame[features].mask(frame[features] == MISSING_SENTINEL)
    frame.attrs["format"] = kind
    return frame


def _read_columnar_higgs(path: Path) -> tuple[pd.DataFrame, str]:
    """A parquet or ROOT Higgs table with the CSV loader's guarantees: the columns of one format,
    numbers where numbers belong (NaN only for a missing feature), whole numbers for the ids and
    jet counts, and the string columns decoded from :data:`NUMERIC_CODES` where stored as
    numbers."""
    frame = read_columnar(path)
    kind = higgs_format(path, list(frame.columns))
    for name, codes in NUMERIC_CODES.items():
        if name in frame and pd.api.types.is_numeric_dtype(frame[name]):
            values = frame[name].to_numpy()
            if not np.isin(values, np.arange(len(codes))).all():
                raise ValueError(
                    f"{path}: column {name} holds codes other than 0..{len(codes) - 1}"
                )
            frame[name] = np.asarray(codes)[values.astype(np.int64)]
    dtypes = _dtypes(HIGGS_FORMATS[kind])
    return check_numeric_columns(path, frame, dtypes, HIGGS_FEATURE_COLUMNS), kind


def _check_values(path: Path, frame: pd.DataFrame) -> None:
    checks = {"Label": {"s", "b"}, "KaggleSet": set(KAGGLE_SETS)}
    for column, allowed in checks.items():
        if column in frame:
            found = set(frame[column].unique())
            if found - allowed:
                raise ValueError(
                    f"{path}: column {column} has values {sorted(found - allowed)[:5]}, "
                    f"expected {sorted(allowed)}"
                )
    for column in ("Weight", "KaggleWeight"):
        if column in frame:
            values = frame[column].to_numpy()
            bad = ~np.isfinite(values) | (values < 0)
            if bad.any():
                row = int(np.flatnonzero(bad)[0])
                raise ValueError(
                    f"{path}: column {column} has {int(bad.sum())} negative or non-finite "
                    f"weight(s) (first at data row {row + 1:,}: {values[row]})"
                )
    jets = frame["PRI_jet_num"].to_numpy()
    if ((jets < 0) | (jets > 3)).any():
        raise ValueError(f"{path}: column PRI_jet_num must be 0, 1, 2 or 3")
    check_unique_ids(path, frame, "EventId")


def _check_complete(path: Path, frame: pd.DataFrame, kind: str) -> None:
    expected = HIGGS_FILE_SIZES[kind]
    hint = "pass partial=True to load a deliberate subset"
    if len(frame) != expected:
        raise IncompleteFileError(
            f"{path}: {len(frame):,} events, but the complete {kind} file has {expected:,}: the "
            f"file is incomplete (an interrupted download?); {hint}"
        )
    if kind != "opendata":
        return
    for code, size in KAGGLE_SET_SIZES.items():
        found = int((frame["KaggleSet"] == code).sum())
        if found != size:
            raise IncompleteFileError(
                f"{path}: KaggleSet {code!r} has {found:,} events, not {size:,}"
            )
    signal = frame["Label"] == "s"
    for label, mask, total in (
        ("signal", signal, HIGGS_TOTALS.signal),
        ("background", ~signal, HIGGS_TOTALS.background),
    ):
        found = frame.loc[mask, "Weight"].sum()
        if not np.isclose(found, total, rtol=1e-6, atol=0):
            raise IncompleteFileError(
                f"{path}: the {label} Weight sums to {found:.9g}, not {total:.9g}: the file is not "
                "the complete release"
            )


def select_kaggle_set(frame: pd.DataFrame, kaggle_set: str) -> pd.DataFrame:
    """The events of one KaggleSet, in the Kaggle layout: ``Weight`` holds their KaggleWeight.

    Set ``'t'`` gives the Kaggle ``training.csv`` (250,000 events); ``'b'`` and ``'v'`` the public
    and private leaderboard sets; ``'u'`` the unused events. KaggleWeight is normalised per set, so
    each set on its own carries the full luminosity and can be scored with AMS as it is.

    Raises
    ------
    TypeError
        ``frame`` is not a table (a number, None).
    ValueError
        ``frame`` has no KaggleSet or KaggleWeight column (it is not in the Open Data format),
        ``kaggle_set`` is not one of 't', 'b', 'v', 'u', or ``frame`` has no event of that set.
    """
    if not isinstance(frame, pd.DataFrame):
        raise TypeError(f"frame must be a pandas DataFrame, got {type(frame).__name__}")
    for column in ("KaggleSet", "KaggleWeight", "Weight"):
        if column not in frame:
            raise ValueError(f"frame has no {column} column: it is not in the Open Data format")
    if kaggle_set not in KAGGLE_SETS:
        raise ValueError(f"kaggle_set must be one of {list(KAGGLE_SETS)}, got {kaggle_set!r}")
    chosen = frame.loc[frame["KaggleSet"] == kaggle_set]
    if chosen.empty:
        raise ValueError(f"frame has no events of KaggleSet {kaggle_set!r}")
    chosen = chosen.drop(columns=["Weight", "KaggleSet"]).rename(columns={"KaggleWeight": "Weight"})
    return chosen[list(KAGGLE_TRAINING_COLUMNS)]


def download_higgs(dest: str | Path, *, url: str = OPEN_DATA_URL, timeout: float = 10.0) -> Path:
    """Fetch the CERN Open Data Higgs ML file into folder ``dest`` and verify it completely.

    The file (about 60 MB) is written to a temporary name, loaded with :func:`load_higgs` (which
    checks the gzip stream, every row, the event counts and the weight totals) and only then
    renamed. Without a network the call fails within ``timeout`` seconds, saying where to get the
    file by hand and where to put it.

    Returns
    -------
    Path
        The verified file.

    Raises
    ------
    ConnectionError
        The download fails or times out (no network), or the partial file cannot be written;
        the message says where to get the file by hand.
    IncompleteFileError
        The downloaded file is truncated, corrupted or incomplete (:func:`load_higgs`); it is
        deleted.
    ValueError
        The downloaded file is not the Higgs ML release (columns, labels, weights); it is deleted.
    OSError
        The folder ``dest`` cannot be created (a file has its name, no permission).
    """
    folder = Path(dest)
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / OPEN_DATA_FILE
    partial_file = folder / (OPEN_DATA_FILE + ".part")
    try:
        with (
            urllib.request.urlopen(url, timeout=timeout) as response,
            open(partial_file, "wb") as out,
        ):
            while chunk := response.read(1 << 20):
                out.write(chunk)
    except (urllib.error.URLError, OSError, TimeoutError) as error:
        partial_file.unlink(missing_ok=True)
        raise ConnectionError(
            f"could not download {url} ({error}). Without a network, get "
            f"{OPEN_DATA_FILE} from {OPEN_DATA_RECORD} by hand, put it at {target}, and load it "
            "with hepclf.datasets.load_higgs(path)."
        ) from error
    try:
        load_higgs(partial_file)
    except ValueError:
        partial_file.unlink(missing_ok=True)
        raise
    partial_file.replace(target)
    return target
