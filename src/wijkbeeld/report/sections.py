"""The built-in sections of the wijkbeeld report (summary, figures per theme with their trend,
maps, voices, urgency, open questions, method and sources; aanleidingen, peers and recognition
in :mod:`wijkbeeld.report.sections_extra`), registered in document order.

Every section reads only :class:`~wijkbeeld.report.data.ReportData` and renders through Jinja2
with autoescaping, so a voice containing HTML or script shows as text. Wording is plain and
neutral: strengths come first, a challenge is an "aandachtspunt".
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from jinja2 import Environment, StrictUndefined, Template

from wijkbeeld.report.data import ReportData
from wijkbeeld.report.registry import SectionContent, register_section
from wijkbeeld.report.wording import data_uri, format_number, format_value, label

__all__ = ["register_builtin_sections"]

_LEVELS = {"nl": {"neighbourhood": "buurt", "district": "wijk", "municipality": "gemeente"},
           "en": {"neighbourhood": "neighbourhood", "district": "district",
                  "municipality": "municipality"}}
#: Urgency classes where figures and experience disagree: the open questions.
OPEN_QUESTION_CLASSES = ("van_bovenaf", "gevoeld_niet_gemeten")

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                   lstrip_blocks=True)


@cache
def _template(text: str) -> Template:
    return _ENV.from_string(text)


def _render(text: str, **context: Any) -> str:
    return _template(text).render(**context)


def _lang(data: ReportData) -> str:
    return data.language if data.language in ("nl", "en") else "nl"


def _indicators(data: ReportData) -> dict[str, Mapping[str, Any]]:
    return {str(i["indicator"]): i for i in data.profile.get("indicators", [])}


def _name(row: Mapping[str, Any], lang: str) -> str:
    return str(row.get("name_en") or row["name_nl"]) if lang == "en" else str(row["name_nl"])


def _highlights(data: ReportData, kind: str) -> list[dict[str, str]]:
    lang = _lang(data)
    rows = _indicators(data)
    out = []
    for h in data.profile.get(kind, []):
        row = rows.get(str(h["indicator"]))
        if row is None:
            continue
        out.append({"name": _name(row, lang), "theme": data.theme_label(str(row["theme"])),
                    "value": format_value(row["value"], str(row["unit"]), lang),
                    "reference": format_value(row["reference_value"], str(row["unit"]), lang),
                    "band": str(row["band_label"])})
    return out


_SUMMARY = """
<p>{{ intro }}</p>
{% if strengths %}
<p><strong>{{ l_strengths }}:</strong> {{ strengths|join(', ') }}.</p>
{% endif %}
{% if challenges %}
<p><strong>{{ l_challenges }}:</strong> {{ challenges|join(', ') }}.</p>
{% endif %}
{% if not strengths and not challenges %}<p>{{ l_none }}</p>{% endif %}
{% for note in notes %}<p class="note">{{ note }}</p>{% endfor %}
"""


def summary(data: ReportData) -> SectionContent:
    """Who, compared with what, and the strengths before the points of attention."""
    lang = _lang(data)
    area = data.area
    level = _LEVELS[lang].get(area.level, area.level)
    rows = list(_indicators(data).values())
    group = next((str(r["reference_group"]) for r in rows if r.get("reference_group")), "")
    periods = sorted({str(r["period"]) for r in rows})
    if lang == "nl":
        intro = (f"{area.name} ({area.code}) is een {level} in {area.municipality_name}. "
                 f"Dit wijkbeeld zet {len(rows)} cijfers uit {', '.join(periods)} naast "
                 f"{group or 'de vergelijkingsgroep'}, en laat zien wat bewoners, professionals "
                 "en beleid ervan vinden, voor zover daar gegevens over zijn.")
    else:
        intro = (f"{area.name} ({area.code}) is a {level} in {area.municipality_name}. This "
                 f"report compares {len(rows)} figures from {', '.join(periods)} with "
                 f"{group or 'the reference group'}.")
    html = _render(
        _SUMMARY, intro=intro, notes=list(data.profile.get("notes", [])),
        strengths=[f"{h['name']} ({h['value']})" for h in _highlights(data, "strengths")],
        challenges=[f"{h['name']} ({h['value']})" for h in _highlights(data, "challenges")],
        l_strengths=label("strengths", lang), l_challenges=label("challenges", lang),
        l_none=label("none", lang))
    return SectionContent(label("summary", lang), html)


_FIGURES = """
<h3>{{ l_strengths }}</h3>
{% if strengths %}<ul>{% for h in strengths %}
<li>{{ h.name }}: {{ h.value }} ({{ h.band }}; {{ l_reference|lower }} {{ h.reference }})</li>
{% endfor %}</ul>{% else %}<p>{{ l_none }}</p>{% endif %}
<h3>{{ l_challenges }}</h3>
{% if challenges %}<ul>{% for h in challenges %}
<li>{{ h.name }}: {{ h.value }} ({{ h.band }}; {{ l_reference|lower }} {{ h.reference }})</li>
{% endfor %}</ul>{% else %}<p>{{ l_none }}</p>{% endif %}
{% for theme in themes %}
<section class="theme">
<h3>{{ theme.label }}</h3>
<table>
<thead><tr><th scope="col">{{ l_indicator }}</th><th scope="col">{{ l_value }}</th>
<th scope="col">{{ l_reference }}</th><th scope="col">{{ l_band }}</th>
<th scope="col">{{ l_trend }}</th></tr></thead>
<tbody>
{% for r in theme.rows %}
<tr><th scope="row">{{ r.name }}</th><td class="num">{{ r.value }}</td>
<td class="num">{{ r.reference }}</td><td>{{ r.band }}</td>
<td class="trend">{{ r.spark|safe }}{{ r.trend }}</td></tr>
{% endfor %}
</tbody>
</table>
{% for s in theme.sources %}<p class="source">{{ l_source }}: {{ s }}</p>{% endfor %}
</section>
{% endfor %}
"""



def _sparkline(values: Sequence[float]) -> str:
    """A tiny inline SVG line of ``values`` (decorative: the numbers stand beside it)."""
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = 56 / (len(values) - 1)
    points = " ".join(f"{2 + i * step:.1f},{14 - (v - low) / span * 12:.1f}"
                      for i, v in enumerate(values))
    return ('<svg class="spark" width="60" height="16" viewBox="0 0 60 16" aria-hidden="true" '
            f'focusable="false"><polyline points="{points}" fill="none" stroke="#1f4e79" '
            'stroke-width="1.5"/></svg>')


def _trend(data: ReportData, row: Mapping[str, Any], lang: str) -> dict[str, str]:
    """The area's own series of one figure: its first and last period written out, and a
    sparkline of every period between."""
    points = [p for p in data.trends.get(str(row["indicator"]), [])
              if p.get("value") is not None]
    if len(points) < 2:
        return {"trend": "–", "spark": ""}
    text = " → ".join(f"{str(p['period'])[:4]}: {format_value(p['value'], str(row['unit']), lang)}"
                      for p in (points[0], points[-1]))
    return {"trend": text, "spark": _sparkline([float(p["value"]) for p in points])}


def figures(data: ReportData) -> SectionContent:
    """Strengths, then points of attention, then every figure per theme with its band and,
    under each table, its source and year."""
    lang = _lang(data)
    by_theme: dict[str, list[Mapping[str, Any]]] = {}
    for row in data.profile.get("indicators", []):
        by_theme.setdefault(str(row["theme"]), []).append(row)
    order = [k for k in by_theme if k] + ([""] if "" in by_theme else [])
    themes = []
    for key in order:
        rows = by_theme[key]
        out = []
        for r in rows:
            band = str(r["band_label"] or "–")
            if r.get("reliability") not in (None, "", "ok"):
                band = f"{band} ({label('unreliable', lang)})"
            out.append({"name": _name(r, lang),
                        "value": format_value(r["value"], str(r["unit"]), lang),
                        "reference": format_value(r["reference_value"], str(r["unit"]), lang),
                        "band": band, **_trend(data, r, lang)})
        sources = sorted({f"{r['source']}, {r['period']}" for r in rows})
        themes.append({"label": data.theme_label(key), "rows": out, "sources": sources})
    html = _render(
        _FIGURES, themes=themes, strengths=_highlights(data, "strengths"),
        challenges=_highlights(data, "challenges"), l_strengths=label("strengths", lang),
        l_challenges=label("challenges", lang), l_none=label("none", lang),
        l_indicator=label("indicator", lang), l_value=label("value", lang),
        l_reference=label("reference", lang), l_band=label("band", lang),
        l_source=label("source", lang), l_trend=label("trend", lang))
    return SectionContent(label("figures", lang), html)


_MAPS = """
{% for m in maps %}
<figure class="map">
<img src="{{ m.uri }}" alt="{{ m.alt }}">
<figcaption>{{ m.title }}. {{ l_source }}: {{ m.source }}, {{ m.period }}</figcaption>
</figure>
{% endfor %}
"""


def maps(data: ReportData) -> SectionContent | None:
    """The area's municipality with a theme or key figure, embedded as a data URI."""
    if not data.maps:
        return None
    lang = _lang(data)
    items = [{"uri": data_uri(m.data, m.mime), "alt": m.alt, "title": m.title,
              "source": m.source, "period": m.period} for m in data.maps]
    return SectionContent(label("maps", lang),
                          _render(_MAPS, maps=items, l_source=label("source", lang)))


