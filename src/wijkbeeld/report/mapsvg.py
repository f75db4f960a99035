"""Small vector maps for the report: areas as SVG paths, written directly from the geometry.

Why not matplotlib (``wijkbeeld.spatial.maps``): its SVG of the 500 Amsterdam buurten is
180-650 kB, and WeasyPrint spends most of a report's rendering time drawing it. A report map
only needs filled polygons, a highlighted area, a legend and a source line; written here from
geometry simplified to the map's resolution, with coordinates rounded to whole map units, the
same map is 40-80 kB and renders several times faster. Rules kept from the spatial maps: RD
New (EPSG:28992) so north is up and shapes are true, no basemap (nothing is fetched), a
legend with counts, a title and a source line, and "geen gegevens" never mistaken for a low
value (white with a grey outline and its own legend entry).

The SVG is self-contained (``role="img"``, ``<title>`` and ``<desc>`` for screen readers)
and carries no date, so the same input gives the same bytes.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

import geopandas as gpd
import numpy as np
import shapely

__all__ = ["MISSING_FILL", "LegendEntry", "PreparedShapes", "prepare_shapes", "svg_map"]

#: Fill of an area without a value (with a grey outline), as in the spatial maps.
MISSING_FILL = "#FFFFFF"
_WIDTH = 600.0  # map units across (the viewBox); the document scales it to the page width
_LEGEND_W = 250.0
_HEAD = 34.0
_FOOT = 40.0
_LINE = 22.0  # legend line height
#: Simplification tolerance in map units: one unit is about 0.2 mm on an A4 page, finer
#: detail cannot be seen, and every point costs the PDF renderer time.
_TOLERANCE = 1.0


@dataclass(frozen=True)
class LegendEntry:
    """One legend line: the text, the number of areas it covers and its fill colour."""

    label: str
    count: int
    colour: str


def _rings(geom: shapely.Geometry) -> Iterable[np.ndarray]:
    polys = getattr(geom, "geoms", [geom])
    for poly in polys:
        if poly.is_empty or poly.geom_type != "Polygon":
            continue
        yield np.asarray(poly.exterior.coords)
        for hole in poly.interiors:
            yield np.asarray(hole.coords)


def _path(geom: shapely.Geometry, x0: float, y1: float, scale: float) -> str:
    """SVG path data of a (multi)polygon, in whole map units (y flipped: north up)."""
    parts = []
    for ring in _rings(geom):
        xs = np.rint((ring[:, 0] - x0) * scale).astype(np.int64)
        ys = np.rint((y1 - ring[:, 1]) * scale).astype(np.int64) + int(_HEAD)
        keep = np.ones(len(xs), dtype=bool)
        keep[1:] = (np.diff(xs) != 0) | (np.diff(ys) != 0)  # drop repeated points
        xs, ys = xs[keep], ys[keep]
        if len(xs) < 3:
            continue
        steps = " ".join(f"{dx} {dy}" for dx, dy in zip(np.diff(xs).tolist(),
                                                        np.diff(ys).tolist(), strict=True))
        parts.append(f"M{xs[0]} {ys[0]}l{steps}z")
    return "".join(parts)


@dataclass(frozen=True)
class PreparedShapes:
    """Areas projected, simplified and written as SVG path data once, for many maps of the
    same municipality (a batch draws a locator map per area). ``span``: metres across the
    map's larger side; ``height``: the map's height in map units."""

    codes: tuple[str, ...]
    paths: tuple[str, ...]
    span: float
    height: float


def prepare_shapes(shapes: gpd.GeoDataFrame) -> PreparedShapes:
    """Project ``shapes`` (index: area codes, any CRS; none = already RD New) to RD New,
    simplify to one map unit (finer detail cannot be seen at the printed size) and write
    every area's path data."""
    if shapes.empty:
        raise ValueError("a map needs at least one area")
    rd = shapes.to_crs("EPSG:28992") if shapes.crs is not None else shapes
    x0, y0, x1, y1 = (float(v) for v in rd.total_bounds)
    span = max(x1 - x0, y1 - y0, 1.0)
    scale = _WIDTH / span
    geoms = shapely.simplify(np.asarray(rd.geometry.values, dtype=object), _TOLERANCE / scale,
                             preserve_topology=True)
    paths = [_path(g, x0, y1, scale) for g in geoms]
    return PreparedShapes(tuple(str(c) for c in rd.index), tuple(paths), span,
                          (y1 - y0) * scale)


