"""CBS tables in the OData TypedDataSet layout, from a workbook or from the OData API.

A TypedDataSet row is one combination of dimension categories: the area (``WijkenEnBuurten``), often
the period (``Perioden``) and, in the RIVM health monitor (StatLine 50090NED), the age group
(``Leeftijd``) and the margin (``Marges``). Then come a few text topics (``Gemeentenaam_1``,
``SoortRegio_2``, ``Codering_3``) and the figures. The workbook reader and the OData client both
turn their input into a frame of raw text cells in this layout and hand it here; this module
checks what is particular to the layout and ends in :func:`~wijkbeeld.figures.wide.wide_to_table`,
so codes, numbers and periods are checked as for every other source.

Age groups: the 18+ figures keep the catalogue's keys, the 65+ figures of the same columns get
variant keys (``eenzaam_65plus``), so the two never collide. Margins: only the estimate itself
(``MW00000``) is stored; rows holding confidence bounds are refused with their row and column.

Boundary year (indeling): given by the caller, or by the OData geo dimension (``MapYear``), or for
the RIVM Gezondheidsmonitor :data:`RIVM_FIRST_INDELING` (2020): RIVM published the 2012, 2016 and
2020 waves together in 50090NED on the 2020 indeling, so a wave up to 2020 belongs to 2020 and a
later wave to its own year. Other tables: the latest period (as for every wide table).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from wijkbeeld.areas.codes import is_valid_code
from wijkbeeld.figures.catalogue import Catalogue, Indicator
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.periods import normalise_period, period_year
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.wide import WideSpec, wide_to_table

__all__ = [
    "AGE_COLUMN",
    "AGE_GROUPS",
    "CODE_COLUMN",
    "MARGIN_COLUMN",
    "PERIOD_COLUMN",
    "RIVM_FIRST_INDELING",
    "TEXT_TOPICS",
    "VALUE_MARGIN",
    "AgeGroup",
    "TypedInput",
    "column_stem",
    "typed_to_table",
]

CODE_COLUMN = "WijkenEnBuurten"
PERIOD_COLUMN = "Perioden"
AGE_COLUMN = "Leeftijd"
MARGIN_COLUMN = "Marges"
#: The margin code of the estimate itself; other codes hold confidence bounds.
VALUE_MARGIN = "MW00000"
#: Stems of topics that hold text, not figures, in the KWB and RIVM tables.
TEXT_TOPICS: frozenset[str] = frozenset(
    {
        "Gemeentenaam", "SoortRegio", "Codering", "IndelingswijzigingWijkenEnBuurten",
        "MeestVoorkomendePostcode", "Dekkingspercentage",
    }
)
RIVM_SOURCE_KEY = "rivm_gezondheid"
#: The indeling of RIVM StatLine 50090NED, which holds the 2012, 2016 and 2020 waves.
RIVM_FIRST_INDELING = 2020
# A synthetic column for area names; ':' cannot occur in an OData property name.
_NAME_COLUMN = "wijkbeeld:area_name"
_SUFFIX = re.compile(r"_[0-9]+$")


@dataclass(frozen=True, slots=True)
class AgeGroup:
    """A ``Leeftijd`` category; ``suffix`` None means the catalogue's own keys."""

    code: str
    label: str
    suffix: str | None


#: Age groups of the Gezondheidsmonitor (CBS age codes). Extend here for other groups.
AGE_GROUPS: Mapping[str, AgeGroup] = {
    "20300": AgeGroup("20300", "18+", None),
    "80200": AgeGroup("80200", "65+", "65plus"),
}


@dataclass(frozen=True)
class TypedInput:
    """What is known about a TypedDataSet besides its rows.

    ``first_row`` is the row number of the first data row (2 in a sheet with one header row; for
    OData the record number, 1). ``figure_columns`` lists the numeric topics when the table's
    metadata says so (OData ``DataProperties``); otherwise every column that is not a dimension
    or text topic is a figure. ``names`` maps area codes to names (the OData geo dimension);
    without it municipalities and the country take their name from ``Gemeentenaam_N``.
    """

    file: str
    sha256: str
    reader: str
    first_row: int = 2
    figure_columns: frozenset[str] | None = None
    names: Mapping[str, str] = field(default_factory=dict)
    period: str | None = None
    boundary_year: int | None = None
    source: str | None = None