_VOICES = """
{% for t in themes %}
<section class="theme">
<h3>{{ t.label }}</h3>
{% if t.total is none %}<p>{{ l_few }}</p>{% else %}
<table>
<thead><tr>{% for g in groups %}<th scope="col">{{ g.label }}</th>{% endfor %}</tr></thead>
<tbody><tr>{% for g in groups %}<td class="num">{{ g.counts[t.key] }}</td>{% endfor %}</tr>
</tbody>
</table>
{% for q in t.quotes %}<blockquote>“{{ q.text }}” <span class="who">({{ q.group }},
{{ q.date }})</span></blockquote>{% endfor %}
{% endif %}
</section>
{% endfor %}
<p class="note">{{ rule }}</p>
"""


def voices(data: ReportData) -> SectionContent | None:
    """Voices per theme: counts per group and quotes, with the small-number rule already
    applied by the caller (a withheld count shows as "te weinig om te tonen")."""
    v = data.voices
    if not v or not v.get("themes"):
        return None
    lang = _lang(data)
    group_labels: Mapping[str, str] = v.get("groups", {})
    themes: Sequence[Mapping[str, Any]] = v["themes"]
    groups = []
    for key, text in group_labels.items():
        counts = {}
        for t in themes:
            n = t.get("counts", {}).get(key)
            counts[str(t["theme"])] = (label("withheld", lang) if n is None
                                       else format_number(n, lang, 0))
        groups.append({"label": text, "counts": counts})
    items = [{"key": str(t["theme"]), "label": data.theme_label(str(t["theme"])),
              "total": t.get("total"),
              "quotes": [{"text": q["text"], "date": q["date"],
                          "group": group_labels.get(str(q["group"]), q["group"])}
                         for q in t.get("quotes", [])]} for t in themes]
    minimum = int(v.get("minimum", 5))
    rule = (f"Aantallen onder {minimum} en citaten bij minder dan {minimum} reacties worden "
            "niet getoond, zodat niemand herkenbaar is." if lang == "nl" else
            f"Counts below {minimum} and quotes with fewer than {minimum} responses are not "
            "shown, so no one can be recognised.")
    html = _render(_VOICES, themes=items, groups=groups, l_few=label("few_voices", lang),
                   rule=rule)
    return SectionContent(label("voices", lang), html)


