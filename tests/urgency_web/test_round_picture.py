"""The data picture beside "herkent u dit beeld?" on the respondent form, and the story that
becomes a scrubbed voice.

Real figures: the Den Haag wijk series 2009-2022 (ELAN/LUMC, ``haaglanden/df_count_ver_3.csv``,
the demo step ``haaglanden-aandelen``). The expected value and reference value are computed here
from the raw CSV with the csv module (reference = the population-weighted mean over the Den Haag
wijken of that year, docs/compare.md §1), never through wijkbeeld's readers or compare.
"""

from __future__ import annotations

import csv
import json
import re
from datetime import date
from html import unescape
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client

from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.demo import load_demo
from wijkbeeld.web.urgency.models import Response
from wijkbeeld.web.urgency.services import create_invitations, open_round
from wijkbeeld.web.voices.models import Voice

pytestmark = pytest.mark.django_db

SERIES = "haaglanden-wijken-zorg/df_count_ver_3.csv"
WIJK = "WK051834"  # Morgenstond
PLANTED = ("Fatima Yilmaz", "06-12345678", "f.yilmaz@voorbeeld.nl")


def raw_series(raw: Path) -> list[dict[str, str]]:
    with (raw / SERIES).open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def dutch_number(text: str) -> float:
    """The number at the start of ``0,0812 aandeel`` / ``1.234,5`` / ``−0,5`` → float."""
    number = text.strip().split()[0]
    return float(number.replace(".", "").replace(",", ".").replace("−", "-"))


def picture(html: str, theme: str) -> str:
    found = re.search(rf'<section class="picture"[^>]*data-theme="{theme}"[^>]*>(.*?)</section>',
                      html, re.S)
    assert found is not None, theme
    return found.group(0)


def figure_item(section: str, indicator: str) -> str:
    found = re.search(rf'<li data-indicator="{indicator}">(.*?)</li>', section, re.S)
    assert found is not None, indicator
    return found.group(1)


def load_haaglanden() -> None:
    load_demo(verbose=False, only={"haaglanden-aandelen"}, password="demo-test-1")


def square_shapes() -> list[str]:
    """Give every stored Den Haag wijk a unit square on a grid (the series has no shapes)."""
    wijken = list(Area.objects.filter(municipality="GM0518", level="district").order_by("code"))
    for i, area in enumerate(wijken):
        x, y = 4.2 + 0.01 * (i % 8), 52.0 + 0.01 * (i // 8)
        ring = [[x, y], [x + 0.01, y], [x + 0.01, y + 0.01], [x, y + 0.01], [x, y]]
        area.geometry_web = json.dumps({"type": "Polygon", "coordinates": [ring]})
        area.geometry = area.geometry_web
        area.save(update_fields=["geometry", "geometry_web"])
    return [a.code for a in wijken]


def test_form_shows_the_figures_as_of_the_round_date(raw: Path) -> None:
    load_haaglanden()
    codes = square_shapes()
    rnd = open_round("2020-voorjaar", [WIJK], ["armoede_schulden", "werk_inkomen"],
                     date(2020, 5, 1))
    token = create_invitations(rnd, "residents")[0]
    html = Client().get(f"/peiling/{token}/").content.decode()

    section = picture(html, "armoede_schulden")
    # The round is held in 2020: the 2020 figures, not the latest (2022).
    assert 'data-year="2020"' in section
    assert "Wat de cijfers zeggen (2020)" in section
    rows = [r for r in raw_series(raw) if r["YEAR"] == "2020" and r["WKC"].startswith("WK0518")]
    own = next(r for r in rows if r["WKC"] == WIJK)
    item = unescape(figure_item(section, "elan_bijstand"))
    value = re.search(r'<strong class="figure-value">([^<]+)</strong>', item)
    assert value is not None
    assert dutch_number(value.group(1)) == pytest.approx(float(own["%_Welfare_benefit_user"]),
                                                         rel=2e-3)
    weighted = [(float(r["%_Welfare_benefit_user"]), float(r["Total_Population"]))
                for r in rows if r["%_Welfare_benefit_user"] and r["Total_Population"]]
    reference = sum(v * w for v, w in weighted) / sum(w for _, w in weighted)
    ref = re.search(r"gemiddeld in de gemeente: ([^)<]+)\)", item)
    assert ref is not None
    assert dutch_number(ref.group(1)) == pytest.approx(reference, rel=5e-3)
    # Higher is worse: a share above the reference is on the unfavourable side, in words.
    band = re.search(r'<span class="band band-([a-z_]+)">([^<]+)</span>', item)
    assert band is not None
    expected_side = "unfavourable" if float(own["%_Welfare_benefit_user"]) > reference \
        else "favourable"
    assert band.group(1).endswith(expected_side) or band.group(1) == "around_average"
    assert "Bron:" in item and "2020" in item

    # The same figure as the area page shows for 2020 (one computation, not two).
    from django.contrib.auth import get_user_model
    viewer = get_user_model().objects.create_user("lezer", password="x-geheim-12345",
                                                  role="viewer")
    client = Client()
    client.force_login(viewer)
    by = Area.objects.filter(code=WIJK).order_by("-boundary_year").first()
    assert by is not None
    page = client.get(f"/gebied/{WIJK}/{by.boundary_year}/?jaar=2020").content.decode()
    row = re.search(r'<tr data-indicator="elan_bijstand" data-period="2020">(.*?)</tr>', page,
                    re.S)
    assert row is not None
    assert f'<span class="band band-{band.group(1)}">' in row.group(1)

    # The static map: every wijk drawn, the own one outlined, no external request anywhere.
    svg = re.search(r"<svg [^>]*class=\"theme-map\".*?</svg>", section, re.S)
    assert svg is not None
    assert svg.group(0).count("<path ") == len(codes)
    assert svg.group(0).count('data-own="1"') == 1
    assert 'role="img"' in svg.group(0) and "aria-label=" in svg.group(0)
    legend_html = re.search(r'<ul class="map-legend">(.*?)</ul>', section, re.S)
    assert legend_html is not None
    legend = re.findall(r"#[0-9a-f]{6}", legend_html.group(1))
    assert 2 <= len(legend) <= 5
    own_fill = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]{6})" stroke="#000000"', svg.group(0))
    assert own_fill is not None and own_fill.group(1) in legend
    fills = set(re.findall(r'fill="(#[0-9a-f]{6})"', svg.group(0)))
    assert fills <= set(legend) | {"#ffffff"}
    assert not re.search(r'(src|href)="(https?:)?//', html)

    # Accessible: each theme is a fieldset with a legend; the picture has its own heading.
    assert html.count('<fieldset class="theme"') == 2
    assert re.search(r'<section class="picture" '
                     r'aria-labelledby="beeld-armoede_schulden naam-armoede_schulden"', html)
    assert '<h3 id="beeld-armoede_schulden">' in html


