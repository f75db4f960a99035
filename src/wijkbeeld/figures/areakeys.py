"""Which area each row of a figures file is about: codes that exist, codes built, names matched.

Issue 21, items 2 and 3. Every reader hands its rows to
:func:`~wijkbeeld.figures.wide.wide_to_table`; this module supplies what comes before and after:

* **Codes built from parts**: ``code_prefix`` plus a number column (``BU0758`` + ``103`` →
  ``BU07580103``), or gemeente / wijk / buurt number columns (``758``, ``1``, ``3`` →
  ``BU07580103``): :func:`resolve_codes`.
* **Names matched**: a table without a code column but with a name column (``BUURT``,
  ``buurtnaam``, ``BU_NAAM``, ``naam``, ``wijk``, …: :func:`name_column`) is matched within one
  municipality and boundary year by :func:`wijkbeeld.areas.matching.match_names`. An unmatched or
  ambiguous name is an error naming its nearest candidates; a fuzzy match is applied only through
  a name → code mapping file (:func:`read_name_mapping`), which :func:`resolve_codes` writes as a
  proposal on request (``write_mapping``).
* **An unnamed first column** (pandas' ``Unnamed: 0``, an empty header): a row index is skipped,
  codes or names in it are used as the key (:func:`unnamed_first_column`).
* **Codes whose parts disagree**: a gemeente or wijk code column beside the area code must hold
  the area's own gemeente or wijk (:func:`parts_problems`).
* **Codes that exist**: after reading, :func:`check_known_areas` compares the codes with the
  boundary set of the year (:class:`KnownAreas`, given by the storage): an unknown code is an
  error unless new areas are allowed, and new areas are listed, never created silently.

The candidate areas and the boundary set come from storage through the :class:`AreaSource`
protocol, which ``wijkbeeld.web.figures.store`` implements with the database.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

import pandas as pd

from wijkbeeld.areas.codes import (
    InvalidAreaCode,
    Level,
    build_code,
    code_from_parts,
    is_valid_code,
    parse_code,
)
from wijkbeeld.areas.matching import NameOutcome, match_names, proposed_mapping
from wijkbeeld.areas.search import AreaCandidate
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import FigureTable

__all__ = ["AreaKeys", "AreaSource", "KnownAreas", "check_known_areas", "name_column",
           "parts_problems", "read_name_mapping", "resolve_codes", "unnamed_first_column"]

#: Name columns by the level they name (compared case-insensitively, spaces and _ ignored).
_NAME_COLUMNS: Mapping[str, Level | None] = {
    "buurt": Level.NEIGHBOURHOOD, "buurtnaam": Level.NEIGHBOURHOOD, "bunaam": Level.NEIGHBOURHOOD,
    "naambuurt": Level.NEIGHBOURHOOD, "buurtnamen": Level.NEIGHBOURHOOD,
    "wijk": Level.DISTRICT, "wijknaam": Level.DISTRICT, "wknaam": Level.DISTRICT,
    "naamwijk": Level.DISTRICT, "wijknamen": Level.DISTRICT,
    "naam": None, "gebied": None, "gebiedsnaam": None, "name": None,
}
_UNNAMED = re.compile(r"(?:unnamed: *[0-9]+|index|)", re.IGNORECASE)
_LEVEL_WORD = {Level.NEIGHBOURHOOD: "buurt", Level.DISTRICT: "wijk",
               Level.MUNICIPALITY: "gemeente", Level.COUNTRY: "land"}
_SHOWN = 10


class AreaSource(Protocol):
    """What the storage tells an import about the areas it knows."""

    def candidates(self, municipality: str, year: int) -> Sequence[AreaCandidate]:
        """The areas of ``municipality`` in boundary year ``year``, with their names."""

    def known(self, codes: Sequence[str], year: int) -> KnownAreas:
        """The boundary set of ``year`` as far as ``codes`` are concerned."""


@dataclass(frozen=True)
class KnownAreas:
    """The boundary set of one year, for the codes of one file.

    ``codes``: the file's codes that are stored for the year. ``bounded``: the (municipality,
    level) pairs for which boundaries of the year were imported; only there can a code be known
    to be missing. Where no boundaries are known the codes are checked for form only, and the
    areas the file creates are reported as new."""

    year: int
    codes: frozenset[str]
    bounded: frozenset[tuple[str, str]] = frozenset()


@dataclass(frozen=True)
class AreaKeys:
    """How to find the area of each row, beside an ordinary code column (all optional).

    ``by_name``: the file has no code column, match the names of ``name_column``.
    ``code_prefix`` with ``code_column`` (or the recognised code column): codes built from a
    prefix and a number. ``code_parts``: the gemeente, wijk and buurt number columns (wijk and
    buurt may be None). ``name_column``: match names (recognised when None and the file has no
    code column). ``municipality``: where names are matched (else the gemeente of
    ``code_prefix``). ``name_mapping``: name → code (a reviewed mapping file, ``mapping_file``
    its name for messages). ``write_mapping``: where to write a proposed mapping when names do not
    match. ``areas``: the storage's areas (needed to match names)."""

    code_prefix: str | None = None
    by_name: bool = False
    code_column: str | None = None
    code_parts: tuple[str, str | None, str | None] | None = None
    name_column: str | None = None
    municipality: str | None = None
    name_mapping: Mapping[str, str] = field(default_factory=dict)
    mapping_file: str = ""
    write_mapping: Path | None = None
    areas: AreaSource | None = None

    @property
    def builds_codes(self) -> bool:
        return self.code_prefix is not None or self.code_parts is not None


