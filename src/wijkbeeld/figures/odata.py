"""A client for the CBS OData v3 API: a StatLine table straight into a validated FigureTable.

``read_odata_table("85984NED", municipality="GM0363")`` asks the API, in this order, for

1. ``<table>/TableInfos``: title and period of the table;
2. ``<table>/DataProperties``: which columns are dimensions, text topics and numeric topics, and
   the boundary year of the geo dimension (``MapYear``);
3. ``<table>/<geo dimension>``: the names of the areas;
4. ``<table>/TypedDataSet``: the figures, following ``odata.nextLink`` from page to page.

``--municipality GM0363`` becomes ``$filter=startswith(WijkenEnBuurten,'GM0363') or
startswith(WijkenEnBuurten,'WK0363') or startswith(WijkenEnBuurten,'BU0363')``: the gemeente, its
wijken and its buurten share the four digits after the prefix. (``substringof('0363', ...)`` would
also match other municipalities' buurten such as ``BU01036301``.) Tables with a ``Marges``
dimension (the RIVM health monitor) are filtered on the estimate, ``Marges eq 'MW00000'``.
Numeric topics that are not in the catalogue are refused before the download, or left out of it
with ``$select`` when ``skip_unknown`` is set.

The API at ``opendata.cbs.nl/ODataApi`` returns at most 10,000 rows per request; the bulk feed
(``opendata.cbs.nl/ODataFeed/odata``) pages with ``odata.nextLink``. Both work: the client
follows ``odata.nextLink`` and, when a page without one is exactly full, asks for the next with
``$skip``. The RIVM tables live in the RIVM catalogue: ``https://dataderden.cbs.nl/ODataApi/odata``.

Network failures are retried with exponential backoff (5xx, 429, connection errors, timeouts);
a request that keeps failing, or answers with something that is not OData JSON, raises
:class:`ODataError` naming the URL. The cells go through the same validation as every file
(:func:`~wijkbeeld.figures.typed_dataset.typed_to_table`); "row" is the record number.
"""

from __future__ import annotations

import hashlib
import http.client
import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from tqdm import tqdm

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.figures.catalogue import Catalogue, load_catalogue
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.table import FigureTable
from wijkbeeld.figures.typed_dataset import (
    AGE_COLUMN,
    CODE_COLUMN,
    MARGIN_COLUMN,
    PERIOD_COLUMN,
    TEXT_TOPICS,
    VALUE_MARGIN,
    TypedInput,
    column_stem,
    typed_to_table,
)

__all__ = [
    "DEFAULT_BASE_URL",
    "HttpSettings",
    "ODataError",
    "ODataTable",
    "download_table",
    "http_get",
    "municipality_filter",
    "odata_to_table",
    "read_odata_table",
]

DEFAULT_BASE_URL = "https://opendata.cbs.nl/ODataApi/odata"
_NUMERIC = frozenset({"Double", "Float", "Decimal", "Long", "Integer", "Int32", "Int64", "Short"})
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class ODataError(DataError):
    """A request to the OData API that failed for good, or answered with something unusable."""

    def __init__(self, url: str, message: str, row: int | None = None) -> None:
        super().__init__([Problem(url, row, None, message)])
        self.url = url


@dataclass(frozen=True)
class HttpSettings:
    """How patiently to talk to the server.

    ``retries`` extra attempts after the first, waiting ``backoff * 2**attempt`` seconds (at most
    ``max_backoff``, or the server's ``Retry-After``). ``page_limit`` is the API's page size:
    a page of exactly this many rows without ``odata.nextLink`` is followed by a ``$skip`` request.
    ``progress`` None shows a progress bar on stderr only when stderr is a terminal.
    """

    timeout: float = 60.0
    retries: int = 4
    backoff: float = 1.0
    max_backoff: float = 30.0
    page_limit: int = 10_000
    progress: bool | None = None
    user_agent: str = "wijkbeeld/0.1 (python-urllib)"


@dataclass(frozen=True)
class ODataTable:
    """What was downloaded for one table: metadata, area names and the raw records."""

    table: str
    url: str
    info: Mapping[str, Any]
    properties: Sequence[Mapping[str, Any]]
    names: Mapping[str, str]
    records: Sequence[Mapping[str, Any]]
    filter: str | None = None
    select: tuple[str, ...] = field(default=())

    def property_keys(self, *types: str) -> list[str]:
        """Keys of the DataProperties of these types (``Topic``, ``Dimension``, ...)."""
        return [str(p["Key"]) for p in self.properties if p.get("Type") in types and p.get("Key")]


