"""The national map: one indicator for every buurt (or wijk) of the country.

``/kaart/nederland/`` shows the choice form (level, indicator, year; a plain GET form that works
without JavaScript), the legend, the "Bron" line and, as the accessible equivalent of the map, a
table per municipality (number of areas, number with a value, median, link to that
municipality's map with its table of every area): a table of 15,000 buurten is no reading aid.
The map itself is drawn by the same ``static/wijkbeeld/map.js`` as the municipal map, from
``/kaart/nederland/data.json``.

Who may see it: every reader whose account is **not** tied to one municipality (admins, and
analysts, professionals or viewers of a learning network or a national team). A user tied to one
municipality gets 403, like on another municipality's pages: the national view shows every
municipality's figures, and its classes and medians are computed over all of them; that user's
own municipality has its own map (``/kaart/`` goes straight there).

No hotspot layer: hotspots are computed per municipality (neighbours within the municipality,
docs/spatial.md), not over the country; the page says so. No theme scores: they are relative to
each municipality's own areas (see :mod:`wijkbeeld.web.areas.national_layer`).

Speed. The layer is read with one query for the shapes and one for the values
(:func:`~wijkbeeld.web.areas.national_layer.national_layer`), classified (quantiles, k=5) and
turned into the GeoJSON payload (shapes simplified to 25 m in RD New, 5 decimals: sub-pixel at
the national zoom, 0.55 MB gzipped for 15,000 buurten) once per (level, indicator, year, data
version); the payload is kept gzipped in the per-process and shared cache (:class:`LruCache`,
``shared="map"``), so a second request, from any worker, only unzips it, and an import changes
the data version and so the key: nothing stale is served.
"""

from __future__ import annotations

import gzip
import json
import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.core.exceptions import PermissionDenied
from django.db import router
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from wijkbeeld.areas.codes import Level
from wijkbeeld.spatial import Classification, classify, map_payload
from wijkbeeld.web.accounts.access import READERS, municipality_of, role_required
from wijkbeeld.web.areas.geodata import LayerError
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.areas.national_layer import (
    national_boundary_year,
    national_choices,
    national_layer,
)
from wijkbeeld.web.figures.models import Indicator
from wijkbeeld.web.pages.labels import core_text, english
from wijkbeeld.web.pages.map_views import LEVELS, _legend
from wijkbeeld.web.pages.profile_cache import ImportStamp, LruCache, import_stamp
from wijkbeeld.web.pages.views import _municipality_names, _sort_key

__all__ = [
    "CHOICES",
    "NATIONAL",
    "MunicipalitySummary",
    "NationalKey",
    "NationalMap",
    "national_data",
    "national_map",
    "national_page",
]

#: Simplification of the national payload in metres (RD New) and its coordinate decimals.
TOLERANCE_M = 25.0
DECIMALS = 5
DEFAULT_INDICATOR = "huishoudens_laag_inkomen_pct"


@dataclass(frozen=True)
class _ChoiceKey:
    stamp: ImportStamp
    using: str
    level: str
    boundary_year: int


@dataclass(frozen=True)
class NationalKey:
    """One cached national layer: where it is read, which layer, and the data version."""

    stamp: ImportStamp
    using: str
    level: str
    variable: str
    year: int


@dataclass(frozen=True)
class MunicipalitySummary:
    """One row of the table under the national map."""

    code: str
    name: str
    n_areas: int
    n_with_value: int
    median: float | None


@dataclass(frozen=True, eq=False)
class NationalMap:
    """What the page and its data request need, small enough for the shared cache: the layer's
    facts, the classes, the summary per municipality and the gzipped GeoJSON features."""

    level: str
    boundary_year: int
    year: int
    variable: str
    label: str
    label_en: str
    period: str
    source: str
    notes: tuple[str, ...]
    classes: Classification
    municipalities: tuple[MunicipalitySummary, ...]
    total: MunicipalitySummary
    features_gz: bytes

    @property
    def n_areas(self) -> int:
        return self.total.n_areas


