"""The CBS Kerncijfers wijken en buurten (KWB) tables on StatLine/OData, one per year.

CBS publishes the KWB as a new table every year; the table id is what ``wijkbeeld fetch cbs``
and :func:`wijkbeeld.figures.odata.read_odata_table` need. The column names changed over the
years: OData keys carry a position suffix that moves (``AantalInwoners_5``,
``GemiddeldeHuishoudensgrootte_32`` in 2013-2019 and ``_33`` in 2024), which the catalogue strips
before matching (:func:`~wijkbeeld.figures.typed_dataset.column_stem`); and some topics were
renamed, such as the average property value, ``GemiddeldeWoningwaarde`` up to the 2019 table and
``GemiddeldeWOZWaardeVanWoningen`` after. Renamed topics are aliases of one indicator in
``catalogue/cbs_kwb.toml``, so every year lands on the same indicator keys.

>>> kwb_table(2024)
'85984NED'
>>> kwb_year("82339ned")
2013
"""

from __future__ import annotations

__all__ = ["KWB_TABLES", "kwb_table", "kwb_year"]

#: Year of the figures (and of the boundaries, the indeling) → StatLine table id.
KWB_TABLES: dict[int, str] = {
    2013: "82339NED",
    2014: "82931NED",
    2015: "83220NED",
    2016: "83487NED",
    2017: "83765NED",
    2018: "84286NED",
    2019: "84583NED",
    2020: "84799NED",
    2021: "85039NED",
    2022: "85318NED",
    2023: "85618NED",
    2024: "85984NED",
    2025: "86165NED",
}


def kwb_table(year: int) -> str:
    """The KWB table id of ``year``; a clear error for a year without one."""
    try:
        return KWB_TABLES[year]
    except KeyError:
        years = f"{min(KWB_TABLES)}-{max(KWB_TABLES)}"
        raise ValueError(f"no Kerncijfers wijken en buurten table for {year} (known: {years}); "
                         "pass the table id with --table") from None


def kwb_year(table: str) -> int | None:
    """The year of a KWB table id, None when it is not a KWB table."""
    wanted = table.strip().upper()
    return next((y for y, t in KWB_TABLES.items() if t == wanted), None)