def _sleep_for(attempt: int, settings: HttpSettings, retry_after: str | None) -> float:
    wait = settings.backoff * 2.0**attempt
    if retry_after and retry_after.strip().isdigit():
        wait = max(wait, float(retry_after.strip()))
    return min(wait, settings.max_backoff)


def _get(url: str, settings: HttpSettings, accept: str = "application/json") -> bytes:
    """GET ``url`` with retries; raises :class:`ODataError` when it keeps failing."""
    request = urllib.request.Request(
        url, headers={"Accept": accept, "User-Agent": settings.user_agent}
    )
    attempts = settings.retries + 1
    last = ""
    for attempt in range(attempts):
        retry_after: str | None = None
        try:
            with urllib.request.urlopen(request, timeout=settings.timeout) as response:
                body: bytes = response.read()
                return body
        except urllib.error.HTTPError as exc:
            if exc.code not in _RETRY_STATUS:
                detail = _error_text(exc)
                raise ODataError(url, f"HTTP {exc.code} {exc.reason}{detail}") from exc
            last = f"HTTP {exc.code} {exc.reason}"
            retry_after = exc.headers.get("Retry-After") if exc.headers else None
        except urllib.error.URLError as exc:
            last = f"connection failed ({exc.reason})"
        except (TimeoutError, ConnectionError, http.client.HTTPException) as exc:
            last = f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__
        if attempt + 1 < attempts:
            time.sleep(_sleep_for(attempt, settings, retry_after))
    raise ODataError(url, f"no answer after {attempts} attempts; last: {last}")


def http_get(url: str, settings: HttpSettings = HttpSettings(), accept: str = "application/json"
             ) -> bytes:
    """GET ``url`` with the retries, backoff and timeout of ``settings`` (also used for the PDOK
    boundaries); raises :class:`ODataError` naming the URL when it keeps failing."""
    return _get(url, settings, accept)


def _error_text(exc: urllib.error.HTTPError) -> str:
    """The message of an OData error body, if there is one."""
    try:
        doc = json.loads(exc.read() or b"{}")
        value = doc["odata.error"]["message"]["value"]
    except (ValueError, KeyError, TypeError, OSError):
        return ""
    return f": {value}"


def _json(url: str, body: bytes) -> dict[str, Any]:
    try:
        # Numbers stay text, exactly as the server wrote them; wide_to_table parses them.
        doc = json.loads(body.decode("utf-8-sig"), parse_float=str, parse_int=str)
    except UnicodeDecodeError as exc:
        raise ODataError(url, f"the answer is not UTF-8 text ({exc})") from exc
    except json.JSONDecodeError as exc:
        raise ODataError(
            url, f"malformed JSON from the server: {exc.msg} (line {exc.lineno}, column "
            f"{exc.colno})", exc.lineno,
        ) from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("value"), list):
        raise ODataError(url, "the answer is not an OData feed (no 'value' list)")
    return doc


def _url(base: str, params: Mapping[str, str]) -> str:
    query = urllib.parse.urlencode(params, quote_via=urllib.parse.quote, safe="$',()")
    return f"{base}?{query}"


def _with_skip(url: str, skip: int) -> str:
    parts = urllib.parse.urlsplit(url)
    query = [(k, v) for k, v in urllib.parse.parse_qsl(parts.query) if k != "$skip"]
    query.append(("$skip", str(skip)))
    encoded = urllib.parse.urlencode(query, quote_via=urllib.parse.quote, safe="$',()")
    return urllib.parse.urlunsplit(parts._replace(query=encoded))


def _pages(url: str, settings: HttpSettings) -> Iterator[list[dict[str, Any]]]:
    """Every page of a feed, following ``odata.nextLink`` (or ``$skip`` after a full page)."""
    seen = 0
    next_url: str | None = url
    while next_url is not None:
        current = next_url
        doc = _json(current, _get(current, settings))
        rows = [r for r in doc["value"] if isinstance(r, dict)]
        seen += len(rows)
        yield rows
        link = doc.get("odata.nextLink")
        if isinstance(link, str) and link:
            next_url = urllib.parse.urljoin(current, link)
        elif len(rows) == settings.page_limit and "$top" not in url:
            next_url = _with_skip(url, seen)
        else:
            next_url = None


def _fetch_all(url: str, settings: HttpSettings, desc: str | None = None) -> list[dict[str, Any]]:
    """Every record of a feed; with ``desc``, a progress bar on stderr counts them."""
    if desc is None:
        return [row for page in _pages(url, settings) for row in page]
    disable = None if settings.progress is None else not settings.progress
    records: list[dict[str, Any]] = []
    with tqdm(desc=desc, unit=" rijen", file=sys.stderr, disable=disable, leave=False) as bar:
        for page in _pages(url, settings):
            records.extend(page)
            bar.update(len(page))
    return records


