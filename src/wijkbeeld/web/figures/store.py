"""Store a validated :class:`FigureTable` in one transaction: all of it, or none of it.

Importing the same file twice changes nothing (the batch is known by its sha256). Codes are
checked against the boundary set of the year first (issue 21, :class:`StoredAreas` and
:func:`wijkbeeld.figures.areakeys.check_known_areas`): where boundaries of the year were imported
for a municipality and level, a code that is not stored is an error unless ``allow_new_areas``.
Where none were imported, or when allowed, areas not known yet are created from the codes and
names in the file and listed in the result (never silently; a new area without a name is a
warning); boundaries imported later attach to them. A cell that an earlier batch already holds is
replaced (latest import wins).

Indicator definitions have a scope (:mod:`wijkbeeld.web.figures.scope`): an import for a
municipality (``owner``) may use national definitions but not change them, and stores its own
under its namespace (``GM0518:eigen_score``); a refusal is raised before anything is written.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from django.db import connections, transaction
from django.db.models import Exists, OuterRef, Subquery

from wijkbeeld.areas.codes import Level, parse_code
from wijkbeeld.areas.search import AreaCandidate
from wijkbeeld.figures.areakeys import KnownAreas, check_known_areas
from wijkbeeld.figures.catalogue import Catalogue, Indicator
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import ImportBatch, Observation
from wijkbeeld.web.figures.models import Indicator as IndicatorRow
from wijkbeeld.web.figures.models import Theme as ThemeRow
from wijkbeeld.web.figures.scope import owner_of, scope_indicators

__all__ = ["StoreResult", "StoredAreas", "ensure_areas", "store_table", "sync_catalogue"]

_CHUNK = 900  # below SQLite's host-parameter limit for IN (...) lists
_WHOLE_YEAR = 2000  # from this many codes on, read all areas of the year at once
_COPY_BLOCK = 50_000  # rows per COPY write


@dataclass(frozen=True)
class StoreResult:
    batch_id: int
    created: bool
    cells: int
    areas_created: int
    #: Keys of the municipality-owned indicators the import used, with their namespace.
    owned: tuple[str, ...] = ()
    #: Codes of the areas the import created (not in the boundary set of the year).
    new_areas: tuple[str, ...] = ()
    #: What the user should know about the stored areas (new areas without a name).
    warnings: tuple[str, ...] = ()


class StoredAreas:
    """The areas in the database, as an import sees them
    (:class:`wijkbeeld.figures.areakeys.AreaSource`): names to match, the boundary set of a year.

    The boundary set of a year is what ``wijkbeeld import areas`` (or the web) stored for it:
    areas with a boundary. A figures import only checks codes of a municipality and level for
    which boundaries of the year are stored; the areas stored by earlier imports count as known.
    """

    def __init__(self, using: str = "default") -> None:
        self.using = using

    def candidates(self, municipality: str, year: int) -> list[AreaCandidate]:
        rows = (Area.objects.using(self.using)
                .filter(boundary_year=year, municipality=municipality)
                .exclude(level=str(Level.MUNICIPALITY))
                .values_list("code", "name", "level"))
        return [AreaCandidate(code, name, level, municipality, year) for code, name, level in rows]

    def known(self, codes: Sequence[str], year: int) -> KnownAreas:
        stored = _existing_areas(list(dict.fromkeys(codes)), year, self.using)
        bounded = (Area.objects.using(self.using)
                   .filter(boundary_year=year, geometry_batch__isnull=False)
                   .values_list("municipality", "level").distinct())
        return KnownAreas(year, frozenset(stored), frozenset(bounded))


def sync_catalogue(catalogue: Catalogue, using: str = "default") -> None:
    """Write the catalogue's themes and indicators to the database (definitions are updated)."""
    with transaction.atomic(using=using):
        for theme in catalogue.themes.values():
            ThemeRow.objects.using(using).update_or_create(
                key=theme.key,
                defaults={"name_nl": theme.name_nl, "name_en": theme.name_en,
                          "description": theme.description},
            )
        _upsert_indicators(catalogue.indicators.values(), using)


