"""The frame ``wijkbeeld export`` writes: every area of a municipality's level with its figures,
its theme scores and the hotspot classes of each theme score.

Queries: the shapes (one), the figures of the year (one, via
:func:`~wijkbeeld.web.figures.loading.figures_frame`) and the indicator definitions (one). Figure
columns carry the indicator key and the value as stored (suppressed and missing: empty), exactly
what ``wijkbeeld figures show`` and ``wijkbeeld profile`` read. Theme scores (``thema_<key>``)
are computed as in ``wijkbeeld profile`` with its default reference (same level, same
municipality); their hotspots (``thema_<key>_cluster``, ``_p``, ``_local_i``, ``_gi_z``, ...) with
the spatial package's defaults (Queen, attach, 999 permutations, seed 12345). Provenance (source,
year, method) goes into the fields ``bron``, ``jaar`` and ``methode``.
"""

from __future__ import annotations

import geopandas as gpd
import pandas as pd

from wijkbeeld.spatial import Provenance, SpatialOptions, hotspots, with_hotspots
from wijkbeeld.web.areas.geodata import LayerError, geometry_years, load_shapes

__all__ = ["export_frame"]


def export_frame(
    municipality: str,
    year: int,
    *,
    level: str = "neighbourhood",
    boundary_year: int | None = None,
    permutations: int = 999,
    seed: int = 12345,
    using: str = "default",
) -> tuple[gpd.GeoDataFrame, Provenance]:
    """The areas with figures, theme scores and hotspot classes, and their provenance."""
    from wijkbeeld.compare import CompareOptions, compare_all
    from wijkbeeld.web.figures.loading import figures_frame

    municipality = municipality.strip().upper()
    if boundary_year is None:
        years = geometry_years(municipality, level, using)
        if not years:
            raise LayerError(f"geen grenzen opgeslagen voor {municipality} ({level})")
        boundary_year = years[0]
    shapes = load_shapes(municipality, level, boundary_year, using=using)
    if shapes.empty:
        raise LayerError(f"geen grenzen voor {municipality} ({level}, indeling {boundary_year})")
    figures = figures_frame(municipality=municipality, level=level, period=year, using=using)
    frame = figures.frame
    if frame.empty:
        raise LayerError(f"geen cijfers voor {municipality} ({level}) in {year}")
    latest = frame.sort_values("period").drop_duplicates(["area_code", "indicator"], keep="last")
    wide = latest.pivot(index="area_code", columns="indicator", values="value")
    out = shapes.join(wide.reindex(shapes.index).set_axis(shapes.index))
    comparison = compare_all(figures, CompareOptions(reference="municipality"))
    scores = comparison.themes
    options = SpatialOptions(permutations=permutations, seed=seed, polarity="higher_is_better")
    method = (f"cijfers zoals opgeslagen ({year}); themascores: gemiddelde gesigneerde z-score "
              "binnen gemeente en niveau")
    tested: str | None = None
    for theme in sorted(set(scores["theme"])) if not scores.empty else []:
        rows = scores[scores["theme"] == theme].sort_values("slice")
        rows = rows.drop_duplicates("area_code", keep="last").set_index("area_code")
        column = f"thema_{theme}"
        out[column] = rows["score"].reindex(out.index).astype("float64").to_numpy()
        if out[column].notna().sum() == 0:
            continue
        result = hotspots(out, column, options)
        out = with_hotspots(out, result, prefix=f"{column}_")
        tested = Provenance.for_hotspots(result, "", year).method
    if tested is not None:
        # "Local Moran's I en Gi* (esda) op <column>; Queen...": the settings, without the column
        method += "; hotspots per themascore: Local Moran's I en Gi* (esda); " + \
            tested.split("; ", 1)[1]
    sources = sorted({str(s) for s in frame["source"].dropna() if s})
    geometry = out.geometry.name
    out = out[[c for c in out.columns if c != geometry] + [geometry]]
    return (gpd.GeoDataFrame(pd.DataFrame(out), geometry=geometry, crs=shapes.crs),
            Provenance("; ".join(sources), year, method))
