"""Nothing acknowledged is overwritten by a late copy, and a database fault answers 503.

* Step 2 of the respondent form (recognition and the rating after the picture) carries the
  stored response's revision. A POST from a form shown before the answers last changed (a
  second window; a client that timed out and retried while its first
  request still waited in the server's queue, which ``benchmarks/load.py`` caught overwriting a
  newer acknowledged answer) stores nothing and answers 409 with the sent answers and the new
  revision; sending that form again replaces the answers.
* When the database is unreachable or locked during the POST (``OperationalError``), the page is
  a plain 503 with ``Retry-After``: no stack trace, no SQL, nothing stored.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from django.db import OperationalError
from django.test import Client
from urgency_web_support import invite, make_round

from wijkbeeld.web.urgency.models import Answer, Response

pytestmark = pytest.mark.django_db


def _hidden(html: str) -> dict[str, str]:
    found = dict(re.findall(r'<input type="hidden" name="([^"]+)"(?: value="([^"]*)")?', html))
    return {k: unescape(v) for k, v in found.items()}


def _form(client: Client, url: str) -> dict[str, str]:
    page = client.get(url)
    assert page.status_code == 200
    return _hidden(page.content.decode())


def _answers(veiligheid: str, wonen: str) -> dict[str, str]:
    return {"veiligheid-rating": veiligheid, "veiligheid-recognition": "ja",
            "wonen-rating": wonen, "wonen-recognition": "nee"}


def _stored() -> dict[str, int | None]:
    return dict(Answer.objects.values_list("theme", "rating_after"))


def _blind(client: Client, url: str) -> None:
    """Step 1 (blind ratings 3 and 3), so that step 2 is the form on the page."""
    form = _form(client, url)
    sent = client.post(url, {**form, "veiligheid-rating": "3", "wonen-rating": "3"})
    assert sent.status_code == 302 and sent["Location"].endswith("?stap=2")


def test_late_copy_of_an_older_form_never_overwrites_newer_answers(raw: Path) -> None:
    token = invite(make_round(raw))[0]
    url = f"/peiling/{token}/"
    client = Client(enforce_csrf_checks=True)
    _blind(client, url)
    old_form = _form(client, url)
    assert old_form["revision"] != ""  # the blind step is stored
    first = client.post(url, {**old_form, **_answers("2", "3")})
    assert first.status_code == 302
    newer = _form(client, url)
    assert newer["revision"] not in ("", old_form["revision"])
    assert client.post(url, {**newer, **_answers("5", "4")}).status_code == 302
    # The late copy of the first request (old revision) arrives after the newer answers.
    late = client.post(url, {**old_form, **_answers("2", "3")})
    assert late.status_code == 409
    assert "intussen al opgeslagen" in late.content.decode()
    assert _stored() == {"veiligheid": 5, "wonen": 4}
    assert Response.objects.count() == 1
    # The 409 page carries the current revision: sending it again replaces, as asked.
    again = _hidden(late.content.decode())
    assert client.post(url, {**again, **_answers("1", "1")}).status_code == 302
    assert _stored() == {"veiligheid": 1, "wonen": 1}
    # The blind ratings never changed.
    assert dict(Answer.objects.values_list("theme", "rating")) == {"veiligheid": 3, "wonen": 3}


def test_post_without_revision_still_replaces(raw: Path) -> None:
    """Clients that do not send the field (older pages) keep the replace-on-resubmit rule."""
    token = invite(make_round(raw))[0]
    url = f"/peiling/{token}/"
    client = Client()
    _blind(client, url)
    for ratings in (("2", "3"), ("4", "5")):
        assert client.post(url, {"stap": "2", **_answers(*ratings)}).status_code == 302
    assert _stored() == {"veiligheid": 4, "wonen": 5}


def test_database_fault_answers_503_without_trace(raw: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkbeeld.web.urgency import respondent

    token = invite(make_round(raw))[0]
    url = f"/peiling/{token}/"
    client = Client(raise_request_exception=False)
    form = _form(client, url)

    def down(*args: object, **kwargs: object) -> None:
        raise OperationalError('connection to server at "127.0.0.1" failed: SELECT secret')

    monkeypatch.setattr(respondent, "submit_blind", down)
    page = client.post(url, {**form, "veiligheid-rating": "2", "wonen-rating": "3"})
    assert page.status_code == 503
    assert page["Retry-After"] == "5"
    assert "no-cache" in page["Cache-Control"]
    html = page.content.decode()
    assert "Tijdelijk niet beschikbaar" in html
    for leak in ("Traceback", "OperationalError", "SELECT", "127.0.0.1", token):
        assert leak not in html
    assert Response.objects.count() == 0
