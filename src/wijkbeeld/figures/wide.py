"""From a wide sheet (one row per area, one column per indicator) to a validated FigureTable.

Every reader (StatLine CSV, OData, TypedDataSet workbooks, mapped municipal files) turns its format
into a frame of raw text cells and hands it here, so codes, numbers, periods and duplicates are
checked the same way for every source.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.figures.catalogue import Catalogue, Indicator
from wijkbeeld.figures.cells import parse_cells
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.periods import normalise_period, period_year
from wijkbeeld.figures.table import COLUMNS, FigureTable
from wijkbeeld.figures.validation import check_hierarchy, check_values

__all__ = ["WideSpec", "file_sha256", "wide_to_table"]


def file_sha256(path: Path) -> str:
    """The sha256 of a file's bytes: the identity of an import batch."""
    digest = hashlib.sha256()
    with Path(path).open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


@dataclass(frozen=True)
class WideSpec:
    """How to read a wide sheet.

    ``period`` is a fixed period for the whole file, or ``period_column`` names the column that
    holds it. ``ignore`` lists non-figure columns (IDs, names of the municipality, region type).
    ``indicators`` maps a column to an indicator explicitly (mapping files, RIVM age variants);
    other columns are looked up in the catalogue. ``unknown`` is ``"error"`` or ``"skip"``.
    """

    code_column: str
    name_column: str | None = None
    period: str | None = None
    period_column: str | None = None
    ignore: frozenset[str] = frozenset()
    indicators: Mapping[str, Indicator] = field(default_factory=dict)
    unknown: str = "error"
    skip_levels: frozenset[Level] = frozenset()


def _column_indicators(
    columns: Iterable[str], spec: WideSpec, catalogue: Catalogue, file: str
) -> tuple[dict[str, Indicator], list[str]]:
    found: dict[str, Indicator] = {}
    unknown: list[str] = []
    meta = {spec.code_column, spec.name_column, spec.period_column, *spec.ignore}
    for col in columns:
        if col in meta:
            continue
        ind = spec.indicators.get(col) or catalogue.lookup(col)
        if ind is None:
            unknown.append(col)
        else:
            found[col] = ind
    if unknown and spec.unknown == "error":
        raise DataError(
            [
                Problem(
                    file, 1, col,
                    "column not in the indicator catalogue; add it to a mapping file "
                    "or pass --skip-unknown",
                )
                for col in unknown
            ]
        )
    return found, unknown


def wide_to_table(
    wide: pd.DataFrame,
    spec: WideSpec,
    *,
    catalogue: Catalogue,
    file: str,
    sha256: str,
    source: str,
    reader: str,
    first_row: int = 2,
    boundary_year: int | None = None,
) -> FigureTable:
    """Validate and melt ``wide`` (raw text cells) into a :class:`FigureTable`.

    ``first_row`` is the file row number of ``wide``'s first row (2 for a CSV with one header).
    Raises :class:`DataError` listing every problem found; returns only a fully valid table.
    """
    if wide.empty:
        raise DataError.single(file, "the file holds no data rows")
    if spec.code_column not in wide.columns:
        raise DataError.single(
            file, f"no area-code column {spec.code_column!r}; columns are {list(wide.columns)}", 1
        )
    problems: list[Problem] = []
    rows: list[int] = list(range(first_row, first_row + len(wide)))
    wide = wide.reset_index(drop=True)

    codes: list[str] = []
    keep = np.ones(len(wide), dtype=bool)
    for i, raw in enumerate(wide[spec.code_column].astype("string").fillna("")):
        try:
            parsed = parse_code(str(raw))
        except InvalidAreaCode as exc:
            problems.append(Problem(file, rows[i], spec.code_column, str(exc)))
            codes.append("")
            continue
        codes.append(parsed.code)
        if parsed.level in spec.skip_levels:
            keep[i] = False

    if spec.period_column is not None:
        if spec.period_column not in wide.columns:
            raise DataError.single(file, f"no period column {spec.period_column!r}", 1)
        periods: list[str] = []
        for i, raw in enumerate(wide[spec.period_column].tolist()):
            try:
                periods.append(normalise_period(raw))
            except ValueError as exc:
                problems.append(Problem(file, int(rows[i]), spec.period_column, str(exc)))
                periods.append("")
    elif spec.period is not None:
        periods = [normalise_period(spec.period)] * len(wide)
    else:
        raise ValueError("WideSpec needs period or period_column")

    names = (
        wide[spec.name_column].astype("string").fillna("").str.strip().tolist()
        if spec.name_column and spec.name_column in wide.columns
        else [""] * len(wide)
    )
    found, unknown = _column_indicators(wide.columns, spec, catalogue, file)
    if not found:
        raise DataError.single(file, "no indicator columns recognised", 1)

    parts: list[pd.DataFrame] = []
    base = pd.DataFrame(
        {"area_code": codes, "area_name": names, "period": periods, "row": rows}
    )[keep]
    for col, ind in found.items():
        values, status, bad = parse_cells(wide[col])
        for j in np.flatnonzero(bad.to_numpy() & keep).tolist():
            text = str(wide[col].iloc[j]).strip()
            problems.append(Problem(file, rows[j], col, f"text {text!r} in a number column"))
        part = base.copy()
        part["indicator"] = ind.key
        part["source_column"] = col
        part["value"] = values.to_numpy()[keep]
        part["status"] = status.to_numpy()[keep]
        parts.append(part)
    frame = pd.concat(parts, ignore_index=True)[list(COLUMNS)]
    cat = catalogue.with_indicators(found.values())
    if not problems:
        problems.extend(check_values(frame, cat, file))
    if problems:
        problems.sort(key=lambda p: (p.row or 0, p.column or ""))
        raise DataError(problems)

    year: int
    if boundary_year is not None:
        year = boundary_year
    else:
        years = [period_year(p) for p in set(periods)]
        # A time series spans several years; its codes belong to the latest indeling unless
        # the reader says otherwise.
        year = max(years)
    warnings = [f"{file}: column {c!r} skipped (not in the catalogue)" for c in unknown]
    warnings += check_hierarchy(frame, cat, file)
    return FigureTable(
        file=file,
        sha256=sha256,
        source=source,
        boundary_year=year,
        frame=frame,
        reader=reader,
        indicators={ind.key: ind for ind in found.values()},
        warnings=tuple(warnings),
    )