def municipality_filter(code: str, column: str = CODE_COLUMN) -> str:
    """The ``$filter`` for a gemeente and its wijken and buurten."""
    need = f"--municipality needs a gemeente code such as GM0363, not {code.strip()!r}"
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise ValueError(need) from exc
    if parsed.level is not Level.MUNICIPALITY:
        raise ValueError(need)
    digits = parsed.code[2:]
    return " or ".join(f"startswith({column},'{p}{digits}')" for p in ("GM", "WK", "BU"))


def _one(url: str, doc_rows: list[dict[str, Any]], what: str) -> dict[str, Any]:
    if not doc_rows:
        raise ODataError(url, f"the table has no {what}")
    return doc_rows[0]


def download_table(
    table: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    municipality: str | None = None,
    catalogue: Catalogue | None = None,
    skip_unknown: bool = False,
    dataset: str = "TypedDataSet",
    settings: HttpSettings = HttpSettings(),
) -> ODataTable:
    """Download one table's metadata, area names and records (see the module docstring)."""
    cat = catalogue or load_catalogue()
    if municipality is not None:
        municipality_filter(municipality)  # a wrong code fails before any request
    root = f"{base_url.rstrip('/')}/{urllib.parse.quote(table.strip())}"
    fmt = {"$format": "json"}
    info_url = _url(f"{root}/TableInfos", fmt)
    info = _one(info_url, _fetch_all(info_url, settings), "TableInfos")
    props_url = _url(f"{root}/DataProperties", fmt)
    properties = _fetch_all(props_url, settings)
    geo = next((p for p in properties if p.get("Type") == "GeoDimension"), None)
    if geo is None:
        raise ODataError(props_url, "the table has no geo dimension (areas); cannot import it")
    geo_key = str(geo["Key"])
    dimensions = {str(p["Key"]) for p in properties if "Dimension" in str(p.get("Type", ""))}

    numeric = [
        str(p["Key"]) for p in properties
        if p.get("Type") == "Topic" and str(p.get("Datatype")) in _NUMERIC
    ]
    unknown = [k for k in numeric if cat.lookup(k) is None]
    select: tuple[str, ...] = ()
    if unknown and not skip_unknown:
        raise DataError(
            [
                Problem(
                    props_url, None, k,
                    "column not in the indicator catalogue; add it to a catalogue file "
                    "or pass --skip-unknown",
                )
                for k in unknown
            ]
        )
    if unknown:
        keep = [
            str(p["Key"]) for p in properties
            if p.get("Key") and (
                str(p["Key"]) in dimensions
                or (p.get("Type") == "Topic" and str(p["Key"]) not in unknown
                    and (str(p.get("Datatype")) in _NUMERIC
                         or column_stem(str(p["Key"])) in TEXT_TOPICS))
            )
        ]
        select = ("ID", *keep)

    filters: list[str] = []
    name_filter: str | None = None
    if municipality is not None:
        filters.append(f"({municipality_filter(municipality, geo_key)})")
        name_filter = municipality_filter(municipality, "Key")
    if MARGIN_COLUMN in dimensions:
        filters.append(f"{MARGIN_COLUMN} eq '{VALUE_MARGIN}'")
    row_filter = " and ".join(filters) if filters else None

    names_params = dict(fmt)
    if name_filter:
        names_params["$filter"] = name_filter
    names_url = _url(f"{root}/{urllib.parse.quote(geo_key)}", names_params)
    names = {
        str(r.get("Key", "")).strip().upper(): str(r.get("Title") or "").strip()
        for r in _fetch_all(names_url, settings)
    }

    data_params = dict(fmt)
    if row_filter:
        data_params["$filter"] = row_filter
    if select:
        data_params["$select"] = ",".join(select)
    data_url = _url(f"{root}/{dataset}", data_params)
    records = _fetch_all(data_url, settings, f"{table} downloaden")
    return ODataTable(
        table=table, url=data_url, info=info, properties=properties, names=names,
        records=records, filter=row_filter, select=select,
    )


