"""Read crosswalks between boundary years: which old area maps to which new one, with what weight.

Two layouts are read (comma, semicolon or tab separated; UTF-8, BOM allowed):

* **Long** (the generic format)::

      from_code,from_year,to_code,to_year,weight
      BU03630000,2015,BU0363AE01,2022,1
      BU03631234,2015,BU0363XY01,2022,0.25

  ``from_year`` / ``to_year`` columns may be left out when the years are given to
  :func:`read_crosswalk` (a column in the file wins over a given year); ``weight`` may be left
  out when no old area maps to more than one new area (relabelling and merges); a decimal comma
  is accepted.
* **Paired columns**, such as Amsterdam's ``buurten.csv``: one row per area with two columns of CBS
  codes whose headers carry the years (``BUURTCODE_CBS_2015``, ``BUURTCODE_CBS_2022``), and any
  other columns (names, WKT) ignored. The older year is the *from* side unless the years given say
  otherwise; given years replace the header years (e.g. ``from_year=2020`` for KWB 2020, whose
  Amsterdam codes are the 2015 ones).

``weight`` is the share of the old area that lies in the new one (by default counts are carried
over in that proportion). Rules: codes must be CBS codes of the same level on both sides, years
must differ, every weight lies in (0, 1], a pair appears once. Per old area the weights must sum
to 1: a sum above ``1 + tolerance`` is an **error** (the area would be counted more than once), a
sum below ``1 - tolerance`` a **warning** (part of the old area went outside the file, e.g. to
water or to a municipality not covered). Errors name file, row (line, header = 1) and column.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.areas.fields import code_share
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.filecheck import check_import_file

__all__ = ["COLUMNS", "Crosswalk", "read_crosswalk"]

#: Columns of :attr:`Crosswalk.frame`.
COLUMNS: tuple[str, ...] = ("from_code", "from_year", "to_code", "to_year", "weight", "row")
_WEIGHT_NAMES = ("weight", "gewicht", "aandeel", "share")
_YEAR = re.compile(r"(?<!\d)(19\d\d|20\d\d)(?!\d)")


@dataclass(frozen=True)
class Crosswalk:
    """A checked crosswalk read from one file; ``frame`` has :data:`COLUMNS`, one row per pair."""

    file: str
    sha256: str
    reader: str
    frame: pd.DataFrame
    tolerance: float
    warnings: tuple[str, ...] = field(default=())

    @property
    def year_pairs(self) -> list[tuple[int, int]]:
        """The distinct (from_year, to_year) pairs, sorted."""
        pairs = self.frame[["from_year", "to_year"]].drop_duplicates()
        return sorted((int(a), int(b)) for a, b in pairs.itertuples(index=False))

    @property
    def from_year(self) -> int | None:
        """The from year when the file holds one year pair, else None."""
        pairs = self.year_pairs
        return pairs[0][0] if len(pairs) == 1 else None

    @property
    def to_year(self) -> int | None:
        """The to year when the file holds one year pair, else None."""
        pairs = self.year_pairs
        return pairs[0][1] if len(pairs) == 1 else None


def read_crosswalk(
    path: Path | str,
    *,
    from_year: int | None = None,
    to_year: int | None = None,
    tolerance: float = 0.01,
) -> Crosswalk:
    """Read and check a crosswalk file; raise :class:`DataError` naming file, row and column."""
    path = Path(path)
    name = str(path)
    header, records = _read_table(path)
    lower = [h.lower() for h in header]
    weight_col = next((header[lower.index(w)] for w in _WEIGHT_NAMES if w in lower), None)
    if "from_code" in lower and "to_code" in lower:
        reader = "long"
        cols = {k: header[lower.index(k)] if k in lower else None
                for k in ("from_code", "to_code", "from_year", "to_year")}
        raw = _long_rows(name, header, records, cols, weight_col, from_year, to_year)
    else:
        reader = "paired-columns"
        raw = _paired_rows(name, header, records, weight_col, from_year, to_year)
    frame, problems, warnings = _check(name, raw, has_weight=weight_col is not None,
                                       tolerance=tolerance)
    if problems:
        raise DataError(problems)
    sha = hashlib.sha256(path.read_bytes()).hexdigest()
    return Crosswalk(name, sha, reader, frame, tolerance, tuple(warnings))


# A raw pair: (line, {column: cell}) with keys from_code, from_year, to_code, to_year, weight,
# each value the cell text and the column it came from (for error messages).
_Cell = tuple[str, str]
_Raw = list[tuple[int, dict[str, _Cell]]]


def _read_table(path: Path) -> tuple[list[str], list[tuple[int, list[str]]]]:
    name = str(path)
    if not path.exists():
        raise DataError.single(name, "file not found")
    check_import_file(path)  # size limit before reading (docs/security.md)
    data = path.read_bytes()
    if not data:
        raise DataError.single(name, "the file is empty (0 bytes)")
    if b"\x00" in data[:65536]:
        raise DataError.single(name, "binary content, not a CSV text file")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    if not any(header):
        raise DataError.single(name, "no header row", row=1)
    records: list[tuple[int, list[str]]] = []
    for cells in reader:
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise DataError.single(
                name, f"{len(cells)} cells where the header has {len(header)} "
                f"(separator {delimiter!r}; truncated or wrongly separated file?)",
                row=reader.line_num,
            )
        records.append((reader.line_num, [c.strip() for c in cells]))
    if not records:
        raise DataError.single(name, "the file holds no rows")
    return header, records


def _long_rows(
    name: str, header: list[str], records: list[tuple[int, list[str]]],
    cols: dict[str, str | None], weight_col: str | None,
    from_year: int | None, to_year: int | None,
) -> _Raw:
    given = {"from_year": from_year, "to_year": to_year}
    for key, year in given.items():
        if cols[key] is None and year is None:
            raise DataError.single(name, f"no {key} column: add it or give the year", column=key)
    index = {h: i for i, h in enumerate(header)}
    raw: _Raw = []
    for line, cells in records:
        row: dict[str, _Cell] = {}
        for key in ("from_code", "to_code", "from_year", "to_year"):
            col = cols[key]
            if col is not None:  # a year column in the file wins over a year given
                row[key] = (cells[index[col]], col)
            else:
                row[key] = (str(given[key]), key)
        row["weight"] = (cells[index[weight_col]], weight_col) if weight_col else ("1", "weight")
        raw.append((line, row))
    return raw


def _paired_rows(
    name: str, header: list[str], records: list[tuple[int, list[str]]], weight_col: str | None,
    from_year: int | None, to_year: int | None,
) -> _Raw:
    coded = [i for i, _ in enumerate(header)
             if code_share([cells[i] for _, cells in records]) >= 0.5]
    dated = [i for i in coded if _YEAR.search(header[i])]
    pair = coded if len(coded) == 2 else dated
    if len(pair) != 2:
        found = ", ".join(header[i] for i in coded) or "none"
        raise DataError.single(
            name, "not a crosswalk: expected from_code,to_code columns or exactly two columns of "
            f"CBS codes with a year in their header (columns with codes: {found})",
        )
    years = [_header_year(header[i]) for i in pair]
    if None in years and (from_year is None or to_year is None):
        raise DataError.single(name, "give the from and to years: the code columns "
                               f"{header[pair[0]]!r} and {header[pair[1]]!r} carry no year")
    a, b = pair
    if years[0] is not None and years[1] is not None and years[0] > years[1]:
        a, b = b, a
        years.reverse()
    if from_year is not None and to_year is not None and from_year > to_year:
        a, b = b, a
    fy = from_year if from_year is not None else years[0]
    ty = to_year if to_year is not None else years[1]
    raw: _Raw = []
    for line, cells in records:
        raw.append((line, {
            "from_code": (cells[a], header[a]), "to_code": (cells[b], header[b]),
            "from_year": (str(fy), "from_year"), "to_year": (str(ty), "to_year"),
            "weight": (cells[header.index(weight_col)], weight_col) if weight_col
            else ("1", "weight"),
        }))
    return raw


def _header_year(text: str) -> int | None:
    match = _YEAR.search(text)
    return int(match.group(1)) if match else None


def _check(
    name: str, raw: _Raw, *, has_weight: bool, tolerance: float
) -> tuple[pd.DataFrame, list[Problem], list[str]]:
    problems: list[Problem] = []
    out: list[tuple[str, int, str, int, float, int]] = []
    seen: dict[tuple[str, int, str, int], int] = {}
    for line, row in raw:
        codes: dict[str, str] = {}
        for key in ("from_code", "to_code"):
            text, col = row[key]
            try:
                codes[key] = parse_code(text).code
            except InvalidAreaCode as exc:
                problems.append(Problem(name, line, col, str(exc) if text else "no area code"))
        years: dict[str, int] = {}
        for key in ("from_year", "to_year"):
            text, col = row[key]
            if text.isdigit() and 1900 <= int(text) <= 2100:
                years[key] = int(text)
            else:
                problems.append(Problem(name, line, col, f"{text!r} is not a year"))
        text, col = row["weight"]
        weight = _weight(text)
        if weight is None or not 0 < weight <= 1:
            problems.append(Problem(name, line, col, f"weight {text!r} is not a number in (0, 1]"))
        if len(codes) < 2 or len(years) < 2 or weight is None:
            continue
        fc, tc, fy, ty = codes["from_code"], codes["to_code"], years["from_year"], years["to_year"]
        if fy == ty:
            problems.append(
                Problem(name, line, row["to_year"][1], f"from and to year are both {fy}")
            )
        if parse_code(fc).level != parse_code(tc).level:
            problems.append(Problem(name, line, row["to_code"][1],
                                    f"{fc} and {tc} are areas of different levels"))
        pair = (fc, fy, tc, ty)
        if pair in seen:
            problems.append(Problem(name, line, row["to_code"][1],
                                    f"pair {fc} → {tc} repeated (first in row {seen[pair]})"))
        seen[pair] = line
        out.append((fc, fy, tc, ty, weight, line))
    frame = pd.DataFrame(out, columns=list(COLUMNS))
    warnings: list[str] = []
    if not problems:
        problems, warnings = _check_sums(name, frame, has_weight=has_weight, tolerance=tolerance)
    return frame, problems, warnings


def _weight(text: str) -> float | None:
    try:
        return float(text.replace(",", "."))
    except ValueError:
        return None


def _check_sums(
    name: str, frame: pd.DataFrame, *, has_weight: bool, tolerance: float
) -> tuple[list[Problem], list[str]]:
    problems: list[Problem] = []
    short: list[str] = []
    groups: dict[tuple[str, int, int], list[int]] = defaultdict(list)
    for i, (fc, fy, ty) in enumerate(frame[["from_code", "from_year", "to_year"]].itertuples(
            index=False)):
        groups[(str(fc), int(fy), int(ty))].append(i)
    weights = frame["weight"].tolist()
    lines = frame["row"].tolist()
    for (code, fy, ty), idx in groups.items():
        total = sum(weights[i] for i in idx)
        rows = ", ".join(str(lines[i]) for i in idx)
        if not has_weight and len(idx) > 1:
            problems.append(Problem(name, lines[idx[1]], None,
                                    f"{code} ({fy}) maps to {len(idx)} areas (rows {rows}) but "
                                    "the file has no weight column: a split needs weights"))
        elif total > 1 + tolerance:
            problems.append(Problem(name, lines[idx[-1]], "weight",
                                    f"weights of {code} ({fy} → {ty}) sum to {total:.3g} > 1 "
                                    f"(rows {rows}): the area would be counted more than once"))
        elif total < 1 - tolerance:
            short.append(f"{code} ({total:.3g})")
    warnings = []
    if short:
        shown = ", ".join(short[:10]) + (f" and {len(short) - 10} more" if len(short) > 10 else "")
        warnings.append(f"{name}: weights of {len(short)} areas sum to less than 1 (part maps to "
                        f"no area in the file): {shown}")
    return problems, warnings
