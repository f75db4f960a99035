"""Crosswalks between boundary years: the real Amsterdam 2015 → 2022 file, the generic long CSV,
broken files (clear errors, database unchanged on SQLite and PostgreSQL) and replacement.
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from wijkbeeld.areas.crosswalk import read_crosswalk
from wijkbeeld.figures.errors import DataError
from wijkbeeld.web.areas.models import Crosswalk as CrosswalkRow
from wijkbeeld.web.areas.store import store_crosswalk
from wijkbeeld.web.figures.models import ImportBatch

HEADER = "from_code,from_year,to_code,to_year,weight\n"


@pytest.fixture(scope="module")
def amsterdam_path(raw: Path) -> Path:
    return raw / "amsterdam-kwb-2020-2024" / "amsterdam_buurten_2015_2022_crosswalk_wkt.csv"


@pytest.fixture(scope="module")
def amsterdam_pairs(amsterdam_path: Path) -> list[tuple[str, str]]:
    """(2015 code, 2022 code) per row, read with the csv module."""
    with amsterdam_path.open(encoding="utf-8-sig", newline="") as fh:
        return [(r["BUURTCODE_CBS_2015"], r["BUURTCODE_CBS_2022"]) for r in csv.DictReader(fh)]


def test_amsterdam_crosswalk_is_read(amsterdam_path: Path, amsterdam_pairs: list[Any]) -> None:
    cw = read_crosswalk(amsterdam_path)
    assert len(amsterdam_pairs) == 439
    assert cw.reader == "paired-columns"
    assert cw.year_pairs == [(2015, 2022)] and (cw.from_year, cw.to_year) == (2015, 2022)
    got = list(zip(cw.frame["from_code"], cw.frame["to_code"], strict=True))
    assert got == amsterdam_pairs
    assert set(cw.frame["weight"]) == {1.0}
    assert cw.frame["row"].tolist() == list(range(2, 441))
    assert cw.warnings == ()
    assert all(a.startswith("BU0363") and b.startswith("BU0363") for a, b in got)


def test_amsterdam_crosswalk_years_given(amsterdam_path: Path, amsterdam_pairs: list[Any]) -> None:
    forward = read_crosswalk(amsterdam_path, from_year=2020, to_year=2024)  # KWB 2020 → 2024
    assert forward.year_pairs == [(2020, 2024)]
    assert forward.frame["from_code"].tolist() == [a for a, _ in amsterdam_pairs]
    backward = read_crosswalk(amsterdam_path, from_year=2022, to_year=2015)
    assert backward.year_pairs == [(2022, 2015)]
    assert backward.frame["from_code"].tolist() == [b for _, b in amsterdam_pairs]


@pytest.mark.django_db(databases="__all__")
def test_amsterdam_crosswalk_stored_once(
    db_alias: str, amsterdam_path: Path, amsterdam_pairs: list[Any]
) -> None:
    cw = read_crosswalk(amsterdam_path)
    first = store_crosswalk(cw, who="test", using=db_alias)
    rows = CrosswalkRow.objects.using(db_alias)
    assert first.created and first.pairs == rows.count() == 439
    stored = set(rows.values_list("from_code", "from_year", "to_code", "to_year", "weight"))
    assert stored == {(a, 2015, b, 2022, 1.0) for a, b in amsterdam_pairs}
    assert set(rows.values_list("batch_id", flat=True)) == {first.batch_id}
    batch = ImportBatch.objects.using(db_alias).get(pk=first.batch_id)
    assert (batch.kind, batch.rows, batch.sha256) == ("crosswalk", 439, cw.sha256)
    again = store_crosswalk(read_crosswalk(amsterdam_path), who="test", using=db_alias)
    assert not again.created and again.batch_id == first.batch_id
    assert "niets gewijzigd" in again.summary()
    assert rows.count() == 439 and ImportBatch.objects.using(db_alias).count() == 1
    # the same file with other years is another crosswalk, stored beside the first
    other = store_crosswalk(
        read_crosswalk(amsterdam_path, from_year=2020, to_year=2022), who="test", using=db_alias
    )
    assert other.created and other.replaced == 0
    assert rows.count() == 2 * 439
    assert rows.filter(from_year=2020, to_year=2022).count() == 439


def _long_file(tmp: Path, name: str, lines: list[str], header: str = HEADER) -> Path:
    path = tmp / name
    path.write_text(header + "".join(line + "\n" for line in lines), encoding="utf-8")
    return path


def test_generic_long_format_with_splits(tmp_path: Path, amsterdam_pairs: list[Any]) -> None:
    (a, b), (c, d), (_, e) = amsterdam_pairs[:3]
    path = _long_file(tmp_path, "split.csv", [
        f"{a},2015,{b},2022,1",
        f"{c},2015,{d},2022,0.6",
        f"{c},2015,{e},2022,0.4",
    ])
    cw = read_crosswalk(path)
    assert cw.reader == "long" and cw.year_pairs == [(2015, 2022)]
    assert cw.frame["weight"].tolist() == [1.0, 0.6, 0.4]
    assert cw.warnings == ()


def test_long_format_years_and_decimal_comma(tmp_path: Path, amsterdam_pairs: list[Any]) -> None:
    (a, b), (c, d) = amsterdam_pairs[:2]
    path = _long_file(tmp_path, "semi.csv", [f"{a};{b};0,5", f"{c};{d};1"],
                      header="from_code;to_code;weight\n")
    with pytest.raises(DataError, match="no from_year column"):
        read_crosswalk(path)
    cw = read_crosswalk(path, from_year=2020, to_year=2024)
    assert cw.year_pairs == [(2020, 2024)] and cw.frame["weight"].tolist() == [0.5, 1.0]
    assert len(cw.warnings) == 1 and f"{a} (0.5)" in cw.warnings[0]  # half maps to nothing


@pytest.mark.django_db(databases="__all__")
def test_newer_crosswalk_replaces_mappings_of_the_same_areas(
    db_alias: str, tmp_path: Path, amsterdam_path: Path, amsterdam_pairs: list[Any]
) -> None:
    store_crosswalk(read_crosswalk(amsterdam_path), who="test", using=db_alias)
    (a, b), (_, c) = amsterdam_pairs[:2]
    path = _long_file(tmp_path, "fix.csv", [f"{a},2015,{b},2022,0.75", f"{a},2015,{c},2022,0.25"])
    result = store_crosswalk(read_crosswalk(path), who="test", using=db_alias)
    assert result.created and result.replaced == 1
    rows = CrosswalkRow.objects.using(db_alias)
    assert rows.count() == 439 + 1
    assert sorted(rows.filter(from_code=a).values_list("to_code", "weight")) == sorted(
        [(b, 0.75), (c, 0.25)]
    )


# ---------------------------------------------------------------- broken crosswalks


@dataclass(frozen=True)
class Case:
    path: Path
    row: int | None
    column: str | None
    text: str


def _pairs(raw: Path) -> list[tuple[str, str]]:
    path = raw / "amsterdam-kwb-2020-2024" / "amsterdam_buurten_2015_2022_crosswalk_wkt.csv"
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(r["BUURTCODE_CBS_2015"], r["BUURTCODE_CBS_2022"]) for r in csv.DictReader(fh)]


def weights_above_one(raw: Path, tmp: Path) -> Case:
    (a, b), (_, c) = _pairs(raw)[:2]
    path = _long_file(tmp, "over.csv", [f"{a},2015,{b},2022,0.8", f"{a},2015,{c},2022,0.7"])
    return Case(path, 3, "weight", "sum to 1.5")


def weight_out_of_range(raw: Path, tmp: Path) -> Case:
    (a, b), (c, d) = _pairs(raw)[:2]
    path = _long_file(tmp, "range.csv", [f"{a},2015,{b},2022,1", f"{c},2015,{d},2022,0"])
    return Case(path, 3, "weight", "not a number in (0, 1]")


def weight_text(raw: Path, tmp: Path) -> Case:
    (a, b), (c, d) = _pairs(raw)[:2]
    path = _long_file(tmp, "text.csv", [f"{a},2015,{b},2022,1", f"{c},2015,{d},2022,half"])
    return Case(path, 3, "weight", "'half'")


def malformed_code(raw: Path, tmp: Path) -> Case:
    (a, b), (c, _) = _pairs(raw)[:2]
    path = _long_file(tmp, "code.csv", [f"{a},2015,{b},2022,1", f"{c},2015,AE02,2022,1"])
    return Case(path, 3, "to_code", "not a CBS area code")


def split_without_weights(raw: Path, tmp: Path) -> Case:
    path = tmp / "split.csv"
    (a, b), (_, c) = _pairs(raw)[:2]
    path.write_text(f"old_2015,new_2022\n{a},{b}\n{a},{c}\n")
    return Case(path, 3, None, "no weight column")


def repeated_pair(raw: Path, tmp: Path) -> Case:
    (a, b), (c, d) = _pairs(raw)[:2]
    lines = [f"{a},2015,{b},2022,0.5", f"{c},2015,{d},2022,1", f"{a},2015,{b},2022,0.5"]
    return Case(_long_file(tmp, "dupe.csv", lines), 4, "to_code", "repeated (first in row 2)")


def same_year(raw: Path, tmp: Path) -> Case:
    (a, b) = _pairs(raw)[0]
    path = _long_file(tmp, "year.csv", [f"{a},2022,{b},2022,1"])
    return Case(path, 2, "to_year", "both 2022")


def different_levels(raw: Path, tmp: Path) -> Case:
    (a, b) = _pairs(raw)[0]
    path = _long_file(tmp, "level.csv", [f"{a},2015,WK{b[2:8]},2022,1"])
    return Case(path, 2, "to_code", "different levels")


def truncated(raw: Path, tmp: Path) -> Case:
    src = raw / "amsterdam-kwb-2020-2024" / "amsterdam_buurten_2015_2022_crosswalk_wkt.csv"
    text = src.read_text(encoding="utf-8")
    lines = text.splitlines(keepends=True)
    path = tmp / "truncated.csv"
    path.write_text("".join(lines[:20]) + lines[20][:60])
    return Case(path, 21, None, "cells where the header has 13")


def zero_bytes(raw: Path, tmp: Path) -> Case:
    path = tmp / "empty.csv"
    path.write_bytes(b"")
    return Case(path, None, None, "0 bytes")


def binary_named_csv(raw: Path, tmp: Path) -> Case:
    path = tmp / "workbook.csv"
    path.write_bytes((raw / "rivm-gezondheidsmonitor-buurt" /
                      "rivm_gezondheid_2012_18plus.xlsx").read_bytes()[:10000])
    return Case(path, None, None, "binary content")


def not_a_crosswalk(raw: Path, tmp: Path) -> Case:
    src = raw / "amsterdam-kwb-2020-2024" / "Kerncijfers_wijken_en_buurten_2024.csv"
    path = tmp / "figures.csv"
    path.write_bytes(src.read_bytes())
    return Case(path, None, None, "not a crosswalk")


CASES: list[Callable[[Path, Path], Case]] = [
    weights_above_one, weight_out_of_range, weight_text, malformed_code, split_without_weights,
    repeated_pair, same_year, different_levels, truncated, zero_bytes, binary_named_csv,
    not_a_crosswalk,
]


@pytest.mark.django_db(databases="__all__")
@pytest.mark.parametrize("make", CASES, ids=[c.__name__ for c in CASES])
def test_broken_crosswalk_is_refused_and_nothing_changes(
    make: Callable[[Path, Path], Case], raw: Path, tmp_path: Path, db_alias: str,
    amsterdam_path: Path,
) -> None:
    store_crosswalk(read_crosswalk(amsterdam_path), who="test", using=db_alias)
    rows = CrosswalkRow.objects.using(db_alias)
    before = (list(rows.order_by("id").values_list()),
              list(ImportBatch.objects.using(db_alias).values_list("id", "sha256")))
    case = make(raw, tmp_path)
    with pytest.raises(DataError) as caught:
        crosswalk = read_crosswalk(case.path, from_year=None, to_year=None)
        store_crosswalk(crosswalk, who="test", using=db_alias)
    problem = caught.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(case.path), case.row, case.column)
    assert case.text in problem.message
    after = (list(rows.order_by("id").values_list()),
             list(ImportBatch.objects.using(db_alias).values_list("id", "sha256")))
    assert after == before
