"""Import voices from CSV/XLSX exports of survey tools, conversation logs and resident-report
systems (meldingen openbare ruimte), with a column mapping, in one transaction.

The mapping (a TOML file or a dict of the same shape) names the columns::

    [columns]
    text = "Toelichting"         # required
    area = "Buurtcode"           # required: CBS code of a buurt or wijk
    date = "Datum"               # required: YYYY-MM-DD or DD-MM-YYYY (or an Excel date)
    group = "Groep"              # optional; else [defaults] group
    channel = "Kanaal"           # optional; else [defaults] channel
    organisation_type = "Org"    # optional
    category = "Categorie"       # optional: the report category, mapped by [categories]

    [defaults]
    group = "residents"
    channel = "melding"

    [groups]                     # optional: values of the group column -> group keys
    bewoner = "residents"

    [categories]                 # category -> theme key (resident-report exports)
    "Afval naast container" = "openbare_ruimte"

The file is read with the figures importers' table reader
(:func:`~wijkbeeld.figures.readers.tabular.read_table`): CSV with ``;``, ``,``, tab or ``|``, in
UTF-8 (with or without BOM), UTF-16, Windows-1252 or Latin-1, or the first sheet of an XLSX.
Every row is checked before anything is stored; all problems are raised together as one
:class:`~wijkbeeld.figures.errors.DataError` naming file, row (the header is row 1) and column.
A text longer than :data:`~wijkbeeld.voices.MAX_TEXT_CHARS` (5,000 characters) is such a
problem, with a Dutch message that says how long it is: it is not cut, and nothing is stored.
Every text is scrubbed on the way in (:func:`~wijkbeeld.web.voices.services.record_voice`); the
file's original text is never stored. A file already imported (same SHA-256) is not imported
again. Imported voices have no consent to be quoted unless the mapping says ``consent = true``
under ``[defaults]``.
"""

from __future__ import annotations

import hashlib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from django.db import transaction

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.filecheck import check_import_file
from wijkbeeld.figures.readers.tabular import read_table
from wijkbeeld.voices import MAX_TEXT_CHARS, THEME_KEYS, too_long_message
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.voices.models import Channel, Group, Voice
from wijkbeeld.web.voices.services import store_voice

__all__ = ["ImportResult", "VoiceMapping", "import_voices", "load_mapping"]

_REQUIRED = ("text", "area", "date")
_OPTIONAL = ("group", "channel", "organisation_type", "category")
_DATE_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%S",
                 "%d-%m-%Y %H:%M")


@dataclass(frozen=True)
class VoiceMapping:
    """Which column holds what, defaults, and value maps (see the module docstring)."""

    columns: Mapping[str, str]
    defaults: Mapping[str, Any] = field(default_factory=dict)
    groups: Mapping[str, str] = field(default_factory=dict)
    categories: Mapping[str, str] = field(default_factory=dict)
    source: str = "mapping"


