"""The plain data of the report's agenda section (:mod:`wijkbeeld.report.agenda_section`): the
area's latest **agreed** agenda (drafts never reach a report), with per item the current
version, the progress of its targets, its actions and its persistence alert."""

from __future__ import annotations

from typing import Any

from wijkbeeld.agenda import ROUND_METRICS
from wijkbeeld.urgency import GROUP_LABELS
from wijkbeeld.web.agenda.models import Agenda, AgendaStatus
from wijkbeeld.web.agenda.reading import agenda_state

__all__ = ["report_agenda"]


def _fmt(kind: str, metric: str, x: float | None) -> str:
    if x is None:
        return "–"
    if kind == "round" and metric != "mean":
        return f"{round(100 * x)}%"
    return f"{x:.4g}".replace(".", ",")


def report_agenda(area_code: str, using: str = "default") -> dict[str, Any] | None:
    """The latest agreed agenda of the area as plain data, or None."""
    agenda = (Agenda.objects.using(using)
              .filter(area_code=area_code, status=AgendaStatus.VASTGESTELD)
              .order_by("-agreed_on", "-id").first())
    if agenda is None:
        return None
    state = agenda_state(agenda, using=using)
    items = []
    for s in state.items:
        targets = []
        for p in s.progress:
            t = p.target
            what = (t.label or t.key) if t.kind == "indicator" else (
                f"{GROUP_LABELS[t.group]}: {ROUND_METRICS[t.metric]}")
            targets.append({
                "what": what, "baseline": _fmt(t.kind, t.metric, t.baseline),
                "baseline_at": t.baseline_at, "target": _fmt(t.kind, t.metric, t.target),
                "latest": "–" if p.latest is None else _fmt(t.kind, t.metric, p.latest.value),
                "latest_at": "" if p.latest is None else p.latest.at, "label": p.label})
        items.append({
            "theme": s.item.theme, "version": s.version.number, "ambition": s.version.ambition,
            "policy_link": s.version.policy_link, "parties": [p.name for p in s.parties],
            "targets": targets,
            "actions": [{"title": a.title, "status": a.get_status_display(),
                         "progress": a.progress} for a in s.actions],
            "alert": None if s.alert is None else s.alert.message})
    return {"title": agenda.title, "agreed_on": str(agenda.agreed_on), "items": items,
            "coverage": [{"round": c.round_key,
                          "missing": [GROUP_LABELS[g] for g in c.missing_groups]
                          + list(c.missing_parties)} for c in state.coverage]}
