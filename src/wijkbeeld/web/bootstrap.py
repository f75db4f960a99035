"""Start Django from the CLI or a notebook and make sure the database exists and is migrated."""

from __future__ import annotations

import os

__all__ = ["ensure_database", "setup"]

_ready = False


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

    executor = MigrationExecutor(connections[using])
    targets = executor.loader.graph.leaf_nodes()
    if executor.migration_plan(targets):
        call_command("migrate", database=using, verbosity=verbosity, interactive=False)
