"""``/api/areas?q=``: ranked by the core's name search, best first, same response shape."""

from __future__ import annotations

import pytest
from api_support import make_user
from django.test import Client

from wijkbeeld.web.areas.models import Area

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_data")]


@pytest.fixture
def reader(client: Client) -> Client:
    Area.objects.create(code="WK0363Z9", name="Wijk 99 Zoekhaven", level="district",
                        municipality="GM0363", boundary_year=2024)
    Area.objects.create(code="BU0363Z901", name="Zoekhaven-Oost", level="neighbourhood",
                        municipality="GM0363", boundary_year=2024)
    Area.objects.create(code="WK051899", name="Zoekhaven", level="district",
                        municipality="GM0518", boundary_year=2022)
    client.force_login(make_user("zoeker", "viewer", "GM0363"))
    return client


def test_q_ranks_names_best_first_within_the_users_municipality(reader: Client) -> None:
    body = reader.get("/api/areas", {"q": "zoekhaven"}).json()
    assert [a["code"] for a in body["items"]] == ["WK0363Z9", "BU0363Z901"]  # not GM0518's
    assert body["total"] == 2 and body["offset"] == 0
    first = body["items"][0]
    assert set(first) == {"code", "name", "level", "boundary_year", "municipality",
                          "parent_code", "has_geometry", "display_name"}
    assert first["name"] == "Wijk 99 Zoekhaven" and first["has_geometry"] is False
    assert first["display_name"] == "Zoekhaven"  # the level word and number dropped


def test_q_tolerates_typos_and_pages(reader: Client) -> None:
    body = reader.get("/api/areas", {"q": "Zoekhavn", "limit": 1, "offset": 1}).json()
    assert body["total"] == 2 and [a["code"] for a in body["items"]] == ["BU0363Z901"]
    assert reader.get("/api/areas", {"q": "xqzvw"}).json()["total"] == 0
