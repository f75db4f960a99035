"""Headless Chromium on a 375 px wide phone: a professional logs a conversation on the quick
intake (``/stemmen/gesprek/``) with the keyboard only, and sees the scrubbed text on the
confirmation ("Zo is het opgeslagen"): the name and phone number typed are gone. The page never
scrolls sideways. A screenshot goes to ``test-artifacts/``. Skipped only when chromium is missing
outside CI."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from voices_web_support import WIJK, store_areas

from browser_support import CHROMIUM, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "geheim-wachtwoord-1"
SAID = ("Mevrouw Jansen (06-12345678) vertelt dat de portiek vies is en dat de buren elkaar niet "
        "meer kennen. Ze wil graag een buurtfeest.")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def phone() -> Iterator[Any]:
    with chromium() as browser:
        context = browser.new_context(viewport={"width": 375, "height": 740}, locale="nl-NL",
                                      has_touch=True)
        yield context.new_page()


def _active(page: Any) -> dict[str, str]:
    return page.evaluate("""() => { const e = document.activeElement;
        return {id: e.id || '', name: e.name || '', value: e.value || '', tag: e.tagName}; }""")


def _tab_to(page: Any, test: Any, limit: int = 60) -> dict[str, str]:
    """Press Tab until the focused element passes ``test``; fail after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        found = _active(page)
        if test(found):
            return found
    raise AssertionError(f"never reached the element; last focus {_active(page)}")


def _no_sideways_scroll(page: Any) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 375, f"the page is {width} px wide on a 375 px screen"


def test_keyboard_only_intake_on_a_phone(live_server: Any, transactional_db: Any, phone: Any,
                                         raw: Path) -> None:
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.voices.models import Voice

    names = store_areas(raw)
    get_user_model().objects.create_user("wijkwerker", password=PASSWORD, role="professional",
                                         municipality="GM0363")
    buurt = sorted(c for c in names if c.startswith("BU"))[0]
    page = phone
    base = live_server.url
    page.goto(f"{base}/inloggen/")
    page.fill("input[name=username]", "wijkwerker")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/inloggen/" not in page.url

    page.goto(f"{base}/stemmen/gesprek/")
    _no_sideways_scroll(page)
    # One column: every field starts at the same left edge and fits the screen.
    boxes = page.eval_on_selector_all(
        "form.intake-form > .field, form.intake-form > fieldset",
        "els => els.map(e => { const r = e.getBoundingClientRect(); return [r.left, r.right]; })")
    assert len(boxes) == 8 and len({round(left) for left, _r in boxes}) == 1, boxes
    assert all(right <= 375 for _l, right in boxes), boxes
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "intake-form-375.png"), full_page=True)

    _tab_to(page, lambda a: a["id"] == "id_area")
    page.keyboard.type(names[buurt][:10])  # type-ahead in the select, as on a keyboard
    assert page.input_value("#id_area") == buurt
    _tab_to(page, lambda a: a["name"] == "group")
    page.keyboard.press("ArrowDown")  # from "bewoners" to "professionals"
    assert page.is_checked("#id_group_1")
    _tab_to(page, lambda a: a["id"] == "id_organisation_type")
    page.keyboard.type("welzijn")
    assert page.input_value("#id_organisation_type") == "welzijn"
    _tab_to(page, lambda a: a["id"] == "id_text")
    page.keyboard.type(SAID)
    _tab_to(page, lambda a: a["name"] == "themes" and a["value"] == "sociale_samenhang")
    page.keyboard.press("Space")
    _tab_to(page, lambda a: a["name"] == "tone")  # lands on the checked one, "neutraal"
    page.keyboard.press("ArrowDown")  # wraps to "zorg"
    assert page.is_checked("#id_tone_0")
    _tab_to(page, lambda a: a["id"] == "id_consent")
    page.keyboard.press("Space")
    _tab_to(page, lambda a: a["tag"] == "BUTTON" and a["name"] == "")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    assert page.inner_text("h1") == "Zo is het opgeslagen"
    shown = page.inner_text(".saved-text")
    assert "Mevrouw [NAAM] ([TELEFOON]) vertelt dat de portiek vies is" in shown
    body = page.inner_text("main")
    assert "Jansen" not in body and "06-12345678" not in body
    _no_sideways_scroll(page)
    page.screenshot(path=str(ARTIFACTS / "intake-375.png"), full_page=True)

    voice = Voice.objects.get()
    assert (voice.area.code, voice.group, voice.organisation_type, voice.tone, voice.consent) \
        == (buurt, "professionals", "welzijn", "zorg", True)
    assert list(voice.themes.values_list("theme", "confirmed")) == [("sociale_samenhang", True)]
    assert "Jansen" not in voice.text and voice.area.parent_code == WIJK

    _tab_to(page, lambda a: a["tag"] == "A" and "gesprek" in page.evaluate(
        "document.activeElement.getAttribute('href') || ''"))
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.inner_text("h1") == "Gesprek vastleggen"
