"""spatial: where challenges concentrate (DESIGN.md §6, issue 4).

Queen contiguity with a documented island policy (:mod:`.graph`), Local Moran's I, Getis-Ord Gi*
and global Moran's I with a fixed seed and 999 permutations (:mod:`.hotspots`), classes for
choropleths (:mod:`.classify`), static PNG/SVG maps (:mod:`.maps`) and GeoPackage/GeoJSON
exports (:mod:`.export`); one frozen :class:`SpatialOptions` holds every choice. Plain GeoPandas,
libpysal, esda and mapclassify; no web framework.

Typical use (the CLI and the web layer are thin wrappers around this)::

    areas = boundaries.set_index("code")          # GeoDataFrame, index = area code
    areas["value"] = ...                           # NaN where there is no figure
    result = hotspots(areas, "value", SpatialOptions(polarity="higher_is_worse"))
    print(json.dumps(result.to_dict()))            # wijkbeeld hotspots --json
    hotspot_map(areas, result, "kaart.svg", title="...", source="CBS")
    export_areas(with_hotspots(areas, result), "hotspots.gpkg",
                 Provenance.for_hotspots(result, "CBS", 2024))
"""

# The modules import mapclassify and matplotlib only inside the functions that need them: they
# cost seconds to import, which a command that only needs the hotspot numbers should not pay.
from wijkbeeld.spatial.classify import Classification, classify, classify_bands
from wijkbeeld.spatial.export import Provenance, export_areas, map_payload, with_hotspots
from wijkbeeld.spatial.graph import AreaGraph, GraphError, build_graph
from wijkbeeld.spatial.hotspots import GlobalMoran, HotspotResult, hotspots
from wijkbeeld.spatial.labels import NO_DATA, NOT_SIGNIFICANT, NOT_TESTED, cluster_labels
from wijkbeeld.spatial.maps import MapFile, choropleth_map, hotspot_map
from wijkbeeld.spatial.options import SpatialOptions
from wijkbeeld.spatial.rates import RateResult, smoothed_rates

__all__ = [
    "NOT_SIGNIFICANT",
    "NOT_TESTED",
    "NO_DATA",
    "AreaGraph",
    "Classification",
    "GlobalMoran",
    "GraphError",
    "HotspotResult",
    "MapFile",
    "Provenance",
    "RateResult",
    "SpatialOptions",
    "build_graph",
    "choropleth_map",
    "classify",
    "classify_bands",
    "cluster_labels",
    "export_areas",
    "hotspot_map",
    "hotspots",
    "map_payload",
    "smoothed_rates",
    "with_hotspots",
]