def column_stem(column: str) -> str:
    """An OData column name without its number suffix: ``Codering_3`` → ``Codering``."""
    return _SUFFIX.sub("", column.strip())


def _text(wide: pd.DataFrame, column: str) -> pd.Series:
    return wide[column].astype("string").fillna("").str.strip()


def _check_margins(wide: pd.DataFrame, rows: np.ndarray, file: str) -> list[Problem]:
    if MARGIN_COLUMN not in wide.columns:
        return []
    margins = _text(wide, MARGIN_COLUMN)
    bad = np.flatnonzero((margins != VALUE_MARGIN).to_numpy())
    return [
        Problem(
            file, int(rows[i]), MARGIN_COLUMN,
            f"margin {margins.iloc[i]!r}: only the estimate ({VALUE_MARGIN}) is imported; rows "
            "with other margins hold confidence bounds, select Marges = MW00000 in the export",
        )
        for i in bad.tolist()
    ]


def _check_coding(wide: pd.DataFrame, rows: np.ndarray, file: str) -> list[Problem]:
    """``Codering_N`` repeats the area code; a row where the two differ is damaged."""
    column = next((c for c in wide.columns if column_stem(str(c)) == "Codering"), None)
    if column is None:
        return []
    key = _text(wide, CODE_COLUMN).str.upper()
    coding = _text(wide, str(column)).str.upper()
    bad = np.flatnonzero(((coding != "") & (key != "") & (coding != key)).to_numpy())
    return [
        Problem(
            file, int(rows[i]), str(column),
            f"code {coding.iloc[i]!r} differs from {CODE_COLUMN} {key.iloc[i]!r} in the same row",
        )
        for i in bad.tolist()
        if is_valid_code(key.iloc[i])  # a malformed key itself is reported by wide_to_table
    ]


def _age_groups(
    wide: pd.DataFrame, rows: np.ndarray, file: str, problems: list[Problem]
) -> list[tuple[AgeGroup | None, np.ndarray]]:
    """Row positions per age group (one group ``None`` for tables without ``Leeftijd``)."""
    if AGE_COLUMN not in wide.columns:
        return [(None, np.arange(len(wide)))]
    ages = _text(wide, AGE_COLUMN)
    groups: list[tuple[AgeGroup | None, np.ndarray]] = []
    for code, found in ages.groupby(ages, sort=False).indices.items():
        positions = np.asarray(found, dtype=np.int64)
        group = AGE_GROUPS.get(str(code))
        if group is None:
            known = ", ".join(f"{g.code} = {g.label}" for g in AGE_GROUPS.values())
            problems.extend(
                Problem(file, int(rows[i]), AGE_COLUMN, f"age group {code!r} unknown ({known})")
                for i in positions.tolist()
            )
            continue
        groups.append((group, positions))
    return groups


def _area_names(wide: pd.DataFrame, names: Mapping[str, str]) -> pd.Series:
    codes = _text(wide, CODE_COLUMN).str.upper()
    if names:
        return codes.map(lambda c: names.get(c, "")).astype("string")
    column = next((c for c in wide.columns if column_stem(str(c)) == "Gemeentenaam"), None)
    if column is None:
        return pd.Series([""] * len(wide), index=wide.index, dtype="string")
    # Gemeentenaam is the municipality's name: the area's own name only for GM and NL rows.
    own = codes.str.startswith("GM") | codes.str.startswith("NL")
    return _text(wide, str(column)).where(own, "")


def _figure_columns(wide: pd.DataFrame, info: TypedInput) -> tuple[list[str], frozenset[str]]:
    """(figure columns, ignored columns) of the frame."""
    ignore = {"ID", AGE_COLUMN, MARGIN_COLUMN}
    ignore |= {str(c) for c in wide.columns if column_stem(str(c)) in TEXT_TOPICS}
    structural = {CODE_COLUMN, PERIOD_COLUMN, _NAME_COLUMN}
    if info.figure_columns is not None:
        ignore |= {
            str(c) for c in wide.columns if c not in info.figure_columns and c not in structural
        }
    figures = [str(c) for c in wide.columns if c not in ignore and c not in structural]
    return figures, frozenset(ignore)


def _is_rivm(indicators: Iterable[Indicator], catalogue: Catalogue) -> bool:
    rivm = catalogue.sources.get(RIVM_SOURCE_KEY)
    return rivm is not None and any(ind.source == rivm for ind in indicators)