def _squash(column: str) -> str:
    return re.sub(r"[\s_\-]+", "", column).casefold()


def name_column(columns: Sequence[str]) -> tuple[str, Level | None] | None:
    """The name column among ``columns`` and the level it names (None: not said)."""
    found = [(c, _NAME_COLUMNS[_squash(c)]) for c in columns if _squash(c) in _NAME_COLUMNS]
    # A buurt name beats a wijk name (a buurt table often names its wijk too), both beat "naam".
    for level in (Level.NEIGHBOURHOOD, Level.DISTRICT, None):
        for column, lvl in found:
            if lvl is level:
                return column, lvl
    return None


def _is_index(values: pd.Series) -> bool:
    """Whole numbers that only go up (a row number, possibly with gaps after filtering)."""
    text = values.fillna("").astype(str).str.strip()
    if text.empty or not text.str.fullmatch(r"[0-9]+").all():
        return False
    numbers = text.astype("int64")
    return bool(numbers.is_monotonic_increasing and numbers.is_unique)


def unnamed_first_column(wide: pd.DataFrame) -> tuple[pd.DataFrame, str | None, str | None]:
    """Handle a first column without a real name (``""``, ``Unnamed: 0``, ``index``).

    Returns the frame (the column renamed to ``Unnamed: 0`` when it had no name at all, so that
    messages can name it), the column to ignore when it is a row index, and the column to use as
    the key when it holds codes or names. Other frames come back unchanged with (None, None)."""
    if wide.columns.empty or not _UNNAMED.fullmatch(str(wide.columns[0]).strip()):
        return wide, None, None
    first = str(wide.columns[0])
    if not first.strip():
        first = "Unnamed: 0"
        wide = wide.rename(columns={wide.columns[0]: first})
        if list(wide.columns).count(first) > 1:
            return wide, None, None  # the header check names the clash
    values = wide[first]
    if _is_index(values):
        return wide, first, None
    filled = [str(v).strip() for v in values.fillna("") if str(v).strip()]
    if filled and all(is_valid_code(v) for v in filled):
        return wide, None, first
    if filled and not any(re.fullmatch(r"-?[0-9.,]+", v) for v in filled):
        return wide, None, first
    return wide, None, None


def read_name_mapping(path: Path | str) -> dict[str, str]:
    """A reviewed mapping file (CSV with columns ``naam`` and ``code``, ``;`` or ``,``): name →
    CBS code. DataError naming the file, row and column for a missing column, an invalid code
    or a name given twice with different codes (an ambiguous proposal nobody chose from)."""
    from wijkbeeld.figures.readers.tabular import read_table

    table = read_table(Path(path))
    file = str(path)
    columns = {_squash(c): c for c in table.frame.columns}
    missing = [c for c in ("naam", "code") if c not in columns]
    if missing:
        raise DataError.single(file, f"het koppelbestand mist de kolom(men) {missing}; nodig: "
                                     f"naam en code", table.header_row)
    names = table.frame[columns["naam"]].fillna("").str.strip().tolist()
    codes = table.frame[columns["code"]].fillna("").str.strip().tolist()
    result: dict[str, str] = {}
    rows: dict[str, int] = {}
    problems: list[Problem] = []
    for name, code, row in zip(names, codes, table.rows, strict=True):
        if not name:
            continue
        if not code:
            problems.append(Problem(file, row, columns["code"],
                                    f"geen code voor {name!r}: vul de juiste CBS-code in"))
            continue
        try:
            code = parse_code(code).code
        except InvalidAreaCode as exc:
            problems.append(Problem(file, row, columns["code"], str(exc)))
            continue
        if name in result and result[name] != code:
            problems.append(Problem(file, row, columns["naam"],
                                    f"{name!r} staat al in rij {rows[name]} met code "
                                    f"{result[name]}; laat één code over"))
            continue
        result[name], rows[name] = code, row
    if problems:
        raise DataError(problems)
    return result


