"""The national choropleth drawn in headless Chromium: bytes transferred and time to draw.

The app's map page (``/kaart/<GM>/``) draws one municipality at a time; there is no national
map view. This step serves what a national view would be with the app's own pieces: the
national GeoJSON built like ``map_views.map_data`` (``map_payload`` of every buurt with
``name``, ``value``, ``klasse`` (quantiles, k=5) and ``cluster_code``, after the same
``{"wijkbeeld": meta}`` head), the page's map container as ``templates/wijkbeeld/map.html``
writes it, the real ``static/wijkbeeld/map.js`` and ``map.css`` and Leaflet from
``xstatic-leaflet``. A small threaded WSGI server gzips every response whose client accepts it
(the app has no ``GZipMiddleware``: compression is the front web server's job, docs/deploy.md).

Chromium (fresh context per run, so nothing is cached) opens the page; ``map.js`` sets
``data-ready="1"`` on ``#kaart`` once Leaflet has added every layer; the step then waits two
animation frames (painted) and counts the drawn ``path`` elements, which must equal the number
of areas. The baseline is a minimal Leaflet page drawing the same GeoJSON with one fixed style
(no tooltips, no keyboard links, no per-area handlers). Hotspots are per municipality in the app;
the national payload marks every buurt ``not_tested``.
"""

from __future__ import annotations

import gzip
import json
import statistics
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

