"""Issue 18, finding 4: the admin is scoped to the admin's municipality, and its login redirect
accepts only same-site paths.

A municipality admin (role admin, tied to GM0363) sees and edits only rows of GM0363 (national
rows with no municipality are shown read-only), cannot create or move a user into another
municipality, cannot reach another municipality's object by URL, and cannot delete its own
municipality. National admins (admin without municipality) and superusers keep full access.
Every ``next=`` that points off-site lands on the default page, never on a 500.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

import pytest
from django.test import Client
from webpages_support import make_user

from wijkbeeld.web.accounts.models import User
from wijkbeeld.web.api.models import ApiToken
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import ImportBatch, Indicator, Theme
from wijkbeeld.web.voices.models import TextReadAudit, Voice

pytestmark = pytest.mark.django_db

OWN, OTHER = "GM0363", "GM0518"
PASSWORD = "geheim-wachtwoord-1"


def _area(code: str, level: str, municipality: str, name: str) -> Area:
    return Area.objects.create(code=code, boundary_year=2024, level=level,
                               municipality=municipality, name=name)


@pytest.fixture
def world() -> dict[str, Any]:
    """Two municipalities with an area, a user, a token and a read audit each, plus NL."""
    nl = _area("NL01", "country", "", "Nederland")
    gm_own = _area(OWN, "municipality", OWN, "Amsterdam")
    gm_other = _area(OTHER, "municipality", OTHER, "Den Haag")
    wk_own = _area("WK036300", "district", OWN, "Burgwallen")
    wk_other = _area("WK051800", "district", OTHER, "Scheveningen")
    own_admin = make_user("beheer_ams", "admin", OWN)
    own_user = make_user("analist_ams", "analyst", OWN)
    other_admin = make_user("beheer_dh", "admin", OTHER)
    other_user = make_user("analist_dh", "analyst", OTHER)
    national = make_user("beheer_nl", "admin")
    tokens = {u.username: ApiToken.objects.create(user=u, name=f"token {u.username}",
                                                  prefix=u.username[:10], digest=u.username)
              for u in (own_user, other_user)}
    audits = {}
    for user, area in ((own_user, wk_own), (other_user, wk_other)):
        voice = Voice.objects.create(area=area, date="2024-05-01", channel="gesprek",
                                     group="bewoners", text=f"stem {area.code}")
        audits[user.username] = TextReadAudit.objects.create(user=user, voice=voice)
    theme = Theme.objects.create(key="veiligheid", name_nl="Veiligheid")
    indicator = Indicator.objects.create(key="inwoners", name_nl="Aantal inwoners", theme=theme)
    return {
        "nl": nl, "gm_own": gm_own, "gm_other": gm_other, "wk_own": wk_own,
        "wk_other": wk_other, "own_admin": own_admin, "own_user": own_user,
        "other_admin": other_admin, "other_user": other_user, "national": national,
        "tokens": tokens, "audits": audits, "theme": theme, "indicator": indicator,
    }


@pytest.fixture
def own_client(client: Client, world: dict[str, Any]) -> Client:
    client.force_login(world["own_admin"])
    return client


def _html(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.content.decode()


# --- lists ---------------------------------------------------------------------------------------


def test_user_list_shows_only_own_municipality(own_client: Client) -> None:
    html = _html(own_client, "/admin/accounts/user/")
    assert "beheer_ams" in html and "analist_ams" in html
    for name in ("beheer_dh", "analist_dh", "beheer_nl"):
        assert name not in html
    # The municipality filter offers only the own code.
    assert OTHER not in html


def test_area_list_shows_own_and_national_rows_only(own_client: Client) -> None:
    html = _html(own_client, "/admin/areas/area/")
    assert "Burgwallen" in html and "Amsterdam" in html and "Nederland" in html
    assert "Scheveningen" not in html and "Den Haag" not in html


def test_token_and_audit_lists_show_only_own_municipality(own_client: Client) -> None:
    html = _html(own_client, "/admin/api/apitoken/")
    assert "token analist_ams" in html and "token analist_dh" not in html
    html = _html(own_client, "/admin/voices_web/textreadaudit/")
    assert "WK036300" in html and "WK051800" not in html


def test_import_batches_show_own_and_national_ones(own_client: Client,
                                                  world: dict[str, Any]) -> None:
    batches = {}
    for name, kind in (("eigen.gpkg", "areas"), ("ander.gpkg", "areas"),
                       ("omzet.csv", "crosswalk")):
        batches[name] = ImportBatch.objects.create(kind=kind, source="test", file_name=name,
                                                   sha256=name, who="iemand")
    Area.objects.filter(pk=world["wk_own"].pk).update(geometry_batch=batches["eigen.gpkg"])
    Area.objects.filter(pk=world["wk_other"].pk).update(geometry_batch=batches["ander.gpkg"])
    html = _html(own_client, "/admin/figures/importbatch/")
    assert "eigen.gpkg" in html and "omzet.csv" in html and "ander.gpkg" not in html
    url = f"/admin/figures/importbatch/{batches['ander.gpkg'].pk}/change/"
    assert own_client.get(url).status_code == 404
    assert "Aantal inwoners" in _html(own_client, "/admin/figures/indicator/")


# --- objects of another municipality by URL ------------------------------------------------------


@pytest.mark.parametrize("target", ["other_user", "other_admin", "national"])
def test_other_users_are_out_of_reach(own_client: Client, world: dict[str, Any],
                                      target: str) -> None:
    user = world[target]
    username = user.username
    base = f"/admin/accounts/user/{user.pk}"
    for url in (f"{base}/change/", f"{base}/delete/", f"{base}/history/", f"{base}/password/"):
        assert own_client.get(url).status_code == 404, url
    assert own_client.post(f"{base}/change/", {"username": "gekaapt", "role": "viewer",
                                               "municipality": OWN}).status_code == 404
    assert own_client.post(f"{base}/delete/", {"post": "yes"}).status_code == 404
    user.refresh_from_db()
    assert user.username == username
    assert User.objects.filter(pk=user.pk).exists()


def test_other_area_token_and_audit_are_out_of_reach(own_client: Client,
                                                     world: dict[str, Any]) -> None:
    token = world["tokens"]["analist_dh"]
    for url in (f"/admin/areas/area/{world['wk_other'].pk}/change/",
                f"/admin/areas/area/{world['gm_other'].pk}/delete/",
                f"/admin/api/apitoken/{token.pk}/change/",
                f"/admin/voices_web/textreadaudit/{world['audits']['analist_dh'].pk}/change/"):
        assert own_client.get(url).status_code == 404, url
    own_client.post(f"/admin/areas/area/{world['gm_other'].pk}/delete/", {"post": "yes"})
    assert Area.objects.filter(pk=world["gm_other"].pk).exists()


def test_bulk_actions_ignore_rows_of_another_municipality(own_client: Client,
                                                          world: dict[str, Any]) -> None:
    other = world["tokens"]["analist_dh"]
    own_client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [other.pk]})
    other.refresh_from_db()
    assert other.revoked_at is None
    own_client.post("/admin/accounts/user/", {"action": "delete_selected", "post": "yes",
                                              "_selected_action": [world["other_user"].pk]})
    assert User.objects.filter(pk=world["other_user"].pk).exists()


def test_national_rows_are_read_only(own_client: Client, world: dict[str, Any]) -> None:
    nl = world["nl"]
    assert own_client.get(f"/admin/areas/area/{nl.pk}/change/").status_code == 200
    own_client.post(f"/admin/areas/area/{nl.pk}/change/", {
        "code": "NL01", "boundary_year": 2024, "level": "country", "name": "Gekaapt",
        "municipality": "",
    })
    nl.refresh_from_db()
    assert nl.name == "Nederland"
    assert own_client.post(f"/admin/areas/area/{nl.pk}/delete/", {"post": "yes"}).status_code == 403
    indicator = world["indicator"]
    page = _html(own_client, f"/admin/figures/indicator/{indicator.pk}/change/")
    assert "Aantal inwoners" in page and 'name="name_nl"' not in page  # shown, not editable
    own_client.post(f"/admin/figures/indicator/{indicator.pk}/change/", {
        "key": "inwoners", "name_nl": "Gekaapt", "unit": "count", "polarity": "neutral",
    })
    indicator.refresh_from_db()
    assert indicator.name_nl == "Aantal inwoners"
    assert own_client.get("/admin/figures/indicator/add/").status_code == 403


# --- forms: users and areas stay in the own municipality -----------------------------------------


def _new_user(client: Client, **fields: str) -> Any:
    data = {"username": "nieuw", "role": "viewer", "municipality": OWN,
            "usable_password": "true", "password1": "een-lang-wachtwoord-42",
            "password2": "een-lang-wachtwoord-42", **fields}
    return client.post("/admin/accounts/user/add/", data)


def test_admin_creates_a_user_in_its_own_municipality(own_client: Client) -> None:
    response = _new_user(own_client)
    assert response.status_code == 302
    assert User.objects.get(username="nieuw").municipality == OWN


@pytest.mark.parametrize("municipality", [OTHER, ""])
def test_creating_a_user_elsewhere_or_national_is_refused(own_client: Client,
                                                          municipality: str) -> None:
    response = _new_user(own_client, role="admin", municipality=municipality)
    assert response.status_code == 200  # the form again, with an error
    assert not User.objects.filter(username="nieuw").exists()


def test_moving_an_own_user_elsewhere_is_refused(own_client: Client,
                                                 world: dict[str, Any]) -> None:
    user = world["own_user"]
    for municipality in (OTHER, ""):
        own_client.post(f"/admin/accounts/user/{user.pk}/change/", {
            "username": user.username, "role": "admin", "municipality": municipality,
            "is_active": "on", "is_superuser": "on", "language": "",
        })
        user.refresh_from_db()
        assert (user.municipality, user.is_superuser) == (OWN, False)


def test_area_form_offers_only_the_own_municipality(own_client: Client,
                                                    world: dict[str, Any]) -> None:
    own_client.post("/admin/areas/area/add/", {
        "code": "WK051899", "boundary_year": 2024, "level": "district", "name": "Ingeplant",
        "municipality": OTHER, "parent_code": "",
    })
    assert not Area.objects.filter(code="WK051899").exists()
    wk = world["wk_own"]
    own_client.post(f"/admin/areas/area/{wk.pk}/change/", {
        "code": wk.code, "boundary_year": 2024, "level": "district", "name": "Burgwallen",
        "municipality": OTHER, "parent_code": "", "parent": world["gm_other"].pk,
    })
    wk.refresh_from_db()
    assert (wk.municipality, wk.parent_id) == (OWN, None)


def test_token_form_offers_only_own_users(own_client: Client, world: dict[str, Any]) -> None:
    html = _html(own_client, "/admin/api/apitoken/add/")
    assert "analist_ams" in html and "analist_dh" not in html and "beheer_nl" not in html
    own_client.post("/admin/api/apitoken/add/", {"user": world["other_user"].pk, "name": "x"})
    assert not ApiToken.objects.filter(user=world["other_user"], name="x").exists()


def test_every_wijkbeeld_model_admin_is_scoped() -> None:
    """A model admin added later inherits the scope (and declares its lookups) or fails here."""
    from django.contrib import admin

    from wijkbeeld.web.admin_scope import ScopedModelAdmin

    ours = {model: model_admin for model, model_admin in admin.site._registry.items()
            if model.__module__.startswith("wijkbeeld.")}
    assert len(ours) >= 8
    assert [m.__name__ for m, a in ours.items() if not isinstance(a, ScopedModelAdmin)] == []


# --- the organisation one belongs to -------------------------------------------------------------


def test_own_municipality_cannot_be_deleted(own_client: Client, world: dict[str, Any]) -> None:
    gm = world["gm_own"]
    assert own_client.get(f"/admin/areas/area/{gm.pk}/delete/").status_code == 403
    assert own_client.post(f"/admin/areas/area/{gm.pk}/delete/",
                           {"post": "yes"}).status_code == 403
    own_client.post("/admin/areas/area/", {"action": "delete_selected", "post": "yes",
                                           "_selected_action": [gm.pk]})
    assert Area.objects.filter(pk=gm.pk).exists()


def test_national_admin_keeps_full_access(client: Client, world: dict[str, Any]) -> None:
    client.force_login(world["national"])
    html = _html(client, "/admin/accounts/user/")
    assert "analist_dh" in html and "analist_ams" in html
    assert "Scheveningen" in _html(client, "/admin/areas/area/")
    response = client.post(f"/admin/areas/area/{world['gm_other'].pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not Area.objects.filter(code=OTHER).exists()


def test_superuser_keeps_full_access(client: Client, world: dict[str, Any]) -> None:
    client.force_login(make_user("root", "viewer", is_superuser=True))
    assert "analist_dh" in _html(client, "/admin/accounts/user/")
    assert "token analist_dh" in _html(client, "/admin/api/apitoken/")


# --- the login redirect --------------------------------------------------------------------------

HOSTILE = ["https://evil.example/", "//evil.example", "javascript:alert(1)", "\\\\evil",
           "\\evil", "/\\evil.example", "http:evil.example", "evil",
           "/x\r\nLocation: https://evil.example/"]


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_login_for_a_signed_in_admin_stays_on_site(own_client: Client,
                                                         target: str) -> None:
    response = own_client.get("/admin/login/", {"next": target})
    assert (response.status_code, response["Location"]) == (302, "/admin/")


@pytest.mark.parametrize("target", HOSTILE)
def test_admin_login_for_a_visitor_passes_no_hostile_next(client: Client, target: str) -> None:
    response = client.get("/admin/login/", {"next": target})
    assert (response.status_code, response["Location"]) == (302, "/inloggen/?next=/admin/")


def test_admin_login_keeps_a_same_site_next(own_client: Client) -> None:
    response = own_client.get("/admin/login/", {"next": "/admin/areas/area/"})
    assert response["Location"] == "/admin/areas/area/"


@pytest.mark.parametrize("target", HOSTILE)
def test_app_login_lands_on_the_default_page(client: Client, world: dict[str, Any],
                                             target: str) -> None:
    response = client.post("/inloggen/?" + urlencode({"next": target}), {
        "username": "beheer_ams", "password": PASSWORD, "next": target,
    })
    assert (response.status_code, response["Location"]) == (302, "/")
    assert client.get("/inloggen/", {"next": target})["Location"] == "/"