def load_mapping(mapping: str | Path | Mapping[str, Any]) -> VoiceMapping:
    """A :class:`VoiceMapping` from a TOML file or a dict; a bad mapping is a DataError."""
    if isinstance(mapping, Mapping):
        raw, name = dict(mapping), "mapping"
    else:
        path = Path(mapping)
        name = path.name
        try:
            raw = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise DataError.single(name, f"cannot read the mapping: {exc}") from exc
    problems: list[Problem] = []
    columns = raw.get("columns", {})
    if not isinstance(columns, Mapping):
        raise DataError.single(name, "[columns] must be a table")
    for key in _REQUIRED:
        if not isinstance(columns.get(key), str) or not columns[key].strip():
            problems.append(Problem(name, None, f"columns.{key}", "required column name missing"))
    for key in columns:
        if key not in (*_REQUIRED, *_OPTIONAL):
            problems.append(Problem(name, None, f"columns.{key}", "unknown key"))
    defaults = dict(raw.get("defaults", {}))
    groups = {str(k).strip().casefold(): str(v) for k, v in raw.get("groups", {}).items()}
    categories = {str(k).strip().casefold(): str(v)
                  for k, v in raw.get("categories", {}).items()}
    for value, target in groups.items():
        if target not in Group.values:
            problems.append(Problem(name, None, f"groups.{value}", f"unknown group {target!r}"))
    for value, theme in categories.items():
        if theme not in THEME_KEYS:
            problems.append(Problem(name, None, f"categories.{value}",
                                    f"unknown theme {theme!r}"))
    if "group" not in columns and defaults.get("group") not in Group.values:
        problems.append(Problem(name, None, "defaults.group",
                                f"needed (no group column); one of {', '.join(Group.values)}"))
    if "channel" not in columns and defaults.get("channel") not in Channel.values:
        problems.append(Problem(name, None, "defaults.channel",
                                f"needed (no channel column); one of {', '.join(Channel.values)}"))
    if "category" in columns and not categories:
        problems.append(Problem(name, None, "categories", "a category column needs [categories]"))
    if problems:
        raise DataError(problems)
    return VoiceMapping(dict(columns), defaults, groups, categories, name)


@dataclass(frozen=True)
class ImportResult:
    """What an import did: file, its SHA-256, voices stored, placeholders put in."""

    file: str
    sha256: str
    voices: int
    scrubbed: Mapping[str, int]
    already_imported: bool = False

    def summary(self) -> str:
        """One Dutch line for the CLI."""
        if self.already_imported:
            return f"{self.file}: al eerder geïmporteerd, niets gewijzigd"
        found = ", ".join(f"{k} {v}" for k, v in self.scrubbed.items()) or "niets"
        return f"{self.file}: {self.voices} stemmen geïmporteerd; vervangen: {found}"


