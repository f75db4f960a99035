"""Builders of constructed rounds for the urgency tests (plain rows, no code under test)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import pandas as pd

from wijkbeeld.urgency import RoundInfo

AREA = "WK0363NP"
ROUNDS = (RoundInfo("2023-voorjaar", date(2023, 3, 1)),
          RoundInfo("2024-voorjaar", date(2024, 3, 1)))


def answers(
    round_key: str,
    theme: str,
    group: str,
    ratings: Sequence[int | None],
    recognition: Sequence[str | None] | None = None,
    *,
    area: str = AREA,
    organisation: str = "",
) -> list[dict[str, Any]]:
    """One row per respondent of ``group`` with the given ratings (None = weet niet)."""
    recog = list(recognition) if recognition is not None else [None] * len(ratings)
    assert len(recog) == len(ratings)
    return [
        {"round": round_key, "area_code": area, "theme": theme, "group": group, "rating": r,
         "recognition": c, "organisation_type": organisation,
         "respondent": f"{round_key}-{area}-{group}-{i}"}
        for i, (r, c) in enumerate(zip(ratings, recog, strict=True))
    ]


def frame(*parts: Iterable[dict[str, Any]]) -> pd.DataFrame:
    """The rows of several ``answers`` calls as one frame."""
    return pd.DataFrame([row for part in parts for row in part])


def figures(rows: Iterable[tuple[str, str, int, float | None]]) -> pd.DataFrame:
    """A figures table from (area, theme, year, score) tuples."""
    return pd.DataFrame(list(rows), columns=["area_code", "theme", "year", "score"])
