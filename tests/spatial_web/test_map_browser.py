"""Headless Chromium on the map page: log in, switch the indicator, click a buurt, reach its
profile page. A screenshot goes to ``test-artifacts/``. Skipped only when chromium is missing
outside CI."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest
from test_map_page import store_demo, wipe_all

from browser_support import CHROMIUM, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def browser_page() -> Any:
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")


def test_map_switch_indicator_click_buurt_reaches_profile(
    live_server: Any, transactional_db: Any, browser_page: Any
) -> None:
    from django.contrib.auth import get_user_model

    wipe_all()
    store_demo()
    get_user_model().objects.create_user("kaartlezer", password="geheim-wachtwoord-1",
                                         role="viewer", municipality="GM0363")
    page = browser_page
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)
    page.goto(f"{live_server.url}/inloggen/?next=/kaart/GM0363/")
    page.fill("input[name=username]", "kaartlezer")
    page.fill("input[name=password]", "geheim-wachtwoord-1")
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url("**/kaart/GM0363/**")
    page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
    # switch the indicator and press "Toon" (no reload on change: keyboard users, WCAG 3.2.2)
    page.select_option("#variabele", "inkomen_per_inwoner")
    page.click("#kaart-keuze button[type=submit]")
    page.wait_for_url("**variabele=inkomen_per_inwoner**")
    page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
    assert "inkomen" in page.inner_text("#kaart-titel").lower()
    page.check("#hotspot-laag")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "map_page.png"), full_page=False)
    area = page.locator("path[data-area='BU0363AF01']")
    assert area.count() == 1
    area.click()
    page.wait_for_url("**/gebied/BU0363AF01/2024/**")
    assert "BU0363AF01" in page.content()
    # Back with "Op de kaart" (issue 19): its level, centred on it and outlined.
    page.click("text=Op de kaart")
    page.wait_for_url("**/kaart/GM0363/?niveau=neighbourhood&gebied=BU0363AF01")
    page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
    outlined = page.locator("path[data-area='BU0363AF01']")
    assert outlined.get_attribute("stroke-width") == "4"
    assert "BU0363AF01" in page.inner_text("#kaart-info")
    assert external == []
