"""The app's national map page drawn in headless Chromium: bytes transferred and time to draw.

Step 4b of ``national.py`` serves the **app itself**: ``/kaart/nederland/`` and its
``/kaart/nederland/data.json`` (:mod:`wijkbeeld.web.pages.national_map`) come from Django's WSGI
application, run by a small threaded WSGI server inside the benchmark process (on the national
database it has set up). In front of it the server does what a front web server does in
production (docs/deploy.md): it serves ``/static/`` (``map.js``, ``map.css``, Leaflet from
``xstatic-leaflet``, found by Django's staticfiles finders, as ``collectstatic`` would copy them)
and gzips every response whose client accepts it (the app has no ``GZipMiddleware``; dynamic
responses are compressed per request, as a front server does). Chromium is signed in with a
session cookie of an account without a municipality (the national view's role rule).

Chromium (fresh context per run, so its own cache is empty) opens the page; ``map.js`` sets
``data-ready="1"`` on ``#kaart`` once Leaflet has added every layer; the step then waits two
animation frames (painted) and counts the drawn ``path`` elements, which must equal the number of
areas. The server side is warm: step 4 built the layer, and :func:`draw` requests the page and
its data once through Django's test client before the runs (the layer is cached per data
version, so that is what every reader after the first one gets).

The baseline is a minimal Leaflet page drawing the same GeoJSON bytes, served as a static file
(``/data.json``), with one fixed style (no tooltips, no per-area handlers).
"""

from __future__ import annotations

import gzip
import re
import statistics
import threading
from collections.abc import Callable, Iterable
from pathlib import Path
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

__all__ = ["Drawing", "draw", "serve", "session", "summary"]

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]
#: Content types a front server compresses.
COMPRESSIBLE = ("text/", "application/json", "application/geo+json", "application/javascript")

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


class _Threaded(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, *args: Any) -> None:
        pass


def session(page_url: str) -> tuple[str, str, bytes]:
    """Sign in an account without a municipality (created once), request the page and its
    data through Django's test client (which also warms the cache), and return the session
    cookie's name and value and the data.json bytes."""
    import uuid

    from django.conf import settings
    from django.test import Client

    from wijkbeeld.web.accounts.models import User

    user = (User.objects.filter(username="bench-nl").first()
            or User.objects.create_user("bench-nl", password=uuid.uuid4().hex, role="analyst"))
    client = Client()
    client.force_login(user)
    page = client.get(page_url)
    if page.status_code != 200:
        raise RuntimeError(f"{page_url}: HTTP {page.status_code}")
    found = re.search(r'id="kaart"[^>]*data-url="([^"]+)"', page.content.decode())
    if found is None:
        raise RuntimeError(f"{page_url}: no map on the page (no data-url)")
    data = client.get(found.group(1).replace("&amp;", "&"))
    if data.status_code != 200:
        raise RuntimeError(f"{found.group(1)}: HTTP {data.status_code}")
    name = settings.SESSION_COOKIE_NAME
    return name, client.cookies[name].value, data.content


def _static(path: str) -> tuple[bytes, str] | None:
    from django.contrib.staticfiles import finders

    found = finders.find(path)
    if not found:
        return None
    kind = {".js": "text/javascript", ".css": "text/css", ".png": "image/png",
            ".svg": "image/svg+xml"}.get(Path(found).suffix, "application/octet-stream")
    return Path(found).read_bytes(), kind


