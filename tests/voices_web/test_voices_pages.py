"""The voices pages through Django's test client: the record form (CSRF, labels, scrubbed before
storage, themes shown to confirm), roles and the read audit, stored XSS shown as text, and the
small-number rule on every view of the app (enumerated from the URL conf)."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import URLPattern, get_resolver, reverse
from voices_web_support import PLANTED, PLANTED_TEXT, WIJK, XSS, area, store_areas, user, voices

from wijkbeeld.web.voices.models import TextReadAudit, Voice

pytestmark = pytest.mark.django_db


def client_for(role: str, municipality: str = "", enforce_csrf: bool = False) -> Client:
    client = Client(enforce_csrf_checks=enforce_csrf)
    name = f"u-{role}-{municipality or 'all'}"
    found = get_user_model().objects.filter(username=name).first()
    client.force_login(found or user(name, role, municipality))
    return client


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def voice_url_names() -> set[str]:
    """Every named URL served by the voices views, straight from the URL conf."""
    names: set[str] = set()

    def walk(patterns: list[Any]) -> None:
        for p in patterns:
            if isinstance(p, URLPattern):
                if getattr(p.callback, "__module__", "") == "wijkbeeld.web.voices.views":
                    assert p.name, p
                    names.add(p.name)
            else:
                walk(p.url_patterns)

    walk(get_resolver().url_patterns)
    return names


def test_record_form_scrubs_and_asks_to_confirm_themes(raw: Path) -> None:
    names = store_areas(raw)
    client = client_for("professional", "GM0363", enforce_csrf=True)
    url = reverse("voices-record", args=[WIJK])
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert '<meta name="viewport" content="width=device-width, initial-scale=1">' in html
    assert names[WIJK] in html
    assert 'aria-describedby="id_text_helptext"' in html and 'id="id_text_helptext"' in html
    for field in ("text", "date", "channel", "group", "organisation_type", "urgency", "consent"):
        assert f'for="id_{field}"' in html and f'id="id_{field}"' in html, field
    assert client.post(url, {"text": "zonder token"}).status_code == 403  # CSRF enforced
    data = {"csrfmiddlewaretoken": csrf_from(html), "text": PLANTED_TEXT, "date": "2024-06-01",
            "channel": "wijkschouw", "group": "residents", "organisation_type": "",
            "urgency": "4", "consent": "on"}
    saved = client.post(url, data)
    voice = Voice.objects.get()
    assert saved.status_code == 302 and saved["Location"] == reverse("voices-confirm",
                                                                     args=[voice.pk])
    assert not any(p in voice.text for p in PLANTED)
    assert (voice.channel, voice.urgency, voice.consent) == ("wijkschouw", 4, True)
    confirm = client.get(saved["Location"]).content.decode()
    assert "Voorgestelde thema's:" in confirm
    assert "1× [EMAIL], 1× [NAAM], 1× [TELEFOON]" in confirm
    checked = re.findall(r'<input type="checkbox" name="themes" value="([a-z_]+)"[^>]*checked',
                         confirm)
    assert set(checked) == set(voice.themes.values_list("theme", flat=True)) and checked
    assert "zwerfafval" not in confirm  # the text itself is not shown back
    done = client.post(saved["Location"], {"csrfmiddlewaretoken": csrf_from(confirm),
                                           "themes": ["openbare_ruimte"]})
    assert done.status_code == 302
    assert list(voice.themes.values_list("theme", "confirmed")) == [("openbare_ruimte", True)]


def test_invalid_form_is_400_and_stores_nothing(raw: Path) -> None:
    store_areas(raw)
    client = client_for("professional")
    page = client.post(reverse("voices-record", args=[WIJK]),
                       {"text": "", "date": "gisteren", "channel": "fax", "group": "residents"})
    assert page.status_code == 400
    assert "Controleer de gemarkeerde velden." in page.content.decode()
    assert Voice.objects.count() == 0


def test_roles_and_read_audit(raw: Path) -> None:
    store_areas(raw)
    voice = voices(area(), 1, "Er ligt veel zwerfafval op straat")[0]
    detail = reverse("voices-detail", args=[voice.pk])
    for role in ("viewer", "professional"):
        client = client_for(role)
        assert client.get(detail).status_code == 403
        assert client.get(reverse("voices-list")).status_code == 403
    assert client_for("viewer").get(reverse("voices-record", args=[WIJK])).status_code == 403
    assert Client().get(detail).status_code == 302  # anonymous: to the login page
    assert TextReadAudit.objects.count() == 0
    assert client_for("analyst", "GM0599").get(detail).status_code == 403  # other municipality
    analyst = client_for("analyst", "GM0363")
    page = analyst.get(detail)
    assert page.status_code == 200 and "Er ligt veel zwerfafval op straat (1)" in \
        page.content.decode()
    analyst.get(detail)
    reads = list(TextReadAudit.objects.values_list("user__username", "voice_id"))
    assert reads == [("u-analyst-GM0363", voice.pk)] * 2
    listing = analyst.get(reverse("voices-list"), {"thema": "openbare_ruimte",
                                                    "groep": "residents", "gebied": WIJK})
    assert f'data-voice="{voice.pk}"' in listing.content.decode()
    assert "zwerfafval op straat (1)" not in listing.content.decode()  # no texts in the list
    assert f'data-voice="{voice.pk}"' not in analyst.get(
        reverse("voices-list"), {"groep": "policy"}).content.decode()
    assert TextReadAudit.objects.count() == 2


def test_analyst_corrects_a_voice(raw: Path) -> None:
    store_areas(raw)
    voice = voices(area(), 1, "Er ligt veel zwerfafval op straat")[0]
    client = client_for("analyst", enforce_csrf=True)
    url = reverse("voices-detail", args=[voice.pk])
    html = client.get(url).content.decode()
    answer = client.post(url, {"csrfmiddlewaretoken": csrf_from(html), "tone": "kracht",
                               "text": "Mail f.yilmaz@voorbeeld.nl: het is nu schoon",
                               "themes": ["openbare_ruimte", "sociale_samenhang"],
                               "urgency": ""})
    assert answer.status_code == 302
    voice.refresh_from_db()
    assert voice.text == "Mail [EMAIL]: het is nu schoon" and voice.tone == "kracht"
    assert set(voice.themes.values_list("theme", "confirmed")) == {
        ("openbare_ruimte", True), ("sociale_samenhang", True)}


def test_stored_xss_is_shown_as_text_everywhere(raw: Path) -> None:
    store_areas(raw)
    stored = voices(area(), 5, XSS)
    assert all(v.text.startswith("<script>alert(1)</script>") for v in stored)
    pages = {
        "area": (client_for("viewer"), reverse("voices-area", args=[WIJK])),
        "detail": (client_for("analyst"), reverse("voices-detail", args=[stored[0].pk])),
        "list": (client_for("admin"), reverse("voices-list")),
    }
    shown = 0
    for name, (client, url) in pages.items():
        html = client.get(url).content.decode()
        assert "<script>alert" not in html, name
        assert "<b onmouseover" not in html, name
        if "&lt;script&gt;alert(1)&lt;/script&gt;" in html:
            shown += 1
            assert "&lt;b onmouseover=&quot;x()&quot;&gt;overlast&lt;/b&gt;" in html, name
    assert shown == 2  # the quote on the area page and the full text for the analyst


def _numbers(html: str) -> list[str]:
    """Every count cell of a page (class "num"), as shown."""
    cells = re.findall(r'<td class="num"[^>]*>(.*?)</td>', html, re.S)
    return [unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in cells]


def test_small_numbers_on_every_view(raw: Path) -> None:
    store_areas(raw)
    wijk = area()
    few = voices(wijk, 4, "Er ligt veel zwerfafval op straat")
    voices(wijk, 6, "Het is 's avonds onveilig door de inbraken", group="professionals")
    analyst = user("ana", "analyst")
    few[0].author = analyst
    few[0].save()
    routes: dict[str, Callable[[], str]] = {
        "voices-area": lambda: reverse("voices-area", args=[WIJK]),
        "voices-list": lambda: reverse("voices-list"),
        "voices-review": lambda: reverse("voices-review"),
        "voices-record": lambda: reverse("voices-record", args=[WIJK]),
        "voices-detail": lambda: reverse("voices-detail", args=[few[0].pk]),
        "voices-confirm": lambda: reverse("voices-confirm", args=[few[0].pk]),
    }
    assert set(routes) == voice_url_names(), "a new voices view needs a small-number check"
    client = Client()
    client.force_login(analyst)
    for name, url in routes.items():
        page = client.get(url())
        assert page.status_code == 200, name
        html = page.content.decode()
        for shown in _numbers(html):
            assert shown == "<5" or int(shown) >= 5, (name, shown)
        assert not re.search(r"\b[0-4] (?:stemmen|voices|keer)\b", unescape(html)), name
    area_html = client.get(routes["voices-area"]()).content.decode()
    row = re.search(r'<tr data-theme="openbare_ruimte">(.*?)</tr>', area_html, re.S)
    assert row is not None
    assert '<td class="num" data-group="residents">&lt;5</td>' in row.group(1)
    row = re.search(r'<tr data-theme="veiligheid">(.*?)</tr>', area_html, re.S)
    assert row is not None
    assert '<td class="num" data-group="professionals">6</td>' in row.group(1)
    # quotes: only for veiligheid (6 consenting voices), not for openbare_ruimte (4)
    assert 'class="quotes" data-theme="veiligheid"' in area_html
    assert 'class="quotes" data-theme="openbare_ruimte"' not in area_html
    assert wijk.voices.count() == 10