def test_round_before_any_figures_says_so(raw: Path) -> None:
    load_haaglanden()
    first = min(int(r["YEAR"]) for r in raw_series(raw) if r["WKC"] == WIJK)
    rnd = open_round("vroeg", [WIJK], ["armoede_schulden"], date(first - 1, 6, 1))
    token = create_invitations(rnd, "residents")[0]
    html = Client().get(f"/peiling/{token}/").content.decode()
    section = picture(html, "armoede_schulden")
    assert "data-indicator" not in section
    assert "geen cijfers van vóór de peiling" in section


def _post(client: Client, token: str, story: str, consent: bool) -> None:
    html = client.get(f"/peiling/{token}/").content.decode()
    # Every hidden field of the form as shown (the CSRF token, the response's revision).
    hidden = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', html))
    assert "csrfmiddlewaretoken" in hidden
    data = {**hidden, "veiligheid-rating": "4", "wonen-rating": "weet_niet", "story": story}
    if consent:
        data["story_consent"] = "on"
    response = client.post(f"/peiling/{token}/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def raw_voice_rows() -> list[tuple[str, str, str, str, bool, int]]:
    table = Voice._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT text, grp, channel, source, consent, area_id FROM {table}"
                       .replace("grp", connection.ops.quote_name("group")))
        return [tuple(r) for r in cursor.fetchall()]  # type: ignore[misc]


def test_story_becomes_a_scrubbed_voice(raw: Path) -> None:
    from urgency_web_support import make_round

    rnd = make_round(raw)
    token = create_invitations(rnd, "professionals", organisation_type="wijkteam")[0]
    client = Client(enforce_csrf_checks=True)
    story = (f"Ik sprak met {PLANTED[0]}, bel {PLANTED[1]} of mail {PLANTED[2]}: de "
             "overlast bij het winkelcentrum en de schulden van gezinnen nemen toe.")
    _post(client, token, story, consent=True)

    response = Response.objects.get(round=rnd)
    rows = raw_voice_rows()
    assert len(rows) == 1
    text, group, channel, source, consent, area_id = rows[0]
    for planted in PLANTED:
        assert planted not in text
        assert planted not in response.story
    assert "winkelcentrum" in text and "schulden" in text
    assert (group, channel, source, bool(consent)) == (
        "professionals", "enquete", f"peiling:{response.pk}", True)
    assert area_id == response.area_id == Area.objects.get(code="WK0363AF").pk
    voice = Voice.objects.get()
    assert voice.organisation_type == "wijkteam"
    assert sum(voice.scrub_report.values()) >= 3

    # Resubmitting replaces the voice; an emptied story removes it.
    _post(client, token, "Het wordt beter met de speeltuin.", consent=False)
    assert [(r[0], bool(r[4])) for r in raw_voice_rows()] == [
        ("Het wordt beter met de speeltuin.", False)]
    _post(client, token, "", consent=False)
    assert raw_voice_rows() == []
