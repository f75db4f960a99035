"""Download CBS wijk and buurt boundaries from PDOK (OGC API Features), for users with internet.

``download_boundaries(2024, municipality="GM0363")`` asks
``https://api.pdok.nl/cbs/wijken-en-buurten-2024/ogc/v1/collections/buurten/items?f=json&limit=1000
&gemeentecode=GM0363`` and follows the ``next`` link of every page (OGC API Features, Part 1) until
there is none. Each page is GeoJSON in WGS84 lon/lat (CRS84); the features keep their PDOK
properties (``buurtcode``, ``buurtnaam``, ``wijkcode``, ``gemeentecode``, ...), which
:func:`wijkbeeld.areas.geometry.read_boundaries` recognises, so the written file can be imported
with ``wijkbeeld import areas FILE --year 2024``.

Requests go through :func:`wijkbeeld.figures.odata.http_get`: a timeout per request and retries
with exponential backoff on 5xx, 429, connection errors and timeouts; a request that keeps
failing, or an answer that is not a GeoJSON FeatureCollection, raises
:class:`BoundaryDownloadError` naming the URL. A progress bar on stderr counts the features
(``numberMatched`` is the total when the server gives it).
"""

from __future__ import annotations

import json
import sys
import urllib.parse
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from tqdm import tqdm

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.figures.errors import DataError, Problem
from wijkbeeld.figures.odata import HttpSettings, http_get

__all__ = [
    "COLLECTIONS",
    "DEFAULT_PDOK_URL",
    "BoundaryDownload",
    "BoundaryDownloadError",
    "boundaries_url",
    "download_boundaries",
    "write_boundaries",
]

#: ``{year}`` is the boundary year (indeling); PDOK publishes one API per year.
DEFAULT_PDOK_URL = "https://api.pdok.nl/cbs/wijken-en-buurten-{year}/ogc/v1"
#: wijkbeeld level → PDOK collection, with the property holding the code.
COLLECTIONS: dict[str, tuple[str, str]] = {
    "neighbourhood": ("buurten", "buurtcode"),
    "district": ("wijken", "wijkcode"),
    "municipality": ("gemeenten", "gemeentecode"),
}
_GEOJSON = "application/geo+json, application/json;q=0.9"


class BoundaryDownloadError(DataError):
    """A PDOK request that failed for good, or answered with something that is not GeoJSON."""

    def __init__(self, url: str, message: str) -> None:
        super().__init__([Problem(url, None, None, message)])
        self.url = url


@dataclass(frozen=True)
class BoundaryDownload:
    """The features of one collection and year (WGS84), and where they came from."""

    year: int
    level: str
    url: str
    code_field: str
    frame: gpd.GeoDataFrame = field(repr=False)
    pages: int = 1

    @property
    def source(self) -> str:
        """The attribution: "CBS/PDOK, Wijken en buurten 2024 (buurten)"."""
        return f"CBS/PDOK, Wijken en buurten {self.year} ({COLLECTIONS[self.level][0]})"


def boundaries_url(
    year: int, *, level: str = "neighbourhood", municipality: str | None = None,
    base_url: str | None = None, limit: int = 1000,
) -> str:
    """The first ``items`` URL of a download (see the module docstring)."""
    if not 2000 <= year <= 2100:
        raise ValueError(f"--year must be a boundary year such as 2024, not {year}")
    if level not in COLLECTIONS:
        raise ValueError(f"level must be one of {', '.join(COLLECTIONS)}, not {level!r}")
    root = (base_url or DEFAULT_PDOK_URL).format(year=year).rstrip("/")
    params = {"f": "json", "limit": str(limit)}
    if municipality is not None:
        need = f"--municipality needs a gemeente code such as GM0363, not {municipality!r}"
        try:
            parsed = parse_code(municipality)
        except InvalidAreaCode as exc:
            raise ValueError(need) from exc
        if parsed.level is not Level.MUNICIPALITY:
            raise ValueError(need)
        params["gemeentecode"] = parsed.code
    collection = COLLECTIONS[level][0]
    return f"{root}/collections/{collection}/items?{urllib.parse.urlencode(params)}"


