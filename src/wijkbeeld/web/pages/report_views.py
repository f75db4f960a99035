"""Download of the wijkbeeld report of an area (PDF or self-contained HTML), role-checked like
the area page: readers only, and only areas of the user's own municipality."""

from __future__ import annotations

import base64
import hashlib
import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.csp import CSP
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.compare import ProfileError
from wijkbeeld.report import render_html, render_pdf
from wijkbeeld.web.accounts.access import READERS, require_municipality, role_required
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.reports import build_report_data

__all__ = ["area_report", "style_hashes"]

_STYLE = re.compile(r"<style>(.*?)</style>", re.S)


def style_hashes(html: str) -> list[str]:
    """CSP source expressions (``'sha256-…'``) of the ``<style>`` blocks of a self-contained
    document, so exactly that CSS may apply and no other inline style (docs/security.md)."""
    return [
        "'sha256-" + base64.b64encode(hashlib.sha256(block.encode()).digest()).decode() + "'"
        for block in _STYLE.findall(html)
    ]


@role_required(*READERS)
def area_report(request: HttpRequest, code: str, year: int, fmt: str) -> HttpResponse:
    """The report of area ``code`` (boundary year ``year``) as ``pdf`` or ``html``; figure year
    from ``?jaar=`` (default: the latest per figure)."""
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    area = get_object_or_404(Area.objects.defer("geometry", "geometry_web"),
                             code=parsed.code, boundary_year=year)
    require_municipality(request.user, area.municipality)
    figure_year = request.GET.get("jaar", "")
    language = "en" if (get_language() or "nl").startswith("en") else "nl"
    try:
        data = build_report_data(area.code, year=int(figure_year) if figure_year.isdigit()
                                 else None, language=language)
    except ProfileError as exc:
        raise Http404(str(exc)) from exc
    name = f"wijkbeeld-{area.code}-{year}.{fmt}"
    if fmt == "pdf":
        response = HttpResponse(render_pdf(data), content_type="application/pdf")
    else:
        html = render_html(data)
        response = HttpResponse(html, content_type="text/html; charset=utf-8")
        # The report carries its own CSS; allow exactly that block by its hash.
        response._csp_config = {  # type: ignore[attr-defined]
            **settings.SECURE_CSP, "style-src": [CSP.SELF, *style_hashes(html)]}
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
