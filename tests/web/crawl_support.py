"""A small crawler for the pages as people meet them (issue 19): from a start page it follows
every same-site link and every GET form with its default values, and reports what a reader
should never meet.

* a status of 400 or more, unless the authorisation matrix (``tests/security/authz_matrix.py``)
  prescribes exactly that answer (a 403) for the route and the role;
* a share written as a fraction, "(0–1)";
* a percentage with more than one decimal ("13,70 %");
* a heading (h1–h3) that starts with an area code instead of a name;
* a word from the glossary page (its ``data-term`` entries) in the visible text outside a
  fold-out (``<details>``) and outside the glossary itself.

The crawl is breadth-first and visits at most ``per_route`` URLs of each route (one area page
stands for the hundreds of its kind), so a crawl over the demo stays within seconds per role.
The checks read the HTML as the browser gets it; nothing here calls the code under test.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve

__all__ = ["CrawlResult", "crawl", "glossary_terms", "route_of"]

_CODE_HEADING = re.compile(r"^\s*(?:GM|WK|BU)\d{4}")
_LONG_PERCENT = re.compile(r"\d[.,]\d{2,}\s?%")
_FRACTION = re.compile(r"\(0\s?[–-]\s?1\)")
#: Links a crawler must not follow: they end the session or are not pages.
_SKIP = re.compile(r"/(uitloggen|logout)/|^/static/|^/media/|^/admin/(logout|jsi18n)")


@dataclass
class CrawlResult:
    """The pages visited (url → status) and the problems found, one line each."""

    visited: dict[str, int] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


class _Page(HTMLParser):
    """Links, GET forms (action + default field values) and headings of one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.headings: list[str] = []
        self._form: tuple[str, dict[str, str]] | None = None
        self._select: str | None = None
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form" and a.get("method", "get").lower() == "get":
            self._form = (a.get("action", ""), {})
        elif self._form is not None and tag == "input" and a.get("name"):
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file"):
                self._form[1].setdefault(a["name"], a.get("value", ""))
        elif self._form is not None and tag == "select" and a.get("name"):
            self._select = a["name"]
        elif self._form is not None and tag == "option" and self._select:
            # the first option, or the selected one, is what a plain submit sends
            if "selected" in a or self._select not in self._form[1]:
                self._form[1][self._select] = a.get("value", "")
        elif tag in ("h1", "h2", "h3"):
            self._heading = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "form" and self._form is not None:
            action, values = self._form
            query = urlencode({k: v for k, v in values.items() if k != "csrfmiddlewaretoken"})
            self.links.append(f"{action}?{query}" if query else action)
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag in ("h1", "h2", "h3") and self._heading is not None:
            self.headings.append(" ".join("".join(self._heading).split()))
            self._heading = None

    def handle_data(self, data: str) -> None:
        if self._heading is not None:
            self._heading.append(data)


def route_of(path: str) -> str | None:
    """The route pattern of ``path`` as the authorisation matrix spells it, or None."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return match.route  # "" for the home page, as the matrix keys it


def glossary_terms(html: str) -> list[str]:
    """The ``data-term`` words of the glossary page."""
    return [unescape(t) for t in re.findall(r'<dt[^>]*\sdata-term="([^"]+)"', html)]


def _visible_outside_foldouts(html: str) -> str:
    main = html[html.find("<main"):html.rfind("</main>")] if "<main" in html else html
    for pattern in (r"<details\b.*?</details>", r"<script\b.*?</script>", r"<style\b.*?</style>",
                    r"<svg\b.*?</svg>"):
        main = re.sub(pattern, " ", main, flags=re.S | re.I)
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", main)).split())


def _check_page(url: str, html: str, terms: list[str], result: CrawlResult, role: str) -> None:
    label = f"{role} {url}"
    if _FRACTION.search(html):
        result.problems.append(f"{label}: a share as a fraction (0–1)")
    text = _visible_outside_foldouts(html)
    long_percent = _LONG_PERCENT.search(text)
    if long_percent:
        result.problems.append(f"{label}: a percentage with more than one decimal: "
                               f"{long_percent.group(0)!r}")
    if url.startswith("/begrippen/"):
        return
    for term in terms:
        found = re.search(r"(?<![\w-])" + re.escape(term), text, re.I)
        if found:
            near = text[max(0, found.start() - 50):found.end() + 30]
            result.problems.append(f"{label}: {term!r} outside a fold-out: …{near}…")


def crawl(client: Client, start: str, *, role: str, allowed: dict[str, str],
          terms: list[str], per_route: int = 1, result: CrawlResult | None = None) -> CrawlResult:
    """Crawl from ``start`` as ``client``. ``allowed`` maps a route pattern to the refusal the
    matrix prescribes for this ``role`` ("403"), so that answer is no problem there."""
    out = result if result is not None else CrawlResult()
    queue = [start]
    seen: set[str] = set()
    per: Counter[str] = Counter()
    while queue:
        url = queue.pop(0)
        if url in seen:
            continue
        seen.add(url)
        path = urlsplit(url).path
        found = route_of(path)
        route = path if found is None else found
        if per[route] >= per_route:
            continue
        per[route] += 1
        response = client.get(url)
        out.visited[f"{role} {url}"] = response.status_code
        status = response.status_code
        if status >= 400 and allowed.get(route) != str(status):
            out.problems.append(f"{role} {url}: status {status}")
            continue
        if status in (301, 302):
            queue.append(response["Location"])
            continue
        if status != 200 or "text/html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        page = _Page()
        page.feed(html)
        if not path.startswith("/admin/"):
            _check_page(url, html, terms, out, role)
            for heading in page.headings:
                if _CODE_HEADING.match(heading):
                    out.problems.append(f"{role} {url}: a heading that is a code: {heading!r}")
        for link in page.links:
            full = urlsplit(urljoin(url, link))
            if full.scheme not in ("", "http", "https") or full.netloc not in (
                    "", "testserver", "localhost"):
                continue
            if _SKIP.search(full.path):
                continue
            target = full.path + (f"?{full.query}" if full.query else "")
            if target not in seen:
                queue.append(target)
    return out
