"""One table reader for every importer of municipal files: CSV in any common form, or XLSX.

Municipal exports arrive as whatever the tool at hand wrote: Excel's "CSV (puntkomma)" in
Windows-1252, a UTF-8 file with a byte order mark and commas, a tab-separated survey export, or a
workbook. :func:`read_table` reads each into text cells with the line (CSV) or sheet row (XLSX) of
every data row, so the importer on top (the mapped figures reader, the voices import) only maps
columns and checks values, and every message can name file, row and column.

* CSV (and ``.txt``/``.tsv``): :func:`~wijkbeeld.figures.readers.statline_csv.read_csv_cells`,
  which detects the encoding (UTF-8 with or without BOM, UTF-16 with BOM, else Windows-1252; every
  printable Latin-1 character decodes the same under Windows-1252) and the separator (``;`` ``,``
  tab ``|``), and refuses binary content, broken quoting and rows of the wrong width.
* XLSX (``.xlsx``/``.xlsm``): the first sheet (or ``sheet``) with openpyxl, cells as the text a
  CSV would hold (dates as ISO dates, numbers exactly); values right of the last named column are
  an error, empty rows are skipped.

The reader lives in ``figures`` because the figures importers had it first; the web importers
(voices, rounds) may use it, as the web layer depends on every core package. No core package
other than ``figures`` needs it, so no neutral package is needed to avoid a cycle.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.readers.statline_csv import read_csv_cells

__all__ = ["CSV_SUFFIXES", "XLSX_SUFFIXES", "TextTable", "cell_text", "read_table", "read_xlsx"]

CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
XLSX_SUFFIXES = frozenset({".xlsx", ".xlsm"})


@dataclass(frozen=True)
class TextTable:
    """Text cells of one table; ``rows[i]`` is the file line or sheet row of ``frame`` row ``i``.

    ``separator`` and ``encoding`` are what the CSV detection found (empty for a workbook).
    """

    frame: pd.DataFrame
    rows: tuple[int, ...]
    header_row: int
    separator: str = ""
    encoding: str = ""


def cell_text(value: object) -> str:
    """An Excel cell as the text a CSV would hold (floats exactly, dates as ISO dates)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value)


def read_xlsx(path: Path, *, sheet: str | None = None, header_row: int = 1) -> TextTable:
    """Text cells of one sheet of a workbook (the first unless ``sheet``); DataError if broken."""
    from openpyxl import load_workbook

    file = str(path)
    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise DataError.single(
            file, f"not a readable .xlsx workbook ({type(exc).__name__}: {exc})"
        ) from exc
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        elif sheet in workbook.sheetnames:
            worksheet = workbook[sheet]
        else:
            raise DataError.single(file, f"no sheet {sheet!r}; the workbook has "
                                         f"{workbook.sheetnames}")
        header: list[str] | None = None
        rows: list[list[str]] = []
        numbers: list[int] = []
        problems: list[Problem] = []
        for number, values in enumerate(worksheet.iter_rows(values_only=True), start=1):
            if number < header_row:
                continue
            cells = [cell_text(v) for v in values]
            if header is None:
                if number == header_row:
                    while cells and not cells[-1].strip():
                        cells.pop()
                    header = [c.strip() for c in cells]
                continue
            if not any(c.strip() for c in cells):
                continue
            extra = [c for c in cells[len(header):] if c.strip()]
            if extra:
                problems.append(Problem(file, number, header[-1] if header else None,
                                        f"values right of the last named column: {extra[:3]}"))
                continue
            rows.append((cells + [""] * len(header))[: len(header)])
            numbers.append(number)
    finally:
        workbook.close()
    if not header:
        raise DataError.single(file, "the sheet is empty (no header row)", header_row)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=header, dtype="string")
    return TextTable(frame, tuple(numbers), header_row)


def read_table(path: Path | str, *, sheet: str | None = None, header_row: int = 1,
               separator: str | None = None) -> TextTable:
    """Text cells of a CSV or XLSX file, whatever its separator and encoding (module doc).

    The file type comes from the suffix; a workbook renamed to ``.csv`` or a binary file is
    refused by the CSV reader with a clear message. Call
    :func:`~wijkbeeld.figures.filecheck.check_import_file` first (size, zip bombs).
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix in XLSX_SUFFIXES:
        return read_xlsx(path, sheet=sheet, header_row=header_row)
    if suffix in CSV_SUFFIXES:
        cells = read_csv_cells(path, separator=separator, header_row=header_row)
        return TextTable(cells.frame, cells.rows, cells.header_row, cells.separator,
                         cells.encoding)
    raise DataError.single(str(path), f"unsupported file type {suffix!r} (use .csv or .xlsx)")
