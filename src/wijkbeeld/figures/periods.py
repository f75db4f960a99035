"""Periods as CBS writes them (``2020JJ00``, ``2023KW02``, ``2024MM03``) and as people do.

>>> normalise_period("2020JJ00"), normalise_period(" 2019 "), normalise_period("2023KW02")
('2020', '2019', '2023-Q2')

StatLine marks provisional periods with ``*`` (``2023*``) or ``**``; the mark is dropped, the
period is the same.

>>> normalise_period("2023*"), normalise_period("2024MM03**")
('2023', '2024-03')
"""

from __future__ import annotations

import re

__all__ = ["normalise_period", "period_year"]

_STATLINE = re.compile(r"([0-9]{4})(JJ|KW|MM|X)([0-9]{2})")
_YEAR = re.compile(r"[0-9]{4}")
_FLOAT_YEAR = re.compile(r"([0-9]{4})\.0+")


def normalise_period(raw: object) -> str:
    """A period string: a year ``2024``, a quarter ``2024-Q1`` or a month ``2024-03``.

    Raises ValueError for anything else, so the reader can name the row and column.
    """
    text = str(raw).strip().rstrip("*").strip()
    if _YEAR.fullmatch(text):
        return text
    if m := _FLOAT_YEAR.fullmatch(text):
        return m.group(1)
    if m := _STATLINE.fullmatch(text):
        year, kind, num = m.groups()
        if kind == "JJ":
            return year
        if kind == "KW":
            return f"{year}-Q{int(num)}"
        if kind == "MM":
            return f"{year}-{num}"
    raise ValueError(f"{text!r} is not a period (expected a year such as 2024 or 2024JJ00)")


def period_year(period: str) -> int:
    """The calendar year of a normalised period."""
    return int(period[:4])
