"""Bad input to the loaders, table-driven: each row a damaged or wrong file, the error it must
raise and the words its message must hold (the column, the row or id). Nothing is returned for any
of them: a loader returns a complete, checked table or raises."""

from __future__ import annotations

import gzip

import pandas as pd
import pytest

from hepclf.datasets import IncompleteFileError, load_flavours, load_higgs
from hepclf.simulate import simulate_flavours


@pytest.fixture(scope="module")
def higgs_text(higgs_sample_path) -> str:
    """The first 200 real events, as the Open Data file writes them."""
    lines = gzip.decompress(higgs_sample_path.read_bytes()).decode().splitlines(keepends=True)
    return "".join(lines[:201])


@pytest.fixture(scope="module")
def flavours_text() -> dict[str, str]:
    tables = simulate_flavours(0, training=100, check_agreement=100, check_correlation=100,
                               test=100)  # fmt: skip
    return {name: t.to_csv(index=False, float_format="%.17g") for name, t in tables.items()}


def _cell(text: str, row: int, column: str, value: str) -> str:
    """``text`` with the cell (data row ``row``, 1-based; ``column``) replaced by ``value``."""
    lines = text.splitlines(keepends=True)
    header = lines[0].rstrip("\n").split(",")
    cells = lines[row].rstrip("\n").split(",")
    cells[header.index(column)] = value
    lines[row] = ",".join(cells) + "\n"
    return "".join(lines)


def _header(text: str, change) -> str:
    first, rest = text.split("\n", 1)
    return change(first) + "\n" + rest


HIGGS_CASES = {
    "empty file": (lambda t: "", IncompleteFileError, ["the file is empty"]),
    "header only, whitespace": (lambda t: "\n\n", IncompleteFileError, ["the file is empty"]),
    "inf in a PRI_ column": (
        lambda t: _cell(t, 7, "PRI_tau_pt", "inf"), ValueError,
        ["column PRI_tau_pt, data row 7", "not a finite number"],
    ),
    "-inf in a DER_ column": (
        lambda t: _cell(t, 3, "DER_mass_vis", "-inf"), ValueError,
        ["column DER_mass_vis, data row 3"],
    ),
    "EventId beyond int64": (
        lambda t: _cell(t, 5, "EventId", "1e20"), ValueError,
        ["column EventId, data row 5", "not a whole number"],
    ),
    "EventId not whole": (
        lambda t: _cell(t, 2, "EventId", "100001.5"), ValueError, ["column EventId, data row 2"],
    ),
    "a word where a number belongs": (
        lambda t: _cell(t, 9, "DER_pt_h", "abc"), IncompleteFileError,
        ["column DER_pt_h, data row 9", "'abc' is not a number"],
    ),
    "duplicated EventId": (
        lambda t: _cell(t, 4, "EventId", t.splitlines()[1].split(",")[0]), ValueError,
        ["column EventId, data row 4", "appears more than once"],
    ),
    "a column named twice": (
        lambda t: _header(t, lambda h: h.replace("DER_pt_h", "DER_mass_vis")), ValueError,
        ["column DER_mass_vis appears twice"],
    ),
    "columns out of order": (
        lambda t: _header(t, lambda h: h.replace("DER_pt_h,DER_deltaeta_jet_jet",
                                                 "DER_deltaeta_jet_jet,DER_pt_h")),
        ValueError, ["columns out of order", "DER_deltaeta_jet_jet"],
    ),  # fmt: skip
    "a missing column": (
        lambda t: _header(t, lambda h: h.replace("DER_pt_h", "something")), ValueError,
        ["missing column(s): DER_pt_h", "unexpected column(s): something"],
    ),
    "an unknown label": (lambda t: _cell(t, 6, "Label", "x"), ValueError, ["column Label"]),
    "a negative weight": (
        lambda t: _cell(t, 8, "Weight", "-1"), ValueError, ["column Weight", "data row 8"],
    ),
    "cut mid-row": (lambda t: t[:-20], IncompleteFileError, ["ends in the middle of a row"]),
    "an empty field": (
        lambda t: _cell(t, 10, "PRI_met", ""), IncompleteFileError,
        ["column PRI_met, data row 10"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", HIGGS_CASES)
def test_load_higgs_refuses(case, higgs_text, tmp_path):
    damage, error, words = HIGGS_CASES[case]
    path = tmp_path / "events.csv"
    path.write_text(damage(higgs_text))
    with pytest.raises(error) as raised:
        load_higgs(path, partial=True)
    for word in words:
        assert word in str(raised.value), (case, str(raised.value))
    assert str(path) in str(raised.value)


def test_a_byte_order_mark_is_accepted(higgs_text, tmp_path):
    plain, marked = tmp_path / "plain.csv", tmp_path / "marked.csv"
    plain.write_text(higgs_text)
    marked.write_bytes(b"\xef\xbb\xbf" + higgs_text.encode())
    pd.testing.assert_frame_equal(load_higgs(marked, partial=True), load_higgs(plain, partial=True))


FLAVOURS_CASES = {
    "check_agreement cut at a row boundary": (
        "check_agreement", lambda t: t, {}, IncompleteFileError,
        ["100 events, but the complete check_agreement file has 331,147"],
    ),
    "test cut at a row boundary": (
        "test", lambda t: t, {}, IncompleteFileError,
        ["100 events, but the complete test file has 855,819"],
    ),
    "duplicated id": (
        "check_agreement", lambda t: _cell(t, 3, "id", t.splitlines()[1].split(",")[0]),
        {"partial": True}, ValueError, ["column id, data row 3", "appears more than once"],
    ),
    "inf in mass": (
        "training", lambda t: _cell(t, 5, "mass", "inf"), {"partial": True}, ValueError,
        ["column mass, data row 5"],
    ),
    "inf in weight": (
        "check_agreement", lambda t: _cell(t, 2, "weight", "-inf"), {"partial": True},
        ValueError, ["column weight, data row 2"],
    ),
    "a column named twice": (
        "check_correlation", lambda t: _header(t, lambda h: h.replace("LifeTime", "dira")),
        {"partial": True}, ValueError, ["column dira appears twice"],
    ),
    "signal outside 0/1": (
        "training", lambda t: _cell(t, 4, "signal", "2"), {"partial": True}, ValueError,
        ["column signal, data row 4"],
    ),
    "a word in a number column": (
        "test", lambda t: _cell(t, 7, "IP", "n/a"), {"partial": True}, IncompleteFileError,
        ["column IP, data row 7"],
    ),
    "a simulated table of the release's size is not the release": (
        "check_correlation", None, {}, IncompleteFileError,
        ["bytes of content, the complete check_correlation.csv has 4,195,699"],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", FLAVOURS_CASES)
def test_load_flavours_refuses(case, flavours_text, tmp_path):
    table, damage, options, error, words = FLAVOURS_CASES[case]
    path = tmp_path / f"{table}.csv"
    if damage is None:  # full size, so that only the checksum can tell
        full = simulate_flavours(0, training=0, check_agreement=0, test=0)["check_correlation"]
        path.write_text(full.to_csv(index=False))
    else:
        path.write_text(damage(flavours_text[table]))
    with pytest.raises(error) as raised:
        load_flavours(**{table: path}, **options)
    for word in words:
        assert word in str(raised.value), (case, str(raised.value))
