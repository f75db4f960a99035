"""Roles and municipality scoping (``wijkbeeld.web.accounts.access``).

Areas are real: Amsterdam's from the KWB 2024 file and the Den Haag region wijken from the
haaglanden GeoJSON, read in the test and stored with ``ensure_areas``.
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.test import Client, RequestFactory
from django.views.generic import View
from webpages_support import KWB_2024, KWB_DIR, make_user

from wijkbeeld.web.accounts.access import (
    ADMINS,
    ANALYSTS,
    PROFESSIONALS,
    READERS,
    RoleRequiredMixin,
    can_see_municipality,
    municipality_of,
    role_required,
    scope_by_municipality,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.store import ensure_areas

pytestmark = pytest.mark.django_db

ByMunicipality = dict[str, list[str]]


@pytest.fixture
def areas(raw: Path) -> dict[str, list[str]]:
    """Amsterdam (2024) and the Den Haag region wijken (2022), by municipality code."""
    with (raw / KWB_DIR / KWB_2024).open(encoding="utf-8-sig", newline="") as fh:
        amsterdam = [(r["Area_Code"].strip(), r["District_Type"].strip())
                     for r in csv.DictReader(fh, delimiter=";")]
    ensure_areas(amsterdam, 2024)
    geo = json.loads((raw / "haaglanden-wijken-zorg" / "haaglanden_wijken.geojson").read_text())
    haaglanden = [(f["properties"]["WK_CODE"], f["properties"]["WK_NAAM"].strip())
                  for f in geo["features"]]
    ensure_areas([*haaglanden, ("NL01", "Nederland")], 2022)
    by_gm: dict[str, list[str]] = {}
    for code, _ in [*amsterdam, *haaglanden]:
        by_gm.setdefault("GM" + code[2:6], []).append(code)
    return by_gm


def test_role_sets_nest() -> None:
    assert READERS == ("admin", "analyst", "professional", "viewer")
    assert set(ADMINS) < set(ANALYSTS) < set(PROFESSIONALS) < set(READERS)


@pytest.mark.parametrize("role", ["viewer", "professional", "analyst", "admin"])
def test_every_role_may_read_the_pages(client: Client, areas: ByMunicipality, role: str) -> None:
    client.force_login(make_user(f"u_{role}", role))
    assert client.get("/").status_code == 200
    assert client.get("/gemeente/GM0363/").status_code == 200
    assert client.get("/gebied/BU0363AA01/2024/").status_code == 200
    assert client.get("/gemeente/GM0518/").status_code == 200


def test_inactive_user_is_treated_as_signed_out(client: Client, areas: ByMunicipality) -> None:
    user = make_user("weg", "analyst", is_active=False)
    client.force_login(user)
    assert client.get("/").status_code == 302


def _view(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok")


def test_role_required_gates_by_role() -> None:
    factory = RequestFactory()
    analysts_only = role_required(*ANALYSTS)(_view)
    assert analysts_only.required_roles == ANALYSTS  # type: ignore[attr-defined]

    request = factory.get("/geheim/?x=1")
    request.user = AnonymousUser()
    response = analysts_only(request)
    assert response.status_code == 302
    assert response["Location"] == "/inloggen/?next=/geheim/%3Fx%3D1"

    for role, allowed in (("viewer", False), ("professional", False),
                          ("analyst", True), ("admin", True)):
        request = factory.get("/geheim/")
        request.user = make_user(f"r_{role}", role)
        if allowed:
            assert analysts_only(request).status_code == 200
        else:
            with pytest.raises(PermissionDenied):
                analysts_only(request)

    request = factory.get("/geheim/")
    request.user = make_user("root", "viewer", is_superuser=True)
    assert analysts_only(request).status_code == 200  # a superuser counts as admin


def test_role_required_rejects_unknown_roles() -> None:
    with pytest.raises(ValueError, match="unknown role"):
        role_required("analyst", "burgemeester")
    with pytest.raises(ValueError, match="at least one role"):
        role_required()


def test_mixin_for_class_based_views() -> None:
    class AdminOnly(RoleRequiredMixin, View):
        roles = ADMINS

        def get(self, request: HttpRequest) -> HttpResponse:
            return HttpResponse("ok")

    view = AdminOnly.as_view()
    factory = RequestFactory()
    request = factory.get("/x/")
    request.user = AnonymousUser()
    assert view(request).status_code == 302
    request = factory.get("/x/")
    request.user = make_user("an", "analyst")
    with pytest.raises(PermissionDenied):
        view(request)
    request = factory.get("/x/")
    request.user = make_user("ad", "admin")
    assert view(request).status_code == 200


def test_wrong_role_gets_403_page(client: Client, areas: ByMunicipality) -> None:
    client.force_login(make_user("lezer", "viewer"))
    response = client.get("/admin/", follow=True)
    assert response.status_code == 403
    assert "Geen toegang" in response.content.decode()


# --- municipality scoping ----------------------------------------------------------------------


def test_scoping_helpers() -> None:
    tied = make_user("adam", "viewer", municipality="GM0363")
    free = make_user("alles", "analyst")
    assert municipality_of(tied) == "GM0363" and municipality_of(free) is None
    assert can_see_municipality(tied, "GM0363") and not can_see_municipality(tied, "GM0518")
    assert can_see_municipality(tied, "")  # national rows belong to no municipality
    assert can_see_municipality(free, "GM0518")
    assert not can_see_municipality(AnonymousUser(), "GM0363")


def test_scope_by_municipality_filters_a_queryset(areas: ByMunicipality) -> None:
    tied = make_user("dh", "viewer", municipality="GM0518")
    scoped = scope_by_municipality(Area.objects.all(), tied)
    municipalities = set(scoped.values_list("municipality", flat=True))
    assert municipalities == {"GM0518", ""}
    assert scoped.filter(municipality="GM0518").count() == len(areas["GM0518"])
    everything = scope_by_municipality(Area.objects.all(), make_user("x", "analyst"))
    assert everything.count() == Area.objects.count()


def test_municipality_tied_user_sees_only_that_municipality(
    client: Client, areas: ByMunicipality
) -> None:
    client.force_login(make_user("amsterdammer", "analyst", municipality="GM0363"))
    home = client.get("/")
    codes = {m["code"] for m in home.context["municipalities"]}
    assert codes == {"GM0363"}
    assert 'href="/gemeente/GM0518/"' not in home.content.decode()
    assert client.get("/gemeente/GM0363/").status_code == 200
    assert client.get("/gebied/BU0363AA01/2024/").status_code == 200
    # Another municipality: 403, for its list and for its areas.
    assert client.get("/gemeente/GM0518/").status_code == 403
    assert client.get("/gebied/WK051801/2022/").status_code == 403
    assert client.get("/gebied/WK191601/2022/").status_code == 403
    # The national row belongs to no municipality and stays visible.
    assert client.get("/gebied/NL01/2022/").status_code == 200


def test_unscoped_user_sees_every_municipality(client: Client, areas: ByMunicipality) -> None:
    client.force_login(make_user("netwerk", "viewer"))
    codes = {m["code"] for m in client.get("/").context["municipalities"]}
    assert codes == set(areas)
    assert len(codes) == 5  # Amsterdam + the 4 municipalities of the haaglanden polygons


def test_every_page_view_checks_the_role() -> None:
    from django.urls import URLPattern

    from wijkbeeld.web.pages import urls

    # The glossary only explains words; residents with an invitation link (no account) read it.
    public = {"login", "logout", "glossary"}
    checked = 0
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        if pattern.name in public:
            continue
        assert getattr(pattern.callback, "required_roles", None) == READERS, pattern.name
        checked += 1
    assert checked >= 3


def test_home_without_data_says_how_to_get_some(client: Client) -> None:
    client.force_login(make_user("leeg", "viewer"))
    html = client.get("/").content.decode()
    assert "Er zijn nog geen gebieden opgeslagen." in html
    assert "<code>wijkbeeld demo load</code>" in html