def _page(url: str, body: bytes) -> dict[str, Any]:
    try:
        doc = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise BoundaryDownloadError(url, f"the answer is not JSON ({exc})") from exc
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection" or not isinstance(
        doc.get("features"), list
    ):
        raise BoundaryDownloadError(url, "the answer is not a GeoJSON FeatureCollection")
    return doc


def _next(doc: Mapping[str, Any], current: str) -> str | None:
    for link in doc.get("links") or []:
        if isinstance(link, dict) and link.get("rel") == "next" and link.get("href"):
            return urllib.parse.urljoin(current, str(link["href"]))
    return None


def _pages(url: str, settings: HttpSettings) -> Iterator[dict[str, Any]]:
    seen: set[str] = set()
    next_url: str | None = url
    while next_url is not None:
        if next_url in seen:
            raise BoundaryDownloadError(next_url, "the 'next' links go round in a circle")
        seen.add(next_url)
        current = next_url
        try:
            body = http_get(current, settings, accept=_GEOJSON)
        except DataError as exc:
            message = "; ".join(p.message for p in exc.problems)
            raise BoundaryDownloadError(current, message) from exc
        doc = _page(current, body)
        yield doc
        next_url = _next(doc, current)


def download_boundaries(
    year: int,
    *,
    level: str = "neighbourhood",
    municipality: str | None = None,
    base_url: str | None = None,
    limit: int = 1000,
    settings: HttpSettings | None = None,
) -> BoundaryDownload:
    """Every feature of the collection of ``year`` (optionally one municipality's), following
    the ``next`` links; raises :class:`BoundaryDownloadError` (or ValueError for bad options)."""
    url = boundaries_url(year, level=level, municipality=municipality, base_url=base_url,
                         limit=limit)
    settings = settings or HttpSettings()
    features: list[dict[str, Any]] = []
    disable = None if settings.progress is None else not settings.progress
    pages = 0
    with tqdm(desc=f"grenzen {year} downloaden", unit=" gebieden", file=sys.stderr,
              disable=disable, leave=False) as bar:
        for doc in _pages(url, settings):
            pages += 1
            total = doc.get("numberMatched")
            if isinstance(total, int) and bar.total is None:
                bar.total = total
            page = [f for f in doc["features"] if isinstance(f, dict)]
            features.extend(page)
            bar.update(len(page))
    code_field = COLLECTIONS[level][1]
    if not features:
        raise BoundaryDownloadError(url, "PDOK returned no areas (check --year and "
                                         "--municipality)")
    try:
        frame = gpd.GeoDataFrame.from_features(features, crs="OGC:CRS84")
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BoundaryDownloadError(url, f"unreadable features: {exc}") from exc
    if code_field not in frame.columns:
        raise BoundaryDownloadError(url, f"the features have no {code_field!r} property")
    frame = frame.to_crs("EPSG:4326")
    return BoundaryDownload(year, level, url, code_field, frame, pages)


def write_boundaries(download: BoundaryDownload, path: Path | str) -> Path:
    """Write the download as GeoPackage (``.gpkg``) or GeoJSON (``.geojson``/``.json``), with
    the fields ``bron`` and ``jaar`` on every area (replacing an existing file)."""
    target = Path(path)
    suffix = target.suffix.lower()
    if suffix not in (".gpkg", ".geojson", ".json"):
        raise ValueError(f"{target}: write boundaries to .gpkg or .geojson, not {suffix!r}")
    frame = download.frame.copy()
    frame["bron"] = download.source
    frame["jaar"] = download.year
    target.parent.mkdir(parents=True, exist_ok=True)
    if target.exists():
        target.unlink()
    if suffix == ".gpkg":
        pyogrio.write_dataframe(frame.to_crs("EPSG:28992"), target, layer=COLLECTIONS[
            download.level][0], driver="GPKG")
    else:
        pyogrio.write_dataframe(frame, target, driver="GeoJSON", RFC7946="YES")
    return target
