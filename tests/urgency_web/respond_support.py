"""Walk the three steps of the respondent form through Django's test client, the way a browser
does: every POST carries the hidden fields of the page as rendered, and every field the test
fills must be in that page (a form that lost a field fails here, not silently)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.test import Client

__all__ = ["form_data", "walk"]


def form_data(html: str, fields: Mapping[str, str]) -> dict[str, str]:
    """The hidden inputs of the respondent form in ``html`` plus ``fields``, each of which must
    be a field of that form as rendered."""
    found = re.search(r'<form method="post" class="respond-form"[^>]*>(.*?)</form>', html, re.S)
    assert found is not None, html[:2000]
    form = found.group(1)
    data = dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', form))
    for name, value in fields.items():
        assert f'name="{name}"' in form, f"field {name} is not in the rendered form"
        if f'type="radio" name="{name}"' in form:
            assert f'name="{name}" value="{value}"' in form, (name, value)
        data[name] = value
    return data


def walk(
    client: Client,
    token: str,
    blind: Mapping[str, str],
    after: Mapping[str, tuple[str, str]] | None = None,
    *,
    story: str = "",
    story_theme: str = "algemeen",
    consent: bool = False,
    comments: Mapping[str, str] | None = None,
) -> str:
    """Answer step 1 (``blind``: theme → rating or "weet_niet"), step 2 (``after``: theme →
    (rating, recognition)) and step 3; returns the thanks page."""
    url = f"/peiling/{token}/"
    first = client.get(url)
    assert first.status_code == 200
    fields = {f"{t}-rating": r for t, r in blind.items()}
    fields.update({f"{t}-comment": c for t, c in (comments or {}).items()})
    sent = client.post(url, form_data(first.content.decode(), fields))
    assert sent.status_code == 302 and sent["Location"] == f"{url}?stap=2", sent.content[:3000]
    second = client.get(sent["Location"])
    assert second.status_code == 200
    picture: dict[str, str] = {}
    for theme, (rating, recognition) in (after or {t: (r, "ja") for t, r in blind.items()}).items():
        picture[f"{theme}-rating"] = rating
        if recognition:
            picture[f"{theme}-recognition"] = recognition
    sent = client.post(url, form_data(second.content.decode(), picture))
    assert sent.status_code == 302 and sent["Location"] == f"{url}?stap=3", sent.content[:3000]
    third = client.get(sent["Location"])
    story_fields = {"story": story, "story_theme": story_theme}
    if consent:
        story_fields["story_consent"] = "on"
    sent = client.post(url, form_data(third.content.decode(), story_fields))
    assert sent.status_code == 302 and sent["Location"] == f"{url}?verstuurd=1"
    return client.get(sent["Location"]).content.decode()
