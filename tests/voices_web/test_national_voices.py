"""Issue 18, finding 6: voices about the national level (NL00, an area of no municipality) are
visible only to their author's municipality and to national roles (users without a
municipality), on every surface that reads voices: the list, the full text, the theme and intake
confirmations, the area voices page (counts and quotes), the counts and quotes services and the
urgency signals. Another municipality sees neither the voices nor a count or quote of them.

Five national voices are stored by a professional of Amsterdam (GM0363), five of Amsterdam's
own wijk by the same author; the expected visibility is written out per user by hand.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.store import ensure_areas
from wijkbeeld.web.voices import services
from wijkbeeld.web.voices.models import Voice

pytestmark = pytest.mark.django_db

PASSWORD = "geheim-wachtwoord-1"
NATIONAL_TEXT = "Landelijk punt over de veiligheid op straat"
OWN_TEXT = "Amsterdams punt over de veiligheid in de wijk"


def _user(name: str, role: str, municipality: str = "") -> Any:
    return get_user_model().objects.create_user(name, password=PASSWORD, role=role,
                                                municipality=municipality)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def world() -> dict[str, Any]:
    ensure_areas([("NL00", "Nederland"), ("GM0363", "Amsterdam"), ("GM0599", "Rotterdam"),
                  ("WK036300", "Burgwallen-Oude Zijde")], 2024)
    nl = Area.objects.get(code="NL00", boundary_year=2024)
    wijk = Area.objects.get(code="WK036300", boundary_year=2024)
    author = _user("auteur-ams", "professional", "GM0363")
    national = [services.record_voice(nl, f"{NATIONAL_TEXT} ({i + 1})", when=date(2024, 5, 1),
                                      channel="gesprek", group="residents", consent=True,
                                      urgency=4, author=author, extra_themes=["veiligheid"])
                for i in range(5)]
    own = [services.record_voice(wijk, f"{OWN_TEXT} ({i + 1})", when=date(2024, 5, 1),
                                 channel="gesprek", group="residents", consent=True,
                                 author=author, extra_themes=["veiligheid"])
           for i in range(5)]
    users = {
        "author": author,
        "analyst_ams": _user("analist-ams", "analyst", "GM0363"),
        "viewer_ams": _user("lezer-ams", "viewer", "GM0363"),
        "analyst_rdam": _user("analist-rdam", "analyst", "GM0599"),
        "admin_rdam": _user("beheer-rdam", "admin", "GM0599"),
        "viewer_rdam": _user("lezer-rdam", "viewer", "GM0599"),
        "analyst_nl": _user("analist-nl", "analyst", ""),
    }
    return {"nl": nl, "wijk": wijk, "national": national, "own": own, **users}


def _listed(page: str) -> set[int]:
    return {int(pk) for pk in re.findall(r'data-voice="(\d+)"', page)}


def test_voice_list_hides_national_voices_from_other_municipalities(
    world: dict[str, Any]
) -> None:
    national = {v.pk for v in world["national"]}
    own = {v.pk for v in world["own"]}
    for who, expected in (("analyst_rdam", set()), ("admin_rdam", set()),
                          ("analyst_ams", national | own), ("analyst_nl", national | own)):
        page = _client(world[who]).get("/stemmen/?gebied=")
        assert page.status_code == 200, who
        assert _listed(page.content.decode()) == expected, who
        nl_page = _client(world[who]).get("/stemmen/?gebied=NL00")
        assert _listed(nl_page.content.decode()) == expected & national, who


@pytest.mark.parametrize("path", ["/stemmen/{pk}/", "/stemmen/{pk}/themas/",
                                  "/stemmen/gesprek/{pk}/"])
def test_full_text_and_confirmations_of_a_national_voice(
    world: dict[str, Any], path: str
) -> None:
    pk = world["national"][0].pk
    url = path.format(pk=pk)
    for who in ("analyst_rdam", "admin_rdam"):
        page = _client(world[who]).get(url)
        assert page.status_code == 403, who
        assert NATIONAL_TEXT not in page.content.decode(), who
    for who in ("analyst_ams", "analyst_nl"):
        assert _client(world[who]).get(url).status_code == 200, who


def _shown_counts(page: str) -> list[str]:
    """Every number shown in the counts table (withheld cells show a marker, not a number)."""
    table = re.search(r'<table class="data urgency voices-counts">(.*?)</table>', page, re.S)
    assert table is not None
    return re.findall(r'<td class="num"[^>]*>\s*(\d+)\s*</td>', table.group(1))


def test_area_voices_page_of_the_country(world: dict[str, Any]) -> None:
    for who in ("viewer_rdam", "analyst_rdam"):
        page = _client(world[who]).get("/stemmen/gebied/NL00/").content.decode()
        assert NATIONAL_TEXT not in page, who
        assert _shown_counts(page) == [], who  # as for an area without any voice
    for who in ("viewer_ams", "analyst_nl"):
        page = _client(world[who]).get("/stemmen/gebied/NL00/").content.decode()
        assert NATIONAL_TEXT in page, who
        assert "5" in _shown_counts(page), who  # the five voices are counted (at least the total)


def _counted(grid: Any) -> set[int]:
    """Every number a grid shows (cells and totals); withheld ones are None."""
    shown = {c.count for c in grid.cells.values()} | set(grid.row_totals.values())
    return {n for n in shown | set(grid.column_totals.values()) | {grid.total} if n is not None}


def test_counts_quotes_and_signals_follow_the_viewer(world: dict[str, Any]) -> None:
    from wijkbeeld.web.urgency.reading import voice_signals

    nl = world["nl"]
    assert _counted(services.counts(nl, viewer=world["viewer_rdam"])) == set()
    assert _counted(services.counts(nl)) == set()  # nobody in particular
    assert 5 in _counted(services.counts(nl, viewer=world["viewer_ams"]))
    assert 5 in _counted(services.counts(nl, viewer=world["analyst_nl"]))
    assert services.quotes(nl, "veiligheid", viewer=world["viewer_rdam"]).quotes == ()
    assert services.quotes(nl, "veiligheid").quotes == ()  # e.g. a respondent's page
    assert len(services.quotes(nl, "veiligheid", viewer=world["analyst_nl"]).quotes) == 3
    assert voice_signals("NL00", date(2024, 6, 1)).empty  # the shared urgency matrix
    # a municipality's own voices are untouched by the rule
    assert 5 in _counted(services.counts(world["wijk"], viewer=world["viewer_ams"]))
    assert Voice.objects.count() == 10
