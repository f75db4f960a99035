"""Helpers for the agenda app tests: two real wijken of two municipalities (code and name read
from the raw files with the csv module), the indicator catalogue, users and CSRF tokens."""

from __future__ import annotations

import csv
import re
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.web.figures.store import ensure_areas, sync_catalogue

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
SERIES = "haaglanden-wijken-zorg/df_count_ver_3.csv"
AMS, HAAG = "WK0363AF", "WK051834"


def wijk_names(raw: Path) -> dict[str, str]:
    """The two wijken's names straight from the raw files."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        ams = next(r["District_Type"].strip() for r in csv.DictReader(fh, delimiter=";")
                   if r["Area_Code"].strip() == AMS)
    with (raw / SERIES).open(encoding="utf-8-sig", newline="") as fh:
        haag = next(r["Wijknaam"].strip() for r in csv.DictReader(fh) if r["WKC"] == HAAG)
    return {AMS: ams, HAAG: haag}


def store_two_wijken(raw: Path, using: str = "default") -> dict[str, str]:
    """Both wijken (with their gemeente) in boundary year 2024, and the catalogue."""
    names = wijk_names(raw)
    sync_catalogue(load_catalogue(), using=using)
    ensure_areas([("GM0363", "Amsterdam"), (AMS, names[AMS]),
                  ("GM0518", "'s-Gravenhage"), (HAAG, names[HAAG])], 2024, using=using)
    return names


def make_user(username: str, role: str, municipality: str = "") -> Any:
    return get_user_model().objects.create_user(
        username, password="geheim-wachtwoord-1", role=role, municipality=municipality)


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def text_of(html: str) -> str:
    """Visible text, tags dropped and whitespace collapsed."""
    from html import unescape

    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))).strip()