def svg_map(
    shapes: gpd.GeoDataFrame | PreparedShapes,
    fills: Mapping[str, str],
    *,
    title: str,
    source: str,
    legend: Sequence[LegendEntry] = (),
    legend_title: str = "",
    highlight: str | None = None,
    description: str = "",
) -> bytes:
    """The areas of ``shapes`` (a GeoDataFrame indexed by area code, or prepared once with
    :func:`prepare_shapes`) filled with ``fills`` (code → colour; an area not in ``fills`` is
    "geen gegevens"), ``highlight`` drawn with a thick dark outline on top. Returns the SVG
    document as UTF-8 bytes."""
    prepared = shapes if isinstance(shapes, PreparedShapes) else prepare_shapes(shapes)
    span = prepared.span
    scale = _WIDTH / span
    map_h = prepared.height
    title_lines = len(textwrap.wrap(legend_title, 28))
    height = max(map_h, _LINE * (len(legend) + title_lines) + 28.0) + _HEAD + _FOOT
    width = _WIDTH + _LEGEND_W
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" '
        'font-family="DejaVu Sans, Liberation Sans, Arial, sans-serif">',
        f"<title>{escape(title)}</title>",
        f"<desc>{escape(description or title)}</desc>",
        f'<text x="0" y="18" font-size="18" font-weight="bold">{escape(title)}</text>',
        '<g stroke="#FFFFFF" stroke-width="0.6" stroke-linejoin="round">',
    ]
    # One compound path per fill colour: areas do not overlap, so this draws the same map,
    # and a renderer pays its per-element cost (style, colour parsing) a few times, not 500.
    top = None
    by_colour: dict[str, list[str]] = {}
    for code, d in zip(prepared.codes, prepared.paths, strict=True):
        if not d:
            continue
        by_colour.setdefault(fills.get(code) or "", []).append(d)
        if code == highlight:
            top = d
    for colour, paths in by_colour.items():
        if colour:
            out.append(f'<path d="{"".join(paths)}" fill="{colour}"/>')
        else:
            out.append(f'<path d="{"".join(paths)}" fill="{MISSING_FILL}" stroke="#8C8C8C"/>')
    out.append("</g>")
    if top is not None:
        out.append(f'<path d="{top}" fill="none" stroke="#111111" stroke-width="2.5" '
                   'stroke-linejoin="round"/>')
    # scale bar: a round length near a fifth of the map width
    target = span / 5
    power = 10 ** int(np.floor(np.log10(target)))
    length = max(m * power for m in (1, 2, 5) if m * power <= target)
    bar = length * scale
    base = _HEAD + map_h + 12
    km = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    out.append(f'<rect x="4" y="{base:.0f}" width="{bar:.0f}" height="3" fill="#333333"/>'
               f'<text x="{4 + bar + 6:.0f}" y="{base + 5:.0f}" font-size="13">{km}</text>')
    out.append(f'<text x="{_WIDTH - 14:.0f}" y="{_HEAD + 12:.0f}" font-size="12" '
               'text-anchor="middle">N ↑</text>')
    lx = _WIDTH + 14
    y = _HEAD + 14
    for line in textwrap.wrap(legend_title, 28):  # the legend column is ~30 characters wide
        out.append(f'<text x="{lx:.0f}" y="{y:.0f}" font-size="13" font-weight="bold">'
                   f"{escape(line)}</text>")
        y += _LINE
    for entry in legend:
        stroke = "#8C8C8C" if entry.colour.upper() == MISSING_FILL else "#666666"
        out.append(f'<rect x="{lx:.0f}" y="{y - 12:.0f}" width="16" height="14" '
                   f'fill="{entry.colour}" stroke="{stroke}" stroke-width="0.6"/>'
                   f'<text x="{lx + 22:.0f}" y="{y:.0f}" font-size="13">'
                   f"{escape(entry.label)} ({entry.count})</text>")
        y += _LINE
    out.append(f'<text x="0" y="{height - 6:.0f}" font-size="13" fill="#333333">'
               f"{escape(source)}</text>")
    out.append("</svg>")
    return "\n".join(out).encode("utf-8")
