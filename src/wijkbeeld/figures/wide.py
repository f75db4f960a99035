"""From a wide sheet (one row per area, one column per indicator) to a validated FigureTable.

Every reader (StatLine CSV, OData, TypedDataSet workbooks, mapped municipal files) turns its format
into a frame of raw text cells and hands it here, so codes, numbers, periods and duplicates are
checked the same way for every source.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code, placeholder_reason
from wijkbeeld.figures.areakeys import AreaKeys, parts_problems, resolve_codes
from wijkbeeld.figures.catalogue import AllZeroPeriod, Catalogue, Indicator
from wijkbeeld.figures.cells import parse_cells
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.periods import normalise_period, period_year
from wijkbeeld.figures.table import COLUMNS, FigureTable
from wijkbeeld.figures.validation import apply_zero_columns, check_hierarchy, check_values

__all__ = ["MAX_TEXT", "PLACEHOLDER_CODE", "WideSpec", "file_sha256", "wide_to_table"]

#: Longest area name and column name the store keeps (the database columns hold 200 characters).
MAX_TEXT = 200

#: CBS microdata aggregates write ``WK1916--`` for "wijk onbekend" (addresses that could not be
#: placed in a wijk). Such a row is no area: it is skipped with a warning, never stored.
PLACEHOLDER_CODE = re.compile(r"(?:WK|BU)[0-9]{4}[0-9A-Z]*-+")


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
    columns: Iterable[str], spec: WideSpec, catalogue: Catalogue, file: str, header_row: int
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
    problems: list[Problem] = []
    if unknown and spec.unknown == "error":
        problems += [
            Problem(
                file, header_row, col,
                "column not in the indicator catalogue; add it to a mapping file "
                "or pass --skip-unknown",
            )
            for col in unknown
        ]
    first_column: dict[str, str] = {}
    for col, ind in found.items():
        if ind.key in first_column:
            problems.append(
                Problem(
                    file, header_row, col,
                    f"holds the same indicator ({ind.key}) as column {first_column[ind.key]!r}",
                )
            )
        else:
            first_column[ind.key] = col
    if problems:
        raise DataError(problems)
    return found, unknown


def _header_problems(wide: pd.DataFrame, file: str, header_row: int) -> list[Problem]:
    """Duplicate or empty column names make every later message ambiguous: refuse them first."""
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, col in enumerate(wide.columns, start=1):
        name = str(col)
        if not name.strip():
            problems.append(
                Problem(file, header_row, f"#{position}", "column without a name in the header")
            )
        elif name in seen:
            problems.append(Problem(file, header_row, name, "column name appears twice"))
        elif len(name) > MAX_TEXT:
            problems.append(
                Problem(
                    file, header_row, name[:40] + "...", f"column name over {MAX_TEXT} characters"
                )
            )
        seen.add(name)
    return problems


def _text_take(values: Sequence[str], positions: np.ndarray) -> pd.Series:
    """A text column built by position from a few distinct texts: converting the distinct texts
    once and taking by position is far faster than building 600,000 Python strings."""
    return pd.Series(list(values), dtype="str").take(positions).reset_index(drop=True)


def _duplicate_rows(
    codes: list[str], periods: list[str], rows: list[int], file: str, code_column: str,
    names: list[str] | None = None,
) -> list[Problem]:
    """One problem per repeated (area, period) row, naming the row it repeats (and, for codes
    matched from names, both names)."""
    first: dict[tuple[str, str], int] = {}
    first_name: dict[tuple[str, str], str] = {}
    problems: list[Problem] = []
    for i, (code, period, row) in enumerate(zip(codes, periods, rows, strict=True)):
        if not code or not period:
            continue
        if (code, period) in first:
            message = (f"duplicate row: {code} {period} already given in row "
                       f"{first[(code, period)]}")
            if names is not None:
                message = (f"dubbele rij: de naam {names[i]!r} is gebied {code}, net als "
                           f"{first_name[(code, period)]!r} in rij {first[(code, period)]} "
                           f"(periode {period})")
            problems.append(Problem(file, row, code_column, message))
        else:
            first[(code, period)] = row
            if names is not None:
                first_name[(code, period)] = names[i]
    return problems


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
    rows: Sequence[int] | None = None,
    header_row: int | None = None,
    keys: AreaKeys | None = None,
) -> FigureTable:
    """Validate and melt ``wide`` (raw text cells) into a :class:`FigureTable`.

    ``first_row`` is the file row number of ``wide``'s first row (2 for a CSV with one header);
    a reader that skipped blank lines or read quoted line breaks passes the file row of every
    row in ``rows`` instead. ``header_row`` (default ``first_row - 1``) is named in problems with
    the header. Raises :class:`DataError` listing every problem found; returns only a fully
    valid table.

    ``keys`` (:mod:`wijkbeeld.figures.areakeys`): codes built from a prefix or from number
    columns, or matched from names (``spec.code_column`` is then the number or name column).
    """
    header = first_row - 1 if header_row is None else header_row
    if wide.empty:
        raise DataError.single(
            file, "the file holds no data rows, only a header", header + 1, spec.code_column
        )
    if bad_header := _header_problems(wide, file, header):
        raise DataError(bad_header)
    if spec.code_column not in wide.columns:
        raise DataError.single(
            file, f"no area-code column {spec.code_column!r}; columns are {list(wide.columns)}",
            header,
        )
    problems: list[Problem] = []
    lines = (
        list(range(first_row, first_row + len(wide))) if rows is None else [int(r) for r in rows]
    )
    if len(lines) != len(wide):
        raise ValueError(f"{len(lines)} row numbers for {len(wide)} rows")
    wide = wide.reset_index(drop=True)

    if spec.period_column is not None:
        if spec.period_column not in wide.columns:
            raise DataError.single(
                file, f"no period column {spec.period_column!r}", header, spec.period_column
            )
        periods: list[str] = []
        for i, raw in enumerate(wide[spec.period_column].tolist()):
            try:
                periods.append(normalise_period(raw))
            except ValueError as exc:
                problems.append(Problem(file, int(lines[i]), spec.period_column, str(exc)))
                periods.append("")
    elif spec.period is not None:
        try:
            periods = [normalise_period(spec.period)] * len(wide)
        except ValueError as exc:
            raise DataError.single(file, f"period given for the file: {exc}") from exc
    else:
        raise ValueError("WideSpec needs period or period_column")

    codes: list[str] = []
    keep = np.ones(len(wide), dtype=bool)
    placeholders: list[tuple[int, str]] = []
    matched_names: list[str] | None = None
    raw_codes: Sequence[object] = wide[spec.code_column].astype("string").fillna("").tolist()
    if keys is not None and (keys.builds_codes or keys.by_name):
        valid_years = [period_year(p) for p in set(periods) if p]
        if boundary_year is None and not valid_years:
            raise DataError(problems)
        raw_codes, label, outcomes = resolve_codes(
            wide, lines, keys, file=file, code_column=spec.code_column,
            year=boundary_year if boundary_year is not None else max(valid_years),
            header_row=header,
        )
        used = {keys.code_column, *(keys.code_parts or ())} - {None, label}
        spec = replace(spec, code_column=label,
                       ignore=spec.ignore | {str(c) for c in used if c in wide.columns})
        if outcomes:
            matched_names = [str(v).strip() for v in wide[label].fillna("")]
    for i, raw in enumerate(raw_codes):
        if PLACEHOLDER_CODE.fullmatch(str(raw).strip().upper()):
            placeholders.append((lines[i], str(raw).strip()))
            codes.append("")
            keep[i] = False
            continue
        try:
            parsed = parse_code(str(raw))
        except InvalidAreaCode as exc:
            message = "no area code" if not str(raw).strip() else str(exc)
            problems.append(Problem(file, lines[i], spec.code_column, message))
            codes.append("")
            continue
        reason = placeholder_reason(parsed)
        if reason is not None:
            problems.append(Problem(file, lines[i], spec.code_column, reason))
            codes.append("")
            continue
        codes.append(parsed.code)
        if parsed.level in spec.skip_levels:
            keep[i] = False

    names = (
        wide[spec.name_column].astype("string").fillna("").str.strip().tolist()
        if spec.name_column and spec.name_column in wide.columns
        else [""] * len(wide)
    )
    for i, name in enumerate(names):
        if len(name) > MAX_TEXT and keep[i]:
            problems.append(
                Problem(file, lines[i], spec.name_column, f"area name over {MAX_TEXT} characters")
            )
    found, unknown = _column_indicators(wide.columns, spec, catalogue, file, header)
    if not found:
        raise DataError.single(file, "no indicator columns recognised", header)
    problems.extend(_duplicate_rows(codes, periods, lines, file, spec.code_column,
                                    matched_names))
    meta = {spec.code_column, spec.name_column, spec.period_column, *found}
    problems.extend(parts_problems(wide, codes, lines, {c for c in meta if c}, file))

    # Melt all indicator columns at once: one parse over every cell is far faster than one per
    # column (the RIVM workbooks hold 600,000 cells).
    columns = list(found)
    kept = np.flatnonzero(keep)
    n = len(kept)
    if n == 0 and not problems:
        raise DataError.single(
            file, "no rows left with an area code (only placeholder or skipped rows)",
            header + 1, spec.code_column,
        )
    raw_cells = pd.Series(
        np.concatenate([wide[col].to_numpy(dtype=object)[kept] for col in columns]),
        dtype="string",
    )
    values, status, bad = parse_cells(raw_cells)
    line_arr = np.asarray(lines, dtype=np.int64)[kept]
    per_row = np.tile(np.arange(n), len(columns))  # position within the kept rows
    per_column = np.repeat(np.arange(len(columns)), n)
    frame = pd.DataFrame(
        {
            "area_code": _text_take([codes[i] for i in kept], per_row),
            "area_name": _text_take([names[i] for i in kept], per_row),
            "indicator": _text_take([found[c].key for c in columns], per_column),
            "source_column": _text_take(columns, per_column),
            "period": _text_take([periods[i] for i in kept], per_row),
            "value": values.to_numpy(dtype=np.float64),
            "status": status.to_numpy(dtype=object),
            "row": line_arr[per_row],
        }
    )[list(COLUMNS)]
    for j in np.flatnonzero(bad.to_numpy()).tolist():
        problems.append(
            Problem(
                file, int(line_arr[j % n]), columns[j // n],
                f"text {str(raw_cells.iloc[j]).strip()!r} in a number column",
            )
        )
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
    if placeholders:
        shown = ", ".join(f"row {r} ({code})" for r, code in placeholders[:10])
        warnings.append(
            f"{file}: {len(placeholders)} row(s) with a placeholder code for an unknown area "
            f"skipped: {shown}"
        )
    # A source that writes 0.0 for "not available" (catalogue: all_zero_period = "missing") gets
    # its all-zero periods stored as missing; every other column keeps its zeros with a warning.
    as_missing = {c for c, ind in found.items() if cat.zero_policy(ind) is AllZeroPeriod.MISSING}
    frame, zero_warnings = apply_zero_columns(frame, file, as_missing)
    warnings += check_hierarchy(frame, cat, file)
    warnings += zero_warnings
    return FigureTable(
        file=file,
        sha256=sha256,
        source=source,
        boundary_year=year,
        frame=frame,
        reader=reader,
        indicators={ind.key: ind for ind in found.values()},
        warnings=tuple(warnings),
        code_column=spec.code_column,
    )