#: National layers (a few: each holds a gzipped payload of ~0.6 MB at national scale).
NATIONAL = LruCache(4, shared="map")
#: The form's choices per level (reading them scans the level's observations once).
CHOICES = LruCache(8, shared="map")


def _median(values: pd.Series) -> float | None:
    found = values.dropna()
    return None if found.empty else float(np.median(found.to_numpy(dtype="float64")))


def _summaries(areas: pd.DataFrame) -> tuple[tuple[MunicipalitySummary, ...],
                                             MunicipalitySummary]:
    codes = sorted({str(c) for c in areas["municipality"] if c})
    names = _municipality_names(codes)
    rows = [
        MunicipalitySummary(str(code), names.get(str(code), ""), len(group),
                            int(group["value"].notna().sum()), _median(group["value"]))
        for code, group in areas.groupby("municipality", sort=True)
    ]
    rows.sort(key=lambda r: (_sort_key(r.name or r.code) if r.code else "\uffff", r.code))
    total = MunicipalitySummary("", "", len(areas), int(areas["value"].notna().sum()),
                                _median(areas["value"]))
    return tuple(rows), total


def _compute(key: NationalKey) -> NationalMap:
    layer = national_layer(key.variable, key.year, level=key.level, using=key.using)
    classes = classify(layer.areas["value"], "quantiles", k=5)
    areas = layer.areas[["name", "value", "geometry"]].copy()
    areas["klasse"] = classes.classes.reindex(areas.index)
    features = map_payload(areas, ("name", "value", "klasse"), tolerance_m=TOLERANCE_M,
                           decimals=DECIMALS)
    municipalities, total = _summaries(layer.areas)
    return NationalMap(layer.level, layer.boundary_year, layer.year, layer.variable, layer.label,
                       layer.label_en, layer.period, layer.source, layer.notes, classes,
                       municipalities, total, gzip.compress(features, 6))


def national_map(key: NationalKey) -> NationalMap:
    """The cached national layer for ``key`` (computed on a miss)."""
    found: NationalMap = NATIONAL.get((key,), lambda: _compute(key), key.stamp)
    return found


def _require_national(request: HttpRequest) -> None:
    if municipality_of(request.user) is not None:
        raise PermissionDenied(
            "De landelijke kaart toont alle gemeenten; uw account is aan één gemeente gebonden."
        )


def _primary() -> str:
    """The database the figures are written to: the data version, the choices and the layer
    are read there, never from a replica that may lag behind it (docs/deploy.md)."""
    return router.db_for_write(Area)


def _choices(request: HttpRequest, stamp: ImportStamp, using: str) -> dict[str, Any]:
    """The form's choices and the chosen values (404 for an unknown level or indicator)."""
    level = request.GET.get("niveau", Level.NEIGHBOURHOOD.value)
    if level not in LEVELS:
        raise Http404(_("Onbekend niveau."))
    boundary_year = national_boundary_year(level, using)
    available: dict[str, tuple[int, ...]] = {}
    if boundary_year is not None:
        key = _ChoiceKey(stamp, using, level, boundary_year)
        available = CHOICES.get((key,), lambda: national_choices(level, boundary_year, using),
                                stamp)
    in_english = english()
    indicators = [
        (k, en if in_english and en else nl)
        for k, nl, en in Indicator.objects.filter(key__in=list(available), context_only=False)
        .order_by("name_nl").values_list("key", "name_nl", "name_en")
    ]
    variable = request.GET.get("variabele", "")
    notice = ""
    if variable and variable not in {k for k, _n in indicators}:
        # A known indicator without figures at this level (the level was switched in the
        # form): show the default with a notice, not an error page. Anything else: 404.
        if not Indicator.objects.filter(key=variable).exists():
            raise Http404(_("Onbekende indicator of thema."))
        notice = _("Voor deze indicator zijn er geen cijfers op dit niveau; hieronder een "
                   "andere indicator.")
        variable = ""
    if not variable:
        variable = next((k for k, _n in indicators if k == DEFAULT_INDICATOR),
                        indicators[0][0] if indicators else "")
    years = sorted({y for found in available.values() for y in found}, reverse=True)
    wanted = request.GET.get("jaar", "")
    if wanted.isdigit() and int(wanted) in years:
        year: int | None = int(wanted)
    else:  # the newest year of the chosen indicator
        year = available[variable][0] if variable in available else None
    return {"level": level, "years": years, "year": year, "indicators": indicators,
            "variable": variable, "selected": variable, "notice": notice}