def _boundary_year(
    wide: pd.DataFrame, info: TypedInput, recognised: list[Indicator], catalogue: Catalogue
) -> int | None:
    if info.boundary_year is not None:
        return info.boundary_year
    try:
        if PERIOD_COLUMN in wide.columns:
            raw = wide[PERIOD_COLUMN].dropna().unique().tolist()
            years = [period_year(normalise_period(p)) for p in raw]
        else:
            years = [period_year(normalise_period(info.period))]
    except ValueError:
        return None  # wide_to_table reports the bad period with its row
    if not years:
        return None
    latest = max(years)
    if _is_rivm(recognised, catalogue):
        return max(RIVM_FIRST_INDELING, latest)
    return latest


def _merge(tables: list[FigureTable]) -> FigureTable:
    if len(tables) == 1:
        return tables[0]
    first = tables[0]
    indicators: dict[str, Indicator] = {}
    for t in tables:
        indicators.update(t.indicators)
    warnings = tuple(dict.fromkeys(w for t in tables for w in t.warnings))
    frame = pd.concat([t.frame for t in tables], ignore_index=True)
    return FigureTable(
        file=first.file, sha256=first.sha256, source=first.source,
        boundary_year=first.boundary_year, frame=frame, reader=first.reader,
        indicators=indicators, warnings=warnings,
    )


def typed_to_table(
    wide: pd.DataFrame, info: TypedInput, *, catalogue: Catalogue, skip_unknown: bool = False
) -> FigureTable:
    """Validate a TypedDataSet frame of raw text cells into a :class:`FigureTable`.

    Raises :class:`DataError` naming file, row and column for every problem found.
    """
    file = info.file
    if CODE_COLUMN not in wide.columns:
        raise DataError.single(
            file,
            f"not in the CBS TypedDataSet layout: the header row has no {CODE_COLUMN!r} column "
            f"(columns: {', '.join(map(str, list(wide.columns)[:12]))})",
            1,
        )
    if wide.empty:
        raise DataError.single(file, "the table holds no data rows")
    wide = wide.reset_index(drop=True)
    rows = np.arange(info.first_row, info.first_row + len(wide))
    problems = _check_margins(wide, rows, file)
    groups = _age_groups(wide, rows, file, problems)
    problems += _check_coding(wide, rows, file)
    if problems:
        raise DataError(sorted(problems, key=lambda p: (p.row or 0, p.column or "")))

    wide = wide.assign(**{_NAME_COLUMN: _area_names(wide, info.names)})
    figures, ignore = _figure_columns(wide, info)
    recognised = [ind for c in figures if (ind := catalogue.lookup(c)) is not None]
    year = _boundary_year(wide, info, recognised, catalogue)
    source = info.source or (recognised[0].source if recognised else "onbekende bron")
    has_period = PERIOD_COLUMN in wide.columns
    if not has_period and info.period is None:
        raise DataError.single(file, f"no {PERIOD_COLUMN} column and no period given", 1)

    tables: list[FigureTable] = []
    errors: list[Problem] = []
    single = len(groups) == 1  # the usual case: one age group, no row bookkeeping
    for group, positions in groups:
        variants: dict[str, Indicator] = {}
        if group is not None and group.suffix is not None:
            for col in figures:
                ind = catalogue.lookup(col)
                if ind is not None:
                    variants[col] = ind.variant(group.suffix, group.label)
        spec = WideSpec(
            code_column=CODE_COLUMN,
            name_column=_NAME_COLUMN,
            period=None if has_period else info.period,
            period_column=PERIOD_COLUMN if has_period else None,
            ignore=ignore,
            indicators=variants,
            unknown="skip" if skip_unknown else "error",
        )
        sub = wide if single else wide.iloc[positions]
        try:
            table = wide_to_table(
                sub, spec, catalogue=catalogue, file=file, sha256=info.sha256, source=source,
                reader=info.reader, first_row=info.first_row, header_row=info.first_row - 1,
                rows=None if single else rows[positions].tolist(), boundary_year=year,
            )
        except DataError as exc:
            errors.extend(exc.problems)
            continue
        tables.append(table)
    if errors:
        unique = list(dict.fromkeys(errors))
        raise DataError(sorted(unique, key=lambda p: (p.row or 0, p.column or "")))
    return _merge(tables)
