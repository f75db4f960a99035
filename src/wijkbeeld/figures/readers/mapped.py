"""A municipality's own CSV or XLSX file, read with a small TOML mapping file.

Any table with one row per area (and period) and one column per figure can be imported when a
mapping says which column holds the area code, where the period comes from, and what the other
columns mean. The mapping format (all keys are optional except ``source``, one of
``code_column`` / ``code_parts`` / ``name_column``, and one of ``period`` / ``period_column``)::

    code_column = "wk_code"            # column with the area code (CBS code, or see [codes])
    name_column = "wk_naam"            # column with the area name (without code_column: the
                                       # names are matched to codes, see below)
    code_prefix = "BU0758"             # optional: codes are this prefix + the number in
                                       # code_column ("103" -> BU07580103)
    municipality = "GM0758"            # optional: where names are matched
    [code_parts]                       # optional, instead of code_column: number columns
    gemeente = "gem_nr"                # 758 + 1 + 3 -> BU07580103 (wijk, buurt optional)
    wijk = "wijk_nr"
    buurt = "buurt_nr"
    period_column = "jaar"             # column with the period (2022, 2022JJ00, 2022KW01) ...
    # period = "2022"                  # ... or one period for the whole file
    source = "Leefbaarometer 3.0 (BZK)"  # attribution shown beside every figure
    boundary_year = 2022               # CBS indeling of the codes; default: the latest period year
    sheet = "Blad1"                    # XLSX only: the sheet to read; default: the first sheet
    header_row = 1                     # line (CSV) or row (XLSX) of the header; default 1
    separator = ";"                    # CSV only; default: recognised from the file
    ignore = ["1", "stadsdeel"]        # columns that hold no figures
    unknown = "error"                  # other columns not in the catalogue: "error" or "skip"

    [codes]                            # optional: the municipality's own codes -> CBS codes
    "A00a" = "BU03630000"

    [columns]
    "inw" = "inwoners"                 # a column holding an indicator already in the catalogue
    [columns.won]                      # a column holding a new indicator: its full definition
    key = "lbm_wonen"                  # an import for a municipality stores it as GM0518:lbm_wonen
    name_nl = "Leefbaarometer: woningvoorraad"
    name_en = "Liveability: housing stock"
    unit = "number"                    # count, percent, fraction, eur, eur_1000, km, number, ...
    polarity = "higher_is_better"      # higher_is_worse, higher_is_better or neutral
    theme = "wonen"                    # optional; a theme key of the catalogue
    base = "inwoners"                  # optional; the indicator that is its denominator
    context_only = false               # true for figures that may never enter a score
    description = "..."                # optional

Without ``code_column`` and ``code_parts`` the rows are found by ``name_column``: names are
matched within ``municipality`` and the boundary year after normalisation; a name without exactly
one match is an error listing the nearest candidates (``--name-mapping`` / ``--write-mapping``,
see :mod:`wijkbeeld.figures.areakeys`).

The batch identity (sha256) covers the data file *and* the mapping: importing the same file
twice with the same mapping changes nothing, but a corrected mapping imports again.

Columns that are neither mapped nor ignored are looked up in the catalogue like a StatLine
export; an unknown one is an error (or skipped with ``unknown = "skip"`` / ``--skip-unknown``).
Every mistake in the mapping is a :class:`DataError` naming the mapping file and the key; every
problem in the data is one naming the data file, row and column, exactly as for StatLine files.
"""

from __future__ import annotations

import hashlib
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from wijkbeeld.figures.areakeys import AreaKeys, unnamed_first_column
from wijkbeeld.figures.catalogue import Catalogue, Indicator, Polarity, Unit
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.readers.tabular import read_table
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.wide import WideSpec, file_sha256, wide_to_table

__all__ = ["MappingFile", "load_mapping", "read_mapped"]

