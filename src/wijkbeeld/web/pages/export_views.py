"""Downloads of tables for Excel, Power BI and notebooks: the profile of an area, the comparison
of its level in its municipality, and the urgency matrix, as CSV, XLSX or Parquet
(:mod:`wijkbeeld.exports`). Role-checked like the pages they belong to: readers only, and only
areas of the user's own municipality. Every row carries ``bron``, ``jaar`` and ``methode``.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.compare import ProfileError
from wijkbeeld.exports import (
    ExportTable,
    comparison_table,
    matrix_table,
    profile_table,
    write_table,
)
from wijkbeeld.urgency import UrgencyError
from wijkbeeld.web.accounts.access import READERS, require_municipality, role_required
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.pages.area_page import BadChoice, _choose, _years
from wijkbeeld.web.pages.area_profile import area_profile_data, reference_choices
from wijkbeeld.web.pages.profile_cache import ComparisonKey, comparison_for, import_stamp
from wijkbeeld.web.pages.views import _municipality_code
from wijkbeeld.web.urgency.reading import area_matrix

__all__ = ["CONTENT_TYPES", "MAP_CONTENT_TYPES", "area_table", "map_file", "urgency_table"]

CONTENT_TYPES: dict[str, str] = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
}


MAP_CONTENT_TYPES: dict[str, str] = {
    "gpkg": "application/geopackage+sqlite3",
    "geojson": "application/geo+json",
}


def _download(table: ExportTable, fmt: str) -> HttpResponse:
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-export-") as tmp:
        path = write_table(table, Path(tmp) / f"{table.name}.{fmt}", fmt)
        body = path.read_bytes()
    response = HttpResponse(body, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{table.name}.{fmt}"'
    return response


def _area(request: HttpRequest, code: str, year: int) -> Area:
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    area = get_object_or_404(Area.objects.defer("geometry", "geometry_web"),
                             code=parsed.code, boundary_year=year)
    require_municipality(request.user, area.municipality)
    return area


@role_required(*READERS)
def area_table(request: HttpRequest, code: str, year: int, what: str, fmt: str) -> HttpResponse:
    """``what`` = ``profiel``: the area's profile as on its page (same ``?jaar=`` and
    ``?referentie=``); ``vergelijking``: every area of its level in its municipality."""
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Onbekend bestandsformaat."))
    area = _area(request, code, year)
    years = _years(area)
    if not years:
        raise Http404(_("Voor dit gebied zijn geen cijfers opgeslagen."))
    try:
        figure_year, reference = _choose(request, years, reference_choices(area.level))
    except BadChoice as exc:
        return HttpResponseBadRequest(str(exc))
    stamp = import_stamp()
    if what == "vergelijking":
        key = ComparisonKey("default", area.municipality, (area.level,), figure_year,
                            "municipality", stamp)
        name = f"vergelijking-{area.municipality}-{area.level}-{figure_year}"
        return _download(comparison_table(comparison_for(key), name=name), fmt)
    try:
        data = area_profile_data(area.code, area.level, area.municipality, area.boundary_year,
                                 figure_year, reference, stamp)
    except ProfileError as exc:
        raise Http404(str(exc)) from exc
    return _download(profile_table(data.profile), fmt)


@role_required(*READERS)
def urgency_table(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The urgency matrix of an area (``?ronde=``, default the latest) as one row per theme ×
    group; withheld numbers (too few answers) are not in it."""
    if fmt not in CONTENT_TYPES:
        raise Http404(_("Onbekend bestandsformaat."))
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    require_municipality(request.user, parsed.municipality or "")
    try:
        matrix = area_matrix(parsed.code, round_key=request.GET.get("ronde") or None)
    except UrgencyError as exc:
        raise Http404(_("Voor dit gebied zijn nog geen antwoorden.")) from exc
    return _download(matrix_table(matrix), fmt)


@role_required(*READERS)
def map_file(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    """The areas of a municipality (``?niveau=``, ``?jaar=`` as on the map page) with their
    figures, theme scores and hotspot classes as GeoPackage or GeoJSON, with the fields
    ``bron``, ``jaar``, ``methode`` (the same file as ``wijkbeeld export``)."""
    from wijkbeeld.exports import export_areas
    from wijkbeeld.web.areas.export_layer import export_frame
    from wijkbeeld.web.areas.geodata import LayerError

    if fmt not in MAP_CONTENT_TYPES:
        raise Http404(_("Onbekend bestandsformaat."))
    municipality = _municipality_code(code)
    require_municipality(request.user, municipality)
    level = request.GET.get("niveau", "neighbourhood")
    if level not in ("neighbourhood", "district"):
        raise Http404(_("Onbekend niveau."))
    year = request.GET.get("jaar", "")
    if not year.isdigit():
        return HttpResponseBadRequest(_("Het jaar moet een getal zijn."))
    try:
        frame, provenance = export_frame(municipality, int(year), level=level)
    except LayerError as exc:
        raise Http404(str(exc)) from exc
    name = f"wijkbeeld-{municipality}-{level}-{year}.{fmt}"
    with tempfile.TemporaryDirectory(prefix="wijkbeeld-export-") as tmp:
        body = export_areas(frame, Path(tmp) / name, provenance).read_bytes()
    response = HttpResponse(body, content_type=MAP_CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
