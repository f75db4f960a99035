"""The report sections around the figures: aanleidingen (occasions), comparable areas (peers)
and recognition per group beside the urgency matrix.

Like :mod:`wijkbeeld.report.sections` they read only
:class:`~wijkbeeld.report.data.ReportData`, render through autoescaping Jinja2 (a trigger
description or a quote with HTML shows as text) and use neutral wording. The small-number
rule is applied by the caller (voices, urgency cells); these sections only show what is left.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from wijkbeeld.report.data import ReportData
from wijkbeeld.report.registry import SectionContent
from wijkbeeld.report.sections import _MATRIX_TABLE, _lang, _name, _render
from wijkbeeld.report.wording import format_number, format_value, label
from wijkbeeld.urgency.timeline_picture import timeline_svg

__all__ = ["TRIGGER_SOURCES", "TRIGGER_STATUSES", "occasions", "peers", "recognition"]

#: Who raised a trigger, in words (keys as stored by the voices app).
TRIGGER_SOURCES = {
    "nl": {"bewoners": "bewoners", "gemeente": "gemeente", "rijk": "rijk (landelijk doel)",
           "incident": "incident", "nieuws": "nieuws", "raadsvraag": "raadsvraag",
           "professionals": "professionals en partners", "overig": "anders"},
    "en": {"bewoners": "residents", "gemeente": "municipality",
           "rijk": "national government (national goal)", "incident": "incident",
           "nieuws": "news", "raadsvraag": "council question",
           "professionals": "professionals and partners", "overig": "other"},
}
#: "since <date>" after a status, per language.
_SINCE = {"nl": "sinds", "en": "since"}
#: Whether a trigger still plays.
TRIGGER_STATUSES = {
    "nl": {"actief": "speelt nog", "vervaagd": "vervaagd", "opgelost": "opgelost"},
    "en": {"actief": "still relevant", "vervaagd": "faded", "opgelost": "resolved"},
}
#: At most this many voice themes are named as occasions.
VOICE_SIGNALS = 3

_OCCASIONS = """
<p>{{ intro }}</p>
{% if picture %}
<figure class="timeline">
<h3>{{ l_timeline }}</h3>
{{ picture|safe }}
<figcaption>{{ l_caption }}</figcaption>
</figure>
{% endif %}
{% if triggers %}
<table>
<thead><tr><th scope="col">{{ l_date }}</th><th scope="col">{{ l_source }}</th>
<th scope="col">{{ l_theme }}</th><th scope="col">{{ l_status }}</th>
<th scope="col">{{ l_description }}</th></tr></thead>
<tbody>
{% for t in triggers %}
<tr><td>{{ t.date }}</td><td>{{ t.source }}</td><td>{{ t.themes }}</td><td>{{ t.status }}</td>
<td>{{ t.description }}</td></tr>
{% endfor %}
</tbody>
</table>
{% else %}<p>{{ l_none }}</p>{% endif %}
{% if signals %}
<h3>{{ l_signals }}</h3>
<ul>{% for s in signals %}<li>{{ s }}</li>{% endfor %}</ul>
{% endif %}
{% if alerts %}
<h3>{{ l_persistence }}</h3>
<ul>{% for a in alerts %}<li>{{ a }}</li>{% endfor %}</ul>
{% endif %}
"""


def occasions(data: ReportData) -> SectionContent:
    """Aanleidingen: the recorded triggers (kept apart from the state of the area) with date,
    source, themes and status with the date of that status, the
    themes conversations mention most (counts only above the small-number minimum) and the
    persistence alerts of the latest urgency round."""
    lang = _lang(data)
    triggers = [{
        "date": str(t.get("date") or ""),
        "source": TRIGGER_SOURCES[lang].get(str(t.get("source")), str(t.get("source") or "")),
        "themes": ", ".join(data.theme_label(str(k)) for k in t.get("themes") or []) or "–",
        "status": TRIGGER_STATUSES[lang].get(str(t.get("status")), str(t.get("status") or ""))
        + (f" ({_SINCE[lang]} {t['status_since']})" if t.get("status_since") else ""),
        "description": str(t.get("description") or ""),
    } for t in data.triggers]
    signals = []
    if data.voices:
        shown = [t for t in data.voices.get("themes", []) if t.get("total") is not None]
        shown.sort(key=lambda t: (-int(t["total"]), str(t["theme"])))
        signals = [f"{data.theme_label(str(t['theme']))}: {format_number(t['total'], lang, 0)} "
                   f"{label('responses', lang)}" for t in shown[:VOICE_SIGNALS]]
    alerts = []
    for a in (data.urgency or {}).get("alerts", []):
        theme = data.theme_label(str(a.get("theme") or ""))
        # the message starts with the alert's label; the label alone when there is none
        alerts.append(f"{theme}: {a.get('message') or a.get('label') or a.get('kind')}")
    # The core draws the picture (its text escaped); the table below lists the same triggers.
    picture = timeline_svg(data.timelines, data.theme_labels, lang=lang,
                           translate=lambda s: TRIGGER_STATUSES[lang].get(s, s)
                           ) if data.timelines else ""
    html = _render(
        _OCCASIONS, intro=label("occasions_intro", lang), triggers=triggers, signals=signals,
        picture=picture, l_timeline=label("timeline", lang),
        l_caption=label("timeline_caption", lang),
        alerts=alerts, l_date=label("date", lang), l_source=label("source", lang),
        l_theme=label("theme", lang), l_status=label("status", lang),
        l_description=label("description", lang), l_none=label("no_triggers", lang),
        l_signals=label("voice_signals", lang), l_persistence=label("persistence", lang))
    return SectionContent(label("occasions", lang), html)


_PEERS = """
<p>{{ explanation }}</p>
<table>
<thead><tr><th scope="col">{{ l_area }}</th><th scope="col">{{ l_similarity }}</th></tr>
</thead>
<tbody>
{% for a in areas %}<tr><th scope="row">{{ a.name }} ({{ a.code }})</th>
<td class="num">{{ a.distance }}</td></tr>
{% endfor %}
</tbody>
</table>
{% if figures %}
<table>
<thead><tr><th scope="col">{{ l_indicator }}</th><th scope="col">{{ l_area_value }}</th>
<th scope="col">{{ l_peer_mean }}</th></tr></thead>
<tbody>
{% for f in figures %}<tr><th scope="row">{{ f.name }}</th><td class="num">{{ f.value }}</td>
<td class="num">{{ f.peer_mean }} (n={{ f.n }})</td></tr>
{% endfor %}
</tbody>
</table>
{% for s in sources %}<p class="source">{{ l_source }}: {{ s }}</p>{% endfor %}
{% endif %}
"""


def peers(data: ReportData) -> SectionContent | None:
    """The comparable areas (nearest on context figures: density, household size, age,
    tenure), why they were chosen, and the area's key figures beside their mean."""
    p = data.peers
    if not p or not p.get("areas"):
        return None
    lang = _lang(data)
    rows: Mapping[str, Mapping[str, Any]] = {
        str(i["indicator"]): i for i in data.profile.get("indicators", [])}
    areas = [{"name": a.get("name") or a["code"], "code": a["code"],
              "distance": format_number(a.get("distance"), lang, 2)} for a in p["areas"]]
    figures = []
    sources = set()
    for f in p.get("figures", []):
        row = rows.get(str(f["indicator"]))
        if row is None:
            continue
        unit = str(row["unit"])
        figures.append({"name": _name(row, lang), "value": format_value(f["value"], unit, lang),
                        "peer_mean": format_value(f["peer_mean"], unit, lang), "n": f["n"]})
        sources.add(f"{row['source']}, {row['period']}")
    features = ", ".join(_name(rows[str(x)], lang).lower() if str(x) in rows else str(x)
                         for x in p.get("features", []))
    if lang == "nl":
        explanation = (f"De {len(areas)} gebieden die op de contextcijfers ({features}) het "
                       f"meest op {data.area.name} lijken. Het verschil staat in "
                       "standaarddeviaties: hoe kleiner, hoe meer het gebied erop lijkt.")
    else:
        explanation = (f"The {len(areas)} areas most like {data.area.name} on the context "
                       f"figures ({features}). The difference is in standard deviations: the "
                       "smaller, the more alike.")
    html = _render(_PEERS, explanation=explanation, areas=areas, figures=figures,
                   sources=sorted(sources), l_area=label("area", lang),
                   l_similarity=label("similarity", lang), l_indicator=label("indicator", lang),
                   l_area_value=data.area.name, l_peer_mean=label("peer_mean", lang),
                   l_source=label("source", lang))
    return SectionContent(label("peers", lang), html)


