"""The data picture (het beeld) a respondent sees beside "herkent u dit beeld?" (issue 6).

Per theme of the round, the area's figures for that theme **as of the round's date**: the latest
figure year not after the year the round is held. The figures are the area page's own
(:func:`~wijkbeeld.web.pages.area_profile.area_profile_data` and
:func:`~wijkbeeld.web.pages.area_profile.build_page`, compared with the other areas of the same
level in the municipality), so the form never shows a number computed differently from the area
page: value, the municipality's average, source and year.

**Shown, not judged** (issue 17): the respondent has already rated the theme blind; the picture
must not steer the second rating. So each figure is placed in neutral words ("hoger dan
gemiddeld", :func:`wijkbeeld.compare.neutral_band`), never "gunstiger/ongunstiger", and the map
shows the *value* of the theme's first figure, not the (judged) theme score, in a one-hue
neutral palette whose legend runs "lager ↔ hoger" with the unit.

The map is a small static SVG (no script, no tiles, no external request) of every area of the
same level in the municipality that year, the respondent's area outlined; classes as on the map
page (:func:`wijkbeeld.spatial.classify`). Values come from the cached comparison of the area
page; the drawn map is kept per (database, municipality, level, indicator, year, area, import
stamp).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import pandas as pd
import shapely
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wijkbeeld.compare import ProfileError, neutral_band
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Observation
from wijkbeeld.web.pages import labels
from wijkbeeld.web.pages.area_profile import FigureRow, area_profile_data, build_page
from wijkbeeld.web.pages.formatting import format_fixed
from wijkbeeld.web.pages.profile_cache import ImportStamp, LruCache, import_stamp

__all__ = [
    "MAPS",
    "NEUTRAL_PALETTE",
    "MapKey",
    "PictureFigure",
    "ThemeMap",
    "ThemePicture",
    "picture_year",
    "round_picture",
    "theme_map",
]

#: Width of the drawn map in SVG units (it scales with the page: ``width: 100%``).
MAP_WIDTH = 320.0
MAPS = LruCache(64)
#: One hue, light = lower, dark = higher (ColorBrewer Purples): no traffic-light judgement.
NEUTRAL_PALETTE: tuple[str, ...] = ("#f2f0f7", "#cbc9e2", "#9e9ac8", "#756bb1", "#54278f")


def _position_texts() -> dict[str, str]:
    return {
        "much_lower": _("veel lager dan gemiddeld"),
        "lower": _("lager dan gemiddeld"),
        "around_average": _("rond het gemiddelde"),
        "higher": _("hoger dan gemiddeld"),
        "much_higher": _("veel hoger dan gemiddeld"),
        "": "",
    }


@dataclass(frozen=True)
class ThemeMap:
    """A drawn map of one figure: the SVG, its text alternative and legend, source and year."""

    svg: SafeString
    description: str
    legend: tuple[tuple[str, str], ...]
    own_class: str
    period: int
    title: str = ""
    source: str = ""


@dataclass(frozen=True)
class PictureFigure:
    """One figure as the form shows it: the area page's row and its neutral position."""

    row: FigureRow
    position: str
    position_text: str


@dataclass(frozen=True)
class ThemePicture:
    """What the form shows for one theme: the figures of the area as of the round's date."""

    theme: str
    name: str
    year: int | None
    figures: tuple[PictureFigure, ...] = ()
    score_text: str = ""
    map: ThemeMap | None = None
    empty_reason: str = ""


@dataclass(frozen=True)
class MapKey:
    """One drawn map (``stamp`` as :class:`LruCache` expects it)."""

    stamp: ImportStamp
    using: str
    municipality: str
    level: str
    indicator: str
    year: int
    area: str
    title: str
    unit: str
    source: str
    #: The unit code: a ``fraction`` (0–1) is mapped and labelled as a percentage.
    unit_code: str = ""


def picture_year(area: Area, held_year: int, using: str = "default") -> int | None:
    """The latest year with stored figures of ``area`` not after ``held_year`` (None: none)."""
    periods = (Observation.objects.using(using).filter(area=area, period__lte=f"{held_year}~")
               .order_by().values_list("period", flat=True).distinct())
    years = [int(p[:4]) for p in periods if p[:4].isdigit() and int(p[:4]) <= held_year]
    return max(years, default=None)


def _rings(geom: shapely.Geometry) -> list[shapely.LinearRing]:
    polygons = getattr(geom, "geoms", [geom])
    out: list[shapely.LinearRing] = []
    for poly in polygons:
        if isinstance(poly, shapely.Polygon):
            out.append(poly.exterior)
            out.extend(poly.interiors)
    return out


def _path(geom: shapely.Geometry, project: tuple[float, float, float, float]) -> str:
    x0, y1, fx, scale = project
    parts = []
    for ring in _rings(geom):
        pts = [f"{(x - x0) * fx * scale:.1f},{(y1 - y) * scale:.1f}" for x, y in ring.coords]
        parts.append("M" + " L".join(pts) + " Z")
    return " ".join(parts)


def _values(key: MapKey) -> pd.Series:
    """The values of ``key.indicator`` in ``key.year`` of every area of the level (the area
    page's cached comparison, so the numbers are the page's own)."""
    from wijkbeeld.web.pages.profile_cache import ComparisonKey, comparison_for

    comparison = comparison_for(ComparisonKey(key.using, key.municipality, (key.level,), None,
                                              "municipality", key.stamp))
    res = comparison.results
    part = res[(res["indicator"] == key.indicator)
               & (res["period"].astype(str).str[:4] == str(key.year))]
    values = pd.to_numeric(part.set_index("area_code")["value"], errors="coerce")
    return values[~values.index.duplicated(keep="last")].astype("float64").dropna()


