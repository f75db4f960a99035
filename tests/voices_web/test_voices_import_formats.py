"""Voices import in every common file form (issue 17, item 4): the same small file written as
UTF-8 with ``;``, UTF-8 with BOM and ``,``, Windows-1252 with tabs (é, ë and € in the texts) and
XLSX imports the same voices, through the figures importers' table reader; a binary file and a
file with a bad row are refused whole with file and row named, on SQLite and PostgreSQL, and via
``wijkbeeld voices import``."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from voices_web_support import WIJK, snapshot, store_areas

from wijkbeeld.figures.errors import DataError
from wijkbeeld.web.voices.importing import import_voices
from wijkbeeld.web.voices.models import Voice

pytestmark = pytest.mark.django_db(databases="__all__")

HEADER = ["Datum", "Buurtcode", "Toelichting", "Groep"]
MAPPING = {
    "columns": {"text": "Toelichting", "area": "Buurtcode", "date": "Datum", "group": "Groep"},
    "defaults": {"channel": "gesprek"},
    "groups": {"bewoner": "residents", "professional": "professionals"},
}
ROWS = [
    ["2024-03-01", WIJK, "Het café op de hoek is dicht; de ruïne trekt overlast.", "bewoner"],
    ["02-03-2024", WIJK, "Huur stijgt met € 40, mensen krijgen schulden, zei Jan de Vries.",
     "professional"],
    ["2024-03-03", WIJK, 'Een "mooie" avond, met tab-vrije tekst, en een komma.', "bewoner"],
]
#: What must be stored for ROWS, whatever the file form (the name scrubbed).
EXPECTED = [
    ("2024-03-01", "residents", "Het café op de hoek is dicht; de ruïne trekt overlast."),
    ("2024-03-02", "professionals",
     "Huur stijgt met € 40, mensen krijgen schulden, zei [NAAM]."),
    ("2024-03-03", "residents", 'Een "mooie" avond, met tab-vrije tekst, en een komma.'),
]


def write_text(path: Path, rows: list[list[str]], *, delimiter: str, encoding: str) -> Path:
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


FORMS = {
    "utf8-semicolon": lambda d, rows: write_text(d / "stemmen.csv", rows, delimiter=";",
                                                 encoding="utf-8"),
    "utf8bom-comma": lambda d, rows: write_text(d / "stemmen.csv", rows, delimiter=",",
                                                encoding="utf-8-sig"),
    "cp1252-tab": lambda d, rows: write_text(d / "stemmen.tsv", rows, delimiter="\t",
                                             encoding="cp1252"),
    "latin1-pipe": lambda d, rows: write_text(d / "stemmen.txt", [
        [c.replace("€ 40", "40 euro") for c in r] for r in rows], delimiter="|",
        encoding="latin-1"),
    "xlsx": lambda d, rows: write_xlsx(d / "stemmen.xlsx", rows),
}


def stored(using: str) -> list[tuple[str, str, str]]:
    return [(v.date.isoformat(), v.group, v.text) for v in
            Voice.objects.using(using).order_by("date")]


@pytest.mark.parametrize("form", sorted(FORMS))
def test_every_file_form_imports_the_same_voices(form: str, raw: Path, tmp_path: Path,
                                                 db_alias: str) -> None:
    store_areas(raw, db_alias)
    path = FORMS[form](tmp_path, [list(r) for r in ROWS])
    if form == "cp1252-tab":
        assert "€".encode("cp1252") in path.read_bytes()  # really Windows-1252
        with pytest.raises(UnicodeDecodeError):
            path.read_bytes().decode("utf-8")
    result = import_voices(path, MAPPING, using=db_alias)
    assert result.voices == 3 and dict(result.scrubbed) == {"NAAM": 1}
    expected = EXPECTED
    if form == "latin1-pipe":  # Latin-1 has no euro sign; the file says "40 euro"
        expected = [(d, g, t.replace("€ 40", "40 euro")) for d, g, t in EXPECTED]
    assert stored(db_alias) == expected
    assert set(Voice.objects.using(db_alias).values_list("area__code", "channel")) == {
        (WIJK, "gesprek")}
    assert "Jan de Vries" not in repr(list(Voice.objects.using(db_alias).values()))


def test_binary_file_is_refused_whole(raw: Path, tmp_path: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    path = tmp_path / "stemmen.csv"
    path.write_bytes(b"Datum;Buurtcode;Toelichting;Groep\r\n\x00\x01\x02\xff\xfe" * 20)
    before = snapshot(db_alias)
    with pytest.raises(DataError) as info:
        import_voices(path, MAPPING, using=db_alias)
    assert str(info.value).startswith("stemmen.csv, row "), str(info.value)
    assert "binary file" in str(info.value)
    assert snapshot(db_alias) == before


def test_workbook_named_csv_is_refused(raw: Path, tmp_path: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    path = write_xlsx(tmp_path / "stemmen.xlsx", ROWS).rename(tmp_path / "stemmen.csv")
    with pytest.raises(DataError, match=r"^stemmen.csv, row 1: this is a ZIP archive"):
        import_voices(path, MAPPING, using=db_alias)
    assert Voice.objects.using(db_alias).count() == 0


@pytest.mark.parametrize("form", ["utf8-semicolon", "cp1252-tab", "xlsx"])
def test_bad_row_names_file_row_and_column_and_imports_nothing(
        form: str, raw: Path, tmp_path: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    rows = [list(r) for r in ROWS]
    rows[1][0] = "gisteren"  # the second data row: line/row 3
    path = FORMS[form](tmp_path, rows)
    before = snapshot(db_alias)
    with pytest.raises(DataError) as info:
        import_voices(path, MAPPING, using=db_alias)
    assert f"{path.name}, row 3, column 'Datum': not a date" in str(info.value)
    assert snapshot(db_alias) == before


def test_row_of_the_wrong_width_is_named(raw: Path, tmp_path: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    path = tmp_path / "kapot.csv"
    path.write_text("Datum;Buurtcode;Toelichting;Groep\n2024-03-01;" + WIJK + ";tekst;bewoner\n"
                    "2024-03-02;" + WIJK + ";afgebroken\n", encoding="utf-8")
    before = snapshot(db_alias)
    with pytest.raises(DataError) as info:
        import_voices(path, MAPPING, using=db_alias)
    assert str(info.value).startswith("kapot.csv, row 3, column 'Groep': the row ends before"), \
        str(info.value)
    assert snapshot(db_alias) == before


def test_cli_reads_a_windows_1252_tab_file(raw: Path, tmp_path: Path,
                                           capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.cli import main

    store_areas(raw)
    path = FORMS["cp1252-tab"](tmp_path, [list(r) for r in ROWS])
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\ntext = "Toelichting"\narea = "Buurtcode"\ndate = "Datum"\ngroup = "Groep"\n'
        '[defaults]\nchannel = "gesprek"\n[groups]\nbewoner = "residents"\n'
        'professional = "professionals"\n', encoding="utf-8")
    assert main(["voices", "import", str(path), "--mapping", str(mapping)]) == 0
    assert "stemmen.tsv: 3 stemmen geïmporteerd; vervangen: NAAM 1" in capsys.readouterr().out
    assert stored("default") == EXPECTED
