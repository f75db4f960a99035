"""The input contract of the urgency measures: one row per respondent × theme, validated.

A round's answers arrive as plain data: from the database (the web layer builds a frame), from a
CSV export of another survey tool (:func:`read_responses_csv`), or from a test. Every path ends in
:func:`validate_responses`, which checks every cell, collects *all* problems (each naming the row
and column, as :class:`~wijkbeeld.figures.errors.Problem`) and returns an immutable
:class:`Responses` with canonical values, or raises :class:`~wijkbeeld.figures.errors.DataError`.

Columns (Dutch headers of survey exports are accepted too, see :data:`COLUMN_ALIASES`):

========================= ========================================================= ==========
column                    values                                                    required
========================= ========================================================= ==========
``round``                 the round key (peiling)                                   yes
``area_code``             CBS code of the area the answer is about                  yes
``theme``                 theme key, e.g. ``veiligheid``                            yes
``group``                 ``residents`` / ``professionals`` / ``policy``            yes
``rating``                1..5, or empty / "weet niet" (don't know → None)          yes
``recognition``           ``ja`` / ``deels`` / ``nee``, or empty (not answered)     no
``organisation_type``     e.g. ``corporatie``, ``welzijn`` (professionals)          no
``respondent``            pseudonymous id (a token hash); one answer per theme      no
========================= ========================================================= ==========

Row numbers in errors count like a CSV file with one header line (the first data row is row 2),
unless ``row_offset`` says otherwise.
"""

from __future__ import annotations

import math
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pandas as pd

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.filecheck import check_import_file
from wijkbeeld.urgency.options import GROUPS, UrgencyOptions

__all__ = [
    "COLUMN_ALIASES",
    "OPTIONAL_COLUMNS",
    "REQUIRED_COLUMNS",
    "RESPONSE_COLUMNS",
    "Responses",
    "RoundInfo",
    "read_responses_csv",
    "validate_responses",
]

REQUIRED_COLUMNS: tuple[str, ...] = ("round", "area_code", "theme", "group", "rating")
OPTIONAL_COLUMNS: tuple[str, ...] = ("recognition", "organisation_type", "respondent")
#: Columns of :attr:`Responses.frame`, in order.
RESPONSE_COLUMNS: tuple[str, ...] = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)

#: Header spellings accepted for each column (case and surrounding spaces ignored).
COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    "round": ("round", "ronde", "peiling"),
    "area_code": ("area_code", "area", "gebied", "gebiedscode", "code"),
    "theme": ("theme", "thema"),
    "group": ("group", "groep", "stakeholder_group"),
    "rating": ("rating", "urgentie", "score", "cijfer"),
    "recognition": ("recognition", "herkenning", "herkent u dit beeld?"),
    "organisation_type": ("organisation_type", "organisatie", "organisatietype"),
    "respondent": ("respondent", "respondent_id", "token"),
}

_GROUP_ALIASES: dict[str, str] = {
    "residents": "residents", "resident": "residents", "bewoners": "residents",
    "bewoner": "residents", "professionals": "professionals", "professional": "professionals",
    "policy": "policy", "beleid": "policy",
}
_RECOGNITION_ALIASES: dict[str, str] = {
    "ja": "ja", "yes": "ja", "deels": "deels", "gedeeltelijk": "deels", "partly": "deels",
    "nee": "nee", "no": "nee",
}
_DONT_KNOW = frozenset({"", "weet niet", "weet_niet", "weetniet", "wn", "don't know"})
_THEME_KEY = re.compile(r"[a-z][a-z0-9_]*")


