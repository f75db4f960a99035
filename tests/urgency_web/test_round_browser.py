"""Headless Chromium on a round: a resident opens the personal invitation link (no account),
fills in the form and sends it; an analyst then logs in through the login form and sees the
dashboard change: the residents' cell, withheld with 4 answers, now shows the share urgent of 5.

A screenshot goes to ``test-artifacts/``. Skipped only when chromium is missing outside CI."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from urgency_web_support import answers, invite, make_round

from browser_support import CHROMIUM, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "geheim-wachtwoord-1"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def browser_page() -> Iterator[Any]:
    with chromium() as browser:
        yield browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")


def _text(page: Any, selector: str) -> str:
    return re.sub(r"\s+", " ", page.inner_text(selector)).strip()


def test_form_from_invitation_link_changes_dashboard(
    live_server: Any, transactional_db: Any, browser_page: Any, raw: Path
) -> None:
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.urgency.models import Answer, Response
    from wijkbeeld.web.urgency.services import submit_response
    from wijkbeeld.web.urgency.tokens import hash_token

    rnd = make_round(raw)
    tokens = invite(rnd, "residents", 5)
    # Four residents answer through the services: veiligheid 5, 4, 2, 1 (2 of 4 urgent).
    for token, rating in zip(tokens[:4], (5, 4, 2, 1), strict=True):
        submit_response(token, answers(rating, 3))
    get_user_model().objects.create_user("analist-b", password=PASSWORD, role="analyst",
                                         municipality="GM0363")
    page = browser_page
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)

    # The analyst first sees the residents' cell withheld (4 answers < 5).
    page.goto(f"{live_server.url}/inloggen/?next=/urgentie/WK0363AF/")
    page.fill("input[name=username]", "analist-b")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url("**/urgentie/WK0363AF/**")
    resident_cell = "tr[data-theme=veiligheid] td[data-group=bewoners]"
    assert _text(page, resident_cell) == "te weinig antwoorden (<5)"

    # The fifth resident, in a fresh context without any session, uses the personal link.
    resident = page.context.browser.new_context(  # a phone-sized screen
        locale="nl-NL", viewport={"width": 390, "height": 844})
    form = resident.new_page()
    form.goto(f"{live_server.url}/peiling/{tokens[4]}/")
    assert "Hoe urgent is het in" in _text(form, "h1")
    form.check("input[name=veiligheid-rating][value='4']")
    form.check("input[name=veiligheid-recognition][value='ja']")
    form.check("input[name=wonen-rating][value='weet_niet']")
    form.fill("textarea[name=story]", "Het is 's avonds onrustig bij het plein.")
    form.click("form.respond-form button[type=submit]")
    form.wait_for_url("**verstuurd=1**")
    assert "Bedankt! Uw antwoorden zijn opgeslagen." in _text(form, "#bedankt")
    resident.close()
    assert Response.objects.count() == 5
    mine = Answer.objects.filter(response__invitation__token_hash=hash_token(tokens[4]))
    assert sorted(mine.values_list("theme", "rating")) == [("veiligheid", 4), ("wonen", None)]

    # Back on the dashboard: 5, 4, 2, 1, 4 → 3 of 5 urgent = 60%; mean 16 / 5 = 3.2.
    page.reload()
    cell = _text(page, resident_cell)
    assert cell.startswith("60% urgent n=5"), cell
    assert "gemiddeld 3,2" in cell
    assert "herkenning 100%" in cell  # all five answered "ja"
    # wonen: four answered 3, the fifth "weet niet": 4 ratings, still withheld.
    assert _text(page, "tr[data-theme=wonen] td[data-group=bewoners]") == (
        "te weinig antwoorden (<5)")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "urgency_dashboard.png"), full_page=True)
    assert external == []
