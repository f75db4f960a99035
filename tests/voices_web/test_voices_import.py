"""Importing voices from CSV/XLSX exports with a column mapping: scrubbed on the way in, a broken
file rejected whole with file, row and column named, the database unchanged (SQLite and
PostgreSQL); and the ``wijkbeeld voices import`` command."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from voices_web_support import PLANTED, WIJK, raw_table, snapshot, store_areas

from wijkbeeld.figures.errors import DataError
from wijkbeeld.web.voices.importing import import_voices
from wijkbeeld.web.voices.models import Voice, VoiceTheme

pytestmark = pytest.mark.django_db(databases="__all__")

HEADER = ["Datum", "Buurtcode", "Toelichting", "Groep"]
MAPPING = {
    "columns": {"text": "Toelichting", "area": "Buurtcode", "date": "Datum", "group": "Groep"},
    "defaults": {"channel": "enquete"},
    "groups": {"bewoner": "residents", "professional": "professionals"},
}
MELDINGEN = {
    "columns": {"text": "Omschrijving", "area": "Wijk", "date": "Gemeld op",
                "category": "Categorie"},
    "defaults": {"group": "residents", "channel": "melding"},
    "categories": {"Afval naast container": "openbare_ruimte", "Overlast jongeren": "veiligheid"},
}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(header)
        writer.writerows(rows)
    return path


def good_rows(names: dict[str, str]) -> list[list[str]]:
    buurt = sorted(c for c in names if c.startswith("BU"))[0]
    return [
        ["2024-03-01", WIJK, "Er ligt veel zwerfafval op straat.", "bewoner"],
        ["02-03-2024", buurt, "Bel Fatima Yilmaz op 06-12345678 of f.yilmaz@voorbeeld.nl",
         "Professional"],
        ["2024-03-03", WIJK.lower(), "Het is hier onveilig 's avonds.", "bewoner"],
    ]


def test_import_happy_path_scrubs_everything(raw: Path, tmp_path: Path, db_alias: str) -> None:
    names = store_areas(raw, db_alias)
    rows = good_rows(names)
    path = write_csv(tmp_path / "enquete.csv", HEADER, rows)
    result = import_voices(path, MAPPING, using=db_alias)
    assert (result.voices, dict(result.scrubbed)) == (3, {"EMAIL": 1, "TELEFOON": 1, "NAAM": 1})
    stored = list(Voice.objects.using(db_alias).order_by("date")
                  .values_list("area__code", "date", "group", "channel", "text"))
    assert [(c, d.isoformat(), g, ch) for c, d, g, ch, _ in stored] == [
        (WIJK, "2024-03-01", "residents", "enquete"),
        (rows[1][1], "2024-03-02", "professionals", "enquete"),
        (WIJK, "2024-03-03", "residents", "enquete"),
    ]
    assert stored[0][4] == rows[0][2]
    assert stored[1][4] == "Bel [NAAM] op [TELEFOON] of [EMAIL]"
    dumped = repr(raw_table(Voice, db_alias))
    assert not any(p in dumped for p in PLANTED)
    assert import_voices(path, MAPPING, using=db_alias).already_imported
    assert Voice.objects.using(db_alias).count() == 3


def test_meldingen_export_maps_categories_to_themes(raw: Path, tmp_path: Path,
                                                    db_alias: str) -> None:
    store_areas(raw, db_alias)
    path = write_csv(tmp_path / "meldingen.csv", ["Gemeld op", "Wijk", "Categorie", "Omschrijving"],
                     [["2024-04-01", WIJK, "Afval naast container", "Vuilniszakken bij de bak"],
                      ["2024-04-02", WIJK, "overlast jongeren", "Groep bij het portiek"]])
    assert import_voices(path, MELDINGEN, using=db_alias).voices == 2
    themes = {(v.text, t) for v in Voice.objects.using(db_alias).all()
              for t in v.themes.values_list("theme", flat=True)}
    assert ("Vuilniszakken bij de bak", "openbare_ruimte") in themes
    assert ("Groep bij het portiek", "veiligheid") in themes
    assert set(Voice.objects.using(db_alias).values_list("channel", "group")) == {
        ("melding", "residents")}


def test_xlsx_with_toml_mapping(raw: Path, tmp_path: Path, db_alias: str) -> None:
    import openpyxl

    store_areas(raw, db_alias)
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Datum", "Buurtcode", "Toelichting", "Groep"])
    from datetime import datetime

    sheet.append([datetime(2024, 5, 6), WIJK, "Mooie nieuwe speeltuin in de buurt", "bewoner"])
    path = tmp_path / "gesprekken.xlsx"
    book.save(path)
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\ntext = "Toelichting"\narea = "Buurtcode"\ndate = "Datum"\ngroup = "Groep"\n'
        '[defaults]\nchannel = "gesprek"\n[groups]\nbewoner = "residents"\n', encoding="utf-8")
    assert import_voices(path, mapping, using=db_alias).voices == 1
    voice = Voice.objects.using(db_alias).get()
    assert (voice.date.isoformat(), voice.channel) == ("2024-05-06", "gesprek")


BROKEN = {
    "missing column": (["Datum", "Buurtcode", "Groep"], None, "row 1, column 'Toelichting'"),
    "bad area code": (HEADER, (2, 1, "XX12"), "row 4, column 'Buurtcode': bad area code"),
    "unknown area": (HEADER, (2, 1, "WK0363ZZ"),
                     "row 4, column 'Buurtcode': area WK0363ZZ is not in the database"),
    "bad date": (HEADER, (1, 0, "31-02-2024"), "row 3, column 'Datum': not a date"),
    "empty text": (HEADER, (0, 2, ""), "row 2, column 'Toelichting': empty text"),
    "unknown group": (HEADER, (0, 3, "buurman"), "row 2, column 'Groep': unknown group"),
    # over MAX_TEXT_CHARS of the core: refused with its length, never cut
    "text too long": (HEADER, (1, 2, "lang " * 1200 + "einde"),
                      "row 3, column 'Toelichting': de tekst is te lang: 6.005 tekens, er mogen "
                      "hoogstens 5.000 in"),
}


@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_import_changes_nothing(case: str, raw: Path, tmp_path: Path,
                                       db_alias: str) -> None:
    names = store_areas(raw, db_alias)
    header, change, message = BROKEN[case]
    rows = good_rows(names)
    if change is not None:
        row, col, value = change
        rows[row][col] = value
    if header != HEADER:
        rows = [[r[0], r[1], r[3]] for r in rows]
    path = write_csv(tmp_path / "kapot.csv", header, rows)
    before = snapshot(db_alias)
    with pytest.raises(DataError) as info:
        import_voices(path, MAPPING, using=db_alias)
    assert str(info.value).startswith("kapot.csv, "), str(info.value)
    assert message in str(info.value)
    assert snapshot(db_alias) == before
    assert VoiceTheme.objects.using(db_alias).count() == 0


def test_zero_byte_file_is_rejected(raw: Path, tmp_path: Path, db_alias: str) -> None:
    store_areas(raw, db_alias)
    path = tmp_path / "leeg.csv"
    path.write_bytes(b"")
    before = snapshot(db_alias)
    with pytest.raises(DataError, match=r"^leeg.csv: the file is empty$"):
        import_voices(path, MAPPING, using=db_alias)
    assert snapshot(db_alias) == before


def test_bad_mapping_is_named(tmp_path: Path) -> None:
    with pytest.raises(DataError) as info:
        import_voices(tmp_path / "x.csv", {"columns": {"text": "T", "area": "A"},
                                           "categories": {"x": "geen_thema"}})
    text = str(info.value)
    assert "mapping, column 'columns.date': required column name missing" in text
    assert "column 'categories.x': unknown theme 'geen_thema'" in text


def test_cli_import(raw: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.cli import main

    names = store_areas(raw)
    path = write_csv(tmp_path / "enquete.csv", HEADER, good_rows(names))
    mapping = tmp_path / "map.toml"
    mapping.write_text(
        '[columns]\ntext = "Toelichting"\narea = "Buurtcode"\ndate = "Datum"\ngroup = "Groep"\n'
        '[defaults]\nchannel = "enquete"\n[groups]\nbewoner = "residents"\n'
        'professional = "professionals"\n', encoding="utf-8")
    broken = write_csv(tmp_path / "kapot.csv", HEADER, [["gisteren", WIJK, "tekst", "bewoner"]])
    assert main(["voices", "import", str(broken), "--mapping", str(mapping)]) == 2
    err = capsys.readouterr().err
    assert "kapot.csv, row 2, column 'Datum': not a date" in err
    assert Voice.objects.count() == 0
    assert main(["voices", "import", str(path), "--mapping", str(mapping)]) == 0
    assert "enquete.csv: 3 stemmen geïmporteerd; vervangen: EMAIL 1, TELEFOON 1, NAAM 1" in \
        capsys.readouterr().out
    assert Voice.objects.count() == 3
