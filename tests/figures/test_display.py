"""The one number formatter: every catalogue unit in Dutch and English, by hand."""

from __future__ import annotations

import math

import pytest

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.display import format_figure, format_plain, unit_text


@pytest.mark.parametrize(
    ("value", "unit", "nl", "en"),
    [
        (0.07795, "fraction", "7,8 %", "7.8 %"),
        (0.0004, "fraction", "< 0,1 %", "< 0.1 %"),
        (0.0, "fraction", "0 %", "0 %"),
        (1.0, "fraction", "100 %", "100 %"),
        (7.8, "percent", "7,8 %", "7.8 %"),
        (20.0, "percent", "20 %", "20 %"),
        (0.04, "percent", "< 0,1 %", "< 0.1 %"),
        (12.25, "percent", "12,3 %", "12.3 %"),
        (931298.0, "count", "931.298", "931,298"),
        (12.0, "count", "12", "12"),
        (0.001, "count", "< 0,01", "< 0.01"),
        (1975.4338, "eur", "€ 1.975", "€ 1,975"),
        (-250.0, "eur", "-€ 250", "-€ 250"),
        (31.4, "eur_1000", "€ 31.400", "€ 31,400"),
        (0.61, "km", "0,6 km", "0.6 km"),
        (0.01, "km", "< 0,1 km", "< 0.1 km"),
        (2.134, "number", "2,13", "2.13"),
        (-0.12, "number", "-0,12", "-0.12"),
        (41.27, "years", "41,3 jaar", "41.3 years"),
        (5432.4, "per_km2", "5.432 per km²", "5,432 per km²"),
        (12.0, "per_1000", "12 per 1.000 inwoners", "12 per 1,000 residents"),
        (2.0, "class", "klasse 2", "class 2"),
        (None, "percent", "–", "–"),
        (math.nan, "count", "–", "–"),
    ],
)
def test_format_figure(value: float | None, unit: str, nl: str, en: str) -> None:
    assert format_figure(value, unit, "nl") == nl
    assert format_figure(value, unit, "en") == en


def test_every_catalogue_unit_is_known() -> None:
    units = {ind.unit.value for ind in load_catalogue().indicators.values()}
    assert units <= {"count", "percent", "fraction", "eur", "eur_1000", "km", "number",
                     "years", "per_km2", "class"}
    for unit in units:
        assert unit_text(unit, "nl") != unit or unit in {"km", "%"}
        assert "0,0" not in format_figure(0.00001, unit, "nl").replace("0,01", "")


def test_unit_text_and_plain() -> None:
    assert unit_text("fraction") == "%"
    assert unit_text("eur_1000", "en") == "euro"
    assert unit_text("number") == ""
    assert format_plain(1234.56, 1) == "1.234,6"
    assert format_plain(1234.56, 1, "en") == "1,234.6"
    assert format_plain(None, 2) == "–"
