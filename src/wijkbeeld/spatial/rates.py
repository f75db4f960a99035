"""Counts with a base become rates before they are mapped or tested for hotspots (issue 21):
a big buurt has more households with a low income for being big, so mapping the count shows
size, not concentration.

:func:`smoothed_rates` divides the events by their base and, because a rate on a small base
jumps (one event in a buurt of 5 inhabitants is 20 %), shrinks every rate toward the overall
rate with esda's empirical-Bayes smoother (Marshall 1991): a rate on a large base hardly moves,
one on a small base moves much. Areas without a count or with a base of 0 stay missing.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

__all__ = ["RateResult", "smoothed_rates"]


@dataclass(frozen=True, eq=False)
class RateResult:
    """Rates by area (a share, 0–1) with the inputs they came from.

    ``raw``: events / base; ``rate``: the empirical-Bayes smoothed rate (``raw`` when
    ``smooth`` was off); ``events`` and ``base`` as given; ``method`` in words."""

    rate: pd.Series
    raw: pd.Series
    events: pd.Series
    base: pd.Series
    smooth: bool
    method: str


def smoothed_rates(events: pd.Series, base: pd.Series, *, smooth: bool = True) -> RateResult:
    """Rates of ``events`` per unit of ``base`` (both indexed by area code), smoothed with
    :class:`esda.smoothing.Empirical_Bayes` over the areas that have both (base > 0)."""
    base = base.reindex(events.index).astype("float64")
    events = events.astype("float64")
    usable = events.notna() & base.notna() & (base > 0)
    raw = pd.Series(np.nan, index=events.index, dtype="float64")
    raw[usable] = events[usable] / base[usable]
    rate = raw.copy()
    if smooth and int(usable.sum()) >= 2:
        from esda.smoothing import Empirical_Bayes  # lazy: esda is heavy to import

        e = events[usable].to_numpy(dtype="float64").reshape(-1, 1)
        b = base[usable].to_numpy(dtype="float64").reshape(-1, 1)
        rate[usable] = np.asarray(Empirical_Bayes(e, b).r, dtype="float64").ravel()
    method = ("aantal gedeeld door de basis, empirisch-Bayes-gladgestreken (esda)" if smooth
              else "aantal gedeeld door de basis")
    return RateResult(rate, raw, events, base, smooth, method)
