"""Issue 21, items 2 and 3: area codes that exist, codes built from parts, names that match.

Constructed defect files (placeholder code, unknown code, codes whose parts disagree, name typo,
duplicate name, unnamed index column) each get a clear error naming file, row and column, and the
database is unchanged after one. A name-keyed fixture imports with the right codes. The real
Haaglanden files: Den Haag's wijk boundaries are the boundary set, and a name-keyed table built
from the real ELAN series (names as ELAN writes them) is matched; the expected codes are read
from the raw files, never from the code under test.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path

import pytest

from wijkbeeld.areas.geometry import read_boundaries
from wijkbeeld.areas.search import AreaCandidate
from wijkbeeld.figures.areakeys import AreaKeys, KnownAreas, read_name_mapping
from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.figures.table import FigureTable

HAAGLANDEN = "haaglanden-wijken-zorg"
CATALOGUE = load_catalogue()


class FakeAreas:
    """A boundary set without a database: the areas of one municipality and year."""

    def __init__(self, areas: Sequence[tuple[str, str, str]], year: int = 2024) -> None:
        self.areas, self.year = list(areas), year

    def candidates(self, municipality: str, year: int) -> list[AreaCandidate]:
        return [AreaCandidate(code, name, level, municipality, year)
                for code, name, level in self.areas
                if year == self.year and code[2:6] == municipality[2:6]]

    def known(self, codes: Sequence[str], year: int) -> KnownAreas:
        stored = {c for c, _, _ in self.areas}
        return KnownAreas(year, frozenset(c for c in codes if c in stored))


ROTTERDAM = FakeAreas([
    ("BU05990110", "Stadsdriehoek", "neighbourhood"),
    ("BU05990111", "Cool", "neighbourhood"),
    ("BU05990112", "C.S. Kwartier", "neighbourhood"),
    ("BU05990113", "Nieuwe Werk", "neighbourhood"),
    ("BU05990120", "Oud-Crooswijk", "neighbourhood"),
    ("BU05990121", "Nieuw Crooswijk", "neighbourhood"),
    ("BU05990130", "Buurt 30 Kralingen-West", "neighbourhood"),
    ("BU05990131", "'s-Gravenland", "neighbourhood"),
    ("BU05990140", "Sint Jacobsplaats", "neighbourhood"),
    ("BU05990150", "Zuidplein", "neighbourhood"),
    ("BU05990151", "Zuidplein", "neighbourhood"),  # a name twice in the municipality
    ("WK059901", "Stadscentrum", "district"),
    ("WK059902", "Cool", "district"),  # same name as a buurt: a BUURT column means the buurt
])


def _write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def _read(path: Path, **keys: object) -> FigureTable:
    return read_figures(path, catalogue=CATALOGUE, keys=AreaKeys(**keys))  # type: ignore[arg-type]


def _codes(table: FigureTable) -> dict[str, str]:
    first = table.frame.drop_duplicates("area_code")
    return dict(zip(first["area_name"], first["area_code"], strict=True))


# --- item 2: codes that cannot be real -------------------------------------------------------

@pytest.mark.parametrize("code", ["BU00000000", "GM0000", "WK000000"])
def test_placeholder_code_is_an_error(tmp_path: Path, code: str) -> None:
    path = _write(tmp_path / "kwb_2024.csv",
                  f"Area_Code;Population_Total\nGM0363;931298\n{code};12\n")
    with pytest.raises(DataError) as err:
        _read(path)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 3, "Area_Code")
    assert code in problem.message and "plaatsvervangende code" in problem.message


def test_code_whose_municipality_disagrees_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "kwb_2024.csv",
                  "GMC;Area_Code;Population_Total\nGM0363;BU03630000;10\nGM0363;BU03620001;3\n")
    with pytest.raises(DataError) as err:
        _read(path)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "GMC")  # a code column beside the code column
    assert "spreken elkaar tegen" in problem.message and "GM0362" in problem.message


def test_buurt_whose_wijk_disagrees_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "kwb_2024.csv",
                  "Area_Code;WK_CODE;Population_Total\nBU03630001;WK036300;10\n"
                  "BU03630102;WK036300;3\n")
    with pytest.raises(DataError) as err:
        read_figures(path, catalogue=CATALOGUE)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "WK_CODE")
    assert "WK036301" in problem.message


def test_codes_from_prefix_and_from_parts(tmp_path: Path) -> None:
    prefix = _write(tmp_path / "buurten_2024.csv", "nr;Population_Total\n103;10\n0104;20\n")
    table = _read(prefix, code_prefix="BU0758", code_column="nr")
    assert table.area_codes == ["BU07580103", "BU07580104"]
    assert table.code_column == "nr"
    parts = _write(tmp_path / "delen_2024.csv",
                   "gem;wijk;buurt;Population_Total\n758;;;100\n758;1;;30\n758;1;3;10\n")
    table = _read(parts, code_parts=("gem", "wijk", "buurt"))
    assert table.area_codes == ["GM0758", "WK075801", "BU07580103"]
    assert set(table.frame["source_column"]) == {"Population_Total"}  # the parts are no figures
    bad = _write(tmp_path / "fout_2024.csv", "nr;Population_Total\n103;10\n12345;1\n")
    with pytest.raises(DataError) as err:
        _read(bad, code_prefix="BU0758", code_column="nr")
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (3, "nr") and "te lang" in problem.message


# --- item 3: an unnamed first column ----------------------------------------------------------

@pytest.mark.parametrize("header", ["", "Unnamed: 0"])
def test_unnamed_index_column_is_skipped(tmp_path: Path, header: str) -> None:
    path = _write(tmp_path / "kwb_2024.csv",
                  f"{header};Area_Code;Population_Total\n0;GM0363;931298\n1;WK036300;1000\n")
    table = _read(path)
    assert table.area_codes == ["GM0363", "WK036300"]
    assert set(table.frame["source_column"]) == {"Population_Total"}
    assert any("row number" in w for w in table.warnings)


def test_unnamed_first_column_with_codes_is_the_key(tmp_path: Path) -> None:
    path = _write(tmp_path / "kwb_2024.csv", ",Population_Total\nGM0363,931298\nWK036300,1000\n")
    assert _read(path).area_codes == ["GM0363", "WK036300"]


def test_unnamed_first_column_with_names_is_matched(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten_2024.csv",
                  ";Population_Total\nNieuwe Werk;10\nStadsdriehoek;20\n")
    table = _read(path, municipality="GM0599", areas=ROTTERDAM)
    assert table.area_codes == ["BU05990113", "BU05990110"]
    cool = _write(tmp_path / "cool_2024.csv", ";Population_Total\nCool;10\n")
    with pytest.raises(DataError, match="meer gebieden"):  # no level said: buurt and wijk
        _read(cool, municipality="GM0599", areas=ROTTERDAM)


# --- item 3: names that match -----------------------------------------------------------------

def test_name_keyed_fixture_imports_with_the_right_codes(tmp_path: Path) -> None:
    """Case, accents, level word and number, 's-, hyphens, abbreviations."""
    path = _write(tmp_path / "buurten_2024.csv",
                  "BUURT;Population_Total\n"
                  "STADSDRIEHOEK;1\n"
                  "cool;2\n"
                  "C.S. kwartier;3\n"
                  "Nieuwe  Wérk;4\n"
                  "Buurt Oud Crooswijk;5\n"
                  "Nieuw-Crooswijk;6\n"
                  "Kralingen West;7\n"
                  "s Gravenland;8\n"
                  "St. Jacobsplaats;9\n")
    table = _read(path, municipality="GM0599", areas=ROTTERDAM)
    assert _codes(table) == {
        "STADSDRIEHOEK": "BU05990110", "cool": "BU05990111", "C.S. kwartier": "BU05990112",
        "Nieuwe  Wérk": "BU05990113", "Buurt Oud Crooswijk": "BU05990120",
        "Nieuw-Crooswijk": "BU05990121", "Kralingen West": "BU05990130",
        "s Gravenland": "BU05990131", "St. Jacobsplaats": "BU05990140",
    }
    assert table.code_column == "BUURT"


