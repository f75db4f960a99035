"""Authorisation: every URL route × every role against the intended matrix (authz_matrix.py).

The routes are enumerated from Django's resolver, recursively (admin, i18n, API and every app), so
a route added without a matrix row fails ``test_every_route_is_in_the_matrix``. The second test
requests every route as every role, with real parameters from the test data, and compares the
outcome with the matrix; a role that is refused is also refused on POST.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from authz_matrix import MATRIX, ROLES
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver
from security_support import World, build_world

LOGIN = "/inloggen/"
#: A token of the right shape that belongs to no invitation.
UNKNOWN_TOKEN = "A" * 43
#: Outcomes that refuse a request; a role refused on GET must be refused on POST too.
REFUSED = ("login", "401", "403", "404")


def routes(resolver: URLResolver | None = None, prefix: str = "") -> Iterator[str]:
    """Every route pattern, with its prefixes, as the matrix spells it."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern)


def test_every_route_is_in_the_matrix() -> None:
    found = list(routes())
    assert len(found) == len(set(found)), "a route pattern appears twice"
    missing = sorted(set(found) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(found))
    assert not missing, ("routes without a row in tests/security/authz_matrix.py "
                         f"(add one per route): {missing}")
    assert not stale, f"matrix rows for routes that no longer exist: {stale}"


def outcome(response: HttpResponse) -> str:
    """The matrix word for a response."""
    if response.status_code in (301, 302):
        return "login" if response["Location"].startswith(LOGIN) else "redir"
    if response.status_code == 200:
        return "ok"
    return str(response.status_code)


def get(client: Client, url: str, post: bool = False) -> HttpResponse:
    """GET (or POST) ``url``; the admin's detour over its own login page is followed."""
    response = client.post(url, {"text": "x", "themes": ["wonen"]}) if post else client.get(url)
    for _ in range(3):  # /admin/logout/ → /admin/ → /admin/login/ → /inloggen/ or 403
        if response.status_code != 302:
            break
        location = response["Location"]
        if not (location.startswith("/admin/login/") or location == "/admin/"):
            break
        response = client.get(location)
    return response  # type: ignore[no-any-return]


def _fill(url: str, world: World, role: str) -> str:
    def pk(match: re.Match[str]) -> str:
        kind, label = match.group(1), match.group(2)
        model = apps.get_model(label)
        if kind == "ct":
            return str(ContentType.objects.get_for_model(model).pk)
        first = model.objects.order_by("pk").first()
        assert first is not None, f"no {label} in the test data"
        return str(first.pk)

    url = re.sub(r"\{(pk|ct):([\w.]+)\}", pk, url)
    return url.format(gm=world.gm, wijk=world.wijk, year=world.year, voice=world.voice,
                      token=world.token if role == "token" else UNKNOWN_TOKEN)


def client_for(role: str, world: World) -> Client:
    client = Client(raise_request_exception=False)
    if role in world.users:
        client.force_login(world.users[role])
    return client


@pytest.mark.django_db
def test_every_role_on_every_route(raw: Path, tmp_path: Path,
                                   monkeypatch: pytest.MonkeyPatch) -> None:
    # Only who gets through matters here; the PDF itself is tested in tests/report (WeasyPrint
    # takes seconds per render).
    monkeypatch.setattr("wijkbeeld.web.pages.report_views.render_pdf", lambda data: b"%PDF-1.7")
    from django.contrib.auth.models import Group

    from wijkbeeld.web.areas.models import Crosswalk
    from wijkbeeld.web.figures.models import ImportBatch

    world = build_world(raw, tmp_path)
    # One row for each admin model that the world does not fill (only their pages are checked).
    Group.objects.create(name="beheer")
    Crosswalk.objects.create(from_code=world.wijk, from_year=2022, to_code=world.wijk,
                             to_year=world.year, batch=ImportBatch.objects.first())
    clients = {role: client_for(role, world) for role in ROLES}
    wrong: list[str] = []
    leaks: list[str] = []
    for row in MATRIX.values():
        for role in ROLES:
            url = _fill(row.url, world, role)
            response = get(clients[role], url)
            got = outcome(response)
            expected, _, on_post = row.outcomes[role].partition(">")
            if got != expected:
                wrong.append(f"GET {url} as {role}: expected {expected}, got {got} "
                             f"({response.status_code})")
            public = row.outcomes["anon"] == "ok"  # e.g. the API schema, with examples
            if (role == "other" and got == "ok" and not public
                    and world.wijk.encode() in response.content):
                leaks.append(f"{url} shows {world.wijk} to a user of another municipality")
            if on_post or expected in REFUSED:
                post = outcome(get(clients[role], url, post=True))
                allowed = {on_post} if on_post else {expected, "405"}
                if post not in allowed:
                    wrong.append(f"POST {url} as {role}: expected refusal "
                                 f"{'/'.join(sorted(allowed))}, got {post}")
    assert not wrong, "authorisation differs from the matrix:\n" + "\n".join(wrong)
    assert not leaks, "\n".join(leaks)
