"""Issue 19: the area page at 1280 and 375 px and a map page, as Chromium draws them, axe clean
and, on the phone, without sideways scrolling. The screenshots in ``docs/screenshots/`` (linked
from the README) are made by this test: ``WIJKBEELD_SCREENSHOTS=docs/screenshots pytest
tests/accessibility/test_screenshots.py`` writes them there; without the variable they go to a
temporary folder, so an ordinary run leaves the repository as it is."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from axe_support import BLOCKING, PASSWORD, axe_source, log_in, run_axe, skip_without_chromium

from browser_support import chromium

pytestmark = skip_without_chromium

ROOT = Path(__file__).resolve().parents[2]
#: (file name, URL, viewport width): Morgenstond carries the example rounds, voices and agenda.
SHOTS = (
    ("gebied-1280.png", "/gebied/WK051834/2022/", 1280),
    ("gebied-375.png", "/gebied/WK051834/2022/", 375),
    # No level asked: Den Haag has wijk figures only, so the map opens on wijken (issue 19).
    ("kaart-1280.png", "/kaart/GM0518/", 1280),
)


@pytest.fixture
def browser() -> Iterator[Any]:
    with chromium() as browser:
        yield browser


def test_area_and_map_pages_on_desktop_and_phone(
    live_server: Any, transactional_db: Any, browser: Any, tmp_path: Path
) -> None:
    from django.contrib.auth import get_user_model

    from wijkbeeld.web.demo import load_demo

    load_demo(verbose=False, password=PASSWORD, only={
        "haaglanden-aandelen", "haaglanden-gemiddelden", "gemeenten-haaglanden",
        "grenzen-haaglanden", "voorbeeld-peilingen", "voorbeeld-stemmen"})
    get_user_model().objects.create_user("lezer-shot", password=PASSWORD, role="viewer",
                                         municipality="GM0518")
    target = Path(os.environ.get("WIJKBEELD_SCREENSHOTS") or tmp_path)
    if not target.is_absolute():
        target = ROOT / target
    target.mkdir(parents=True, exist_ok=True)
    source = axe_source()
    problems: list[str] = []
    for name, url, width in SHOTS:
        context = browser.new_context(locale="nl-NL", viewport={"width": width, "height": 900})
        page = context.new_page()
        log_in(page, live_server.url, "lezer-shot")
        page.goto(live_server.url + url)
        page.wait_for_load_state("load")
        if page.locator("#kaart").count():
            page.wait_for_selector("#kaart[data-ready='1']", timeout=60_000)
        assert "Morgenstond" in page.locator("h1").inner_text() or "kaart" in name
        if "kaart" in name:
            assert page.locator("#kaart path[data-area^='WK0518']").count() > 10
        # On a phone the page itself never scrolls sideways (wide tables scroll in their box).
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            wide = page.evaluate("""() => {
                const all = [...document.querySelectorAll('body *')];
                const clipped = el => {
                    for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
                        if (getComputedStyle(p).overflowX !== 'visible') return true; }
                    return false; };
                const out = all.filter(el => el.getBoundingClientRect().right > innerWidth + 1
                    && !clipped(el)).sort((a, b) => a.getBoundingClientRect().right
                                                   - b.getBoundingClientRect().right);
                const spill = all.filter(el => el.scrollWidth > innerWidth
                    && getComputedStyle(el).overflowX === 'visible' && !clipped(el));
                const name = el => el.tagName + '.' + el.className;
                return out.slice(-5).map(el => name(el) + ' ' +
                                         Math.round(el.getBoundingClientRect().right))
                    .concat(spill.slice(-5).map(el => 'content of ' + name(el) + ' ' +
                                                 el.scrollWidth + '>' + el.clientWidth)); }""")
            problems.append(f"{url} at {width} px: {overflow} px wider than the screen: {wide}")
        for v in run_axe(page, source):
            if v["impact"] in BLOCKING:
                problems.append(f"{url} at {width} px: {v['impact']} {v['id']} {v['help']}")
        page.screenshot(path=str(target / name), full_page=False)
        context.close()
    assert problems == [], "\n".join(problems)
    for name, _, _ in SHOTS:
        assert (target / name).stat().st_size > 10_000, name  # a drawn page, not a blank one
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for name, _, _ in SHOTS:
        assert f"docs/screenshots/{name}" in readme, f"README does not show {name}"
        assert (ROOT / "docs" / "screenshots" / name).exists(), name