def _rows(path: Path, data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """Header and (file line or sheet row, cells) of every data row of a CSV or XLSX file.

    Read with the figures importers' table reader
    (:func:`~wijkbeeld.figures.readers.tabular.read_table`): any of ``;`` ``,`` tab ``|``, UTF-8
    with or without BOM, UTF-16, Windows-1252 or Latin-1; a binary file, broken quoting or a row of
    the wrong width is a DataError naming the row. Messages name the file by its name only.
    """
    if not data.strip():
        raise DataError.single(path.name, "the file is empty")
    try:
        table = read_table(path)
    except DataError as exc:
        full = str(path)
        raise DataError([Problem(path.name if p.file == full else p.file, p.row, p.column,
                                 p.message) for p in exc.problems]) from None
    header = [str(c).strip() for c in table.frame.columns]
    cells = table.frame.fillna("").astype(str).values.tolist()
    return header, list(zip(table.rows, cells, strict=True))


def _parse_date(value: str) -> date | None:
    value = value.strip()
    for fmt in _DATE_FORMATS:
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def _area_for(code: str, when: date, cache: dict[str, list[Area]], using: str) -> Area | None:
    """The stored area of ``code``: the latest boundary year not after ``when``, else the
    earliest one."""
    if code not in cache:
        cache[code] = list(Area.objects.using(using).filter(code=code).order_by("boundary_year"))
    found = cache[code]
    before = [a for a in found if a.boundary_year <= when.year]
    return before[-1] if before else (found[0] if found else None)


@dataclass
class _Row:
    area: Area
    when: date
    text: str
    group: str
    channel: str
    organisation_type: str
    themes: tuple[str, ...]


def _check_rows(name: str, header: list[str], rows: list[tuple[int, list[str]]],
                m: VoiceMapping, using: str) -> list[_Row]:
    cols = m.columns
    missing = [c for c in cols.values() if c not in header]
    if missing:
        raise DataError([Problem(name, 1, c, "column missing from the file") for c in missing])
    index = {key: header.index(col) for key, col in cols.items()}
    problems: list[Problem] = []
    out: list[_Row] = []
    cache: dict[str, list[Area]] = {}
    for number, row in rows:
        if not any(c.strip() for c in row):
            continue

        def get(key: str, row: list[str] = row) -> str:
            i = index.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        before = len(problems)
        text = get("text")
        if not text:
            problems.append(Problem(name, number, cols["text"], "empty text"))
        elif len(text) > MAX_TEXT_CHARS:
            problems.append(Problem(name, number, cols["text"], too_long_message(len(text))))
        when = _parse_date(get("date"))
        if when is None:
            problems.append(Problem(name, number, cols["date"],
                                    f"not a date (YYYY-MM-DD or DD-MM-YYYY): {get('date')!r}"))
        area: Area | None = None
        try:
            parsed = parse_code(get("area"))
            if parsed.level not in (Level.DISTRICT, Level.NEIGHBOURHOOD):
                raise InvalidAreaCode(f"{parsed.code} is not a wijk or buurt")
        except InvalidAreaCode as exc:
            problems.append(Problem(name, number, cols["area"], f"bad area code: {exc}"))
        else:
            area = _area_for(parsed.code, when or date.today(), cache, using)
            if area is None:
                problems.append(Problem(name, number, cols["area"],
                                        f"area {parsed.code} is not in the database"))
        raw_group = get("group") if "group" in cols else ""
        group = m.groups.get(raw_group.casefold(), raw_group) if raw_group \
            else str(m.defaults.get("group", ""))
        if group not in Group.values:
            problems.append(Problem(name, number, cols.get("group", "group"),
                                    f"unknown group {raw_group!r}"))
        channel = (get("channel").casefold() if "channel" in cols else "") \
            or str(m.defaults.get("channel", ""))
        channel = "enquete" if channel == "enquête" else channel
        if channel not in Channel.values:
            problems.append(Problem(name, number, cols.get("channel", "channel"),
                                    f"unknown channel {channel!r}"))
        themes: tuple[str, ...] = ()
        if "category" in cols:
            theme = m.categories.get(get("category").casefold())
            if theme is None:
                problems.append(Problem(name, number, cols["category"],
                                        f"category {get('category')!r} not in [categories]"))
            else:
                themes = (theme,)
        if len(problems) == before and area is not None and when is not None:
            out.append(_Row(area, when, text, group, channel, get("organisation_type"), themes))
    if problems:
        raise DataError(problems)
    if not out:
        raise DataError.single(name, "no rows with a voice", row=2)
    return out


def import_voices(
    path: str | Path,
    mapping: str | Path | Mapping[str, Any],
    *,
    who: Any = None,
    using: str = "default",
) -> ImportResult:
    """Scrub, tag and store every row of ``path`` as a voice, all or nothing."""
    file = Path(path)
    spec = load_mapping(mapping)
    check_import_file(file)  # size limit, zip bombs, XML entities (docs/security.md)
    try:
        data = file.read_bytes()
    except OSError as exc:
        raise DataError.single(file.name, f"cannot read the file: {exc.strerror}") from exc
    header, rows = _rows(file, data)
    checked = _check_rows(file.name, header, rows, spec, using)
    digest = hashlib.sha256(data).hexdigest()
    source = f"import:{digest}"
    consent = bool(spec.defaults.get("consent", False))
    report: dict[str, int] = {}
    with transaction.atomic(using=using):
        if Voice.objects.using(using).filter(source=source).exists():
            return ImportResult(file.name, digest, 0, {}, True)
        for r in checked:
            voice = store_voice(r.area, r.text, when=r.when, channel=r.channel, group=r.group,
                           organisation_type=r.organisation_type, urgency=None, tone=None,
                           consent=consent, author=who, extra_themes=r.themes, source=source,
                           using=using)
            for kind, n in (voice.scrub_report or {}).items():
                report[kind] = report.get(kind, 0) + int(n)
    return ImportResult(file.name, digest, len(checked), report)
