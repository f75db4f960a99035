"""Municipal files read with a TOML mapping: the real Leefbaarometer Amstelveen CSV, the same
figures in an XLSX workbook, own area codes, catalogue keys, and every kind of mapping mistake."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from wijkbeeld.figures.catalogue import Polarity, Unit, load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.figures.readers.mapped import load_mapping, read_mapped
from wijkbeeld.figures.table import FigureTable

LBM = "leefbaarometer-amstelveen-wijken/AmstelveenDataWithDimensions.csv"
KWB = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
DIMENSIONS = {
    "lbm": ("lbm_score", "number", "higher_is_better", None),
    "afw": ("lbm_afwijking", "number", "higher_is_better", None),
    "fys": ("lbm_fysieke_omgeving", "number", "higher_is_better", "openbare_ruimte"),
    "onv": ("lbm_overlast_onveiligheid", "number", "higher_is_better", "veiligheid"),
    "soc": ("lbm_sociale_samenhang", "number", "higher_is_better", "sociale_samenhang"),
    "vrz": ("lbm_voorzieningen", "number", "higher_is_better", "openbare_ruimte"),
    "won": ("lbm_woningvoorraad", "number", "higher_is_better", "wonen"),
}


def lbm_mapping(
    extra: str = "", *, header_row: int = 1, sheet: str | None = None, leave_out: str = ""
) -> str:
    lines = [
        'code_column = "wk_code"', 'name_column = "wk_naam"', 'period_column = "jaar"',
        'source = "Leefbaarometer 3.0 (Ministerie van BZK)"', "boundary_year = 2022",
        'ignore = ["1"]', f"header_row = {header_row}",
    ]
    if sheet:
        lines.append(f'sheet = "{sheet}"')
    lines.append(extra)
    lines.append("[columns]")
    for col, (key, unit, polarity, theme) in DIMENSIONS.items():
        if col == leave_out:
            continue
        lines += [f'[columns.{col}]', f'key = "{key}"', f'name_nl = "Leefbaarometer {col}"',
                  f'unit = "{unit}"', f'polarity = "{polarity}"']
        if theme:
            lines.append(f'theme = "{theme}"')
    return "\n".join(lines) + "\n"


def raw_lbm(raw: Path) -> list[dict[str, str]]:
    with (raw / LBM).open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def assert_lbm_table(table: FigureTable, rows: list[dict[str, str]]) -> None:
    """Every cell of the raw Leefbaarometer file, exactly, and nothing else."""
    got = {(r.area_code, r.indicator, r.period): r for r in table.frame.itertuples()}
    assert len(got) == len(table.frame) == len(rows) * len(DIMENSIONS)
    for r in rows:
        for col, (key, *_rest) in DIMENSIONS.items():
            cell = got[(r["wk_code"], key, r["jaar"])]
            assert cell.status == "ok" and cell.value == float(r[col])
            assert cell.area_name == r["wk_naam"] and cell.source_column == col
    assert table.source == "Leefbaarometer 3.0 (Ministerie van BZK)"
    assert table.boundary_year == 2022 and table.reader == "mapped"


def test_leefbaarometer_csv(raw: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "lbm.toml"
    mapping.write_text(lbm_mapping(), encoding="utf-8")
    table = read_mapped(raw / LBM, mapping, catalogue=load_catalogue())
    rows = raw_lbm(raw)
    assert_lbm_table(table, rows)
    won = table.indicators["lbm_woningvoorraad"]
    assert (won.unit, won.polarity, won.theme, won.source) == (
        Unit.NUMBER, Polarity.HIGHER_IS_BETTER, "wonen", "Leefbaarometer 3.0 (Ministerie van BZK)"
    )
    # The dispatcher takes the same route when given a mapping.
    again = read_figures(raw / LBM, mapping=mapping)
    assert again.frame.equals(table.frame) and again.sha256 == table.sha256


def test_leefbaarometer_xlsx_with_title_rows(raw: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    rows = raw_lbm(raw)
    header = list(rows[0])
    book = openpyxl.Workbook()
    book.active.title = "Toelichting"
    book.active["A1"] = "Bron: Leefbaarometer"
    sheet = book.create_sheet("Cijfers")
    sheet["A1"] = "Leefbaarometer Amstelveen"  # a title, a blank row, then the header on row 3
    sheet.append([])
    sheet.append(header)
    for r in rows:
        sheet.append(
            [int(r["1"]), r["wk_code"], r["wk_naam"], int(r["jaar"])]
            + [float(r[c]) for c in header[4:]]
        )
    path = tmp_path / "lbm.xlsx"
    book.save(path)
    # Expected: what the workbook holds (Excel keeps 17 significant digits, so a value may
    # differ from the CSV text in the last bit), read back independently with openpyxl.
    stored = openpyxl.load_workbook(path)["Cijfers"]
    in_book = [
        dict(zip(header, [repr(v) if isinstance(v, float) else str(v) for v in values],
                 strict=True))
        for values in stored.iter_rows(min_row=4, values_only=True)
    ]
    assert len(in_book) == len(rows)
    mapping = tmp_path / "lbm.toml"
    mapping.write_text(lbm_mapping(header_row=3, sheet="Cijfers"), encoding="utf-8")
    table = read_mapped(path, mapping, catalogue=load_catalogue())
    assert_lbm_table(table, in_book)
    assert table.frame["row"].min() == 4  # sheet rows, as the analyst sees them in Excel


def test_own_codes_and_catalogue_keys(raw: Path, tmp_path: Path) -> None:
    """A municipal export with its own buurt codes (AA01) and its own column names, mapped to
    CBS codes and to indicators already in the catalogue."""
    with (raw / KWB).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))[:40]
    path = tmp_path / "eigen.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        out = csv.writer(fh, delimiter=";")
        out.writerow(["buurt", "naam", "inw", "huur"])
        for r in rows:
            own = r["Area_Code"][6:] if r["Area_Code"].startswith("BU") else r["Area_Code"]
            out.writerow([own, r["District_Type"], r["Population_Total"], r["Pct_Rental"]])
    codes = "\n".join(
        f'"{r["Area_Code"][6:]}" = "{r["Area_Code"]}"' for r in rows
        if r["Area_Code"].startswith("BU")
    )
    mapping = tmp_path / "eigen.toml"
    mapping.write_text(
        'code_column = "buurt"\nname_column = "naam"\nperiod = "2024"\n'
        'source = "Gemeente Amsterdam, O&S"\n[codes]\n' + codes + "\n"
        '[columns]\ninw = "inwoners"\nhuur = "huurwoningen_pct"\n',
        encoding="utf-8",
    )
    table = read_mapped(path, mapping, catalogue=load_catalogue())
    got = {(r.area_code, r.indicator): (r.status, r.value) for r in table.frame.itertuples()}
    for r in rows:
        for col, key in (("Population_Total", "inwoners"), ("Pct_Rental", "huurwoningen_pct")):
            status, value = got[(r["Area_Code"], key)]
            if r[col].strip():
                assert (status, value) == ("ok", float(r[col]))
            else:
                assert status == "missing" and pd.isna(value)
    assert table.indicators["inwoners"].name_nl == "Aantal inwoners"
    assert table.boundary_year == 2024


@pytest.mark.parametrize(
    ("text", "key", "needle"),
    [
        ('period = "2024"\nsource = "s"\n', "code_column", "required"),
        ('code_column = "c"\nperiod = "2024"\n', "source", "required"),
        ('code_column = "c"\nsource = "s"\n', "period", "exactly one"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\nperiod_column = "j"\n', "period",
         "exactly one"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\nsheets = "x"\n', None,
         "unknown key"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\n[columns]\nx = "geen_indicator"\n',
         "columns.x", "not an indicator key"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\n[columns.x]\nkey = "k"\n'
         'name_nl = "K"\nunit = "liters"\n', "columns.x", "unknown unit"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\n[columns.x]\nkey = "k"\n'
         'name_nl = "K"\nunit = "number"\ntheme = "sport"\n', "columns.x", "unknown theme"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\n[columns.x]\nkey = "k"\n'
         'name_nl = "K"\nunit = "number"\npolarity = "up"\n', "columns.x", "unknown polarity"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\n[columns.x]\nkey = "inwoners"\n'
         'name_nl = "Inwoners"\nunit = "percent"\n', "columns.x", "is landelijk"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\n[columns]\nx = "inwoners"\n'
         'y = "inwoners"\n', "columns.y", "like column 'x'"),
        ('code_column = "c"\nsource = "s"\nperiod = "2024"\nheader_row = 0\n', "header_row",
         "row number"),
    ],
)
def test_mapping_mistakes(tmp_path: Path, text: str, key: str | None, needle: str) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text(text, encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_mapping(mapping, load_catalogue())
    (problem,) = err.value.problems
    assert problem.file == str(mapping) and problem.column == key
    assert needle in problem.message


def test_mapping_toml_syntax_error_names_the_line(tmp_path: Path) -> None:
    mapping = tmp_path / "m.toml"
    mapping.write_text('code_column = "c"\nsource = "s"\nperiod = 2024"\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        load_mapping(mapping, load_catalogue())
    assert err.value.problems[0].row == 3 and "not valid TOML" in str(err.value)


def test_mapped_column_missing_from_the_file(raw: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "lbm.toml"
    mapping.write_text(lbm_mapping().replace('name_column = "wk_naam"', 'name_column = "naam"'))
    with pytest.raises(DataError) as err:
        read_mapped(raw / LBM, mapping, catalogue=load_catalogue())
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(raw / LBM), 1, "naam")


def test_unmapped_columns_are_errors_unless_skipped(raw: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "lbm.toml"
    mapping.write_text(lbm_mapping(leave_out="won"), encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_mapped(raw / LBM, mapping, catalogue=load_catalogue())
    assert {(p.row, p.column) for p in err.value.problems} == {(1, "won")}
    table = read_mapped(raw / LBM, mapping, catalogue=load_catalogue(), skip_unknown=True)
    assert "won" not in set(table.frame["source_column"])
    assert any("'won' skipped" in w for w in table.warnings)


@pytest.mark.django_db(databases="__all__")
def test_store_and_read_back(raw: Path, tmp_path: Path, db_alias: str) -> None:
    from wijkbeeld.web.figures.models import ImportBatch, Observation
    from wijkbeeld.web.figures.readback import figures_for_area
    from wijkbeeld.web.figures.store import store_table

    mapping = tmp_path / "lbm.toml"
    mapping.write_text(lbm_mapping(), encoding="utf-8")
    table = read_mapped(raw / LBM, mapping, catalogue=load_catalogue())
    first = store_table(table, using=db_alias)
    second = store_table(table, using=db_alias)
    assert first.created and not second.created and second.batch_id == first.batch_id
    assert ImportBatch.objects.using(db_alias).count() == 1
    rows = raw_lbm(raw)
    assert Observation.objects.using(db_alias).count() == len(rows) * len(DIMENSIONS)
    shown = figures_for_area("WK036204", using=db_alias)
    expected = {(col, r["jaar"]): float(r[col]) for r in rows if r["wk_code"] == "WK036204"
                for col in DIMENSIONS}
    assert {(f["source_column"], f["period"]): f["value"] for f in shown} == expected
    assert {f["source"] for f in shown} == {"Leefbaarometer 3.0 (Ministerie van BZK)"}
    assert {f["boundary_year"] for f in shown} == {2022}


def test_cli_with_mapping(raw: Path, tmp_path: Path) -> None:
    mapping = tmp_path / "lbm.toml"
    mapping.write_text(lbm_mapping(), encoding="utf-8")
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "wijkbeeld.cli"]
    done = subprocess.run(
        [*cli, "import", "figures", str(raw / LBM), "--mapping", str(mapping)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr
    shown = subprocess.run(
        [*cli, "figures", "show", "WK036214", "--json", "--year", "2020"],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert shown.returncode == 0, shown.stderr
    records = json.loads(shown.stdout)
    (row,) = [r for r in raw_lbm(raw) if r["wk_code"] == "WK036214" and r["jaar"] == "2020"]
    assert {r["source_column"]: r["value"] for r in records} == {
        col: float(row[col]) for col in DIMENSIONS
    }


@pytest.mark.parametrize(
    ("content", "needle"),
    [(b"not a workbook at all", "not a readable .xlsx workbook"),
     (b"PK\x03\x04" + b"\x00" * 40, "not a readable .xlsx workbook")],
)
def test_broken_workbook(tmp_path: Path, content: bytes, needle: str) -> None:
    path = tmp_path / "kapot.xlsx"
    path.write_bytes(content)
    mapping = tmp_path / "m.toml"
    mapping.write_text('code_column = "c"\nsource = "s"\nperiod = "2024"\n', encoding="utf-8")
    with pytest.raises(DataError) as err:
        read_mapped(path, mapping, catalogue=load_catalogue())
    (problem,) = err.value.problems
    assert problem.file == str(path) and needle in problem.message


def test_missing_sheet_is_named(raw: Path, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = tmp_path / "boek.xlsx"
    book = openpyxl.Workbook()
    book.active.title = "Blad1"
    book.save(path)
    mapping = tmp_path / "m.toml"
    mapping.write_text(lbm_mapping(sheet="Cijfers"), encoding="utf-8")
    with pytest.raises(DataError, match=r"no sheet 'Cijfers'; the workbook has \['Blad1'\]"):
        read_mapped(path, mapping, catalogue=load_catalogue())
