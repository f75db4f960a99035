"""Load stored figures into the comparison core's input (:class:`wijkbeeld.compare.Figures`).

One query for the observations with their area and batch (``values_list`` over the joins, no
per-row queries) and one for the indicator definitions. The web pages and the CLI both call this,
then :func:`wijkbeeld.compare.profile` or :func:`wijkbeeld.compare.compare_all`.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from wijkbeeld.compare.frame import FIGURES_COLUMNS, Figures
from wijkbeeld.figures.catalogue import Indicator, Polarity, Unit
from wijkbeeld.web.figures.models import Indicator as IndicatorRow
from wijkbeeld.web.figures.models import Observation

__all__ = ["figures_frame", "indicator_definitions"]

_FIELDS = (
    ("area__code", "area_code"),
    ("area__name", "area_name"),
    ("area__level", "level"),
    ("area__municipality", "municipality"),
    ("area__parent_code", "parent_code"),
    ("area__boundary_year", "boundary_year"),
    ("indicator__key", "indicator"),
    ("source_column", "source_column"),
    ("period", "period"),
    ("value", "value"),
    ("status", "status"),
    ("batch__source", "source"),
)


def indicator_definitions(using: str = "default") -> dict[str, Indicator]:
    """Every stored indicator definition as a catalogue :class:`Indicator` (one query)."""
    rows = IndicatorRow.objects.using(using).values_list(
        "key", "name_nl", "name_en", "unit", "polarity", "source", "theme__key", "base__key",
        "context_only", "description",
    )
    return {
        key: Indicator(
            key=key, name_nl=name_nl, name_en=name_en, unit=Unit(unit),
            polarity=Polarity(polarity), source=source, theme=theme or None, base=base or None,
            context_only=bool(context_only), description=description,
        )
        for key, name_nl, name_en, unit, polarity, source, theme, base, context_only, description
        in rows
    }


def figures_frame(
    municipality: str | Sequence[str] | None = None,
    level: str | Sequence[str] | None = None,
    period: str | int | None = None,
    using: str = "default",
) -> Figures:
    """Stored figures as a validated :class:`Figures`, optionally only for a municipality (GM
    code or codes), a level (``neighbourhood``, ``district``, ...; one or several) and a period
    (a year such as ``2024`` matches every period of that year).

    A cell stored under two boundary years of the same code (the same file imported for two
    indelingen) is kept once, from the latest boundary year, with a note.
    """
    qs = Observation.objects.using(using)
    if municipality is not None:
        wanted = [municipality] if isinstance(municipality, str) else list(municipality)
        qs = qs.filter(area__municipality__in=[m.strip().upper() for m in wanted])
    if level is not None:
        qs = qs.filter(area__level__in=[level] if isinstance(level, str) else list(level))
    if period is not None:
        qs = qs.filter(period__startswith=str(period))
    rows = list(qs.values_list(*(f for f, _ in _FIELDS)))
    frame = pd.DataFrame.from_records(rows, columns=[c for _, c in _FIELDS])
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object")
                              for c in FIGURES_COLUMNS})
        frame["boundary_year"] = frame["boundary_year"].astype("int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame.loc[frame["status"] != "ok", "value"] = np.nan
    notes: list[str] = []
    frame = frame.sort_values(["area_code", "indicator", "period", "boundary_year"])
    before = len(frame)
    frame = frame.drop_duplicates(["area_code", "indicator", "period"], keep="last")
    if len(frame) < before:
        notes.append(
            f"{before - len(frame)} cijfers stonden onder meer dan één indeling: "
            "de nieuwste indeling is gebruikt"
        )
    definitions = indicator_definitions(using)
    return Figures.from_frame(frame[list(FIGURES_COLUMNS)], definitions, notes)