def _municipality(keys: AreaKeys, file: str) -> str:
    if keys.municipality:
        return keys.municipality.strip().upper()
    if keys.code_prefix and len(keys.code_prefix.strip()) >= 6:
        return "GM" + keys.code_prefix.strip().upper()[2:6]
    raise DataError.single(file, "namen koppelen kan alleen binnen één gemeente: geef de "
                                 "gemeente op (--municipality GM0758, of municipality in het "
                                 "koppelbestand)")


def resolve_codes(
    wide: pd.DataFrame, lines: Sequence[int], keys: AreaKeys, *, file: str,
    code_column: str | None, year: int, header_row: int,
) -> tuple[list[str], str, dict[str, NameOutcome]]:
    """The raw code of every row (checked later like any code), the column to name in messages,
    and the name outcomes (empty unless names were matched).

    Codes come from ``code_prefix`` + a number column, from ``code_parts``, or from matching
    the name column; DataError (naming file, row and column) for a number that makes no code and
    for every name without exactly one match, with its nearest candidates."""
    problems: list[Problem] = []
    codes: list[str] = []

    def cells(column: str | None) -> list[str]:
        if column is None:
            return [""] * len(wide)
        if column not in wide.columns:
            raise DataError.single(file, f"kolom {column!r} staat niet in het bestand; de kolommen "
                                         f"zijn {list(wide.columns)}", header_row, column)
        return [str(v).strip() for v in wide[column].fillna("")]

    if keys.code_parts is not None:
        gm_col, wk_col, bu_col = keys.code_parts
        for gm, wk, bu, row in zip(cells(gm_col), cells(wk_col), cells(bu_col), lines,
                                   strict=True):
            try:
                codes.append(code_from_parts(gm, wk, bu))
            except InvalidAreaCode as exc:
                problems.append(Problem(file, row, bu_col if bu else wk_col if wk else gm_col,
                                        str(exc)))
                codes.append("")
        label = bu_col or wk_col or gm_col
    elif keys.code_prefix is not None:
        label_or_none = keys.code_column or code_column
        if label_or_none is None:
            raise DataError.single(file, f"met codevoorvoegsel {keys.code_prefix} is een kolom "
                                         "met nummers nodig (--code-column)", header_row)
        label = label_or_none
        for number, row in zip(cells(label), lines, strict=True):
            try:
                codes.append(build_code(keys.code_prefix, number) if number else "")
            except InvalidAreaCode as exc:
                problems.append(Problem(file, row, label, str(exc)))
                codes.append("")
    else:
        picked = keys.name_column
        level: Level | None = None
        if picked is None:
            found = name_column([str(c) for c in wide.columns])
            if found is None:
                raise DataError.single(
                    file, "geen kolom met gebiedscodes (GM/WK/BU) en geen kolom met namen "
                          "(BUURT, buurtnaam, wijknaam, naam, ...) gevonden", header_row)
            picked, level = found
        else:
            level = _NAME_COLUMNS.get(_squash(picked))
        label = picked
        names = cells(picked)
        municipality = _municipality(keys, file)
        if keys.areas is None:
            raise DataError.single(file, "namen koppelen heeft de opgeslagen gebieden nodig",
                                   header_row, picked)
        candidates = [a for a in keys.areas.candidates(municipality, year)
                      if level is None or a.level == str(level)]
        if not candidates and not keys.name_mapping:
            what = _LEVEL_WORD[level] + "en" if level else "gebieden"
            raise DataError.single(
                file, f"geen {what} van {municipality} in indeling {year} opgeslagen om de namen "
                      "mee te koppelen; importeer eerst de grenzen (wijkbeeld import areas) of "
                      "geef een koppelbestand naam → code", header_row, picked)
        outcomes = match_names([n for n in names if n], candidates, keys.name_mapping)
        where = f"{municipality}, indeling {year}"
        first_row: dict[str, int] = {}
        for name, row in zip(names, lines, strict=True):
            if not name:
                problems.append(Problem(file, row, picked, "geen naam"))
                codes.append("")
                continue
            outcome = outcomes[name]
            codes.append(outcome.code or "")
            if outcome.code is not None or name in first_row:
                continue
            first_row[name] = row
            if outcome.ambiguous:
                message = (f"de naam {name!r} past op meer gebieden in {where}: "
                           f"{outcome.candidates_text()}; kies er een in een koppelbestand")
            elif outcome.nearest:
                message = (f"geen gebied met de naam {name!r} in {where}; bedoelt u "
                           f"{outcome.candidates_text()}? Een gelijkende naam wordt alleen via "
                           "een koppelbestand (naam → code) gebruikt")
            else:
                message = f"geen gebied met de naam {name!r} in {where}"
            problems.append(Problem(file, row, picked, message))
        if problems and keys.write_mapping is not None:
            keys.write_mapping.write_text(proposed_mapping(outcomes.values()), encoding="utf-8")
            problems.append(Problem(file, None, None, f"een voorstel voor het koppelbestand staat "
                                    f"in {keys.write_mapping}: controleer het en importeer opnieuw "
                                    f"met --name-mapping {keys.write_mapping}"))
        elif problems:
            problems.append(Problem(file, None, None, "--write-mapping BESTAND schrijft een "
                                    "voorstel voor een koppelbestand (naam → code) om na te "
                                    "kijken"))
        if problems:
            raise DataError(problems)
        return codes, label, outcomes
    if problems:
        raise DataError(problems)
    return codes, label, {}