def serve(baseline_data: bytes) -> tuple[str, Callable[[], None]]:
    """Start the server on a free port: Django's WSGI app behind static files and gzip, plus
    the baseline page; return its base URL and a stop function."""
    from django.core.wsgi import get_wsgi_application
    from django.test.utils import override_settings

    django_app = get_wsgi_application()
    fixed: dict[str, tuple[bytes, str]] = {
        "/baseline.html": (BASELINE_PAGE.encode(), "text/html; charset=utf-8"),
        "/baseline.js": (BASELINE_JS.encode(), "text/javascript"),
        "/data.json": (baseline_data, "application/geo+json"),
    }
    files: dict[str, tuple[bytes, str] | None] = {}
    lock = threading.Lock()

    def answer(environ: dict[str, Any], start: Callable[..., Any]) -> Iterable[bytes]:
        url = environ.get("PATH_INFO", "/")
        status, headers, body = "200 OK", [("Cache-Control", "no-store")], b""
        if url == "/favicon.ico":  # the app has none; a front server answers this itself
            start("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "0")])
            return [b""]
        if url in fixed or url.startswith("/static/"):
            if url in fixed:
                found: tuple[bytes, str] | None = fixed[url]
            else:
                with lock:
                    if url not in files:
                        files[url] = _static(url[len("/static/"):])
                    found = files[url]
            if found is None:
                start("404 Not Found", [("Content-Type", "text/plain")])
                return [b"not found"]
            body, kind = found
            headers.append(("Content-Type", kind))
        else:  # the app
            got: dict[str, Any] = {}

            def capture(s: str, h: list[tuple[str, str]], exc: Any = None) -> Any:
                got["status"], got["headers"] = s, h
                return lambda chunk: None

            chunks = django_app(environ, capture)
            try:
                body = b"".join(chunks)
            finally:
                close = getattr(chunks, "close", None)
                if close is not None:
                    close()
            status = got["status"]
            headers = [(k, v) for k, v in got["headers"] if k.lower() != "content-length"]
        kind = next((v for k, v in headers if k.lower() == "content-type"), "")
        if ("gzip" in environ.get("HTTP_ACCEPT_ENCODING", "") and kind.startswith(COMPRESSIBLE)
                and not any(k.lower() == "content-encoding" for k, _v in headers)):
            body = gzip.compress(body, 6)
            headers += [("Content-Encoding", "gzip"), ("Vary", "Accept-Encoding")]
        headers.append(("Content-Length", str(len(body))))
        start(status, headers)
        return [body]

    # The browser's Host is 127.0.0.1:<port>; the benchmark's settings allow only testserver.
    hosts = override_settings(ALLOWED_HOSTS=["127.0.0.1", "testserver", "localhost"])
    hosts.enable()
    server = make_server("127.0.0.1", 0, answer, server_class=_Threaded, handler_class=_Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()

    def stop() -> None:
        server.shutdown()
        server.server_close()
        hosts.disable()

    return f"http://127.0.0.1:{server.server_port}", stop


#: One page load: ``bytes`` transferred (encoded, headers included, all requests),
#: ``data_bytes`` of data.json, ``ms`` from navigation start to painted (in-page clock),
#: ``paths`` drawn.
Drawing = dict[str, float]


def _load(browser: Any, url: str, timeout_ms: float,
          cookie: tuple[str, str] | None = None) -> Drawing:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    try:
        if cookie is not None:
            context.add_cookies([{"name": cookie[0], "value": cookie[1], "url": url}])
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
        # A selector, not wait_for_function: the app's CSP forbids the eval that needs.
        page.wait_for_selector("#kaart[data-ready='1']", state="attached", timeout=timeout_ms)
        ms = page.evaluate("new Promise(r => requestAnimationFrame(() => "
                           "requestAnimationFrame(() => r(performance.now()))))")
        paths = page.evaluate("document.querySelectorAll('#kaart path').length")
        data = sum(n for rid, n in sizes.items()
                   if urls.get(rid, "").split("?")[0].endswith("/data.json"))
        return {"bytes": sum(sizes.values()), "data_bytes": data, "ms": ms, "paths": paths}
    finally:
        context.close()


def draw(page_url: str, n_areas: int, runs: int = 3,
         timeout_ms: float = 120_000) -> dict[str, list[Drawing]]:
    """Load the app's page ``page_url`` (signed in) and the baseline page ``runs`` times each
    (alternating, fresh context each time); every load must draw ``n_areas`` paths."""
    from playwright.sync_api import sync_playwright

    name, value, data = session(page_url)
    base, stop = serve(data)
    found: dict[str, list[Drawing]] = {"app": [], "baseline": []}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                        args=ARGS)
            try:
                for _ in range(runs):
                    for kind, path, cookie in (("app", page_url, (name, value)),
                                               ("baseline", "/baseline.html", None)):
                        got = _load(browser, base + path, timeout_ms, cookie)
                        if got["paths"] != n_areas:
                            raise RuntimeError(f"{kind}: {got['paths']:.0f} paths drawn, "
                                               f"expected {n_areas}")
                        found[kind].append(got)
            finally:
                browser.close()
    finally:
        stop()
    return found


def summary(found: dict[str, list[Drawing]]) -> dict[str, tuple[float, float, float]]:
    """Per page: (median ms, max ms, bytes transferred of the first load)."""
    return {name: (statistics.median(d["ms"] for d in runs), max(d["ms"] for d in runs),
                   runs[0]["bytes"]) for name, runs in found.items()}
