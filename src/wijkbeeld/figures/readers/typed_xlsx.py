"""Excel workbooks in the CBS OData TypedDataSet layout, such as the RIVM health monitor files.

The RIVM Gezondheidsmonitor workbooks hold one sheet with the header ``ID, Leeftijd, Marges,
WijkenEnBuurten, Perioden, Gemeentenaam_1, SoortRegio_2, Codering_3`` followed by 35 indicators,
all stored as space-padded text (``"    75.2"``, ``"       ."`` for suppressed). The sheet is read
with calamine (Rust; about ten times faster than openpyxl) straight into text cells, keeping the
exact sheet row numbers (header = row 1) for error messages; :mod:`~wijkbeeld.figures.typed_dataset`
does the rest.
"""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from pathlib import Path

import pandas as pd
from python_calamine import CalamineWorkbook

from wijkbeeld.figures.catalogue import Catalogue
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.typed_dataset import CODE_COLUMN, PERIOD_COLUMN, TypedInput, typed_to_table
from wijkbeeld.figures.wide import file_sha256

__all__ = ["read_typed_sheet", "read_typed_xlsx"]

_YEAR_IN_NAME = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})(?![0-9])")
Cell = int | float | str | bool | dt.time | dt.date | dt.datetime | dt.timedelta


def _cell_text(value: Cell) -> str:
    """A cell as the text a CSV export would hold; integral numbers without ``.0``."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, int):
        return str(value)
    return str(value)


def _column(cells: list[Cell]) -> list[str]:
    if set(map(type, cells)) <= {str}:  # the usual case: a column of text cells
        return cells  # type: ignore[return-value]
    return [_cell_text(v) for v in cells]


def _open(path: Path) -> CalamineWorkbook:
    file = str(path)
    if not path.exists():
        raise DataError.single(file, "file not found")
    if path.stat().st_size == 0:
        raise DataError.single(file, "the file is empty (0 bytes)")
    if not zipfile.is_zipfile(path):
        raise DataError.single(
            file,
            "not a readable .xlsx workbook: an .xlsx file is a zip archive and this file is not "
            "one (damaged, truncated, or another format renamed to .xlsx)",
        )
    try:
        return CalamineWorkbook.from_path(str(path))
    except Exception as exc:  # calamine raises its own error types for every kind of damage
        raise DataError.single(file, f"not a readable .xlsx workbook: {exc}") from exc


def read_typed_sheet(path: Path) -> tuple[pd.DataFrame, str]:
    """(text cells, sheet name) of the first sheet whose header row holds ``WijkenEnBuurten``.

    Every cell becomes text (empty cells ``""``); row ``i`` of the frame is sheet row ``i + 2``.
    Empty rows at the end of the sheet are dropped; an empty row in the middle is an error.
    """
    path = Path(path)
    file = str(path)
    book = _open(path)
    headers: list[str] = []
    for name in book.sheet_names:
        try:
            grid = book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        except Exception as exc:
            raise DataError.single(file, f"sheet {name!r} cannot be read: {exc}") from exc
        if not grid:
            continue
        header = [_cell_text(v).strip() for v in grid[0]]
        if CODE_COLUMN not in header:
            headers.append(f"{name!r}: {', '.join(h for h in header[:8] if h)}")
            continue
        body = grid[1:]
        while body and all(v == "" for v in body[-1]):
            body.pop()
        empty = [
            Problem(file, i + 2, None, "empty row inside the table")
            for i, r in enumerate(body)
            if all(v == "" for v in r)
        ]
        if empty:
            raise DataError(empty)
        width = len(header)
        columns = list(zip(*body, strict=True)) if body else [() for _ in header]
        data = {h or f"kolom {j + 1}": _column(list(columns[j])) for j, h in enumerate(header)}
        if len(data) != width:
            dup = sorted({h for h in header if header.count(h) > 1})
            raise DataError.single(file, f"duplicate column names in the header: {dup}", 1)
        return pd.DataFrame(data, dtype=object), name
    raise DataError.single(
        file,
        f"not in the CBS TypedDataSet layout: no sheet has a header row with {CODE_COLUMN!r} "
        f"(sheets: {'; '.join(headers) or 'none'})",
        1,
    )


def read_typed_xlsx(
    path: Path | str,
    *,
    catalogue: Catalogue,
    skip_unknown: bool = False,
    period: str | None = None,
    boundary_year: int | None = None,
    source: str | None = None,
) -> FigureTable:
    """Read a TypedDataSet workbook (RIVM health monitor, CBS exports) into a validated table.

    ``period`` is needed only for tables without a ``Perioden`` column and no year in the file
    or sheet name. ``boundary_year`` overrides the derived indeling (see
    :mod:`~wijkbeeld.figures.typed_dataset`: 2020 for the RIVM waves up to 2020).
    """
    path = Path(path)
    wide, sheet = read_typed_sheet(path)
    if PERIOD_COLUMN not in wide.columns and period is None:
        m = _YEAR_IN_NAME.search(sheet) or _YEAR_IN_NAME.search(path.name)
        period = m.group(1) if m else None
    info = TypedInput(
        file=str(path), sha256=file_sha256(path), reader="typed_xlsx", first_row=2,
        period=period, boundary_year=boundary_year, source=source,
    )
    return typed_to_table(wide, info, catalogue=catalogue, skip_unknown=skip_unknown)
