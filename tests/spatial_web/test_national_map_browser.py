"""Headless Chromium on the national map: log in as an account without a municipality, open
/kaart/nederland/, wait until map.js has drawn every area, and check that nothing was fetched
from outside the server. Screenshots go to ``test-artifacts/``. Skipped only when chromium is
missing outside CI."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from test_national_map import BUURTEN, WIJKEN, store, wipe

from browser_support import CHROMIUM, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


def _count(path: Path) -> int:
    return sum(1 for f in json.loads(path.read_text(encoding="utf-8"))["features"]
               if f["geometry"])


def test_national_map_draws_every_area_without_outside_requests(
    live_server: Any, transactional_db: Any
) -> None:
    from django.contrib.auth import get_user_model

    wipe("default")
    store("default")
    get_user_model().objects.create_user("landelijk", password="geheim-wachtwoord-1",
                                         role="analyst")
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
        external: list[str] = []
        page.on("request", lambda r: external.append(r.url)
                if not r.url.startswith(live_server.url) and not r.url.startswith("data:")
                else None)
        page.goto(f"{live_server.url}/inloggen/?next=/kaart/nederland/")
        page.fill("input[name=username]", "landelijk")
        page.fill("input[name=password]", "geheim-wachtwoord-1")
        page.click("form button[type=submit] >> nth=-1")
        page.wait_for_url("**/kaart/nederland/**")
        page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
        assert page.locator("#kaart path").count() == _count(BUURTEN) == 518
        # No Tab stop per area on the national map: the table per municipality is the way in.
        assert page.locator("#kaart path[tabindex]").count() == 0
        page.locator("#kaart path").nth(200).hover()
        assert "(BU0363" in page.inner_text("#kaart-info")
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "map_national.png"), full_page=False)
        # The wijk level through the form (no reload on change: "Toon").
        page.select_option("#niveau", "district")
        page.click("#kaart-keuze button[type=submit]")
        page.wait_for_url("**niveau=district**")
        page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
        assert page.locator("#kaart path").count() == _count(WIJKEN) == 72
        assert page.locator("p.notice").count() == 1  # no low-income figure for these wijken
        assert page.locator("tr[data-municipality]").count() == 4
        page.screenshot(path=str(ARTIFACTS / "map_national_wijken.png"), full_page=True)
        page.click("tr[data-municipality='GM0518'] a")
        page.wait_for_url("**/kaart/GM0518/**")
        page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
    assert external == []
