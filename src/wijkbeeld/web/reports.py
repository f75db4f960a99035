"""Builds the plain :class:`~wijkbeeld.report.ReportData` of one area from the database.

The report core knows nothing about Django; this module gathers what it shows: the profile
(as ``wijkbeeld profile`` computes it) from the municipality's shared comparison
(:mod:`wijkbeeld.web.report_maps`, computed once per municipality), the trend of every figure,
the peers with names, three maps (the area in its municipality, the theme map and the hotspot
map of its main point of attention), the aanleidingen, voices per theme after the
small-number rule, the latest urgency matrix, sources and versions.
Used by the CLI (``wijkbeeld report``) and the download views of the area page.
"""

from __future__ import annotations

import importlib.metadata
import logging
from datetime import datetime
from typing import Any

from django.utils import timezone

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.compare import profile
from wijkbeeld.report import AreaInfo, MapImage, ReportData
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Theme
from wijkbeeld.web.report_maps import MunicipalityContext, municipality_context

__all__ = ["MunicipalityContext", "build_report_data", "municipality_context", "report_areas"]

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


def _voices(area: Area, using: str) -> dict[str, Any] | None:
    from wijkbeeld.web.demo_voices import EXAMPLE_LABEL, example_voice_ids
    from wijkbeeld.web.voices import services
    from wijkbeeld.web.voices.models import Group

    grid = services.counts(area, using=using)
    shown = {theme: services.quotes(area, theme, using=using)
             for theme, total in grid.row_totals.items()
             if total is not None}  # too few voices on a theme: nothing about it is shown
    examples = example_voice_ids((q.id for c in shown.values() for q in c.quotes), using=using)
    labels = dict(Group.choices)

    def who(group: str, voice: Any) -> str:  # an example voice of the demo says so
        return f"{labels.get(group, group)}; {EXAMPLE_LABEL}" if voice in examples else group

    themes = []
    for theme, chosen in shown.items():
        themes.append({
            "theme": theme, "total": grid.row_totals[theme],
            "counts": {g: grid.count(theme, g) for g in Group.values},
            "quotes": [] if chosen.withheld else [
                {"text": q.text, "group": who(q.group, q.id), "date": q.date.isoformat()}
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


def _triggers(code: str, using: str) -> tuple[dict[str, Any], ...]:
    from wijkbeeld.web.voices.models import Trigger

    rows = (Trigger.objects.using(using).filter(area__code=code).order_by("-date", "-id")
            .values_list("date", "source", "themes", "status", "description", "status_since"))
    return tuple({"date": d.isoformat(), "source": src, "themes": list(themes or []),
                  "status": status, "description": text,
                  "status_since": since.isoformat() if since else None}
                 for d, src, themes, status, text, since in rows)


def _has_answers(code: str, using: str) -> bool:
    from wijkbeeld.web.urgency.models import Answer

    return Answer.objects.using(using).filter(response__area__code=code).exists()


def _trends(ctx: MunicipalityContext, code: str, boundary_year: int | None,
            indicators: list[str], using: str) -> dict[str, list[dict[str, Any]]]:
    """The area's own series per figure, as the area page draws them (a break left out)."""
    from wijkbeeld.web.pages.profile_cache import crosswalks_to
    from wijkbeeld.web.pages.series import area_series

    if boundary_year is None:
        return {}
    series = area_series(ctx.comparison, code, boundary_year, indicators,
                         crosswalks_to(code, boundary_year, using))
    return {key: [{"period": p.period, "value": float(p.value)} for p in points if p.has_value]
            for key, points in series.items()}


#: At most this many figures (strengths and points of attention first) beside the peers' mean.
PEER_FIGURES = 6


def _peers(ctx: MunicipalityContext, prof: dict[str, Any]) -> dict[str, Any] | None:
    """The peer set of the profile with names, and the area's highlighted figures beside the
    mean of its peers (same indicator and period; peers without the figure left out)."""
    p = prof.get("peers")
    if not p or not p.get("peers"):
        return None
    codes = [str(x["area"]) for x in p["peers"]]
    results = ctx.comparison.results
    own = {str(i["indicator"]): i for i in prof["indicators"]}
    keys = [str(h["indicator"]) for h in [*prof["challenges"], *prof["strengths"]]]
    keys += [k for k in own if k not in keys and not own[k].get("context_only")]
    figures = []
    peer_rows = results[results["area_code"].isin(codes)]
    for key in keys:
        row = own.get(key)
        if row is None or row.get("value") is None:
            continue
        vals = peer_rows.loc[(peer_rows["indicator"] == key)
                             & (peer_rows["period"] == row["period"]), "value"].dropna()
        if vals.empty:
            continue
        figures.append({"indicator": key, "value": row["value"],
                        "peer_mean": float(vals.mean()), "n": len(vals)})
        if len(figures) == PEER_FIGURES:
            break
    return {"explanation": p.get("explanation", ""), "features": p.get("features", []),
            "areas": [{"code": c, "name": ctx.names.get(c, c), "distance": x["distance"]}
                      for c, x in zip(codes, p["peers"], strict=True)],
            "figures": figures}


def build_report_data(area_code: str, *, year: int | None = None, language: str = "nl",
                      with_map: bool = True, using: str = "default",
                      generated_at: datetime | None = None,
                      context: MunicipalityContext | None = None) -> ReportData:
    """Everything the report of ``area_code`` shows, for figure year ``year`` (default: the
    latest per figure). ``context``: the municipality's shared part (default: the cached one,
    so a batch compares a municipality once). Raises ``ProfileError`` when the area has no
    figures."""
    code = parse_code(area_code)
    if context is not None and (context.municipality, context.level) != (
            code.municipality, str(code.level)):
        raise ValueError(f"{code.code} is not a {context.level} of {context.municipality}")
    ctx = context or municipality_context(code.municipality or "", str(code.level), using)
    prof = profile(ctx.comparison, code.code, year=year).to_dict()
    area = (Area.objects.using(using).defer("geometry", "geometry_web")
            .filter(code=code.code).order_by("-boundary_year").first())
    info = AreaInfo(code=code.code, name=str(prof["area"]["name"]), level=str(code.level),
                    municipality=code.municipality or "",
                    municipality_name=ctx.municipality_name,
                    boundary_year=None if area is None else area.boundary_year)
    labels = {k: (en if language == "en" and en else nl) for k, nl, en in
              Theme.objects.using(using).values_list("key", "name_nl", "name_en")}
    maps: tuple[MapImage, ...] = ()
    if with_map:
        periods = sorted({str(i["period"]) for i in prof["indicators"]})
        map_year = year or int(periods[-1][:4])
        themes = sorted((t for t in prof["themes"] if t["score"] is not None),
                        key=lambda t: t["score"])
        locator = ctx.locator_map(code.code, info.name, language)
        maps = () if locator is None else (locator,)
        if themes:  # the area's main point of attention: its lowest theme score
            key = str(themes[0]["theme"])
            maps += ctx.theme_maps(key, labels.get(key, key), map_year, language)
    boundary = None if area is None else area.boundary_year
    return ReportData(
        area=info, profile=prof, generated_at=generated_at or timezone.localtime(),
        maps=maps, voices=None if area is None else _voices(area, using),
        urgency=_urgency(code.code, using) if _has_answers(code.code, using) else None,
        theme_labels=labels, versions=_versions(), language=language,
        trends=_trends(ctx, code.code, boundary, [str(i["indicator"])
                                                  for i in prof["indicators"]], using),
        peers=_peers(ctx, prof), triggers=_triggers(code.code, using),
        agenda=_agenda(code.code, using), timelines=_timelines(code.code, using),
    )


def _timelines(code: str, using: str) -> tuple[Any, ...]:
    """The area's timelines for the report's picture, only when it has rounds or triggers
    (figure years alone are the profile's trends already; this keeps batch reports cheap)."""
    from wijkbeeld.web.urgency.models import Round
    from wijkbeeld.web.urgency.reading import area_timelines
    from wijkbeeld.web.voices.models import Trigger

    if not (Round.objects.using(using).filter(areas__code=code).exists()
            or Trigger.objects.using(using).filter(area__code=code).exists()):
        return ()
    lines = area_timelines(code, using=using)
    return tuple(line for line in lines if line.rounds or line.triggers)


def _agenda(code: str, using: str) -> dict[str, Any] | None:
    """The area's agreed buurtagenda for the report's agenda section (issue 11)."""
    from wijkbeeld.web.agenda.report import report_agenda

    return report_agenda(code, using)


def report_areas(municipality: str, level: str, using: str = "default") -> list[str]:
    """Codes of every area of ``municipality`` at ``level`` that has figures, in the newest
    boundary year (indeling) that has any (batch mode: today's areas, not those of an older
    indeling whose codes no longer exist)."""
    with_figures = Area.objects.using(using).filter(
        municipality=municipality.upper(), level=level, observations__isnull=False)
    newest = with_figures.order_by("-boundary_year").values_list(
        "boundary_year", flat=True).first()
    if newest is None:
        return []
    return list(with_figures.filter(boundary_year=newest)
                .values_list("code", flat=True).distinct().order_by("code"))
