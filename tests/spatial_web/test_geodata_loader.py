"""The loader (stored areas + one indicator or theme score) on SQLite and PostgreSQL."""

from __future__ import annotations

import math

import pytest
from test_map_page import raw_low_income, store_demo, wipe_all


@pytest.mark.django_db(databases="__all__", transaction=True)
def test_area_layer_joins_values_to_shapes(db_alias: str) -> None:
    from wijkbeeld.web.areas.geodata import LayerError, area_layer

    wipe_all(db_alias)
    try:
        store_demo(db_alias)
        with pytest.raises(LayerError, match="onbekende indicator"):
            area_layer("GM0363", 2024, indicator="bestaat_niet", using=db_alias)
        layer = area_layer("GM0363", 2024, indicator="huishoudens_laag_inkomen_pct",
                           using=db_alias)
        raw = raw_low_income()
        assert layer.boundary_year == 2024 and layer.polarity == "higher_is_worse"
        assert len(layer.areas) == 518
        for code, value in layer.areas["value"].items():
            expected = raw.get(str(code), math.nan)
            assert (math.isnan(value) and math.isnan(expected)) or value == expected
        assert layer.n_with_value == sum(
            1 for c in layer.areas.index if not math.isnan(raw.get(str(c), math.nan)))
        assert layer.areas.crs == "EPSG:4326" and layer.areas.geometry.is_valid.all()
        theme = area_layer("GM0363", 2024, theme="werk_inkomen", using=db_alias)
        assert theme.polarity == "higher_is_better" and theme.n_with_value > 400
    finally:
        wipe_all(db_alias)
