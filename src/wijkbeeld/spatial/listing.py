"""The areas of a hotspot result as rows people read: name, code, class and value with unit.

``wijkbeeld hotspots`` used to print only the number of areas per class; people need to see
*which* areas form a cluster. Rows are sorted by class in legend order (challenges and strengths
first, then not significant, not tested, no data), then by value from high to low, so the areas
of one cluster stand together. Values are written the Dutch way with their unit (DESIGN.md §7):
a share as "7,8 %", never a fraction.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from wijkbeeld.spatial.labels import CLUSTER_CODES

__all__ = ["HotspotRow", "dutch_value", "hotspot_rows"]


@dataclass(frozen=True)
class HotspotRow:
    """One area of a hotspot table: ``cluster`` the Dutch class words, ``value`` raw."""

    code: str
    name: str
    cluster_code: str
    cluster: str
    value: float | None


def _dutch(number: float, decimals: int) -> str:
    """``1234.5`` → ``"1.234,5"`` (thousands point, decimal comma)."""
    text = f"{number:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def dutch_value(value: float | None, unit: str) -> str:
    """A value with its unit in Dutch notation; ``unit`` a catalogue unit or ``score`` (a theme
    score, signed). Missing values are "–"."""
    if value is None or math.isnan(value):
        return "–"
    if unit == "fraction":
        return f"{_dutch(100 * value, 1)} %"
    if unit == "percent":
        return f"{_dutch(value, 1)} %"
    if unit == "eur":
        return f"€ {_dutch(value, 0)}"
    if unit == "eur_1000":
        return f"€ {_dutch(1000 * value, 0)}"
    if unit == "count":
        return _dutch(value, 0)
    if unit == "score":
        return ("+" if value > 0 else "") + _dutch(value, 2)
    suffix = {"km": " km", "years": " jaar", "per_km2": " per km²"}.get(unit, "")
    decimals = 0 if abs(value) >= 100 else 1 if abs(value) >= 10 else 2
    return _dutch(value, decimals) + suffix


def hotspot_rows(table: pd.DataFrame, names: Mapping[str, str]) -> tuple[HotspotRow, ...]:
    """Rows of a hotspot table (index area code; columns ``value``, ``cluster_code``,
    ``cluster``), sorted by class in legend order, then value high to low (missing last).
    ``names``: area code → name (the code stands in when a name is missing)."""
    order = {code: i for i, code in enumerate(CLUSTER_CODES)}
    rows = []
    for code, value, ccode, cluster in zip(table.index, table["value"], table["cluster_code"],
                                           table["cluster"], strict=True):
        number = None if pd.isna(value) else float(value)
        rows.append(HotspotRow(str(code), names.get(str(code)) or str(code), str(ccode),
                               str(cluster), number))
    rows.sort(key=lambda r: (order.get(r.cluster_code, len(order)), r.value is None,
                             -(r.value or 0.0), r.name))
    return tuple(rows)
