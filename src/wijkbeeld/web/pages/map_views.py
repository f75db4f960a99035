"""The map page: a choropleth of one indicator or theme score per area, with a hotspot layer.

``/kaart/`` chooses a municipality; ``/kaart/<GM>/`` shows the choice form (a plain GET form that
works without JavaScript), the legend and a table of every area (name, value, class, hotspot
class, link to its profile) that is the accessible equivalent of the map; the map itself is drawn
by ``static/wijkbeeld/map.js`` with Leaflet (served from the ``xstatic-leaflet`` package, no CDN,
no basemap tiles) from ``/kaart/<GM>/data.json`` (simplified shapes, value, class and hotspot
class per area). Every view checks the role and the user's municipality.

The layer, its classes and its hotspots are computed once per (municipality, level, variable,
year, import stamp) and kept in a small per-process cache, so the page and its data request
share one computation.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import geopandas as gpd
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import Level
from wijkbeeld.figures.catalogue import no_headline_keys
from wijkbeeld.figures.display import format_figure
from wijkbeeld.spatial import (
    Classification,
    HotspotResult,
    SpatialOptions,
    classify,
    hotspots,
    map_payload,
)
from wijkbeeld.spatial.labels import CLUSTER_CODES, cluster_colour, cluster_labels
from wijkbeeld.web.accounts.access import READERS, require_municipality, role_required
from wijkbeeld.web.areas.geodata import AreaLayer, LayerError, area_layer, load_shapes
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Indicator, Observation, Theme
from wijkbeeld.web.pages.labels import core_text, english
from wijkbeeld.web.pages.profile_cache import ImportStamp, LruCache, import_stamp
from wijkbeeld.web.pages.views import _municipality_code, _municipality_names, _sort_key

__all__ = ["map_data", "map_index", "map_page"]

LEVELS: tuple[str, ...] = (Level.NEIGHBOURHOOD.value, Level.DISTRICT.value)
#: ColorBrewer YlGnBu per number of classes (colour-blind safe, print friendly).
YLGNBU: dict[int, tuple[str, ...]] = {
    1: ("#41b6c4",),
    2: ("#a1dab4", "#225ea8"),
    3: ("#edf8b1", "#7fcdbb", "#2c7fb8"),
    4: ("#ffffcc", "#a1dab4", "#41b6c4", "#225ea8"),
    5: ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494"),
}


@dataclass(frozen=True)
class _Key:
    stamp: ImportStamp
    municipality: str
    level: str
    kind: str
    variable: str
    year: int


@dataclass(frozen=True, eq=False)
class MapLayer:
    """A layer as the page shows it: the areas (full shapes), the simplified web shapes, the
    classes and the hotspots."""

    layer: AreaLayer
    web_shapes: gpd.GeoSeries
    classes: Classification
    hotspots: HotspotResult


MAPS = LruCache(8, shared="map")


def _compute(key: _Key) -> MapLayer:
    theme = key.variable if key.kind == "theme" else None
    indicator = None if theme else key.variable
    layer = area_layer(key.municipality, key.year, indicator=indicator, theme=theme,
                       level=key.level)
    classes = classify(layer.areas["value"], "quantiles", k=5)
    # Hotspots on the full shapes, as `wijkbeeld hotspots` computes them; the map draws the
    # simplified copy stored at import.
    result = hotspots(layer.areas, "value", SpatialOptions(polarity=layer.polarity))
    web = load_shapes(key.municipality, key.level, layer.boundary_year, web=True)
    return MapLayer(layer, web.geometry.reindex(layer.areas.index), classes, result)


def _map_layer(key: _Key) -> MapLayer:
    found: MapLayer = MAPS.get((key,), lambda: _compute(key), key.stamp)
    return found


def _years(code: str, level: str) -> list[int]:
    periods = (
        Observation.objects.filter(area__municipality=code, area__level=level)
        .order_by().values_list("period", flat=True).distinct()
    )
    return sorted({int(p[:4]) for p in periods if p[:4].isdigit()}, reverse=True)


def _choices(request: HttpRequest, code: str) -> dict[str, Any]:
    """The form's choices and the chosen values (404 for an unknown choice)."""
    level = request.GET.get("niveau", "")
    if level and level not in LEVELS:
        raise Http404(_("Onbekend niveau."))
    if not level:  # buurten where the municipality has buurt figures, else wijken (issue 19:
        # Den Haag's series has wijken only, and its map opened empty on buurten)
        level = (Level.NEIGHBOURHOOD.value if _years(code, Level.NEIGHBOURHOOD.value)
                 else Level.DISTRICT.value)
    years = _years(code, level)
    wanted = request.GET.get("jaar", "")
    year = int(wanted) if wanted.isdigit() and int(wanted) in years else (years[0] if years
                                                                          else None)
    english = (get_language() or "nl").startswith("en")
    keys = set(
        Observation.objects.filter(area__municipality=code, area__level=level, status="ok")
        .order_by().values_list("indicator__key", flat=True).distinct()
    )
    indicators = [
        (k, en if english and en else nl)
        for k, nl, en in Indicator.objects.filter(key__in=keys, context_only=False)
        .order_by("name_nl").values_list("key", "name_nl", "name_en")
    ]
    themes = [(k, en if english and en else nl)
              for k, nl, en in Theme.objects.values_list("key", "name_nl", "name_en")]
    variable = request.GET.get("variabele", "")
    if variable.startswith("thema:") and variable[6:] in {t for t, _ in themes}:
        kind, key = "theme", variable[6:]
    elif variable in keys:
        kind, key = "indicator", variable
    elif variable:
        raise Http404(_("Onbekende indicator of thema."))
    else:
        # Default: low incomes where stored, else the first indicator that may lead a page (a
        # map opening on "BMI boven 45" or detention history would stigmatise, issue 19).
        kind = "indicator"
        quiet = no_headline_keys()
        key = next((k for k, _n in indicators if k == "huishoudens_laag_inkomen_pct"),
                   next((k for k, _n in indicators if k not in quiet),
                        indicators[0][0] if indicators else ""))
    return {"level": level, "years": years, "year": year, "indicators": indicators,
            "themes": themes, "kind": kind, "variable": key,
            "selected": f"thema:{key}" if kind == "theme" else key}


