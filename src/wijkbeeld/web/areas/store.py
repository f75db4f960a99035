"""Store checked :class:`Boundaries` and :class:`Crosswalk` objects: all of a file, or none of it.

Areas are known by (code, boundary year), whichever file brings them first. Boundaries create the
areas that are not known yet and attach their shapes to the ones that are (say, created by a
figures import); figures imported later find the areas already there. Parents are linked by code
within the boundary year as soon as both exist. Names already stored (from CBS figures) are kept;
a boundary file only fills in missing names. An area whose feature has no shape keeps whatever
shape it had.

Importing the same file again changes nothing: a boundary batch is known by sha256 and boundary
year, a crosswalk batch by sha256 and its year pairs. A newer crosswalk for the same old areas and
years replaces their earlier mappings.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from django.db import connections, transaction

from wijkbeeld.areas.crosswalk import Crosswalk
from wijkbeeld.areas.geometry import Boundaries
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.areas.models import Crosswalk as CrosswalkRow
from wijkbeeld.web.figures.models import ImportBatch
from wijkbeeld.web.figures.store import ensure_areas

__all__ = ["BoundariesResult", "CrosswalkResult", "store_boundaries", "store_crosswalk"]

_CHUNK = 900  # below SQLite's host-parameter limit for IN (...) lists


def _size(chars: int) -> str:
    return f"{chars / 1_000_000:.1f} MB".replace(".", ",") if chars >= 100_000 else (
        f"{chars / 1000:.0f} kB"
    )


@dataclass(frozen=True)
class BoundariesResult:
    """What :func:`store_boundaries` did."""

    file: str
    year: int
    batch_id: int
    created: bool
    areas: int
    areas_created: int
    with_geometry: int
    size_full: int
    size_web: int
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the command line, in Dutch."""
        name = Path(self.file).name
        if not self.created:
            return f"{name}: al eerder geïmporteerd (batch {self.batch_id}), niets gewijzigd"
        saved = 1 - self.size_web / self.size_full if self.size_full else 0.0
        lines = [
            f"{name}: {self.areas} gebieden (indeling {self.year}), "
            f"{self.with_geometry} met grens, {self.areas_created} nieuw (batch {self.batch_id}); "
            f"webversie {_size(self.size_full)} → {_size(self.size_web)} (−{saved:.0%})"
        ]
        lines += _warning_lines(self.warnings)
        return "\n".join(lines)


def _warning_lines(warnings: tuple[str, ...], shown: int = 10) -> list[str]:
    lines = [f"waarschuwing: {w}" for w in warnings[:shown]]
    if len(warnings) > shown:
        lines.append(f"... en nog {len(warnings) - shown} waarschuwingen (zie de importbatch)")
    return lines


@dataclass(frozen=True)
class CrosswalkResult:
    """What :func:`store_crosswalk` did."""

    file: str
    batch_id: int
    created: bool
    pairs: int
    replaced: int
    year_pairs: tuple[tuple[int, int], ...]
    warnings: tuple[str, ...] = ()

    def summary(self) -> str:
        """One line for the command line, in Dutch."""
        name = Path(self.file).name
        if not self.created:
            return f"{name}: al eerder geïmporteerd (batch {self.batch_id}), niets gewijzigd"
        years = ", ".join(f"{a} → {b}" for a, b in self.year_pairs)
        lines = [f"{name}: {self.pairs} koppelingen {years} geïmporteerd (batch {self.batch_id})"
                 + (f", {self.replaced} oudere vervangen" if self.replaced else "")]
        lines += _warning_lines(self.warnings)
        return "\n".join(lines)


