"""The join rule of ``area_layer`` on SQLite and PostgreSQL, on small data built here.

``area_layer`` picks, per area code, the value stored under the chosen boundary year before one
stored under another boundary year with the same code, and within the figure year the latest
period; it reads only the municipality's own areas at the asked level, only periods that start
with the year, and the shapes of the newest boundary year that has any. The query that does this
was rewritten for speed (a subquery on the areas and a period range, see
``wijkbeeld.web.areas.geodata._indicator_values``); these cases pin the rule down.
"""

from __future__ import annotations

import json
import math

import pytest

GM = "GM9901"
OTHER = "GM9902"


def box(x: float) -> str:
    """A small square in WGS84 near Utrecht, ``x`` steps east; touching squares share an edge."""
    x0, y0, step = 5.10 + x * 0.01, 52.09, 0.01
    ring = [[x0, y0], [x0 + step, y0], [x0 + step, y0 + step], [x0, y0 + step], [x0, y0]]
    return json.dumps({"type": "Polygon", "coordinates": [ring]})


def build(using: str) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation

    batch = ImportBatch.objects.using(using).create(
        kind="figures", source="Testbron", file_name="test.csv", sha256="0" * 64, who="test")
    indicator = Indicator.objects.using(using).create(
        key="test_aandeel", name_nl="Testaandeel", name_en="Test share", unit="%",
        polarity="higher_is_worse", source="Testbron")
    areas = {}

    def area(code: str, year: int, municipality: str = GM, level: str = "neighbourhood",
             shape: str = "") -> None:
        areas[(code, year)] = Area.objects.using(using).create(
            code=code, boundary_year=year, level=level, name=f"Buurt {code}",
            municipality=municipality, geometry=shape, geometry_web=shape)

    for k, code in enumerate(["BU01", "BU02", "BU03", "BU04"]):
        area(code, 2024, shape=box(k))
    area("BU01", 2023)  # the same code in an older boundary year, without a shape
    area("BU02", 2023)
    area("BU05", 2023)  # only in the older boundary year: a value without a shape
    area("BU06", 2025)  # a newer boundary year without shapes: not the map's boundary year
    area("BU07", 2024, municipality=OTHER, shape=box(9))  # another municipality
    area("WK01", 2024, level="district", shape=box(0))  # another level

    def obs(code: str, year: int, period: str, value: float | None, status: str = "ok") -> None:
        Observation.objects.using(using).create(
            area=areas[(code, year)], indicator=indicator, period=period, value=value,
            status=status, source_column="kolom", batch=batch)

    obs("BU01", 2024, "2024", 10.0)
    obs("BU01", 2023, "2024", 99.0)  # same code, other boundary year: the own one wins
    obs("BU01", 2024, "2023", 98.0)  # another figure year
    obs("BU02", 2023, "2024", 20.0)  # only under the other boundary year: borrowed
    obs("BU03", 2024, "2024-01-01", 31.0)
    obs("BU03", 2024, "2024-07-01", 32.0)  # the latest period in the year wins
    obs("BU03", 2024, "2025", 97.0)  # the next year
    obs("BU04", 2024, "2024", None, status="suppressed")
    obs("BU05", 2023, "2024", 50.0)
    obs("BU06", 2025, "2024", 60.0)
    obs("BU07", 2024, "2024", 70.0)
    obs("WK01", 2024, "2024", 80.0)


def wipe(using: str) -> None:
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation

    for model in (Observation, Area, ImportBatch, Indicator):
        model.objects.using(using).all().delete()


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_area_layer_join_rule(db_alias: str) -> None:
    from wijkbeeld.web.areas.geodata import LayerError, area_layer

    wipe(db_alias)
    try:
        build(db_alias)
        layer = area_layer(GM, 2024, indicator="test_aandeel", using=db_alias)
        assert layer.boundary_year == 2024  # 2025 has areas but no shapes
        assert list(layer.areas.index) == ["BU01", "BU02", "BU03", "BU04"]
        values = layer.areas["value"].to_dict()
        assert values["BU01"] == 10.0 and values["BU02"] == 20.0 and values["BU03"] == 32.0
        assert math.isnan(values["BU04"])
        assert layer.period == "2024, 2024-07-01" and layer.source == "Testbron"
        # Values from another boundary year: BU02 (shown), BU05 and BU06 (no shape in 2024).
        assert layer.notes == ("3 waarden komen uit een andere indeling met dezelfde code",
                               "2 gebieden met een cijfer hebben geen opgeslagen grens")
        assert layer.areas.crs == "EPSG:4326" and list(layer.areas.columns) == [
            "name", "value", "geometry"]
        assert layer.areas.loc["BU03", "name"] == "Buurt BU03"
        assert layer.areas.geometry.is_valid.all()

        web = area_layer(GM, 2024, indicator="test_aandeel", web=True, using=db_alias)
        assert web.boundary_year == 2024 and web.areas["value"].equals(layer.areas["value"])
        older = area_layer(GM, 2023, indicator="test_aandeel", using=db_alias)
        assert older.areas["value"].dropna().to_dict() == {"BU01": 98.0}
        assert older.notes == ()
        with pytest.raises(LayerError, match="geen cijfers"):
            area_layer(GM, 2022, indicator="test_aandeel", using=db_alias)
        with pytest.raises(LayerError, match="geen grenzen"):
            area_layer(GM, 2024, indicator="test_aandeel", boundary_year=2025, using=db_alias)
        with pytest.raises(LayerError, match="geen grenzen"):
            area_layer("GM9999", 2024, indicator="test_aandeel", using=db_alias)
    finally:
        wipe(db_alias)
