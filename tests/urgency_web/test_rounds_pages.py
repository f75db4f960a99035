"""The respondent form at /peiling/<token>/ and the urgency dashboard at /urgentie/<code>/,
through Django's test client (with CSRF checks on)."""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from respond_support import form_data
from urgency_web_support import answers, invite, kwb_wijken, make_round

from wijkbeeld.web.urgency.models import Answer, Response, Round
from wijkbeeld.web.urgency.services import close_round, create_invitations, submit_response

pytestmark = pytest.mark.django_db


def user(username: str, role: str, municipality: str = "") -> object:
    return get_user_model().objects.create_user(
        username, password="geheim-wachtwoord-1", role=role, municipality=municipality)


def csrf_from(html: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def cell(html: str, theme: str, group: str) -> str:
    row = re.search(rf'<tr data-theme="{theme}">(.*?)</tr>', html, re.S)
    assert row is not None, theme
    found = re.search(rf'<td[^>]*data-group="{group}">(.*?)</td>', row.group(1), re.S)
    assert found is not None, (theme, group)
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", found.group(1))).strip())


def klass(html: str, theme: str) -> str:
    row = re.search(rf'<tr data-theme="{theme}">\s*<th scope="row">[^<]*</th>\s*'
                    r'<td class="class-[a-z_]+">([^<]*)</td>', html)
    assert row is not None, theme
    return row.group(1)


def test_form_renders_accessible_and_private(raw: Path) -> None:
    rnd = make_round(raw)
    token = invite(rnd)[0]
    response = Client().get(f"/peiling/{token}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="nl">' in html
    assert f"<h1>Hoe urgent is het in {kwb_wijken(raw)['WK0363AF']}?</h1>" in html
    assert "Stap 1 van 3" in html and 'aria-current="step">1. Uw oordeel' in html
    assert html.count('<fieldset class="theme"') == 2
    assert '<legend><h2 id="naam-veiligheid">Veiligheid</h2></legend>' in html
    assert '<legend><h2 id="naam-wonen">Wonen</h2></legend>' in html
    assert "<legend>Hoe urgent is veiligheid in uw wijk?</legend>" in html
    # Step 1 asks only the blind rating: recognition comes after the picture.
    assert "Herkent u dit beeld?" not in html
    for theme in ("veiligheid", "wonen"):
        values = re.findall(rf'<input type="radio" name="{theme}-rating" value="([^"]+)"', html)
        assert values == ["1", "2", "3", "4", "5", "weet_niet"]
        ids = re.findall(rf'<input type="radio" name="{theme}-rating" value="[^"]+"[^>]* '
                         r'id="([^"]+)"', html)
        assert len(ids) == 6 and all(f'<label class="choice" for="{i}">' in html for i in ids)
    assert 'name="csrfmiddlewaretoken"' in html
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"  # no-referrer breaks CSRF (Origin null)
    assert token not in html.replace(f"/peiling/{token}/", "")  # only ever in its own URL


def post_data(html: str, **fields: str) -> dict[str, str]:
    return form_data(html, fields)


def test_three_steps_store_blind_then_after_and_freeze_the_blind(raw: Path) -> None:
    rnd = make_round(raw)
    token = invite(rnd)[0]
    client = Client(enforce_csrf_checks=True)
    url = f"/peiling/{token}/"
    html = client.get(url).content.decode()
    fields = {"veiligheid-rating": "4", "veiligheid-comment": "Bel 06-12345678",
              "wonen-rating": "weet_niet"}
    assert client.post(url, {"stap": "1", **fields}).status_code == 403  # no CSRF token
    assert not Response.objects.exists()
    sent = client.post(url, post_data(html, **fields))
    assert sent.status_code == 302 and sent["Location"] == f"{url}?stap=2"
    response = Response.objects.get()
    assert response.blind_at is not None
    stored = sorted(Answer.objects.values_list("theme", "rating", "rating_after", "comment"))
    assert stored == [("veiligheid", 4, None, "Bel [TELEFOON]"), ("wonen", None, None, "")]

    # Step 1 again (the back button, a second window): the blind rating stays as it was.
    again = client.post(url, post_data(html, **{"veiligheid-rating": "1", "wonen-rating": "1"}))
    assert again.status_code == 302 and "vastgelegd=1" in again["Location"]
    assert sorted(Answer.objects.values_list("theme", "rating")) == [
        ("veiligheid", 4), ("wonen", None)]
    # A GET never shows step 1 again.
    assert "Stap 2 van 3" in client.get(url).content.decode()

    second = client.get(f"{url}?stap=2").content.decode()
    assert "Herkent u dit beeld?" not in html
    assert second.count("<legend>Herkent u dit beeld?</legend>") == 2
    sent = client.post(url, post_data(second, **{
        "veiligheid-rating": "5", "veiligheid-recognition": "deels",
        "veiligheid-comment": "mail jan@example.org", "wonen-rating": "3"}))
    assert sent.status_code == 302 and sent["Location"] == f"{url}?stap=3"
    stored = sorted(Answer.objects.values_list("theme", "rating", "rating_after", "recognition",
                                               "recognition_comment"))
    assert stored == [("veiligheid", 4, 5, "deels", "mail [EMAIL]"),
                      ("wonen", None, 3, "", "")]
    # Step 2 again replaces only step 2.
    second = client.get(f"{url}?stap=2").content.decode()
    assert re.search(r'name="veiligheid-recognition" value="deels"[^>]*checked', second)
    sent = client.post(url, post_data(second, **{"veiligheid-rating": "2",
                                                 "wonen-rating": "weet_niet"}))
    assert sent.status_code == 302
    assert sorted(Answer.objects.values_list("theme", "rating", "rating_after")) == [
        ("veiligheid", 4, 2), ("wonen", None, None)]

    third = client.get(f"{url}?stap=3").content.decode()
    assert 'type="checkbox" name="story_consent"' in third
    assert '<label for="id_story_consent">' in third
    sent = client.post(url, post_data(third, story="Veel jongeren op straat.",
                                      story_theme="veiligheid", story_consent="on"))
    assert sent.status_code == 302 and sent["Location"] == f"{url}?verstuurd=1"
    thanks = client.get(sent["Location"]).content.decode()
    assert "Bedankt! Uw antwoorden zijn opgeslagen." in thanks
    assert "Toestemming intrekken" in thanks
    response.refresh_from_db()
    assert (response.story, response.story_theme) == ("Veel jongeren op straat.", "veiligheid")


def test_missing_rating_shows_errors_and_stores_nothing(raw: Path) -> None:
    rnd = make_round(raw)
    token = invite(rnd)[0]
    client = Client(enforce_csrf_checks=True)
    url = f"/peiling/{token}/"
    html = client.get(url).content.decode()
    data = post_data(html, **{"veiligheid-rating": "3"})
    data["wonen-rating"] = "7"
    response = client.post(url, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert 'class="error-summary" role="alert"' in page
    assert re.search(r'<a href="#id_wonen-rating_0">Wonen: ', page)
    assert 'aria-invalid="true" aria-describedby="id_wonen-rating-fout"' in page
    assert re.search(r'name="veiligheid-rating" value="3"[^>]*checked', page)  # kept
    assert not Response.objects.exists()


def test_unknown_token_and_closed_round(raw: Path) -> None:
    rnd = make_round(raw)
    token, other = invite(rnd, count=2)
    submit_response(token, answers(4, 4))
    client = Client()
    unknown = client.get("/peiling/" + "A" * 43 + "/")
    assert unknown.status_code == 404
    assert "Deze link werkt niet" in unknown.content.decode()
    assert client.get("/peiling/kort/").status_code == 404
    close_round(rnd)
    for t in (token, other):
        closed = client.get(f"/peiling/{t}/")
        assert closed.status_code == 410
        assert "Deze peiling is gesloten" in closed.content.decode()
        posted = client.post(f"/peiling/{t}/", {"veiligheid-rating": "1", "wonen-rating": "1"})
        assert posted.status_code == 410
    assert sorted(Answer.objects.values_list("theme", "rating")) == [
        ("veiligheid", 4), ("wonen", 4)]


@pytest.fixture
def answered_round(raw: Path) -> Round:
    """Residents 6 (veiligheid 4, 5, 4, 2, 1, 4 → 4 of 6 urgent), professionals 5 (all 5),
    policy 4 (3 of 4 urgent: withheld, fewer than 5)."""
    rnd = make_round(raw)
    ratings = {"residents": [4, 5, 4, 2, 1, 4], "professionals": [5, 5, 5, 5, 5],
               "policy": [5, 4, 4, 1]}
    for group, values in ratings.items():
        for token, v in zip(create_invitations(rnd, group, len(values)), values, strict=True):
            submit_response(token, answers(v, 3, "ja"))
    return rnd


def test_dashboard_withholds_small_groups(answered_round: Round) -> None:
    client = Client()
    client.force_login(user("lezer", "viewer"))
    response = client.get("/urgentie/WK0363AF/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Gedeelde urgentie in Nieuwmarkt/Lastage <span class="code">WK0363AF</span>' in html
    assert cell(html, "veiligheid", "bewoners").startswith("67% urgent n=6")  # 4 / 6
    assert cell(html, "veiligheid", "professionals").startswith("100% urgent n=5")
    assert cell(html, "veiligheid", "beleid") == "te weinig antwoorden (<5)"
    assert cell(html, "wonen", "beleid") == "te weinig antwoorden (<5)"
    # Policy's own numbers (3 of 4 = 75%, mean 3.5, n=4) are nowhere on the page.
    assert "75%" not in html and "3,5" not in html and "n=4" not in html
    # Residents: mean (4+5+4+2+1+4)/6 = 3.33; herkenning all "ja" = 100%.
    assert "gemiddeld 3,3" in cell(html, "veiligheid", "bewoners")
    assert "herkenning 100%" in cell(html, "veiligheid", "bewoners")
    # By hand (docs/urgency.md §5): veiligheid: residents and professionals urgent, policy not
    # heard (withheld), no figures → rule 3; wonen: all rate 3, nobody urgent → rule 5.
    assert klass(html, "veiligheid") == "gevoeld, niet gemeten"
    assert klass(html, "wonen") == "geen urgentie"
    # Residents r_wg: s² = 11.333 / 5 = 2.267 > σ²_EU = 2 → clipped to 0.
    assert "r wg 0,00" in cell(html, "veiligheid", "bewoners")


def test_dashboard_access(answered_round: Round) -> None:
    anonymous = Client().get("/urgentie/WK0363AF/")
    assert anonymous.status_code == 302 and anonymous["Location"].startswith("/inloggen/")
    for role in ("admin", "analyst", "professional", "viewer"):
        client = Client()
        client.force_login(user(f"u-{role}", role, "GM0363"))
        assert client.get("/urgentie/WK0363AF/").status_code == 200, role
        listing = client.get("/urgentie/")
        assert listing.status_code == 200
        assert 'href="/urgentie/WK0363AF/?ronde=2024-voorjaar"' in listing.content.decode()
    elsewhere = Client()
    elsewhere.force_login(user("utrecht", "viewer", "GM0344"))
    assert elsewhere.get("/urgentie/WK0363AF/").status_code == 403
    assert "WK0363AF" not in elsewhere.get("/urgentie/").content.decode()
    viewer = Client()
    viewer.force_login(user("v2", "viewer"))
    assert viewer.get("/urgentie/WK0363AF/?ronde=bestaat-niet").status_code == 404
    assert viewer.get("/urgentie/WK0363AA/").status_code == 404
    assert viewer.get("/urgentie/XX/").status_code == 404
