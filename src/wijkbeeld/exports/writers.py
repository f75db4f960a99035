"""Write an :class:`~wijkbeeld.exports.tables.ExportTable` to CSV, XLSX or Parquet.

Provenance travels with the rows in every format (the columns ``bron``, ``jaar``, ``methode``)
and, table-wide, beside them:

* **CSV**: semicolon-separated with a decimal comma and a UTF-8 byte-order mark, as CBS
  StatLine exports are, so Dutch Excel opens it in columns with the right characters. No
  ``#`` comment lines (Excel would show them as data); the provenance is in the columns.
  Read back with ``pandas.read_csv(path, sep=";", decimal=",")``. ``dialect="international"``
  writes comma-separated with a decimal point instead.
* **XLSX**: sheet ``gegevens`` with the rows, sheet ``herkomst`` with the table-wide facts as
  ``sleutel``/``waarde`` rows (source, year, method, options as JSON, version).
* **Parquet** (pyarrow): the schema metadata key ``wijkbeeld`` holds the same facts as JSON;
  types are kept (integers with gaps stay integers).

Text cells that a spreadsheet would run as a formula (starting with ``=``, ``+``, ``-``, ``@``,
tab or carriage return) get a leading ``'`` in CSV and XLSX, column labels and the ``herkomst``
sheet included (:mod:`wijkbeeld.exports.cells`, OWASP); numbers stay numbers, Parquet keeps the
text as stored.

Numbers are written at full precision: reading the file back gives the same values. The file is
written to a temporary name beside the target and renamed, so a failed export leaves no half
file behind.
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import pandas as pd

from wijkbeeld.exports.cells import neutralise_frame
from wijkbeeld.exports.tables import ExportTable

__all__ = [
    "METADATA_KEY",
    "TABLE_FORMATS",
    "CsvDialect",
    "read_metadata",
    "table_format",
    "write_table",
]

#: The file formats of a table export, by suffix.
TABLE_FORMATS: tuple[str, ...] = ("csv", "xlsx", "parquet")
#: The Parquet schema metadata key (and XLSX sheet facts) holding the provenance.
METADATA_KEY = "wijkbeeld"
CsvDialect = Literal["nl", "international"]


def table_format(path: Path | str, fmt: str | None = None) -> str:
    """The export format: ``fmt`` if given, else the file suffix; a clear error otherwise."""
    chosen = (fmt or Path(path).suffix.lstrip(".")).lower()
    if chosen not in TABLE_FORMATS:
        raise ValueError(
            f"{path}: unknown table format {chosen!r}; choose one of {', '.join(TABLE_FORMATS)}"
        )
    return chosen


def _facts(table: ExportTable) -> dict[str, str]:
    from wijkbeeld import __version__

    facts = dict(table.metadata)
    facts.setdefault("soort", table.kind)
    facts["rijen"] = str(len(table.frame))
    facts["gemaakt"] = datetime.now(UTC).replace(microsecond=0).isoformat()
    facts["wijkbeeld"] = __version__
    return facts


def _csv(table: ExportTable, target: Path, dialect: CsvDialect) -> None:
    sep, decimal = (";", ",") if dialect == "nl" else (",", ".")
    frame = neutralise_frame(table.frame)
    frame.to_csv(target, sep=sep, decimal=decimal, index=False, encoding="utf-8-sig",
                 lineterminator="\r\n")


def _xlsx(table: ExportTable, target: Path) -> None:
    facts = _facts(table)
    about = pd.DataFrame({"sleutel": list(facts), "waarde": list(facts.values())})
    frame = neutralise_frame(table.frame)
    about = neutralise_frame(about)
    for col in frame.columns:  # Excel has no timezone-aware datetimes
        if isinstance(frame[col].dtype, pd.DatetimeTZDtype):
            frame[col] = frame[col].dt.tz_localize(None)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        frame.to_excel(writer, sheet_name="gegevens", index=False)
        about.to_excel(writer, sheet_name="herkomst", index=False)


def _parquet(table: ExportTable, target: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    arrow = pa.Table.from_pandas(table.frame, preserve_index=False)
    meta = dict(arrow.schema.metadata or {})
    meta[METADATA_KEY.encode()] = json.dumps(_facts(table), ensure_ascii=False).encode("utf-8")
    pq.write_table(arrow.replace_schema_metadata(meta), target)


def write_table(
    table: ExportTable,
    path: Path | str,
    fmt: str | None = None,
    *,
    dialect: CsvDialect = "nl",
) -> Path:
    """Write ``table`` to ``path`` as CSV, XLSX or Parquet (``fmt`` or the suffix)."""
    target = Path(path)
    chosen = table_format(target, fmt)
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent)
    os.close(handle)
    temp = Path(temp_name)
    try:
        if chosen == "csv":
            _csv(table, temp, dialect)
        elif chosen == "xlsx":
            _xlsx(table, temp)
        else:
            _parquet(table, temp)
        temp.replace(target)
    finally:
        temp.unlink(missing_ok=True)
    return target


def read_metadata(path: Path | str) -> dict[str, str]:
    """The table-wide provenance of an exported XLSX or Parquet file."""
    source = Path(path)
    chosen = table_format(source)
    if chosen == "parquet":
        import pyarrow.parquet as pq

        meta = pq.read_schema(source).metadata or {}
        raw = meta.get(METADATA_KEY.encode())
        if raw is None:
            raise ValueError(f"{source}: no {METADATA_KEY!r} key in the Parquet metadata")
        facts: dict[str, str] = json.loads(raw.decode("utf-8"))
        return facts
    if chosen == "xlsx":
        about = pd.read_excel(source, sheet_name="herkomst", dtype=str, keep_default_na=False,
                              engine="openpyxl")
        return dict(zip(about["sleutel"], about["waarde"], strict=True))
    raise ValueError(f"{source}: a CSV export keeps its provenance in the columns bron, jaar, "
                     "methode")