def _unit(layer: AreaLayer) -> str:
    """The unit of the layer's values ("fraction" for a count mapped as a rate; "" for a
    theme score, a plain number)."""
    return layer.unit


def _legend(classes: Classification, unit: str = "") -> list[dict[str, Any]]:
    """Legend rows; numeric classes are written with the indicator's unit ("7,8 % – 12,5 %"),
    as every figure on the pages is, not as the core's bare numbers."""
    colours = YLGNBU.get(classes.k, YLGNBU[5])
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    labels = [core_text(label) for label, _n in classes.legend()]
    numeric = bool(classes.bins) and len(classes.bins) == len(labels)
    if unit and numeric and classes.lower == classes.lower:  # lower is NaN for bands
        lows = (classes.lower, *classes.bins[:-1])
        labels = [format_figure(hi, unit, lang) if lo == hi else
                  f"{format_figure(lo, unit, lang)} – {format_figure(hi, unit, lang)}"
                  for lo, hi in zip(lows, classes.bins, strict=True)]
    rows = [{"label": label, "count": n, "colour": colours[k]}
            for k, (label, (_l, n)) in enumerate(zip(labels, classes.legend(), strict=True))]
    if classes.n_missing:
        rows.append({"label": _("geen gegevens"), "count": classes.n_missing, "colour": ""})
    return rows


def _cluster_legend(result: HotspotResult) -> list[dict[str, Any]]:
    counts = result.table["cluster_code"].value_counts()
    labels = cluster_labels(result.options.polarity)
    return [{"code": c, "label": core_text(labels[c]), "count": int(counts.get(c, 0)),
             "colour": cluster_colour(c, result.options.polarity)}
            for c in CLUSTER_CODES if counts.get(c, 0)]


def _layer_label(layer: AreaLayer) -> str:
    """The indicator's or theme's name in the reader's language (the layer keeps Dutch)."""
    if not english():
        return str(layer.label)
    model = Theme if layer.kind == "theme" else Indicator
    found = model.objects.filter(key=layer.variable).values_list("name_en", flat=True).first()
    return str(found or layer.label)


@role_required(*READERS)
def map_index(request: HttpRequest) -> HttpResponse:
    """Choose a municipality (a user tied to one goes straight to its map)."""
    own = getattr(request.user, "municipality", "") or ""
    chosen = request.GET.get("gemeente", "") or own
    if chosen:
        return redirect("map", code=_municipality_code(chosen))
    codes = sorted(set(
        Area.objects.exclude(geometry_web="").exclude(municipality="")
        .order_by().values_list("municipality", flat=True).distinct()
    ))
    names = _municipality_names(codes)
    municipalities = sorted(({"code": c, "name": names.get(c, c)} for c in codes),
                            key=lambda m: _sort_key(m["name"]))
    return render(request, "wijkbeeld/map.html", {"municipalities": municipalities})


