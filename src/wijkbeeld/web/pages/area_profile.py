"""The area profile page's content: how an area stands, per theme, with strengths first.

:func:`area_profile_data` computes (or takes from the per-process cache) the language-free part:
the :class:`~wijkbeeld.compare.Profile` of the area against the chosen reference set, and the
trend series of its indicators. :func:`build_page` turns that into what the template shows, in
the active language: per figure its value, reference value, index, z, percentile, band (colour
*and* words), reliability with its reason, trend chart and source line; per theme the score,
its coverage and its 90th-percentile signals; the context-only figures (migration background)
apart, under "Context (telt niet mee in scores)".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wijkbeeld.areas.codes import Level, parse_code
from wijkbeeld.compare import (
    Highlight,
    IndicatorResult,
    Profile,
    ThemeResult,
    profile,
    theme_standing,
)
from wijkbeeld.figures.catalogue import THEME_KEYS
from wijkbeeld.figures.display import format_figure, unit_text
from wijkbeeld.web.pages import labels
from wijkbeeld.web.pages.charts import sparkline
from wijkbeeld.web.pages.formatting import (
    format_fixed,
    format_number,
    source_line,
)
from wijkbeeld.web.pages.profile_cache import (
    AREAS,
    ComparisonKey,
    ImportStamp,
    comparison_for,
    crosswalks_to,
    theme_names,
)
from wijkbeeld.web.pages.series import SeriesPoint, area_series

__all__ = [
    "AreaProfileData",
    "FigureRow",
    "HighlightRow",
    "PageContent",
    "Section",
    "area_profile_data",
    "build_page",
    "reference_choices",
]


@dataclass(frozen=True)
class AreaProfileData:
    """What the page needs from the comparison core, in no particular language."""

    profile: Profile
    series: Mapping[str, tuple[SeriesPoint, ...]]
    reference_n: int
    peer_names: tuple[tuple[str, str], ...]
    theme_names: Mapping[str, tuple[str, str]]


def reference_choices(level: str) -> tuple[str, ...]:
    """The reference sets that make sense for an area of ``level``."""
    if level == Level.COUNTRY:
        return ("municipality",)
    if level == Level.MUNICIPALITY:
        return ("municipality", "nl", "peers")
    return ("municipality", "nl", "parent", "peers")


def _keys(
    code: str, level: str, municipality: str, year: int, reference: str, stamp: ImportStamp,
    using: str,
) -> tuple[ComparisonKey, ComparisonKey]:
    """(the key of the comparison the profile uses, the key of the all-periods comparison of
    the area's level in its municipality, which gives the trends)."""
    base = ComparisonKey(using, municipality, (level,), None, "municipality", stamp)
    if reference == "municipality":
        return base, base
    levels = [level]
    parent = parse_code(code).parent
    if reference == "parent" and parent:
        levels.append(str(parse_code(parent).level))
    local = reference == "parent"
    return ComparisonKey(
        using, municipality if local else None, tuple(levels), year, reference, stamp
    ), base


def area_profile_data(
    code: str, level: str, municipality: str, boundary_year: int, year: int, reference: str,
    stamp: ImportStamp, using: str = "default",
) -> AreaProfileData:
    """The (cached) profile of ``code`` in ``year`` against ``reference``, with its series.
    Raises :class:`~wijkbeeld.compare.ProfileError` when it has no figures that year."""
    key, base_key = _keys(code, level, municipality, year, reference, stamp, using)

    def compute() -> AreaProfileData:
        comparison = comparison_for(key)
        result = profile(comparison, code, year=year)
        base = comparison_for(base_key)
        crosswalks = crosswalks_to(code, boundary_year, using) if stamp.crosswalk_batches else ()
        series = area_series(
            base, code, boundary_year, [r.indicator for r in result.indicators], crosswalks
        )
        ref_n = max((int(r.ref_n) for r in result.indicators if math.isfinite(r.ref_n)),
                    default=0)
        peers: tuple[tuple[str, str], ...] = ()
        if reference == "peers" and result.peers is not None and result.peers.peers:
            results = comparison.results
            rows = results.loc[results["area_code"].isin(list(result.peers.peers)),
                               ["area_code", "area_name"]].drop_duplicates("area_code")
            names = dict(zip(rows["area_code"].astype(str), rows["area_name"].astype(str),
                             strict=True))
            peers = tuple((p, names.get(p, "")) for p in result.peers.peers)
        return AreaProfileData(result, series, ref_n, peers, theme_names(using))

    data: AreaProfileData = AREAS.get((key, code, boundary_year, year), compute, stamp)
    return data


# --- what the template shows ---------------------------------------------------------------


@dataclass(frozen=True)
class FigureRow:
    """One figure as shown: every text already in the active language."""

    indicator: str
    name: str
    period: str
    status: str
    value: float | None
    value_text: str
    unit_text: str
    count_note: str
    shrunk_note: str
    reference_value: float | None
    reference_text: str
    reference_note: str
    index_text: str
    z: float | None
    z_text: str
    percentile: float | None
    percentile_text: str
    band: str
    band_label: str
    reliability: str
    reliability_label: str
    reliability_reason: str
    flagged: bool
    source: str
    chart: SafeString | None
    chart_label: str
    #: The unit code of the compared value (``fraction``, ``percent``, ...), for maps.
    unit: str = ""

    @property
    def unit_note(self) -> str:
        """The unit beside the value when the value does not already say it ("7,8 %" and
        "€ 312.000" do; an index or a score does not): the table has no unit column."""
        if not self.unit_text or not self.value_text or self.unit_text in self.value_text \
                or "€" in self.value_text or self.unit in ("count", "number"):
            return ""
        return self.unit_text


@dataclass
class Section:
    """A theme (with its score), the context-only figures, or the figures without a theme."""

    key: str
    name: str
    kind: str  # theme / context / other
    figures: list[FigureRow] = field(default_factory=list)
    score_text: str = ""
    score: float | None = None
    n_available: int = 0
    n_total: int = 0
    withheld_reason: str = ""
    flags: list[FigureRow] = field(default_factory=list)
    rank_text: str = ""


@dataclass(frozen=True)
class HighlightRow:
    """A strength or a challenge, linking to its figure."""

    indicator: str
    name: str
    theme: str
    band: str
    band_label: str
    value_text: str
    reference_text: str
    unit_text: str
    flagged: bool


@dataclass(frozen=True)
class PageContent:
    groups: list[Section]
    strengths: list[HighlightRow]
    challenges: list[HighlightRow]
    n_figures: int
    #: (theme key, name, score text): clearly favourable themes (strengths too), and when
    #: there are none the themes closest to the average (core ``theme_standing``).
    strong_themes: list[tuple[str, str, str]] = field(default_factory=list)
    closest_themes: list[tuple[str, str, str]] = field(default_factory=list)


def _finite(value: float) -> float | None:
    return float(value) if math.isfinite(value) else None


def _status(r: IndicatorResult) -> str:
    if r.status in ("suppressed", "missing"):
        return r.status
    return "ok" if math.isfinite(r.value) else "missing"


_REFERENCE_NOTES = {
    "weighted_mean": gettext_lazy("gewogen"),
    "parent_value": gettext_lazy("bovenliggend gebied"),
}


def _row(
    r: IndicatorResult, flags: set[str], series: Mapping[str, tuple[SeriesPoint, ...]],
    min_base: float, english: bool,
) -> FigureRow:
    name = (r.name_en if english else r.name_nl) or r.indicator
    status = _status(r)
    share = r.measure == "share_of_base"
    value = _finite(r.value) if status == "ok" else None
    lang = "en" if english else "nl"
    value_text = ""
    if value is not None:
        value_text = format_figure(value, r.unit, lang)
    count_note = ""
    if share and math.isfinite(r.raw_value) and math.isfinite(r.base_value):
        count_note = _("%(count)s van %(base)s") % {
            "count": format_number(r.raw_value), "base": format_number(r.base_value)}
    shrunk_note = ""
    if r.reliability == "shrunk" and math.isfinite(r.value_compared):
        shrunk_note = _("bijgesteld: %(value)s") % {
            "value": format_figure(r.value_compared, r.unit, lang)}
    note = _REFERENCE_NOTES.get(r.reference_source)
    chart = None
    points = series.get(r.indicator, ())
    if points:
        chart = sparkline(points, name=name, fmt=lambda v: format_figure(v, r.unit, lang),
                          chart_id=f"trend-{r.indicator}")
    return FigureRow(
        indicator=r.indicator,
        name=name,
        period=r.period,
        status=status,
        value=value,
        value_text=value_text,
        unit_text=unit_text(r.unit, lang),
        count_note=count_note,
        shrunk_note=shrunk_note,
        reference_value=_finite(r.reference_value),
        reference_text=(format_figure(r.reference_value, r.unit, lang)
                        if math.isfinite(r.reference_value) else ""),
        reference_note=str(note) if note is not None else "",
        index_text=format_fixed(r.index, 0),
        z=_finite(r.z),
        z_text=format_fixed(r.z, 2),
        percentile=_finite(r.percentile),
        percentile_text=format_fixed(100 * r.percentile, 0),
        band=r.band,
        band_label=labels.band_label(r.band),
        reliability=r.reliability,
        reliability_label=labels.reliability_label(r.reliability, r.source),
        reliability_reason=labels.reliability_reason(r, min_base),
        flagged=r.indicator in flags,
        source=source_line(r.source, r.period),
        chart=chart.svg if chart else None,
        chart_label=chart.label if chart else "",
        unit=r.unit,
    )


def _theme_section(
    key: str, name: str, rows: list[FigureRow], result: ThemeResult | None
) -> Section:
    section = Section(key=key, name=name, kind="theme", figures=rows)
    if result is None:
        return section
    section.score = _finite(result.score)
    section.score_text = format_fixed(result.score, 2)
    section.n_available, section.n_total = result.n_available, result.n_total
    section.withheld_reason = result.withheld_reason
    by_key = {r.indicator: r for r in rows}
    section.flags = [by_key[f] for f in result.flags if f in by_key]
    if math.isfinite(result.rank) and math.isfinite(result.quintile):
        section.rank_text = _(
            "plaats %(rank)s van %(n)s (1 = minst gunstig), kwintiel %(q)s; "
            "stabiliteit %(stability)s%% bij andere gewichten"
        ) % {"rank": int(result.rank), "n": int(result.n_ranked), "q": int(result.quintile),
             "stability": format_fixed(100 * result.stability, 0)}
    return section


def _highlights(
    items: tuple[Highlight, ...], rows: Mapping[str, FigureRow], themes: Mapping[str, str],
    units: Mapping[str, str], lang: str,
) -> list[HighlightRow]:
    out = []
    for h in items:
        row = rows.get(h.indicator)
        if row is None:
            continue
        out.append(HighlightRow(
            indicator=h.indicator, name=row.name, theme=themes.get(h.theme, ""), band=row.band,
            band_label=row.band_label,
            value_text=format_figure(h.value, units.get(h.indicator, ""), lang),
            reference_text=format_figure(h.reference_value, units.get(h.indicator, ""), lang),
            unit_text=row.unit_text,
            flagged=row.flagged,
        ))
    return out


def build_page(data: AreaProfileData, english: bool) -> PageContent:
    """The sections, strengths and challenges of a profile, in the active language."""
    p = data.profile
    themes = data.theme_names
    flags = {f for t in p.themes for f in t.flags}
    rows = [_row(r, flags, data.series, p.options.min_base, english) for r in p.indicators]
    by_key = {row.indicator: row for row in rows}
    units = {r.indicator: r.unit for r in p.indicators}
    lang = "en" if english else "nl"
    names = {k: (en if english else nl) or k for k, (nl, en) in themes.items()}
    results = {t.theme: t for t in p.themes}

    themed: dict[str, list[FigureRow]] = {}
    context: list[FigureRow] = []
    other: list[FigureRow] = []
    for r, row in zip(p.indicators, rows, strict=True):
        if r.context_only:
            context.append(row)
        elif r.theme:
            themed.setdefault(r.theme, []).append(row)
        else:
            other.append(row)
    order: dict[str, int] = {}
    for k in (*THEME_KEYS, *themes):
        order.setdefault(k, len(order))
    groups = [
        _theme_section(k, names.get(k, k), themed[k], results.get(k))
        for k in sorted(themed, key=lambda k: (order.get(k, len(order)), k))
    ]
    if context:
        groups.append(Section("context", _("Context (telt niet mee in scores)"), "context",
                              sorted(context, key=lambda f: f.name)))
    if other:
        groups.append(Section("", _("Overige cijfers"), "other",
                              sorted(other, key=lambda f: f.name)))
    for g in groups:
        if g.kind == "theme":
            g.figures.sort(key=lambda f: f.name)
    standing = theme_standing([t for t in p.themes if t.theme in themed])

    def named(items: tuple[ThemeResult, ...]) -> list[tuple[str, str, str]]:
        return [(t.theme, names.get(t.theme, t.theme), format_fixed(t.score, 2)) for t in items]

    return PageContent(
        groups=groups,
        strengths=_highlights(p.strengths, by_key, names, units, lang),
        challenges=_highlights(p.challenges, by_key, names, units, lang),
        n_figures=len(rows),
        strong_themes=named(standing.favourable),
        closest_themes=named(standing.closest),
    )
