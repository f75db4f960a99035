"""Acceptance check: the HTML report makes no network request. The real report of a buurt
(built through the CLI from the shared test database, with its three maps and quotes) is
opened in headless Chromium from a file:// URL while every request is intercepted: anything
but the report file itself is recorded and aborted. Then the maps must have rendered (the
browser decoded the embedded SVG) and nothing may have been asked for."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from report_support import BUURT, run_ok

from browser_support import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def test_html_report_makes_no_request(database: Path, browser: Any) -> None:
    report = database.parent / "offline.html"
    run_ok(["report", BUURT, "--format", "html", "-o", str(report)], database)
    own_url = report.resolve().as_uri()
    outside: list[str] = []
    page = browser.new_page(viewport={"width": 1100, "height": 900})

    def guard(route: Any) -> None:
        url = route.request.url
        if url == own_url or url.startswith("data:"):
            route.continue_()
        else:
            outside.append(url)
            route.abort()

    page.route("**/*", guard)
    failed: list[str] = []
    page.on("requestfailed", lambda r: failed.append(r.url))
    page.goto(own_url, wait_until="load")
    page.wait_for_load_state("networkidle")
    assert outside == [], outside
    assert [u for u in failed if not u.startswith("data:")] == []
    # the three maps are there and were decoded and laid out by the browser
    maps = page.locator("figure.map img")
    assert maps.count() == 3
    sizes = page.eval_on_selector_all(
        "figure.map img", "els => els.map(e => [e.complete, e.naturalWidth, e.clientWidth])")
    assert all(done and natural > 100 and shown > 100 for done, natural, shown in sizes), sizes
    assert page.locator("figure.map figcaption").first.inner_text().find("Bron:") >= 0
    # the sparklines and every other element stay inside the document: no <link>, no script
    assert page.locator("script, link[rel=stylesheet], iframe").count() == 0
    # a voice with markup shows as text, not as an element
    assert page.locator("#voices script, #voices img, #voices b").count() == 0