def store_boundaries(
    boundaries: Boundaries, *, who: str = "cli", using: str = "default"
) -> BoundariesResult:
    """Store ``boundaries`` in one transaction; a second import of the same file is a no-op."""
    b = boundaries
    frame = b.frame
    existing = (
        ImportBatch.objects.using(using)
        .filter(kind=ImportBatch.Kind.AREAS, sha256=b.sha256, boundary_year=b.year)
        .first()
    )
    if existing is not None:
        return BoundariesResult(b.file, b.year, existing.pk, False, len(frame), 0,
                                b.n_with_geometry, b.size_full, b.size_web)
    codes = [str(c) for c in frame["code"]]
    max_name = Area._meta.get_field("name").max_length or 200
    names = [str(n)[:max_name] for n in frame["name"]]
    with transaction.atomic(using=using):
        ids, n_new = ensure_areas(list(zip(codes, names, strict=True)), b.year, using)
        batch = ImportBatch.objects.using(using).create(
            kind=ImportBatch.Kind.AREAS, source=Path(b.file).name, file_name=b.file,
            sha256=b.sha256, rows=b.n_features, cells=b.n_with_geometry, boundary_year=b.year,
            reader=f"boundaries-{b.reader}", who=who,
            outcome="ok_with_warnings" if b.warnings else "ok", warnings=list(b.warnings),
        )
        shapes = [
            (full, web, batch.pk, ids[code])
            for code, full, web in zip(codes, frame["geojson"], frame["geojson_web"], strict=True)
            if full
        ]
        _write_shapes(shapes, using)
        _fill_names([(name, ids[code]) for code, name in zip(codes, names, strict=True) if name],
                    using)
    return BoundariesResult(b.file, b.year, batch.pk, True, len(frame), n_new,
                            b.n_with_geometry, b.size_full, b.size_web, b.warnings)


def _write_shapes(rows: list[tuple[str, str, int, int]], using: str) -> None:
    conn = connections[using]
    q = conn.ops.quote_name
    sql = (
        f"UPDATE {q(Area._meta.db_table)} SET {q('geometry')} = %s, {q('geometry_web')} = %s, "
        f"{q('geometry_batch_id')} = %s WHERE {q('id')} = %s"
    )
    with conn.cursor() as cursor:
        cursor.executemany(sql, rows)


def _fill_names(rows: list[tuple[str, int]], using: str) -> None:
    conn = connections[using]
    q = conn.ops.quote_name
    sql = (f"UPDATE {q(Area._meta.db_table)} SET {q('name')} = %s "
           f"WHERE {q('id')} = %s AND {q('name')} = ''")
    with conn.cursor() as cursor:
        cursor.executemany(sql, rows)


def store_crosswalk(
    crosswalk: Crosswalk, *, who: str = "cli", using: str = "default"
) -> CrosswalkResult:
    """Store ``crosswalk`` in one transaction; a second import of the same file is a no-op.

    Earlier mappings of the same old areas between the same years are replaced, so weights from
    an older file never add up with the new ones.
    """
    cw = crosswalk
    frame = cw.frame
    pairs = tuple(cw.year_pairs)
    # The same file read with other years (``--from-year``) is another import: the years are
    # part of the key, kept in ``reader``; ``boundary_year`` stays empty for crosswalks.
    reader = (f"crosswalk-{cw.reader} " + ",".join(f"{a}-{b}" for a, b in pairs))[:60]
    existing = (
        ImportBatch.objects.using(using)
        .filter(kind=ImportBatch.Kind.CROSSWALK, sha256=cw.sha256, reader=reader)
        .first()
    )
    if existing is not None:
        return CrosswalkResult(cw.file, existing.pk, False, len(frame), 0, pairs)
    with transaction.atomic(using=using):
        batch = ImportBatch.objects.using(using).create(
            kind=ImportBatch.Kind.CROSSWALK, source=Path(cw.file).name, file_name=cw.file,
            sha256=cw.sha256, rows=len(frame), cells=len(frame), boundary_year=None,
            reader=reader, who=who,
            outcome="ok_with_warnings" if cw.warnings else "ok", warnings=list(cw.warnings),
        )
        replaced = 0
        for from_year, to_year in pairs:
            part = frame[(frame["from_year"] == from_year) & (frame["to_year"] == to_year)]
            old = sorted(set(part["from_code"]))
            for i in range(0, len(old), _CHUNK):
                replaced += CrosswalkRow.objects.using(using).filter(
                    from_year=from_year, to_year=to_year, from_code__in=old[i : i + _CHUNK]
                ).delete()[0]
        CrosswalkRow.objects.using(using).bulk_create(
            [
                CrosswalkRow(from_code=fc, from_year=int(fy), to_code=tc, to_year=int(ty),
                             weight=float(w), batch_id=batch.pk)
                for fc, fy, tc, ty, w in frame[
                    ["from_code", "from_year", "to_code", "to_year", "weight"]
                ].itertuples(index=False)
            ],
            batch_size=500,
        )
    return CrosswalkResult(cw.file, batch.pk, True, len(frame), replaced, pairs, cw.warnings)
