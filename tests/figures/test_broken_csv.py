"""Broken figures files: each gives a DataError naming the file, row and column, and the database
(SQLite and PostgreSQL) is exactly as it was before the attempt.

The broken files are made in the test from the real KWB 2024 and Den Haag files, so everything
else in them is realistic.
"""

from __future__ import annotations

import csv
import io
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.errors import DataError
from wijkbeeld.figures.readers import read_figures

KWB = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
HAAG = "haaglanden-wijken-zorg/df_count_ver_3.csv"


def kwb_rows(raw: Path) -> list[list[str]]:
    with (raw / KWB).open(encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh, delimiter=";"))


def write_rows(path: Path, rows: list[list[str]], sep: str = ";") -> Path:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=sep, lineterminator="\n").writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return path


def set_cell(rows: list[list[str]], line: int, column: str, value: str) -> list[list[str]]:
    """A copy of ``rows`` with one cell replaced; ``line`` is the 1-based file line."""
    out = [list(r) for r in rows]
    out[line - 1][rows[0].index(column)] = value
    return out


# Each case: file name, how to make it from the KWB rows, expected (row, column), message part.
Case = tuple[str, Callable[[list[list[str]], Path], Path], int | None, str | None, str]


def _truncated_middle(rows: list[list[str]], d: Path) -> Path:
    text = "\n".join(";".join(r) for r in rows[:60]) + "\n"
    lines = text.split("\n")
    lines[40] = ";".join(rows[40][:10])  # line 41 stops after 10 fields
    return _text(d / "afgebroken_2024.csv", "\n".join(lines))


def _truncated_last(rows: list[list[str]], d: Path) -> Path:
    # The download broke off after the tenth field of the last row (no line end either).
    text = "\n".join(";".join(r) for r in rows[:-1]) + "\n" + ";".join(rows[-1][:10])
    return _text(d / "laatste_regel_2024.csv", text)


