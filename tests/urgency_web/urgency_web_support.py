"""Helpers for the rounds app tests: real Amsterdam areas (code and name read from the raw KWB
file with the csv module), a round with invitations, and answers built by hand."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.urgency.models import Round
from wijkbeeld.web.urgency.services import ThemeAnswer, create_invitations, open_round

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
THEMES = ["veiligheid", "wonen"]


def kwb_wijken(raw: Path) -> dict[str, str]:
    """Wijk code → name, straight from the raw KWB 2024 file (first column is the name)."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return {r["Area_Code"].strip(): r["District_Type"].strip()
            for r in rows if r["Area_Code"].strip().startswith("WK")}


def store_wijk(raw: Path, code: str, using: str = "default") -> str:
    """Store one real wijk (with its gemeente) in boundary year 2024; returns its name."""
    name = kwb_wijken(raw)[code]
    ensure_areas([("GM0363", "Amsterdam"), (code, name)], 2024, using=using)
    return name


def make_round(raw: Path, key: str = "2024-voorjaar", code: str = "WK0363AF",
               using: str = "default", held_on: date = date(2024, 4, 1)) -> Round:
    store_wijk(raw, code, using)
    return open_round(key, [code], THEMES, held_on, using=using)


def invite(rnd: Round, group: str = "residents", count: int = 1,
           using: str = "default") -> list[str]:
    return create_invitations(rnd, group, count, using=using)


def answers(veiligheid: int | None, wonen: int | None, recognition: str | None = "ja",
            comment: str = "") -> list[ThemeAnswer]:
    return [ThemeAnswer("veiligheid", veiligheid, recognition, comment),
            ThemeAnswer("wonen", wonen, recognition, "")]