def _frame(records: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """Records as a frame of text cells (null becomes an empty cell)."""
    columns: list[str] = []
    for rec in records[:1] or []:
        columns = [k for k in rec if "." not in k]  # skip odata.* annotations
    data: dict[str, list[str]] = {}
    for col in columns:
        data[col] = [
            "" if v is None else (v if isinstance(v, str) else json.dumps(v))
            for v in (rec.get(col) for rec in records)
        ]
    return pd.DataFrame(data, dtype=object)


def _sha256(table: ODataTable) -> str:
    digest = hashlib.sha256()
    head = {"table": table.table, "filter": table.filter, "select": table.select}
    digest.update(json.dumps(head, sort_keys=True).encode())
    for rec in table.records:
        digest.update(json.dumps(rec, sort_keys=True, ensure_ascii=False).encode())
        digest.update(b"\n")
    return digest.hexdigest()


def _map_year(properties: Sequence[Mapping[str, Any]]) -> int | None:
    geo = next((p for p in properties if p.get("Type") == "GeoDimension"), None)
    raw = str((geo or {}).get("MapYear") or "").strip()
    return int(raw) if raw.isdigit() else None


def odata_to_table(
    downloaded: ODataTable,
    *,
    catalogue: Catalogue,
    skip_unknown: bool = False,
    boundary_year: int | None = None,
) -> FigureTable:
    """Validate downloaded records into a :class:`FigureTable` (no network)."""
    url = downloaded.url
    if not downloaded.records:
        raise ODataError(url, "the table (with this filter) holds no rows")
    wide = _frame(downloaded.records)
    props = downloaded.properties
    geo_key = downloaded.property_keys("GeoDimension")[0]
    time_keys = downloaded.property_keys("TimeDimension")
    renames = {geo_key: CODE_COLUMN}
    if time_keys:
        renames[time_keys[0]] = PERIOD_COLUMN
    wide = wide.rename(columns={k: v for k, v in renames.items() if k != v})

    other = [
        k for k in downloaded.property_keys("Dimension")
        if k not in {AGE_COLUMN, MARGIN_COLUMN} and k in wide.columns
    ]
    for key in other:
        values = sorted(set(wide[key].str.strip()))
        if len(values) > 1:
            raise ODataError(
                url,
                f"dimension {key!r} holds several categories ({', '.join(values[:5])}); "
                "wijkbeeld stores one figure per area, indicator and period: filter on one",
            )
    figure_columns = frozenset(
        str(p["Key"]) for p in props
        if p.get("Type") == "Topic" and str(p.get("Datatype")) in _NUMERIC
    )
    period: str | None = None
    if not time_keys:
        period = str(downloaded.info.get("Period") or "").strip() or None
    title = str(downloaded.info.get("Title") or "").strip()
    info = TypedInput(
        file=url,
        sha256=_sha256(downloaded),
        reader="cbs_odata",
        first_row=1,
        figure_columns=figure_columns,
        names=downloaded.names,
        period=period,
        boundary_year=boundary_year if boundary_year is not None else _map_year(props),
        source=None,
    )
    table = typed_to_table(wide, info, catalogue=catalogue, skip_unknown=skip_unknown)
    source = _source(table.source, title)
    if source == table.source:
        return table
    return FigureTable(
        file=table.file, sha256=table.sha256, source=source,
        boundary_year=table.boundary_year, frame=table.frame, reader=table.reader,
        indicators=table.indicators, warnings=table.warnings,
    )


def _source(catalogue_source: str, title: str) -> str:
    """The attribution with the table's own title: "CBS, Kerncijfers wijken en buurten 2024"."""
    if not title:
        return catalogue_source
    publisher, _, name = catalogue_source.partition(", ")
    if name and name.casefold() in title.casefold():
        return f"{publisher}, {title}"
    return f"{catalogue_source} ({title})"


def read_odata_table(
    table: str,
    *,
    base_url: str = DEFAULT_BASE_URL,
    municipality: str | None = None,
    catalogue: Catalogue | None = None,
    skip_unknown: bool = False,
    boundary_year: int | None = None,
    dataset: str = "TypedDataSet",
    settings: HttpSettings = HttpSettings(),
) -> FigureTable:
    """Download a CBS OData table and validate it into a :class:`FigureTable`.

    ``dataset`` may be ``"UntypedDataSet"``, which keeps CBS's ``.`` for suppressed cells (the
    TypedDataSet has null for both suppressed and missing; those are stored as missing).
    Raises :class:`ODataError` for network trouble and :class:`DataError` for bad content.
    """
    cat = catalogue or load_catalogue()
    try:
        downloaded = download_table(
            table, base_url=base_url, municipality=municipality, catalogue=cat,
            skip_unknown=skip_unknown, dataset=dataset, settings=settings,
        )
    except ValueError as exc:
        if isinstance(exc, DataError):
            raise
        raise DataError.single(table, str(exc)) from exc
    return odata_to_table(
        downloaded, catalogue=cat, skip_unknown=skip_unknown, boundary_year=boundary_year
    )
