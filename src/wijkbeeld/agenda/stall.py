"""The stall check of an agenda item: its indicators stall while its round urgency fades.

This is the persistence alert of the urgency package (``urgentie_neemt_af``, "urgentie neemt af
terwijl de cijfers niet verbeteren", :data:`wijkbeeld.urgency.ALERT_LABELS`), evaluated against
the item's *own* agreed measures instead of the theme score: the same
:class:`~wijkbeeld.urgency.Alert` object, the same fading rule and thresholds
(:class:`~wijkbeeld.urgency.UrgencyOptions` ``urgent_share`` and ``fade_drop``, taken from the
timeline), so an alert on the agenda page and one on the urgency dashboard mean the same thing.

The item **stalls** when at least one of its indicator targets has a new measurement and none of
them is ``bereikt`` or ``vooruit`` (:data:`~wijkbeeld.agenda.progress.STALLED`). Its round
urgency **fades** when a group, reported in the latest two rounds of the item's theme
(:class:`~wijkbeeld.urgency.Timeline`), rated it urgent before (share ≥ ``urgent_share``) and
lost at least ``fade_drop`` of that share. Withheld groups (fewer than ``min_n`` answers) never
count. Both must hold; the alert keeps every number it rests on.
"""

from __future__ import annotations

from collections.abc import Sequence

from wijkbeeld.agenda.progress import Progress
from wijkbeeld.urgency.options import ALERT_LABELS, GROUP_LABELS, GROUPS
from wijkbeeld.urgency.persistence import Alert, FigureChange, GroupChange, Timeline

__all__ = ["KIND", "faded_groups", "stall_alert", "stalled_indicators"]

#: The persistence alert kind this check raises (reused, never redefined).
KIND = "urgentie_neemt_af"
_EPS = 1e-9


def faded_groups(line: Timeline) -> tuple[GroupChange, ...]:
    """Groups whose urgency on the timeline's theme faded between its last two rounds."""
    if len(line.rounds) < 2:
        return ()
    before, after = line.rounds[-2], line.rounds[-1]
    opts = line.options
    out = []
    for group in GROUPS:
        a, b = before.measures.group(group), after.measures.group(group)
        if a is None or b is None or a.share_urgent is None or b.share_urgent is None:
            continue
        if a.share_urgent >= opts.urgent_share - _EPS \
                and a.share_urgent - b.share_urgent >= opts.fade_drop - _EPS:
            out.append(GroupChange(group, after.round.key, b.n, b.share_urgent,
                                   before.round.key, a.n, a.share_urgent))
    return tuple(out)


def stalled_indicators(progresses: Sequence[Progress]) -> tuple[Progress, ...] | None:
    """The measured indicator targets when all of them stall, else None (some move, or none
    was measured again)."""
    measured = [p for p in progresses if p.target.kind == "indicator" and p.fraction is not None]
    if not measured or not all(p.stalled for p in measured):
        return None
    return tuple(measured)


def _pct(x: float) -> str:
    return f"{round(100 * x)}%"


def _value(x: float) -> str:
    return f"{x:.4g}".replace(".", ",")


def stall_alert(item: str, progresses: Sequence[Progress], line: Timeline) -> Alert | None:
    """The persistence alert of agenda item ``item`` (its name, for the message), or None.

    ``progresses``: the item's targets; ``line``: the urgency timeline of the item's area and
    theme (rounds up to now, figures, triggers)."""
    stalled = stalled_indicators(progresses)
    faded = faded_groups(line)
    if stalled is None or not faded:
        return None
    groups = "; ".join(f"{GROUP_LABELS[c.group]} {_pct(c.share_before or 0.0)} → "
                       f"{_pct(c.share_after)} urgent" for c in faded)
    figs = "; ".join(
        f"{p.target.label or p.target.key} {p.target.baseline_at} {_value(p.target.baseline)}"
        f" → {p.latest.at if p.latest else '?'} "
        f"{_value(p.latest.value) if p.latest and p.latest.value is not None else '?'} "
        f"(doel {_value(p.target.target)}: {p.label})" for p in stalled)
    scored = [f for f in line.figures if f.score is not None]
    fig = None if len(scored) < 2 else FigureChange(
        scored[0].year, float(scored[0].score or 0.0), scored[-1].year,
        float(scored[-1].score or 0.0))
    before, after = faded[0].round_before, faded[0].round_after
    message = (f"{ALERT_LABELS[KIND]}: agendapunt '{item}': {groups} ({before} → {after}); "
               f"{figs}")
    return Alert(KIND, line.area_code, line.theme, message, before, after, faded, fig,
                 basis=("peiling", "agenda"))
