"""One comparison per period: the national set year by year instead of all years in one frame.

Every reference set (municipality, nl, parent, peers), every theme score, rank and strength is
computed within one period, so comparing each period on its own gives exactly the rows of one
:func:`~wijkbeeld.compare.compare_all` over all periods (``tests/compare/test_periods.py``), at a
tenth of the peak memory for ten years: the whole country over ten years is ten million result
rows with fifty columns, about 4 GB in one frame.

>>> from wijkbeeld.compare import compare_by_period
>>> # for comparison in compare_by_period(figures): store(comparison.themes)
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from wijkbeeld.compare.comparison import Comparison, compare_all
from wijkbeeld.compare.frame import Figures
from wijkbeeld.compare.options import CompareOptions

__all__ = ["compare_by_period"]


def compare_by_period(
    figures: Figures, options: CompareOptions | None = None, *, themes: bool = True
) -> Iterator[Comparison]:
    """Yield :func:`compare_all` of each period's figures, oldest period first; each
    :class:`Comparison` keeps its own period's figures. Drop one before taking the next to keep
    only one period in memory."""
    period = figures.frame["period"]
    codes = np.asarray(period.cat.codes if hasattr(period, "cat") else
                       period.astype("category").cat.codes)
    labels = (period.cat.categories if hasattr(period, "cat")
              else period.astype("category").cat.categories)
    for code in np.argsort(np.asarray(labels, dtype=str), kind="stable"):
        mask = codes == code
        if mask.any():
            yield compare_all(figures.restrict(mask), options, themes=themes)
