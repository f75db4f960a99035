"""Read a large query's plain columns as an Arrow table, without a Python object per cell.

Loading every buurt of the country (ten million observations) through the database cursor builds
seven Python objects per row: about 40 s and 5 GB. The two engines can hand the rows over in
bulk instead:

* **PostgreSQL**: ``COPY (query) TO STDOUT (FORMAT csv)`` on Django's own connection (so inside
  the same transaction, seeing exactly what the cursor would), parsed by Arrow's C CSV reader.
  PostgreSQL prints floats with the shortest text that reads back to the same double
  (``extra_float_digits`` 1, the default since version 12), so values survive exactly.
* **SQLite**: the ADBC SQLite driver (Apache Arrow) on a second, read-only connection to the same
  file, but only when Django's connection is in autocommit (outside any atomic block: the second
  connection then sees what the first would) and the database is a file, not in memory.

:func:`read_arrow` returns ``None`` when neither applies (an in-memory test database, an open
transaction on SQLite, the driver missing); the caller then reads through the cursor. Both paths
give the same frame (``tests/web/test_bulk_read.py``).
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.db import connections
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX

__all__ = ["read_arrow"]

log = logging.getLogger(__name__)

#: SQLite's ADBC driver infers a column's type from its first rows; a float column that starts
#: with NULLs would be taken for integers. Floats are therefore read as (value or 0.0, is null).
_NULL_SUFFIX = "__isnull"


def read_arrow(
    sql: str, params: Sequence[Any], columns: Sequence[str],
    types: Mapping[str, pa.DataType], using: str = "default",
) -> pa.Table | None:
    """The rows of ``sql`` (Django-style ``%s`` placeholders) as an Arrow table with ``columns``
    (in the query's select order) of ``types``, or ``None`` when no bulk path applies."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        return _postgres_copy(sql, params, columns, types, using)
    if connection.vendor == "sqlite":
        return _sqlite_adbc(sql, params, columns, types, using)
    return None


def _postgres_copy(
    sql: str, params: Sequence[Any], columns: Sequence[str],
    types: Mapping[str, pa.DataType], using: str,
) -> pa.Table:
    buffer = io.BytesIO()
    statement = f"COPY ({sql}) TO STDOUT (FORMAT csv)"
    started = time.monotonic()
    with connections[using].cursor() as cursor:
        raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
        with raw.copy(statement, list(params)) as copy:
            for block in copy:
                buffer.write(block)
    _logged(using, statement, params, started)
    buffer.seek(0)
    if buffer.getbuffer().nbytes == 0:
        return pa.table({c: pa.array([], type=types[c]) for c in columns})
    table: pa.Table = pacsv.read_csv(
        buffer,
        read_options=pacsv.ReadOptions(column_names=list(columns), block_size=1 << 24),
        convert_options=pacsv.ConvertOptions(
            column_types=dict(types),
            # COPY csv writes NULL as an empty unquoted field and "" as a quoted one.
            strings_can_be_null=True, quoted_strings_can_be_null=False,
        ),
    )
    return table


def _logged(using: str, statement: str, params: Sequence[Any], started: float) -> None:
    """Record the bulk query where Django records its own (``connection.queries`` in debug
    mode and in tests that count queries): it bypasses Django's cursor wrapper."""
    connection = connections[using]
    if connection.queries_logged:
        connection.queries_log.append({
            "sql": f"{statement} -- params {list(params)!r}",
            "time": f"{time.monotonic() - started:.3f}",
        })


def _sqlite_file(using: str) -> Path | None:
    """The database file when a second connection would see what Django's does."""
    connection = connections[using]
    if connection.in_atomic_block:
        return None
    name = str(connection.settings_dict.get("NAME") or "")
    if not name or name == ":memory:" or name.startswith("file:") or "mode=memory" in name:
        return None
    path = Path(name)
    return path if path.is_file() else None


def _sqlite_adbc(
    sql: str, params: Sequence[Any], columns: Sequence[str],
    types: Mapping[str, pa.DataType], using: str,
) -> pa.Table | None:
    path = _sqlite_file(using)
    if path is None:
        return None
    try:
        import adbc_driver_sqlite.dbapi as adbc
    except ImportError:  # an optional speed-up: the cursor path gives the same frame
        return None
    floats = [c for c in columns if pa.types.is_floating(types[c])]
    wrapped = ", ".join(
        f'coalesce(q."{c}", 0.0) AS "{c}", q."{c}" IS NULL AS "{c}{_NULL_SUFFIX}"'
        if c in floats else f'q."{c}"'
        for c in columns
    )
    names = ", ".join(f'"{c}"' for c in columns)
    query = FORMAT_QMARK_REGEX.sub("?", sql).replace("%%", "%")
    statement = f"WITH q({names}) AS ({query}) SELECT {wrapped} FROM q"
    uri = f"file:{path.resolve()}?mode=ro"
    started = time.monotonic()
    try:
        with adbc.connect(uri) as conn, conn.cursor() as cursor:
            cursor.execute(statement, list(params))
            table: pa.Table = cursor.fetch_arrow_table()
        _logged(using, statement, params, started)
    except Exception:  # the driver's type inference or an old SQLite: read through the cursor
        log.warning("bulk read of %s failed; reading through the cursor", path, exc_info=True)
        return None
    out: dict[str, pa.Array] = {}
    for c in columns:
        column = table.column(c)
        if c in floats:
            null = table.column(f"{c}{_NULL_SUFFIX}").cast(pa.bool_())
            column = pc.if_else(null, pa.scalar(None, types[c]), column.cast(types[c]))
        elif pa.types.is_dictionary(types[c]) and not pa.types.is_dictionary(column.type):
            column = pc.dictionary_encode(column)
        out[c] = column.cast(types[c])
    return pa.table(out)
