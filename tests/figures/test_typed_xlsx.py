"""The TypedDataSet workbook reader on the real RIVM health monitor files, and on broken workbooks.

Expected values are read in the test with openpyxl (read-only), never with the code under test:
``.`` is suppressed (value NaN, never 0), an empty cell is missing, every other cell is the number
in the text. Broken workbooks are made here from the first rows of the real 2020 18+ file.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path
from typing import Any

import openpyxl
import pytest

from wijkbeeld.figures.catalogue import Polarity, Unit, load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.figures.readers.typed_xlsx import read_typed_xlsx
from wijkbeeld.figures.table import FigureTable

RIVM = "rivm-gezondheidsmonitor-buurt"
F2020 = f"{RIVM}/rivm_gezondheid_2020_18plus.xlsx"
F2020_65 = f"{RIVM}/rivm_gezondheid_2020_65plus.xlsx"
F2012 = f"{RIVM}/rivm_gezondheid_2012_18plus.xlsx"
# ID, Leeftijd, Marges, WijkenEnBuurten, Perioden, Gemeentenaam_1, SoortRegio_2, Codering_3
META = 8
SOURCE = "RIVM/GGD'en/CBS, Gezondheidsmonitor Volwassenen en Ouderen"


def sheet_rows(path: Path, max_row: int | None = None) -> list[list[Any]]:
    """Every row of the first sheet (header first), read with openpyxl in read-only mode."""
    book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = book.worksheets[0]
        return [list(r) for r in sheet.iter_rows(max_row=max_row, values_only=True)]
    finally:
        book.close()


def expected_cell(cell: Any) -> tuple[str, float | None]:
    if cell is None or str(cell).strip() == "":
        return "missing", None
    if str(cell).strip() == ".":
        return "suppressed", None
    return "ok", float(str(cell).strip())


def write_book(path: Path, rows: list[list[Any]]) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for r in rows:
        sheet.append(r)
    book.save(path)
    return path


def cells_of(table: FigureTable) -> dict[tuple[str, str], tuple[str, float, int]]:
    f = table.frame
    return {
        (a, c): (s, v, r)
        for a, c, s, v, r in zip(
            f["area_code"], f["source_column"], f["status"], f["value"], f["row"], strict=True
        )
    }


def assert_matches(table: FigureTable, rows: list[list[Any]]) -> int:
    """Every cell of ``rows`` (header first) is in ``table`` with its status, value and row."""
    header = rows[0]
    got = cells_of(table)
    n = 0
    for i, row in enumerate(rows[1:], start=2):
        code = str(row[3]).strip()
        for j in range(META, len(header)):
            status, value = expected_cell(row[j])
            g_status, g_value, g_row = got[(code, header[j])]
            assert (g_status, g_row) == (status, i), (code, header[j])
            if value is None:
                assert math.isnan(g_value), (code, header[j])
            else:
                assert g_value == value, (code, header[j])
            n += 1
    return n


@pytest.fixture(scope="module")
def rows2020(raw: Path) -> list[list[Any]]:
    return sheet_rows(raw / F2020)


@pytest.fixture(scope="module")
def table2020(raw: Path) -> FigureTable:
    return read_typed_xlsx(raw / F2020, catalogue=load_catalogue())


@pytest.mark.slow
def test_every_cell_of_the_2020_workbook(rows2020: list[list[Any]], table2020: FigureTable) -> None:
    header, body = rows2020[0], rows2020[1:]
    assert len(body) == 17341 and len(header) - META == 35
    assert table2020.n_cells == len(body) * 35
    assert assert_matches(table2020, rows2020) == 17341 * 35
    texts = [str(c).strip() for r in body for c in r[META:] if c is not None]
    by_status = Counter(table2020.frame["status"])
    assert by_status["suppressed"] == texts.count(".") == 24608
    assert by_status["missing"] == sum(1 for r in body for c in r[META:] if c is None) == 52023
    assert table2020.frame.loc[table2020.frame["status"] != "ok", "value"].isna().all()


def test_2020_areas_period_boundary_year_and_source(
    rows2020: list[list[Any]], table2020: FigureTable
) -> None:
    codes = [str(r[3]).strip() for r in rows2020[1:]]
    assert table2020.area_codes == codes
    assert Counter(c[:2] for c in codes) == {"NL": 1, "GM": 355, "WK": 3177, "BU": 13808}
    assert set(table2020.frame["period"]) == {"2020"}
    assert table2020.boundary_year == 2020
    assert table2020.source == SOURCE and table2020.reader == "typed_xlsx"
    names = dict(zip(table2020.frame["area_code"], table2020.frame["area_name"], strict=True))
    # Gemeentenaam_1 names the country and the municipalities, not the wijken and buurten.
    assert names["NL01"] == "Nederland" and names["GM1680"] == "Aa en Hunze"
    assert names["WK168000"] == "" and names["BU03630000"] == ""
    assert not table2020.warnings


def test_catalogue_covers_the_35_columns_with_themes_and_polarity(
    rows2020: list[list[Any]],
) -> None:
    cat = load_catalogue()
    found = [cat.lookup(c) for c in rows2020[0][META:]]
    assert all(ind is not None for ind in found)
    inds = {ind.key: ind for ind in found if ind is not None}
    assert len(inds) == 35
    assert {ind.unit for ind in inds.values()} == {Unit.PERCENT}
    assert {ind.source for ind in inds.values()} == {SOURCE}
    assert all(ind.name_nl and ind.name_en and ind.theme for ind in inds.values())
    for column in ("Eenzaam_28", "ErnstigZeerErnstigEenzaam_29", "Vrijwilligerswerk_33"):
        ind = cat.lookup(column)
        assert ind is not None and ind.theme == "sociale_samenhang"
    rond = cat.lookup("MoeiteMetRondkomen_38")
    health = cat.lookup("ErvarenGezondheidGoedZeerGoed_4")
    noise = cat.lookup("ErnstigeGeluidhinderDoorBuren_37")
    assert rond is not None and rond.theme == "armoede_schulden"
    assert rond.polarity is Polarity.HIGHER_IS_WORSE
    assert health is not None and health.theme == "gezondheid_zorg"
    assert health.polarity is Polarity.HIGHER_IS_BETTER
    assert noise is not None and noise.theme == "wonen"


@pytest.mark.slow
def test_65plus_gets_its_own_keys(raw: Path, table2020: FigureTable) -> None:
    table = read_typed_xlsx(raw / F2020_65, catalogue=load_catalogue())
    keys = set(table.frame["indicator"])
    assert len(keys) == 35 and all(k.endswith("_65plus") for k in keys)
    assert not keys & set(table2020.frame["indicator"])
    assert table.indicators["eenzaam_65plus"].name_nl == "Eenzaam (65+)"
    assert table.indicators["eenzaam_65plus"].theme == "sociale_samenhang"
    assert table.boundary_year == 2020 and table.n_cells == 17341 * 35
    rows = sheet_rows(raw / F2020_65, max_row=400)
    assert assert_matches(table, rows) == 399 * 35


@pytest.mark.slow
def test_2012_wave_is_on_the_2020_indeling(raw: Path) -> None:
    table = read_typed_xlsx(raw / F2012, catalogue=load_catalogue())
    assert set(table.frame["period"]) == {"2012"} and table.boundary_year == 2020
    rows = sheet_rows(raw / F2012, max_row=400)
    assert assert_matches(table, rows) == 399 * 35
    missing = table.frame.groupby("source_column")["status"].apply(lambda s: (s == "missing").all())
    # 2012 did not measure 15 of the 35 indicators: whole columns are empty.
    assert int(missing.sum()) == 15 and bool(missing["Vrijwilligerswerk_33"])


# ---------------------------------------------------------------------------------- broken input


@pytest.fixture(scope="module")
def head(raw: Path) -> list[list[Any]]:
    """Header and the first 40 data rows of the real 2020 18+ workbook."""
    return sheet_rows(raw / F2020, max_row=41)


def _set(rows: list[list[Any]], sheet_row: int, column: str, value: Any) -> list[list[Any]]:
    out = [list(r) for r in rows]
    out[sheet_row - 1][rows[0].index(column)] = value
    return out


def _expect(path: Path, row: int | None, column: str | None, needle: str) -> DataError:
    with pytest.raises(DataError) as err:
        read_figures(path, catalogue=load_catalogue())
    first = err.value.problems[0]
    assert (first.file, first.row, first.column) == (str(path), row, column), str(err.value)
    assert needle in first.message, str(err.value)
    return err.value


def test_small_workbook_reads(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "rivm_2020.xlsx", head)
    table = read_figures(path, catalogue=load_catalogue())
    assert assert_matches(table, head) == 40 * 35


def test_text_in_a_number_column(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "tekst.xlsx", _set(head, 17, "Eenzaam_28", "   veel"))
    err = _expect(path, 17, "Eenzaam_28", "text 'veel' in a number column")
    assert len(err.problems) == 1


def test_percentage_above_100(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "procent.xlsx", _set(head, 9, "Roker_11", "   112.5"))
    _expect(path, 9, "Roker_11", "112.5")


def test_malformed_code(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "code.xlsx", _set(head, 12, "WijkenEnBuurten", "WK1680"))
    _expect(path, 12, "WijkenEnBuurten", "not a CBS area code")


def test_code_and_codering_disagree(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "codering.xlsx", _set(head, 6, "Codering_3", "BU16800099"))
    _expect(path, 6, "Codering_3", "differs from WijkenEnBuurten")


def test_duplicate_row(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "dubbel.xlsx", [*head, head[5]])
    _expect(path, 42, "WijkenEnBuurten", "duplicate")


def test_confidence_bound_rows_are_refused(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "marges.xlsx", _set(head, 8, "Marges", "MOG0095"))
    _expect(path, 8, "Marges", "only the estimate (MW00000)")


def test_unknown_age_group(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "leeftijd.xlsx", _set(head, 4, "Leeftijd", 53115))
    _expect(path, 4, "Leeftijd", "age group '53115' unknown")


def test_empty_row_inside_the_table(head: list[list[Any]], tmp_path: Path) -> None:
    rows = [*head[:20], [None] * len(head[0]), *head[20:]]
    path = write_book(tmp_path / "gat.xlsx", rows)
    _expect(path, 21, None, "empty row")


def test_header_only(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "leeg.xlsx", head[:1])
    _expect(path, None, None, "no data rows")


def test_not_the_typed_dataset_layout(tmp_path: Path) -> None:
    path = write_book(tmp_path / "anders.xlsx", [["Buurt", "Inwoners"], ["BU03630000", 10]])
    _expect(path, 1, None, "not in the CBS TypedDataSet layout")


def test_random_bytes_named_xlsx(tmp_path: Path) -> None:
    path = tmp_path / "ruis.xlsx"
    path.write_bytes(os.urandom(5000))
    _expect(path, None, None, "not a readable .xlsx workbook")


def test_truncated_workbook(raw: Path, tmp_path: Path) -> None:
    data = (raw / F2020).read_bytes()
    path = tmp_path / "afgebroken.xlsx"
    path.write_bytes(data[: len(data) // 2])
    _expect(path, None, None, "not a readable .xlsx workbook")


def test_zip_that_is_not_a_workbook(tmp_path: Path) -> None:
    path = tmp_path / "archief.xlsx"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("readme.txt", "geen werkmap")
    _expect(path, None, None, "not a readable .xlsx workbook")


def test_zero_bytes(tmp_path: Path) -> None:
    path = tmp_path / "nul.xlsx"
    path.write_bytes(b"")
    _expect(path, None, None, "empty")


def test_18plus_and_65plus_rows_in_one_sheet(
    raw: Path, head: list[list[Any]], tmp_path: Path
) -> None:
    old = sheet_rows(raw / F2020_65, max_row=11)
    rows = [head[0]]
    for young, aged in zip(head[1:11], old[1:11], strict=True):
        rows += [young, aged]  # interleaved, as an OData export of both groups would be
    path = write_book(tmp_path / "beide.xlsx", rows)
    table = read_figures(path, catalogue=load_catalogue())
    f = table.frame
    eenzaam = f[f["indicator"] == "eenzaam"].set_index("area_code")
    aged = f[f["indicator"] == "eenzaam_65plus"].set_index("area_code")
    col = head[0].index("Eenzaam_28")
    for i in range(10):
        code = str(head[1 + i][3]).strip()
        assert eenzaam.loc[code, "row"] == 2 + 2 * i
        assert aged.loc[code, "row"] == 3 + 2 * i
        assert aged.loc[code, "value"] == expected_cell(old[1 + i][col])[1]
    assert table.n_cells == 20 * 35


def test_error_in_a_65plus_row_names_its_sheet_row(
    raw: Path, head: list[list[Any]], tmp_path: Path
) -> None:
    old = sheet_rows(raw / F2020_65, max_row=4)
    rows = [head[0], head[1], old[1], head[2], old[2]]
    rows = _set(rows, 5, "Roker_11", "rookt")  # sheet row 5 is a 65+ row
    path = write_book(tmp_path / "beide_fout.xlsx", rows)
    _expect(path, 5, "Roker_11", "text 'rookt'")


# ------------------------------------------------------------------------ nothing half-imported


def _counts(using: str) -> tuple[int, int, int]:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Observation

    return (
        Area.objects.using(using).count(), Observation.objects.using(using).count(),
        ImportBatch.objects.using(using).count(),
    )


@pytest.mark.django_db(databases="__all__")
def test_broken_workbook_leaves_the_database_unchanged(
    head: list[list[Any]], tmp_path: Path, db_alias: str
) -> None:
    from wijkbeeld.web.figures.store import store_table

    good = write_book(tmp_path / "goed.xlsx", head[:21])
    result = store_table(read_figures(good, catalogue=load_catalogue()), using=db_alias)
    assert result.created and result.cells == 20 * 35
    before = _counts(db_alias)
    # The broken file also holds 20 areas that are not stored yet, and a bad row 37.
    broken = write_book(tmp_path / "fout.xlsx", _set(head, 37, "Roker_11", "n.v.t."))
    with pytest.raises(DataError):
        store_table(read_figures(broken, catalogue=load_catalogue()), using=db_alias)
    assert _counts(db_alias) == before


def test_cli_names_file_row_and_column(head: list[list[Any]], tmp_path: Path) -> None:
    path = write_book(tmp_path / "cli_fout.xlsx", _set(head, 30, "Mantelzorger_32", "ja"))
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", "import", "figures", str(path)],
        env=env, cwd=tmp_path, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 2, done.stderr
    assert f"{path}, row 30, column 'Mantelzorger_32': text 'ja'" in done.stderr
    import sqlite3

    with sqlite3.connect(tmp_path / "cli.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM figures_observation").fetchone() == (0,)
        assert conn.execute("SELECT count(*) FROM areas_area").fetchone() == (0,)
