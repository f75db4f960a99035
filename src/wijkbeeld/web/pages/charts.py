"""Small trend charts (sparklines) as inline SVG, drawn on the server: no JavaScript, no images.

One dot per period with a figure, joined by a line; a period without a figure (missing) or
from another indeling that no crosswalk bridges (break) leaves a gap: the line stops there and
starts again after it, so a break is never drawn as a change. The chart carries ``role="img"``
and an ``aria-label`` (repeated as its ``<title>``) that says the first and the last figure in
words, so it reads without seeing it. Colours: the line #0b4f8a on white (8.4:1), well above
the 3:1 WCAG asks of graphics.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from wijkbeeld.web.pages.series import SeriesPoint

__all__ = ["MIN_POINTS", "Sparkline", "sparkline"]

#: A chart needs at least this many periods with a figure.
MIN_POINTS = 2

_WIDTH = 120.0
_HEIGHT = 32.0
_PAD = 4.0


@dataclass(frozen=True)
class Sparkline:
    """The chart's SVG and the sentence that describes it."""

    svg: SafeString
    label: str
    points: int


def _label(
    name: str, points: Sequence[SeriesPoint], fmt: Callable[[float], str], unit: str
) -> str:
    valued = [p for p in points if p.has_value]
    first, last = valued[0], valued[-1]
    suffix = f" {unit}" if unit else ""
    text = _("%(name)s, %(start)s–%(end)s: van %(first)s%(unit)s (%(first_period)s) naar "
             "%(last)s%(unit)s (%(last_period)s)") % {
        "name": name, "start": points[0].period, "end": points[-1].period,
        "first": fmt(first.value), "first_period": first.period,
        "last": fmt(last.value), "last_period": last.period, "unit": suffix,
    }
    breaks = [p.period for p in points if p.status == "break"]
    missing = [p.period for p in points if p.status == "missing"]
    if breaks:
        text += "; " + _("breuk in de reeks (andere indeling): %(periods)s") % {
            "periods": ", ".join(breaks)}
    if missing:
        text += "; " + _("geen cijfer: %(periods)s") % {"periods": ", ".join(missing)}
    return text


def sparkline(
    points: Sequence[SeriesPoint],
    *,
    name: str,
    fmt: Callable[[float], str],
    unit: str = "",
    chart_id: str = "",
) -> Sparkline | None:
    """The chart of ``points`` (in period order), or None with fewer than :data:`MIN_POINTS`
    figures. ``fmt`` writes a value for the label (the page's number format)."""
    valued = [p for p in points if p.has_value]
    if len(valued) < MIN_POINTS:
        return None
    low = min(p.value for p in valued)
    high = max(p.value for p in valued)
    span = high - low
    step = (_WIDTH - 2 * _PAD) / max(1, len(points) - 1)

    def y(value: float) -> float:
        if span == 0:
            return _HEIGHT / 2
        return _PAD + (high - value) / span * (_HEIGHT - 2 * _PAD)

    runs: list[list[tuple[float, float]]] = [[]]
    dots: list[tuple[float, float]] = []
    gaps: list[float] = []
    for i, p in enumerate(points):
        x = _PAD + i * step
        if p.has_value:
            runs[-1].append((x, y(p.value)))
            dots.append((x, y(p.value)))
        else:
            if p.status == "break":
                gaps.append(x)
            if runs[-1]:
                runs.append([])
    paths = [
        "M" + " L".join(f"{x:.1f},{yy:.1f}" for x, yy in run) for run in runs if len(run) > 1
    ]
    label = _label(name, points, fmt, unit)
    safe_label = escape(label)
    id_attr = f' id="{escape(chart_id)}"' if chart_id else ""
    parts = [
        f'<svg{id_attr} class="spark" role="img" aria-label="{safe_label}" '
        f'viewBox="0 0 {_WIDTH:g} {_HEIGHT:g}" width="{_WIDTH:g}" height="{_HEIGHT:g}" '
        f'focusable="false"><title>{safe_label}</title>',
    ]
    parts += [
        f'<line class="spark-break" x1="{x:.1f}" y1="1" x2="{x:.1f}" y2="{_HEIGHT - 1:g}"/>'
        for x in gaps
    ]
    parts += [f'<path class="spark-line" d="{d}"/>' for d in paths]
    for i, (x, yy) in enumerate(dots):
        last = i == len(dots) - 1
        parts.append(
            f'<circle class="spark-dot{" spark-last" if last else ""}" '
            f'cx="{x:.1f}" cy="{yy:.1f}" r="{2.6 if last else 1.8}"/>'
        )
    parts.append("</svg>")
    return Sparkline(svg=mark_safe("".join(parts)), label=label, points=len(dots))