def _key(request: HttpRequest, code: str) -> tuple[str, dict[str, Any], _Key | None]:
    code = _municipality_code(code)
    require_municipality(request.user, code)
    choice = _choices(request, code)
    if not choice["variable"] or choice["year"] is None:
        return code, choice, None
    return code, choice, _Key(import_stamp(), code, choice["level"], choice["kind"],
                              choice["variable"], choice["year"])


def _focus(wanted: str, municipality: str) -> str:
    """The area to centre on (``?gebied=``): a code of this municipality, else nothing."""
    code = wanted.strip().upper()
    return code if code.startswith(("WK", "BU")) and code[2:6] == municipality[2:] else ""


@role_required(*READERS)
def map_page(request: HttpRequest, code: str) -> HttpResponse:
    """The map of one municipality with its form, legend and table of areas."""
    code, choice, key = _key(request, code)
    context: dict[str, Any] = {"code": code, "name": _municipality_names([code]).get(code, code),
                               **choice, "levels": LEVELS, "rows": [], "error": "",
                               "focus": _focus(request.GET.get("gebied", ""), code)}
    if key is not None:
        try:
            found = _map_layer(key)
        except LayerError as exc:
            context["error"] = str(exc)
        else:
            layer, table = found.layer, found.hotspots.table
            classes = found.classes.classes
            labels = found.classes.labels
            unit = _unit(layer)
            lang = "en" if (get_language() or "nl").startswith("en") else "nl"
            context.update({
                "layer": layer,
                "notes": [core_text(note) for note in layer.notes],
                "layer_label": _layer_label(layer),
                "legend": _legend(found.classes, unit),
                "cluster_legend": _cluster_legend(found.hotspots),
                "hotspots": found.hotspots,
                "data_url": reverse("map_data", args=[code]) + "?" + request.GET.urlencode(),
                "rows": [
                    {"code": area, "name": name, "value": None if value != value else value,
                     "value_text": format_figure(value, unit, lang),
                     "klasse": "" if classes.isna()[area] else core_text(
                         labels[int(classes[area])]),
                     "cluster": core_text(str(table.at[area, "cluster"])),
                     "url": reverse("area", args=[area, layer.boundary_year])}
                    for area, name, value in zip(layer.areas.index, layer.areas["name"],
                                                 layer.areas["value"], strict=True)
                ],
            })
    return render(request, "wijkbeeld/map.html", context)


@role_required(*READERS)
def map_data(request: HttpRequest, code: str) -> HttpResponse:
    """GeoJSON of the layer: per area ``name``, ``value``, ``klasse`` (0..k-1 or null),
    ``cluster_code`` (its label in ``clusters``); the member ``wijkbeeld`` holds the legends
    and the profile URL."""
    code, _choice, key = _key(request, code)
    if key is None:
        raise Http404(_("Geen cijfers voor deze keuze."))
    try:
        found = _map_layer(key)
    except LayerError as exc:
        raise Http404(str(exc)) from exc
    layer = found.layer
    areas = gpd.GeoDataFrame(layer.areas[["name", "value"]], geometry=found.web_shapes,
                             crs="EPSG:4326")
    areas["klasse"] = found.classes.classes.reindex(areas.index)
    table = found.hotspots.table
    areas["cluster_code"] = table["cluster_code"].reindex(areas.index)
    unit = _unit(layer)
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    areas["value_text"] = [format_figure(v, unit, lang) for v in areas["value"]]
    body = map_payload(areas, ("name", "value", "value_text", "klasse", "cluster_code"),
                       tolerance_m=1.0)
    meta = {
        "municipality": code, "level": layer.level, "boundary_year": layer.boundary_year,
        "kind": layer.kind, "variable": layer.variable, "label": layer.label,
        "period": layer.period, "source": layer.source,
        "legend": _legend(found.classes, unit), "clusters": _cluster_legend(found.hotspots),
        "profile_url": reverse("area", args=["XXXXXXXXXX", layer.boundary_year]),
    }
    head = json.dumps({"wijkbeeld": meta}, ensure_ascii=False, separators=(",", ":"))
    payload = head[:-1].encode() + b"," + body[1:]
    return HttpResponse(payload, content_type="application/geo+json")
