"""Comparisons for the area page, computed for one municipality and level, cached per data version.

A page never compares the whole country: like ``wijkbeeld profile``, it loads the figures of the
area's level in the area's municipality (plus the parent level for the ``parent`` reference;
all municipalities only for ``nl`` and ``peers``, and then only the chosen year) and runs
:func:`wijkbeeld.compare.compare_all` on them.

The result is cached at two levels, both keyed by (database, municipality, levels, year,
reference, data version):

* per process, a small least-recently-used cache (:class:`LruCache`): a hit costs nothing;
* shared by every process and app server, Django's cache ``"shared"`` (a database cache table,
  ``settings.CACHES``): what one gunicorn worker computed, the others read instead of recomputing.

The data version (:func:`import_stamp`: the highest :class:`ImportBatch` id, the number of batches,
the latest batch time, and the :class:`DataVersion` counter bumped by hand edits) is read with one
query per request, *before* any figures are read. Every import, deleted batch, restored backup and
admin edit changes it in the same transaction as the data, so a request that sees new data also
sees a new version: a key that was filled from older data is never asked for again, and no stale
result is ever served, whichever process filled it. Entries of an older version are dropped from
the local cache as soon as a newer one is seen; in the shared table they expire (``TIMEOUT``).
"""

from __future__ import annotations

import copyreg
import hashlib
import logging
import threading
import types
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from django.core.cache import caches
from django.db.models import Count, Max, Q, Subquery

from wijkbeeld.compare import CompareOptions, Comparison, Crosswalk, compare_all
from wijkbeeld.compare.options import ReferenceKind
from wijkbeeld.web.figures.loading import figures_frame
from wijkbeeld.web.figures.models import DataVersion, ImportBatch, Theme

__all__ = [
    "SHARED_CACHE",
    "ComparisonKey",
    "ImportStamp",
    "LruCache",
    "clear_caches",
    "comparison_for",
    "crosswalks_to",
    "import_stamp",
    "theme_names",
]


@dataclass(frozen=True)
class ImportStamp:
    """What the stored figures look like: changes with every import (or deleted batch)."""

    last_id: int
    batches: int
    last_time: str
    crosswalk_batches: int
    edits: int = 0


@dataclass(frozen=True)
class ComparisonKey:
    """One cached comparison: where the figures come from and how they are compared."""

    using: str
    municipality: str | None
    levels: tuple[str, ...]
    year: int | None
    reference: str
    stamp: ImportStamp


log = logging.getLogger(__name__)

#: The Django cache shared by all processes and servers (``settings.CACHES``).
SHARED_CACHE = "shared"
#: Part of every shared key: a new format of the cached objects never meets an old pickle.
_SHARED_FORMAT = "1"


def _mapping_proxy(items: dict[Any, Any]) -> types.MappingProxyType[Any, Any]:
    return types.MappingProxyType(items)


def _pickle_mapping_proxy(proxy: types.MappingProxyType[Any, Any]) -> tuple[Any, ...]:
    return (_mapping_proxy, (dict(proxy),))


# Comparisons hold read-only mappings (``MappingProxyType``), which pickle cannot store by
# itself; the shared cache stores them as the dict they wrap, read back read-only again.
copyreg.pickle(types.MappingProxyType, _pickle_mapping_proxy)


class LruCache:
    """A small thread-safe least-recently-used cache. Values are computed outside the lock (two
    requests may compute the same entry once each; both results are equal).

    With ``shared`` (a name), a local miss first asks the shared Django cache
    (:data:`SHARED_CACHE`) under a digest of the key, and a computed value is stored there too,
    so other processes and app servers find it. The key must carry the data version (see the
    module docstring); an unreachable shared cache only costs the computation."""

    def __init__(self, size: int, shared: str | None = None) -> None:
        self.size = size
        self.shared = shared
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0
        self.shared_hits = 0

    def _shared_key(self, key: Any) -> str:
        digest = hashlib.sha256(repr(key).encode()).hexdigest()
        return f"wijkbeeld:{_SHARED_FORMAT}:{wijkbeeld_version()}:{self.shared}:{digest}"

    def _from_shared(self, key: Any, compute: Callable[[], Any]) -> Any:
        if self.shared is None:
            return compute()
        name = self._shared_key(key)
        missing = object()
        try:
            value = caches[SHARED_CACHE].get(name, missing)
        except Exception as exc:  # a cache is an optimisation: never fail a page over it
            log.warning("shared cache %s unavailable: %s", self.shared, exc)
            return compute()
        if value is not missing:
            self.shared_hits += 1
            return value
        value = compute()
        try:
            caches[SHARED_CACHE].set(name, value)
        except Exception as exc:
            log.warning("shared cache %s not written: %s", self.shared, exc)
        return value

    def get(self, key: Any, compute: Callable[[], Any], stamp: ImportStamp) -> Any:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                self.hits += 1
                return self._items[key]
            self.misses += 1
            # A newer import makes every entry of an older stamp useless: drop them now.
            for old in [k for k in self._items if k[0].stamp != stamp]:
                del self._items[old]
        value = self._from_shared(key, compute)
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        """Empty the local cache (the shared one: :func:`clear_caches`)."""
        with self._lock:
            self._items.clear()
            self.hits = self.misses = self.shared_hits = 0

    def __len__(self) -> int:
        return len(self._items)