@pytest.mark.parametrize("column", ["BUURT", "buurtnaam", "BU_NAAM", "Buurt naam", "naam"])
def test_usual_name_columns_are_recognised(tmp_path: Path, column: str) -> None:
    path = _write(tmp_path / "buurten_2024.csv", f"{column};Population_Total\nZuidplein West;1\n")
    with pytest.raises(DataError) as err:  # recognised: the name is looked up, not refused
        _read(path, municipality="GM0599", areas=ROTTERDAM)
    assert err.value.problems[0].column == column
    assert "Zuidplein (BU05990150)" in str(err.value)


def test_wijk_column_matches_wijken(tmp_path: Path) -> None:
    path = _write(tmp_path / "wijken_2024.csv", "WIJK;Population_Total\ncool;1\n")
    assert _read(path, municipality="GM0599", areas=ROTTERDAM).area_codes == ["WK059902"]


def test_typo_is_an_error_naming_the_candidate(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten_2024.csv",
                  "buurtnaam;Population_Total\nCool;1\nStadsdriehoeck;2\n")
    with pytest.raises(DataError) as err:
        _read(path, municipality="GM0599", areas=ROTTERDAM)
    problem = err.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), 3, "buurtnaam")
    assert "'Stadsdriehoeck'" in problem.message
    assert "Stadsdriehoek (BU05990110)" in problem.message
    assert "koppelbestand" in problem.message
    assert "--write-mapping" in str(err.value)