def _upsert_indicators(
    indicators: Iterable[Indicator], using: str, owners: Mapping[str, str] | None = None,
    stored_as: Mapping[str, Indicator] | None = None,
) -> dict[str, int]:
    """Write definitions; returns id per key *as given*. ``stored_as``: per given key the
    definition to store (a scoped, namespaced one) and ``owners`` its owner (default national)."""
    given = list(indicators)
    stored_as = stored_as or {i.key: i for i in given}
    owners = owners or {}
    themes = dict(ThemeRow.objects.using(using).values_list("key", "id"))
    ids: dict[str, int] = {}
    for name in given:
        ind = stored_as[name.key]
        row, _ = IndicatorRow.objects.using(using).update_or_create(
            key=ind.key,
            defaults={
                "owner": owners.get(name.key, owner_of(ind.key)),
                "name_nl": ind.name_nl, "name_en": ind.name_en,
                "theme_id": themes.get(ind.theme) if ind.theme else None,
                "unit": str(ind.unit), "polarity": str(ind.polarity), "source": ind.source,
                "description": ind.description, "context_only": ind.context_only,
            },
        )
        ids[name.key] = row.pk
    known = dict(IndicatorRow.objects.using(using).values_list("key", "id"))
    for name in given:
        ind = stored_as[name.key]
        if ind.base and ind.base in known:
            IndicatorRow.objects.using(using).filter(pk=ids[name.key]).update(
                base_id=known[ind.base])
    return ids


def _existing_areas(
    codes: Sequence[str], boundary_year: int, using: str
) -> dict[str, tuple[int, str]]:
    """``code -> (id, name)`` of the stored areas among ``codes`` in ``boundary_year``."""
    qs = Area.objects.using(using).filter(boundary_year=boundary_year)
    if len(codes) > _WHOLE_YEAR:
        # A national file: one query for the whole year beats dozens of IN (...) lists.
        wanted = set(codes)
        return {c: (pk, n) for c, pk, n in qs.values_list("code", "id", "name") if c in wanted}
    found: dict[str, tuple[int, str]] = {}
    for i in range(0, len(codes), _CHUNK):
        rows = qs.filter(code__in=codes[i : i + _CHUNK]).values_list("code", "id", "name")
        found.update((c, (pk, n)) for c, pk, n in rows)
    return found


_AreaRow = tuple[str, int, str, str, str, str, int | None]
_AREA_COLUMNS = (
    "code", "boundary_year", "level", "name", "parent_code", "municipality", "parent_id"
)
_LEVEL_ORDER = {
    Level.COUNTRY: 0, Level.MUNICIPALITY: 1, Level.DISTRICT: 2, Level.NEIGHBOURHOOD: 3
}


def _insert_areas(rows: list[_AreaRow], using: str) -> None:
    """Insert new areas in one go (``bulk_create`` costs ~0.2 ms per object in Python).

    Columns not given here get their model default, computed once from a template instance, so a
    field added to :class:`Area` later keeps working.
    """
    conn = connections[using]
    template = Area(code="", boundary_year=0)
    data: dict[str, np.ndarray] = {}
    for j, column_name in enumerate(_AREA_COLUMNS):
        column = np.empty(len(rows), dtype=object)
        column[:] = [r[j] for r in rows]
        data[column_name] = column
    for f in Area._meta.concrete_fields:
        if f.primary_key or str(f.column) in data:
            continue
        default = f.get_db_prep_save(f.pre_save(template, add=True), conn)
        column = np.empty(len(rows), dtype=object)
        column[:] = [default] * len(rows)
        data[str(f.column)] = column
    _insert_rows(using, Area._meta.db_table, data)