def _text(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


CASES: list[Case] = [
    ("truncated row", _truncated_middle, 41, "Avg_Property_Value_1000EUR", "truncated"),
    # The file ends in the middle of its last row: nothing before it may be stored either.
    ("truncated last row", _truncated_last, 629, "Avg_Property_Value_1000EUR", "truncated"),
    # Saved with "," as separator but the decimal commas left unquoted ("1,8"): rows split apart.
    ("comma separator with decimal commas",
     lambda rows, d: _text(d / "komma_2024.csv", "\n".join(",".join(r) for r in rows[:30])), 2,
     "Urbanization_Level", "decimal comma"),
    ("one row with another separator",
     lambda rows, d: _text(d / "gemengd_2024.csv", "\n".join(
         [";".join(r) for r in rows[:20]] + ["\t".join(rows[20])] + [";".join(rows[21])])),
     21, "Municipality_Name", "'\\t' as separator"),
    ("no separator at all",
     lambda rows, d: _text(d / "spaties_2024.csv", "\n".join(" ".join(r) for r in rows[:10])),
     1, "District_Type Municipality_Name Area_Code Population_Tota...",
     "cannot find the separator"),
    ("malformed code", lambda rows, d: write_rows(
        d / "code_2024.csv", set_cell(rows, 12, "Area_Code", "BU0363A")), 12, "Area_Code",
     "'BU0363A' is not a CBS area code"),
    ("malformed code in the last row", lambda rows, d: write_rows(
        d / "code_laatst_2024.csv", set_cell(rows, 629, "Area_Code", "BU0363XX1")), 629,
     "Area_Code", "not a CBS area code"),
    ("empty code", lambda rows, d: write_rows(
        d / "geen_code_2024.csv", set_cell(rows, 5, "Area_Code", "  ")), 5, "Area_Code",
     "no area code"),
    ("text in a number column", lambda rows, d: write_rows(
        d / "tekst_2024.csv", set_cell(rows, 300, "Avg_Property_Value_1000EUR", "n.v.t.")), 300,
     "Avg_Property_Value_1000EUR", "text 'n.v.t.' in a number column"),
    ("duplicate row as the last row",
     lambda rows, d: write_rows(d / "dubbel_2024.csv", [*rows, rows[9]]), 630, "Area_Code",
     "already given in row 10"),
    ("percentage above 100", lambda rows, d: write_rows(
        d / "procent_2024.csv", set_cell(rows, 7, "Pct_Rental", "170.0")), 7, "Pct_Rental",
     "percentage 170 outside 0 to 100"),
    ("negative count", lambda rows, d: write_rows(
        d / "negatief_2024.csv", set_cell(rows, 8, "Pop_Age_0_15", "-5")), 8, "Pop_Age_0_15",
     "negative value -5"),
    ("sentinel", lambda rows, d: write_rows(
        d / "sentinel_2024.csv", set_cell(rows, 9, "Population_Total", "-99999999")), 9,
     "Population_Total", "sentinel value -99999999"),
    ("unclosed quote", lambda rows, d: _text(d / "quote_2024.csv", "\n".join(
        [";".join(r) for r in rows[:14]] + [";".join(rows[14]).replace(";1,", ';"1,', 1)]
        + [";".join(r) for r in rows[15:30]])), 15, "Avg_Household_Size", "unclosed quote"),
    ("header only", lambda rows, d: write_rows(d / "kop_2024.csv", rows[:1]), 2, "Area_Code",
     "no data rows"),
    ("column name twice", lambda rows, d: write_rows(
        d / "kolom_2024.csv", [[*r[:-1], "Pct_Rental" if i == 0 else r[-1]]
                               for i, r in enumerate(rows[:20])]), 1, "Pct_Rental",
     "appears twice"),
    ("column not in the catalogue", lambda rows, d: write_rows(
        d / "onbekend_2024.csv", [[*r, "Aantal_Honden" if i == 0 else "3"]
                                  for i, r in enumerate(rows[:20])]), 1, "Aantal_Honden",
     "not in the indicator catalogue"),
    ("blank lines only", lambda rows, d: _text(d / "leeg_2024.csv", "\n \n\t\n"), 1, None,
     "empty"),
    ("zero bytes", lambda rows, d: _text(d / "nul_2024.csv", ""), None, None, "0 bytes"),
    ("binary file named .csv",
     lambda rows, d: _bytes(d / "plaatje_2024.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), 3,
     None, "binary file"),
    ("Excel workbook named .csv",
     lambda rows, d: _bytes(d / "werkboek_2024.csv", b"PK\x03\x04\x14\x00\x06\x00" + b"x" * 64),
     1, None, "ZIP archive"),
    ("undecodable bytes",
     lambda rows, d: _bytes(d / "bytes_2024.csv", b"a;b\nGM0363;\x81\x8d\x8f\n"), 2, None,
     "not a text file"),
]


def _bytes(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path


def _counts(using: str) -> tuple[int, int, int, int]:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation

    return (
        Area.objects.using(using).count(), Observation.objects.using(using).count(),
        ImportBatch.objects.using(using).count(), Indicator.objects.using(using).count(),
    )


@pytest.fixture
def seeded(raw: Path, tmp_path: Path, db_alias: str) -> str:
    """A database that already holds a real import, so "unchanged" means something."""
    from wijkbeeld.web.figures.store import store_table

    rows = kwb_rows(raw)
    seed = write_rows(tmp_path / "seed_2024.csv", rows[:50])
    store_table(read_figures(seed), using=db_alias)
    return db_alias


def _import(path: Path, using: str) -> None:
    from wijkbeeld.web.figures.store import store_table

    store_table(read_figures(path, catalogue=load_catalogue()), using=using)


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_broken_file(raw: Path, tmp_path: Path, seeded: str, case: Case) -> None:
    _, make, row, column, needle = case
    path = make(kwb_rows(raw), tmp_path)
    before = _counts(seeded)
    with pytest.raises(DataError) as err:
        _import(path, seeded)
    problems = err.value.problems
    assert all(p.file == str(path) for p in problems)
    assert (problems[0].row, problems[0].column) == (row, column), str(err.value)
    assert needle in problems[0].message, str(err.value)
    assert str(path) in str(err.value)
    assert _counts(seeded) == before


@pytest.mark.django_db(databases="__all__")
def test_share_above_one_in_den_haag(raw: Path, tmp_path: Path, seeded: str) -> None:
    with (raw / HAAG).open(encoding="utf-8", newline="") as fh:
        rows = list(csv.reader(fh))
    path = write_rows(tmp_path / "df_count.csv", set_cell(rows, 500, "%_Low_Income", "1.5"), ",")
    before = _counts(seeded)
    with pytest.raises(DataError) as err:
        _import(path, seeded)
    (problem,) = err.value.problems
    assert (problem.file, problem.row, problem.column) == (str(path), 500, "%_Low_Income")
    assert problem.message == "share 1.5 outside 0 to 1"
    assert _counts(seeded) == before


@pytest.mark.django_db(databases="__all__")
def test_many_problems_are_all_listed(raw: Path, tmp_path: Path, seeded: str) -> None:
    rows = kwb_rows(raw)
    for line in (5, 50, 500):
        rows = set_cell(rows, line, "Pct_Owner_Occupied", "veel")
    rows = set_cell(rows, 600, "Area_Code", "WK0363")
    path = write_rows(tmp_path / "veel_2024.csv", rows)
    with pytest.raises(DataError) as err:
        _import(path, seeded)
    assert [(p.row, p.column) for p in err.value.problems] == [
        (5, "Pct_Owner_Occupied"), (50, "Pct_Owner_Occupied"), (500, "Pct_Owner_Occupied"),
        (600, "Area_Code"),
    ]


@pytest.mark.django_db(databases="__all__")
def test_failure_inside_the_store_rolls_everything_back(
    raw: Path, seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A valid file whose storage fails half-way (after its areas and batch were written)
    leaves no trace: the areas, batch and observations are rolled back together."""
    from wijkbeeld.web.figures import store

    table = read_figures(raw / KWB)  # 628 areas, 517 of them new to the seeded database
    before = _counts(seeded)

    def fail(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr(store, "_insert_rows", fail)
    with pytest.raises(RuntimeError, match="disk full"):
        store.store_table(table, using=seeded)
    assert _counts(seeded) == before
    monkeypatch.undo()
    result = store.store_table(table, using=seeded)
    assert result.created and result.areas_created == 628 - 49


@pytest.mark.django_db(databases="__all__")
def test_dangling_references_are_caught_before_commit(
    raw: Path, seeded: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The observation table has no database foreign keys (import speed); the importer's own
    set-based check refuses a batch whose rows point at no area, and nothing is stored."""
    from wijkbeeld.web.figures import store

    table = read_figures(raw / KWB)
    before = _counts(seeded)
    real_insert = store._insert_rows

    def corrupt(using: str, name: str, data: dict[str, object]) -> None:
        data = dict(data)
        if "area_id" in data:  # the observations, not the areas inserted before them
            data["area_id"] = data["area_id"] + 10_000_000  # type: ignore[operator]
        real_insert(using, name, data)  # type: ignore[arg-type]

    monkeypatch.setattr(store, "_insert_rows", corrupt)
    with pytest.raises(RuntimeError, match="point at no stored area"):
        store.store_table(table, using=seeded)
    assert _counts(seeded) == before


def test_cli_reports_file_row_and_column(raw: Path, tmp_path: Path) -> None:
    path = write_rows(
        tmp_path / "tekst_2024.csv", set_cell(kwb_rows(raw), 300, "Pct_Rental", "zeventig")
    )
    env = {**os.environ, "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'x.sqlite3'}"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "-m", "wijkbeeld.cli", "import", "figures", str(path)],
        env=env, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 2
    assert f"{path}, row 300, column 'Pct_Rental': text 'zeventig' in a number column" in (
        done.stderr
    )
    assert "niets geïmporteerd" in done.stderr