def test_duplicate_name_in_the_file_is_an_error(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten_2024.csv",
                  "BUURT;Population_Total\nOud-Crooswijk;1\nCool;2\noud crooswijk;3\n")
    with pytest.raises(DataError) as err:
        _read(path, municipality="GM0599", areas=ROTTERDAM)
    (problem,) = err.value.problems
    assert (problem.row, problem.column) == (4, "BUURT")
    assert "'oud crooswijk'" in problem.message and "'Oud-Crooswijk'" in problem.message
    assert "rij 2" in problem.message and "BU05990120" in problem.message


def test_name_of_two_areas_is_an_error_listing_both(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten_2024.csv", "BUURT;Population_Total\nZuidplein;1\n")
    with pytest.raises(DataError) as err:
        _read(path, municipality="GM0599", areas=ROTTERDAM)
    message = err.value.problems[0].message
    assert "BU05990150" in message and "BU05990151" in message and "meer gebieden" in message


def test_names_need_a_municipality(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten_2024.csv", "BUURT;Population_Total\nCool;1\n")
    with pytest.raises(DataError, match="--municipality"):
        _read(path, areas=ROTTERDAM)


def test_write_mapping_then_import_with_it(tmp_path: Path) -> None:
    path = _write(tmp_path / "buurten_2024.csv",
                  "BUURT;Population_Total\nCool;1\nStadsdriehoeck;2\n")
    proposal = tmp_path / "voorstel.csv"
    with pytest.raises(DataError) as err:
        _read(path, municipality="GM0599", areas=ROTTERDAM, write_mapping=proposal)
    assert str(proposal) in str(err.value)
    rows = list(csv.DictReader(proposal.open(encoding="utf-8"), delimiter=";"))
    assert [(r["naam"], r["code"], r["soort"]) for r in rows] == [
        ("Cool", "BU05990111", "exact"),
        ("Stadsdriehoeck", "BU05990110", "voorstel: controleren"),
    ]
    table = _read(path, municipality="GM0599", areas=ROTTERDAM,
                  name_mapping=read_name_mapping(proposal))
    assert _codes(table) == {"Cool": "BU05990111", "Stadsdriehoeck": "BU05990110"}


def test_name_mapping_mistakes(tmp_path: Path) -> None:
    mapping = _write(tmp_path / "m.csv", "naam;code\nCool;BU05990111\nCool;BU05990112\nX;\n")
    with pytest.raises(DataError) as err:
        read_name_mapping(mapping)
    assert [(p.row, p.column) for p in err.value.problems] == [(3, "naam"), (4, "code")]


def test_mapped_file_with_names(tmp_path: Path) -> None:
    data = _write(tmp_path / "eigen.csv", "buurt;jaar;inw\nCOOL;2024;5\n's Gravenland;2024;6\n")
    mapping = _write(tmp_path / "m.toml",
                     'name_column = "buurt"\nperiod_column = "jaar"\nsource = "Rotterdam"\n'
                     'municipality = "GM0599"\n[columns]\ninw = "inwoners"\n')
    table = read_figures(data, catalogue=CATALOGUE, mapping=mapping,
                         keys=AreaKeys(areas=ROTTERDAM))
    assert _codes(table) == {"COOL": "BU05990111", "'s Gravenland": "BU05990131"}


# --- the database: unknown codes, nothing half-stored, real boundaries ------------------------

def _den_haag(raw: Path) -> dict[str, str]:
    """Den Haag's wijken in the raw boundary file: code -> name."""
    features = json.loads((raw / HAAGLANDEN / "haaglanden_wijken.geojson").read_text("utf-8"))
    return {f["properties"]["WK_CODE"]: f["properties"]["WK_NAAM"]
            for f in features["features"] if f["properties"]["WK_CODE"].startswith("WK0518")}


@pytest.fixture
def boundaries_2022(raw: Path, db_alias: str) -> str:
    from wijkbeeld.web.areas.store import store_boundaries

    store_boundaries(read_boundaries(raw / HAAGLANDEN / "haaglanden_wijken.geojson", year=2022),
                     who="test", using=db_alias)
    return db_alias


def _state(using: str) -> tuple[int, int, int]:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Observation

    return (Area.objects.using(using).count(), Observation.objects.using(using).count(),
            ImportBatch.objects.using(using).count())


@pytest.mark.django_db(databases="__all__")
def test_unknown_code_is_an_error_and_nothing_is_stored(
    raw: Path, boundaries_2022: str, tmp_path: Path
) -> None:
    from wijkbeeld.web.figures.store import store_table

    using = boundaries_2022
    known = sorted(_den_haag(raw))
    path = _write(tmp_path / "wijken_2022.csv",
                  f"WKC;AGE_MEAN\n{known[0]};40.5\nWK051877;38.0\n{known[1]};41.0\n")
    table = read_figures(path, catalogue=CATALOGUE)
    before = _state(using)
    with pytest.raises(DataError) as err:
        store_table(table, who="test", using=using)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 3, "WKC")
    assert "WK051877" in problem.message and "--allow-new-areas" in problem.message
    assert _state(using) == before

    result = store_table(table, who="test", using=using, allow_new_areas=True)
    assert result.created and result.new_areas == ("WK051877",)
    assert any("zonder naam" in w and "WK051877" in w for w in result.warnings)
    assert _state(using)[0] == before[0] + 1


@pytest.mark.django_db(databases="__all__")
def test_without_boundaries_the_codes_make_new_areas(db_alias: str, tmp_path: Path) -> None:
    from wijkbeeld.web.figures.store import store_table

    path = _write(tmp_path / "wijken_2022.csv", "WKC;WKN;AGE_MEAN\nWK051877;Nergens;38.0\n")
    result = store_table(read_figures(path, catalogue=CATALOGUE), who="test", using=db_alias)
    assert result.new_areas == ("WK051877",) and not result.warnings


@pytest.mark.django_db(databases="__all__")
def test_real_name_keyed_table_against_real_boundaries(
    raw: Path, boundaries_2022: str, tmp_path: Path
) -> None:
    """ELAN's Den Haag wijken of 2022 by name only (its WKN column), matched against the wijk
    names of the real boundary file ("Wijk 01 Oostduinen"). ELAN merged 15 wijken into 8 pairs
    ("Belgisch Park en Oostduinen" for both WK051801 and WK051802): those names match no wijk
    and are errors; the other 29 import with the codes ELAN gives them."""
    from wijkbeeld.web.figures.models import Observation
    from wijkbeeld.web.figures.store import StoredAreas, store_table

    using = boundaries_2022
    with (raw / HAAGLANDEN / "df_numeric_ver_6.csv").open(encoding="utf-8", newline="") as fh:
        rows = [r for r in csv.DictReader(fh)
                if r["WKC"].startswith("WK0518") and r["YEAR"] == "2022"]
    assert len(rows) == 44
    merged = {"Belgisch Park en Oostduinen", "Benoordenhout en Haagse Bos",
              "Binckhorst en Laakkwartier en Spoorwijk", "Centrum 's-Gravenhage",
              "Forepark en Leidschenveen", "Hoornwijk en Ypenburg", "Moerwijk en Zuiderpark",
              "Zorgvliet en Van Stolkpark en Scheveningse Bosjes"}
    keys = AreaKeys(municipality="GM0518", areas=StoredAreas(using))

    everything = tmp_path / "den_haag_2022.csv"
    with everything.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["wijknaam", "YEAR", "AGE_MEAN"])
        writer.writerows([r["WKN"].upper(), r["YEAR"], r["AGE_MEAN"]] for r in rows)
    with pytest.raises(DataError) as err:
        read_figures(everything, catalogue=CATALOGUE, keys=keys)
    located = [p for p in err.value.problems if p.row is not None]
    assert len(located) == len(merged) == 8  # one error per distinct name, at its first row
    for name in merged:
        assert sum(repr(name.upper()) in p.message for p in located) == 1
    centrum = next(p for p in located if "CENTRUM" in p.message)
    assert "Centrum (WK051828)" in centrum.message and centrum.column == "wijknaam"

    good = [r for r in rows if r["WKN"] not in merged]
    assert len(good) == 29
    clean = tmp_path / "den_haag_2022_schoon.csv"
    with clean.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, delimiter=";")
        writer.writerow(["wijknaam", "YEAR", "AGE_MEAN"])
        writer.writerows([r["WKN"].upper(), r["YEAR"], r["AGE_MEAN"]] for r in good)
    table = read_figures(clean, catalogue=CATALOGUE, keys=keys)
    result = store_table(table, who="test", using=using)
    assert result.created and result.new_areas == ()
    stored = dict(Observation.objects.using(using).filter(batch_id=result.batch_id)
                  .values_list("area__code", "value"))
    assert stored == pytest.approx({r["WKC"]: float(r["AGE_MEAN"]) for r in good})