_KEYS = frozenset(
    {"code_column", "name_column", "period", "period_column", "source", "boundary_year", "sheet",
     "header_row", "separator", "ignore", "unknown", "codes", "columns", "code_prefix",
     "code_parts", "municipality"}
)
_INDICATOR_KEYS = frozenset(
    {"key", "name_nl", "name_en", "unit", "polarity", "theme", "base", "context_only",
     "description"}
)
#: A key, optionally in a municipality's namespace (``GM0518:eigen_score``, issue 18): an import
#: for a municipality stores its own indicators there (wijkbeeld.web.figures.scope).
_KEY_PATTERN = re.compile(r"(?:GM[0-9]{4}:)?[a-z][a-z0-9_]{0,79}")
_TOML_LINE = re.compile(r"at line ([0-9]+)")


@dataclass(frozen=True)
class MappingFile:
    """A parsed mapping: how to read one municipal file (see the module docstring)."""

    path: Path
    code_column: str | None
    source: str
    name_column: str | None = None
    code_prefix: str | None = None
    code_parts: tuple[str, str | None, str | None] | None = None
    municipality: str | None = None
    period: str | None = None
    period_column: str | None = None
    boundary_year: int | None = None
    sheet: str | None = None
    header_row: int = 1
    separator: str | None = None
    ignore: frozenset[str] = frozenset()
    unknown: str = "error"
    codes: Mapping[str, str] = field(default_factory=dict)
    columns: Mapping[str, Indicator] = field(default_factory=dict)


def _fail(path: Path, message: str, key: str | None = None, line: int | None = None) -> DataError:
    return DataError([Problem(str(path), line, key, message)])


def _text(doc: Mapping[str, Any], key: str, path: Path, required: bool = False) -> str | None:
    value = doc.get(key)
    if value is None:
        if required:
            raise _fail(path, "required key missing", key)
        return None
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _fail(path, f"expected text, got {value!r}", key)
    return str(value).strip()


def _new_indicator(
    raw: Mapping[str, Any], column: str, path: Path, catalogue: Catalogue, source: str
) -> Indicator:
    where = f"columns.{column}"
    extra = sorted(set(raw) - _INDICATOR_KEYS)
    if extra:
        raise _fail(path, f"unknown key(s) {extra}; allowed: {sorted(_INDICATOR_KEYS)}", where)
    for needed in ("key", "name_nl", "unit"):
        if not str(raw.get(needed, "")).strip():
            raise _fail(path, f"a new indicator needs {needed!r}", where)
    key = str(raw["key"]).strip()
    if not _KEY_PATTERN.fullmatch(key):
        raise _fail(path, f"key {key!r} must be lower case letters, digits and _, "
                    "optionally after a municipality's namespace such as GM0518:", where)
    try:
        unit = Unit(str(raw["unit"]))
    except ValueError:
        raise _fail(
            path, f"unknown unit {raw['unit']!r}; use one of {[u.value for u in Unit]}", where
        ) from None
    try:
        polarity = Polarity(str(raw.get("polarity", "neutral")))
    except ValueError:
        raise _fail(
            path, f"unknown polarity {raw.get('polarity')!r}; use one of "
            f"{[p.value for p in Polarity]}", where,
        ) from None
    theme = raw.get("theme") or None
    if theme is not None and theme not in catalogue.themes:
        raise _fail(path, f"unknown theme {theme!r}; known: {sorted(catalogue.themes)}", where)
    base = raw.get("base") or None
    context_only = raw.get("context_only", False)
    if not isinstance(context_only, bool):
        raise _fail(path, "context_only must be true or false", where)
    indicator = Indicator(
        key=key, name_nl=str(raw["name_nl"]), name_en=str(raw.get("name_en", raw["name_nl"])),
        unit=unit, polarity=polarity, source=source,
        theme=None if theme is None else str(theme), base=None if base is None else str(base),
        context_only=context_only, description=str(raw.get("description", "")),
    )
    known = catalogue.indicators.get(key)
    if known is not None and _definition(known) != _definition(indicator):
        raise _fail(
            path,
            f"indicator {key!r} is landelijk (de meegeleverde catalogus) en kan hier niet anders "
            f'gedefinieerd worden; koppel de kolom eraan met "{column}" = "{key}" of kies een '
            "eigen sleutel",
            where,
        )
    return indicator


