"""Helpers for the voices web tests: a real Amsterdam wijk with its buurten (codes and names read
from the raw KWB 2024 file with the csv module), users per role, and voices stored through the
service."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import connections

from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.voices.models import Voice
from wijkbeeld.web.voices.services import record_voice

KWB_2024 = "amsterdam-kwb-2020-2024/Kerncijfers_wijken_en_buurten_2024.csv"
WIJK = "WK0363AA"
PASSWORD = "geheim-wachtwoord-1"
#: Planted personal data that must never reach the database.
PLANTED = ("Fatima Yilmaz", "06-12345678", "f.yilmaz@voorbeeld.nl")
PLANTED_TEXT = (
    "Ik sprak met Fatima Yilmaz, bel 06-12345678 of mail f.yilmaz@voorbeeld.nl over de overlast "
    "van jongeren en het zwerfafval op straat."
)
XSS = '<script>alert(1)</script><b onmouseover="x()">overlast</b> en zwerfafval op straat'


def kwb_areas(raw: Path) -> dict[str, str]:
    """Code → name of Amsterdam, wijk WIJK and its buurten, from the raw file."""
    with (raw / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh, delimiter=";"))
    return {r["Area_Code"].strip(): r["District_Type"].strip() for r in rows
            if r["Area_Code"].strip() in ("GM0363", WIJK)
            or r["Area_Code"].strip().startswith("BU" + WIJK[2:])}


def store_areas(raw: Path, using: str = "default") -> dict[str, str]:
    areas = kwb_areas(raw)
    ensure_areas(list(areas.items()), 2024, using=using)
    return areas


def area(code: str = WIJK, using: str = "default") -> Area:
    return Area.objects.using(using).get(code=code, boundary_year=2024)


def user(username: str, role: str, municipality: str = "") -> Any:
    return get_user_model().objects.create_user(
        username, password=PASSWORD, role=role, municipality=municipality)


def voices(target: Area, n: int, text: str, *, group: str = "residents", consent: bool = True,
           using: str = "default", when: date = date(2024, 5, 1)) -> list[Voice]:
    return [record_voice(target, f"{text} ({i + 1})", when=when, channel="gesprek", group=group,
                         consent=consent, using=using) for i in range(n)]


def raw_table(model: type[Any], using: str = "default") -> list[tuple[Any, ...]]:
    """Every row of a model's table straight from SQL (no ORM), to look for leaked data."""
    conn = connections[using]
    with conn.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {conn.ops.quote_name(model._meta.db_table)}")
        return list(cursor.fetchall())


def snapshot(using: str = "default") -> tuple[int, ...]:
    from wijkbeeld.web.voices.models import TextReadAudit, Trigger, VoiceTheme

    return tuple(m.objects.using(using).count()
                 for m in (Voice, VoiceTheme, Trigger, TextReadAudit, Area))
