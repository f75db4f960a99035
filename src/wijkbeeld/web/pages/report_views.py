"""Download of the wijkbeeld report of an area (PDF or self-contained HTML), role-checked like
the area page: readers only, and only areas of the user's own municipality."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.compare import ProfileError
from wijkbeeld.report import render_html, render_pdf
from wijkbeeld.web.accounts.access import READERS, require_municipality, role_required
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.reports import build_report_data

__all__ = ["area_report"]


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
        response = HttpResponse(render_html(data), content_type="text/html; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
