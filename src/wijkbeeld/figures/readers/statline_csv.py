"""CBS StatLine CSV exports, with and without statistical symbols, and renamed derivatives.

Handles what real exports hold: a UTF-8 BOM (or a UTF-16 or Windows-1252 file), ``;``, ``,``, tab
or ``|`` separators, quoted and space-padded codes and values, ``.`` for suppressed cells, decimal
commas beside decimal dots in one file. The area-code column, the name column and the period are
recognised from the header; every other column must be in the catalogue (or is skipped with
``skip_unknown``). Without a period column the period is the one year in the file name.

Whatever is wrong with the file itself (0 bytes, binary content, a ZIP/Excel file named ``.csv``,
no separator, a row with too few or too many fields, an unclosed quote) is a :class:`DataError`
naming the file, the row (the line in the file) and, where one can be named, the column.
:func:`read_csv_cells` is shared with the mapped reader for municipalities' own files.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from wijkbeeld.areas.codes import is_valid_code
from wijkbeeld.figures.areakeys import AreaKeys, name_column, unnamed_first_column
from wijkbeeld.figures.catalogue import Catalogue
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.wide import WideSpec, file_sha256, wide_to_table

__all__ = ["CsvCells", "decode_text", "read_csv_cells", "read_statline_csv", "sniff_separator"]

_CODE_COLUMNS = (
    "Area_Code", "Codering_3", "Encoding_3", "Regiocode (gemeente, wijk, buurt) (code)",
    "Codering (code)", "Encoding", "Codering", "WijkenEnBuurten", "DistrictsAndNeighbourhoods",
    "WKC", "GMC", "gwb_code", "statcode", "code",
)
_NAME_COLUMNS = (
    "District_Type", "Wijken en buurten", "Regioaanduiding/Gemeentenaam (naam)", "Wijknaam",
    "WKN", "GMN", "Naam", "statnaam", "name", "gem_name",
)
_PERIOD_COLUMNS = ("Perioden", "YEAR", "Jaar", "Periods", "period")
# Columns that describe the area, not a figure: the municipality a wijk lies in, the region type,
# StatLine's row ID, and the second code column of OData-style exports.
_META = frozenset(
    {"ID", "Municipality_Name", "MunicipalityName", "MunicipalityName_1", "Gemeentenaam_1",
     "Gemeentenaam", "SoortRegio_2", "SoortRegio", "Soort regio (omschrijving)", "GMN",
     "gem_name", "Gemeentenaam (naam)", "WijkenEnBuurten", "DistrictsAndNeighbourhoods",
     "Codering_3", "Encoding_3", "Encoding", "Codering", "IndelingswijzigingWijkenEnBuurten_4"}
)
_YEAR_IN_NAME = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})(?![0-9])")
_SEPARATORS = (";", ",", "\t", "|")
_SNIFF_LINES = 50
_MAX_ROW_PROBLEMS = 50


@dataclass(frozen=True)
class CsvCells:
    """Every cell of a CSV file as stripped-header text, with the file line of each row.

    ``rows`` holds the 1-based line on which each row of ``frame`` starts (blank lines skipped,
    quoted line breaks counted), so every later message points at the right line.
    """

    path: Path
    frame: pd.DataFrame
    rows: tuple[int, ...]
    header_row: int
    separator: str
    encoding: str


def _line_of(data: bytes, offset: int) -> int:
    return data.count(b"\n", 0, offset) + 1


def decode_text(path: Path) -> tuple[str, str]:
    """(text, encoding) of a text file; DataError for empty, binary or undecodable content."""
    file = str(path)
    data = path.read_bytes()
    if not data:
        raise DataError.single(file, "the file is empty (0 bytes)")
    if data.startswith(b"PK\x03\x04"):
        raise DataError.single(
            file, "this is a ZIP archive (an Excel .xlsx workbook?), not a CSV text file", 1
        )
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError as exc:
            raise DataError.single(file, f"broken UTF-16 text ({exc.reason})") from exc
    nul = data.find(b"\x00")
    if nul >= 0:
        raise DataError.single(
            file, "this is a binary file, not a CSV text file (NUL byte)", _line_of(data, nul)
        )
    try:
        text, encoding = data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError as utf8_error:
        try:
            text, encoding = data.decode("cp1252"), "cp1252"
        except UnicodeDecodeError as exc:
            raise DataError.single(
                file,
                f"not a text file: byte 0x{data[exc.start]:02x} is neither UTF-8 nor Windows-1252",
                _line_of(data, utf8_error.start),
            ) from exc
    for i, char in enumerate(text[: 1 << 16]):
        if char not in "\t\r\n" and unicodedata.category(char) == "Cc":
            line = text.count("\n", 0, i) + 1
            raise DataError.single(
                file, f"this is a binary file, not a CSV text file (control byte {ord(char):#x})",
                line,
            )
    if not text.strip():
        raise DataError.single(file, "the file is empty (only blank lines)", 1)
    # One line ending for everything downstream, so line numbers agree with editors.
    return text.replace("\r\n", "\n").replace("\r", "\n"), encoding


def _field_counts(text: str, sep: str) -> tuple[int, list[int]]:
    lines = text.split("\n")[:_SNIFF_LINES]
    parsed = [r for r in csv.reader(lines, delimiter=sep) if any(c.strip() for c in r)]
    if not parsed:
        return 0, []
    return len(parsed[0]), [len(r) for r in parsed[1:]]


def sniff_separator(text: str, file: str) -> str:
    """The separator that splits the header into the most columns that the rows agree with."""
    best: tuple[float, int, str] | None = None
    for sep in _SEPARATORS:
        n_header, rows = _field_counts(text, sep)
        if n_header < 2:
            continue
        agree = sum(n == n_header for n in rows) / len(rows) if rows else 1.0
        score = (agree, n_header, sep)
        if best is None or score[:2] > best[:2]:
            best = score
    if best is None:
        header = text.strip().split("\n")[0].strip()
        shown = header if len(header) <= 60 else header[:57] + "..."
        raise DataError.single(
            file, "cannot find the separator: the header splits on none of ; , tab or |", 1,
            shown,
        )
    return best[2]


def _row_problem(
    file: str, line: int, fields: list[str], header: list[str], sep: str
) -> Problem:
    n, width = len(fields), len(header)
    hint = ""
    joined = sep.join(fields)
    for other in _SEPARATORS:
        if other != sep and len(next(csv.reader([joined], delimiter=other))) == width:
            hint = f"; this row seems to use {other!r} as separator, the header {sep!r}"
            break
    if not hint and n > width and sep == ",":
        hint = "; a decimal comma in an unquoted value splits it in two"
    if n < width:
        return Problem(
            file, line, header[n],
            f"the row ends before this column: {n} fields where the header has {width}"
            f" (truncated row?){hint}",
        )
    return Problem(
        file, line, header[-1],
        f"{n - width} field(s) after the last column: {n} fields where the header has "
        f"{width}{hint}",
    )


def read_csv_cells(path: Path, *, separator: str | None = None, header_row: int = 1) -> CsvCells:
    """Read every cell of a CSV file as text; DataError naming row and column when it is broken.

    ``header_row`` is the line of the header (municipal files sometimes carry title lines above
    it); blank lines and lines holding only separators are skipped.
    """
    path = Path(path)
    file = str(path)
    text, encoding = decode_text(path)
    if header_row > 1:
        lines = text.split("\n")
        if header_row > len(lines):
            raise DataError.single(file, f"the file has no line {header_row} to read a header from")
        text = "\n".join(lines[header_row - 1 :])
    sep = separator or sniff_separator(text, file)
    offset = header_row - 1
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar='"', strict=True)
    header: list[str] | None = None
    header_line = header_row
    rows: list[list[str]] = []
    lines_of_rows: list[int] = []
    problems: list[Problem] = []
    start = 1
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            break
        except csv.Error as exc:
            column = None
            if header is not None:
                # The broken quoted field is the last one that starts on the row's first line.
                raw_line = text.split("\n")[start - 1]
                position = len(next(csv.reader([raw_line], delimiter=sep), [""])) - 1
                column = header[min(max(position, 0), len(header) - 1)]
            problems.append(
                Problem(file, start + offset, column, f"broken quoting ({exc}); unclosed quote?")
            )
            break
        line = start + offset
        start = reader.line_num + 1
        if not any(cell.strip() for cell in fields):
            continue
        if header is None:
            header = [h.strip() for h in fields]
            header_line = line
            continue
        if len(fields) != len(header):
            if len(problems) < _MAX_ROW_PROBLEMS:
                problems.append(_row_problem(file, line, fields, header, sep))
            continue
        rows.append(fields)
        lines_of_rows.append(line)
    if header is None:
        raise DataError.single(file, "the file is empty (no header row)", header_row)
    if problems:
        raise DataError(problems)
    frame = pd.DataFrame(rows, columns=header, dtype="string")
    # A trailing separator on every line gives a nameless, empty last column: drop it.
    unnamed_empty = [
        i for i, name in enumerate(header)
        if not name and frame.iloc[:, i].fillna("").str.strip().eq("").all()
    ]
    if unnamed_empty:
        frame = frame.iloc[:, [i for i in range(len(header)) if i not in unnamed_empty]]
    return CsvCells(path, frame, tuple(lines_of_rows), header_line, sep, encoding)


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    stripped = {c.strip().casefold(): c for c in columns}
    for cand in candidates:
        if cand.casefold() in stripped:
            return stripped[cand.casefold()]
    return None


def _code_column(wide: pd.DataFrame) -> str | None:
    columns = [str(c) for c in wide.columns]
    if (picked := _pick(columns, _CODE_COLUMNS)) is not None:
        return picked
    # Otherwise the column in which most of the first rows hold CBS codes.
    head = wide.head(50)
    best, best_share = None, 0.5
    for col in columns:
        values = [str(v) for v in head[col].fillna("") if str(v).strip()]
        share = sum(is_valid_code(v) for v in values) / len(values) if values else 0.0
        if share > best_share:
            best, best_share = col, share
    return best


def _holds_codes(values: pd.Series) -> bool:
    """True when the first filled cells of a column are all CBS area codes."""
    head = [str(v) for v in values.head(50).fillna("") if str(v).strip()]
    return bool(head) and all(is_valid_code(v) for v in head)


def _period_from_name(path: Path, header_row: int) -> str:
    years = sorted({str(y) for y in _YEAR_IN_NAME.findall(path.stem)})
    if len(years) == 1:
        return years[0]
    if not years:
        message = "no period column and no year in the file name; rename the file or use a mapping"
    else:
        message = (
            f"no period column and several years in the file name ({', '.join(years)}); "
            "rename the file or use a mapping"
        )
    raise DataError.single(str(path), message, header_row)


def read_statline_csv(
    path: Path,
    *,
    catalogue: Catalogue,
    skip_unknown: bool = False,
    period: str | None = None,
    source: str | None = None,
    keys: AreaKeys | None = None,
) -> FigureTable:
    """Read a StatLine-style CSV into a validated table (see module docstring); ``keys``: codes
    built from a prefix or number columns, or names matched (:mod:`wijkbeeld.figures.areakeys`).
    A file without a code column is read by its name column; a first column without a name is
    skipped when it is a row index, used as the key when it holds codes or names."""
    path = Path(path)
    cells = read_csv_cells(path)
    wide, index_column, first_key = unnamed_first_column(cells.frame)
    keys = keys or AreaKeys()
    columns = [str(c) for c in wide.columns]
    period_col = _pick(columns, _PERIOD_COLUMNS)
    if period is None and period_col is None:
        period = _period_from_name(path, cells.header_row)
    found_name = name_column(columns)
    name_col = keys.name_column or _pick(columns, _NAME_COLUMNS) or (
        found_name[0] if found_name else None)
    if keys.builds_codes:
        parts = keys.code_parts
        code_col = keys.code_column or (
            (parts[2] or parts[1] or parts[0]) if parts is not None else None)
        if code_col is None:
            code_col = _code_column(wide.drop(columns=[index_column] if index_column else []))
        if code_col is None:
            raise DataError.single(str(path), f"met codevoorvoegsel {keys.code_prefix} is een "
                                   "kolom met nummers nodig (--code-column)", cells.header_row)
    else:
        code_col = (first_key if first_key is not None and _code_column(wide[[first_key]])
                    else _code_column(wide.drop(columns=[index_column] if index_column else [])))
        if code_col is None:
            # No codes: a name-keyed table (issue 21), matched in the municipality and year.
            code_col = name_col or first_key
            if code_col is None:
                raise DataError.single(
                    str(path), "no column with CBS area codes (GM/WK/BU) found, and no column "
                    "with area names (BUURT, buurtnaam, wijknaam, naam, ...)", cells.header_row
                )
            name_col = code_col
            keys = replace(keys, by_name=True, name_column=code_col)
    ignore = {c for c in columns if c.strip() in _META}
    # Further columns of CBS codes (a gemeente or wijk code beside a buurt code) are no figures;
    # wide_to_table checks that they agree with the area codes.
    ignore |= {c for c in columns if c != code_col and _holds_codes(wide[c])}
    if index_column is not None:
        ignore.add(index_column)
    spec = WideSpec(
        code_column=code_col,
        name_column=name_col,
        period=period if period_col is None else None,
        period_column=period_col,
        ignore=frozenset(ignore),
        unknown="skip" if skip_unknown else "error",
    )
    table = wide_to_table(
        wide, spec, catalogue=catalogue, file=str(path), sha256=file_sha256(path),
        source=source or _source_for(columns, spec, catalogue), reader="statline_csv",
        rows=cells.rows, header_row=cells.header_row, keys=keys,
    )
    if index_column is None:
        return table
    note = (f"{path}: column {index_column!r} is a row number (an index written with the "
            "table) and was skipped")
    return replace(table, warnings=(*table.warnings, note))


def _source_for(columns: list[str], spec: WideSpec, catalogue: Catalogue) -> str:
    """The attribution: the sources of the recognised indicator columns, in column order."""
    meta = {spec.code_column, spec.name_column, spec.period_column, *spec.ignore}
    sources: list[str] = []
    for col in columns:
        ind = None if col in meta else catalogue.lookup(col)
        if ind is not None and ind.source not in sources:
            sources.append(ind.source)
    return "; ".join(sources)[:200] if sources else "onbekende bron"
