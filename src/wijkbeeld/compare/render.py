"""A profile as plain Dutch text for the terminal (``wijkbeeld profile AREA``)."""

from __future__ import annotations

import math

from wijkbeeld.compare.profile import IndicatorResult, Profile
from wijkbeeld.figures.catalogue import load_catalogue
from wijkbeeld.figures.display import format_figure

__all__ = ["nl_number", "profile_text"]

_REFERENCE_NL = {
    "municipality": "gebieden van hetzelfde niveau in de gemeente",
    "nl": "alle gebieden van hetzelfde niveau in de gegevens",
    "parent": "het bovenliggende gebied",
    "peers": "vergelijkbare gebieden",
}


def nl_number(value: float, digits: int = 1) -> str:
    """Dutch number formatting: decimal comma, thin-space thousands; "–" for missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "–"
    text = f"{value:,.{digits}f}"
    return text.replace(",", "\u2009").replace(".", ",")


def _line(r: IndicatorResult) -> str:
    value = "geheim" if r.status == "suppressed" else format_figure(r.value, r.unit)
    ref = format_figure(r.reference_value, r.unit)
    z = "" if math.isnan(r.z) else f"z {nl_number(r.z, 2)}"
    label = r.band_label or r.reliability_reason
    extra = f"  ({r.reliability_reason})" if r.reliability_reason and r.band_label else ""
    return f"  {r.name_nl:<52} {value:>12}  ref {ref:>12}  {z:>8}  {label}{extra}"


def profile_text(profile: Profile) -> str:
    """The profile per theme, then strengths and challenges, with source and year per figure."""
    lines = [
        f"{profile.area_code} {profile.area_name}",
        f"vergeleken met: {_REFERENCE_NL.get(profile.options.reference, '')}",
    ]
    by_theme: dict[str, list[IndicatorResult]] = {}
    for r in profile.indicators:
        key = "context" if r.context_only or not r.theme else r.theme
        by_theme.setdefault(key, []).append(r)
    scores = {t.theme: t for t in profile.themes}
    names = {k: t.name_nl for k, t in load_catalogue().themes.items()}
    for theme in sorted(by_theme, key=lambda k: (k == "context", k)):
        score = scores.get(theme)
        head = (names.get(theme, theme) if theme != "context"
                else "Context (telt niet mee in scores)")
        if score is not None:
            shown = (f"score {nl_number(score.score, 2)}" if not math.isnan(score.score)
                     else f"geen score ({score.withheld_reason})")
            head += (f": {shown}, {score.n_available} van {score.n_total} indicatoren"
                     + (f"; signaal: {', '.join(score.flags)}" if score.flags else ""))
        lines.append("")
        lines.append(head)
        for r in by_theme[theme]:
            lines.append(_line(r))
            lines.append(f"      Bron: {r.source}, {r.period}")
    for title, items in (("Sterke punten", profile.strengths),
                         ("Aandachtspunten", profile.challenges)):
        lines.append("")
        lines.append(f"{title}:" if items else f"{title}: geen")
        lines.extend(f"  {h.indicator} ({h.band_label})" for h in items)
    if profile.peers is not None and profile.peers.peers:
        lines.append("")
        lines.append(f"Vergelijkbare gebieden: {', '.join(profile.peers.peers)}")
        lines.append(f"  {profile.peers.explanation()}")
    lines.extend(f"let op: {n}" for n in profile.notes)
    return "\n".join(lines)
