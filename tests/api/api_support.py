"""Fixtures of the API tests: the bundled Amsterdam KWB 2024 figures and buurt boundaries (the
demo's), an urgency round with answers about one wijk, users of every role, and tokens.

Expected values are read from the raw files here with the csv module (and json for the
boundaries), never through wijkbeeld's readers.
"""

from __future__ import annotations

import csv
import json
import math
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "src" / "wijkbeeld" / "data" / "amsterdam"
KWB = DATA / "Kerncijfers_wijken_en_buurten_2024.csv"
BUURTEN = DATA / "amsterdam_buurten_2022.geojson"
WIJK = "WK0363AF"
ROUND = "2024-api"
#: veiligheid ratings per group (wonen gets 3 from everyone); professionals stay below 5.
RATINGS = {"residents": [5, 5, 4, 2, 1, 4], "professionals": [5, 4, 4], "policy": [2, 3, 4, 1, 2]}
PASSWORD = "geheim-wachtwoord-1"


def kwb() -> dict[str, dict[str, str]]:
    """Raw KWB 2024 rows by stripped area code."""
    with KWB.open(encoding="utf-8-sig", newline="") as fh:
        return {r["Area_Code"].strip(): r for r in csv.DictReader(fh, delimiter=";")}


def number(text: str) -> float:
    """A raw KWB cell as a float (NaN for ``.``/empty): ``1,8`` → 1.8, ``498.0`` → 498."""
    text = (text or "").strip().replace(",", ".")
    try:
        return float(text)
    except ValueError:
        return math.nan


def boundary_codes() -> list[str]:
    with BUURTEN.open(encoding="utf-8") as fh:
        return sorted(f["properties"]["cbsCode"] for f in json.load(fh)["features"])


def wipe() -> None:
    from wijkbeeld.web.api.analysis import HOTSPOTS
    from wijkbeeld.web.api.models import ApiToken
    from wijkbeeld.web.areas.models import Area, Crosswalk
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation, Theme
    from wijkbeeld.web.pages.profile_cache import clear_caches
    from wijkbeeld.web.urgency.models import Round

    HOTSPOTS.clear()
    clear_caches()
    ApiToken.objects.all().delete()
    Round.objects.all().delete()
    for model in (Observation, Crosswalk, Area, ImportBatch, Indicator, Theme):
        model.objects.all().delete()


def store() -> None:
    """KWB 2024, the buurt boundaries (indeling 2024) and one round with answers."""
    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.areas.store import store_boundaries
    from wijkbeeld.web.figures.store import store_table, sync_catalogue
    from wijkbeeld.web.urgency.services import (
        ThemeAnswer,
        close_round,
        create_invitations,
        open_round,
        submit_response,
    )

    catalogue = load_catalogue()
    sync_catalogue(catalogue)
    store_table(read_figures(KWB, catalogue=catalogue), who="test")
    store_boundaries(read_boundaries(BUURTEN, year=2024), who="test")
    rnd = open_round(ROUND, [WIJK], ["veiligheid", "wonen"], date(2024, 4, 1))
    for group, values in RATINGS.items():
        for token, v in zip(create_invitations(rnd, group, len(values)), values, strict=True):
            submit_response(token, [ThemeAnswer("veiligheid", v, "ja", ""),
                                    ThemeAnswer("wonen", 3, "deels", "")])
    close_round(rnd)  # a closed round shows every answer (an open one only in steps of 5)


def make_user(username: str, role: str, municipality: str = "", **extra: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username, password=PASSWORD, role=role, municipality=municipality, **extra)


@pytest.fixture(scope="module")
def api_data(django_db_setup: Any, django_db_blocker: Any) -> Iterator[None]:
    with django_db_blocker.unblock():
        wipe()
        store()
        try:
            yield
        finally:
            wipe()
