"""The login form and the map page operated with the keyboard only (Tab, arrow keys, Enter).

Nothing is clicked or filled by selector: each step presses keys and checks where the focus is,
so a control that cannot be reached with Tab, or a link that does not follow on Enter, fails.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from axe_support import PASSWORD, skip_without_chromium

from browser_support import chromium

pytestmark = skip_without_chromium


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _focused(page: Any) -> dict[str, str]:
    result: dict[str, str] = page.evaluate(
        """() => { const e = document.activeElement;
          return {tag: e.tagName.toLowerCase(), id: e.id || '', name: e.getAttribute('name') || '',
                  area: e.getAttribute('data-area') || '', href: e.getAttribute('href') || '',
                  text: (e.innerText || '').trim()}; }"""
    )
    return result


def _tab_to(page: Any, wanted: Any, limit: int = 60) -> dict[str, str]:
    """Press Tab until ``wanted(focused)`` holds; fails after ``limit`` presses."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = _focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"not reached with {limit} × Tab; focus ended on {_focused(page)}")


def test_login_and_map_by_keyboard(
    live_server: Any, transactional_db: Any, browser: Any
) -> None:
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.demo import load_demo

    load_demo(verbose=False, only={"kwb-2024", "grenzen-amsterdam"}, password=PASSWORD)
    get_user_model().objects.create_user("toetsenbord", password=PASSWORD, role="viewer",
                                         municipality="GM0363")
    page = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900}).new_page()
    base = live_server.url

    # The login form: the skip link comes first, then the fields; Enter submits.
    page.goto(f"{base}/inloggen/?next=/kaart/GM0363/")
    first = _tab_to(page, lambda f: True, 1)
    assert first["href"] == "#inhoud", first
    _tab_to(page, lambda f: f["name"] == "username")
    page.keyboard.type("toetsenbord")
    page.keyboard.press("Tab")
    assert _focused(page)["name"] == "password"
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url("**/kaart/GM0363/**")
    page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)

    # The indicator select: arrow keys change the choice without leaving the page ...
    _tab_to(page, lambda f: f["id"] == "variabele")
    before = page.eval_on_selector("#variabele", "e => e.value")
    page.keyboard.press("ArrowDown")
    chosen = page.eval_on_selector("#variabele", "e => e.value")
    assert chosen != before
    assert "variabele=" not in page.url  # no reload on a change (WCAG 3.2.2)
    # ... and the "Toon" button (Tab, Enter) shows it.
    _tab_to(page, lambda f: f["tag"] == "button" and f["text"] == "Toon")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**variabele={chosen}**")
    page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)

    # Skip the map to the table, Tab to the first area link, Enter follows it.
    _tab_to(page, lambda f: f["href"] == "#tabel")
    page.keyboard.press("Enter")
    link = _tab_to(page, lambda f: f["tag"] == "a" and "/gebied/" in f["href"], 3)
    first_row = page.eval_on_selector("table.map-table tbody tr", "e => e.dataset.area")
    assert f"/gebied/{first_row}/" in link["href"]
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gebied/{first_row}/2024/**")

    # On the map itself every area is a link too: Tab reaches one, Enter opens its profile.
    page.go_back()
    page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
    page.focus("#kaart-keuze button[type=submit]")
    area = _tab_to(page, lambda f: bool(f["area"]), 20)
    page.keyboard.press("Enter")
    page.wait_for_url(f"**/gebied/{area['area']}/2024/**")


def test_respondent_form_by_keyboard(
    live_server: Any, transactional_db: Any, browser: Any
) -> None:
    from datetime import date

    from wijkbeeld.web.demo import load_demo
    from wijkbeeld.web.urgency.models import Answer
    from wijkbeeld.web.urgency.services import create_invitations, open_round

    load_demo(verbose=False, only={"kwb-2024"}, password=PASSWORD)
    rnd = open_round("toetsenbord", ["WK0363AF"], ["veiligheid"], date(2024, 4, 1))
    token = create_invitations(rnd, "residents", 1)[0]
    page = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844}).new_page()
    page.goto(f"{live_server.url}/peiling/{token}/")

    def choose(name: str, presses: int) -> None:
        """Tab into a radio group: Space picks the first choice, arrow keys move the choice."""
        _tab_to(page, lambda f: f["name"] == name)
        page.keyboard.press("Space")
        for _ in range(presses):
            page.keyboard.press("ArrowRight")

    def send(until: str) -> None:
        _tab_to(page, lambda f: f["tag"] == "button" and f["text"] != "", 10)
        while _focused(page)["text"] in {"Nederlands", "English"}:  # the language switch
            page.keyboard.press("Tab")
        page.keyboard.press("Enter")
        page.wait_for_url(until)

    # Step 1, blind: 4.
    choose("veiligheid-rating", 3)
    assert page.eval_on_selector("input[name=veiligheid-rating]:checked", "e => e.value") == "4"
    send("**stap=2**")
    # Step 2, after the picture: recognised ("ja"), and 5 now.
    choose("veiligheid-recognition", 0)
    choose("veiligheid-rating", 4)
    send("**stap=3**")
    # Step 3: a story, consent ticked with Space.
    _tab_to(page, lambda f: f["name"] == "story")
    page.keyboard.type("Het plein is 's avonds te donker.")
    _tab_to(page, lambda f: f["name"] == "story_consent")
    page.keyboard.press("Space")
    send("**verstuurd=1**")
    stored = Answer.objects.get(response__invitation__round=rnd, theme="veiligheid")
    assert (stored.rating, stored.rating_after) == (4, 5)
    from wijkbeeld.web.voices.models import Voice

    assert Voice.objects.get(source__startswith="peiling:").consent is True
    assert (stored.rating, stored.recognition) == (4, "ja")
