"""axe-core in headless Chromium over every page of the demo, in Dutch and in English.

The full demo is loaded (``load_demo``, as ``make demo`` does), plus what the demo lacks for some
pages: an open round with a fresh personal link (the respondent form), a closed round's link, a
recorded voice (its detail and theme-confirmation pages). Every named page of the URL conf must
be in :data:`PAGES` (a new page without an entry fails the test), and each is checked logged in
as a user whose role may see it, first in Dutch, then after pressing "English" in the header.
Any violation of impact moderate, serious or critical fails (only "minor" findings pass); the list
of violations is in the message.

axe-core (MPL-2.0) comes from npm (``package.json``, installed by ``make test``).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from axe_support import (
    BLOCKING,
    PASSWORD,
    axe_source,
    log_in,
    page_url_names,
    run_axe,
    skip_without_chromium,
)

from browser_support import chromium

pytestmark = skip_without_chromium

#: One real page per URL name (``{token}``, ``{closed}``, ``{voice}`` filled in at run time);
#: several entries per name where the page differs a lot (a buurt, a wijk, a municipality).
PAGES: dict[str, tuple[str, ...]] = {
    "login": ("/inloggen/",),
    "home": ("/",),
    "search": ("/zoeken/?q=Morgen", "/zoeken/?q=qxzvw"),
    "glossary": ("/begrippen/",),
    "municipality": ("/gemeente/GM0363/", "/gemeente/GM0518/"),
    "area": ("/gebied/BU0363AF01/2024/", "/gebied/WK0363AF/2024/", "/gebied/GM0363/2024/",
             "/gebied/WK051834/2022/"),
    "map_index": ("/kaart/",),
    "map": ("/kaart/GM0363/", "/kaart/GM0518/?niveau=district"),
    "map_national": ("/kaart/nederland/", "/kaart/nederland/?niveau=district"),
    "urgency-rounds": ("/urgentie/",),
    "urgency-dashboard": ("/urgentie/WK051834/",),
    "urgency-timeline": ("/urgentie/WK051834/tijdlijn/",),
    "urgency-respond": ("/peiling/{token}/", "/peiling/{answered}/",
                        "/peiling/{answered}/?stap=3", "/peiling/{answered}/?verstuurd=1",
                        "/peiling/{closed}/", "/peiling/onbekend-1234/"),
    "urgency-round-new": ("/peilingen/nieuw/",),
    "urgency-round": ("/peilingen/{round}/",),
    "urgency-round-close": ("/peilingen/{round}/sluiten/",),
    "voices-list": ("/stemmen/",),
    "voices-review": ("/stemmen/beoordelen/",),
    "voices-intake": ("/stemmen/gesprek/", "/stemmen/gesprek/?gemeente=GM0518"),
    "voices-intake-saved": ("/stemmen/gesprek/{voice}/",),
    "voices-record": ("/stemmen/nieuw/WK0363AF/",),
    "voices-area": ("/stemmen/gebied/WK0363AF/",),
    "voices-detail": ("/stemmen/{voice}/",),
    "voices-confirm": ("/stemmen/{voice}/themas/",),
    "agenda-list": ("/agenda/",),
    "agenda-area": ("/agenda/gebied/WK051834/",),
    "agenda-new": ("/agenda/gebied/WK051834/nieuw/",),
    "agenda-party-new": ("/agenda/gebied/WK051834/partij/",),
    "agenda-timeline": ("/agenda/gebied/WK051834/tijdlijn/",),
    "agenda-item-new": ("/agenda/{agenda}/punt/",),
    "agenda-item-edit": ("/agenda/punt/{item}/wijzigen/",),
    "agenda-item-history": ("/agenda/punt/{item}/versies/",),
    "agenda-action-new": ("/agenda/punt/{item}/actie/",),
    "agenda-action-report": ("/agenda/actie/{action}/voortgang/",),
    "agenda-network": ("/lerend-netwerk/",),
    "job-list": ("/taken/",),
    "job-import": ("/taken/import/",),
    "trigger-add": ("/gebied/WK0363AF/2024/aanleidingen/nieuw/",),
    "trigger-edit": ("/aanleidingen/{trigger}/wijzigen/",),
    "trigger-close": ("/aanleidingen/{trigger}/afsluiten/",),
}


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def _demo() -> dict[str, str]:
    """The demo plus a fresh link, a closed round's link and one voice; users for the roles."""
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.demo import load_demo
    from wijkbeeld.web.urgency.services import close_round, create_invitations, open_round
    from wijkbeeld.web.voices.services import record_voice

    load_demo(verbose=False, password=PASSWORD)
    users = get_user_model().objects
    users.create_user("beheer-a11y", password=PASSWORD, role="admin", is_staff=True)
    users.create_user("lezer-a11y", password=PASSWORD, role="viewer", municipality="GM0363")
    rnd = open_round("a11y-open", ["WK0363AF"], ["veiligheid", "wonen"], date(2024, 4, 1))
    token, answered = create_invitations(rnd, "residents", 2)
    # A link past the blind step: step 2 (the picture) and step 3 (the story) are its pages.
    from wijkbeeld.web.urgency.steps import BlindAnswer, submit_blind

    submit_blind(answered, [BlindAnswer("veiligheid", 4), BlindAnswer("wonen", None)])
    closed = open_round("a11y-dicht", ["WK0363AF"], ["veiligheid"], date(2024, 3, 1))
    closed_token = create_invitations(closed, "professionals", 1)[0]
    close_round(closed)
    area = Area.objects.filter(code="WK0363AF").order_by("-boundary_year").first()
    assert area is not None
    voice = record_voice(area, "Op het plein is het 's avonds onveilig en er ligt veel afval.",
                         when=date(2024, 3, 12), channel="gesprek", group="residents",
                         urgency=4, consent=True)
    filled = {"token": token, "answered": answered, "closed": closed_token, "voice": str(voice.pk),
              "round": str(rnd.pk)}
    from wijkbeeld.web.voices.services import record_trigger

    trigger = record_trigger(area, "Bewoners vragen aandacht voor het plein.",
                             when=date(2024, 2, 1), source="bewoners", themes=["veiligheid"])
    filled["trigger"] = str(trigger.pk)
    from wijkbeeld.web.agenda.models import Action, Agenda, AgendaItem

    for key, model in (("agenda", Agenda), ("item", AgendaItem), ("action", Action)):
        first = model.objects.order_by("pk").first()
        assert first is not None, f"the demo has no {key} (voorbeeld-agenda)"
        filled[key] = str(first.pk)
    # Finished jobs on the jobs page (a running one would refresh the page during the check).
    from wijkbeeld.web.jobs.models import Job, JobResult

    done = Job.objects.create(kind="report_batch", municipality="GM0518", status="done",
                              progress_done=3, progress_total=3, message="3 rapporten")
    JobResult.objects.create(job=done, filename="rapporten-GM0518-district.zip", data=b"PK")
    Job.objects.create(kind="import_figures", status="failed", progress_total=3,
                       error="DataError: kapot.csv, rij 3, kolom bevolking: geen getal")
    return filled