def _draw(key: MapKey) -> ThemeMap | None:
    from wijkbeeld.spatial import classify
    from wijkbeeld.web.areas.geodata import geometry_years, load_shapes

    years = geometry_years(key.municipality, key.level, key.using)
    if not years:
        return None
    shapes = load_shapes(key.municipality, key.level, years[0], web=True, using=key.using)
    if shapes.empty or key.area not in shapes.index:
        return None
    values = _values(key)
    values = values[values.index.isin(shapes.index)]
    if len(values) < 2 or key.area not in values.index:
        return None
    if key.unit_code == "fraction":
        # Mapped as the percentage the figure list shows ("8,1 %"), so the legend reads the same.
        values = (values * 100).round(1)
    try:
        classes = classify(values)
    except ValueError:  # e.g. every area has the same value: nothing to map
        return None
    last = len(NEUTRAL_PALETTE) - 1
    colours = ((NEUTRAL_PALETTE[2],) if classes.k == 1 else
               tuple(NEUTRAL_PALETTE[round(i * last / (classes.k - 1))]
                     for i in range(min(classes.k, len(NEUTRAL_PALETTE)))))
    minx, miny, maxx, maxy = shapes.total_bounds
    fx = math.cos(math.radians((miny + maxy) / 2))
    scale = MAP_WIDTH / max((maxx - minx) * fx, 1e-9)
    height = (maxy - miny) * scale
    project = (float(minx), float(maxy), fx, scale)
    paths = []
    own = ""
    for code, geom in zip(shapes.index, shapes.geometry, strict=True):
        if geom is None or geom.is_empty:
            continue
        cls = classes.classes.get(code)
        fill = "#ffffff" if cls is None or pd.isna(cls) else colours[min(int(cls),
                                                                          len(colours) - 1)]
        d = _path(geom, project)
        if code == key.area:
            own = f'<path d="{d}" fill="{fill}" stroke="#000000" stroke-width="3" data-own="1"/>'
        else:
            paths.append(f'<path d="{d}" fill="{fill}" stroke="#6b6b6b" stroke-width="0.5"/>')
    unit = f" {key.unit}" if key.unit else ""
    own_class = classes.labels[int(classes.classes[key.area])] + unit
    description = _(
        "Kaart van %(title)s per gebied in %(year)s: lichter is lager, donkerder is hoger. "
        "Uw gebied is dik omrand en valt in de klasse %(cls)s."
    ) % {"title": key.title.lower(), "year": key.year, "cls": own_class}
    svg = (f'<svg xmlns="http://www.w3.org/2000/svg" class="theme-map" role="img" '
           f'viewBox="-2 -2 {MAP_WIDTH + 4:.0f} {height + 4:.0f}" '
           f'aria-label="{escape(description)}">' + "".join(paths) + own + "</svg>")
    legend = tuple((colours[min(i, len(colours) - 1)], label + unit)
                   for i, label in enumerate(classes.labels))
    return ThemeMap(mark_safe(svg), description, legend, own_class, key.year, key.title,
                    key.source)


def theme_map(area: Area, figure: FigureRow, year: int, using: str = "default") -> ThemeMap | None:
    """The (cached) static map of ``figure``'s indicator in ``year`` around ``area``; None
    without shapes or without values for at least two areas."""
    stamp = import_stamp(using)
    key = MapKey(stamp, using, area.municipality, area.level, figure.indicator, year, area.code,
                 figure.name, figure.unit_text, figure.source, figure.unit)
    drawn: ThemeMap | None = MAPS.get((key,), lambda: _draw(key), stamp)
    return drawn


def round_picture(
    area: Area, themes: Sequence[str], held_year: int, names: dict[str, str],
    using: str = "default",
) -> list[ThemePicture]:
    """Per theme (in the given order) the figures of ``area`` in the latest year not after
    ``held_year``, with the theme map."""
    year = picture_year(area, held_year, using)
    if year is None:
        reason = _("Voor dit gebied zijn geen cijfers van vóór de peiling opgeslagen.")
        return [ThemePicture(t, names.get(t, t), None, empty_reason=reason) for t in themes]
    try:
        data = area_profile_data(area.code, area.level, area.municipality, area.boundary_year,
                                 year, "municipality", import_stamp(using), using)
    except ProfileError:
        reason = _("Voor dit gebied zijn in %(year)s geen cijfers te vergelijken.") % {
            "year": year}
        return [ThemePicture(t, names.get(t, t), year, empty_reason=reason) for t in themes]
    content = build_page(data, labels.english())
    sections = {s.key: s for s in content.groups if s.kind == "theme"}
    out = []
    for theme in themes:
        section = sections.get(theme)
        shown = tuple(f for f in section.figures if f.status == "ok") if section else ()
        if not shown:
            out.append(ThemePicture(theme, names.get(theme, theme), year, empty_reason=_(
                "Over dit onderwerp zijn geen cijfers van dit gebied.")))
            continue
        assert section is not None
        texts = _position_texts()
        figures = tuple(PictureFigure(f, (b := neutral_band(f.z)), texts.get(b, ""))
                        for f in shown)
        out.append(ThemePicture(
            theme, names.get(theme, theme), year, figures,
            score_text=format_fixed(section.score, 2) if section.score is not None else "",
            map=theme_map(area, shown[0], year, using),
        ))
    return out
