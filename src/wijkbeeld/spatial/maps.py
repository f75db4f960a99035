"""Static maps for reports: a choropleth of classes or a hotspot map, as PNG or SVG.

Rules every map follows: drawn in RD New (EPSG:28992) with equal axes, so north is up and
distances are true (a north arrow and a scale bar say so); no basemap (nothing is downloaded);
a legend with the classes actually formed and the number of areas in each; a title; a source line
("Bron: ..."); colour-blind-safe colours (ColorBrewer YlGnBu for ordered classes, PuOr for the
comparison bands, Okabe-Ito for hotspots); areas without a value white with a hatch and their own
legend entry "geen gegevens", so missing is never mistaken for a low value.

Rendering uses matplotlib's object API with the Agg canvas (no pyplot state, no display needed).
SVG text is kept as text (``svg.fonttype = none``) so titles stay searchable and accessible, and
the SVG carries no date, so the same map gives the same file.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import geopandas as gpd
import numpy as np
import pandas as pd

from wijkbeeld.spatial.classify import Classification
from wijkbeeld.spatial.graph import to_projected
from wijkbeeld.spatial.hotspots import HotspotResult
from wijkbeeld.spatial.labels import (
    CLUSTER_CODES,
    CLUSTER_HATCHES,
    NO_DATA,
    cluster_colour,
    cluster_labels,
)
from wijkbeeld.spatial.options import SpatialOptions

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["MAP_FORMATS", "SCHEME_TITLES", "MapFile", "choropleth_map", "hotspot_map"]

MAP_FORMATS: tuple[str, ...] = ("png", "svg")
SCHEME_TITLES: dict[str, str] = {
    "quantiles": "kwantielen",
    "natural_breaks": "natuurlijke grenzen (Fisher-Jenks)",
    "equal_interval": "gelijke intervallen",
    "bands": "ten opzichte van de referentie",
}
_BAND_COLOURS = ("#E66101", "#FDB863", "#E0E0E0", "#B2ABD2", "#5E3C99")  # PuOr, grey middle
_EDGE = "#FFFFFF"
_MISSING_EDGE = "#8C8C8C"


@dataclass(frozen=True)
class MapFile:
    """A map written to disk: where, what format and size, and the legend it shows."""

    path: Path
    format: str
    width_px: int
    height_px: int
    dpi: int
    title: str
    source: str
    legend: tuple[tuple[str, int], ...]
    n_classes: int


@dataclass(frozen=True)
class _Layer:
    facecolours: list[str]
    hatches: list[str | None]
    entries: list[tuple[str, int, str, str | None]]  # label, count, colour, hatch


def choropleth_map(
    areas: gpd.GeoDataFrame,
    classification: Classification,
    path: Path | str,
    *,
    title: str,
    source: str,
    legend_title: str | None = None,
    options: SpatialOptions | None = None,
) -> MapFile:
    """Map the classes of ``classification`` over ``areas`` (both indexed by area code)."""
    opts = options or classification.options
    classes = classification.classes.copy()
    classes.index = classes.index.map(str)
    aligned = classes.reindex([str(a) for a in areas.index])
    colours = _class_colours(classification)
    faces: list[str] = []
    hatches: list[str | None] = []
    for value in aligned:
        if pd.isna(value):
            faces.append("#FFFFFF")
            hatches.append(CLUSTER_HATCHES["no_data"])
        else:
            faces.append(colours[int(value)])
            hatches.append(None)
    counts = [int((aligned == k).sum()) for k in range(classification.k)]
    entries: list[tuple[str, int, str, str | None]] = [
        (label, counts[k], colours[k], None) for k, label in enumerate(classification.labels)
    ]
    missing = int(aligned.isna().sum())
    if missing:
        entries.append((NO_DATA, missing, "#FFFFFF", CLUSTER_HATCHES["no_data"]))
    heading = legend_title or f"Klassen ({SCHEME_TITLES[classification.scheme]})"
    return _render(areas, _Layer(faces, hatches, entries), Path(path), title, source, heading,
                   opts, classification.k)


def hotspot_map(
    areas: gpd.GeoDataFrame,
    result: HotspotResult,
    path: Path | str,
    *,
    title: str,
    source: str,
    options: SpatialOptions | None = None,
) -> MapFile:
    """Map the hotspot classes of ``result`` over ``areas``; the legend lists the classes that
    occur, with counts, and says the test and its settings."""
    opts = options or result.options
    codes = result.table["cluster_code"].reindex([str(a) for a in areas.index]).fillna("no_data")
    labels = cluster_labels(opts.polarity)
    faces = [cluster_colour(c, opts.polarity) for c in codes]
    hatches = [CLUSTER_HATCHES.get(c) for c in codes]
    entries = [
        (labels[c], int((codes == c).sum()), cluster_colour(c, opts.polarity),
         CLUSTER_HATCHES.get(c))
        for c in CLUSTER_CODES
        if (codes == c).any()
    ]
    heading = f"Local Moran's I\n{opts.permutations} permutaties, {opts.significance_rule}"
    return _render(areas, _Layer(faces, hatches, entries), Path(path), title, source, heading,
                   opts, len(entries))


def _class_colours(classification: Classification) -> list[str]:
    import matplotlib

    if classification.scheme == "bands":
        return list(_BAND_COLOURS)
    k = classification.k
    cmap = matplotlib.colormaps["YlGnBu"]
    points = [0.5] if k == 1 else list(np.linspace(0.12, 0.95, k))
    return [matplotlib.colors.to_hex(cmap(float(p))) for p in points]


def _render(
    areas: gpd.GeoDataFrame,
    layer: _Layer,
    path: Path,
    title: str,
    source: str,
    legend_title: str,
    opts: SpatialOptions,
    n_classes: int,
) -> MapFile:
    import matplotlib  # imported here: a second or more, only paid when a map is drawn
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.patches import Patch

    fmt = path.suffix.lower().lstrip(".")
    if fmt not in MAP_FORMATS:
        raise ValueError(f"map format must be .png or .svg, not {path.suffix!r}")
    if not title.strip():
        raise ValueError("a map needs a title")
    source_line = source if source.lower().startswith("bron") else f"Bron: {source}"
    rd = to_projected(areas, opts.projected_crs)
    size = _figure_size(rd, opts, len(layer.entries))
    fig = Figure(figsize=size, dpi=opts.dpi)
    FigureCanvasAgg(fig)
    bottom, top = 0.45 / size[1], 0.75 / size[1]  # room for the source line and the title
    ax = fig.add_axes((0.02, bottom, 0.64, 1.0 - bottom - top))
    geometry = gpd.GeoSeries(rd.geometry.to_numpy(), crs=rd.crs)
    plain = np.array([h is None for h in layer.hatches])
    faces = np.array(layer.facecolours, dtype=object)
    if plain.any():
        geometry[plain].plot(ax=ax, color=list(faces[plain]), edgecolor=_EDGE, linewidth=0.3)
    for hatch in sorted({h for h in layer.hatches if h is not None}):
        mask = np.array([h == hatch for h in layer.hatches])
        geometry[mask].plot(ax=ax, color=list(faces[mask]), edgecolor=_MISSING_EDGE,
                            linewidth=0.3, hatch=hatch)
    ax.set_aspect("equal")
    ax.set_axis_off()
    _north_arrow(ax)
    _scale_bar(ax)
    handles = [
        Patch(facecolor=colour, edgecolor=_MISSING_EDGE if hatch else "#666666", hatch=hatch,
              linewidth=0.5, label=f"{label} ({count})")
        for label, count, colour, hatch in layer.entries
    ]
    fig.legend(handles=handles, loc="center left", bbox_to_anchor=(0.68, 0.5), frameon=False,
               fontsize=8, title=legend_title, title_fontsize=8, alignment="left")
    fig.suptitle(title, x=0.02, y=1.0 - 0.25 / size[1], ha="left", va="top", fontsize=13,
                 fontweight="bold")
    fig.text(0.02, 0.15 / size[1], source_line, fontsize=7, color="#333333", ha="left")
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "svg":
        with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": "wijkbeeld"}):
            fig.savefig(path, format="svg", metadata={"Date": None, "Title": title})
    else:
        fig.savefig(path, format="png", dpi=opts.dpi)
    width, height = fig.canvas.get_width_height()
    legend = tuple((label, count) for label, count, _c, _h in layer.entries)
    return MapFile(path, fmt, width, height, opts.dpi, title, source_line, legend, n_classes)


def _figure_size(rd: gpd.GeoDataFrame, opts: SpatialOptions, entries: int) -> tuple[float, float]:
    """Width from the options; height from the map's own shape (no empty bands above and below
    a wide municipality), at least enough for the legend, at most the options' height."""
    width, most = opts.figsize
    x0, y0, x1, y1 = (float(v) for v in rd.total_bounds)
    ratio = (y1 - y0) / (x1 - x0) if x1 > x0 else 1.0
    legend = 1.6 + 0.2 * entries
    return width, float(min(max(width * 0.64 * ratio + 1.2, legend, 3.0), most))


def _north_arrow(ax: Axes) -> None:
    ax.annotate("N", xy=(0.95, 0.98), xytext=(0.95, 0.88), xycoords="axes fraction",
                textcoords="axes fraction", ha="center", va="center", fontsize=9,
                arrowprops={"arrowstyle": "-|>", "color": "#333333", "lw": 1.0})


def _scale_bar(ax: Axes) -> None:
    """A bar of a round length (1, 2 or 5 x 10^n metres) near a fifth of the map width."""
    from matplotlib.patches import Rectangle

    x0, x1 = ax.get_xlim()
    y0, y1 = ax.get_ylim()
    target = (x1 - x0) / 5
    if target <= 0:
        return
    power = 10 ** math.floor(math.log10(target))
    length = max(m * power for m in (1, 2, 5) if m * power <= target)
    left, bottom = x0 + (x1 - x0) * 0.02, y0 + (y1 - y0) * 0.02
    ax.add_patch(Rectangle((left, bottom), length, (y1 - y0) * 0.006, color="#333333"))
    text = f"{length / 1000:g} km" if length >= 1000 else f"{length:g} m"
    ax.text(left + length / 2, bottom + (y1 - y0) * 0.015, text, ha="center", va="bottom",
            fontsize=7, color="#333333")