@dataclass(frozen=True)
class RoundInfo:
    """A round (peiling): its key, the day it was held (orders rounds, aligns figure years).

    ``blind``: True when every answer was rated before any figure was shown, False when not
    (answers stored before the three-step form, or loaded from another survey tool: the round is
    labelled "niet blind"), None when unknown."""

    key: str
    held_on: date
    label: str = ""
    blind: bool | None = None

    @property
    def year(self) -> int:
        """The calendar year of the round (matched to figure years)."""
        return self.held_on.year

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: key, ISO date, year and label."""
        return {"key": self.key, "held_on": self.held_on.isoformat(), "year": self.year,
                "label": self.label, "blind": self.blind}


@dataclass(frozen=True)
class Responses:
    """Validated answers: :data:`RESPONSE_COLUMNS`, canonical values, ``source`` for messages.

    ``rating`` is float (NaN = "weet niet"); ``recognition`` is ``ja``/``deels``/``nee`` or None;
    ``organisation_type`` and ``respondent`` are "" when not given.
    """

    frame: pd.DataFrame
    source: str = "responses"

    def __post_init__(self) -> None:
        if tuple(self.frame.columns) != RESPONSE_COLUMNS:
            raise ValueError("use validate_responses() to build Responses")

    def __len__(self) -> int:
        return len(self.frame)

    def for_area(self, area_code: str) -> Responses:
        """Only the answers about one area."""
        code = area_code.strip().upper()
        part = self.frame[self.frame["area_code"] == code].reset_index(drop=True)
        return Responses(part, self.source)

    @property
    def rounds(self) -> tuple[str, ...]:
        """The round keys present, sorted."""
        return tuple(sorted(self.frame["round"].unique().tolist()))


def _missing(value: Any) -> bool:
    if value is None or value is pd.NA:
        return True
    return isinstance(value, float) and math.isnan(value)


def _text(value: Any) -> str:
    return "" if _missing(value) else str(value).strip()


def _rating(value: Any, scale_points: int) -> tuple[float | None, str | None]:
    """(rating or None for don't know, error message or None)."""
    if _missing(value):
        return None, None
    if isinstance(value, bool):
        return None, f"rating must be a whole number 1..{scale_points}, not {value!r}"
    if isinstance(value, str):
        text = value.strip().casefold()
        if text in _DONT_KNOW:
            return None, None
        try:
            number = float(text.replace(",", "."))
        except ValueError:
            return None, (f"rating {value.strip()!r} is not a whole number 1..{scale_points} "
                          "or 'weet niet'")
    else:
        try:
            number = float(value)
        except (TypeError, ValueError):
            return None, f"rating {value!r} is not a number"
    if not number.is_integer() or not 1 <= number <= scale_points:
        return None, f"rating {value!r} is not a whole number 1..{scale_points} or 'weet niet'"
    return number, None


def _code(text: str, seen: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """(normalised code, error message or ""), remembered per distinct text."""
    if text not in seen:
        try:
            seen[text] = (parse_code(text).code, "")
        except InvalidAreaCode as exc:
            seen[text] = (text, str(exc) if text else "area code is empty")
    return seen[text]


def _header_map(columns: list[Any]) -> dict[str, Any]:
    """Canonical column name → the frame's column, via :data:`COLUMN_ALIASES`."""
    seen = {str(c).strip().casefold(): c for c in columns}
    out: dict[str, Any] = {}
    for name, aliases in COLUMN_ALIASES.items():
        for alias in aliases:
            if alias in seen:
                out[name] = seen[alias]
                break
    return out


def validate_responses(
    frame: pd.DataFrame,
    *,
    source: str = "responses",
    themes: Collection[str] | None = None,
    options: UrgencyOptions | None = None,
    row_offset: int = 2,
) -> Responses:
    """Check every answer and return canonical :class:`Responses`; raise DataError otherwise.

    ``themes``: the allowed theme keys (default: any lower-case key such as ``veiligheid``).
    Unknown extra columns (comments, timestamps) are ignored. Nothing is guessed: a rating of
    3.5, 0 or 6, an unknown group or recognition answer, a malformed area code, a respondent
    answering a theme twice in a round or in two groups of one round is an error.
    """
    scale = (options or UrgencyOptions()).scale_points
    header = _header_map(list(frame.columns))
    problems = [Problem(source, None, name, "required column missing")
                for name in REQUIRED_COLUMNS if name not in header]
    if problems:
        raise DataError(problems)
    allowed = None if themes is None else frozenset(themes)
    records: list[tuple[Any, ...]] = []
    codes: dict[str, tuple[str, str]] = {}
    cols = {name: frame[header[name]].tolist() if name in header else [None] * len(frame)
            for name in RESPONSE_COLUMNS}
    for i in range(len(frame)):
        row = i + row_offset

        def bad(column: str, message: str, row: int = row) -> None:
            problems.append(Problem(source, row, str(header.get(column, column)), message))

        round_key = _text(cols["round"][i])
        if not round_key:
            bad("round", "round is empty")
        code, error = _code(_text(cols["area_code"][i]), codes)
        if error:
            bad("area_code", error)
        theme = _text(cols["theme"][i]).casefold()
        if allowed is not None and theme not in allowed:
            bad("theme", f"unknown theme {theme!r} (allowed: {', '.join(sorted(allowed))})")
        elif allowed is None and not _THEME_KEY.fullmatch(theme):
            bad("theme", f"theme {theme!r} is not a theme key such as 'veiligheid'")
        group_text = _text(cols["group"][i]).casefold()
        group = _GROUP_ALIASES.get(group_text)
        if group is None:
            bad("group", f"unknown group {group_text!r} (expected one of {', '.join(GROUPS)})")
        rating, message = _rating(cols["rating"][i], scale)
        if message:
            bad("rating", message)
        recog_text = _text(cols["recognition"][i]).casefold()
        recognition = _RECOGNITION_ALIASES.get(recog_text) if recog_text else None
        if recog_text and recognition is None:
            bad("recognition", f"recognition {recog_text!r} is not ja, deels or nee")
        records.append((round_key, code, theme, group, rating, recognition,
                        _text(cols["organisation_type"][i]).casefold(),
                        _text(cols["respondent"][i])))
    problems.extend(_duplicates(records, source, header, row_offset))
    if problems:
        raise DataError(problems)
    columns = list(zip(*records, strict=True)) if records else [()] * len(RESPONSE_COLUMNS)
    data: dict[str, pd.Series] = {}
    for name, values in zip(RESPONSE_COLUMNS, columns, strict=True):
        if name == "rating":
            data[name] = pd.Series([float("nan") if v is None else v for v in values],
                                   dtype="float64")
        elif name == "recognition":
            # object, so "not answered" stays None (a string dtype would turn it into NaN)
            data[name] = pd.Series(list(values), dtype=object)
        else:
            data[name] = pd.Series(list(values), dtype=str)
    return Responses(pd.DataFrame(data), source)


def _duplicates(
    records: list[tuple[Any, ...]], source: str, header: Mapping[str, Any], row_offset: int
) -> list[Problem]:
    """One answer per respondent, theme and round; one group per respondent and round."""
    problems: list[Problem] = []
    first_answer: dict[tuple[str, str, str, str], int] = {}
    group_of: dict[tuple[str, str], tuple[str, int]] = {}
    column = str(header.get("respondent", "respondent"))
    for i, (round_key, code, theme, group, *_, respondent) in enumerate(records):
        if not respondent:
            continue
        row = i + row_offset
        key = (round_key, code, theme, respondent)
        if key in first_answer:
            problems.append(Problem(source, row, column,
                                    f"respondent {respondent!r} answered theme {theme!r} for "
                                    f"{code} twice in round {round_key!r} (first at row "
                                    f"{first_answer[key]})"))
        else:
            first_answer[key] = row
        seen = group_of.setdefault((round_key, respondent), (group, row))
        if group and seen[0] and seen[0] != group:
            problems.append(Problem(source, row, str(header.get("group", "group")),
                                    f"respondent {respondent!r} is in group {group!r} here but "
                                    f"in {seen[0]!r} at row {seen[1]} of the same round"))
    return problems


def read_responses_csv(
    path: str | Path,
    *,
    themes: Collection[str] | None = None,
    options: UrgencyOptions | None = None,
) -> Responses:
    """Read a CSV export of a survey tool (``,`` or ``;``, UTF-8 with or without BOM) and
    validate it; every cell is read as text so nothing is converted behind the user's back."""
    file = Path(path)
    check_import_file(file)  # size limit before reading (docs/security.md)
    try:
        with file.open(encoding="utf-8-sig", newline="") as fh:
            head = fh.readline()
        sep = ";" if head.count(";") > head.count(",") else ","
        frame = pd.read_csv(file, sep=sep, dtype=str, keep_default_na=False,
                            encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise DataError.single(file.name, f"not UTF-8 text ({exc.reason})") from exc
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise DataError.single(file.name, f"not a readable CSV file ({exc})") from exc
    return validate_responses(frame, source=file.name, themes=themes, options=options)
