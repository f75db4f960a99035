"""One report as a self-contained HTML document, and as a PDF through WeasyPrint.

The HTML carries its own stylesheet and embeds every image as a data URI, so opening it makes
no request. The PDF is rendered from the same HTML: page numbers in the footer, a table of
contents with page numbers (``target-counter``), the document language and title, and tagged
(PDF/UA-1 where WeasyPrint can) for screen readers.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

from jinja2 import Environment, StrictUndefined

from wijkbeeld.areas.names import area_title, display_name
from wijkbeeld.report.data import ReportData
from wijkbeeld.report.registry import SectionContent, registered_sections
from wijkbeeld.report.wording import label

__all__ = ["CSS", "RenderedSection", "render_html", "render_pdf", "render_sections"]

CSS = """
@page { size: A4; margin: 20mm 18mm 22mm 18mm;
  @bottom-center { content: counter(page) " / " counter(pages); font-size: 9pt; color: #555; } }
html { font-family: "DejaVu Sans", "Liberation Sans", Arial, sans-serif; font-size: 10.5pt;
  color: #1a1a1a; line-height: 1.4; }
body { max-width: 60em; margin: 0 auto; }
h1 { font-size: 20pt; margin: 0 0 .2em; }
h2 { font-size: 14pt; margin-top: 1.4em; border-bottom: 1px solid #999; break-after: avoid; }
h3 { font-size: 11.5pt; margin: 1em 0 .3em; break-after: avoid; }
table { border-collapse: collapse; width: 100%; margin: .3em 0; }
th, td { border-bottom: 1px solid #ddd; padding: 2pt 4pt; text-align: left;
  vertical-align: top; }
td.num { text-align: right; white-space: nowrap; }
tr { break-inside: avoid; }
.source, .note, figcaption { font-size: 8.5pt; color: #444; }
figure.map { margin: .5em 0; break-inside: avoid; }
figure.map img { width: 100%; height: auto; }
blockquote { margin: .4em 1.5em; font-style: italic; }
nav.toc ol { list-style: none; padding: 0; }
nav.toc a { color: inherit; text-decoration: none; }
@media print { nav.toc a::after { content: leader('.') target-counter(attr(href url), page); } }
"""

_PAGE = """<!DOCTYPE html>
<html lang="{{ lang }}">
<head>
<meta charset="utf-8">
<title>{{ title }}</title>
<meta name="generator" content="wijkbeeld {{ version }}">
<style>{{ css|safe }}</style>
</head>
<body>
<header>
<h1>{{ title }}</h1>
<p>{{ subtitle }}</p>
</header>
<nav class="toc" aria-label="{{ l_toc }}">
<h2>{{ l_toc }}</h2>
<ol>{% for s in sections %}<li><a href="#{{ s.name }}">{{ s.title }}</a></li>{% endfor %}</ol>
</nav>
<main>
{% for s in sections %}
<section id="{{ s.name }}">
<h2>{{ s.title }}</h2>
{{ s.html|safe }}
</section>
{% endfor %}
</main>
</body>
</html>
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined)


@dataclass(frozen=True)
class RenderedSection:
    """A section as it appears in the document: its registry name (the anchor), its title and
    its HTML fragment."""

    name: str
    title: str
    html: str


def render_sections(data: ReportData) -> tuple[RenderedSection, ...]:
    """Every registered section that has something to say, in document order."""
    out = []
    for spec in registered_sections():
        content: SectionContent | None = spec.render(data)
        if content is not None:
            out.append(RenderedSection(spec.name, content.title, content.html))
    return tuple(out)


def render_html(data: ReportData) -> str:
    """The report as one self-contained HTML document (styles inline, images as data URIs)."""
    lang = data.language if data.language in ("nl", "en") else "nl"
    area = data.area
    title = f"{label('title', lang)} {display_name(area.name, area.code)}"
    when = data.generated_at.strftime("%d-%m-%Y" if lang == "nl" else "%Y-%m-%d")
    place = area_title(area.name, area.code, area.level, area.municipality_name, lang)
    subtitle = f"{place} · {area.code} · {label('generated', lang)} {when}"
    context: dict[str, Any] = {
        "lang": lang, "title": title, "subtitle": subtitle, "css": CSS,
        "version": data.versions.get("wijkbeeld", ""), "l_toc": label("toc", lang),
        "sections": render_sections(data),
    }
    return _ENV.from_string(_PAGE).render(**context)


def render_pdf(data: ReportData, *, tagged: bool = True) -> bytes:
    """The report as PDF bytes: page numbers, table of contents with page numbers, language
    and title in the metadata and, with ``tagged``, PDF/UA-1 structure tags. A reference to
    anything but a ``data:`` URI raises ``ValueError`` (nothing is fetched)."""
    # slow imports: only for PDF
    from weasyprint import HTML  # type: ignore[import-untyped]
    from weasyprint.urls import (  # type: ignore[import-untyped]
        FatalURLFetchingError,
        URLFetcher,
    )

    # A report is self-contained: only data: URIs may be read, anything else is an error
    # and never reaches the network.
    fetcher = URLFetcher(allowed_protocols={"data"}, fail_on_errors=True)
    html = HTML(string=render_html(data), base_url=None, url_fetcher=fetcher)
    options: dict[str, Any] = {"pdf_variant": "pdf/ua-1"} if tagged else {}
    buffer = io.BytesIO()
    try:
        html.write_pdf(buffer, **options)
    except FatalURLFetchingError as exc:  # a BaseException in WeasyPrint: make it an error
        raise ValueError(f"report refers to an outside resource: {exc}") from None
    return buffer.getvalue()