def _key(request: HttpRequest) -> tuple[dict[str, Any], NationalKey | None]:
    _require_national(request)
    using = _primary()
    stamp = import_stamp(using)  # before any figures are read (see profile_cache)
    choice = _choices(request, stamp, using)
    if not choice["variable"] or choice["year"] is None:
        return choice, None
    return choice, NationalKey(stamp, using, choice["level"], choice["variable"], choice["year"])


def _number(value: float | None) -> float | None:
    return None if value is None or math.isnan(value) else value


def _decimals(values: list[float | None]) -> int:
    """Decimals that show about three significant digits of the largest median (0.0017 → 4,
    8.4 → 2, 45,000 → 0): a fixed two would show shares like 0.0017 as 0.00."""
    largest = max((abs(v) for v in values if v is not None and v != 0), default=1.0)
    return int(min(4, max(0, 2 - math.floor(math.log10(largest)))))


@role_required(*READERS)
def national_page(request: HttpRequest) -> HttpResponse:
    """The national map with its form, legend and table per municipality."""
    choice, key = _key(request)
    context: dict[str, Any] = {**choice, "levels": LEVELS, "rows": [], "error": "",
                               "found": None}
    if key is None:
        context["error"] = _("Er zijn geen gebieden met grenzen en cijfers op dit niveau.")
        return render(request, "wijkbeeld/map_national.html", context)
    try:
        found = national_map(key)
    except LayerError as exc:
        context["error"] = str(exc)
        return render(request, "wijkbeeld/map_national.html", context)
    query = {"niveau": key.level, "variabele": key.variable, "jaar": str(key.year)}
    context.update({
        "found": found,
        "notes": [core_text(note) for note in found.notes],
        "layer_label": found.label_en if english() and found.label_en else found.label,
        "legend": _legend(found.classes),
        "data_url": reverse("map_national_data") + "?" + urlencode(query),
        "rows": [
            {"code": m.code, "name": m.name, "n_areas": m.n_areas,
             "n_with_value": m.n_with_value, "median": _number(m.median),
             "url": (reverse("map", args=[m.code]) + "?" + urlencode(
                 query if m.n_with_value else {"niveau": key.level})) if m.code else ""}
            for m in found.municipalities
        ],
        "total": found.total,
        "total_median": _number(found.total.median),
    })
    context["digits"] = _decimals([r["median"] for r in context["rows"]]
                                  + [context["total_median"]])
    return render(request, "wijkbeeld/map_national.html", context)


@role_required(*READERS)
def national_data(request: HttpRequest) -> HttpResponse:
    """GeoJSON of the national layer: per area ``name``, ``value`` and ``klasse`` (0..k-1 or
    null); the member ``wijkbeeld`` holds the legend and the profile URL (no hotspots:
    ``clusters`` is empty)."""
    _choice, key = _key(request)
    if key is None:
        raise Http404(_("Geen cijfers voor deze keuze."))
    try:
        found = national_map(key)
    except LayerError as exc:
        raise Http404(str(exc)) from exc
    meta = {
        "municipality": None, "level": found.level, "boundary_year": found.boundary_year,
        "kind": "indicator", "variable": found.variable, "label": found.label,
        "period": found.period, "source": found.source,
        "legend": _legend(found.classes), "clusters": [],
        "profile_url": reverse("area", args=["XXXXXXXXXX", found.boundary_year]),
    }
    head = json.dumps({"wijkbeeld": meta}, ensure_ascii=False, separators=(",", ":"))
    body = gzip.decompress(found.features_gz)
    return HttpResponse(head[:-1].encode() + b"," + body[1:],
                        content_type="application/geo+json")