#: Comparisons (a municipality's level, all periods; or a wider set for one year).
COMPARISONS = LruCache(8, shared="comparison")
#: Per area the profile and its trend series (see :mod:`wijkbeeld.web.pages.area_profile`).
#: Local only: cut from a cached comparison in milliseconds, not worth a shared-cache write.
AREAS = LruCache(256)


def wijkbeeld_version() -> str:
    """The installed wijkbeeld version (part of every shared key: new code, new entries)."""
    import wijkbeeld

    return str(getattr(wijkbeeld, "__version__", "0"))


def clear_caches() -> None:
    """Empty the local caches of this process and the shared cache (tests, benchmarks)."""
    COMPARISONS.clear()
    AREAS.clear()
    try:
        caches[SHARED_CACHE].clear()
    except Exception as exc:
        log.warning("shared cache not cleared: %s", exc)


def import_stamp(using: str = "default") -> ImportStamp:
    """The current data version (one query; read it before reading any figures)."""
    edits = DataVersion.objects.using(using).filter(pk=1).values("counter")[:1]
    row = ImportBatch.objects.using(using).aggregate(
        last_id=Max("id"),
        batches=Count("id"),
        last_time=Max("created_at"),
        crosswalks=Count("id", filter=Q(kind=ImportBatch.Kind.CROSSWALK)),
        edits=Max(Subquery(edits)),
    )
    return ImportStamp(
        last_id=int(row["last_id"] or 0),
        batches=int(row["batches"]),
        last_time=str(row["last_time"] or ""),
        crosswalk_batches=int(row["crosswalks"]),
        edits=int(row["edits"] or 0),
    )


def _compute(key: ComparisonKey) -> Comparison:
    figures = figures_frame(
        municipality=key.municipality, level=list(key.levels), period=key.year, using=key.using
    )
    # Theme scores are computed per profile (for its own ranking group), as profile() does.
    options = CompareOptions(reference=cast(ReferenceKind, key.reference))
    return compare_all(figures, options, themes=False)


def comparison_for(key: ComparisonKey) -> Comparison:
    """The cached comparison for ``key`` (computed on a miss)."""
    result: Comparison = COMPARISONS.get((key,), lambda: _compute(key), key.stamp)
    return result


def theme_names(using: str = "default") -> dict[str, tuple[str, str]]:
    """Theme key → (Dutch name, English name), in the stored order (one query)."""
    return {
        key: (nl, en)
        for key, nl, en in Theme.objects.using(using).values_list("key", "name_nl", "name_en")
    }


def crosswalks_to(code: str, year: int, using: str = "default") -> tuple[Crosswalk, ...]:
    """The stored crosswalks that lead to ``code`` in boundary year ``year`` (one query), one
    per old boundary year. Only the rows ending in ``code`` are needed for its trends."""
    from wijkbeeld.web.areas.models import Crosswalk as CrosswalkRow

    rows = list(
        CrosswalkRow.objects.using(using)
        .filter(to_code=code, to_year=year)
        .values_list("from_year", "from_code", "to_code", "weight")
    )
    if not rows:
        return ()
    frame = pd.DataFrame(rows, columns=["from_year", "from_code", "to_code", "weight"])
    return tuple(
        Crosswalk(
            frame=frame.loc[frame["from_year"] == from_year, ["from_code", "to_code", "weight"]]
            .reset_index(drop=True),
            from_year=from_year,
            to_year=year,
        )
        for from_year in sorted({int(r[0]) for r in rows})
    )
