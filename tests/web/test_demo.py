"""The bundled demo data and ``load_demo`` (``wijkbeeld demo load``, part of ``make demo``).

The bundled files are checked against the raw files and ATTRIBUTION.md; the loader is checked on
both database engines with a quick subset, and once in full, including that a second run changes
nothing.
"""

from __future__ import annotations

import csv
import hashlib
import importlib.util
import json
import re
from pathlib import Path
from types import ModuleType

import openpyxl
import pytest
from python_calamine import CalamineWorkbook
from webpages_support import KWB_2024, KWB_DIR, KWB_META

from wijkbeeld.data import data_file
from wijkbeeld.web.areas.models import Area, Crosswalk
from wijkbeeld.web.demo import DEMO_STEPS, DEMO_USERNAME, demo_data_dir, load_demo
from wijkbeeld.web.figures.models import ImportBatch, Observation

ROOT = Path(__file__).resolve().parents[2]
ATTRIBUTION = ROOT / "src" / "wijkbeeld" / "data" / "ATTRIBUTION.md"
RIVM_RAW = "rivm-gezondheidsmonitor-buurt/rivm_gezondheid_2020_18plus.xlsx"
RIVM_BUNDLED = "amsterdam/rivm_gezondheid_2020_18plus_amsterdam.xlsx"
#: Bundled files copied unchanged, with where they sit in the raw folder.
COPIED = {
    "amsterdam/Kerncijfers_wijken_en_buurten_2020.csv":
        "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2020.csv",
    "amsterdam/Kerncijfers_wijken_en_buurten_2024.csv":
        "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv",
    "amsterdam/amsterdam_buurten_2015_2022_crosswalk_wkt.csv":
        "amsterdam-kwb-2020-2024/amsterdam_buurten_2015_2022_crosswalk_wkt.csv",
    "amsterdam/amsterdam_buurten_2022.geojson":
        "amsterdam-gebieden-buurten-2022/amsterdam_buurten_2022.geojson",
    "haaglanden/df_count_ver_3.csv": "haaglanden-wijken-zorg/df_count_ver_3.csv",
    "haaglanden/df_numeric_ver_6.csv": "haaglanden-wijken-zorg/df_numeric_ver_6.csv",
    "haaglanden/haaglanden_wijken.geojson": "haaglanden-wijken-zorg/haaglanden_wijken.geojson",
}


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _recorded() -> dict[str, str]:
    """file → sha256 from the table in ATTRIBUTION.md."""
    rows = re.findall(r"^\| `([^`]+)` \| `([0-9a-f]{64})` \|", ATTRIBUTION.read_text(), re.M)
    return dict(rows)


# --- the bundled files -------------------------------------------------------------------------


def test_attribution_records_every_bundled_file() -> None:
    folder = demo_data_dir()
    bundled = {
        p.relative_to(folder).as_posix() for p in folder.rglob("*")
        if p.is_file() and p.suffix in {".csv", ".xlsx", ".geojson"}
    }
    recorded = _recorded()
    assert set(recorded) == bundled
    for name, sha in recorded.items():
        assert _sha(folder / name) == sha, name
    text = ATTRIBUTION.read_text()
    assert "Bron: CBS" in text and "CC BY 4.0" in text
    assert "Copyright (c) 2023 elan-dcc" in text and "Copyright (c) 2022 ImkeDekkers" in text
    assert {s.path for s in DEMO_STEPS} <= bundled


def test_copied_files_are_byte_identical_to_the_raw_files(raw: Path) -> None:
    manifest = dict(
        (path.removeprefix("./"), sha) for sha, path in
        (line.split() for line in (raw / "MANIFEST.sha256").read_text().splitlines() if line)
    )
    for bundled, original in COPIED.items():
        assert _sha(data_file(bundled)) == _sha(raw / original) == manifest[original], bundled


def _amsterdam_or_nl(code: object) -> bool:
    text = str(code).strip()
    return text.startswith("NL") or (text[:2] in {"GM", "WK", "BU"} and text[2:6] == "0363")


def test_rivm_subset_holds_the_raw_rows_unchanged(raw: Path) -> None:
    raw_rows = CalamineWorkbook.from_path(str(raw / RIVM_RAW)).get_sheet_by_index(0).to_python()
    header, body = raw_rows[0], raw_rows[1:]
    code_at = header.index("WijkenEnBuurten")
    expected = [r for r in body if _amsterdam_or_nl(r[code_at])]
    assert len(expected) == 1 + 1 + 99 + 479  # NL, GM0363, its wijken and buurten (2020)

    book = openpyxl.load_workbook(data_file(RIVM_BUNDLED), read_only=True)
    sheet = book.worksheets[0]
    assert sheet.title == "RIVM_gezondheid2020_18+"
    got = [list(r) for r in sheet.iter_rows(values_only=True)]
    book.close()
    assert got[0] == header
    assert len(got) - 1 == len(expected)
    for mine, theirs in zip(got[1:], expected, strict=True):
        # calamine reports empty cells as "" and numbers as floats; the text stays identical.
        assert [("" if v is None else v) for v in mine] == theirs
        assert all(isinstance(v, str) for v in mine[2:] if v is not None)
    # The padded text survives: e.g. the NL row's first indicator.
    assert got[1][8] == expected[0][8] and got[1][8].startswith("    ")


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "make_demo_subsets", ROOT / "scripts" / "make_demo_subsets.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_subset_script_reproduces_the_bundled_workbook(raw: Path, tmp_path: Path) -> None:
    script = _script()
    assert script.main(["--raw", str(raw), "--out", str(tmp_path)]) == 0
    made = tmp_path / "rivm_gezondheid_2020_18plus_amsterdam.xlsx"
    assert _sha(made) == _sha(data_file(RIVM_BUNDLED)) == _recorded()[RIVM_BUNDLED]


