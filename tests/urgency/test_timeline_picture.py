"""The timeline picture of the core (issue 19), on a hand-built timeline: where the marks go."""

from __future__ import annotations

import re
from datetime import date

from wijkbeeld.urgency import UrgencyOptions
from wijkbeeld.urgency.persistence import FigurePoint, Timeline, Trigger
from wijkbeeld.urgency.timeline_picture import timeline_svg


def _line(theme: str, figures: tuple[FigurePoint, ...], triggers: tuple[Trigger, ...] = ()
          ) -> Timeline:
    return Timeline("WK036300", theme, (), figures, triggers, (), (), UrgencyOptions())


def test_nothing_dated_draws_nothing() -> None:
    assert timeline_svg([], {}) == ""
    assert timeline_svg([_line("wonen", (FigurePoint(2020, None, None),))], {}) == ""


def test_dots_above_for_favourable_below_for_unfavourable_on_a_year_axis() -> None:
    line = _line("wonen", (FigurePoint(2019, -1.0, True), FigurePoint(2021, 0.5, False)),
                 (Trigger("WK036300", None, "Brand <flat>", "actief", date(2020, 6, 1)),))
    svg = timeline_svg([line], {"wonen": "Wonen & zo"}, lang="en")
    dots = [(float(x), float(y)) for x, y in re.findall(r'<circle cx="([\d.]+)" cy="([\d.]+)"',
                                                          svg)]
    assert len(dots) == 2 and dots[0][0] < dots[1][0]
    mid = float(re.search(r'<line x1="170" y1="([\d.]+)"', svg).group(1))  # type: ignore[union-attr]
    assert dots[0][1] > mid > dots[1][1]  # -1 below the line, +0.5 above (SVG y grows down)
    assert "<title>2019: theme score -1.00</title>" in svg
    assert "Wonen &amp; zo" in svg and "Brand &lt;flat&gt;" in svg  # text is escaped
    years = re.findall(r">(\d{4})</text>", svg)
    assert years == ["2019", "2020", "2021"]
