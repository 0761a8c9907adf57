"""The catalogue of published Higgs ML AMS claims, shipped with hepclf, each with its verdict.

``hepclf/data/ams_claims.csv`` holds one row per published number (a paper's public and private
values are two rows of the same ``entry``): the source and year, the value, and the protocol as
stated, in the fields of :class:`hepclf.audit.StatedProtocol` (an empty field: not stated), with
the protocol in the source's words and a link. Adding a claim is adding a row, with its source.
:func:`audit_catalogue` gives each row the verdict of :func:`hepclf.audit.explain_claim`.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from hepclf._utils import check_required_columns
from hepclf.audit.claims import StatedProtocol, explain_claim

CATALOGUE_FILE = "ams_claims.csv"
#: The columns of the catalogue, and which of them are the stated protocol.
CATALOGUE_COLUMNS = (
    "entry", "source", "year", "value", "scored", "weights", "fraction", "cut_on", "br", "formula",
    "in_sample", "protocol_as_stated", "link", "remark",
)  # fmt: skip
PROTOCOL_FIELDS = ("scored", "weights", "fraction", "cut_on", "br", "formula", "in_sample")


def catalogue_path() -> Path:
    """Where the packaged catalogue is installed.

    Raises
    ------
    Nothing is raised: the path is returned without looking at the file. Reading a missing
    catalogue (a damaged installation) fails in :func:`load_catalogue` with FileNotFoundError.
    """
    return Path(str(resources.files("hepclf").joinpath("data", CATALOGUE_FILE)))


def load_catalogue(path: str | Path | None = None) -> pd.DataFrame:
    """The catalogue of published claims (default: the packaged one), checked.

    Every row must have a source and a positive value, and its protocol fields must be values
    :class:`StatedProtocol` accepts.

    Raises
    ------
    TypeError
        ``path`` is not a string or path, or a ``value`` cell is not a number.
    FileNotFoundError
        There is no file at ``path``.
    ValueError
        The file is not a CSV pandas can parse (pandas' ParserError and EmptyDataError are
        ValueErrors), lacks a catalogue column, or a row has no source, a value that is not
        finite and positive, or a protocol field :class:`StatedProtocol` refuses (the message
        names the row).

    Examples
    --------
    >>> claims = load_catalogue()
    >>> claims.loc[claims.value.idxmax(), "source"].startswith("Strong, reproduction")
    True
    """
    path = catalogue_path() if path is None else Path(path)
    frame = pd.read_csv(path, dtype={"scored": str, "weights": str, "cut_on": str, "formula": str})
    check_required_columns(frame.columns, CATALOGUE_COLUMNS, str(path))
    for index, row in frame.iterrows():
        if not (isinstance(row["source"], str) and row["source"].strip()):
            raise ValueError(f"{path}: row {index + 1} has no source")
        value = pd.to_numeric(pd.Series([row["value"]]), errors="coerce").iloc[0]
        if not (np.isfinite(value) and value > 0):
            raise ValueError(
                f"{path}: row {index + 1} has value {row['value']!r}, not a positive AMS"
            )
        try:
            stated_protocol(row)
        except (TypeError, ValueError) as error:
            raise ValueError(f"{path}: row {index + 1} ({row['source']}): {error}") from error
    return frame


def _as_flag(value: object, name: str) -> bool:
    """A yes/no field of the catalogue: a bool, 0/1, or the words True/False (never any truthy
    string: 'False' is False)."""
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    text = str(value).strip().lower()
    if text in ("true", "1", "1.0"):
        return True
    if text in ("false", "0", "0.0"):
        return False
    raise ValueError(f"{name} must be True or False, got {value!r}")


def stated_protocol(row: pd.Series) -> StatedProtocol:
    """The protocol a catalogue row states (empty fields: not stated)."""
    values = {}
    for name in PROTOCOL_FIELDS:
        value = row[name]
        if isinstance(value, float) and np.isnan(value):
            continue
        values[name] = _as_flag(value, name) if name == "in_sample" else value
    return StatedProtocol(**values)


def audit_catalogue(claims: pd.DataFrame | None = None) -> pd.DataFrame:
    """Every claim of the catalogue with its verdict.

    Returns
    -------
    DataFrame
        The catalogue's ``entry, source, year, value, scored, protocol_as_stated, link`` and
        ``verdict``, ``equivalent`` (the equivalent correctly normalised AMS), ``sigma``, ``z``
        (against the Kaggle winner), ``reasons`` (joined).

    Raises
    ------
    TypeError
        ``claims`` is neither None nor a DataFrame, or a row's value or protocol field is of a
        kind :func:`explain_claim` refuses.
    ValueError
        A row's value is not positive or a protocol field is not an accepted value
        (:class:`StatedProtocol`); with ``claims=None``, whatever :func:`load_catalogue` refuses
        in the packaged file.
        A given ``claims`` frame lacks a catalogue column.
    """
    if claims is None:
        claims = load_catalogue()
    elif not isinstance(claims, pd.DataFrame):
        raise TypeError(f"claims must be a DataFrame (load_catalogue), got {type(claims).__name__}")
    else:
        check_required_columns(claims.columns, CATALOGUE_COLUMNS, "claims")
    rows = []
    for _, row in claims.iterrows():
        protocol = stated_protocol(row)
        verdict = explain_claim(float(row["value"]), **protocol.__dict__)
        rows.append(
            {
                "entry": row["entry"],
                "source": row["source"],
                "year": row["year"],
                "value": float(row["value"]),
                "scored": row["scored"] if isinstance(row["scored"], str) else "not stated",
                "protocol_as_stated": row["protocol_as_stated"],
                "verdict": verdict.verdict,
                "equivalent": verdict.equivalent,
                "sigma": verdict.sigma,
                "z": verdict.z,
                "reasons": " | ".join(verdict.reasons),
                "link": row["link"] if isinstance(row["link"], str) else "",
            }
        )
    return pd.DataFrame(rows)
