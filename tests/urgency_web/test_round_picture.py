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
from respond_support import form_data, walk

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
    """The number at the start of ``8,1 %`` / ``1.234,5`` / ``−0,5`` → float."""
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


def picture_page(token: str, ratings: dict[str, str]) -> str:
    """Step 1 answered (blind), then the page of step 2 with the picture."""
    client = Client()
    first = client.get(f"/peiling/{token}/").content.decode()
    sent = client.post(f"/peiling/{token}/", form_data(
        first, {f"{theme}-rating": value for theme, value in ratings.items()}))
    assert sent.status_code == 302
    return client.get(sent["Location"]).content.decode()


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
    page = Client().get(f"/peiling/{token}/").content.decode()
    main = re.search(r"<main[^>]*>(.*)</main>", page, re.S)
    assert main is not None
    blind = main.group(1)
    # Nothing of the picture before the blind step is stored (asking before showing).
    for piece in ('class="picture"', "<svg", "data-indicator", "Wat de cijfers zeggen",
                  "theme-map", "map-legend", "Bron:", "gemiddeld in de gemeente"):
        assert piece not in blind, piece
    html = picture_page(token, {"armoede_schulden": "4", "werk_inkomen": "weet_niet"})

    section = picture(html, "armoede_schulden")
    # The round is held in 2020: the 2020 figures, not the latest (2022).
    assert 'data-year="2020"' in section
    assert "Wat de cijfers zeggen (2020)" in section
    rows = [r for r in raw_series(raw) if r["YEAR"] == "2020" and r["WKC"].startswith("WK0518")]
    own = next(r for r in rows if r["WKC"] == WIJK)
    item = unescape(figure_item(section, "elan_bijstand"))
    value = re.search(r'<strong class="figure-value">([^<]+)</strong>', item)
    assert value is not None
    # A share is shown as a percentage with one decimal ("8,1 %"), never as a fraction.
    assert value.group(1).endswith(" %")
    assert dutch_number(value.group(1)) / 100 == pytest.approx(
        float(own["%_Welfare_benefit_user"]), abs=5e-4)
    weighted = [(float(r["%_Welfare_benefit_user"]), float(r["Total_Population"]))
                for r in rows if r["%_Welfare_benefit_user"] and r["Total_Population"]]
    reference = sum(v * w for v, w in weighted) / sum(w for _, w in weighted)
    ref = re.search(r"gemiddeld in de gemeente: ([^<]+)<", item)
    assert ref is not None
    assert ref.group(1).strip().endswith(" %")
    assert dutch_number(ref.group(1)) / 100 == pytest.approx(reference, abs=5e-4)
    # Shown, not judged: the position in neutral words, never "(on)gunstiger".
    position = re.search(r'<span class="position">\(([^)]+)\)</span>', item)
    assert position is not None
    own_value = float(own["%_Welfare_benefit_user"])
    assert position.group(1) in (
        ("hoger dan gemiddeld", "veel hoger dan gemiddeld", "rond het gemiddelde")
        if own_value > reference else
        ("lager dan gemiddeld", "veel lager dan gemiddeld", "rond het gemiddelde"))
    assert "gunstig" not in html and "band-" not in section
    assert "Bron:" in item and "2020" in item

    # The static map: every wijk drawn, the own one outlined, no external request anywhere.
    svg = re.search(r"<svg [^>]*class=\"theme-map\".*?</svg>", section, re.S)
    assert svg is not None
    assert svg.group(0).count("<path ") == len(codes)
    assert svg.group(0).count('data-own="1"') == 1
    assert 'role="img"' in svg.group(0) and "aria-label=" in svg.group(0)
    legend_html = re.search(r'<ul class="map-legend">(.*?)</ul>', section, re.S)
    assert legend_html is not None
    legend = re.findall(r"#[0-9a-f]{6}", legend_html.group(1))
    # The share is mapped as a percentage: each class a range such as "5,1 – 7,8 %".
    classes = re.findall(r"</svg> ([^<]+)</li>", legend_html.group(1))
    assert classes and all(re.fullmatch(r"\d+(,\d)?( – \d+(,\d)?)? %", c.strip())
                           for c in classes), classes
    assert 2 <= len(legend) <= 5
    own_fill = re.search(r'<path d="[^"]+" fill="(#[0-9a-f]{6})" stroke="#000000"', svg.group(0))
    assert own_fill is not None and own_fill.group(1) in legend
    fills = set(re.findall(r'fill="(#[0-9a-f]{6})"', svg.group(0)))
    assert fills <= set(legend) | {"#ffffff"}
    # One neutral hue, labelled by value: "lager ↔ hoger", the figure's unit on each class.
    from wijkbeeld.web.urgency.picture import NEUTRAL_PALETTE
    assert set(legend) <= {c.lower() for c in NEUTRAL_PALETTE}
    assert "lager ↔ hoger" in section
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
    html = picture_page(token, {"armoede_schulden": "3"})
    section = picture(html, "armoede_schulden")
    assert "data-indicator" not in section
    assert "geen cijfers van vóór de peiling" in section


def _post(client: Client, token: str, story: str, consent: bool) -> None:
    """Step 3 again (steps 1 and 2 once, the first time): the story and its consent."""
    from wijkbeeld.web.urgency.models import Response as Stored

    if not Stored.objects.exists():
        walk(client, token, {"veiligheid": "4", "wonen": "weet_niet"}, story=story,
             consent=consent)
        return
    page = client.get(f"/peiling/{token}/?stap=3").content.decode()
    fields = {"story": story, **({"story_consent": "on"} if consent else {})}
    response = client.post(f"/peiling/{token}/", form_data(page, fields))
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
