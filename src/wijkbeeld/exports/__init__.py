"""exports: results as files for Excel, Power BI, QGIS and notebooks (docs/exporteren.md).

Tables (a profile, a comparison table, an urgency matrix) go to CSV, XLSX or Parquet with the
provenance columns ``bron``, ``jaar`` and ``methode`` on every row and, beside the rows, an XLSX
sheet ``herkomst`` or a Parquet metadata key ``wijkbeeld``. Maps (areas with their figures and
hotspot classes) go to GeoPackage or GeoJSON through :func:`wijkbeeld.spatial.export_areas`,
re-exported here. Plain pandas/pyarrow/pyogrio; no web framework.

>>> from wijkbeeld.exports import TABLE_FORMATS
>>> TABLE_FORMATS
('csv', 'xlsx', 'parquet')
"""

from wijkbeeld.exports.tables import (
    PROVENANCE_COLUMNS,
    ExportTable,
    compare_method,
    comparison_table,
    figures_table,
    matrix_table,
    profile_table,
    urgency_method,
)
from wijkbeeld.exports.writers import (
    METADATA_KEY,
    TABLE_FORMATS,
    CsvDialect,
    read_metadata,
    table_format,
    write_table,
)
from wijkbeeld.spatial.export import EXPORT_FORMATS as MAP_FORMATS
from wijkbeeld.spatial.export import Provenance, export_areas

__all__ = [
    "MAP_FORMATS",
    "METADATA_KEY",
    "PROVENANCE_COLUMNS",
    "TABLE_FORMATS",
    "CsvDialect",
    "ExportTable",
    "Provenance",
    "compare_method",
    "comparison_table",
    "export_areas",
    "figures_table",
    "matrix_table",
    "profile_table",
    "read_metadata",
    "table_format",
    "urgency_method",
    "write_table",
]
