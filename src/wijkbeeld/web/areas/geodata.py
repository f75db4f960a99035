"""Stored areas as a GeoDataFrame joined with one indicator or theme score, for the spatial core.

The CLI (``wijkbeeld hotspots``, ``wijkbeeld export``) and the map page both start here, then hand
the frame to :mod:`wijkbeeld.spatial`. Queries: one for the shapes of a municipality's level in
one boundary year (only the geometry column that is needed: the full ``geometry`` for hotspots
and exports, the simplified ``geometry_web`` for the map), and one for the indicator's values
(or, for a theme score, :func:`~wijkbeeld.web.figures.loading.figures_frame`, one query, and
:func:`wijkbeeld.compare.compare_all`).

Join. Figures are stored against an area in a boundary year. Values are joined on the area code;
a value stored under the chosen boundary year wins over the same code stored under another one
(counted in a note). Within the chosen figure year the latest period is used. Suppressed and
missing cells have no value (NaN): the spatial core marks them "geen gegevens". Areas without a
stored shape cannot be mapped or tested and are left out, with a note.

Theme scores are computed like ``wijkbeeld profile`` does with its default reference (the same
level in the same municipality, one year): a mean of signed z-scores, higher is better.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

import geopandas as gpd
import numpy as np
import pandas as pd
import pyproj
import shapely
from django.db.models import Q

from wijkbeeld.spatial.options import Polarity
from wijkbeeld.spatial.rates import smoothed_rates
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Indicator, Observation, Theme

__all__ = [
    "AreaLayer",
    "ChosenValues",
    "LayerError",
    "area_layer",
    "choose_values",
    "geometry_years",
    "in_year",
    "load_shapes",
]

VariableKind = Literal["indicator", "theme"]

#: Stored shapes are GeoJSON in WGS84; one CRS object shared by every frame made here.
WGS84 = pyproj.CRS.from_epsg(4326)


class LayerError(ValueError):
    """The layer asked for cannot be made (unknown indicator or theme, no shapes, no figures)."""


@dataclass(frozen=True, eq=False)
class AreaLayer:
    """Areas of one municipality, level and boundary year with one variable in column ``value``.

    ``areas``: index = area code, columns ``name``, ``value`` and the geometry (WGS84).
    ``kind``/``variable``: ``indicator`` and its key, or ``theme`` and its key; ``label`` its
    Dutch name; ``polarity`` what the hotspot classes call a challenge; ``period`` the figure
    period used; ``source`` where the figures come from.
    """

    municipality: str
    level: str
    boundary_year: int
    year: int
    kind: VariableKind
    variable: str
    label: str
    label_en: str
    polarity: Polarity
    period: str
    source: str
    areas: gpd.GeoDataFrame
    notes: tuple[str, ...]
    #: The catalogue unit of ``value`` ("fraction" for a count mapped as a rate; "" for a
    #: theme score, a plain number).
    unit: str = ""

    @property
    def n_with_value(self) -> int:
        return int(self.areas["value"].notna().sum())


def geometry_years(municipality: str, level: str, using: str = "default") -> list[int]:
    """Boundary years with stored shapes for the municipality's level, newest first."""
    years = (
        Area.objects.using(using)
        .filter(municipality=municipality, level=level)
        .exclude(geometry="")
        .order_by("-boundary_year")
        .values_list("boundary_year", flat=True)
        .distinct()
    )
    return list(years)


def load_shapes(
    municipality: str, level: str, boundary_year: int, *, web: bool = False,
    using: str = "default",
) -> gpd.GeoDataFrame:
    """The stored shapes (one query): index = code, columns ``name`` and geometry, WGS84.
    ``web`` reads the simplified copy (for the map), otherwise the full shapes."""
    codes, names, geoms = _shape_rows(municipality, level, boundary_year, web, using)
    return _frame(codes, {"name": names}, geoms)


def _shape_rows(
    municipality: str, level: str, boundary_year: int, web: bool, using: str,
) -> tuple[list[str], list[str], np.ndarray]:
    """Codes, names and parsed shapes of one municipality's level in one boundary year."""
    column = "geometry_web" if web else "geometry"
    rows = list(
        Area.objects.using(using)
        .filter(municipality=municipality, level=level, boundary_year=boundary_year)
        .exclude(**{column: ""})
        .order_by("code")
        .values_list("code", "name", column)
    )
    geoms = shapely.from_geojson([r[2] for r in rows]) if rows else np.array([], dtype=object)
    return [r[0] for r in rows], [r[1] for r in rows], geoms


