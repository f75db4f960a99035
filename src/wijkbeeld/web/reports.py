"""Builds the plain :class:`~wijkbeeld.report.ReportData` of one area from the database.

The report core knows nothing about Django; this module gathers what it shows: the profile
(as ``wijkbeeld profile`` computes it), a map of the municipality with the area's key theme,
voices per theme after the small-number rule, the latest urgency matrix, sources and versions.
Used by the CLI (``wijkbeeld report``) and the download views of the area page.
"""

from __future__ import annotations

import importlib.metadata
import logging
import tempfile
from datetime import datetime
from pathlib import Path
from typing import Any

from django.utils import timezone

from wijkbeeld.areas.codes import Level, parse_code
from wijkbeeld.compare import CompareOptions, profile
from wijkbeeld.report import AreaInfo, MapImage, ReportData
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.loading import figures_frame
from wijkbeeld.web.figures.models import Theme

__all__ = ["build_report_data", "report_areas"]

log = logging.getLogger(__name__)
_VERSIONED = ("wijkbeeld", "pandas", "esda", "weasyprint")


def _versions() -> dict[str, str]:
    out = {}
    for name in _VERSIONED:
        try:
            out[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            out[name] = "?"
    return out


def _municipality_name(code: str, using: str) -> str:
    name = (Area.objects.using(using).filter(code=code, level=Level.MUNICIPALITY)
            .exclude(name="").order_by("-boundary_year").values_list("name", flat=True).first())
    return name or code


def _map(prof: dict[str, Any], municipality: str, level: str, year: int,
         using: str) -> MapImage | None:
    """A choropleth of the municipality with the area's lowest-scoring theme (its main point
    of attention), as SVG; ``None`` when there are no shapes or scores."""
    from wijkbeeld.spatial import choropleth_map
    from wijkbeeld.spatial.classify import classify
    from wijkbeeld.web.areas.geodata import LayerError, area_layer

    themes = sorted((t for t in prof["themes"] if t["score"] is not None),
                    key=lambda t: t["score"])
    if not themes:
        return None
    theme = str(themes[0]["theme"])
    try:
        layer = area_layer(municipality, year, theme=theme, level=level, using=using)
        classification = classify(layer.areas["value"].dropna())
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "kaart.svg"
            title = f"{layer.label}, {layer.period}"
            choropleth_map(layer.areas, classification, path, title=title,
                           source=layer.source or "onbekend")
            data = path.read_bytes()
    except (LayerError, ValueError) as exc:
        log.info("no map for %s: %s", prof["area"]["code"], exc)
        return None
    return MapImage(data=data, mime="image/svg+xml", title=title,
                    source=layer.source or "onbekend", period=layer.period,
                    alt=f"Kaart van {municipality}: thema-score {layer.label} per gebied")


def _voices(area: Area, using: str) -> dict[str, Any] | None:
    from wijkbeeld.web.voices import services
    from wijkbeeld.web.voices.models import Group

    grid = services.counts(area, using=using)
    themes = []
    for theme, total in grid.row_totals.items():
        if total is None:  # too few voices on this theme: nothing about it is shown
            continue
        chosen = services.quotes(area, theme, using=using)
        themes.append({
            "theme": theme, "total": total,
            "counts": {g: grid.count(theme, g) for g in Group.values},
            "quotes": [] if chosen.withheld else [
                {"text": q.text, "group": q.group, "date": q.date.isoformat()}
                for q in chosen.quotes],
        })
    if not themes:
        return None
    return {"minimum": grid.rule.minimum,
            "groups": {str(v): str(lbl) for v, lbl in Group.choices}, "themes": themes}


def _urgency(code: str, using: str) -> dict[str, Any] | None:
    from wijkbeeld.urgency import UrgencyError
    from wijkbeeld.web.urgency.reading import area_matrix

    try:
        result: dict[str, Any] = area_matrix(code, using=using).to_dict()
    except UrgencyError:
        return None
    return result


def build_report_data(area_code: str, *, year: int | None = None, language: str = "nl",
                      with_map: bool = True, using: str = "default",
                      generated_at: datetime | None = None) -> ReportData:
    """Everything the report of ``area_code`` shows, for figure year ``year`` (default: the
    latest per figure). Raises ``ProfileError`` when the area has no figures."""
    code = parse_code(area_code)
    frame = figures_frame(municipality=code.municipality, level=[str(code.level)], using=using)
    prof = profile(frame, code.code, year=year, options=CompareOptions()).to_dict()
    area = (Area.objects.using(using).defer("geometry", "geometry_web")
            .filter(code=code.code).order_by("-boundary_year").first())
    info = AreaInfo(code=code.code, name=str(prof["area"]["name"]), level=str(code.level),
                    municipality=code.municipality,
                    municipality_name=_municipality_name(code.municipality, using),
                    boundary_year=None if area is None else area.boundary_year)
    periods = sorted({str(i["period"]) for i in prof["indicators"]})
    map_year = year or int(periods[-1][:4])
    image = _map(prof, code.municipality, str(code.level), map_year, using) if with_map else None
    labels = {k: (en if language == "en" and en else nl) for k, nl, en in
              Theme.objects.using(using).values_list("key", "name_nl", "name_en")}
    return ReportData(
        area=info, profile=prof, generated_at=generated_at or timezone.localtime(),
        maps=() if image is None else (image,),
        voices=None if area is None else _voices(area, using),
        urgency=_urgency(code.code, using), theme_labels=labels,
        versions=_versions(), language=language,
    )


def report_areas(municipality: str, level: str, using: str = "default") -> list[str]:
    """Codes of every area of ``municipality`` at ``level`` that has figures (batch mode)."""
    return list(Area.objects.using(using)
                .filter(municipality=municipality.upper(), level=level,
                        observations__isnull=False)
                .values_list("code", flat=True).distinct().order_by("code"))
