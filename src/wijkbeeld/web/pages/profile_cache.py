"""Comparisons for the area page, computed for one municipality and level and kept per process.

A page never compares the whole country: like ``wijkbeeld profile``, it loads the figures of the
area's level in the area's municipality (plus the parent level for the ``parent`` reference;
all municipalities only for ``nl`` and ``peers``, and then only the chosen year) and runs
:func:`wijkbeeld.compare.compare_all` on them. The result is kept in a small least-recently-used
cache keyed by (database, municipality, levels, year, reference, import stamp). The import stamp
(:func:`import_stamp`: the highest :class:`ImportBatch` id, the number of batches and the latest
batch time) changes with every import or deleted batch, so a new import is never served stale
figures; entries of an older stamp are dropped as soon as a newer one is seen.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, cast

import pandas as pd
from django.db.models import Count, Max, Q

from wijkbeeld.compare import CompareOptions, Comparison, Crosswalk, compare_all
from wijkbeeld.compare.options import ReferenceKind
from wijkbeeld.web.figures.loading import figures_frame
from wijkbeeld.web.figures.models import ImportBatch, Theme

__all__ = [
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


@dataclass(frozen=True)
class ComparisonKey:
    """One cached comparison: where the figures come from and how they are compared."""

    using: str
    municipality: str | None
    levels: tuple[str, ...]
    year: int | None
    reference: str
    stamp: ImportStamp


class LruCache:
    """A small thread-safe least-recently-used cache. Values are computed outside the lock (two
    requests may compute the same entry once each; both results are equal)."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[Any, Any] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

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
        value = compute()
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return value

    def clear(self) -> None:
        with self._lock:
            self._items.clear()
            self.hits = self.misses = 0

    def __len__(self) -> int:
        return len(self._items)


#: Comparisons (a municipality's level, all periods; or a wider set for one year).
COMPARISONS = LruCache(8)
#: Per area the profile and its trend series (see :mod:`wijkbeeld.web.pages.area_profile`).
AREAS = LruCache(256)


def clear_caches() -> None:
    """Empty both caches (tests; or after changing figures outside an import)."""
    COMPARISONS.clear()
    AREAS.clear()


def import_stamp(using: str = "default") -> ImportStamp:
    """The current import stamp (one query)."""
    row = ImportBatch.objects.using(using).aggregate(
        last_id=Max("id"),
        batches=Count("id"),
        last_time=Max("created_at"),
        crosswalks=Count("id", filter=Q(kind=ImportBatch.Kind.CROSSWALK)),
    )
    return ImportStamp(
        last_id=int(row["last_id"] or 0),
        batches=int(row["batches"]),
        last_time=str(row["last_time"] or ""),
        crosswalk_batches=int(row["crosswalks"]),
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
