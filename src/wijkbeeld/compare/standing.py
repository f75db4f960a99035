"""Strengths that are always there (issue 19): besides figures clearly more favourable than the
reference, a theme whose score is clearly favourable is a strength too; when an area has
neither, the page says which themes come closest to the average instead of "no strengths".

A theme score is the signed mean of its figures' standard scores (higher = more favourable),
so the threshold is the compare bands' own: half a standard deviation (``gunstiger``). A theme
below it is never called a strength; the "closest to the average" are the highest-scoring
themes, which for an area with only unfavourable themes are the least unfavourable ones.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from wijkbeeld.compare.profile import ThemeResult

__all__ = ["ThemeStanding", "theme_standing"]


@dataclass(frozen=True)
class ThemeStanding:
    """``favourable``: themes scoring at least ``threshold``, best first; ``closest``: when
    there are none, up to ``n_closest`` themes with the highest scores (else empty)."""

    favourable: tuple[ThemeResult, ...]
    closest: tuple[ThemeResult, ...]
    threshold: float
    n_closest: int


def theme_standing(themes: Sequence[ThemeResult], *, threshold: float = 0.5,
                   n_closest: int = 2) -> ThemeStanding:
    """The favourable themes of a profile, or the ones closest to the average."""
    scored = sorted((t for t in themes if math.isfinite(t.score)),
                    key=lambda t: (-t.score, t.theme))
    favourable = tuple(t for t in scored if t.score >= threshold)
    closest = () if favourable else tuple(scored[:n_closest])
    return ThemeStanding(favourable, closest, threshold, n_closest)