def test_cli_unknown_codes_names_and_mapping(raw: Path, tmp_path: Path) -> None:
    """The command line end to end on real Den Haag boundaries: an unknown code stops the import
    (exit 2, nothing stored) until ``--allow-new-areas``; a name typo gets a proposal from
    ``--write-mapping`` that imports with ``--name-mapping``."""
    import os
    import subprocess
    import sys

    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    cli = [sys.executable, "-m", "wijkbeeld.cli"]

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run([*cli, *args], env=env, capture_output=True, text=True,
                              timeout=300, check=False)

    done = run("import", "areas", str(raw / HAAGLANDEN / "haaglanden_wijken.geojson"),
               "--year", "2022")
    assert done.returncode == 0, done.stderr
    names = _den_haag(raw)
    codes = _write(tmp_path / "wijken_2022.csv", "WKC;AGE_MEAN\nWK051801;40.5\nWK051877;38.0\n")
    done = run("import", "figures", str(codes))
    assert done.returncode == 2
    assert "row 3, column 'WKC'" in done.stderr and "WK051877" in done.stderr
    done = run("import", "figures", str(codes), "--allow-new-areas")
    assert done.returncode == 0, done.stderr
    assert "nieuwe gebieden in indeling 2022: WK051877" in done.stdout
    assert "zonder naam" in done.stderr

    typo = names["WK051807"].split(" ", 2)[2][:-1]  # "Wijk 07 Scheveningen" -> "Schevening"
    named = _write(tmp_path / "namen_2022.csv",
                   f"wijknaam;AGE_MEAN\n{names['WK051801'].upper()};41.0\n{typo};39.0\n")
    proposal = tmp_path / "voorstel.csv"
    done = run("import", "figures", str(named), "--municipality", "GM0518",
               "--write-mapping", str(proposal))
    assert done.returncode == 2 and f"'{typo}'" in done.stderr
    assert f"{names['WK051807'].split(' ', 2)[2]} (WK051807)" in done.stderr  # the candidate
    rows = list(csv.DictReader(proposal.open(encoding="utf-8"), delimiter=";"))
    assert [(r["naam"], r["code"]) for r in rows] == [(names["WK051801"].upper(), "WK051801"),
                                                     (typo, "WK051807")]
    done = run("import", "figures", str(named), "--municipality", "GM0518",
               "--name-mapping", str(proposal))
    assert done.returncode == 0, done.stderr
    shown = run("figures", "show", "WK051807", "--json", "--year", "2022")
    assert shown.returncode == 0, shown.stderr
    assert [r["value"] for r in json.loads(shown.stdout)] == [39.0]
