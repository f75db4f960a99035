"""Issue 19, the crawler test: starting from the home page for every role (anonymous, viewer,
professional, analyst, admin) and from a resident's invitation link, in Dutch and English, on
the demo data, every same-site link and GET form is followed (one URL per route: one area page
stands for all of them), and the crawl fails on

* a status of 400 or more that the authorisation matrix in ``tests/security/authz_matrix.py``
  (the one ``docs/security.md`` describes) does not prescribe for that route and role,
* a share as a fraction "(0–1)", a percentage with more than one decimal,
* a heading that starts with an area code instead of a name,
* a word of the glossary page (``/begrippen/``) outside a fold-out or the glossary itself.

The checks are in ``crawl_support.py``; the glossary words are read from the rendered glossary
page, so a new word there is checked everywhere at once.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import pytest
from crawl_support import CrawlResult, crawl, glossary_terms
from django.contrib.auth import get_user_model
from django.test import Client

sys.path.insert(0, str(Path(__file__).parents[1] / "security"))
from authz_matrix import MATRIX

PASSWORD = "kruipen-wachtwoord-1"
#: The crawler's accounts: role as the matrix names it → (account role, municipality). The
#: demo's example rounds, agenda, voices and triggers are about Den Haag (GM0518); the admin
#: is national and so also reaches Amsterdam.
ACCOUNTS = {"viewer": ("viewer", "GM0518"), "prof": ("professional", "GM0518"),
            "analyst": ("analyst", "GM0518"), "admin": ("admin", "")}
#: Every role in Dutch; English for the roles with the most pages and the resident.
ENGLISH = ("analyst", "token")


@pytest.fixture
def demo(transactional_db: None) -> str:
    """The whole demo, the crawler's accounts and one open round with an invitation; returns
    the resident's token."""
    from wijkbeeld.web.demo import load_demo
    from wijkbeeld.web.urgency.services import create_invitations, open_round

    load_demo(verbose=False, password=PASSWORD)
    users = get_user_model().objects
    for role, (account_role, municipality) in ACCOUNTS.items():
        users.create_user(f"kruip-{role}", password=PASSWORD, role=account_role,
                          municipality=municipality)
    rnd = open_round("kruip-2026", ["WK051834"], ["veiligheid", "wonen"], date(2026, 11, 1),
                     title="Peiling Morgenstond")
    (token,) = create_invitations(rnd, "residents", 1)
    return token


def _allowed(role: str) -> dict[str, str]:
    """Route → the refusal the matrix prescribes for ``role`` (only 403 counts as expected:
    a link to a page that answers 404 or 500 is a dead end whatever the matrix says)."""
    return {pattern: row.outcomes[role] for pattern, row in MATRIX.items()
            if row.outcomes.get(role) == "403"}


def test_every_page_reached_speaks_plainly_and_leads_nowhere_dead(demo: str) -> None:
    glossary = Client().get("/begrippen/")
    assert glossary.status_code == 200
    terms = glossary_terms(glossary.content.decode())
    assert {"z-score", "percentiel", "mediaan", "Moran"} <= set(terms), terms
    result = CrawlResult()
    for lang in ("nl", "en"):
        english_terms = glossary_terms(_client(None, lang).get("/begrippen/").content.decode())
        words = terms if lang == "nl" else english_terms
        for role in ("anon", *ACCOUNTS):
            if lang == "en" and role not in ENGLISH:
                continue
            crawl(_client(role, lang), "/", role=f"{role}/{lang}", allowed=_allowed(role),
                  terms=words, result=result)
        crawl(_client(None, lang), f"/peiling/{demo}/", role=f"token/{lang}",
              allowed=_allowed("token"), terms=words, result=result)
    # The test can fail only if it went somewhere: the pages a reader meets most.
    visited = " ".join(result.visited)
    for page in ("analyst/nl /gebied/", "analyst/nl /kaart/GM0518/", "analyst/nl /urgentie/",
                 "analyst/nl /agenda/", "analyst/nl /stemmen/", "token/nl /peiling/",
                 "admin/nl /admin/", "analyst/en /gebied/", "anon/nl /inloggen/"):
        assert page in visited, page
    assert result.problems == [], "\n".join(result.problems)


def _client(role: str | None, lang: str) -> Client:
    client = Client()
    if role in ACCOUNTS:
        client.force_login(get_user_model().objects.get(username=f"kruip-{role}"))
    client.cookies["django_language"] = lang
    return client
