"""Headless Chromium on a round, the way residents meet it: the personal invitation link (no
account), the three steps in order on a phone-sized screen, consent ticked; then what others see.

* ``test_three_steps_from_invitation_link_change_dashboard``: four residents answered before; the
  fifth goes through step 1 (blind: no figure, map or quote on the page), step 2 (the picture in
  neutral words, recognition, the urgency again) and step 3 (story, consent). An analyst who saw
  the residents' cell withheld (4 answers) now sees the blind measure of 5, and the shift after
  the picture as its own row.
* ``test_five_consenting_stories_are_quoted_and_the_sixth_is_not``: six residents write a story
  about *wonen* through the rendered form; five tick consent. The area page and the report show a
  scrubbed quote; the sixth story (no consent) is never quoted, and a planted name never appears.

Screenshots go to ``test-artifacts/``. Skipped only when chromium is missing outside CI."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from browser_support import CHROMIUM, chromium

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
PASSWORD = "geheim-wachtwoord-1"

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as b:
        yield b


def _text(page: Any, selector: str) -> str:
    return re.sub(r"\s+", " ", page.inner_text(selector)).strip()


def pdf_text(data: bytes) -> str:
    """The text of a PDF by poppler's pdftotext (installed by .ci/run; fails, not skips, when
    missing under CI)."""
    import shutil
    import subprocess

    if shutil.which("pdftotext") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftotext (poppler-utils) is missing")
        pytest.skip("pdftotext (poppler-utils) not installed")
    done = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                          check=True, timeout=60)
    return done.stdout.decode()


def _login(page: Any, base: str, next_url: str) -> None:
    page.goto(f"{base}/inloggen/?next={next_url}")
    page.fill("input[name=username]", "analist-b")
    page.fill("input[name=password]", PASSWORD)
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_url(f"**{next_url}**")


def _answer(browser: Any, base: str, token: str, blind: dict[str, str],
            after: dict[str, tuple[str, str]], story: str = "", story_theme: str = "",
            consent: bool = False, checks: bool = False) -> None:
    """One resident in a fresh phone-sized context: the three steps through the real page."""
    context = browser.new_context(locale="nl-NL", viewport={"width": 390, "height": 844})
    form = context.new_page()
    form.goto(f"{base}/peiling/{token}/")
    if checks:
        assert "Stap 1 van 3" in _text(form, "main")
        # Asking before showing: nothing of the picture on step 1.
        for selector in ("section.picture", "svg", "[data-indicator]", "blockquote",
                         "input[name$=recognition]"):
            assert form.locator(f"main {selector}").count() == 0, selector
    for theme, value in blind.items():
        form.check(f"input[name={theme}-rating][value='{value}']")
    form.click("form.respond-form button[type=submit]")
    form.wait_for_url("**stap=2**")
    if checks:
        assert "Stap 2 van 3" in _text(form, "main")
        assert form.locator("main section.picture").count() == len(blind)
        assert "gunstig" not in _text(form, "main")
    for theme, (value, recognition) in after.items():
        form.check(f"input[name={theme}-recognition][value='{recognition}']")
        form.check(f"input[name={theme}-rating][value='{value}']")
    form.click("form.respond-form button[type=submit]")
    form.wait_for_url("**stap=3**")
    if story:
        if story_theme:
            form.select_option("select[name=story_theme]", story_theme)
        form.fill("textarea[name=story]", story)
    if consent:
        # The real, labelled checkbox: checked by clicking its label text.
        form.get_by_label("Mijn verhaal mag zonder naam als citaat").check()
        assert form.is_checked("input[name=story_consent]")
    if checks:
        ARTIFACTS.mkdir(exist_ok=True)
        form.screenshot(path=str(ARTIFACTS / "respond_step3.png"), full_page=True)
    form.click("form.respond-form button[type=submit]")
    form.wait_for_url("**verstuurd=1**")
    assert "Bedankt! Uw antwoorden zijn opgeslagen." in _text(form, "#bedankt")
    context.close()


def test_three_steps_from_invitation_link_change_dashboard(
    live_server: Any, transactional_db: Any, browser: Any, raw: Path
) -> None:
    from django.contrib.auth import get_user_model
    from urgency_web_support import invite, make_round

    from wijkbeeld.web.urgency.models import Answer
    from wijkbeeld.web.urgency.steps import (
        BlindAnswer,
        PictureAnswer,
        submit_blind,
        submit_picture,
    )
    from wijkbeeld.web.urgency.tokens import hash_token

    rnd = make_round(raw)
    tokens = invite(rnd, "residents", 5)
    # Four residents answered through the services: blind 5, 4, 2, 1; after the picture 5, 4,
    # 3, 2.
    for token, blind, after in zip(tokens[:4], (5, 4, 2, 1), (5, 4, 3, 2), strict=True):
        submit_blind(token, [BlindAnswer("veiligheid", blind), BlindAnswer("wonen", 3)])
        submit_picture(token, [PictureAnswer("veiligheid", after, "ja"),
                               PictureAnswer("wonen", 3, "ja")])
    get_user_model().objects.create_user("analist-b", password=PASSWORD, role="analyst",
                                         municipality="GM0363")
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith(live_server.url) and not r.url.startswith("data:") else None)
    _login(page, live_server.url, "/urgentie/WK0363AF/")
    resident_cell = "table.urgency:not(.shift) tr[data-theme=veiligheid] td[data-group=bewoners]"
    # Four answers in an open round: nothing of them is shown yet (steps of 5, issue 18).
    assert "urgent n=" not in _text(page, "main")

    # The fifth resident: blind 4, then after the picture 5 (recognised), a story with consent.
    _answer(browser, live_server.url, tokens[4], {"veiligheid": "4", "wonen": "weet_niet"},
            {"veiligheid": ("5", "ja"), "wonen": ("3", "deels")},
            story="Het is 's avonds onrustig bij het plein.", story_theme="veiligheid",
            consent=True, checks=True)
    mine = Answer.objects.filter(response__invitation__token_hash=hash_token(tokens[4]))
    assert sorted(mine.values_list("theme", "rating", "rating_after")) == [
        ("veiligheid", 4, 5), ("wonen", None, 3)]

    # The dashboard: the blind measure. Blind 5, 4, 2, 1, 4 → 3 of 5 urgent = 60 %, mean 3.2.
    page.reload()
    cell = _text(page, resident_cell)
    assert cell.startswith("60% urgent n=5"), cell
    assert "gemiddeld 3,2" in cell
    # After the picture 5, 4, 3, 2, 5: mean 19 / 5 = 3.8, shift +0.6 ≥ 0.5: its own signal.
    shift = _text(page, "table.shift tr[data-theme=veiligheid] td[data-group=bewoners]")
    assert shift.startswith("3,2 → 3,8 (+0,6)"), shift
    assert "het beeld verandert de urgentie: hoger" in shift
    assert "Het oordeel is blind gevraagd" in _text(page, "main")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "urgency_dashboard.png"), full_page=True)
    assert external == []


def test_five_consenting_stories_are_quoted_and_the_sixth_is_not(
    live_server: Any, transactional_db: Any, browser: Any
) -> None:
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.demo import load_demo
    from wijkbeeld.web.urgency.services import create_invitations, open_round
    from wijkbeeld.web.voices.models import Voice

    load_demo(verbose=False, only={"kwb-2024"}, password=PASSWORD)
    get_user_model().objects.create_user("analist-b", password=PASSWORD, role="analyst",
                                         municipality="GM0363")
    rnd = open_round("verhalen", ["WK0363AF"], ["wonen"], date(2024, 4, 1))
    tokens = create_invitations(rnd, "residents", 6)
    stories = [
        "De huren stijgen zo hard dat jonge gezinnen de wijk uit moeten.",
        "Mijn buurvrouw Henriëtte Bakker wacht al jaren op een woning met een lift.",
        "Er staan veel woningen leeg boven de winkels, dat is zonde.",
        "Door de vochtige woningen zijn veel kinderen hier vaak verkouden.",
        "De nieuwe woningen aan het water zijn mooi maar onbetaalbaar.",
    ]
    secret = "Dit verhaal over de schimmel in onze flat mag niemand citeren."
    for token, story in zip(tokens[:5], stories, strict=True):
        _answer(browser, live_server.url, token, {"wonen": "4"}, {"wonen": ("4", "ja")},
                story=story, story_theme="wonen", consent=True)
    _answer(browser, live_server.url, tokens[5], {"wonen": "4"}, {"wonen": ("4", "ja")},
            story=secret, story_theme="wonen", consent=False)
    assert Voice.objects.filter(consent=True).count() == 5
    assert Voice.objects.filter(consent=False).count() == 1
    assert not Voice.objects.filter(text__contains="Bakker").exists()  # scrubbed before storage

    year = Area.objects.filter(code="WK0363AF").order_by("-boundary_year").values_list(
        "boundary_year", flat=True).first()
    page = browser.new_page(viewport={"width": 1280, "height": 1000}, locale="nl-NL")
    _login(page, live_server.url, f"/gebied/WK0363AF/{year}/")
    area_text = _text(page, "main")
    quoted = [s for s in stories if s.split(",")[0][:40] in area_text]
    assert quoted, "no quote on the area page"
    assert "Henriëtte" not in area_text and "Bakker" not in area_text
    assert "schimmel" not in area_text
    # The report as the area manager downloads it (with the same session): a real PDF.
    pdf = page.request.get(f"{live_server.url}/gebied/WK0363AF/{year}/rapport.pdf")
    assert pdf.ok and pdf.body()[:5] == b"%PDF-"
    report_text = " ".join(pdf_text(pdf.body()).split())
    assert any(" ".join(s.split(",")[0][:40].split()) in report_text for s in stories), \
        "no quote in the report"
    assert "schimmel" not in report_text and "Bakker" not in report_text
