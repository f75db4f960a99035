"""Shared pieces of the browser accessibility tests: Chromium, axe-core from npm, logging in,
and the demo-backed list of pages (every HTML page of the URL conf with real parameters)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

from browser_support import CHROMIUM

#: axe-core (MPL-2.0) as ``npm ci`` installs it from package.json / package-lock.json (pinned
#: version, integrity checked by npm); ``make test`` runs ``npm ci`` first.
AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "toegankelijk-wachtwoord-1"
#: axe impacts that fail the check (WCAG 2.1 AA bar of issue 8).
BLOCKING = ("moderate", "serious", "critical")

#: URL names that are not pages a person reads: POST-only actions. Routes whose last part names
#: a file (``data.json``, ``rapport.pdf``, ``matrix.<fmt>``) are downloads and skipped too.
NOT_PAGES = frozenset({"set_language", "logout", "agenda-agree", "job-report-batch"})

skip_without_chromium = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


def axe_source() -> str:
    """axe-core's script, injected into every checked page (no network needed at test time)."""
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} is missing: run `npm ci` in the checkout (make test does)")
    return AXE_JS.read_text(encoding="utf-8")


def page_url_names() -> set[str]:
    """Every named URL of the site outside the admin and the API (recursively, via the resolver),
    minus downloads and :data:`NOT_PAGES`: the pages the axe check must visit."""
    from django.urls import URLPattern, URLResolver, get_resolver

    names: set[str] = set()

    def walk(patterns: list[Any], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(p.pattern)
            if route.startswith(("admin/", "api/")):
                continue
            if isinstance(p, URLResolver):
                walk(p.url_patterns, route)
            elif isinstance(p, URLPattern) and p.name and "." not in route.rsplit("/", 1)[-1]:
                names.add(p.name)

    walk(get_resolver().url_patterns, "")
    return names - NOT_PAGES


def log_in(page: Any, base: str, username: str, password: str = PASSWORD) -> None:
    page.goto(f"{base}/inloggen/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit] >> nth=-1")
    page.wait_for_load_state()
    assert "/inloggen/" not in page.url, f"login as {username} failed"


#: Rows of long tables and lists, and areas on the map, after the first :data:`REPEATS` are left
#: out of the check: they are the same template line repeated (a municipality lists 600 areas);
#: axe's time grows with the page (20 s for those, 1 s with 15 rows), and one row finds what all do.
REPEATS = 15
EXCLUDE = (f"tbody > tr:nth-child(n+{REPEATS + 1})", f"li:nth-child(n+{REPEATS + 1})",
           f"path:nth-of-type(n+{REPEATS + 1})")


def run_axe(page: Any, source: str) -> list[dict[str, Any]]:
    """axe-core's violations on the current page (all rules axe runs by default)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(source)
    found: list[dict[str, Any]] = page.evaluate(
        """async (exclude) => {
          const context = {include: [document], exclude: exclude.map(s => [s])};
          const r = await axe.run(context, {resultTypes: ['violations']});
          return r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ')),
            count: v.nodes.length}));
        }""",
        list(EXCLUDE),
    )
    return found
