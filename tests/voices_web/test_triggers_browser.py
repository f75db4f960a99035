"""Headless Chromium on the area page: an analyst signs in, adds an aanleiding through
"Aanleiding toevoegen", then closes it as faded through "Afsluiten" (a phone-sized screen);
the area page then shows the status with its date. Skipped only when chromium is missing
outside CI."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voices_web_support import PASSWORD, WIJK, store_areas, user

from browser_support import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def browser_page() -> Iterator[Any]:
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 390, "height": 844}, locale="nl-NL")


def _text(page: Any, selector: str) -> str:
    return re.sub(r"\s+", " ", page.inner_text(selector)).strip()


def test_add_and_close_a_trigger_on_the_area_page(
    live_server: Any, transactional_db: Any, browser_page: Any, raw: Path
) -> None:
    from wijkbeeld.web.voices.models import Trigger

    store_areas(raw)
    user("analist-t", "analyst", "GM0363")
    page = browser_page
    page.goto(f"{live_server.url}/inloggen/?next=/gebied/{WIJK}/2024/")
    page.fill("input[name=username]", "analist-t")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url(f"**/gebied/{WIJK}/2024/**")

    page.get_by_role("link", name="Aanleiding toevoegen").click()
    page.get_by_label("Wat is er gebeurd?").fill("Bewoners luiden de noodklok over overlast")
    page.get_by_label("Datum").fill("2024-03-01")
    page.get_by_label("Waar kwam het vandaan?").select_option("bewoners")
    page.get_by_label("Veiligheid").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/gebied/{WIJK}/2024/#aanleidingen")
    section = _text(page, "#aanleidingen")
    assert "Bewoners luiden de noodklok over overlast" in section
    assert "Status: speelt nog sinds 1 maart 2024" in section

    page.get_by_role("link", name=re.compile("^Afsluiten")).click()
    page.get_by_label("Vervaagd: er is minder aandacht voor").check()
    page.get_by_label("Sinds wanneer?").fill("2024-09-01")
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/gebied/{WIJK}/2024/#aanleidingen")
    assert "Status: vervaagd sinds 1 september 2024" in _text(page, "#aanleidingen")
    row = Trigger.objects.get()
    assert [h["status"] for h in row.history] == ["actief", "vervaagd"]
