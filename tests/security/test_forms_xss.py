"""CSRF and XSS on every form and every page of the matrix (admin pages excepted: Django's own).

Every page that a role may open (per ``authz_matrix.py``) is fetched; every ``<form method=post>``
on it is found with the standard HTML parser. For each form

* a POST without a CSRF token (``Client(enforce_csrf_checks=True)``) is refused with 403;
* every text field (``input type=text/search/email/…``, ``textarea``) is filled with an XSS payload
  and the form is posted with its token: the answer must not carry the payload unescaped
  (reflected), and afterwards no page of the matrix may (stored).

Every page is also fetched with every query parameter the views read set to the payload
(reflected XSS through the URL).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from authz_matrix import MATRIX
from django.test import Client
from security_support import build_world
from test_authz_matrix import _fill

PAYLOAD = "<script>alert('xss')</script>\"><img src=x onerror=alert(1)>"
#: What must never appear in a page: the payload's tags, unescaped.
DANGER = re.compile(r"<script>alert\(|<img src=x onerror", re.I)
#: Every query parameter a view reads (grep ``GET.get`` in src/wijkbeeld/web).
PARAMS = ("gebied", "thema", "groep", "pagina", "ronde", "jaar", "niveau", "next", "verstuurd",
          "variabele", "referentie", "indeling", "gemeente", "agenda", "q")
TEXT_TYPES = {"text", "search", "email", "url", "tel", ""}


class Forms(HTMLParser):
    """The POST forms of a page: action and fields (name → value, text fields marked)."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[dict[str, Any]] = []
        self._form: dict[str, Any] | None = None
        self._select: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and a.get("method", "get").lower() == "post":
            self._form = {"action": a.get("action", ""), "fields": {}, "text": set()}
            self.forms.append(self._form)
        if self._form is None or not a.get("name"):
            return
        name, fields = a["name"], self._form["fields"]
        if tag == "textarea":
            fields[name] = ""
            self._form["text"].add(name)
        elif tag == "input":
            kind = a.get("type", "").lower()
            if kind in ("checkbox", "radio"):
                fields.setdefault(name, a.get("value", "on"))
            elif kind not in ("submit", "button", "file"):
                fields[name] = a.get("value", "")
                if kind in TEXT_TYPES:
                    self._form["text"].add(name)
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and self._select not in fields:
            fields[self._select] = a.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None


def html(response: Any) -> bool:
    """Only HTML can run a script: JSON (with nosniff) and files are data, not pages."""
    return "text/html" in response.get("Content-Type", "")


def forms_of(text: str) -> list[dict[str, Any]]:
    parser = Forms()
    parser.feed(text)
    return parser.forms


@pytest.mark.django_db
def test_csrf_and_xss_on_every_form_and_page(raw: Path, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("wijkbeeld.web.pages.report_views.render_pdf", lambda data: b"%PDF-1.7")
    world = build_world(raw, tmp_path)
    clients: dict[str, Client] = {}
    for role in ("token", "analyst", "prof", "admin"):
        clients[role] = Client(raise_request_exception=True)
        if role in world.users:
            clients[role].force_login(world.users[role])
    pages = [(role, _fill(row.url, world, role)) for row in MATRIX.values()
             for role in clients if row.outcomes.get(role) == "ok"
             and not row.url.startswith("/admin/")]
    # The respondent form shows its later steps (the picture, the story) at the same route once
    # step 1 is stored: visit them right after it (before any page closes the round), so their
    # forms are posted too.
    pages = [p for role, url in pages for p in (
        [(role, url), (role, f"{url}?stap=2"), (role, f"{url}?stap=3")]
        if role == "token" and url.startswith("/peiling/") else [(role, url)])]
    problems: list[str] = []
    posted = 0
    for role, url in pages:
        client = clients[role]
        query = "&".join(f"{p}={PAYLOAD}" for p in PARAMS)
        response = client.get(f"{url}{'&' if '?' in url else '?'}{query}")
        if html(response) and DANGER.search(response.content.decode(errors="replace")):
            problems.append(f"reflected XSS via the query on {url}")
        page = client.get(url)
        if not html(page):
            continue
        for form in forms_of(page.content.decode()):
            action = form["action"] or url
            if action.rstrip("/").endswith(("uitloggen", "setlang")):
                continue
            fields = dict(form["fields"])
            no_token = {k: v for k, v in fields.items() if k != "csrfmiddlewaretoken"}
            strict = Client(enforce_csrf_checks=True)
            if role in world.users:
                strict.force_login(world.users[role])
            if strict.post(action, no_token).status_code != 403:
                problems.append(f"POST without CSRF token accepted by {action}")
            for name in form["text"]:
                fields[name] = PAYLOAD
            answer = client.post(action, fields, follow=True)
            posted += 1
            if html(answer) and DANGER.search(answer.content.decode(errors="replace")):
                problems.append(f"reflected XSS in the answer of {action} ({sorted(form['text'])})")
    assert posted >= 4, f"only {posted} forms were found: is the form parser broken?"
    # The payload really was stored (as text), so the pages below had it to show.
    from wijkbeeld.web.urgency.models import Answer, Response
    from wijkbeeld.web.voices.models import Voice

    assert Voice.objects.filter(text__contains="alert(").exists()
    assert Response.objects.filter(story__contains="alert(").exists()
    from django.db.models import Q

    assert Answer.objects.filter(Q(comment__contains="alert(")
                                 | Q(recognition_comment__contains="alert(")).exists()
    for role, url in pages:
        page = clients[role].get(url)
        if html(page) and DANGER.search(page.content.decode(errors="replace")):
            problems.append(f"stored XSS shown on {url} to {role}")
    assert not problems, "\n".join(problems)
