"""Every area of one level in the whole country with one indicator's values: the national map.

The municipal map starts from :func:`wijkbeeld.web.areas.geodata.area_layer`, one municipality at
a time. A national view must not loop over 350 municipalities (350 queries of shapes, 36 s at
national scale, README "Performance"): here the whole country is read with **one query for the
shapes** and **one query for the values**.

* Shapes: the simplified web copy (``geometry_web``, 5 m at import) of every area of the level
  in the **newest boundary year that has web shapes for that level anywhere in the country**
  (:func:`national_boundary_year`). One year for the whole country, so areas of two boundary
  years never overlap on the map (after a municipal merger the old and new municipality would).
* Values: the indicator's observations of every area of the level in the figure year, joined on
  the area code exactly as ``area_layer`` joins them: a value stored under the chosen boundary
  year wins over the same code stored under another one (counted in a note); within the figure
  year the latest period is used; suppressed and missing cells have no value (NaN).

Theme scores are not offered nationally: a theme score is a mean of z-scores *within each
municipality* (docs/compare.md), so side by side on one national scale each number would be
relative to a different reference; they stay on the municipal map.
"""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from django.db.models import Max

from wijkbeeld.web.areas.geodata import LayerError, choose_values, in_year
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Indicator, Observation

__all__ = [
    "NationalLayer",
    "national_boundary_year",
    "national_choices",
    "national_layer",
]


@dataclass(frozen=True, eq=False)
class NationalLayer:
    """Every area of ``level`` in ``boundary_year`` with one indicator in column ``value``.

    ``areas``: index = area code (sorted), columns ``name``, ``municipality``, ``value`` and the
    simplified web geometry (WGS84). ``period`` the figure period(s) used, ``source`` where the
    figures come from, ``notes`` what was left out or borrowed.
    """

    level: str
    boundary_year: int
    year: int
    variable: str
    label: str
    label_en: str
    period: str
    source: str
    areas: gpd.GeoDataFrame
    notes: tuple[str, ...]

    @property
    def n_with_value(self) -> int:
        return int(self.areas["value"].notna().sum())


def national_boundary_year(level: str, using: str = "default") -> int | None:
    """The newest boundary year with web shapes for ``level`` in the whole country (one query)."""
    found = (
        Area.objects.using(using).filter(level=level).exclude(geometry_web="")
        .aggregate(year=Max("boundary_year"))["year"]
    )
    return None if found is None else int(found)


def national_choices(
    level: str, boundary_year: int, using: str = "default",
) -> dict[str, tuple[int, ...]]:
    """Indicator key → figure years (newest first) with at least one usable value on an area
    of ``level`` whose code has a web shape in ``boundary_year`` (one query; the whole
    observation table of the level is read, so callers cache it per data version)."""
    mapped = (
        Area.objects.using(using)
        .filter(level=level, boundary_year=boundary_year).exclude(geometry_web="")
        .values("code")
    )
    # The observations' own columns only, filtered by a set of area ids: PostgreSQL hashes the
    # ids and aggregates integer/short-text pairs (joining the indicator key and area per row
    # and sorting ten million of them took 47 s for the whole country; this takes a few).
    area_ids = Area.objects.using(using).filter(level=level, code__in=mapped).values("id")
    pairs = (
        Observation.objects.using(using)
        .filter(area_id__in=area_ids, status="ok")
        .order_by().values_list("indicator_id", "period").distinct()
    )
    keys = dict(Indicator.objects.using(using).values_list("id", "key"))
    years: dict[str, set[int]] = {}
    for indicator_id, period in pairs:
        if period[:4].isdigit() and indicator_id in keys:
            years.setdefault(keys[indicator_id], set()).add(int(period[:4]))
    return {key: tuple(sorted(found, reverse=True)) for key, found in sorted(years.items())}


def _shapes(level: str, boundary_year: int, using: str) -> gpd.GeoDataFrame:
    """One query: every web shape of the level in the boundary year, sorted by code."""
    rows = list(
        Area.objects.using(using)
        .filter(level=level, boundary_year=boundary_year).exclude(geometry_web="")
        .order_by("code")
        .values_list("code", "name", "municipality", "geometry_web")
    )
    geoms = shapely.from_geojson([r[3] for r in rows]) if rows else np.array([], dtype=object)
    return gpd.GeoDataFrame(
        {"name": [r[1] for r in rows], "municipality": [r[2] for r in rows]},
        geometry=list(geoms),
        index=pd.Index([r[0] for r in rows], name="area"),
        crs="EPSG:4326",
    )


def _values(
    level: str, boundary_year: int, indicator: str, year: int, shapes: pd.Index, using: str,
) -> tuple[pd.Series, str, str, list[str]]:
    """One query: the indicator's values of every area of the level in ``year`` by code (NaN
    for suppressed or missing), the period(s) and source(s) used, notes (``shapes``: the codes
    on the map)."""
    rows = list(
        Observation.objects.using(using)
        .filter(in_year(year), area__level=level, indicator__key=indicator)
        .values_list("area__code", "area__boundary_year", "period", "value", "status",
                     "batch__source")
    )
    notes: list[str] = []
    if not rows:
        return pd.Series(dtype="float64"), str(year), "", notes
    chosen = choose_values(rows, boundary_year)  # the municipal map's rule (area_layer)
    # Counted only where a value lands on a shape: a whole other year's set (Amsterdam's 2024
    # wijken beside a 2022 national wijk layer) is "no shape", not "borrowed".
    mapped = chosen.values.index.isin(shapes)
    borrowed = int((~chosen.own.to_numpy() & mapped).sum())
    if borrowed:
        notes.append(f"{borrowed} waarden komen uit een andere indeling met dezelfde code")
    unmapped = int((~mapped).sum())
    if unmapped:
        notes.append(f"{unmapped} gebieden met een cijfer hebben geen opgeslagen grens")
    return chosen.values, ", ".join(chosen.periods), "; ".join(chosen.sources), notes


def national_layer(
    indicator: str,
    year: int,
    *,
    level: str = "neighbourhood",
    boundary_year: int | None = None,
    using: str = "default",
) -> NationalLayer:
    """Every area of ``level`` in the country with ``indicator``'s values in figure year
    ``year``, on the web shapes of ``boundary_year`` (default: :func:`national_boundary_year`).
    Raises :class:`LayerError` for an unknown indicator, no shapes or no figures."""
    if boundary_year is None:
        boundary_year = national_boundary_year(level, using)
        if boundary_year is None:
            raise LayerError(f"geen grenzen opgeslagen voor het niveau {level}")
    row = Indicator.objects.using(using).filter(key=indicator).values_list(
        "name_nl", "name_en").first()
    if row is None:
        raise LayerError(f"onbekende indicator {indicator!r}")
    shapes = _shapes(level, boundary_year, using)
    if shapes.empty:
        raise LayerError(f"geen grenzen opgeslagen voor {level}, indeling {boundary_year}")
    values, period, source, notes = _values(level, boundary_year, indicator, year, shapes.index,
                                            using)
    if values.empty:
        raise LayerError(f"geen cijfers voor {indicator} in {year} ({level})")
    areas = shapes.copy()
    areas["value"] = values.reindex(areas.index).astype("float64").to_numpy()
    areas = areas[["name", "municipality", "value", "geometry"]]
    return NationalLayer(level, boundary_year, year, indicator, str(row[0]), str(row[1]),
                         period, source, areas, tuple(notes))
