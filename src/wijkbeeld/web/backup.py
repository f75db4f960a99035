"""Back up the whole database to one portable file and restore it, on SQLite or PostgreSQL.

The file is a ZIP archive:

* ``manifest.json``: format name and version, the wijkbeeld version, the source engine, the
  applied migrations (the schema the rows fit), and per table its model, columns, row count and
  the SHA-256 of its data member;
* ``data/<app_label>.<model>.jsonl``: one JSON array per row, values in the manifest's column
  order (dates and times as ISO 8601, binary as base64). Rows are streamed in primary-key order,
  so the 600,000-row observation fact table never sits in memory.

Every concrete model of every installed app is in it (users with their password *hashes*,
invitation token *hashes*, GeoJSON geometry, the audit log, the M2M tables), except the sessions:
a restored site starts without logged-in sessions. Tables without a model (the shared page cache)
are not data and are left out; the migrations table is recorded in the manifest. Primary keys are
kept, so every reference stays valid and a backup of a restored database equals the original row
for row.

:func:`restore` writes only into an *empty* database (migrated, no rows except Django's content
types and permissions, which it replaces by the backup's own so their ids match) and only a
backup of the same schema. It checks the whole file first (manifest, every checksum and row
count), then writes everything in one transaction and checks the foreign keys before commit: a
damaged or wrong file gives :class:`BackupError` and leaves the database untouched.
"""

from __future__ import annotations

import base64
import datetime as dt
import decimal
import hashlib
import io
import json
import uuid
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.color import no_style
from django.db import IntegrityError, connections, models, transaction
from django.db.migrations.recorder import MigrationRecorder

import wijkbeeld

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "BackupError",
    "BackupSummary",
    "TableSummary",
    "backed_up_models",
    "backup",
    "read_rows",
    "restore",
]

FORMAT = "wijkbeeld-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
#: Models never backed up: logged-in sessions are not data worth carrying to another server.
EXCLUDED = frozenset({"sessions.session"})
#: Rows Django creates itself on migrate (and the data-version counter, which any write bumps);
#: restore replaces them instead of refusing.
REPLACED = ("contenttypes.contenttype", "auth.permission", "figures.dataversion")
_BATCH = 2000


class BackupError(ValueError):
    """The backup cannot be written or restored (message in Dutch, says what to do)."""


@dataclass(frozen=True)
class TableSummary:
    """One table in a backup: model label, row count and SHA-256 of its data member."""

    label: str
    rows: int
    sha256: str


@dataclass(frozen=True)
class BackupSummary:
    """What :func:`backup` wrote or :func:`restore` read: the file and every table in it."""

    path: Path
    engine: str
    tables: tuple[TableSummary, ...]

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)


def backed_up_models() -> list[type[models.Model]]:
    """Every concrete, managed model (M2M tables included) except :data:`EXCLUDED`, sorted."""
    found = [
        m for m in apps.get_models(include_auto_created=True)
        if m._meta.managed and not m._meta.proxy and m._meta.label_lower not in EXCLUDED
    ]
    return sorted(found, key=lambda m: m._meta.label_lower)


