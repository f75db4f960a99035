"""The whole country, every year: import, profiles, hotspots and the national map, timed.

Generates the synthetic national set (:mod:`national_data`: ~15,000 buurten, ~3,500 wijken, 350
gemeenten, 60 indicators, 2015-2024) and imports it, with the real RIVM national workbook, into a
fresh database through wijkbeeld's own importers; then runs the pipeline an instance serves:

1. **import** (read + validate + store, all files) beside reading the same files with pandas
   (and geopandas for the boundaries);
2. **profiles and theme scores**: the stored figures of every buurt, all years, loaded and
   compared with ``compare_all`` (reference: the municipality; theme scores and highlights
   included) beside a plain pandas groupby computing only the z-scores;
3. **hotspots for every municipality** (Local Moran's I, Gi*, global Moran's I; 999
   permutations): ``area_layer`` + ``wijkbeeld.spatial.hotspots`` per gemeente, beside building
   libpysal's Queen graph and calling esda directly on the same shapes and values;
4. **the national map payload**: every buurt, simplified (25 m, RD New) and quantised (5
   decimals, ~1 m), with one value: bytes raw and gzipped (target < 3 MB transferred);
   then (4b) that layer as the map page's ``data.json`` served gzipped and drawn by the real
   ``map.js`` + Leaflet in headless Chromium (bytes transferred, navigation to all areas
   painted; target < 3 MB, < 3 s) beside a minimal Leaflet page (see :mod:`national_draw`;
   the app's map page is per municipality, this is the national view it would serve);
5. **an area page** with the national data loaded: p50/p95 of ``--page-requests`` warm requests
   of one buurt's page through Django's test client (target p95 < 150 ms).

Every step prints its wall time, the process's CPU time and its peak memory (``ru_maxrss``, the
process's high-water mark so far). Targets (issue 10): steps 2-4 under 60 s on 2 cores, peak
memory under 4 GB.

    .venv/bin/python benchmarks/national.py [--scale 0.1] [--postgres URL] [--keep DIR]

``--scale 0.1`` makes a tenth of the country (35 gemeenten, 1,500 buurten) for a smoke test.
The database is a new SQLite file (or a new PostgreSQL database made from ``--postgres``, dropped
afterwards). The machine's load average is printed: other work inflates wall times.
"""

from __future__ import annotations

import argparse
import gzip
import os
import resource
import shutil
import sys
import tempfile
import time
import uuid
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from national_data import BOUNDARY_YEAR, NationalData, generate  # noqa: E402

RAW = Path(os.environ.get("WIJKBEELD_RAW_DATA", HERE.parent.parent / "shared" / "data" / "raw"))
CHROMIUM = Path("/usr/bin/chromium")
RIVM = RAW / "rivm-gezondheidsmonitor-buurt" / "rivm_gezondheid_2020_18plus.xlsx"
YEAR = 2024
PERMUTATIONS, SEED = 999, 12345


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


CPU: dict[str, float] = {}