#: Themes x groups with the class per theme: the urgency and the recognition sections.
_MATRIX_TABLE = """
<table>
<thead><tr><th scope="col">{{ l_theme }}</th>{% for g in groups %}
<th scope="col">{{ g.label }}</th>{% endfor %}<th scope="col">{{ l_class }}</th></tr></thead>
<tbody>
{% for r in rows %}
<tr><th scope="row">{{ r.label }}</th>{% for c in r.cells %}<td class="num">{{ c }}</td>
{% endfor %}<td>{{ r.klass }}</td></tr>
{% endfor %}
</tbody>
</table>
"""

_URGENCY = """
<p>{{ round }}</p>
""" + _MATRIX_TABLE + """\
{% if alerts %}<h3>{{ l_alerts }}</h3><ul>{% for a in alerts %}<li>{{ a }}</li>{% endfor %}
</ul>{% endif %}
"""


def _urgency_cell(cell: Mapping[str, Any] | None, lang: str) -> str:
    if cell is None:
        return "–"
    if cell.get("withheld") or cell.get("mean") is None:
        return label("withheld", lang)
    return f"{format_number(cell['mean'], lang)} (n={cell['n']})"


def urgency(data: ReportData) -> SectionContent | None:
    """The urgency matrix: mean urgency per theme and group, the class and the alerts."""
    u = data.urgency
    if not u or not u.get("themes"):
        return None
    lang = _lang(data)
    groups = list(u.get("groups", []))
    rows = [{"label": data.theme_label(str(t["theme"])),
             "cells": [_urgency_cell(t["cells"].get(g["key"]), lang) for g in groups],
             "klass": t["class"]["label"]} for t in u["themes"]]
    rnd = u.get("round") or {}
    name = rnd.get("title") or rnd.get("key", "")
    round_text = (f"Peiling {name} ({rnd.get('held_on', '')}); gemiddelde urgentie op een "
                  "schaal van 1 tot 5." if lang == "nl" else
                  f"Round {name} ({rnd.get('held_on', '')}); mean urgency on a scale of 1 to 5.")
    # Asking before showing (issue 17): say how the urgency was asked.
    if rnd.get("blind") is True:
        round_text += (" Het oordeel is blind gevraagd: voordat mensen cijfers zagen."
                       if lang == "nl" else " Rated blind: before people saw any figures.")
    elif rnd.get("blind") is False:
        round_text += (" Niet blind: (een deel van) de oordelen is gegeven zonder eerst apart, "
                       "zonder cijfers, te zijn gevraagd." if lang == "nl" else
                       " Not blind: (some) ratings were given without first being asked on "
                       "their own, without figures.")
    alerts = [str(a.get("message") or a.get("label")) for a in u.get("alerts", [])]
    html = _render(_URGENCY, round=round_text, groups=groups, rows=rows, alerts=alerts,
                   l_theme=label("theme", lang), l_class=label("class", lang),
                   l_alerts=label("alerts", lang))
    return SectionContent(label("urgency", lang), html)