def _frame(codes: list[str], columns: dict[str, Any], geoms: np.ndarray) -> gpd.GeoDataFrame:
    """A WGS84 GeoDataFrame indexed by area code: ``columns``, then the geometry.

    Built in one step from a geometry array that already carries the CRS: several times faster
    than ``GeoDataFrame(..., crs=...)`` followed by a copy and a new column, which was a third
    of :func:`area_layer` once its queries were fast."""
    geometry = gpd.array.from_shapely(np.asarray(geoms, dtype=object), crs=WGS84)
    return gpd.GeoDataFrame({**columns, "geometry": geometry},
                            index=pd.Index(codes, name="area"), geometry="geometry")


def _newest_shapes(
    municipality: str, level: str, using: str,
) -> tuple[int, tuple[list[str], list[str], np.ndarray]]:
    """The full shapes of the newest boundary year that has any (``geometry_years(...)[0]``).

    The boundary years come from a query that does not read the shapes (``geometry_years``
    reads every stored shape of every year just to test it is not empty); the shapes query of
    the newest year then usually has rows, else the next year is tried. Usually two queries, as
    before, but neither reads a shape it does not return (real shapes are kilobytes each)."""
    years = (
        Area.objects.using(using)
        .filter(municipality=municipality, level=level)
        .order_by("-boundary_year")
        .values_list("boundary_year", flat=True)
        .distinct()
    )
    for year in years:
        rows = _shape_rows(municipality, level, year, False, using)
        if rows[0]:
            return year, rows
    raise LayerError(f"geen grenzen opgeslagen voor {municipality} ({level})")


def in_year(year: int) -> Q:
    """Observations whose period lies in figure ``year`` ("2024", "2024-Q1", ...).

    ``startswith`` is the rule; the range ``[year, year + 1)`` beside it lets both engines use
    an index on ``period`` (SQLite cannot for ``LIKE``, which it treats case-insensitively).
    """
    prefix = str(year)
    period = Q(period__startswith=prefix)
    if len(str(year + 1)) == len(prefix):  # the range [year, year + 1) needs equal lengths
        period &= Q(period__gte=prefix, period__lt=str(year + 1))
    return period


@dataclass(frozen=True)
class ChosenValues:
    """One value per area code (see :func:`choose_values`): ``values`` (NaN unless the status
    is ok), ``own`` (whether it was stored under the chosen boundary year), the periods and
    sources used."""

    values: pd.Series
    own: pd.Series
    periods: tuple[str, ...]
    sources: tuple[str, ...]


def choose_values(rows: list[tuple[Any, ...]], boundary_year: int) -> ChosenValues:
    """From rows ``(code, boundary year, period, value, status, source)`` the value per code
    that every map uses: one stored under ``boundary_year`` wins over the same code stored
    under another boundary year, then the latest period. The key (own, period, boundary year) is
    unique per code (one cell per area, indicator and period), so the row order does not
    matter."""
    best: dict[str, tuple[tuple[bool, str, int], Any, str, str | None]] = {}
    for code, by, row_period, value, status, source in rows:
        key = (by == boundary_year, row_period, by)
        if code not in best or key > best[code][0]:
            best[code] = (key, value, status, source)
    codes = sorted(best)
    chosen = [best[c] for c in codes]
    values = np.array([float(v) if v is not None and status == "ok" else np.nan
                       for _key, v, status, _source in chosen], dtype=np.float64)
    return ChosenValues(
        values=pd.Series(values, index=codes, dtype="float64"),
        own=pd.Series([key[0] for key, *_ in chosen], index=codes, dtype=bool),
        periods=tuple(sorted({key[1] for key, *_ in chosen})),
        sources=tuple(sorted({source for *_, source in chosen if source})),
    )


def _indicator_values(
    municipality: str, level: str, boundary_year: int, indicator_id: int, year: int, using: str,
) -> tuple[pd.Series, str, str, list[str]]:
    """Values by area code (NaN for suppressed or missing), the period and source used.

    Query plan. The areas are chosen in a subquery (``area_id IN (areas of the municipality's
    level)``) and the figure year also as a range on ``period`` (:func:`in_year`): then both
    engines look each area up in the unique (area, indicator, period) index. Filtering through
    the join instead (``area__municipality=…``) made SQLite walk the (indicator, period) index
    over every area of the country with that figure: about 40 ms per municipality on the
    national set (15,000 buurten, ten boundary years) against about one with the subquery.
    """
    areas = Area.objects.using(using).filter(municipality=municipality, level=level)
    rows = list(
        Observation.objects.using(using)
        .filter(in_year(year), area_id__in=areas.values("id"), indicator_id=indicator_id)
        .values_list("area__code", "area__boundary_year", "period", "value", "status",
                     "batch__source")
    )
    notes: list[str] = []
    if not rows:
        return pd.Series(dtype="float64"), str(year), "", notes
    chosen = choose_values(rows, boundary_year)
    borrowed = int((~chosen.own).sum())
    if borrowed:
        notes.append(f"{borrowed} waarden komen uit een andere indeling met dezelfde code")
    return chosen.values, ", ".join(chosen.periods), "; ".join(chosen.sources), notes


