"""The timeline as a picture (issue 19): figure years, urgency rounds and triggers of an area on
one time axis, one lane per theme, as a self-contained SVG string for the web page and the PDF.

Per lane the theme score of each figure year is a dot above (more favourable) or below (less
favourable) the lane's middle line, joined by a line; a round is a diamond on the middle line
coloured by its urgency class; a trigger is a triangle (a trigger about the whole area is drawn
in every lane). Every mark carries a ``<title>`` with the same words the text list beneath it
gives, so a pointer shows them; screen readers read the list, the picture is one image with a
short description. Colours come from the Okabe-Ito palette (safe for colour-blind readers) and
never carry meaning alone: position and shape say it too.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date
from html import escape
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from wijkbeeld.urgency.persistence import Timeline

__all__ = ["timeline_svg"]

_WIDTH = 760
_LEFT = 170  # the theme names
_RIGHT = 20
_LANE = 54
_TOP = 10
_AXIS = 34
#: Urgency classes → colour (Okabe-Ito); unknown classes grey.
_CLASS_COLOURS = {
    "gedeeld": "#D55E00", "gevoeld_niet_gemeten": "#E69F00", "van_bovenaf": "#0072B2",
    "verdeeld": "#CC79A7", "geen": "#009E73", "onvoldoende": "#999999",
}
_FAVOURABLE, _UNFAVOURABLE = "#0072B2", "#D55E00"
_WORDS = {
    "nl": {"score": "themascore", "round": "Peiling", "trigger": "Aanleiding",
           "title": "Tijdlijn: cijfers, peilingen en aanleidingen per thema",
           "desc": "Dezelfde gegevens staan in de lijst onder de tekening."},
    "en": {"score": "theme score", "round": "Round", "trigger": "Trigger",
           "title": "Timeline: figures, rounds and triggers per theme",
           "desc": "The list beneath the picture gives the same in text."},
}


def timeline_svg(
    lines: Sequence[Timeline],
    names: Mapping[str, str],
    *,
    lang: str = "nl",
    translate: Callable[[str], str] = lambda text: text,
) -> str:
    """One SVG of ``lines`` (one :class:`Timeline` per theme), or "" when there is nothing
    dated to draw. ``names``: theme key → name; ``translate`` turns the core's Dutch labels
    (urgency classes, trigger statuses) into the reader's language."""
    words = _WORDS["en" if lang.startswith("en") else "nl"]
    dates = [d for line in lines for d in _dates(line)]
    if not lines or not dates:
        return ""
    first, last = min(dates).year, max(dates).year + 1
    span = max(1, last - first)
    height = _TOP + _LANE * len(lines) + _AXIS

    def x(when: date) -> float:
        fraction = (when.toordinal() - date(first, 1, 1).toordinal()) / (
            date(last, 1, 1).toordinal() - date(first, 1, 1).toordinal())
        return _LEFT + fraction * (_WIDTH - _LEFT - _RIGHT)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline-picture" role="img" '
             f'viewBox="0 0 {_WIDTH} {height}" aria-labelledby="tl-title tl-desc">',
             f'<title id="tl-title">{escape(words["title"])}</title>',
             f'<desc id="tl-desc">{escape(words["desc"])}</desc>']
    axis_y = _TOP + _LANE * len(lines)
    step = 1 if span <= 12 else 2
    for year in range(first, last + 1, step):
        xx = x(date(year, 1, 1))
        parts.append(f'<line x1="{xx:.1f}" y1="{_TOP}" x2="{xx:.1f}" y2="{axis_y}" '
                     'stroke="#dddddd" stroke-width="1"/>')
        if year < last:  # the last line closes the axis; its year is not on it
            parts.append(f'<text x="{xx + 3:.1f}" y="{axis_y + 16}" font-size="12" '
                         f'fill="#333333">{year}</text>')
    for i, line in enumerate(lines):
        mid = _TOP + _LANE * i + _LANE / 2
        name = names.get(line.theme, line.theme)
        parts.append(f'<text x="4" y="{mid + 4:.1f}" font-size="13" fill="#1a1a1a">'
                     f'{escape(name)}</text>')
        parts.append(f'<line x1="{_LEFT}" y1="{mid:.1f}" x2="{_WIDTH - _RIGHT}" y2="{mid:.1f}" '
                     'stroke="#888888" stroke-width="1" stroke-dasharray="3 3"/>')
        parts += _figures(line, mid, x, words["score"], lang)
        parts += _rounds(line, mid, x, words["round"], translate)
        parts += _triggers(line, mid, x, words["trigger"], translate)
    parts.append(f'<line x1="{_LEFT}" y1="{axis_y}" x2="{_WIDTH - _RIGHT}" y2="{axis_y}" '
                 'stroke="#333333" stroke-width="1"/>')
    parts.append("</svg>")
    return "".join(parts)


def _dates(line: Timeline) -> list[date]:
    return ([date(f.year, 7, 1) for f in line.figures if f.score is not None]
            + [r.round.held_on for r in line.rounds]
            + [t.since for t in line.triggers if t.since is not None])


def _number(value: float, lang: str) -> str:
    text = f"{value:+.2f}"
    return text if lang.startswith("en") else text.replace(".", ",")


def _figures(line: Timeline, mid: float, x: Callable[[date], float], word: str,
             lang: str) -> list[str]:
    points = [(x(date(f.year, 7, 1)), mid - max(-2.0, min(2.0, f.score)) * 10, f)
              for f in line.figures if f.score is not None]
    out: list[str] = []
    if len(points) > 1:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py, _f in points)
        out.append(f'<polyline points="{path}" fill="none" stroke="#555555" '
                   'stroke-width="1.5"/>')
    for px, py, f in points:
        assert f.score is not None
        colour = _FAVOURABLE if f.score >= 0 else _UNFAVOURABLE
        out.append(f'<circle cx="{px:.1f}" cy="{py:.1f}" r="4" fill="{colour}">'
                   f'<title>{f.year}: {escape(word)} {_number(f.score, lang)}</title></circle>')
    return out


def _rounds(line: Timeline, mid: float, x: Callable[[date], float], word: str,
            translate: Callable[[str], str]) -> list[str]:
    out = []
    for point in line.rounds:
        cx = x(point.round.held_on)
        colour = _CLASS_COLOURS.get(point.classification.key, "#999999")
        label = translate(point.classification.label)
        out.append(f'<path d="M{cx:.1f},{mid - 7:.1f} l7,7 l-7,7 l-7,-7 z" fill="{colour}" '
                   f'stroke="#1a1a1a" stroke-width="1"><title>{escape(word)} '
                   f'{point.round.held_on.isoformat()}: {escape(label)}</title></path>')
    return out


def _triggers(line: Timeline, mid: float, x: Callable[[date], float], word: str,
              translate: Callable[[str], str]) -> list[str]:
    out = []
    for trig in line.triggers:
        if trig.since is None:
            continue
        tx, top = x(trig.since), mid - _LANE / 2 + 4
        out.append(f'<path d="M{tx:.1f},{top:.1f} l6,10 l-12,0 z" fill="#F0E442" '
                   f'stroke="#1a1a1a" stroke-width="1"><title>{escape(word)} '
                   f'{trig.since.isoformat()}: {escape(trig.label)} '
                   f'({escape(translate(trig.status))})</title></path>')
    return out