def test_subset_script_refuses_a_workbook_without_codes(tmp_path: Path) -> None:
    script = _script()
    book = openpyxl.Workbook()
    book.active.append(["ID", "Gemeente"])
    book.active.append([1, "Amsterdam"])
    book.save(tmp_path / "in.xlsx")
    with pytest.raises(ValueError, match="WijkenEnBuurten"):
        script.rivm_subset(tmp_path / "in.xlsx", tmp_path / "out.xlsx")
    assert not (tmp_path / "out.xlsx").exists()


# --- the loader --------------------------------------------------------------------------------


def _counts(using: str) -> tuple[int, int, int, int]:
    return (
        Area.objects.using(using).count(), Observation.objects.using(using).count(),
        ImportBatch.objects.using(using).count(), Crosswalk.objects.using(using).count(),
    )


@pytest.mark.django_db(databases="__all__")
def test_quick_load_on_each_engine(db_alias: str, raw: Path) -> None:
    lines: list[str] = []
    result = load_demo(
        using=db_alias, only={"kwb-2024", "grenzen-amsterdam"}, password="demo-test-1",
        echo=lines.append,
    )
    assert [s.state for s in result.steps] == ["geladen", "geladen"]
    assert result.account_state == "aangemaakt"

    with (raw / KWB_DIR / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        kwb_codes = {r["Area_Code"].strip() for r in reader}
        n_columns = len(reader.fieldnames or []) - len(KWB_META)
    geo = json.loads((raw / "amsterdam-gebieden-buurten-2022" /
                      "amsterdam_buurten_2022.geojson").read_text())
    geo_codes = {f["properties"]["cbsCode"] for f in geo["features"]}
    stored = set(Area.objects.using(db_alias).filter(boundary_year=2024)
                 .values_list("code", flat=True))
    assert stored == kwb_codes | geo_codes
    assert Observation.objects.using(db_alias).count() == len(kwb_codes) * n_columns
    with_shape = Area.objects.using(db_alias).filter(boundary_year=2024).exclude(geometry="")
    assert set(with_shape.values_list("code", flat=True)) == geo_codes

    from django.contrib.auth import get_user_model

    user = get_user_model().objects.db_manager(db_alias).get(username=DEMO_USERNAME)
    assert user.role == "analyst" and user.check_password("demo-test-1")
    text = "\n".join(lines)
    assert "[1/2]" in text and "[2/2]" in text
    assert "'analist'" in text and "'demo-test-1'" in text and "http://127.0.0.1:8000/" in text

    before = _counts(db_alias)
    again = load_demo(using=db_alias, only={"kwb-2024", "grenzen-amsterdam"},
                      password="demo-test-1", verbose=False)
    assert not again.changed
    assert [s.state for s in again.steps] == ["ongewijzigd", "ongewijzigd"]
    assert _counts(db_alias) == before


@pytest.mark.django_db
def test_account_is_repaired_not_duplicated() -> None:
    load_demo(only=(), password="eerste-1", verbose=False)
    from django.contrib.auth import get_user_model

    users = get_user_model().objects
    user = users.get(username=DEMO_USERNAME)
    user.role = "viewer"
    user.save()
    result = load_demo(only=(), password="tweede-2", verbose=False)
    assert result.account_state == "hersteld"
    user = users.get(username=DEMO_USERNAME)
    assert user.role == "analyst" and user.check_password("tweede-2")
    assert users.filter(username=DEMO_USERNAME).count() == 1


def test_unknown_step_is_an_error() -> None:
    with pytest.raises(KeyError, match="nope"):
        load_demo(only={"nope"}, verbose=False)


@pytest.mark.django_db
def test_full_demo_loads_everything_and_a_second_run_changes_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("WIJKBEELD_DEMO_PASSWORD", "uit-de-omgeving")
    result = load_demo(verbose=True)
    assert result.skipped == ()
    assert {s.key: s.state for s in result.steps} == {s.key: "geladen" for s in DEMO_STEPS}
    out = capsys.readouterr().out
    assert f"[{len(DEMO_STEPS)}/{len(DEMO_STEPS)}]" in out
    assert "'uit-de-omgeving'" in out and "Open http://127.0.0.1:8000/" in out

    years = {s.key: s.boundary_year for s in result.steps}
    assert years["kwb-2020"] == 2020 and years["kwb-2024"] == 2024
    assert years["grenzen-amsterdam"] == 2024
    # The Den Haag region wijk polygons land in the boundary year of their series.
    assert years["grenzen-haaglanden"] == years["haaglanden-aandelen"]
    # Municipalities of the Den Haag region carry their names.
    names = dict(Area.objects.filter(level="municipality").values_list("code", "name"))
    assert names["GM0518"] == "'s-Gravenhage" and names["GM0363"] == "Amsterdam"
    assert Crosswalk.objects.count() > 0
    # One batch per file step; the names and the worked example (rounds) make none.
    assert ImportBatch.objects.filter(who="demo").count() == len(
        [s for s in DEMO_STEPS if s.kind in ("figures", "boundaries", "crosswalk")])

    before = _counts("default")
    again = load_demo(verbose=False)
    assert not again.changed
    assert {s.state for s in again.steps} == {"ongewijzigd"}
    assert _counts("default") == before
