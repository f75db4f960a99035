"""Start Django from the CLI or a notebook and make sure the database exists and is migrated."""

from __future__ import annotations

import os

__all__ = ["ensure_database", "setup"]

_ready = False
_MIGRATE_LOCK = 0x77696A6B  # "wijk": one advisory lock id for migrations


def setup(settings_module: str = "wijkbeeld.web.settings") -> None:
    """Configure Django once per process."""
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", settings_module)
    import django

    django.setup()
    _ready = True


def ensure_database(using: str = "default", verbosity: int = 0) -> None:
    """Create and migrate the database when it is new or behind; cheap when it is current."""
    setup()
    from django.core.management import call_command
    from django.db import connections
    from django.db.migrations.executor import MigrationExecutor

    connection = connections[using]
    executor = MigrationExecutor(connection)
    targets = executor.loader.graph.leaf_nodes()
    if not executor.migration_plan(targets):
        return
    if connection.vendor == "postgresql":
        # Two commands started at once on a new database must not both migrate it.
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [_MIGRATE_LOCK])
            try:
                call_command("migrate", database=using, verbosity=verbosity, interactive=False)
            finally:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [_MIGRATE_LOCK])
    else:
        call_command("migrate", database=using, verbosity=verbosity, interactive=False)
