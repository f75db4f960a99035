"""Store a validated :class:`FigureTable` in one transaction: all of it, or none of it.

Importing the same file twice changes nothing (the batch is known by its sha256). Areas that are
not known yet are created from the codes and names in the file; boundaries imported later attach
to them. A cell that an earlier batch already holds is replaced (latest import wins).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd
from django.db import connections, transaction

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.figures.catalogue import Catalogue, Indicator
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import ImportBatch, Observation
from wijkbeeld.web.figures.models import Indicator as IndicatorRow
from wijkbeeld.web.figures.models import Theme as ThemeRow

__all__ = ["StoreResult", "ensure_areas", "store_table", "sync_catalogue"]

_CHUNK = 900  # below SQLite's host-parameter limit for IN (...) lists


@dataclass(frozen=True)
class StoreResult:
    batch_id: int
    created: bool
    cells: int
    areas_created: int


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


def _upsert_indicators(indicators: Iterable[Indicator], using: str) -> dict[str, int]:
    indicators = list(indicators)
    themes = dict(ThemeRow.objects.using(using).values_list("key", "id"))
    ids: dict[str, int] = {}
    for ind in indicators:
        row, _ = IndicatorRow.objects.using(using).update_or_create(
            key=ind.key,
            defaults={
                "name_nl": ind.name_nl, "name_en": ind.name_en,
                "theme_id": themes.get(ind.theme) if ind.theme else None,
                "unit": str(ind.unit), "polarity": str(ind.polarity), "source": ind.source,
                "description": ind.description, "context_only": ind.context_only,
            },
        )
        ids[ind.key] = row.pk
    known = dict(IndicatorRow.objects.using(using).values_list("key", "id"))
    for ind in indicators:
        if ind.base and ind.base in known:
            IndicatorRow.objects.using(using).filter(pk=ids[ind.key]).update(base_id=known[ind.base])
    return ids


def ensure_areas(
    codes_names: Sequence[tuple[str, str]], boundary_year: int, using: str = "default"
) -> tuple[dict[str, int], int]:
    """Ids of the areas ``(code, name)`` in ``boundary_year``, creating the missing ones.

    Parents are linked by code within the same boundary year, both for new areas and for existing
    children whose parent only now arrives.
    """
    codes = [c for c, _ in codes_names]
    ids: dict[str, int] = {}
    for i in range(0, len(codes), _CHUNK):
        ids.update(
            Area.objects.using(using)
            .filter(boundary_year=boundary_year, code__in=codes[i : i + _CHUNK])
            .values_list("code", "id")
        )
    new: list[Area] = []
    for code, name in codes_names:
        if code in ids:
            continue
        parsed = parse_code(code)
        new.append(
            Area(
                code=code, boundary_year=boundary_year, level=str(parsed.level), name=name,
                parent_code=parsed.parent or "", municipality=parsed.municipality or "",
            )
        )
        ids[code] = -1
    Area.objects.using(using).bulk_create(new, batch_size=500)
    if new:
        fresh = [a.code for a in new]
        for i in range(0, len(fresh), _CHUNK):
            ids.update(
                Area.objects.using(using)
                .filter(boundary_year=boundary_year, code__in=fresh[i : i + _CHUNK])
                .values_list("code", "id")
            )
        _link_parents(boundary_year, using)
    return ids, len(new)


def _link_parents(boundary_year: int, using: str) -> None:
    orphans = list(
        Area.objects.using(using)
        .filter(boundary_year=boundary_year, parent__isnull=True)
        .exclude(parent_code="")
        .values_list("id", "parent_code")
    )
    if not orphans:
        return
    parent_codes = sorted({p for _, p in orphans})
    parent_ids: dict[str, int] = {}
    for i in range(0, len(parent_codes), _CHUNK):
        parent_ids.update(
            Area.objects.using(using)
            .filter(boundary_year=boundary_year, code__in=parent_codes[i : i + _CHUNK])
            .values_list("code", "id")
        )
    by_parent: dict[int, list[int]] = {}
    for child, pcode in orphans:
        if pcode in parent_ids:
            by_parent.setdefault(parent_ids[pcode], []).append(child)
    for parent_id, children in by_parent.items():
        for i in range(0, len(children), _CHUNK):
            Area.objects.using(using).filter(id__in=children[i : i + _CHUNK]).update(
                parent_id=parent_id
            )


def _insert_rows(using: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
    """Insert observation rows the fast way for the engine: COPY on PostgreSQL, executemany else."""
    conn = connections[using]
    table = Observation._meta.db_table
    cols = ", ".join(conn.ops.quote_name(c) for c in columns)
    with conn.cursor() as cursor:
        if conn.vendor == "postgresql":
            raw = cursor.cursor  # the psycopg cursor under Django's wrapper
            with raw.copy(f"COPY {conn.ops.quote_name(table)} ({cols}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({cols}) VALUES ({marks})", rows)


def store_table(table: FigureTable, *, who: str = "cli", using: str = "default") -> StoreResult:
    """Store ``table`` atomically; a second import of the same file is a no-op."""
    existing = (
        ImportBatch.objects.using(using)
        .filter(kind=ImportBatch.Kind.FIGURES, sha256=table.sha256,
                boundary_year=table.boundary_year)
        .first()
    )
    if existing is not None:
        return StoreResult(existing.pk, False, existing.cells, 0)

    frame = table.frame
    with transaction.atomic(using=using):
        indicator_ids = _upsert_indicators(table.indicators.values(), using)
        names = frame.drop_duplicates("area_code")[["area_code", "area_name"]]
        area_ids, n_new = ensure_areas(
            list(zip(names["area_code"], names["area_name"], strict=True)),
            table.boundary_year, using,
        )
        batch = ImportBatch.objects.using(using).create(
            kind=ImportBatch.Kind.FIGURES, source=table.source, file_name=table.file,
            sha256=table.sha256, rows=int(frame["row"].nunique()), cells=len(frame),
            boundary_year=table.boundary_year, reader=table.reader, who=who,
            outcome="ok_with_warnings" if table.warnings else "ok",
            warnings=list(table.warnings),
        )
        area_col = frame["area_code"].map(area_ids)
        ind_col = frame["indicator"].map(indicator_ids)
        _delete_overlap(frame, area_col, ind_col, using)
        values = frame["value"].astype(object).where(frame["status"] == "ok", None)
        rows = list(
            zip(
                area_col.tolist(), ind_col.tolist(), frame["period"].tolist(),
                values.tolist(), frame["status"].tolist(), frame["source_column"].tolist(),
                [batch.pk] * len(frame),
                strict=True,
            )
        )
        _insert_rows(
            using,
            ["area_id", "indicator_id", "period", "value", "status", "source_column", "batch_id"],
            rows,
        )
    return StoreResult(batch.pk, True, len(frame), n_new)


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
