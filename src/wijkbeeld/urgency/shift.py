"""The shift after the picture: how a group's urgency changes once it has seen the figures.

The respondent form asks before it shows (DESIGN.md §6, issue 17): every theme is first rated
*blind*, then the respondent sees the picture (figures, map, what others said) in neutral words,
says whether it is recognised and rates again. The blind rating is the urgency measure
(:func:`~wijkbeeld.urgency.measures.measure` reads the ``rating`` column, which holds it); the
rating after the picture is kept apart, and the difference is its own signal: a picture that
persuades, or that tells the group something it did not know.

Per round × area × theme × group, over the respondents who gave a number both times ("weet
niet" on either side leaves the pair out):

* ``mean_before`` and ``mean_after``: the means of the paired blind and later ratings;
* ``mean_shift`` = mean_after − mean_before (the mean of the per-respondent differences);
* ``share_urgent_before`` / ``share_urgent_after``: the shares rating ``urgent_from`` or more;
* ``changes``: |mean_shift| ≥ ``options.shift_signal`` ("het beeld verandert de urgentie").

Small numbers: with fewer than ``min_n`` pairs the cell is withheld and carries no number at all,
not even its count (a count of 3 next to a visible total would give the group away).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

from wijkbeeld.urgency.options import GROUP_LABELS, GROUPS, UrgencyOptions

__all__ = ["SHIFT_COLUMNS", "PictureShift", "picture_shifts"]

#: The columns :func:`picture_shifts` reads (one row per respondent × theme).
SHIFT_COLUMNS: tuple[str, ...] = (
    "round", "area_code", "theme", "group", "respondent", "rating", "rating_after",
)


@dataclass(frozen=True)
class PictureShift:
    """The change of one group's urgency after the picture (withheld: every number None)."""

    round: str
    area_code: str
    theme: str
    group: str
    withheld: bool
    n: int | None
    mean_before: float | None
    mean_after: float | None
    mean_shift: float | None
    share_urgent_before: float | None
    share_urgent_after: float | None
    changes: bool | None
    options: UrgencyOptions

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready; a withheld cell says only that it is withheld."""
        return {
            "round": self.round, "area_code": self.area_code, "theme": self.theme,
            "group": self.group, "label": GROUP_LABELS.get(self.group, self.group),
            "withheld": self.withheld, "n": self.n, "mean_before": self.mean_before,
            "mean_after": self.mean_after, "mean_shift": self.mean_shift,
            "share_urgent_before": self.share_urgent_before,
            "share_urgent_after": self.share_urgent_after, "changes": self.changes,
        }


def _cell(key: tuple[str, str, str, str], before: list[float], after: list[float],
          options: UrgencyOptions) -> PictureShift:
    n = len(before)
    if n < options.min_n:
        return PictureShift(*key, withheld=True, n=None, mean_before=None, mean_after=None,
                            mean_shift=None, share_urgent_before=None, share_urgent_after=None,
                            changes=None, options=options)
    mb, ma = math.fsum(before) / n, math.fsum(after) / n
    shift = math.fsum(a - b for a, b in zip(after, before, strict=True)) / n
    return PictureShift(
        *key, withheld=False, n=n, mean_before=mb, mean_after=ma, mean_shift=shift,
        share_urgent_before=sum(b >= options.urgent_from for b in before) / n,
        share_urgent_after=sum(a >= options.urgent_from for a in after) / n,
        # a tolerance, so a shift of exactly the threshold (0.5 from floats) counts
        changes=abs(shift) >= options.shift_signal - 1e-9, options=options,
    )


def picture_shifts(
    frame: pd.DataFrame, options: UrgencyOptions | None = None
) -> tuple[PictureShift, ...]:
    """One :class:`PictureShift` per round × area × theme × group present in ``frame``
    (columns :data:`SHIFT_COLUMNS`; ratings 1..A or NaN), groups in :data:`GROUPS` order."""
    options = options or UrgencyOptions()
    missing = [c for c in SHIFT_COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"picture_shifts needs the columns {', '.join(missing)}")
    pairs: dict[tuple[str, str, str, str], tuple[list[float], list[float]]] = {}
    for rnd, area, theme, group, before, after in zip(
        frame["round"].astype(str), frame["area_code"].astype(str), frame["theme"].astype(str),
        frame["group"].astype(str), pd.to_numeric(frame["rating"], errors="coerce"),
        pd.to_numeric(frame["rating_after"], errors="coerce"), strict=True,
    ):
        cell = pairs.setdefault((rnd, area, theme, group), ([], []))
        if math.isnan(before) or math.isnan(after):
            continue
        cell[0].append(float(before))
        cell[1].append(float(after))
    order = {g: i for i, g in enumerate(GROUPS)}
    keys = sorted(pairs, key=lambda k: (k[0], k[1], k[2], order.get(k[3], len(order)), k[3]))
    return tuple(_cell(k, *pairs[k], options) for k in keys)