def _columns(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    return list(model._meta.concrete_fields)


def _to_json(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return value


def _applied_migrations(using: str) -> list[str]:
    recorder = MigrationRecorder(connections[using])
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


def backup(path: Path, *, using: str = "default") -> BackupSummary:
    """Write the whole database ``using`` to ``path`` (a new ZIP file, see the module doc)."""
    path = Path(path)
    connection = connections[using]
    tables: list[dict[str, Any]] = []
    summaries: list[TableSummary] = []
    tmp = path.with_name(path.name + ".part")
    outermost = not connection.in_atomic_block
    try:
        with transaction.atomic(using=using), zipfile.ZipFile(
            tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=6
        ) as zf:
            if connection.vendor == "postgresql" and outermost:
                # One snapshot for every table: a consistent backup of a live site.
                with connection.cursor() as cursor:
                    cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            for model in backed_up_models():
                label = model._meta.label_lower
                fields = _columns(model)
                member = f"data/{label}.jsonl"
                digest = hashlib.sha256()
                count = 0
                qs = (model._base_manager.using(using).order_by("pk")
                      .values_list(*[f.attname for f in fields]))
                with zf.open(member, "w", force_zip64=True) as raw:
                    out = io.BufferedWriter(raw, buffer_size=1 << 20)  # type: ignore[arg-type]
                    for row in qs.iterator(chunk_size=_BATCH):
                        line = (json.dumps([_to_json(v) for v in row], ensure_ascii=False,
                                           separators=(",", ":")) + "\n").encode("utf-8")
                        digest.update(line)
                        out.write(line)
                        count += 1
                    out.flush()
                tables.append({"label": label, "table": model._meta.db_table,
                               "file": member, "columns": [f.attname for f in fields],
                               "rows": count, "sha256": digest.hexdigest()})
                summaries.append(TableSummary(label, count, digest.hexdigest()))
            manifest = {
                "format": FORMAT, "format_version": FORMAT_VERSION,
                "wijkbeeld_version": wijkbeeld.__version__,
                "created_at": dt.datetime.now(dt.UTC).isoformat(), "engine": connection.vendor,
                "migrations": _applied_migrations(using), "tables": tables,
            }
            zf.writestr(MANIFEST, json.dumps(manifest, indent=1, ensure_ascii=False))
        tmp.replace(path)
    finally:
        tmp.unlink(missing_ok=True)
    return BackupSummary(path, connection.vendor, tuple(summaries))


def _damaged(path: Path, why: str) -> BackupError:
    return BackupError(f"{path}: backup beschadigd of geen wijkbeeld-backup ({why}); "
                       "niets hersteld")


def _manifest(zf: zipfile.ZipFile, path: Path) -> dict[str, Any]:
    try:
        manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
    except KeyError as exc:
        raise _damaged(path, f"{MANIFEST} ontbreekt") from exc
    except (ValueError, zipfile.BadZipFile, zlib.error) as exc:
        raise _damaged(path, f"{MANIFEST} onleesbaar: {exc}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _damaged(path, "onbekend formaat")
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(f"{path}: backupformaat versie {manifest.get('format_version')} wordt "
                          f"niet ondersteund (deze versie leest {FORMAT_VERSION}); niets hersteld")
    return manifest


def _lines(zf: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    with zf.open(member) as fh:
        yield from io.BufferedReader(fh, buffer_size=1 << 20)  # type: ignore[arg-type]


def _verify(zf: zipfile.ZipFile, manifest: dict[str, Any], path: Path) -> None:
    """Every member present, its SHA-256 and row count as in the manifest (reads all of it)."""
    for table in manifest["tables"]:
        member = table["file"]
        digest = hashlib.sha256()
        count = 0
        try:
            for line in _lines(zf, member):
                digest.update(line)
                count += 1
        except KeyError as exc:
            raise _damaged(path, f"{member} ontbreekt") from exc
        except (zipfile.BadZipFile, zlib.error, OSError, EOFError) as exc:
            raise _damaged(path, f"{member}: {exc}") from exc
        if digest.hexdigest() != table["sha256"] or count != table["rows"]:
            raise _damaged(path, f"{member}: controlegetal of aantal rijen klopt niet "
                                 f"({count} rijen, verwacht {table['rows']})")


def read_rows(path: Path) -> dict[str, list[list[Any]]]:
    """All rows of a backup per model label, decoded (for comparing two backups in tests)."""
    path = Path(path)
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _manifest(zf, path)
            _verify(zf, manifest, path)
            return {t["label"]: [json.loads(line) for line in _lines(zf, t["file"])]
                    for t in manifest["tables"]}
    except zipfile.BadZipFile as exc:
        raise _damaged(path, str(exc)) from exc


def _check_target(manifest: dict[str, Any], using: str, path: Path) -> list[type[models.Model]]:
    """The models of the backup in the target; refuse another schema or a non-empty database."""
    if manifest["migrations"] != _applied_migrations(using):
        raise BackupError(
            f"{path}: de backup hoort bij een ander databaseschema (andere migraties) dan deze "
            "installatie; herstel met dezelfde wijkbeeld-versie als waarmee de backup is gemaakt; "
            "niets hersteld")
    by_label = {m._meta.label_lower: m for m in backed_up_models()}
    labels = [t["label"] for t in manifest["tables"]]
    if sorted(labels) != sorted(by_label):
        raise BackupError(f"{path}: de tabellen in de backup passen niet bij deze installatie; "
                          "niets hersteld")
    for table in manifest["tables"]:
        want = [f.attname for f in _columns(by_label[table["label"]])]
        if table["columns"] != want:
            raise BackupError(f"{path}: kolommen van {table['label']} passen niet; niets hersteld")
    filled = [(label, n) for label, m in by_label.items() if label not in REPLACED
              and (n := m._base_manager.using(using).count())]
    if filled:
        shown = ", ".join(f"{label} ({n} rijen)" for label, n in filled[:5])
        raise BackupError(
            "herstellen kan alleen in een lege database; deze bevat al gegevens: "
            f"{shown}{' …' if len(filled) > 5 else ''}. Maak een nieuwe, lege database "
            "(WIJKBEELD_DATABASE_URL) en herstel daarin; niets hersteld")
    return [by_label[label] for label in labels]


def _insert(using: str, model: type[models.Model], rows: Iterator[list[Any]]) -> None:
    """Insert decoded rows: COPY on PostgreSQL, executemany in batches elsewhere."""
    connection = connections[using]
    fields = _columns(model)
    table = connection.ops.quote_name(model._meta.db_table)
    cols = ", ".join(connection.ops.quote_name(f.column) for f in fields)

    def prepared() -> Iterator[list[Any]]:
        for row in rows:
            yield [f.get_db_prep_save(f.to_python(v), connection)
                   for f, v in zip(fields, row, strict=True)]

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({cols}) FROM STDIN") as copy:
                for values in prepared():
                    copy.write_row(values)
            return
        sql = f"INSERT INTO {table} ({cols}) VALUES ({', '.join(['%s'] * len(fields))})"
        batch: list[list[Any]] = []
        for values in prepared():
            batch.append(values)
            if len(batch) >= _BATCH:
                cursor.executemany(sql, batch)
                batch = []
        if batch:
            cursor.executemany(sql, batch)


def restore(path: Path, *, using: str = "default") -> BackupSummary:
    """Restore the backup at ``path`` into the empty database ``using`` (all or nothing)."""
    path = Path(path)
    if not path.is_file():
        raise BackupError(f"{path}: bestand niet gevonden")
    connection = connections[using]
    try:
        with zipfile.ZipFile(path) as zf:
            manifest = _manifest(zf, path)
            _verify(zf, manifest, path)
            order = _check_target(manifest, using, path)
            with transaction.atomic(using=using):
                from django.contrib.contenttypes.models import ContentType

                # Django's own rows, created on migrate, make way for the backup's (same ids).
                ContentType.objects.using(using).all().delete()
                apps.get_model("figures", "DataVersion").objects.using(using).all().delete()
                for model, table in zip(order, manifest["tables"], strict=True):
                    lines = (json.loads(line) for line in _lines(zf, table["file"]))
                    _insert(using, model, lines)
                if connection.vendor == "postgresql":
                    with connection.cursor() as cursor:
                        for sql in connection.ops.sequence_reset_sql(no_style(), order):
                            cursor.execute(sql)
                connection.check_constraints(
                    table_names=[m._meta.db_table for m in order])
            ContentType.objects.clear_cache()
    except zipfile.BadZipFile as exc:
        raise _damaged(path, str(exc)) from exc
    except IntegrityError as exc:
        raise _damaged(path, f"verwijzingen kloppen niet: {exc}") from exc
    except (ValueError, TypeError) as exc:
        if isinstance(exc, BackupError):
            raise
        raise _damaged(path, f"{type(exc).__name__}: {exc}") from exc
    tables = tuple(TableSummary(t["label"], t["rows"], t["sha256"]) for t in manifest["tables"])
    return BackupSummary(path, str(manifest.get("engine", "")), tables)

