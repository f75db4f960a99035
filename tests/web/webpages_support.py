"""Helpers shared by the page, role, admin and demo tests (imported by the test modules).

Expected values are read straight from the raw files with the csv module here, never through
wijkbeeld's readers, so the pages are checked against the source and not against themselves.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

KWB_DIR = "amsterdam-kwb-2020-2024"
KWB_2020 = "Kerncijfers_wijken_en_buurten_2020.csv"
KWB_2024 = "Kerncijfers_wijken_en_buurten_2024.csv"
#: The columns of the renamed KWB files that are not figures.
KWB_META = ("District_Type", "Municipality_Name", "Area_Code")


def kwb_rows(raw: Path, name: str) -> dict[str, dict[str, str]]:
    """Rows of a raw KWB file by stripped area code, every cell as the raw text."""
    with (raw / KWB_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return {r["Area_Code"].strip(): r for r in csv.DictReader(fh, delimiter=";")}


def kwb_header(raw: Path, name: str) -> list[str]:
    with (raw / KWB_DIR / name).open(encoding="utf-8-sig", newline="") as fh:
        return next(csv.reader(fh, delimiter=";"))


def dutch(raw_text: str) -> str:
    """A raw KWB cell written the Dutch way, by plain string work: ``931298`` → ``931.298``,
    ``1,8`` → ``1,8``, ``498.0`` → ``498``, ``39.5`` → ``39,5``."""
    text = raw_text.strip().replace(",", ".")
    whole, _, frac = text.partition(".")
    frac = frac.rstrip("0")
    sign = "-" if whole.startswith("-") else ""
    whole = whole.lstrip("-")
    groups = []
    while len(whole) > 3:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    groups.insert(0, whole)
    return sign + ".".join(groups) + ("," + frac if frac else "")


def english(raw_text: str) -> str:
    """The same figure the English way: ``931,298`` and ``1.8``."""
    return dutch(raw_text).replace(".", "\x00").replace(",", ".").replace("\x00", ",")


def figure_row(html: str, indicator: str, period: str) -> str:
    """The table row of one figure on an area page (rows carry data-indicator/data-period)."""
    pattern = re.compile(
        rf'<tr data-indicator="{re.escape(indicator)}" data-period="{re.escape(period)}">'
        r"(.*?)</tr>",
        re.S,
    )
    match = pattern.search(html)
    assert match is not None, f"no row for {indicator} {period}"
    return match.group(1)


def value_cell(row_html: str) -> str:
    match = re.search(r'<td class="num">(.*?)</td>', row_html, re.S)
    assert match is not None
    return re.sub(r"<[^>]+>", "", match.group(1)).strip()


def source_text(row_html: str) -> str:
    match = re.search(r'<span class="source">(.*?)</span>', row_html, re.S)
    assert match is not None
    return match.group(1).replace("&#x27;", "'").strip()


def make_user(username: str, role: str, municipality: str = "", **extra: Any) -> Any:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.create_user(
        username, password="geheim-wachtwoord-1", role=role, municipality=municipality, **extra
    )


def wipe(using: str = "default") -> None:
    """Remove every stored area, figure, batch, indicator and theme (module fixtures' teardown)."""
    from django.db import transaction

    from wijkbeeld.web.areas.models import Area, Crosswalk
    from wijkbeeld.web.figures.models import ImportBatch, Indicator, Observation, Theme

    with transaction.atomic(using=using):
        for model in (Observation, Crosswalk, Area, ImportBatch, Indicator, Theme):
            model.objects.using(using).all().delete()


@pytest.fixture(scope="module")
def amsterdam_figures(
    django_db_setup: Any, django_db_blocker: Any, raw: Path
) -> Iterator[Path]:
    """KWB 2020 and 2024 and the bundled RIVM 2020 subset stored once for a test module."""
    from wijkbeeld.data import data_file
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    with django_db_blocker.unblock():
        wipe()
        catalogue = load_catalogue()
        sync_catalogue(catalogue)
        for path in (
            raw / KWB_DIR / KWB_2020,
            raw / KWB_DIR / KWB_2024,
            data_file("amsterdam/rivm_gezondheid_2020_18plus_amsterdam.xlsx"),
        ):
            store_table(read_figures(path, catalogue=catalogue), who="test")
        try:
            yield raw
        finally:
            wipe()
