"""The Django admin: open to the admin role only; users with role and municipality; read-only
import batches."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from webpages_support import KWB_2024, KWB_DIR, make_user

from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.readers import read_figures
from wijkbeeld.web.accounts.models import User
from wijkbeeld.web.figures.models import ImportBatch, Indicator
from wijkbeeld.web.figures.store import store_table, sync_catalogue

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client: Client) -> Client:
    # An admin by role only: not a superuser, not is_staff.
    client.force_login(make_user("beheer", "admin"))
    return client


def test_anonymous_goes_to_the_login_page(client: Client) -> None:
    response = client.get("/admin/", follow=True)
    assert response.redirect_chain[-1][0] == "/inloggen/?next=/admin/"
    assert "<h1>Inloggen</h1>" in response.content.decode()


@pytest.mark.parametrize("role", ["viewer", "professional", "analyst"])
def test_other_roles_get_403(client: Client, role: str) -> None:
    client.force_login(make_user(f"x_{role}", role, is_staff=True))
    assert client.get("/admin/", follow=True).status_code == 403
    assert client.get("/admin/figures/indicator/", follow=True).status_code == 403
    assert client.get("/admin/accounts/user/", follow=True).status_code == 403


def test_admin_role_reaches_every_model(admin_client: Client) -> None:
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    html = response.content.decode()
    for url in ("/admin/accounts/user/", "/admin/figures/indicator/", "/admin/figures/theme/",
                "/admin/areas/area/", "/admin/figures/importbatch/", "/admin/areas/crosswalk/"):
        assert f'href="{url}"' in html
        assert admin_client.get(url).status_code == 200, url


def test_superuser_reaches_the_admin(client: Client) -> None:
    client.force_login(make_user("root", "viewer", is_superuser=True))
    assert client.get("/admin/").status_code == 200


def test_indicators_and_themes_are_editable(admin_client: Client) -> None:
    catalogue = load_catalogue()
    sync_catalogue(catalogue)
    listing = admin_client.get("/admin/figures/indicator/?q=inwoners")
    assert listing.status_code == 200
    assert "Aantal inwoners" in listing.content.decode()
    indicator = Indicator.objects.get(key="inwoners")
    page = admin_client.get(f"/admin/figures/indicator/{indicator.pk}/change/")
    assert page.status_code == 200 and 'name="name_nl"' in page.content.decode()
    theme_page = admin_client.get("/admin/figures/theme/")
    assert "Veiligheid" in theme_page.content.decode()


def test_import_batches_are_read_only(admin_client: Client, raw: Path) -> None:
    table = read_figures(raw / KWB_DIR / KWB_2024)
    result = store_table(table, who="test")
    url = f"/admin/figures/importbatch/{result.batch_id}/change/"
    page = admin_client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert table.sha256 in html
    assert 'name="file_name"' not in html  # shown, not editable
    admin_client.post(url, {"file_name": "vervalst.csv", "who": "iemand"})
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.file_name == table.file and batch.who == "test"
    assert admin_client.get("/admin/figures/importbatch/add/").status_code == 403
    assert admin_client.post(
        f"/admin/figures/importbatch/{result.batch_id}/delete/", {"post": "yes"}
    ).status_code == 403
    assert ImportBatch.objects.filter(pk=result.batch_id).exists()


def test_add_user_with_role_and_municipality(admin_client: Client) -> None:
    form = admin_client.get("/admin/accounts/user/add/").content.decode()
    assert 'name="role"' in form and 'name="municipality"' in form
    response = admin_client.post("/admin/accounts/user/add/", {
        "username": "wijkregisseur", "role": "professional", "municipality": " gm0518 ",
        "usable_password": "true", "password1": "Lang-en-sterk-42", "password2": "Lang-en-sterk-42",
    })
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(username="wijkregisseur")
    assert (user.role, user.municipality) == ("professional", "GM0518")
    assert user.check_password("Lang-en-sterk-42")


@pytest.mark.parametrize("value", ["XX0363", "GM036", "BU0363"])
def test_municipality_must_be_a_gm_code(admin_client: Client, value: str) -> None:
    user = make_user("iemand", "viewer")
    response = admin_client.post(f"/admin/accounts/user/{user.pk}/change/", {
        "username": "iemand", "role": "viewer", "municipality": value,
        "is_active": "on", "date_joined_0": "2026-01-01", "date_joined_1": "10:00:00",
    })
    assert response.status_code == 200
    assert "Vul een gemeentecode in zoals GM0363" in response.content.decode()
    user.refresh_from_db()
    assert user.municipality == ""


def test_only_a_superuser_hands_out_superuser_status(admin_client: Client) -> None:
    user = make_user("gewoon", "viewer")
    page = admin_client.get(f"/admin/accounts/user/{user.pk}/change/").content.decode()
    assert 'name="role"' in page
    assert 'name="is_superuser"' not in page