def _theme_values(
    municipality: str, level: str, theme: str, year: int, using: str,
) -> tuple[pd.Series, str, str, list[str]]:
    from wijkbeeld.compare import CompareOptions, compare_all
    from wijkbeeld.web.figures.loading import figures_frame

    figures = figures_frame(municipality=municipality, level=level, period=year, using=using)
    if figures.frame.empty:
        return pd.Series(dtype="float64"), str(year), "", []
    comparison = compare_all(figures, CompareOptions(reference="municipality"))
    scores = comparison.themes
    if scores.empty:
        return pd.Series(dtype="float64"), str(year), "", []
    scores = scores[scores["theme"] == theme].sort_values(["area_code", "slice"])
    scores = scores.drop_duplicates("area_code", keep="last")
    periods = sorted(set(scores["slice"].astype(str)))
    sources = sorted({str(s) for s in figures.frame["source"].dropna() if s})
    return (pd.Series(scores["score"].to_numpy(dtype="float64"),
                      index=scores["area_code"].astype(str).to_numpy()),
            ", ".join(periods), "; ".join(sources), list(figures.notes))


def area_layer(
    municipality: str,
    year: int,
    *,
    indicator: str | None = None,
    theme: str | None = None,
    level: str = "neighbourhood",
    boundary_year: int | None = None,
    web: bool = False,
    using: str = "default",
) -> AreaLayer:
    """The areas of ``municipality`` at ``level`` with one indicator's values in figure year
    ``year`` (or one theme score), on the shapes of ``boundary_year`` (default: the newest
    boundary year with stored shapes)."""
    if (indicator is None) == (theme is None):
        raise LayerError("kies een indicator of een thema (één van beide)")
    municipality = municipality.strip().upper()
    if boundary_year is None and not web:
        boundary_year, (codes, names, geoms) = _newest_shapes(municipality, level, using)
    else:
        if boundary_year is None:  # the newest year with full shapes, as documented
            years = geometry_years(municipality, level, using)
            if not years:
                raise LayerError(f"geen grenzen opgeslagen voor {municipality} ({level})")
            boundary_year = years[0]
        codes, names, geoms = _shape_rows(municipality, level, boundary_year, web, using)
    if not codes:
        raise LayerError(
            f"geen grenzen opgeslagen voor {municipality} ({level}, indeling {boundary_year})"
        )
    polarity: Polarity
    if indicator is not None:
        row = Indicator.objects.using(using).filter(key=indicator).values_list(
            "id", "name_nl", "name_en", "polarity", "unit", "base_id", "base__name_nl",
            "base__name_en").first()
        if row is None:
            raise LayerError(f"onbekende indicator {indicator!r}")
        (indicator_id, label, label_en, raw_polarity, unit, base_id, base_nl,
         base_en) = row
        polarity = "neutral" if raw_polarity not in ("higher_is_worse", "higher_is_better") \
            else raw_polarity
        values, period, source, notes = _indicator_values(
            municipality, level, boundary_year, indicator_id, year, using)
        if unit == "count" and base_id is not None and not values.empty:
            # A count with a base is mapped as a rate, never as the count (issue 21): a big
            # buurt is not a hotspot for being big.
            base_values, _p, _s, _n = _indicator_values(
                municipality, level, boundary_year, base_id, year, using)
            rates = smoothed_rates(values, base_values)
            values, unit = rates.rate, "fraction"
            label = f"{label}, als aandeel van {base_nl.lower()}"
            label_en = f"{label_en or label}, as a share of {(base_en or base_nl).lower()}"
            notes = [*notes, f"als aandeel: {rates.method}"]
        kind: VariableKind = "indicator"
        variable = indicator
    else:
        assert theme is not None
        trow = Theme.objects.using(using).filter(key=theme).values_list(
            "name_nl", "name_en").first()
        if trow is None:
            raise LayerError(f"onbekend thema {theme!r}")
        label, label_en = f"Themascore {trow[0]}", f"Theme score {trow[1]}"
        polarity = "higher_is_better"
        values, period, source, notes = _theme_values(municipality, level, theme, year, using)
        kind = "theme"
        variable = theme
        unit = ""
    if values.empty:
        raise LayerError(f"geen cijfers voor {variable} in {year} ({municipality}, {level})")
    unmapped = len(set(values.index) - set(codes))
    if unmapped:
        notes.append(f"{unmapped} gebieden met een cijfer hebben geen opgeslagen grens")
    value = values.reindex(pd.Index(codes)).to_numpy(dtype=np.float64)
    areas = _frame(codes, {"name": names, "value": value}, geoms)
    return AreaLayer(municipality, level, boundary_year, year, kind, variable, label, label_en,
                     polarity, period, source, areas, tuple(notes), unit)