@contextmanager
def step(name: str, times: dict[str, float]) -> Iterator[None]:
    """Time a step (wall and CPU) and print it with the peak memory so far."""
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    times[name] = wall
    CPU[name] = cpu
    load = os.getloadavg()[0]
    print(f"  {name:<46} {wall:8.2f} s  (CPU {cpu:7.2f} s, peak RSS {_rss_mb():7.0f} MB, "
          f"load {load:.1f})", flush=True)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def _setup_django(tmp: Path, postgres: str | None) -> tuple[str, str | None]:
    os.environ["WIJKBEELD_DATABASE_URL"] = f"sqlite:///{tmp / 'national.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    os.environ["WIJKBEELD_DEBUG"] = "0"
    os.environ["WIJKBEELD_ALLOWED_HOSTS"] = "testserver,localhost"  # the test client's host
    made = None
    if postgres:
        import psycopg

        made = f"wijkbeeld_national_{uuid.uuid4().hex[:8]}"
        with psycopg.connect(postgres, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{made}"')
        base = postgres.rsplit("/", 1)[0]
        os.environ["WIJKBEELD_DATABASE_URL"] = f"{base}/{made}"
    import django
    from django.core.management import call_command

    django.setup()
    call_command("migrate", verbosity=0, interactive=False)
    return "default", made


def import_all(data: NationalData, times: dict[str, float]) -> None:
    """Step 1: the real import path, beside pandas reading the same files."""
    import geopandas as gpd

    from wijkbeeld.areas.geometry import read_boundaries
    from wijkbeeld.figures.catalogue import load_catalogue
    from wijkbeeld.figures.readers import read_figures
    from wijkbeeld.web.areas.store import store_boundaries
    from wijkbeeld.web.figures.store import store_table, sync_catalogue

    print("1. import")
    with step("baseline: pandas.read_csv of the 10 CSV files", times):
        cells = sum(pd.read_csv(p, sep=";").shape[0] * 60 for p in data.figures)
    with step("baseline: geopandas.read_file of the boundaries", times):
        gpd.read_file(data.boundaries)
    with step("wijkbeeld import boundaries (read+check+store)", times):
        store_boundaries(read_boundaries(data.boundaries, year=BOUNDARY_YEAR), who="bench")
    catalogue = load_catalogue([data.catalogue])
    with step(f"wijkbeeld import figures, {cells:,} cells", times):
        sync_catalogue(catalogue)
        for path in data.figures:
            store_table(read_figures(path, catalogue=catalogue), who="bench")
    if RIVM.exists():
        with step("baseline: pandas.read_excel RIVM (calamine)", times):
            rivm = pd.read_excel(RIVM, engine="calamine")
        with step(f"wijkbeeld import RIVM national ({rivm.shape[0]:,} rows)", times):
            store_table(read_figures(RIVM, catalogue=catalogue), who="bench")
    else:
        print(f"  (RIVM workbook {RIVM} not found: skipped)")


def plain_z(frame: pd.DataFrame) -> pd.Series:
    """z-scores only: (x - group mean) / group SD (ddof 0) per indicator, period, level and
    municipality, as the default reference groups them."""
    keys = [frame["indicator"], frame["period"], frame["level"], frame["municipality"]]
    grouped = frame["value"].groupby(keys)
    mean = grouped.transform("mean")
    sd = grouped.transform("std", ddof=0)
    return (frame["value"] - mean) / sd.where(sd > 0)


def profiles(times: dict[str, float]) -> None:
    """Step 2: every buurt of the country, every year, compared and scored per theme."""
    from wijkbeeld.compare import CompareOptions, compare_all
    from wijkbeeld.web.figures.loading import figures_frame

    print("2. profiles and theme scores (every buurt, every year)")
    with step("load stored figures (figures_frame)", times):
        figures = figures_frame(level="neighbourhood")
    frame = figures.frame
    with step(f"baseline: plain pandas groupby z ({len(frame):,} cells)", times):
        plain = plain_z(frame)
    with step("wijkbeeld compare_all (z, bands, theme scores)", times):
        result = compare_all(figures, CompareOptions(reference="municipality"))
    print(f"  ({len(result.results):,} result rows, {len(result.themes):,} theme scores; "
          f"{int(plain.notna().sum()):,} plain z-scores)")


def hotspots_all(times: dict[str, float], limit: int | None) -> None:
    """Step 3: hotspots of one indicator for every municipality, beside esda directly."""
    import esda
    from libpysal.graph import Graph

    from wijkbeeld.spatial import SpatialOptions, hotspots
    from wijkbeeld.web.areas.geodata import area_layer
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import Indicator

    indicator = (Indicator.objects.filter(key__startswith="nl_synth_")
                 .exclude(polarity="neutral").order_by("key").first())
    assert indicator is not None
    municipalities = sorted(set(Area.objects.filter(level="municipality", code__startswith="GM",
                                                    boundary_year=BOUNDARY_YEAR)
                                .values_list("code", flat=True)))[:limit]
    print(f"3. hotspots of {indicator.key} ({YEAR}) for {len(municipalities)} municipalities")
    layers: list[Any] = []
    t_load = t_ours = t_esda = 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    cpu_ours = 0.0
    significant = 0
    for gm in municipalities:
        c = time.process_time()
        t, layer = _timed(lambda gm=gm: area_layer(gm, YEAR, indicator=indicator.key))
        t_load += t
        options = SpatialOptions(polarity=layer.polarity, permutations=PERMUTATIONS, seed=SEED)
        if len(layer.areas) < options.min_areas:
            continue
        t, result = _timed(lambda layer=layer, o=options: hotspots(layer.areas, "value", o))
        t_ours += t
        cpu_ours += time.process_time() - c
        significant += result.n_significant
        areas = layer.areas.to_crs("EPSG:28992")

        def direct(areas: Any = areas) -> Any:
            w = Graph.build_contiguity(areas, rook=False).transform("r")
            y = areas["value"].to_numpy()
            common = {"permutations": PERMUTATIONS, "seed": SEED, "n_jobs": 1,
                      "keep_simulations": False}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                esda.Moran_Local(y, w, **common)
                esda.G_Local(y, w, star=True, **common)
                esda.Moran(y, w, permutations=PERMUTATIONS)

        t, _ = _timed(direct)
        t_esda += t
        layers.append(layer)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    times["hotspots (load + compute)"] = t_load + t_ours
    CPU["hotspots (load + compute)"] = cpu_ours
    print(f"  {'load layers from the database (area_layer)':<46} {t_load:8.2f} s")
    print(f"  {'wijkbeeld.spatial.hotspots (graph + 3 tests)':<46} {t_ours:8.2f} s")
    print(f"  {'baseline: libpysal Queen graph + esda direct':<46} {t_esda:8.2f} s  "
          f"(ratio {t_ours / max(t_esda, 1e-9):.2f})")
    print(f"  ({significant:,} significant areas; step wall {wall:.1f} s incl. baseline, CPU "
          f"{cpu:.1f} s, peak RSS {_rss_mb():.0f} MB)")


def national_map(times: dict[str, float]) -> tuple[Any, list[tuple[str, str]]]:
    """Step 4: the national choropleth payload of every buurt; returns the layer and the
    stored (code, shape) rows for step 4b."""
    import geopandas as gpd
    import shapely

    from wijkbeeld.spatial import map_payload
    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import Observation

    print("4. national map payload (every buurt)")
    with step("wijkbeeld: load shapes + values, map_payload", times):
        rows = list(Area.objects.filter(level="neighbourhood", boundary_year=BOUNDARY_YEAR)
                    .exclude(geometry="").order_by("code").values_list("code", "geometry"))
        values = dict(Observation.objects.filter(
            area__level="neighbourhood", indicator__key="nl_synth_00", period=str(YEAR))
            .values_list("area__code", "value"))
        frame = gpd.GeoDataFrame(
            {"value": [values.get(code) for code, _ in rows]},
            geometry=list(shapely.from_geojson([g for _, g in rows])),
            index=pd.Index([c for c, _ in rows], name="area"), crs="EPSG:4326")
        payload = map_payload(frame, ["value"], tolerance_m=25.0, decimals=5)
    zipped = gzip.compress(payload, 6)
    full = sum(len(g) for _, g in rows)
    print(f"  {len(rows):,} buurten: stored full shapes {full / 1e6:.1f} MB; payload "
          f"{len(payload) / 1e6:.2f} MB raw, {len(zipped) / 1e6:.2f} MB gzip (target < 3 MB)")
    return frame, rows


def draw_map(frame: Any, rows: list[tuple[str, str]], runs: int) -> None:
    """Step 4b: the map page's data.json of every buurt drawn by map.js + Leaflet in Chromium."""
    from national_draw import draw, national_geojson, summary

    from wijkbeeld.web.areas.models import Area

    names = dict(Area.objects.filter(level="neighbourhood", boundary_year=BOUNDARY_YEAR)
                 .values_list("code", "name"))
    frame = frame.assign(name=[names.get(code, code) for code, _ in rows])
    page = national_geojson(frame, tolerance_m=25.0, decimals=5)
    print(f"4b. national map drawn in headless Chromium ({runs} cold loads each; data.json "
          f"{len(page) / 1e6:.2f} MB raw, {len(gzip.compress(page, 6)) / 1e6:.2f} MB gzip)")
    found = draw(page, len(rows), runs=runs)
    figures = summary(found)
    for name, label in (("app", "map.js + Leaflet (the map page)"),
                        ("baseline", "baseline: minimal Leaflet page")):
        median, worst, sent = figures[name]
        print(f"  {label:<46} {median / 1000:8.2f} s median, {worst / 1000:.2f} s max to "
              f"{len(rows):,} paths painted; {sent / 1e6:.2f} MB transferred"
              + (" (targets < 3 s, < 3 MB)" if name == "app" else ""))


def area_page(requests: int) -> None:
    """Step 5: p50/p95 of warm requests of one buurt's area page."""
    from django.test import Client

    from wijkbeeld.web.accounts.models import User
    from wijkbeeld.web.areas.models import Area

    code = (Area.objects.filter(level="neighbourhood", code__startswith="BU")
            .order_by("code").values_list("code", flat=True).first())
    user = (User.objects.filter(username="bench").first()
            or User.objects.create_user("bench", password=uuid.uuid4().hex, role="viewer"))
    client = Client()
    client.force_login(user)
    url = f"/gebied/{code}/{YEAR}/"
    t_cold, first = _timed(lambda: client.get(url))
    if first.status_code != 200:
        print(f"5. area page {url}: HTTP {first.status_code} (skipped)")
        return
    samples = []
    for _ in range(requests):
        t, _ = _timed(lambda: client.get(url))
        samples.append(t * 1000)
    p50, p95 = np.percentile(samples, [50, 95])
    print(f"5. area page {url}: cold {t_cold * 1000:.0f} ms; warm p50 {p50:.0f} ms, "
          f"p95 {p95:.0f} ms over {requests} requests (target p95 < 150 ms)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the country")
    parser.add_argument("--postgres", help="admin URL: import into a new PostgreSQL database")
    parser.add_argument("--keep", type=Path, help="keep the generated files and database here")
    parser.add_argument("--municipalities", type=int, help="hotspots for only the first N")
    parser.add_argument("--page-requests", type=int, default=50)
    parser.add_argument("--draw-runs", type=int, default=3,
                        help="cold loads of the national map in Chromium (0: skip)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep DIR of an earlier run: skip generation and import")
    args = parser.parse_args(argv)
    tmp = args.keep or Path(tempfile.mkdtemp(prefix="wijkbeeld-national-"))
    tmp.mkdir(parents=True, exist_ok=True)
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"{time.strftime('%Y-%m-%d %H:%M')} UTC; {os.cpu_count()} cores; load average {load}")
    times: dict[str, float] = {}
    made = None
    try:
        reuse = bool(args.reuse and args.keep and (tmp / "national.sqlite3").exists())
        if not reuse:
            with step(f"generate the national set (scale {args.scale})", times):
                data = generate(tmp / "data", args.scale)
            counts = data.areas["level"].value_counts()
            print(f"  {counts['municipality']:,} gemeenten, {counts['district']:,} wijken, "
                  f"{counts['neighbourhood']:,} buurten; {data.n_indicators} indicators x "
                  f"{len(data.figures)} years")
        alias, made = _setup_django(tmp, None if reuse else args.postgres)
        print(f"database: {alias} ({'PostgreSQL ' + made if made else 'SQLite'})")
        if reuse:
            print(f"1. import skipped: reusing the database in {tmp}")
        else:
            import_all(data, times)
        start = time.perf_counter()
        profiles(times)
        hotspots_all(times, args.municipalities)
        frame, rows = national_map(times)
        parts = ("load stored figures (figures_frame)",
                 "wijkbeeld compare_all (z, bands, theme scores)", "hotspots (load + compute)",
                 "wijkbeeld: load shapes + values, map_payload")
        pipeline = sum(times[p] for p in parts)
        pipeline_cpu = sum(CPU[p] for p in parts)
        print(f"pipeline (steps 2-4, wijkbeeld side, import excluded): {pipeline:.1f} s wall, "
              f"{pipeline_cpu:.1f} s CPU (target < 60 s); with baselines "
              f"{time.perf_counter() - start:.1f} s; peak RSS {_rss_mb():.0f} MB "
              f"(target < 4096 MB); load average now {os.getloadavg()[0]:.1f}")
        if args.draw_runs and CHROMIUM.exists():
            draw_map(frame, rows, args.draw_runs)
        area_page(args.page_requests)
    finally:
        from django.db import connections

        connections.close_all()
        if made and args.postgres:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{made}"')
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
