"""The name search page ``/zoeken/?q=``: find a gemeente, wijk or buurt by name or code.

A thin view: the rows the user may see (scoped by municipality exactly as the home page and the
area pages are) go to :func:`~wijkbeeld.web.areas.finding.find_areas`, which ranks them with the
core (:mod:`wijkbeeld.areas.search`). One clear match (an exact code, or the only match of the
best kind) goes straight to its area page; several are listed name first; none says so kindly.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from wijkbeeld.areas.search import unambiguous
from wijkbeeld.web.accounts.access import READERS, role_required, scope_by_municipality
from wijkbeeld.web.areas.finding import find_areas
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.pages.labels import level_label

__all__ = ["search"]

#: The longest query looked at; a longer one is cut (no name is this long).
MAX_QUERY = 100


@role_required(*READERS)
def search(request: HttpRequest) -> HttpResponse:
    """Search results for ``?q=``, or a redirect to the one area it clearly means."""
    query = request.GET.get("q", "").strip()[:MAX_QUERY]
    matches = find_areas(scope_by_municipality(Area.objects.all(), request.user), query)
    best = unambiguous(matches)
    if best is not None:
        return redirect("area", code=best.area.code, year=best.area.boundary_year)
    results = [
        {"name": m.display_name, "level": level_label(m.area.level).lower(),
         "municipality": m.area.municipality_name if m.area.level != "municipality" else "",
         "code": m.area.code, "year": m.area.boundary_year}
        for m in matches
    ]
    return render(request, "wijkbeeld/search.html", {"query": query, "results": results})
