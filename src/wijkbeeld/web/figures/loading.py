"""Load stored figures into the comparison core's input (:class:`wijkbeeld.compare.Figures`).

One query for the observations (their own columns, read in chunks of 200,000 rows), one for their
areas (joined here by id) and one for the indicator definitions; no per-row queries. Repeated
texts (codes, names, periods, statuses) are kept as one shared string object each, so the whole
country (ten million cells) loads in about half the time and memory of one joined row per cell.
The web pages and the CLI both call this, then
:func:`wijkbeeld.compare.profile` or :func:`wijkbeeld.compare.compare_all`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
from django.db import connections

from wijkbeeld.compare.frame import FIGURES_COLUMNS, Figures
from wijkbeeld.figures.catalogue import Indicator, Polarity, Unit
from wijkbeeld.web.figures.bulk_read import read_arrow
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


_CHUNK = 200_000
#: The observation's own columns (and its indicator's key and batch's source, few distinct
#: texts); the area's columns come from a second query, joined here by id.
_OWN = ("area_id", "indicator__key", "batch__source", "source_column", "period", "value", "status")
_TEXT = pa.dictionary(pa.int32(), pa.string())
_ARROW_TYPES = {"area_id": pa.int64(), "indicator__key": _TEXT, "batch__source": _TEXT,
                "source_column": _TEXT, "period": _TEXT, "value": pa.float64(), "status": _TEXT}
_AREA = ("id", "code", "name", "level", "municipality", "parent_code", "boundary_year")


def _category(codes: np.ndarray, categories: np.ndarray) -> Any:
    """A categorical from codes into ``categories`` (texts; a missing one becomes "")."""
    texts = ["" if c is None else str(c) for c in categories]
    if len(set(texts)) == len(texts):
        return pd.Categorical.from_codes(codes, categories=pd.Index(texts, dtype=object))
    return np.asarray(texts, dtype=object)[codes]  # two texts equal after "": plain texts


def _shared(values: list[object]) -> Any:
    """``values`` as a categorical (what :class:`Figures` keeps; built from the codes here
    instead of converting millions of strings)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=object), use_na_sentinel=False)
    return _category(codes, np.asarray(uniques, dtype=object))


def _area_column(values: np.ndarray, at: np.ndarray) -> Any:
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return _category(codes[at], np.asarray(uniques, dtype=object))


def _own_columns(qs: Any, using: str) -> dict[str, Any]:
    """The observations' own columns (``_OWN``): ``area_id`` as integers, ``value`` as floats,
    the texts as categoricals. In bulk through Arrow where the engine allows
    (:mod:`~wijkbeeld.web.figures.bulk_read`), otherwise through the cursor in chunks."""
    sql, params = qs.values_list(*_OWN).query.sql_with_params()
    table = read_arrow(sql, params, _OWN, _ARROW_TYPES, using)
    if table is not None:
        frame = table.to_pandas()
        out = {name: frame[name] for name in _OWN}
        out["area_id"] = frame["area_id"].to_numpy(dtype=np.int64)
        out["value"] = frame["value"].to_numpy(dtype=np.float64)
        for name in _OWN:
            if name not in ("area_id", "value"):
                column = out[name]
                out[name] = _category(column.cat.codes.to_numpy(),
                                      np.asarray(column.cat.categories, dtype=object))
        return out
    columns: list[list[object]] = [[] for _ in _OWN]
    with connections[using].cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(_CHUNK):
            for kept, column in zip(columns, zip(*rows, strict=True), strict=True):
                kept.extend(column)
    own: dict[str, Any] = dict(zip(_OWN, columns, strict=True))
    for name in _OWN:
        if name == "area_id":
            own[name] = np.asarray(own[name], dtype=np.int64)
        elif name == "value":
            own[name] = np.asarray(own[name], dtype=np.float64)
        else:
            own[name] = _shared(own[name])
    return own


def _read_observations(qs: Any, using: str) -> pd.DataFrame:
    """The rows of ``qs`` with the columns of ``_FIELDS`` (two queries: the observations' own
    columns and their areas). A national load repeats each area's code, name and level 600
    times and each period and status millions of times: as categoricals (and the area's columns
    looked up by id) they cost a few bytes a cell instead of a string each."""
    from wijkbeeld.web.areas.models import Area

    own = _own_columns(qs, using)
    area_id = np.asarray(own["area_id"], dtype=np.int64)
    area_qs = Area.objects.using(using)
    wanted = np.unique(area_id)
    if len(wanted) <= 2000:  # else all areas: cheaper than a long IN list (and SQLite's limit)
        area_qs = area_qs.filter(pk__in=wanted.tolist())
    area_rows = list(area_qs.values_list(*_AREA))
    areas = {name: np.asarray(col, dtype=np.int64 if name in ("id", "boundary_year") else object)
             for name, col in zip(_AREA, zip(*area_rows, strict=True) if area_rows
                                  else [[] for _ in _AREA], strict=True)}
    at = pd.Index(areas["id"]).get_indexer(pd.Index(area_id))
    out: dict[str, Any] = {
        name: _area_column(areas[field], at)
        for name, field in (("area_code", "code"), ("area_name", "name"), ("level", "level"),
                            ("municipality", "municipality"), ("parent_code", "parent_code"))
    }
    out |= {
        "boundary_year": areas["boundary_year"][at],
        "indicator": own["indicator__key"],
        "source_column": own["source_column"],
        "period": own["period"],
        "value": own["value"],
        "status": own["status"],
        "source": own["batch__source"],
    }
    return pd.DataFrame(out, columns=[c for _, c in _FIELDS])


def _codes_in_several_boundary_years(frame: pd.DataFrame) -> bool:
    """Whether some area code appears with more than one boundary year (hashing integers)."""
    if frame.empty:
        return False
    code = pd.factorize(frame["area_code"])[0].astype(np.int64)
    year = frame["boundary_year"].to_numpy(dtype=np.int64)
    return len(pd.unique(code * 100_000 + year)) > len(pd.unique(code))


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
    frame = _read_observations(qs, using)
    if frame.empty:
        frame = pd.DataFrame({c: pd.Series(dtype="float64" if c == "value" else "object")
                              for c in FIGURES_COLUMNS})
        frame["boundary_year"] = frame["boundary_year"].astype("int64")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame.loc[frame["status"] != "ok", "value"] = np.nan
    notes: list[str] = []
    frame = frame.sort_values(["area_code", "indicator", "period", "boundary_year"])
    before = len(frame)
    # The database allows one cell per (area id, indicator, period): duplicates of a code can
    # only come from one code stored under several boundary years.
    if _codes_in_several_boundary_years(frame):
        frame = frame.drop_duplicates(["area_code", "indicator", "period"], keep="last")
    if len(frame) < before:
        notes.append(
            f"{before - len(frame)} cijfers stonden onder meer dan één indeling: "
            "de nieuwste indeling is gebruikt"
        )
    definitions = indicator_definitions(using)
    return Figures.from_frame(frame[list(FIGURES_COLUMNS)], definitions, notes)