_QUESTIONS = """
{% if items %}<ul>{% for q in items %}<li><strong>{{ q.theme }}</strong>: {{ q.text }}</li>
{% endfor %}</ul>{% else %}<p>{{ l_none }}</p>{% endif %}
"""


#: A theme score at or beyond this (in SDs, the band edge) counts as clearly (un)favourable.
CLEAR_SCORE = 0.5

_QUESTION_TEXTS = {
    "nl": {
        "van_bovenaf": "de cijfers of het beleid zien urgentie die bewoners en professionals "
                       "(nog) niet zo ervaren. Herkennen zij het beeld?",
        "gevoeld_niet_gemeten": "bewoners of professionals ervaren urgentie die de cijfers "
                                "niet laten zien. Wat missen de cijfers?",
        "voices_not_figures": "in gesprekken komt dit thema vaak terug ({n} reacties), terwijl "
                              "de cijfers gunstiger zijn dan de vergelijking. Wat zien bewoners "
                              "en professionals dat de cijfers niet laten zien?",
        "figures_not_voices": "de cijfers wijzen op een aandachtspunt, maar in gesprekken komt "
                              "het (nog) te weinig ter sprake. Herkennen bewoners en "
                              "professionals dit beeld?",
        "nothing": "Er zijn nog geen stemmen of peilingen om de cijfers naast te leggen.",
    },
    "en": {
        "van_bovenaf": "figures or policy see urgency that residents and professionals do not "
                       "(yet) feel. Do they recognise the picture?",
        "gevoeld_niet_gemeten": "residents or professionals feel urgency the figures do not "
                                "show. What do the figures miss?",
        "voices_not_figures": "conversations often mention this theme ({n} responses), while "
                              "the figures are more favourable than the comparison. What do "
                              "residents and professionals see that the figures do not show?",
        "figures_not_voices": "the figures point to a point of attention, but conversations "
                              "(still) rarely mention it. Do residents and professionals "
                              "recognise this picture?",
        "nothing": "There are no voices or urgency rounds yet to set beside the figures.",
    },
}


