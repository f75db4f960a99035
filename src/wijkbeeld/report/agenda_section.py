"""The report's "agenda" section: the area's agreed neighbourhood agenda (buurtagenda), each
item's ambition, targets with baseline, target and latest measurement, actions, the persistence
alert, and which groups were missing from the rounds.

Reads only ``ReportData.agenda`` (plain data, filled by ``wijkbeeld.web.agenda.report``); a
report without an agreed agenda has no agenda section. Drafts never reach a report. Rendered with
Jinja2 autoescaping like every other section.
"""

from __future__ import annotations

from functools import cache

from jinja2 import Environment, StrictUndefined, Template

from wijkbeeld.report.data import ReportData
from wijkbeeld.report.registry import SectionContent, register_section

__all__ = ["ORDER", "agenda", "register_agenda_section"]

#: After the open questions (60), before method and sources (90).
ORDER = 70

_TEXT = {
    "nl": {"title": "Buurtagenda", "agreed": "vastgesteld op", "version": "versie",
           "ambition": "Ambitie", "parties": "Partijen", "policy": "Gemeentelijk beleid",
           "measure": "Maat", "baseline": "Nulmeting", "target": "Doel",
           "latest": "Laatste meting", "state": "Stand", "actions": "Acties",
           "missing": "Ontbrak in de peiling", "nobody": "niemand"},
    "en": {"title": "Neighbourhood agenda", "agreed": "agreed on", "version": "version",
           "ambition": "Ambition", "parties": "Parties", "policy": "Municipal policy",
           "measure": "Measure", "baseline": "Baseline", "target": "Target",
           "latest": "Latest", "state": "Status", "actions": "Actions",
           "missing": "Missing from the round", "nobody": "nobody"},
}

_BODY = """
<p>{{ a.title }} · {{ t.agreed }} {{ a.agreed_on }}</p>
{% for it in a["items"] %}
<section class="agenda-item">
<h3>{{ theme(it.theme) }} ({{ t.version }} {{ it.version }})</h3>
<p><strong>{{ t.ambition }}:</strong> {{ it.ambition }}</p>
<p><strong>{{ t.parties }}:</strong> {{ it.parties|join(", ") or "–" }}.
{% if it.policy_link %}<strong>{{ t.policy }}:</strong> {{ it.policy_link }}{% endif %}</p>
{% if it.targets %}<table><thead><tr><th>{{ t.measure }}</th><th>{{ t.baseline }}</th>
<th>{{ t.target }}</th><th>{{ t.latest }}</th><th>{{ t.state }}</th></tr></thead><tbody>
{% for r in it.targets %}<tr><td>{{ r.what }}</td><td>{{ r.baseline }} ({{ r.baseline_at }})</td>
<td>{{ r.target }}</td><td>{{ r.latest }}{% if r.latest_at %} ({{ r.latest_at }}){% endif %}</td>
<td>{{ r.label }}</td></tr>{% endfor %}</tbody></table>{% endif %}
{% if it.actions %}<p><strong>{{ t.actions }}:</strong></p><ul>{% for x in it.actions %}
<li>{{ x.title }}: {{ x.status }}, {{ x.progress }}%</li>{% endfor %}</ul>{% endif %}
{% if it.alert %}<p class="alert"><strong>{{ it.alert }}</strong></p>{% endif %}
</section>
{% endfor %}
{% if a.coverage %}<ul>{% for c in a.coverage %}<li>{{ t.missing }} {{ c.round }}:
{{ c.missing|join(", ") or t.nobody }}</li>{% endfor %}</ul>{% endif %}
"""

_ENV = Environment(autoescape=True, undefined=StrictUndefined, trim_blocks=True,
                   lstrip_blocks=True)


@cache
def _template() -> Template:
    return _ENV.from_string(_BODY)


def agenda(data: ReportData) -> SectionContent | None:
    """The agenda section, or None when the area has no agreed agenda."""
    if not data.agenda:
        return None
    lang = data.language if data.language in _TEXT else "nl"
    html = _template().render(a=data.agenda, t=_TEXT[lang], theme=data.theme_label)
    return SectionContent(_TEXT[lang]["title"], html)


def register_agenda_section() -> None:
    """Register (or re-register) the agenda section."""
    register_section("agenda", ORDER, agenda, replace=True)
