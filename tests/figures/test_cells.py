"""Cell parsing and periods: padding, decimal commas, ``.`` as suppressed, never a made-up 0."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest

from wijkbeeld.figures.cells import parse_cells
from wijkbeeld.figures.periods import normalise_period, period_year

SES = "amsterdam-ses-woa-2019/SES_WOA_scores_per_wijk_en_buurt_25042023_160857.csv"


def test_mixed_decimal_marks_padding_and_symbols() -> None:
    raw = pd.Series(["1,8", " 416.0", "  -0.100", "    .", "", None, "x", "1.234,5", "39,7 "])
    values, status, bad = parse_cells(raw)
    assert status.tolist() == [
        "ok", "ok", "ok", "suppressed", "missing", "missing", "suppressed", "ok", "ok"
    ]
    assert values[0] == 1.8 and values[1] == 416.0 and values[2] == -0.1
    assert values[7] == 1234.5 and values[8] == 39.7
    # Suppressed and missing cells carry no number at all, certainly not 0.
    assert values[[3, 4, 5, 6]].isna().all()
    assert not bad.any()


@pytest.mark.parametrize("text", ["abc", "12%", "inf", "-inf", "nan", "1e999", "1,2,3", "--"])
def test_text_and_non_finite_numbers_are_bad(text: str) -> None:
    values, status, bad = parse_cells(pd.Series(["5", text]))
    assert bad.tolist() == [False, True]
    assert math.isnan(values[1])
    assert status[1] == "ok"  # the caller turns a bad cell into an error naming row and column


def test_sentinels_are_left_for_the_validator() -> None:
    values, status, bad = parse_cells(pd.Series(["-99999999", "-99997"]))
    assert values.tolist() == [-99999999.0, -99997.0]
    assert status.tolist() == ["ok", "ok"] and not bad.any()


def test_scientific_notation_round_trips_exactly() -> None:
    text = "9.159354448698455e-05"  # as in the ELAN Den Haag files
    values, _, _ = parse_cells(pd.Series([text]))
    assert values[0] == float(text)


def test_real_ses_woa_column(raw: Path) -> None:
    """Every cell of the SES-WOA score column, checked against the csv module's reading."""
    with (raw / SES).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh, delimiter=";"))
    col = rows[0].index("SES-WOA/Totaalscore/Gemiddelde score (Getal)")
    cells = [r[col] for r in rows[1:]]
    values, status, bad = parse_cells(pd.Series(cells))
    assert not bad.any()
    n_dot = sum(c.strip() == "." for c in cells)
    assert n_dot > 0 and int((status == "suppressed").sum()) == n_dot
    for cell, value, st in zip(cells, values, status, strict=True):
        if cell.strip() == ".":
            assert st == "suppressed" and math.isnan(value)
        else:
            assert st == "ok" and value == float(cell.strip())


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("2020JJ00", "2020"), (" 2019 ", "2019"), ("2023KW02", "2023-Q2"), ("2024MM03", "2024-03"),
        ("2023*", "2023"), ("2022JJ00**", "2022"), (2021, "2021"), ("2022.0", "2022"),
    ],
)
def test_periods(raw: object, expected: str) -> None:
    assert normalise_period(raw) == expected
    assert period_year(expected) == int(expected[:4])


@pytest.mark.parametrize("raw", ["", "twintig", "20x4", "2024-13-01", "202", "2020AB01"])
def test_bad_periods_raise(raw: str) -> None:
    with pytest.raises(ValueError, match="not a period"):
        normalise_period(raw)