def open_questions(data: ReportData) -> list[dict[str, str]]:
    """Where figures and experience disagree: the urgency classes "van bovenaf" and "gevoeld,
    niet gemeten", then, from the voices, a theme often mentioned whose figures are clearly
    favourable, and a theme whose figures are clearly unfavourable that (almost) no voice is
    about. Counts under the small-number minimum are never used (they are withheld)."""
    lang = _lang(data)
    texts = _QUESTION_TEXTS[lang]
    items: list[dict[str, str]] = []
    seen: set[str] = set()
    u = data.urgency or {}
    for t in u.get("themes", []):
        key = str(t["class"]["key"])
        if key in OPEN_QUESTION_CLASSES:
            seen.add(str(t["theme"]))
            items.append({"theme": data.theme_label(str(t["theme"])),
                          "text": f"{t['class']['label']}: {texts[key]}"})
    v = data.voices
    if v is None:
        return items
    totals = {str(t["theme"]): t.get("total") for t in v.get("themes", [])}
    for t in data.profile.get("themes", []):
        key, score = str(t["theme"]), t.get("score")
        if key in seen or score is None:
            continue
        total = totals.get(key)
        if total is not None and score >= CLEAR_SCORE:
            text = texts["voices_not_figures"].format(n=format_number(total, lang, 0))
        elif total is None and score <= -CLEAR_SCORE:
            text = texts["figures_not_voices"]
        else:
            continue
        items.append({"theme": data.theme_label(key),
                      "text": f"{label('figures_vs_voices', lang)}: {text}"})
    return items


def questions(data: ReportData) -> SectionContent:
    """The questions to take to the partner meeting (:func:`open_questions`)."""
    lang = _lang(data)
    items = open_questions(data)
    if items or data.voices or data.urgency:
        none = label("no_questions", lang)
    else:
        none = _QUESTION_TEXTS[lang]["nothing"]
    return SectionContent(label("questions", lang),
                          _render(_QUESTIONS, items=items, l_none=none))


_METHOD = """
<p>{{ method }}</p>
<h3>{{ l_source }}</h3>
<ul>{% for s in sources %}<li>{{ s }}</li>{% endfor %}</ul>
<h3>{{ l_versions }}</h3>
<ul>{% for k, v in versions %}<li>{{ k }} {{ v }}</li>{% endfor %}</ul>
<p>{{ l_generated }} {{ generated }}</p>
"""


def method(data: ReportData) -> SectionContent:
    """How the figures were compared, every source with its year, the software versions and
    the date of generation."""
    lang = _lang(data)
    options = data.profile.get("options", {})
    reference = data.profile.get("reference", "")
    method_text = (
        f"Elk cijfer is vergeleken met de vergelijkingsgroep ({reference}) met een "
        "gestandaardiseerde afwijking (z-score). 'Gunstiger' en 'ongunstiger' gelden alleen "
        "voor cijfers waarvan duidelijk is welke kant beter is; bij de andere staat 'hoger' of "
        "'lager'. Een thema-score is het gemiddelde van de cijfers van dat thema. Instellingen: "
        + ", ".join(f"{k}={v}" for k, v in sorted(options.items())
                    if isinstance(v, str | int | float))
        if lang == "nl" else
        f"Every figure is compared with the reference group ({reference}) using a "
        "standardised difference (z-score)."
    )
    sources = list(data.sources) or sorted(
        {f"{i['source']}, {i['period']}" for i in data.profile.get("indicators", [])})
    html = _render(_METHOD, method=method_text, sources=sources,
                   versions=sorted(data.versions.items()),
                   generated=data.generated_at.strftime("%Y-%m-%d %H:%M"),
                   l_source=label("source", lang), l_versions=label("versions", lang),
                   l_generated=label("generated", lang))
    return SectionContent(label("method", lang), html)


def register_builtin_sections() -> None:
    """Register (or re-register) the built-in sections in document order."""
    from wijkbeeld.report.sections_extra import occasions, peers, recognition

    for name, order, fn in (("summary", 10, summary), ("occasions", 15, occasions),
                            ("figures", 20, figures), ("maps", 30, maps),
                            ("peers", 35, peers), ("voices", 40, voices),
                            ("urgency", 50, urgency), ("recognition", 55, recognition),
                            ("questions", 60, questions), ("method", 90, method)):
        register_section(name, order, fn, replace=True)