__all__ = ["Drawing", "draw", "national_geojson", "serve", "summary"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
STATIC = Path(__file__).resolve().parents[1] / "src" / "wijkbeeld" / "web" / "static"

APP_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Kaart Nederland</title>
<link rel="stylesheet" href="/static/leaflet/leaflet.css">
<link rel="stylesheet" href="/static/wijkbeeld/map.css"></head><body>
<div class="map-layout"><div>
<div id="kaart" class="map" data-url="/data.json" data-nodata="geen gegevens"
 data-error="De kaart kon niet worden geladen" role="region" aria-label="Kaart"></div>
<div id="kaart-info" class="map-info" aria-live="polite"></div>
<label><input type="checkbox" id="hotspot-laag"> hotspots</label></div></div>
<script src="/static/leaflet/leaflet.js"></script>
<script src="/static/wijkbeeld/map.js"></script></body></html>"""

BASELINE_PAGE = """<!doctype html><html lang="nl"><head><meta charset="utf-8">
<title>Baseline</title><link rel="stylesheet" href="/static/leaflet/leaflet.css">
<style>#kaart { height: 32rem; }</style></head><body><div id="kaart"></div>
<script src="/static/leaflet/leaflet.js"></script>
<script src="/baseline.js"></script></body></html>"""

BASELINE_JS = """(function () {
  var box = document.getElementById("kaart");
  var map = L.map(box, { attributionControl: false });
  fetch("/data.json").then(function (r) { return r.json(); }).then(function (data) {
    var layer = L.geoJSON(data, { style: { color: "#555555", weight: 0.6,
      fillColor: "#41b6c4", fillOpacity: 0.85 } }).addTo(map);
    map.fitBounds(layer.getBounds());
    box.dataset.ready = "1";
  });
})();"""


def national_geojson(frame: Any, *, tolerance_m: float = 25.0, decimals: int = 5) -> bytes:
    """``frame`` (GeoDataFrame, index = buurt code, columns ``name`` and ``value``, EPSG:4326)
    as the map page's data.json: the ``wijkbeeld`` head, then ``map_payload``'s features."""
    from wijkbeeld.spatial import classify, map_payload
    from wijkbeeld.spatial.labels import cluster_colour
    from wijkbeeld.web.pages.map_views import YLGNBU

    classes = classify(frame["value"], "quantiles", k=5)
    areas = frame[["name", "value"]].copy()
    areas["klasse"] = classes.classes.reindex(areas.index)
    areas["cluster_code"] = "not_tested"
    colours = YLGNBU.get(classes.k, YLGNBU[5])
    meta = {"legend": [{"label": label, "count": n, "colour": colours[k]}
                       for k, (label, n) in enumerate(classes.legend())],
            "clusters": [{"code": "not_tested", "label": "niet getoetst",
                          "colour": cluster_colour("not_tested", "neutral")}],
            "profile_url": "/gebied/XXXXXXXXXX/2024/"}
    body = map_payload(areas.set_geometry(frame.geometry), ("name", "value", "klasse",
                                                            "cluster_code"),
                       tolerance_m=tolerance_m, decimals=decimals)
    head = json.dumps({"wijkbeeld": meta}, ensure_ascii=False, separators=(",", ":"))
    return head[:-1].encode() + b"," + body[1:]


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def _files() -> dict[str, tuple[Path, str]]:
    import xstatic.pkg.leaflet as leaflet

    base = Path(leaflet.BASE_DIR)
    return {"/static/leaflet/leaflet.js": (base / "leaflet.js", "text/javascript"),
            "/static/leaflet/leaflet.css": (base / "leaflet.css", "text/css"),
            "/static/wijkbeeld/map.js": (STATIC / "wijkbeeld" / "map.js", "text/javascript"),
            "/static/wijkbeeld/map.css": (STATIC / "wijkbeeld" / "map.css", "text/css")}


def serve(payload: bytes) -> tuple[str, Callable[[], None]]:
    """Start the server on a free port; return its base URL and a stop function."""
    files = _files()
    routes: dict[str, tuple[bytes, str]] = {
        "/": (APP_PAGE.encode(), "text/html; charset=utf-8"),
        "/baseline.html": (BASELINE_PAGE.encode(), "text/html; charset=utf-8"),
        "/baseline.js": (BASELINE_JS.encode(), "text/javascript"),
        "/data.json": (payload, "application/geo+json"),
        **{url: (path.read_bytes(), kind) for url, (path, kind) in files.items()},
    }
    zipped = {url: gzip.compress(body, 6) for url, (body, _kind) in routes.items()}

    def app(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        url = environ.get("PATH_INFO", "/")
        if url not in routes:
            start("404 Not Found", [("Content-Type", "text/plain")])
            return [b"not found"]
        body, kind = routes[url]
        headers = [("Content-Type", kind), ("Cache-Control", "no-store")]
        if "gzip" in environ.get("HTTP_ACCEPT_ENCODING", ""):
            body = zipped[url]
            headers.append(("Content-Encoding", "gzip"))
        headers.append(("Content-Length", str(len(body))))
        start("200 OK", headers)
        return [body]

    server = make_server("127.0.0.1", 0, app, server_class=_Threaded, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()

    return f"http://127.0.0.1:{server.server_port}", stop


#: One page load: ``bytes`` transferred (encoded, headers included, all requests),
#: ``data_bytes`` of data.json, ``ms`` from navigation start to painted (in-page clock),
#: ``paths`` drawn.
Drawing = dict[str, float]


def _load(browser: Any, url: str, timeout_ms: float) -> Drawing:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Network.enable")
        sizes: dict[str, float] = {}
        urls: dict[str, str] = {}
        cdp.on("Network.responseReceived",
               lambda e: urls.__setitem__(e["requestId"], e["response"]["url"]))
        cdp.on("Network.loadingFinished",
               lambda e: sizes.__setitem__(e["requestId"], e["encodedDataLength"]))
        page.goto(url, wait_until="commit")
        page.wait_for_function("document.getElementById('kaart').dataset.ready === '1'",
                               timeout=timeout_ms)
        ms = page.evaluate("new Promise(r => requestAnimationFrame(() => "
                           "requestAnimationFrame(() => r(performance.now()))))")
        paths = page.evaluate("document.querySelectorAll('#kaart path').length")
        data = sum(n for rid, n in sizes.items() if urls.get(rid, "").endswith("/data.json"))
        return {"bytes": sum(sizes.values()), "data_bytes": data, "ms": ms, "paths": paths}
    finally:
        context.close()


def draw(payload: bytes, n_areas: int, runs: int = 3,
         timeout_ms: float = 120_000) -> dict[str, list[Drawing]]:
    """Load the app page and the baseline page ``runs`` times each (alternating, fresh
    context each time); every load must draw ``n_areas`` paths."""
    from playwright.sync_api import sync_playwright

    base, stop = serve(payload)
    found: dict[str, list[Drawing]] = {"app": [], "baseline": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=ARGS)
            try:
                for _ in range(runs):
                    for name, path in (("app", "/"), ("baseline", "/baseline.html")):
                        got = _load(browser, base + path, timeout_ms)
                        if got["paths"] != n_areas:
                            raise RuntimeError(f"{name}: {got['paths']:.0f} paths drawn, "
                                               f"expected {n_areas}")
                        found[name].append(got)
            finally:
                browser.close()
    finally:
        stop()
    return found


def summary(found: dict[str, list[Drawing]]) -> dict[str, tuple[float, float, float]]:
    """Per page: (median ms, max ms, bytes transferred of the first load)."""
    return {name: (statistics.median(d["ms"] for d in runs), max(d["ms"] for d in runs),
                   runs[0]["bytes"]) for name, runs in found.items()}