def ensure_areas(
    codes_names: Sequence[tuple[str, str]], boundary_year: int, using: str = "default"
) -> tuple[dict[str, int], int]:
    """Ids of the areas ``(code, name)`` in ``boundary_year``, creating the missing ones.

    Parents are linked by code within the same boundary year, both for new areas and for existing
    children whose parent only now arrives. New areas are inserted level by level (country and
    gemeenten, wijken, buurten) with their parent already set.
    """
    codes = list(dict.fromkeys(c for c, _ in codes_names))
    existing = _existing_areas(codes, boundary_year, using)
    ids = {code: pk for code, (pk, _) in existing.items()}
    # An area first created from a file without names (CBS Nabijheid exports, RIVM wijken and
    # buurten) gets its name from the first later file that has one.
    renamed = {
        existing[code][0]: name
        for code, name in codes_names
        if name and code in existing and not existing[code][1]
    }
    if renamed:
        conn = connections[using]
        table = conn.ops.quote_name(Area._meta.db_table)
        with conn.cursor() as cursor:
            cursor.executemany(
                f"UPDATE {table} SET name = %s WHERE id = %s AND name = ''",
                [(name, pk) for pk, name in renamed.items()],
            )
    by_level: dict[int, list[tuple[str, str, str, str, str]]] = {}
    seen: set[str] = set()
    for code, name in codes_names:
        if code in ids or code in seen:
            continue
        seen.add(code)
        parsed = parse_code(code)
        by_level.setdefault(_LEVEL_ORDER[parsed.level], []).append(
            (code, str(parsed.level), name, parsed.parent or "", parsed.municipality or "")
        )
    for level in sorted(by_level):
        rows: list[_AreaRow] = [
            (code, boundary_year, lvl, name, parent, gm, ids.get(parent) if parent else None)
            for code, lvl, name, parent, gm in by_level[level]
        ]
        _insert_areas(rows, using)
        fresh = _existing_areas([r[0] for r in rows], boundary_year, using)
        ids.update((code, pk) for code, (pk, _) in fresh.items())
    if seen:
        _link_parents(boundary_year, using)
    return ids, len(seen)


def _link_parents(boundary_year: int, using: str) -> None:
    """Point every orphan of ``boundary_year`` whose parent code is stored at that parent.

    One UPDATE with a correlated subquery (same SQL on SQLite and PostgreSQL) instead of one
    UPDATE per parent; it touches only areas stored earlier whose parent arrived now.
    """
    parent = Area.objects.using(using).filter(
        boundary_year=OuterRef("boundary_year"), code=OuterRef("parent_code")
    ).values("pk")[:1]
    (
        Area.objects.using(using)
        .filter(boundary_year=boundary_year, parent__isnull=True)
        .exclude(parent_code="")
        .filter(Exists(parent))
        .update(parent_id=Subquery(parent))
    )


def _copy_escape(text: str) -> str:
    """Text in PostgreSQL COPY text format (backslash, tab, newline and return escaped)."""
    return (
        text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n")
        .replace("\r", "\\r")
    )


def _copy_column(values: np.ndarray) -> list[str]:
    """One column as COPY text: numbers via numpy's shortest round-trip repr, NaN and None as
    ``\\N``, text escaped once per distinct value."""
    if values.dtype.kind == "f":
        text = values.astype(str)
        return np.where(np.isnan(values), "\\N", text).tolist()  # type: ignore[no-any-return]
    if values.dtype.kind in "iu":
        return values.astype(str).tolist()  # type: ignore[no-any-return]
    cache: dict[object, str] = {None: "\\N"}
    out: list[str] = []
    for v in values.tolist():
        cell = cache.get(v)
        if cell is None:
            cell = cache[v] = _copy_escape(v) if isinstance(v, str) else str(v)
        out.append(cell)
    return out