def _definition(ind: Indicator) -> tuple[Any, ...]:
    return (ind.name_nl, ind.unit, ind.polarity, ind.theme, ind.base, ind.context_only)


def _code_parts(raw: object, path: Path) -> tuple[str, str | None, str | None] | None:
    """``[code_parts]``: gemeente (required), wijk and buurt number columns."""
    if raw is None:
        return None
    if not isinstance(raw, dict) or not all(isinstance(v, str) for v in raw.values()):
        raise _fail(path, 'must be a table such as gemeente = "gem_nr"', "code_parts")
    extra = sorted(set(raw) - {"gemeente", "wijk", "buurt"})
    if extra:
        raise _fail(path, f"unknown key(s) {extra}; allowed: gemeente, wijk, buurt", "code_parts")
    if "gemeente" not in raw or ("buurt" in raw and "wijk" not in raw):
        raise _fail(path, "needs gemeente (and wijk for buurt)", "code_parts")
    return raw["gemeente"], raw.get("wijk"), raw.get("buurt")


def load_mapping(path: Path, catalogue: Catalogue) -> MappingFile:
    """Parse and check a mapping file; DataError naming the mapping file and key when wrong."""
    path = Path(path)
    if not path.exists():
        raise _fail(path, "mapping file not found")
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise _fail(path, f"the mapping is not UTF-8 text ({exc.reason})") from exc
    except tomllib.TOMLDecodeError as exc:
        m = _TOML_LINE.search(str(exc))
        raise _fail(path, f"not valid TOML: {exc}", line=int(m.group(1)) if m else None) from exc
    extra = sorted(set(doc) - _KEYS)
    if extra:
        raise _fail(path, f"unknown key(s) {extra}; allowed: {sorted(_KEYS)}")
    code_column = _text(doc, "code_column", path)
    source = _text(doc, "source", path, required=True)
    assert source is not None
    code_parts = _code_parts(doc.get("code_parts"), path)
    name_column = _text(doc, "name_column", path)
    if code_column is None and code_parts is None and name_column is None:
        raise _fail(path, "required key missing: give code_column, code_parts or name_column "
                          "(names are then matched to codes)", "code_column")
    code_prefix = _text(doc, "code_prefix", path)
    if code_prefix is not None and code_column is None:
        raise _fail(path, "code_prefix needs code_column (the column with the numbers)",
                    "code_prefix")
    municipality = _text(doc, "municipality", path)
    if municipality is not None and not re.fullmatch(r"GM[0-9]{4}", municipality.upper()):
        raise _fail(path, f"{municipality!r} is not a municipality code (GM0758)",
                    "municipality")
    period, period_column = _text(doc, "period", path), _text(doc, "period_column", path)
    if (period is None) == (period_column is None):
        raise _fail(path, "give exactly one of 'period' and 'period_column'", "period")
    unknown = _text(doc, "unknown", path) or "error"
    if unknown not in {"error", "skip"}:
        raise _fail(path, "must be 'error' or 'skip'", "unknown")
    header_row = doc.get("header_row", 1)
    if not isinstance(header_row, int) or isinstance(header_row, bool) or header_row < 1:
        raise _fail(path, "must be a row number (1 or more)", "header_row")
    boundary_year = doc.get("boundary_year")
    if boundary_year is not None and (
        not isinstance(boundary_year, int) or not 1900 <= boundary_year <= 2100
    ):
        raise _fail(path, "must be a year such as 2022", "boundary_year")
    ignore = doc.get("ignore", [])
    if not isinstance(ignore, list) or not all(isinstance(c, str) for c in ignore):
        raise _fail(path, "must be a list of column names", "ignore")
    codes = doc.get("codes", {})
    if not isinstance(codes, dict) or not all(isinstance(v, str) for v in codes.values()):
        raise _fail(path, 'must be a table of "own code" = "CBS code"', "codes")
    raw_columns = doc.get("columns", {})
    if not isinstance(raw_columns, dict):
        raise _fail(path, "must be a table of column = indicator", "columns")
    columns: dict[str, Indicator] = {}
    for column, spec in raw_columns.items():
        if isinstance(spec, str):
            known = catalogue.indicators.get(spec.strip())
            if known is None:
                raise _fail(
                    path, f"{spec!r} is not an indicator key in the catalogue; give a full "
                    "definition in a [columns.\"...\"] table instead", f"columns.{column}",
                )
            columns[str(column)] = known
        elif isinstance(spec, dict):
            columns[str(column)] = _new_indicator(spec, str(column), path, catalogue, source)
        else:
            raise _fail(path, "expected an indicator key or a table", f"columns.{column}")
    seen: dict[str, str] = {}
    for column, ind in columns.items():
        if ind.key in seen:
            raise _fail(
                path, f"maps to {ind.key!r} like column {seen[ind.key]!r}", f"columns.{column}"
            )
        seen[ind.key] = column
    return MappingFile(
        path=path, code_column=code_column, source=source, name_column=name_column,
        code_prefix=code_prefix, code_parts=code_parts,
        municipality=municipality.upper() if municipality else None, period=period,
        period_column=period_column,
        boundary_year=boundary_year, sheet=_text(doc, "sheet", path), header_row=header_row,
        separator=_text(doc, "separator", path), ignore=frozenset(ignore), unknown=unknown,
        codes={str(k).strip(): v.strip() for k, v in codes.items()}, columns=columns,
    )


