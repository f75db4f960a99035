"""Every area of the country compared, year by year: what a national instance (a province, a
ministry, a learning network of cities) computes after an import.

Each year is loaded (:func:`~wijkbeeld.web.figures.loading.figures_frame` for that year) and
compared (:func:`wijkbeeld.compare.compare_all`) on its own, which is exact because every
reference set, theme score and rank lies within one period
(:func:`wijkbeeld.compare.compare_by_period`), keeps one or two years in memory instead of ten,
and lets the years run on both cores (:func:`wijkbeeld.web.workers.map_in_workers`).

>>> for comparison in compare_country("neighbourhood", workers=2):  # doctest: +SKIP
...     keep(comparison.themes)
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from wijkbeeld.compare import CompareOptions, Comparison, compare_all
from wijkbeeld.web.figures.loading import figures_frame
from wijkbeeld.web.figures.models import Observation
from wijkbeeld.web.workers import map_in_workers

__all__ = ["compare_country", "stored_years"]


def stored_years(level: str, using: str = "default") -> list[str]:
    """The years with stored figures for areas of ``level``, oldest first."""
    periods = (Observation.objects.using(using).filter(area__level=level)
               .values_list("period", flat=True).distinct())
    return sorted({str(p)[:4] for p in periods})


@dataclass(frozen=True)
class _Task:
    level: str
    year: str
    options: CompareOptions
    using: str


def _compare_year(task: _Task) -> Comparison | None:
    figures = figures_frame(level=task.level, period=task.year, using=task.using)
    return compare_all(figures, task.options) if len(figures.frame) else None


def compare_country(
    level: str = "neighbourhood", options: CompareOptions | None = None, *,
    years: Sequence[str | int] | None = None, workers: int | None = 1, using: str = "default",
) -> Iterator[Comparison]:
    """One :class:`~wijkbeeld.compare.Comparison` per year (oldest first) of every stored area of
    ``level``, on ``workers`` processes (``None``: one per core). Years without figures are
    skipped."""
    options = options or CompareOptions()
    chosen = [str(y) for y in years] if years is not None else stored_years(level, using)
    tasks = [_Task(level, y, options, using) for y in chosen]
    for comparison in map_in_workers(_compare_year, tasks, workers=workers, using=using):
        if comparison is not None:
            yield comparison
