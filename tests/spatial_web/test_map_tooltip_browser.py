"""Issue 18, finding 5: the map tooltip shows an area name as text, never as HTML.

The real ``static/wijkbeeld/map.js`` and the bundled Leaflet run in headless Chromium on a page
with the map page's ``#kaart`` element; the data request is answered with the GeoJSON the map
endpoint sends (``wijkbeeld`` member, one buurt) whose ``name`` is
``<img src=x onerror="window.__xss=1">Buurt``. The page has no CSP on purpose, so the fix itself
is tested (on the site the CSP also stops inline handlers): the tooltip shows that literal text,
holds no ``<img>``, and ``window.__xss`` stays undefined. Without the server's map computation
the test takes about two seconds. Skipped only when chromium is missing outside CI.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from browser_support import CHROMIUM, chromium

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("CI") != "true",
    reason="chromium not installed (apt-get install -y chromium)",
)

STATIC = Path(__file__).resolve().parents[2] / "src" / "wijkbeeld" / "web" / "static" / "wijkbeeld"
SITE = "http://wijkbeeld.test"
CODE = "BU0363AF01"
HOSTILE = '<img src=x onerror="window.__xss=1">Buurt'

PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<link rel="stylesheet" href="/static/leaflet/leaflet.css"></head><body>
<div id="kaart" style="width:600px;height:400px" data-url="/kaart/GM0363/data.json"
     data-nodata="geen gegevens" data-error="fout"></div>
<div id="kaart-info"></div>
<script src="/static/leaflet/leaflet.js"></script>
<script src="/static/wijkbeeld/map.js"></script></body></html>"""


def _data() -> bytes:
    square = [[4.90, 52.37], [4.91, 52.37], [4.91, 52.38], [4.90, 52.38], [4.90, 52.37]]
    return json.dumps({
        "wijkbeeld": {"legend": [{"colour": "#dddddd"}, {"colour": "#333333"}],
                      "clusters": [], "profile_url": "/gebied/XXXXXXXXXX/2024/"},
        "type": "FeatureCollection",
        "features": [{"type": "Feature", "id": CODE,
                      "properties": {"name": HOSTILE, "value": 5.4, "klasse": 1,
                                     "cluster_code": None},
                      "geometry": {"type": "Polygon", "coordinates": [square]}}],
    }).encode()


def _serve(route: Any) -> None:
    import xstatic.pkg.leaflet

    path = route.request.url.removeprefix(SITE)
    if path == "/":
        route.fulfill(body=PAGE, content_type="text/html")
    elif path.startswith("/static/leaflet/"):
        name = path.removeprefix("/static/leaflet/")
        route.fulfill(path=str(Path(xstatic.pkg.leaflet.BASE_DIR) / name))
    elif path.startswith("/static/wijkbeeld/"):
        route.fulfill(path=str(STATIC / path.removeprefix("/static/wijkbeeld/")))
    elif path.startswith("/kaart/GM0363/data.json"):
        route.fulfill(body=_data(), content_type="application/geo+json")
    else:
        route.fulfill(status=404, body="")


def test_tooltip_shows_a_hostile_area_name_as_text() -> None:
    with chromium() as browser:
        page = browser.new_page(viewport={"width": 800, "height": 600}, locale="nl-NL")
        page.route(f"{SITE}/**", _serve)
        page.goto(f"{SITE}/")
        page.wait_for_selector("#kaart[data-ready='1']", timeout=15_000)
        area = page.locator(f"path[data-area='{CODE}']")
        assert area.count() == 1
        area.hover()
        tooltip = page.locator(".leaflet-tooltip")
        tooltip.wait_for(timeout=5_000)
        assert tooltip.inner_text() == f"{HOSTILE} ({CODE}): 5,4"
        assert tooltip.locator("img").count() == 0
        assert page.locator("#kaart img").count() == 0
        assert page.inner_text("#kaart-info") == f"{HOSTILE} ({CODE}): 5,4"
        assert area.get_attribute("aria-label") == f"{HOSTILE} ({CODE}): 5,4"
        page.wait_for_timeout(100)  # an onerror would have fired by now
        assert page.evaluate("typeof window.__xss") == "undefined"
