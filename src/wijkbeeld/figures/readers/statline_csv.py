"""CBS StatLine CSV exports, with and without statistical symbols, and renamed derivatives.

Handles what real exports hold: a UTF-8 BOM, ``;`` or ``,`` separators, quoted and space-padded
codes and values, ``.`` for suppressed cells, decimal commas beside decimal dots in one file. The
area-code column and the period are recognised from the header; the rest is in the catalogue.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pandas as pd

from wijkbeeld.areas.codes import is_valid_code
from wijkbeeld.figures.catalogue import Catalogue
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.wide import WideSpec, file_sha256, wide_to_table

__all__ = ["read_statline_csv", "sniff_csv"]

_CODE_COLUMNS = (
    "Area_Code", "Codering_3", "Encoding_3", "Regiocode (gemeente, wijk, buurt) (code)",
    "WijkenEnBuurten", "DistrictsAndNeighbourhoods", "Codering (code)", "WKC", "GMC",
    "gwb_code", "statcode", "code",
)
_NAME_COLUMNS = (
    "District_Type", "Wijken en buurten", "Regioaanduiding/Gemeentenaam (naam)", "Wijknaam",
    "WKN", "GMN", "Naam", "statnaam", "name",
)
_PERIOD_COLUMNS = ("Perioden", "YEAR", "Jaar", "Periods", "period")
_META = frozenset(
    {"ID", "Municipality_Name", "MunicipalityName_1", "Gemeentenaam_1", "SoortRegio_2",
     "Soort regio (omschrijving)", "GMN", "gem_name", "Gemeentenaam (naam)",
     "WijkenEnBuurten", "DistrictsAndNeighbourhoods", "Codering_3", "Encoding_3"}
)
_YEAR_IN_NAME = re.compile(r"(?<![0-9])(20[0-9]{2}|19[0-9]{2})(?![0-9])")


def sniff_csv(path: Path) -> tuple[str, str]:
    """(text, separator) of a CSV file; raises DataError for binary or undecodable content."""
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise DataError.single(str(path), "this is a binary file, not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise DataError.single(str(path), f"not a text file ({exc})") from exc
    header = text.splitlines()[0] if text.strip() else ""
    if not header:
        raise DataError.single(str(path), "the file is empty")
    counts = {sep: header.count(sep) for sep in (";", ",", "\t")}
    sep = max(counts, key=lambda s: counts[s])
    if counts[sep] == 0:
        raise DataError.single(
            str(path), "cannot find a separator (; , or tab) in the header row", 1
        )
    return text, sep


def _pick(columns: list[str], candidates: tuple[str, ...]) -> str | None:
    stripped = {c.strip(): c for c in columns}
    for cand in candidates:
        if cand in stripped:
            return stripped[cand]
    return None


def _read_cells(path: Path, text: str, sep: str) -> pd.DataFrame:
    """All cells as text; a row with the wrong number of fields is an error naming that row."""
    reader = csv.reader(io.StringIO(text), delimiter=sep, quotechar='"')
    try:
        header = next(reader)
        rows = list(reader)
    except csv.Error as exc:
        raise DataError.single(str(path), f"unreadable CSV: {exc}") from exc
    header = [h.strip() for h in header]
    problems = [
        Problem(str(path), i + 2, None, f"{len(r)} fields where the header has {len(header)}")
        for i, r in enumerate(rows)
        if len(r) != len(header) and any(cell.strip() for cell in r)
    ]
    if problems:
        raise DataError(problems)
    rows = [r for r in rows if any(cell.strip() for cell in r)]
    return pd.DataFrame(rows, columns=header, dtype="string")


def read_statline_csv(
    path: Path,
    *,
    catalogue: Catalogue,
    skip_unknown: bool = False,
    period: str | None = None,
    source: str | None = None,
) -> FigureTable:
    """Read a StatLine-style CSV into a validated table (see module docstring)."""
    path = Path(path)
    text, sep = sniff_csv(path)
    wide = _read_cells(path, text, sep)
    columns = list(wide.columns)
    code_col = _pick(columns, _CODE_COLUMNS)
    if code_col is None:
        # Fall back to the first column whose first value looks like a CBS code.
        first = wide.iloc[0] if len(wide) else pd.Series(dtype="string")
        code_col = next((c for c in columns if is_valid_code(str(first[c]))), None)
    if code_col is None:
        raise DataError.single(str(path), "no column with CBS area codes (GM/WK/BU) found", 1)
    period_col = _pick(columns, _PERIOD_COLUMNS)
    if period is None and period_col is None:
        m = _YEAR_IN_NAME.search(path.name)
        if m is None:
            raise DataError.single(
                str(path), "no period column and no year in the file name; pass --period", 1
            )
        period = m.group(1)
    name_col = _pick(columns, _NAME_COLUMNS)
    spec = WideSpec(
        code_column=code_col,
        name_column=name_col,
        period=period if period_col is None else None,
        period_column=period_col,
        ignore=_META | {c for c in columns if c.strip() in _META},
        unknown="skip" if skip_unknown else "error",
    )
    inferred_source = source or _source_for(wide, spec, catalogue)
    return wide_to_table(
        wide, spec, catalogue=catalogue, file=str(path), sha256=file_sha256(path),
        source=inferred_source, reader="statline_csv",
    )


def _source_for(wide: pd.DataFrame, spec: WideSpec, catalogue: Catalogue) -> str:
    """The attribution of the figures: the source of the first recognised indicator column."""
    meta = {spec.code_column, spec.name_column, spec.period_column, *spec.ignore}
    for col in wide.columns:
        if col in meta:
            continue
        ind = catalogue.lookup(col)
        if ind is not None:
            return ind.source
    return "onbekende bron"