def parts_problems(
    wide: pd.DataFrame, codes: Sequence[str], lines: Sequence[int], skip: set[str], file: str,
) -> list[Problem]:
    """A gemeente or wijk code column beside the area codes must agree with them: a buurt
    ``BU03630001`` in a row whose gemeente column says ``GM0362`` is an error (the parts of the
    code disagree). Columns whose filled cells are all CBS codes are compared; others ignored."""
    problems: list[Problem] = []
    for column in wide.columns:
        if column in skip:
            continue
        values = [str(v).strip().upper() for v in wide[column].fillna("")]
        filled = [v for v in values if v]
        if not filled or not all(is_valid_code(v) for v in filled[:50]):
            continue
        if not all(is_valid_code(v) for v in filled):
            continue
        for code, other, row in zip(codes, values, lines, strict=True):
            if not code or not other or code == other:
                continue
            own, theirs = parse_code(code), parse_code(other)
            if theirs.level is Level.MUNICIPALITY:
                expected = own.municipality
            elif theirs.level is Level.DISTRICT and own.level is Level.NEIGHBOURHOOD:
                expected = own.parent
            else:
                continue
            if expected != theirs.code:
                problems.append(Problem(
                    file, row, str(column),
                    f"de delen van de code spreken elkaar tegen: {code} ligt volgens zijn code in "
                    f"{expected}, maar deze kolom zegt {theirs.code}"))
    return problems


def check_known_areas(
    table: FigureTable, known: KnownAreas, *, allow_new: bool
) -> list[str]:
    """The codes of ``table`` that are not stored for its boundary year (the areas the import
    will create), in file order. DataError, naming file, row and code column, for every code that
    the boundary set of the year should hold but does not, unless ``allow_new``."""
    frame = table.frame
    first = frame.drop_duplicates("area_code")
    new: list[str] = []
    problems: list[Problem] = []
    column = table.code_column or None
    for code, row in zip(first["area_code"].tolist(), first["row"].tolist(), strict=True):
        if code in known.codes:
            continue
        new.append(code)
        parsed = parse_code(code)
        if allow_new or (parsed.municipality or "", str(parsed.level)) not in known.bounded:
            continue
        word = _LEVEL_WORD[parsed.level]
        problems.append(Problem(
            table.file, int(row), column,
            f"{code} staat niet in de gebiedsindeling {known.year} ({word}en van "
            f"{parsed.municipality}); controleer de code en het jaar, of sta nieuwe gebieden "
            "toe (--allow-new-areas)"))
    if problems:
        if len(problems) > _SHOWN:
            total = Problem(table.file, None, column,
                            f"samen {len(problems)} codes die niet in de indeling {known.year} "
                            "staan")
            problems = [*problems[:_SHOWN], total]
        raise DataError(problems)
    return new
