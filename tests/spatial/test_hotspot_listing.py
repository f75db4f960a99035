"""The hotspot table people read: areas sorted by class then value, values in Dutch with unit."""

from __future__ import annotations

import math

import pandas as pd

from wijkbeeld.spatial.listing import dutch_value, hotspot_rows


def test_rows_sorted_by_class_in_legend_order_then_value() -> None:
    table = pd.DataFrame(
        {"value": [0.10, 0.30, math.nan, 0.25, 0.05, 0.20],
         "cluster_code": ["ns", "HH", "no_data", "HH", "LL", "ns"],
         "cluster": ["niet significant", "concentratie van opgaven", "geen gegevens",
                     "concentratie van opgaven", "concentratie van kracht",
                     "niet significant"]},
        index=["BU01", "BU02", "BU03", "BU04", "BU05", "BU06"])
    rows = hotspot_rows(table, {"BU02": "Noord", "BU04": "Oost", "BU05": "Zuid"})
    # HH (0.30, 0.25), LL, ns (0.20, 0.10), no_data; a missing name falls back to the code.
    assert [(r.code, r.name) for r in rows] == [
        ("BU02", "Noord"), ("BU04", "Oost"), ("BU05", "Zuid"), ("BU06", "BU06"),
        ("BU01", "BU01"), ("BU03", "BU03")]
    assert rows[0].cluster == "concentratie van opgaven"
    assert rows[-1].value is None


def test_values_in_dutch_with_their_unit() -> None:
    assert dutch_value(0.07795, "fraction") == "7,8 %"
    assert dutch_value(18.0, "percent") == "18,0 %"
    assert dutch_value(412.0, "eur_1000") == "€ 412.000"
    assert dutch_value(12345.0, "count") == "12.345"
    assert dutch_value(0.914, "score") == "+0,91"
    assert dutch_value(-1.5, "score") == "-1,50"
    assert dutch_value(5432.1, "per_km2") == "5.432 per km²"
    assert dutch_value(None, "percent") == "–"
    assert dutch_value(math.nan, "count") == "–"
