"""Who may call the API: anonymous callers, roles, municipality scoping, tokens (hashed,
revocable, expiring, from `wijkbeeld api token`), and the one error shape for every failure."""

from __future__ import annotations

import hashlib
import re
from datetime import timedelta
from typing import Any

import pytest
from api_support import WIJK, make_user
from django.test import Client
from django.utils import timezone

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("api_data")]

#: One URL per operation, with parameters that succeed for an Amsterdam reader.
OPERATIONS = [
    "/api/me",
    "/api/areas?municipality=GM0363",
    f"/api/areas/{WIJK}",
    "/api/indicators",
    "/api/indicators/huishoudens_laag_inkomen_pct",
    "/api/themes",
    "/api/figures?area=BU0363AA01",
    "/api/profiles/BU0363AA01",
    "/api/comparisons?municipality=GM0363&year=2024&indicator=woz_waarde",
    "/api/hotspots?municipality=GM0363&year=2024&indicator=huishoudens_laag_inkomen_pct"
    "&permutations=99",
    "/api/urgency/rounds",
    f"/api/urgency/{WIJK}",
]
#: The operations that read one municipality's data (403 for a user of another one).
AMSTERDAM_ONLY = [u for u in OPERATIONS if "GM0363" in u or "BU0363" in u or WIJK in u]


def error(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}
    assert body["error"]["code"] == code and body["error"]["message"]
    return dict(body["error"])


def test_every_operation_is_covered_by_the_list() -> None:
    """Every operation of this app's routers (other apps' routers test their own: the agenda's,
    and the triggers' in tests/voices_web/test_triggers_use.py)."""
    from wijkbeeld.web.api.main import api

    ours = {path for path, item in api.get_openapi_schema()["paths"].items()
            if not path.startswith("/api/agenda") and "/triggers" not in path}
    listed = {re.sub(r"\?.*", "", u) for u in OPERATIONS}
    patterns = {re.sub(r"\{\w+\}", "[^/]+", p) for p in ours}
    assert len(ours) == len(listed)
    assert all(any(re.fullmatch(p, u) for p in patterns) for u in listed)


@pytest.mark.parametrize("url", OPERATIONS)
def test_anonymous_gets_401(client: Client, url: str) -> None:
    response = client.get(url)
    error(response, 401, "unauthorized")
    assert response["WWW-Authenticate"].startswith("Bearer")


@pytest.mark.parametrize("role", ["viewer", "professional", "analyst", "admin"])
def test_every_reader_role_may_read(client: Client, role: str) -> None:
    client.force_login(make_user(f"u-{role}", role, "GM0363"))
    for url in OPERATIONS:
        assert client.get(url).status_code == 200, url


def test_a_role_outside_the_readers_gets_403(client: Client) -> None:
    user = make_user("gast", "viewer")
    type(user).objects.filter(pk=user.pk).update(role="gast")  # not a known role
    client.force_login(user)
    for url in OPERATIONS:
        error(client.get(url), 403, "forbidden")


@pytest.mark.parametrize("url", AMSTERDAM_ONLY)
def test_other_municipality_gets_403(client: Client, url: str) -> None:
    client.force_login(make_user("haags", "analyst", "GM0518"))
    error(client.get(url), 403, "forbidden")


def test_lists_are_scoped_to_the_users_municipality(client: Client) -> None:
    client.force_login(make_user("haags", "analyst", "GM0518"))
    assert client.get("/api/areas").json()["total"] == 0
    assert client.get("/api/urgency/rounds").json()["total"] == 0
    figures = client.get("/api/figures?indicator=huishoudens_laag_inkomen_pct").json()
    assert figures["total"] == 0
    client.force_login(make_user("landelijk", "analyst", ""))
    assert client.get("/api/areas").json()["total"] > 400


def test_token_auth_and_hashed_storage(client: Client, capsys: pytest.CaptureFixture[str]) -> None:
    from wijkbeeld.cli import main
    from wijkbeeld.web.api.models import ApiToken

    make_user("script", "analyst", "GM0363")
    assert main(["api", "token", "script", "--name", "Power BI", "--days", "30"]) == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("wb_") and len(token) > 40
    row = ApiToken.objects.get()
    assert row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert token not in {row.prefix, row.name, row.digest} and token.startswith(row.prefix)
    assert row.expires_at is not None and row.name == "Power BI"
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    for url in OPERATIONS:
        assert client.get(url, **headers).status_code == 200, url
    me = client.get("/api/me", **headers).json()
    assert me == {"username": "script", "role": "analyst", "municipality": "GM0363",
                  "via": "token"}
    row.refresh_from_db()
    assert row.last_used_at is not None
    # a token of GM0363 cannot read another municipality
    error(client.get("/api/areas?municipality=GM0518", **headers), 403, "forbidden")
    # listing shows the prefix, never the token
    assert main(["api", "tokens"]) == 0
    listed = capsys.readouterr().out
    assert row.prefix in listed and token not in listed
    # revoked: 401, even with a valid session beside it
    assert main(["api", "revoke", row.prefix]) == 0
    client.force_login(make_user("sessie", "viewer", "GM0363"))
    error(client.get("/api/me", **headers), 401, "unauthorized")
    assert client.get("/api/me").json()["via"] == "session"


