"""Headless Chromium on the review page (issue 20, item 4): an analyst signs in, opens
"Stemmen beoordelen", follows the least certain voice, corrects its theme with the checkboxes
and saves; after training, the same complaint in other words is tagged as corrected. Skipped
only when chromium is missing outside CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from learning_support import CORRECT_THEME, CORRECTED, LEXICON_THEME, PARAPHRASE, SEED
from voices_web_support import PASSWORD, area, store_areas, user

from browser_support import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def browser_page() -> Iterator[Any]:
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 900}, locale="nl-NL")


def test_correct_a_theme_on_the_review_page_then_train(
    live_server: Any, transactional_db: Any, browser_page: Any, raw: Path
) -> None:
    from wijkbeeld.web.voices import learning
    from wijkbeeld.web.voices.models import ThemeCorrection
    from wijkbeeld.web.voices.services import record_voice, set_themes

    store_areas(raw)
    analyst = user("analist-l", "analyst", "GM0363")

    def record(text: str) -> Any:
        return record_voice(area(), text, when=date(2024, 5, 1), channel="gesprek",
                            group="residents", consent=True)

    for theme, texts in SEED.items():
        for text in texts:
            set_themes(record(text), [theme], analyst)
    sure = record("Overal zwerfafval, hondenpoep en volle containers op straat.")
    wrong = record(CORRECTED)

    page = browser_page
    page.goto(f"{live_server.url}/inloggen/?next=/stemmen/beoordelen/")
    page.fill("input[name=username]", "analist-l")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url("**/stemmen/beoordelen/**")
    rows = page.locator("table[data-role=review] tbody tr")
    assert rows.count() == 2
    assert rows.nth(0).get_attribute("data-voice") == str(wrong.pk)  # least certain first
    assert rows.nth(1).get_attribute("data-voice") == str(sure.pk)

    rows.nth(0).get_by_role("link", name="Lezen en corrigeren").click()
    page.wait_for_url(f"**/stemmen/{wrong.pk}/")
    assert "DigiD" in page.inner_text("[data-role=full-text]")
    page.get_by_label("Jeugd en onderwijs").uncheck()
    page.get_by_label("Sociale samenhang").check()
    page.get_by_role("button", name="Opslaan").click()
    page.wait_for_url(f"**/stemmen/{wrong.pk}/")
    assert "De stem is bijgewerkt." in page.inner_text("body")

    correction = ThemeCorrection.objects.filter(voice=wrong).latest("created_at")
    assert correction.themes == [CORRECT_THEME] and correction.who_id == analyst.pk
    page.goto(f"{live_server.url}/stemmen/beoordelen/")
    assert page.locator("table[data-role=review] tbody tr").count() == 1  # checked: gone

    run = learning.train_municipality("GM0363", who=analyst)
    paraphrase = record(PARAPHRASE)
    first = paraphrase.themes.order_by("-confidence").first()
    assert first is not None
    assert (first.theme, first.made_by) == (CORRECT_THEME, run.version)
    assert not paraphrase.themes.filter(theme=LEXICON_THEME).exists()
