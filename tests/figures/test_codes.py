"""CBS area codes: levels, parents, padding, the 2022+ alphanumeric codes, and the real files."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from wijkbeeld.areas.codes import InvalidAreaCode, Level, is_valid_code, normalise_code, parse_code

KWB = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_{}.csv"


@pytest.mark.parametrize(
    ("raw", "code", "level", "parent", "municipality"),
    [
        ("GM0363", "GM0363", Level.MUNICIPALITY, None, "GM0363"),
        ("GM0363    ", "GM0363", Level.MUNICIPALITY, None, "GM0363"),
        ("WK036300", "WK036300", Level.DISTRICT, "GM0363", "GM0363"),
        ("WK0363AA  ", "WK0363AA", Level.DISTRICT, "GM0363", "GM0363"),
        ("BU03630000", "BU03630000", Level.NEIGHBOURHOOD, "WK036300", "GM0363"),
        (" bu0363aa01 ", "BU0363AA01", Level.NEIGHBOURHOOD, "WK0363AA", "GM0363"),
        ("WK051801", "WK051801", Level.DISTRICT, "GM0518", "GM0518"),
        ("NL01", "NL01", Level.COUNTRY, None, None),
    ],
)
def test_parse(
    raw: str, code: str, level: Level, parent: str | None, municipality: str | None
) -> None:
    parsed = parse_code(raw)
    assert (parsed.code, parsed.level, parsed.parent, parsed.municipality) == (
        code, level, parent, municipality,
    )
    assert is_valid_code(raw)


@pytest.mark.parametrize(
    "raw", ["", "   ", "GM363", "GM03630", "WK0363", "WK0363A", "BU0363A", "BU0363AA0",
            "WK1916--", "XX0363", "BU036300001", "Amsterdam", "0363"],
)
def test_invalid(raw: str) -> None:
    assert not is_valid_code(raw)
    with pytest.raises(InvalidAreaCode, match="not a CBS area code"):
        parse_code(raw)


def test_normalise_trims_statline_padding() -> None:
    assert normalise_code('GM0363    ') == "GM0363"


@pytest.mark.parametrize("year", [2020, 2024])
def test_real_kwb_codes_and_hierarchy(raw: Path, year: int) -> None:
    """Every code in the KWB file parses, and every parent derived from a code is a row of the
    same file (the file holds the gemeente, all its wijken and all their buurten)."""
    with (raw / KWB.format(year)).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    codes = [r["Area_Code"] for r in rows]
    parsed = [parse_code(c) for c in codes]
    levels = [p.level for p in parsed]
    expected = {2020: (1, 99, 479), 2024: (1, 110, 517)}[year]  # SOURCES.md, counted below too
    assert (
        levels.count(Level.MUNICIPALITY), levels.count(Level.DISTRICT),
        levels.count(Level.NEIGHBOURHOOD),
    ) == expected
    known = set(codes)
    assert all(p.parent in known for p in parsed if p.parent is not None)
    assert {p.municipality for p in parsed} == {"GM0363"}
    # The 2024 indeling uses alphanumeric wijk and buurt codes, 2020 the old numeric ones.
    below = [p.code for p in parsed if p.level is not Level.MUNICIPALITY]
    alnum = [c for c in below if not c[2:].isdigit()]
    assert alnum == (below if year == 2024 else [])