def test_bad_expired_and_inactive_tokens_get_401(client: Client) -> None:
    from wijkbeeld.web.api.models import ApiToken
    from wijkbeeld.web.api.tokens import create_token

    for header in ("Bearer wb_nope", "Bearer ", "Bearer " + "x" * 300):
        error(client.get("/api/me", HTTP_AUTHORIZATION=header), 401, "unauthorized")
    user = make_user("oud", "viewer", "GM0363")
    row, token = create_token("oud", days=1)
    headers = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert client.get("/api/me", **headers).status_code == 200
    ApiToken.objects.filter(pk=row.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    error(client.get("/api/me", **headers), 401, "unauthorized")
    ApiToken.objects.filter(pk=row.pk).update(expires_at=None)
    user.is_active = False
    user.save()
    error(client.get("/api/me", **headers), 401, "unauthorized")
    with pytest.raises(LookupError):
        create_token("oud")
    with pytest.raises(LookupError):
        create_token("bestaat-niet")


def test_error_shapes_400_404_422_405_and_500(client: Client, monkeypatch: Any) -> None:
    client.force_login(make_user("fout", "analyst", "GM0363"))
    error(client.get("/api/figures"), 400, "bad_request")
    error(client.get("/api/areas/BU0363ZZ99"), 404, "not_found")
    error(client.get("/api/nergens/heen"), 404, "not_found")
    bad = error(client.get("/api/areas?limit=0&level=planeet"), 422, "validation_error")
    assert {tuple(d["loc"])[-1] for d in bad["details"]} == {"limit", "level"}
    bad = error(client.get("/api/areas/XX12"), 422, "validation_error")
    assert bad["details"][0]["loc"] == ["code"]
    error(client.get("/api/hotspots?municipality=WK0363AF&year=2024&indicator=x"), 422,
          "validation_error")
    response = client.post("/api/me")
    assert response.status_code in (403, 405)  # CSRF or method: never a 200, never HTML
    assert response["Content-Type"].startswith("application/json")

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("geheime interne details")

    monkeypatch.setattr("wijkbeeld.web.api.indicators.Theme.objects.order_by", broken)
    body = error(client.get("/api/themes"), 500, "server_error")
    assert "geheime" not in body["message"] and body["details"] is None


def test_messages_follow_the_language(client: Client) -> None:
    dutch = error(client.get("/api/me"), 401, "unauthorized")
    english = error(client.get("/api/me", HTTP_ACCEPT_LANGUAGE="en"), 401, "unauthorized")
    assert dutch["message"].startswith("Log in of stuur")
    assert english["message"].startswith("Sign in or send a valid token")


def test_admin_makes_a_token_shown_once_and_stores_its_digest(client: Client) -> None:
    from wijkbeeld.web.api.models import ApiToken

    owner = make_user("bi", "viewer", "GM0363")
    client.force_login(make_user("beheer", "admin"))
    response = client.post("/admin/api/apitoken/add/", {
        "user": owner.pk, "name": "Power BI", "expires_at_0": "", "expires_at_1": ""})
    assert response.status_code == 200, response.content[:500]
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]
    match = re.search(r'value="(wb_[^"]+)"', response.content.decode())
    assert match is not None
    token = match.group(1)
    row = ApiToken.objects.get()
    assert row.user == owner and row.digest == hashlib.sha256(token.encode()).hexdigest()
    assert "messages" not in response.cookies and token not in str(client.session.items())
    api_client = Client()
    me = api_client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}").json()
    assert me["username"] == "bi" and me["via"] == "token"
    page = client.get(f"/admin/api/apitoken/{row.pk}/change/")
    assert page.status_code == 200 and token not in page.content.decode()
    client.post("/admin/api/apitoken/", {"action": "revoke", "_selected_action": [row.pk]})
    row.refresh_from_db()
    assert row.revoked_at is not None
    error(api_client.get("/api/me", HTTP_AUTHORIZATION=f"Bearer {token}"), 401, "unauthorized")
