"""Backup commands: ``wijkbeeld backup FILE`` and ``wijkbeeld restore FILE``.

The whole database (``WIJKBEELD_DATABASE_URL``) goes to one portable file that restores on SQLite
or PostgreSQL; see :mod:`wijkbeeld.web.backup` and docs/operations.md.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from wijkbeeld.cli._common import django_ready, nl_number

__all__ = ["register"]


def _backup(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.backup import BackupError, backup

    if args.file.exists() and not args.force:
        print(f"fout: {args.file} bestaat al (gebruik --force om te overschrijven)",
              file=sys.stderr)
        return 2
    start = time.perf_counter()
    try:
        summary = backup(args.file)
    except BackupError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    print(f"{args.file}: backup van {nl_number(summary.rows)} rijen in {len(summary.tables)} "
          f"tabellen ({summary.engine}, {time.perf_counter() - start:.1f} s)")
    return 0


def _restore(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.backup import BackupError, restore

    start = time.perf_counter()
    try:
        summary = restore(args.file)
    except BackupError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    print(f"{args.file}: {nl_number(summary.rows)} rijen in {len(summary.tables)} tabellen "
          f"hersteld (backup van {summary.engine}, {time.perf_counter() - start:.1f} s)")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``backup`` and ``restore`` to the ``wijkbeeld`` parser."""
    b = sub.add_parser("backup", help="write the whole database to one portable file")
    b.add_argument("file", type=Path)
    b.add_argument("--force", action="store_true", help="overwrite an existing file")
    b.set_defaults(func=_backup)
    r = sub.add_parser("restore", help="restore a backup into an empty database")
    r.add_argument("file", type=Path)
    r.set_defaults(func=_restore)
