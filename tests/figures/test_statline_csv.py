"""The StatLine CSV reader on every real CSV figures file, checked cell by cell.

The expected cells are read in the test itself with the csv module: decimal commas become dots,
``.`` is suppressed, an empty cell is missing, never 0. The ELAN files (catalogue option
``all_zero_period = "missing"``) write 0.0 for "not available": a column that is exactly 0 for
every area (at least 5) in a year is expected as missing there.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from wijkbeeld.figures.catalogue import Unit, load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.figures.table import FigureTable

KWB_DIR = "amsterdam-kwb-2020-2024"
HAAG = "haaglanden-wijken-zorg"
SES = "amsterdam-ses-woa-2019/SES_WOA_scores_per_wijk_en_buurt_25042023_160857.csv"
KWB_META = {"District_Type", "Municipality_Name", "Area_Code"}
PROX_META = {"ID", "DistrictsAndNeighbourhoods", "MunicipalityName", "MunicipalityName_1",
             "Encoding", "Encoding_3"}

# file, separator, meta columns, code column, name column, period column or fixed period,
# boundary year, source
CASES = [
    (f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2020.csv", ";", KWB_META, "Area_Code",
     "District_Type", "2020", 2020, "CBS, Kerncijfers wijken en buurten"),
    (f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2024.csv", ";", KWB_META, "Area_Code",
     "District_Type", "2024", 2024, "CBS, Kerncijfers wijken en buurten"),
    (f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2024_without_income_data.csv", ";", KWB_META,
     "Area_Code", "District_Type", "2024", 2024, "CBS, Kerncijfers wijken en buurten"),
    # The income export: its period is the year in the file name (see docs/import.md).
    (f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2023_income.csv", ";", KWB_META, "Area_Code",
     "District_Type", "2023", 2023, "CBS, Kerncijfers wijken en buurten"),
    (f"{KWB_DIR}/proximity_to_facilities_2020.csv", ";", PROX_META, "Encoding", None, "2020",
     2020, "CBS, Nabijheid voorzieningen"),
    (f"{KWB_DIR}/proximity_to_facilities_2024.csv", ";", PROX_META, "Encoding_3", None, "2024",
     2024, "CBS, Nabijheid voorzieningen"),
    (SES, ";", {"Perioden", "Wijken en buurten", "Regiocode (gemeente, wijk, buurt) (code)"},
     "Regiocode (gemeente, wijk, buurt) (code)", "Wijken en buurten", "col:Perioden", 2019,
     "CBS, Sociaal-economische status per wijk en buurt"),
    (f"{HAAG}/df_count_ver_3.csv", ",", {"WKC", "GMN", "Wijknaam", "YEAR"}, "WKC", "Wijknaam",
     "col:YEAR", 2022, "ELAN/LUMC wijkprofielen (CBS microdata)"),
    (f"{HAAG}/df_numeric_ver_6.csv", ",", {"WKC", "gem_name", "WKN", "YEAR"}, "WKC", "WKN",
     "col:YEAR", 2022, "ELAN/LUMC wijkprofielen (CBS microdata)"),
    (f"{HAAG}/df_count_gem_ver_6.csv", ",", {"GMC", "GMN", "YEAR"}, "GMC", "GMN", "col:YEAR",
     2022, "ELAN/LUMC wijkprofielen (CBS microdata)"),
    (f"{HAAG}/df_numeric_gem_ver_6.csv", ",", {"GMC", "gem_name", "YEAR"}, "GMC", "gem_name",
     "col:YEAR", 2022, "ELAN/LUMC wijkprofielen (CBS microdata)"),
]


def expected_cells(
    path: Path, sep: str, meta: set[str], code_col: str, name_col: str | None, period: str
) -> dict[tuple[str, str, str], tuple[str, float | None, str, int]]:
    """(code, column, period) -> (status, value, name, line), straight from the csv module."""
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=sep))
    header = [h.strip() for h in rows[0]]
    out: dict[tuple[str, str, str], tuple[str, float | None, str, int]] = {}
    for line, row in enumerate(rows[1:], start=2):
        cells = dict(zip(header, row, strict=True))
        code = cells[code_col].strip()
        if code.endswith("--"):  # "Wijk onbekend" placeholder rows: skipped by the reader
            continue
        per = cells[period[4:]].strip() if period.startswith("col:") else period
        name = cells[name_col].strip() if name_col else ""
        for col in header:
            if col in meta:
                continue
            text = cells[col].strip()
            if text == "":
                out[(code, col, per)] = ("missing", None, name, line)
            elif text == ".":
                out[(code, col, per)] = ("suppressed", None, name, line)
            else:
                out[(code, col, per)] = ("ok", float(text.replace(",", ".")), name, line)
    return out


def blank_all_zero_periods(
    cells: dict[tuple[str, str, str], tuple[str, float | None, str, int]],
) -> dict[tuple[str, str, str], tuple[str, float | None, str, int]]:
    """``cells`` with every (column, period) whose values (at least 5) are all 0 made missing."""
    values: dict[tuple[str, str], list[float]] = {}
    for (_, col, per), (status, value, _, _) in cells.items():
        if status == "ok" and value is not None:
            values.setdefault((col, per), []).append(value)
    zero = {k for k, vs in values.items() if len(vs) >= 5 and all(v == 0 for v in vs)}
    return {
        key: ("missing", None, name, line) if (key[1], key[2]) in zero else (s, v, name, line)
        for key, (s, v, name, line) in cells.items()
    }


@pytest.fixture(scope="module")
def tables(raw: Path) -> dict[str, FigureTable]:
    return {case[0]: read_figures(raw / case[0]) for case in CASES}


@pytest.mark.parametrize("case", CASES, ids=[Path(c[0]).name for c in CASES])
def test_every_cell_as_in_the_file(
    raw: Path, tables: dict[str, FigureTable], case: tuple[object, ...]
) -> None:
    rel, sep, meta, code_col, name_col, period, year, source = case
    assert isinstance(rel, str) and isinstance(sep, str) and isinstance(meta, set)
    assert isinstance(code_col, str) and isinstance(period, str)
    table = tables[rel]
    expected = expected_cells(
        raw / rel, sep, meta, code_col, name_col if isinstance(name_col, str) else None, period
    )
    if rel.startswith(HAAG):
        expected = blank_all_zero_periods(expected)
    frame = table.frame
    got = {
        (r.area_code, r.source_column, r.period): (r.status, r.value, r.area_name, r.row)
        for r in frame.itertuples()
    }
    assert len(frame) == len(got) == len(expected)
    assert got.keys() == expected.keys()
    for key, (status, value, name, line) in expected.items():
        g_status, g_value, g_name, g_line = got[key]
        assert (g_status, g_name, g_line) == (status, name, line), key
        if value is None:
            assert pd.isna(g_value), key
        else:
            assert g_value == value, key
    assert table.boundary_year == year
    assert table.source == source
    assert table.sha256 and table.reader == "statline_csv"


def test_ses_woa_suppressed_cells(raw: Path, tables: dict[str, FigureTable]) -> None:
    """SOURCES.md: 450 cells hold "." in the SES-WOA export; each is stored as suppressed."""
    text = (raw / SES).read_text(encoding="utf-8-sig")
    n_dots = len(re.findall(r'"\s*\."', text))
    assert n_dots == 450
    frame = tables[SES].frame
    assert int((frame["status"] == "suppressed").sum()) == n_dots
    assert frame.loc[frame["status"] == "suppressed", "value"].isna().all()
    assert set(frame["period"]) == {"2019"}


def test_income_export_period_and_the_merged_2024_file(tables: dict[str, FigureTable]) -> None:
    """The 2023 income export holds exactly the income figures that were merged into the 2024
    file; the reader gives each file the year in its name."""
    income = tables[f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2023_income.csv"].frame
    merged = tables[f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2024.csv"].frame
    assert set(income["period"]) == {"2023"} and set(merged["period"]) == {"2024"}
    key = ["area_code", "source_column"]
    both = income.merge(merged, on=key, suffixes=("_inc", "_kwb"))
    assert len(both) == len(income)
    ok = both[both["status_inc"] == "ok"]
    assert (ok["value_inc"] == ok["value_kwb"]).all()
    gm = both[(both["area_code"] == "GM0363") & (both["source_column"]
                                                 == "Avg_Income_Per_Inhabitant_1000EUR")]
    assert gm["value_inc"].tolist() == [38.6]


def test_den_haag_placeholder_rows_and_zero_warnings(tables: dict[str, FigureTable]) -> None:
    table = tables[f"{HAAG}/df_count_ver_3.csv"]
    assert "WK1916--" not in set(table.frame["area_code"])
    assert any("placeholder" in w and "row 800" in w and "row 801" in w for w in table.warnings)
    zero = [w for w in table.warnings if "exactly 0 for every area" in w]
    assert any("'%_Employee'" in w and "2009, 2010" in w for w in zero)
    # The zeros mean "not available": stored as missing, never as 0.
    emp = table.frame[(table.frame["source_column"] == "%_Employee")
                      & (table.frame["period"] == "2009")]
    assert len(emp) == 70
    assert (emp["status"] == "missing").all() and emp["value"].isna().all()


def test_names_are_stripped(tables: dict[str, FigureTable]) -> None:
    frame = tables[f"{HAAG}/df_count_ver_3.csv"].frame
    names = dict(zip(frame["area_code"], frame["area_name"], strict=False))
    assert names["WK051801"] == "Wijk 01 Oostduinen"


# -- the catalogue entries for these files ------------------------------------------------------


def _header(path: Path, sep: str) -> list[str]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [h.strip() for h in next(csv.reader(fh, delimiter=sep))]


@pytest.mark.parametrize(
    "name", ["df_count_ver_3.csv", "df_numeric_ver_6.csv", "df_count_gem_ver_6.csv",
             "df_numeric_gem_ver_6.csv"],
)
def test_elan_catalogue_units_fit_the_data(raw: Path, name: str) -> None:
    """Every ELAN indicator column is in the catalogue, and its unit fits every value in the
    file: fraction columns stay within 0..1, count columns hold counts above 1."""
    catalogue = load_catalogue()
    with (raw / HAAG / name).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for col in rows[0]:
        if col in {"WKC", "GMC", "GMN", "gem_name", "Wijknaam", "WKN", "YEAR"}:
            continue
        ind = catalogue.lookup(col)
        assert ind is not None, col
        assert ind.source == "ELAN/LUMC wijkprofielen (CBS microdata)"
        values = [float(r[col]) for r in rows if r[col].strip()]
        if ind.unit is Unit.FRACTION:
            assert all(0.0 <= v <= 1.0 for v in values), col
        if ind.unit is Unit.COUNT:
            assert max(values) > 1.0, col
        if "Ethnicity" in col:
            assert ind.context_only and ind.theme is None, col
        else:
            assert not ind.context_only, col


def test_migration_background_never_in_a_theme() -> None:
    catalogue = load_catalogue()
    ethnic = [i for i in catalogue if any("Ethnicity" in a for a in i.aliases)]
    assert len(ethnic) == 8
    assert all(i.context_only and i.theme is None for i in ethnic)


def test_ses_and_proximity_catalogue(raw: Path) -> None:
    catalogue = load_catalogue()
    for col in _header(raw / SES, ";")[3:]:
        ind = catalogue.lookup(col)
        assert ind is not None and ind.source == "CBS, Sociaal-economische status per wijk en buurt"
    for year in (2020, 2024):
        header = _header(raw / KWB_DIR / f"proximity_to_facilities_{year}.csv", ";")
        for col in header[4:]:
            ind = catalogue.lookup(col)
            assert ind is not None and ind.source == "CBS, Nabijheid voorzieningen", col
    school = catalogue["afstand_basisschool"]
    assert (school.unit, school.polarity, school.theme) == (
        Unit.KM, "higher_is_worse", "openbare_ruimte"
    )


@pytest.mark.parametrize("variant", ["utf16-tab-crlf", "cp1252-quoted-padded", "blank-lines"])
def test_encodings_separators_and_blank_lines(
    raw: Path, tmp_path: Path, tables: dict[str, FigureTable], variant: str
) -> None:
    """The KWB 2024 file saved in other ways reads to the same figures; rows keep their lines."""
    rel = f"{KWB_DIR}/Kerncijfers_wijken_en_buurten_2024.csv"
    with (raw / rel).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    path = tmp_path / f"kwb_{variant}_2024.csv"
    line_of = {r[2]: i for i, r in enumerate(rows[1:], start=2)}
    if variant == "utf16-tab-crlf":
        text = "\r\n".join("\t".join(r) for r in rows) + "\r\n"
        path.write_bytes(text.encode("utf-16"))
    elif variant == "cp1252-quoted-padded":
        rows[5][0] = "Café Zuid"  # a name with a non-ASCII letter, as Windows exports hold it
        text = "\n".join(";".join(f'"{c}"' if j != 2 else f'"{c:<10}"' for j, c in enumerate(r))
                         for r in rows)
        path.write_bytes(text.encode("cp1252"))
    else:
        lines = [";".join(r) for r in rows]
        lines.insert(3, "")
        lines.insert(10, ";;;")
        path.write_text("\n".join(lines), encoding="utf-8")
        line_of = {r[2]: i + (1 if i >= 4 else 0) + (1 if i >= 10 else 0)
                   for i, r in enumerate(rows[1:], start=2)}
    table = read_figures(path)
    original = tables[rel].frame.drop(columns=["row", "area_name"])
    frame = table.frame
    assert frame.drop(columns=["row", "area_name"]).equals(original)
    assert (frame["row"] == frame["area_code"].map(line_of)).all()
    if variant == "cp1252-quoted-padded":
        assert frame.loc[frame["area_code"] == rows[5][2], "area_name"].iloc[0] == "Café Zuid"