def _insert_rows(using: str, table: str, data: Mapping[str, np.ndarray]) -> None:
    """Insert rows given per column: COPY on PostgreSQL, executemany elsewhere.

    Float columns hold NaN, object columns None, for NULL. COPY gets its text in a few large
    blocks built column by column: one ``write_row`` call (or one INSERT) per row costs seconds
    for a national file.
    """
    conn = connections[using]
    name = conn.ops.quote_name(table)
    cols = ", ".join(conn.ops.quote_name(c) for c in data)
    n = len(next(iter(data.values()))) if data else 0
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            text = [_copy_column(v) for v in data.values()]
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {name} ({cols}) FROM STDIN") as copy:
                for i in range(0, n, _COPY_BLOCK):
                    block = zip(*(c[i : i + _COPY_BLOCK] for c in text), strict=True)
                    copy.write("\n".join(map("\t".join, block)) + "\n")
        else:
            columns = [
                [None if x != x else x for x in v.tolist()]  # NaN -> NULL
                if v.dtype.kind == "f" else v.tolist()
                for v in data.values()
            ]
            marks = ", ".join(["%s"] * len(data))
            rows = list(zip(*columns, strict=True))
            cursor.executemany(f"INSERT INTO {name} ({cols}) VALUES ({marks})", rows)


def _lookup(keys: pd.Series, ids: dict[str, int]) -> pd.Series:
    """``ids[key]`` for every key, via the distinct keys (faster than ``Series.map``)."""
    codes, uniques = pd.factorize(keys)
    table = np.asarray([ids[str(u)] for u in uniques], dtype=np.int64)
    return pd.Series(table[codes], index=keys.index)


def store_table(
    table: FigureTable, *, who: str = "cli", owner: str = "", using: str = "default",
    allow_new_areas: bool = False,
) -> StoreResult:
    """Store ``table`` atomically; a second import of the same file is a no-op.

    Codes missing from the boundary set of the year are a :class:`DataError` unless
    ``allow_new_areas`` (module docstring); nothing is stored then.

    ``owner``: the GM code of the municipality the import is for (an account tied to one);
    its indicator definitions are then scoped (module docstring) and a :class:`DataError`
    names every indicator it may not change, with nothing stored. "" is a national import."""
    scoped = scope_indicators(table.indicators.values(), owner, table.file, using)
    existing = (
        ImportBatch.objects.using(using)
        .filter(kind=ImportBatch.Kind.FIGURES, sha256=table.sha256,
                boundary_year=table.boundary_year)
        .first()
    )
    if existing is not None:
        return StoreResult(existing.pk, False, existing.cells, 0, scoped.owned)

    frame = table.frame
    new_areas = check_known_areas(
        table, StoredAreas(using).known(table.area_codes, table.boundary_year),
        allow_new=allow_new_areas)
    names = frame.drop_duplicates("area_code")[["area_code", "area_name"]]
    named = set(names.loc[names["area_name"].str.strip() != "", "area_code"].tolist())
    nameless = [c for c in new_areas if c not in named]
    notes: list[str] = []
    if nameless:
        shown = ", ".join(nameless[:10]) + (", ..." if len(nameless) > 10 else "")
        notes.append(f"{table.file}: {len(nameless)} nieuwe gebieden zonder naam in het bestand "
                     f"(indeling {table.boundary_year}): {shown}; ze krijgen hun naam met de "
                     "grenzen (wijkbeeld import areas)")
    warnings = [*table.warnings, *notes]
    with transaction.atomic(using=using):
        indicator_ids = _upsert_indicators(
            table.indicators.values(), using, scoped.owners, scoped.indicators)
        area_ids, n_new = ensure_areas(
            list(zip(names["area_code"], names["area_name"], strict=True)),
            table.boundary_year, using,
        )
        batch = ImportBatch.objects.using(using).create(
            kind=ImportBatch.Kind.FIGURES, source=table.source, file_name=table.file,
            sha256=table.sha256, rows=int(frame["row"].nunique()), cells=len(frame),
            boundary_year=table.boundary_year, reader=table.reader, who=who,
            outcome="ok_with_warnings" if warnings else "ok",
            warnings=warnings,
        )
        area_col = _lookup(frame["area_code"], area_ids)
        ind_col = _lookup(frame["indicator"], indicator_ids)
        _delete_overlap(frame, area_col, ind_col, using)
        # Rows in (area, indicator) order: the unique index (area, indicator, period) and the
        # area index then grow at their end instead of at random places.
        area_arr = area_col.to_numpy()
        ind_arr = ind_col.to_numpy()
        order = np.lexsort((ind_arr, area_arr))
        ok = (frame["status"] == "ok").to_numpy()[order]
        values = frame["value"].to_numpy(dtype=np.float64)[order]
        _insert_rows(
            using,
            Observation._meta.db_table,
            {
                "area_id": area_arr[order],
                "indicator_id": ind_arr[order],
                "period": frame["period"].to_numpy(dtype=object)[order],
                "value": np.where(ok, values, np.nan),
                "status": frame["status"].to_numpy(dtype=object)[order],
                "source_column": frame["source_column"].to_numpy(dtype=object)[order],
                "batch_id": np.full(len(frame), batch.pk, dtype=np.int64),
            },
        )
        _check_references(batch.pk, using)
    _refresh_statistics(using, len(frame))
    return StoreResult(batch.pk, True, len(frame), n_new, scoped.owned, tuple(new_areas),
                       tuple(notes))