def _check(page: Any, url: str, source: str, problems: list[str], lang: str) -> None:
    t0 = time.perf_counter()
    page.goto(url)
    page.wait_for_load_state("load")
    if page.locator("#kaart").count():
        page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
    assert page.evaluate("document.documentElement.lang") == lang, url
    t1 = time.perf_counter()
    found = run_axe(page, source)
    print(f"{url}: load {t1 - t0:.2f} s, axe {time.perf_counter() - t1:.2f} s")
    for v in found:
        if v["impact"] in BLOCKING:
            problems.append(f"[{lang}] {url}: {v['impact']} {v['id']} ({v['count']}×) "
                            f"{v['help']} → {v['nodes']}")
    # axe passes an aria-describedby when one of its ids exists; a screen reader then silently
    # drops the others (a help text under a changed id). Every id must resolve.
    dangling = page.evaluate("""() => [...document.querySelectorAll('[aria-describedby]')]
        .flatMap(el => el.getAttribute('aria-describedby').split(/\\s+/).filter(Boolean)
          .filter(id => !document.getElementById(id)).map(id => `${el.id || el.tagName}→${id}`))""")
    if dangling:
        problems.append(f"[{lang}] {url}: aria-describedby to missing ids {dangling[:5]}")


def test_every_page_passes_axe_in_dutch_and_english(
    live_server: Any, transactional_db: Any, browser: Any
) -> None:
    missing = page_url_names() - set(PAGES)
    assert not missing, f"pages without an entry in PAGES (or NOT_PAGES): {sorted(missing)}"
    started = time.perf_counter()
    filled = _demo()
    source = axe_source()
    base = live_server.url
    problems: list[str] = []
    context = browser.new_context(locale="nl-NL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    external: list[str] = []
    page.on("request", lambda r: external.append(r.url)
            if not r.url.startswith(base) and not r.url.startswith("data:") else None)
    visited = 0
    for lang in ("nl", "en"):
        # Logged out: the login page (with an error message) and the respondent forms.
        page.context.clear_cookies()
        if lang == "en":
            page.goto(f"{base}/inloggen/")
            page.click("button[name=language][value=en]")
            page.wait_for_load_state()
        _check(page, f"{base}/inloggen/", source, problems, lang)
        page.fill("input[name=username]", "niemand")
        page.fill("input[name=password]", "fout")
        page.click("form button[type=submit] >> nth=-1")
        page.wait_for_load_state()
        _check(page, page.url, source, problems, lang)
        for template in PAGES["urgency-respond"]:
            _check(page, base + template.format(**filled), source, problems, lang)
        # A viewer: the 403 page (voices are for analysts) and the 404 page.
        log_in(page, base, "lezer-a11y")
        _check(page, f"{base}/stemmen/", source, problems, lang)
        assert page.locator("h1").inner_text() in {"Geen toegang", "No access"}
        _check(page, f"{base}/gebied/BU9999XX99/2024/", source, problems, lang)
        # The admin sees every other page.
        page.context.clear_cookies()
        if lang == "en":
            page.goto(f"{base}/inloggen/")
            page.click("button[name=language][value=en]")
        log_in(page, base, "beheer-a11y")
        for name, templates in PAGES.items():
            if name in ("urgency-respond", "login"):
                continue  # checked logged out above
            for template in templates:
                _check(page, base + template.format(**filled), source, problems, lang)
                visited += 1
        # Pages that only a POST shows: the new-round form with errors, the links shown once.
        for url, fill in ((f"{base}/peilingen/nieuw/", {}),
                          (f"{base}/peilingen/{filled['round']}/", {"#id_count": "2"}),
                          (f"{base}/stemmen/gesprek/?gemeente=GM0518", {})):
            page.goto(url)
            for selector, value in fill.items():
                page.fill(selector, value)
            page.click("main form[method=post] button[type=submit]")
            page.wait_for_load_state("load")
            for v in run_axe(page, source):
                if v["impact"] in BLOCKING:
                    problems.append(f"[{lang}] POST {url}: {v['impact']} {v['id']} "
                                    f"({v['count']}×) {v['help']} → {v['nodes']}")
    seconds = time.perf_counter() - started
    print(f"axe: {visited} pages × 2 languages + login/403/404/forms in {seconds:.1f} s")
    assert problems == [], "\n".join(problems)
    assert external == []
