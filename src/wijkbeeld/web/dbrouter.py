"""Send the read-only area and figure queries to PostgreSQL read replicas, everything else to the
primary (``WIJKBEELD_DATABASE_REPLICA_URLS``, see docs/deploy.md).

Only reads of the ``areas`` and ``figures`` apps go to a replica, and only those that do not name a
database themselves: sessions, users, login throttling, voices, rounds, answers, the agenda and the
cache tables are read where they are written, so a login or an answer is never missed because a
replica lags. The cached comparisons, profiles and hotspots read their data version and their
figures from the primary (``using="default"``, :mod:`wijkbeeld.web.pages.profile_cache`), so a
lagging replica can never put old figures under a new data version. A process keeps one replica
(chosen by its process id): its own reads never go back in time.
"""

from __future__ import annotations

import os
from typing import Any

__all__ = ["REPLICA_APPS", "ReplicaRouter", "replica_aliases"]

#: Apps whose reads may go to a replica: written only by imports, read by every page.
REPLICA_APPS = frozenset({"areas", "figures"})


def replica_aliases(databases: dict[str, Any]) -> list[str]:
    """The replica aliases configured (``replica_1``, ``replica_2``, ... in DATABASES)."""
    return sorted(a for a in databases if a.startswith("replica_"))


class ReplicaRouter:
    """Django database router: reads of :data:`REPLICA_APPS` to this process's replica."""

    def __init__(self) -> None:
        from django.conf import settings

        replicas = replica_aliases(settings.DATABASES)
        self.replica = replicas[os.getpid() % len(replicas)] if replicas else None

    def db_for_read(self, model: type[Any], **hints: Any) -> str | None:
        if self.replica and model._meta.app_label in REPLICA_APPS and "instance" not in hints:
            return self.replica
        return None  # Django's choice: the primary, or the database of a related instance

    def db_for_write(self, model: type[Any], **hints: Any) -> str | None:
        return None

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        return True  # replicas hold the same data as the primary

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return not db.startswith("replica_")  # replicas copy the primary's schema