_RECOGNITION = """
<p>{{ intro }}</p>
""" + _MATRIX_TABLE


def _recognition_cell(cell: Mapping[str, Any] | None, lang: str) -> str:
    rec = None if cell is None else cell.get("recognition")
    if not rec or not rec.get("n"):
        return "–"
    if rec.get("withheld") or rec.get("yes_or_partly") is None:
        return label("withheld", lang)
    share = format_number(100 * float(rec["yes_or_partly"]), lang, 0)
    return f"{share} % (n={rec['n']})"


def recognition(data: ReportData) -> SectionContent | None:
    """Per theme and group the share that recognises the data picture (yes or partly), beside
    the class of the urgency matrix; a group under the minimum shows no number."""
    u = data.urgency
    if not u or not u.get("themes"):
        return None
    lang = _lang(data)
    groups = list(u.get("groups", []))
    rows = [{"label": data.theme_label(str(t["theme"])),
             "cells": [_recognition_cell(t["cells"].get(g["key"]), lang) for g in groups],
             "klass": t["class"]["label"]} for t in u["themes"]]
    html = _render(_RECOGNITION, intro=label("recognition_intro", lang), groups=groups,
                   rows=rows, l_theme=label("theme", lang), l_class=label("class", lang))
    return SectionContent(label("recognition", lang), html)