#: Imports at least this large refresh PostgreSQL's planner statistics straight away.
_ANALYZE_FROM = 50_000


def _refresh_statistics(using: str, rows: int) -> None:
    """After a large import on PostgreSQL, ``ANALYZE`` the tables it wrote. Autovacuum would
    do so eventually, but until then the planner believes the tables are nearly empty and
    joins millions of observations by index lookups (a national year loaded in 1.8 s instead
    of 1.0 s; some queries far worse). A sample-based ANALYZE takes well under a second."""
    connection = connections[using]
    if connection.vendor != "postgresql" or rows < _ANALYZE_FROM:
        return
    with connection.cursor() as cursor:
        for model in (Observation, Area, IndicatorRow, ImportBatch):
            cursor.execute(f'ANALYZE "{model._meta.db_table}"')


def _check_references(batch_id: int, using: str) -> None:
    """Every observation of the batch points at a stored area and indicator (the table has no
    database foreign keys, for import speed); one set-based query instead of per-row triggers."""
    conn = connections[using]
    q = conn.ops.quote_name
    obs, area, ind = (
        Observation._meta.db_table, Area._meta.db_table, IndicatorRow._meta.db_table
    )
    sql = (
        f"SELECT COUNT(*) FROM {q(obs)} o "
        f"LEFT JOIN {q(area)} a ON a.id = o.area_id "
        f"LEFT JOIN {q(ind)} i ON i.id = o.indicator_id "
        f"WHERE o.batch_id = %s AND (a.id IS NULL OR i.id IS NULL)"
    )
    with conn.cursor() as cursor:
        cursor.execute(sql, [batch_id])
        (dangling,) = cursor.fetchone()
    if dangling:
        raise RuntimeError(
            f"import batch {batch_id}: {dangling} figures point at no stored area or indicator"
        )


def _delete_overlap(
    frame: pd.DataFrame, area_col: pd.Series, ind_col: pd.Series, using: str
) -> None:
    """Remove cells an earlier batch holds for the same area, indicator and period."""
    keyed = pd.DataFrame({"area": area_col, "ind": ind_col, "period": frame["period"]})
    for (ind, period), sub in keyed.groupby(["ind", "period"], sort=False):
        qs = Observation.objects.using(using).filter(indicator_id=ind, period=period)
        if not qs.exists():
            continue
        areas = sub["area"].tolist()
        for i in range(0, len(areas), _CHUNK):
            qs.filter(area_id__in=areas[i : i + _CHUNK]).delete()
