"""Helpers for notebooks that join the core packages: figures from files, and a map layer.

Used through ``import wijkbeeld`` (see docs/python.md); no web framework, no database.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import geopandas as gpd
import pandas as pd

from wijkbeeld.areas.geometry import Boundaries
from wijkbeeld.compare.frame import Figures
from wijkbeeld.figures.catalogue import Catalogue, load_catalogue
from wijkbeeld.figures.readers import read_figures

__all__ = ["figure_layer", "load_figures"]


def load_figures(*paths: Path | str, catalogue: Catalogue | None = None,
                 skip_unknown: bool = False) -> Figures:
    """Read one or more figures files (StatLine CSV, TypedDataSet XLSX, ...) into one
    :class:`~wijkbeeld.compare.Figures`; ``.frame`` is a tidy pandas frame."""
    if not paths:
        raise ValueError("load_figures needs at least one file")
    cat = catalogue or load_catalogue()
    tables = [read_figures(p, catalogue=cat, skip_unknown=skip_unknown) for p in paths]
    return Figures.from_tables(tables)


def figure_layer(
    boundaries: Boundaries | gpd.GeoDataFrame,
    figures: Figures,
    indicator: str,
    *,
    period: str | None = None,
    levels: Sequence[str] = ("neighbourhood",),
) -> gpd.GeoDataFrame:
    """Areas (index: code) with the ``value`` of ``indicator`` in ``period`` (default: the
    latest), ready for :func:`wijkbeeld.spatial.hotspots` and :func:`export_areas`.
    Areas without the figure keep NaN (hotspots attach or exclude them by its options)."""
    shapes = boundaries.frame if isinstance(boundaries, Boundaries) else boundaries
    if "code" in shapes.columns:
        shapes = shapes.set_index("code")
    frame = figures.frame
    own = frame[(frame["indicator"] == indicator) & frame["level"].isin(list(levels))]
    if own.empty:
        raise ValueError(f"no figures for indicator {indicator!r}")
    chosen = period or max(str(p) for p in own["period"])
    own = own[own["period"].astype(str) == chosen]
    values = pd.Series(own["value"].to_numpy(dtype=float),
                       index=own["area_code"].astype(str).to_numpy())
    keep = [c for c in ("name", "level", "municipality") if c in shapes.columns]
    layer = gpd.GeoDataFrame(shapes[keep].copy(), geometry=shapes.geometry, crs=shapes.crs)
    layer.index = pd.Index([str(c) for c in layer.index], name="code")
    layer["value"] = values.reindex(layer.index).to_numpy()
    layer.attrs.update({"indicator": indicator, "period": chosen})
    return layer