def _keys(mapping: MappingFile, given: AreaKeys | None) -> AreaKeys:
    """The mapping's way of finding areas, with the command line's options on top."""
    keys = given or AreaKeys()
    return replace(
        keys,
        code_prefix=keys.code_prefix or mapping.code_prefix,
        code_column=keys.code_column or mapping.code_column,
        code_parts=keys.code_parts or mapping.code_parts,
        municipality=keys.municipality or mapping.municipality,
        name_column=keys.name_column or mapping.name_column,
        by_name=not (keys.code_column or mapping.code_column or keys.code_parts
                     or mapping.code_parts),
    )


def read_mapped(
    path: Path, mapping_path: Path, *, catalogue: Catalogue, skip_unknown: bool = False,
    keys: AreaKeys | None = None,
) -> FigureTable:
    """Read a municipal CSV/XLSX with its mapping file into a validated table."""
    path = Path(path)
    mapping = load_mapping(Path(mapping_path), catalogue)
    table = read_table(path, sheet=mapping.sheet, header_row=mapping.header_row,
                       separator=mapping.separator)
    wide, rows, header_row = table.frame, list(table.rows), table.header_row
    wide, index_column, _ = unnamed_first_column(wide)
    area_keys = _keys(mapping, keys)
    missing = [
        c for c in (area_keys.code_column, area_keys.name_column, mapping.period_column,
                    *(area_keys.code_parts or ()), *mapping.columns)
        if c is not None and c not in wide.columns
    ]
    if missing:
        raise DataError(
            [Problem(str(path), header_row, c, f"column named in {mapping.path.name} is not in "
                     f"the file; the columns are {list(wide.columns)}") for c in missing]
        )
    if mapping.codes and mapping.code_column is not None:
        own = wide[mapping.code_column].fillna("").str.strip()
        wide = wide.assign(**{mapping.code_column: own.map(lambda c: mapping.codes.get(c, c))})
    parts = area_keys.code_parts
    code_column = area_keys.code_column or (
        (parts[2] or parts[1] or parts[0]) if parts is not None else area_keys.name_column)
    assert code_column is not None  # load_mapping requires one of the three
    spec = WideSpec(
        code_column=code_column,
        name_column=area_keys.name_column,
        period=mapping.period,
        period_column=mapping.period_column,
        ignore=mapping.ignore | ({index_column} if index_column else set()),
        indicators=mapping.columns,
        unknown="skip" if skip_unknown or mapping.unknown == "skip" else "error",
    )
    identity = hashlib.sha256(
        (file_sha256(path) + file_sha256(mapping.path)).encode("ascii")
    ).hexdigest()
    return wide_to_table(
        wide, spec, catalogue=catalogue, file=str(path), sha256=identity,
        source=mapping.source, reader="mapped", rows=rows, header_row=header_row,
        boundary_year=mapping.boundary_year, keys=area_keys,
    )
