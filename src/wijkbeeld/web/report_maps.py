"""What a municipality's reports share, computed once: its comparison, shapes, theme scores,
hotspots and maps (``wijkbeeld report --municipality``, and the download views).

A batch of 500 buurt reports must not compare the municipality 500 times: the comparison of
every area of the level in the municipality over all periods (what a profile, its trends, the
theme map and the hotspots all read) is computed once in :class:`MunicipalityContext` and
cached per import stamp, like the area page's comparisons. The theme map and the hotspot map of
a theme are the same for every area of the municipality and are drawn once per theme and year;
only the locator map (the area in its municipality) is drawn per area.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from typing import Any

import geopandas as gpd
import pandas as pd

from wijkbeeld.areas.codes import Level
from wijkbeeld.compare import CompareOptions, Comparison, compare_all
from wijkbeeld.report import MapImage
from wijkbeeld.report.mapsvg import (
    MISSING_FILL,
    LegendEntry,
    PreparedShapes,
    prepare_shapes,
    svg_map,
)
from wijkbeeld.report.wording import label
from wijkbeeld.web.pages.profile_cache import LruCache, import_stamp

__all__ = ["CONTEXTS", "MunicipalityContext", "municipality_context"]

log = logging.getLogger(__name__)

#: ColorBrewer YlGnBu (9 classes); a classification of k classes takes k evenly spaced ones.
_YLGNBU = ("#FFFFD9", "#EDF8B1", "#C7E9B4", "#7FCDBB", "#41B6C4", "#1D91C0", "#225EA8",
           "#253494", "#081D58")
_AREA, _OTHER = "#C8553D", "#E3E3E3"
#: Contexts per (database, municipality, level); a few municipalities at a time.
CONTEXTS = LruCache(4)


@dataclass(frozen=True)
class _Key:
    using: str
    municipality: str
    level: str
    stamp: Any


@dataclass(frozen=True)
class MunicipalityContext:
    """The comparison (all periods, theme scores included), names, shapes (newest boundary
    year, ``None`` when none are stored; ``drawn``: the same, projected and written as SVG path
    data once) and a per-theme cache of drawn maps."""

    municipality: str
    municipality_name: str
    level: str
    comparison: Comparison
    names: dict[str, str]
    shapes: gpd.GeoDataFrame | None
    boundary_year: int | None
    drawn: PreparedShapes | None = field(default=None, repr=False)
    _maps: dict[tuple[str, int, str], tuple[MapImage, ...]] = field(
        default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)
    _graph: list[Any] = field(default_factory=list, repr=False)

    def graph(self, options: Any) -> Any:
        """The Queen contiguity graph of all the shapes, built once (hotspots of every theme
        restrict it to the areas with a value)."""
        from wijkbeeld.spatial.graph import build_graph

        with self._lock:
            if self._graph:
                return self._graph[0]
        built = build_graph(self.shapes, options=options)
        with self._lock:
            if not self._graph:
                self._graph.append(built)
            return self._graph[0]

    def theme_values(self, theme: str, year: int) -> tuple[pd.Series, pd.Series]:
        """Per area the score of ``theme`` in its latest period up to ``year``, and that
        period (both indexed by area code)."""
        scores = self.comparison.themes
        if scores.empty:
            return pd.Series(dtype="float64"), pd.Series(dtype="object")
        rows = scores[(scores["theme"] == theme)
                      & (scores["slice"].astype(str).str[:4].astype(int) <= year)]
        rows = rows.dropna(subset=["score"]).sort_values(["area_code", "slice"])
        rows = rows.drop_duplicates("area_code", keep="last")
        index = rows["area_code"].astype(str).to_numpy()
        return (pd.Series(rows["score"].to_numpy(dtype="float64"), index=index),
                pd.Series(rows["slice"].astype(str).to_numpy(), index=index))

    def theme_sources(self, theme: str, periods: set[str]) -> str:
        """The sources of the figures of ``theme`` in ``periods`` (what the map shows)."""
        frame = self.comparison.results
        rows = frame.loc[(frame["theme"] == theme) & frame["period"].astype(str).isin(periods),
                         "source"]
        return "; ".join(sorted({str(s) for s in rows.dropna() if s})) or "CBS"

    def locator_map(self, code: str, area_name: str, language: str) -> MapImage | None:
        """The area (filled, outlined) among the other areas of its municipality."""
        if self.shapes is None or code not in self.shapes.index:
            return None
        fills = {str(c): _OTHER for c in self.shapes.index}
        fills[code] = _AREA
        title = f"{area_name}: {label('map_locator', language)}"
        period = f"indeling {self.boundary_year}" if language == "nl" else \
            f"boundaries {self.boundary_year}"
        source = (f"gebiedsgrenzen {self.municipality_name}" if language == "nl" else
                  f"area boundaries {self.municipality_name}")
        legend = [LegendEntry(label("this_area", language), 1, _AREA),
                  LegendEntry(label("other_areas", language), len(fills) - 1, _OTHER)]
        data = svg_map(self.drawn or self.shapes, fills, title=title, legend=legend, highlight=code,
                       source=f"{label('source', language)}: {source}, {period}",
                       description=title)
        return MapImage(data, "image/svg+xml", title, source, period, title)

    def theme_maps(self, theme: str, theme_name: str, year: int,
                   language: str) -> tuple[MapImage, ...]:
        """The theme map and the hotspot map of ``theme`` (drawn once per theme and year)."""
        key = (theme, year, language)
        with self._lock:
            if key in self._maps:
                return self._maps[key]
        maps = self._draw_theme_maps(theme, theme_name, year, language)
        with self._lock:
            self._maps[key] = maps
        return maps

    def _draw_theme_maps(self, theme: str, theme_name: str, year: int,
                         language: str) -> tuple[MapImage, ...]:
        from wijkbeeld.spatial import SpatialOptions, hotspots
        from wijkbeeld.spatial.classify import classify
        from wijkbeeld.spatial.labels import CLUSTER_CODES, cluster_colour, cluster_labels

        if self.shapes is None:
            return ()
        values, slices = self.theme_values(theme, year)
        values = values.reindex([str(c) for c in self.shapes.index]).dropna()
        if values.empty:
            return ()
        used = set(slices.reindex(values.index).astype(str))
        periods = ", ".join(sorted(used))
        source = self.theme_sources(theme, used)
        src_text = f"{label('source', language)}: {source}, {periods}"
        out = []
        classes = classify(values)
        colours = ([_YLGNBU[4]] if classes.k == 1 else
                   [_YLGNBU[round(1 + i * 7 / (classes.k - 1))] for i in range(classes.k)])
        fills = {str(a): colours[int(k)] for a, k in classes.classes.items() if pd.notna(k)}
        legend = [LegendEntry(text, count, colours[i])
                  for i, (text, count) in enumerate(classes.legend())]
        missing = len(self.shapes) - len(fills)
        if missing:
            legend.append(LegendEntry("geen gegevens" if language == "nl" else "no data",
                                      missing, MISSING_FILL))
        title = f"{label('map_theme', language)} {theme_name}, {periods}"
        note = ("hoger = gunstiger" if language == "nl" else "higher = more favourable")
        out.append(MapImage(
            svg_map(self.drawn or self.shapes, fills, title=title, legend=legend,
                    source=src_text,
                    legend_title=note, description=title),
            "image/svg+xml", title, source, periods, title))
        options = SpatialOptions(polarity="higher_is_better")
        layer = self.shapes.loc[values.index].copy()
        layer["value"] = values
        try:
            result = hotspots(layer, "value", options, graph=self.graph(options))
        except ValueError as exc:  # too few areas, no graph: no hotspot map, said in the log
            log.info("no hotspot map for %s %s: %s", self.municipality, theme, exc)
            return tuple(out)
        codes = result.table["cluster_code"].astype(str)
        names = cluster_labels(options.polarity, language)
        hot_fills = {str(a): cluster_colour(c, options.polarity) for a, c in codes.items()
                     if c != "no_data"}
        hot_legend = [LegendEntry(names[c], int((codes == c).sum()),
                                  cluster_colour(c, options.polarity))
                      for c in CLUSTER_CODES if (codes == c).any()]
        if missing:
            hot_legend.append(LegendEntry("geen gegevens" if language == "nl" else "no data",
                                          missing, MISSING_FILL))
        title = f"{label('map_hotspots', language)}: {theme_name}, {periods}"
        out.append(MapImage(
            svg_map(self.drawn or self.shapes, hot_fills, title=title, legend=hot_legend,
                    legend_title=label("hotspot_test", language), source=src_text,
                    description=title),
            "image/svg+xml", title, source, periods, title))
        return tuple(out)


def _compute(municipality: str, level: str, using: str) -> MunicipalityContext:
    from wijkbeeld.web.areas.geodata import geometry_years, load_shapes
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.loading import figures_frame

    figures = figures_frame(municipality=municipality, level=[level], using=using)
    comparison = compare_all(figures, CompareOptions())
    results = comparison.results
    rows = results[["area_code", "area_name"]].drop_duplicates("area_code")
    names = dict(zip(rows["area_code"].astype(str), rows["area_name"].astype(str), strict=True))
    name = (Area.objects.using(using).filter(code=municipality, level=Level.MUNICIPALITY)
            .exclude(name="").order_by("-boundary_year").values_list("name", flat=True).first())
    years = geometry_years(municipality, level, using)
    shapes = load_shapes(municipality, level, years[0], using=using) if years else None
    if shapes is not None and shapes.empty:
        shapes = None
    return MunicipalityContext(municipality, name or municipality, level, comparison, names,
                               shapes, years[0] if years else None,
                               None if shapes is None else prepare_shapes(shapes))


def municipality_context(municipality: str, level: str,
                         using: str = "default") -> MunicipalityContext:
    """The (cached) context of the areas of ``level`` in ``municipality``."""
    municipality = municipality.strip().upper()
    stamp = import_stamp(using)
    key = (_Key(using, municipality, level, stamp),)
    ctx: MunicipalityContext = CONTEXTS.get(
        key, lambda: _compute(municipality, level, using), stamp)
    return ctx
