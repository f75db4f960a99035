"""Pages: the municipalities, a municipality's areas, and an area's profile.

Every view checks the role (see :mod:`wijkbeeld.web.accounts.access`): every signed-in role may
read; a user tied to a municipality sees only that one (403 for another). Queries are aggregated in
the database (one query for the counts of a whole page), and the large geometry columns are never
loaded for a list.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.web.accounts.access import (
    READERS,
    require_municipality,
    role_required,
    scope_by_municipality,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.pages.area_page import BadChoice, area_page_context
from wijkbeeld.web.pages.area_quotes import theme_quotes
from wijkbeeld.web.voices.trigger_views import trigger_section

__all__ = ["area_detail", "home", "municipality_detail"]

_LIST_FIELDS = ("id", "code", "name", "level", "parent_id", "boundary_year", "municipality")


def _municipality_names(codes: list[str]) -> dict[str, str]:
    """Name of each GM code from its stored municipality area (the latest boundary year wins)."""
    names: dict[str, str] = {}
    rows = (
        Area.objects.filter(level=Level.MUNICIPALITY, code__in=codes)
        .order_by("boundary_year")
        .values_list("code", "name")
    )
    for code, name in rows:
        if name:
            names[code] = name
    return names


def _sort_key(name: str) -> str:
    """Dutch sort order: 's-Gravenhage under G, 't Zandt under Z."""
    return re.sub(r"^'[st][- ]", "", name).casefold()


@role_required(*READERS)
def home(request: HttpRequest) -> HttpResponse:
    """The municipalities in the database, with their wijken and buurten per boundary year."""
    rows = list(
        scope_by_municipality(Area.objects.exclude(municipality=""), request.user)
        .values("municipality", "boundary_year")
        .annotate(
            wijken=Count("id", filter=Q(level=Level.DISTRICT)),
            buurten=Count("id", filter=Q(level=Level.NEIGHBOURHOOD)),
        )
        .order_by("municipality", "-boundary_year")
    )
    codes = sorted({r["municipality"] for r in rows})
    names = _municipality_names(codes)
    municipalities: dict[str, dict[str, Any]] = {}
    for r in rows:
        code = r["municipality"]
        entry = municipalities.setdefault(
            code, {"code": code, "name": names.get(code, ""), "years": []}
        )
        entry["years"].append(
            {"year": r["boundary_year"], "wijken": r["wijken"], "buurten": r["buurten"]}
        )
    ordered = sorted(municipalities.values(), key=lambda m: _sort_key(m["name"] or m["code"]))
    return render(request, "wijkbeeld/home.html", {"municipalities": ordered})


@dataclass
class _Node:
    area: Area
    children: list[_Node] = field(default_factory=list)


def _municipality_code(raw: str) -> str:
    try:
        parsed = parse_code(raw)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gemeentecode.")) from exc
    if parsed.level is not Level.MUNICIPALITY:
        raise Http404(_("Onbekende gemeentecode."))
    return parsed.code


@role_required(*READERS)
def municipality_detail(request: HttpRequest, code: str) -> HttpResponse:
    """The wijken of a municipality with their buurten, in one boundary year (``?indeling=``)."""
    code = _municipality_code(code)
    require_municipality(request.user, code)
    years = sorted(
        set(
            Area.objects.filter(municipality=code)
            .order_by()
            .values_list("boundary_year", flat=True)
            .distinct()
        ),
        reverse=True,
    )
    if not years:
        raise Http404(_("Er zijn geen gebieden van deze gemeente opgeslagen."))
    wanted = request.GET.get("indeling", "")
    if wanted:
        if not wanted.isdigit() or int(wanted) not in years:
            raise Http404(_("Deze indeling is niet opgeslagen."))
        year = int(wanted)
    else:
        year = years[0]

    areas = list(
        Area.objects.filter(municipality=code, boundary_year=year)
        .only(*_LIST_FIELDS)
        .annotate(n_figures=Count("observations"))
        .order_by("code")
    )
    by_id = {a.pk: _Node(a) for a in areas}
    top: Area | None = None
    wijken: list[_Node] = []
    loose: list[Area] = []
    for node in by_id.values():
        a = node.area
        if a.level == Level.MUNICIPALITY:
            top = a
        elif a.level == Level.DISTRICT:
            wijken.append(node)
    for node in by_id.values():
        a = node.area
        if a.level != Level.NEIGHBOURHOOD:
            continue
        parent = by_id.get(a.parent_id) if a.parent_id is not None else None
        if parent is not None and parent.area.level == Level.DISTRICT:
            parent.children.append(node)
        else:
            loose.append(a)
    name = (top.name if top is not None else "") or _municipality_names([code]).get(code, "")
    context = {
        "code": code,
        "name": name or code,
        "year": year,
        "years": years,
        "top": top,
        "wijken": wijken,
        "loose": loose,
        "n_wijken": len(wijken),
        "n_buurten": sum(len(w.children) for w in wijken) + len(loose),
    }
    return render(request, "wijkbeeld/municipality.html", context)


@role_required(*READERS)
def area_detail(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """How one area (in one boundary year) stands: its profile against a reference set
    (``?referentie=``, default the same level in its municipality) for one year (``?jaar=``,
    default the latest), strengths and challenges first, then per theme (see
    :mod:`wijkbeeld.web.pages.area_page`)."""
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    area = get_object_or_404(
        Area.objects.defer("geometry", "geometry_web"), code=parsed.code, boundary_year=year
    )
    require_municipality(request.user, area.municipality)
    lineage: list[Area] = []
    parent_id = area.parent_id
    while parent_id is not None and len(lineage) < 3:
        parent = Area.objects.only(*_LIST_FIELDS).filter(pk=parent_id).first()
        if parent is None:
            break
        lineage.insert(0, parent)
        parent_id = parent.parent_id
    children = list(
        Area.objects.filter(parent=area)
        .only(*_LIST_FIELDS)
        .annotate(n_figures=Count("observations"))
        .order_by("code")
    )
    other_years = list(
        Area.objects.filter(code=area.code)
        .exclude(pk=area.pk)
        .order_by("-boundary_year")
        .values_list("boundary_year", flat=True)
    )
    municipality_name = next(
        (a.name for a in [*lineage, area] if a.level == Level.MUNICIPALITY and a.name), ""
    ) or _municipality_names([area.municipality]).get(area.municipality, area.municipality)
    try:
        profile_context = area_page_context(request, area, municipality_name)
    except BadChoice as exc:
        return HttpResponseBadRequest(str(exc))
    context = {
        "area": area,
        "municipality_name": municipality_name,
        "lineage": lineage,
        "children": children,
        "other_years": other_years,
        **profile_context,
        "theme_quotes": theme_quotes(area, [g.key for g in profile_context["groups"]
                                            if g.kind == "theme"]),
        **trigger_section(request.user, area),
    }
    return render(request, "wijkbeeld/area.html", context)
