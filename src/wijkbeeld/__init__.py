"""wijkbeeld: a shared picture of the neighbourhood, counting and telling (tellen en vertellen).

The Python API for notebooks (docs/python.md): everything below works on files, without the
web platform or a database, and returns pandas and GeoPandas objects or small frozen results.

Loading
    :func:`load_figures` (files → :class:`Figures`, ``.frame`` is pandas), :func:`read_figures`
    (one file → :class:`FigureTable`), :func:`read_boundaries` (→ ``Boundaries``, ``.frame``
    is a GeoDataFrame), :func:`data_file` (the bundled demo files), :func:`read_odata_table`
    and :func:`download_boundaries` (CBS and PDOK, with internet), :func:`kwb_table`.
Comparing
    :func:`compare_all` (every area, tidy ``.results``), :func:`compare_by_period` (the same,
    one period at a time), :func:`profile` (one area),
    :class:`CompareOptions`, :func:`profile_text`.
Mapping
    :func:`figure_layer` (areas with one indicator), :func:`hotspots` (Local Moran's I, Gi*),
    :class:`SpatialOptions`, :func:`hotspot_map`, :func:`export_areas` (GeoPackage/GeoJSON).
Urgency
    :func:`read_responses_csv`, :func:`measure`, :func:`urgency_matrix`, :class:`RoundInfo`,
    :class:`UrgencyOptions`, :func:`render_matrix`.
Exports
    :func:`profile_table`, :func:`comparison_table`, :func:`matrix_table`, :func:`write_table`
    (CSV/XLSX/Parquet with source, year and method).

Imports are lazy: ``import wijkbeeld`` loads nothing heavy; pandas, GeoPandas and esda load on
first use of a name that needs them.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Public name → module that defines it.
_EXPORTS: dict[str, str] = {
    # loading
    "load_figures": "wijkbeeld.notebook",
    "figure_layer": "wijkbeeld.notebook",
    "read_figures": "wijkbeeld.figures.readers",
    "FigureTable": "wijkbeeld.figures.table",
    "DataError": "wijkbeeld.figures.errors",
    "load_catalogue": "wijkbeeld.figures.catalogue",
    "read_boundaries": "wijkbeeld.areas.geometry",
    "data_file": "wijkbeeld.data",
    "read_odata_table": "wijkbeeld.figures.odata",
    "HttpSettings": "wijkbeeld.figures.odata",
    "kwb_table": "wijkbeeld.figures.kwb",
    "KWB_TABLES": "wijkbeeld.figures.kwb",
    "download_boundaries": "wijkbeeld.areas.pdok",
    "write_boundaries": "wijkbeeld.areas.pdok",
    # comparing
    "Figures": "wijkbeeld.compare",
    "CompareOptions": "wijkbeeld.compare",
    "Comparison": "wijkbeeld.compare",
    "Profile": "wijkbeeld.compare",
    "compare_all": "wijkbeeld.compare",
    "compare_by_period": "wijkbeeld.compare",
    "profile": "wijkbeeld.compare",
    "profile_text": "wijkbeeld.compare",
    # mapping
    "SpatialOptions": "wijkbeeld.spatial",
    "HotspotResult": "wijkbeeld.spatial",
    "hotspots": "wijkbeeld.spatial",
    "hotspot_map": "wijkbeeld.spatial",
    "export_areas": "wijkbeeld.spatial",
    "Provenance": "wijkbeeld.spatial",
    "with_hotspots": "wijkbeeld.spatial",
    # urgency
    "RoundInfo": "wijkbeeld.urgency",
    "UrgencyOptions": "wijkbeeld.urgency",
    "UrgencyMatrix": "wijkbeeld.urgency",
    "read_responses_csv": "wijkbeeld.urgency",
    "measure": "wijkbeeld.urgency",
    "urgency_matrix": "wijkbeeld.urgency",
    "render_matrix": "wijkbeeld.urgency",
    # exports
    "ExportTable": "wijkbeeld.exports",
    "profile_table": "wijkbeeld.exports",
    "comparison_table": "wijkbeeld.exports",
    "matrix_table": "wijkbeeld.exports",
    "write_table": "wijkbeeld.exports",
}

__all__ = [
    "KWB_TABLES",
    "CompareOptions",
    "Comparison",
    "DataError",
    "ExportTable",
    "FigureTable",
    "Figures",
    "HotspotResult",
    "HttpSettings",
    "Profile",
    "Provenance",
    "RoundInfo",
    "SpatialOptions",
    "UrgencyMatrix",
    "UrgencyOptions",
    "__version__",
    "compare_all",
    "compare_by_period",
    "comparison_table",
    "data_file",
    "download_boundaries",
    "export_areas",
    "figure_layer",
    "hotspot_map",
    "hotspots",
    "kwb_table",
    "load_catalogue",
    "load_figures",
    "matrix_table",
    "measure",
    "profile",
    "profile_table",
    "profile_text",
    "read_boundaries",
    "read_figures",
    "read_odata_table",
    "read_responses_csv",
    "render_matrix",
    "urgency_matrix",
    "with_hotspots",
    "write_boundaries",
    "write_table",
]

if TYPE_CHECKING:  # what type checkers and IDEs see; at run time __getattr__ imports lazily
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.areas.pdok import download_boundaries, write_boundaries
    from wijkbeeld.compare import (
        CompareOptions,
        Comparison,
        Figures,
        Profile,
        compare_all,
        compare_by_period,
        profile,
        profile_text,
    )
    from wijkbeeld.data import data_file
    from wijkbeeld.exports import (
        ExportTable,
        comparison_table,
        matrix_table,
        profile_table,
        write_table,
    )
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.errors import DataError
    from wijkbeeld.figures.kwb import KWB_TABLES, kwb_table
    from wijkbeeld.figures.odata import HttpSettings, read_odata_table
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.figures.table import FigureTable
    from wijkbeeld.notebook import figure_layer, load_figures
    from wijkbeeld.spatial import (
        HotspotResult,
        Provenance,
        SpatialOptions,
        export_areas,
        hotspot_map,
        hotspots,
        with_hotspots,
    )
    from wijkbeeld.urgency import (
        RoundInfo,
        UrgencyMatrix,
        UrgencyOptions,
        measure,
        read_responses_csv,
        render_matrix,
        urgency_matrix,
    )


def __getattr__(name: str) -> Any:
    """Import a public name on first use (PEP 562), so ``import wijkbeeld`` stays fast."""
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'wijkbeeld' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
