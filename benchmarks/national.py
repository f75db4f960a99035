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
4. **the national map payload**: the app's national layer (``/kaart/nederland/``, one query
   for the shapes, one for the values), every buurt simplified (25 m, RD New) and quantised (5
   decimals, ~1 m), with one value: time cold and from the cache, bytes raw and gzipped (target
   < 3 MB transferred); then (4b) the app's page and ``data.json`` served by Django (signed in,
   gzipped as a front server would) and drawn by ``map.js`` + Leaflet in headless Chromium
   (bytes transferred, navigation to all areas painted; target < 3 MB, < 3 s) beside a minimal
   Leaflet page with the same GeoJSON (see :mod:`national_draw`);
5. **an area page** with the national data loaded: p50/p95 of ``--page-requests`` warm requests
   of one buurt's page through Django's test client (target p95 < 150 ms).

Every step prints its wall time, the process's CPU time and its peak memory (``ru_maxrss``, the
process's high-water mark so far). Targets (issue 10): steps 2-4 under 60 s on 2 cores, peak
memory under 4 GB.

    .venv/bin/python benchmarks/national.py [--scale 0.1] [--postgres URL] [--keep DIR]

``--scale 0.1`` makes a tenth of the country (35 gemeenten, 1,500 buurten) for a smoke test.
The database is a new SQLite file (or a new PostgreSQL database made from ``--postgres``, dropped
afterwards unless ``--keep`` is given; ``--keep DIR --reuse`` runs on the kept one). The
machine's load average is printed: other work inflates wall times.
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


class TreeMonitor:
    """Samples this process and every process below it (the forkserver and the worker
    processes) from /proc every 0.2 s: the peak of their summed resident memory and the CPU
    seconds each used (``ru_maxrss`` sees only this process, and CPU time of the workers is
    not in ``process_time``)."""

    def __init__(self) -> None:
        import threading

        self.peak_mb = 0.0
        self.cpu: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")
        self._page = os.sysconf("SC_PAGE_SIZE")
        self._thread.start()

    def _tree(self) -> list[tuple[int, list[str]]]:
        stats: dict[int, list[str]] = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    text = Path(f"/proc/{entry}/stat").read_text()
                except OSError:
                    continue
                stats[int(entry)] = text.rsplit(")", 1)[1].split()
        mine = {os.getpid()}
        grew = True
        while grew:
            grew = False
            for pid, fields in stats.items():
                if pid not in mine and int(fields[1]) in mine:
                    mine.add(pid)
                    grew = True
        return [(pid, stats[pid]) for pid in mine if pid in stats]

    def _run(self) -> None:
        while not self._stop.wait(0.2):
            rss = 0.0
            for pid, fields in self._tree():
                rss += int(fields[21]) * self._page / 2**20
                if pid != os.getpid():
                    self.cpu[pid] = (int(fields[11]) + int(fields[12])) / self._tick
            self.peak_mb = max(self.peak_mb, rss)

    def workers_cpu(self) -> float:
        return sum(self.cpu.values())

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


MONITOR: TreeMonitor | None = None


@contextmanager
def step(name: str, times: dict[str, float]) -> Iterator[None]:
    """Time a step (wall and CPU) and print it with the peak memory so far."""
    before = MONITOR.workers_cpu() if MONITOR else 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    yield
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    if MONITOR:
        time.sleep(0.3)  # one more sample of the workers' CPU before they are gone
        cpu += MONITOR.workers_cpu() - before
    times[name] = wall
    CPU[name] = cpu
    load = os.getloadavg()[0]
    tree = f", all processes {MONITOR.peak_mb:5.0f} MB" if MONITOR else ""
    print(f"  {name:<46} {wall:8.2f} s  (CPU {cpu:7.2f} s, peak RSS {_rss_mb():7.0f} MB{tree}, "
          f"load {load:.1f})", flush=True)


def _timed(fn: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


#: With ``--postgres --keep DIR`` the database is kept and its name written here (``--reuse``).
PG_NAME_FILE = "postgres-database"


def _setup_django(tmp: Path, postgres: str | None, reuse: bool,
                  keep: bool) -> tuple[str, str | None]:
    os.environ["WIJKBEELD_DATABASE_URL"] = f"sqlite:///{tmp / 'national.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wijkbeeld.web.settings")
    os.environ["WIJKBEELD_DEBUG"] = "0"
    os.environ["WIJKBEELD_ALLOWED_HOSTS"] = "testserver,localhost"  # the test client's host
    made = None
    if postgres:
        import psycopg

        if reuse:
            made = (tmp / PG_NAME_FILE).read_text().strip()
        else:
            made = f"wijkbeeld_national_{uuid.uuid4().hex[:8]}"
            with psycopg.connect(postgres, autocommit=True) as conn:
                conn.execute(f'CREATE DATABASE "{made}"')
            if keep:
                (tmp / PG_NAME_FILE).write_text(made)
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


def profiles(times: dict[str, float], workers: int) -> None:
    """Step 2: every buurt of the country, every year, loaded and compared per year
    (``compare_country``: one year per task on ``workers`` processes), the baseline timed on
    each year's frame as it arrives."""
    from wijkbeeld.compare import CompareOptions
    from wijkbeeld.web.figures.national import compare_country

    print(f"2. profiles and theme scores (every buurt, every year; {workers} worker processes)")
    rows = themes = highlights = plain_n = cells = 0
    baseline = 0.0
    name = f"load + compare_all per year ({workers} workers)"
    with step(name, times):
        for comparison in compare_country("neighbourhood", CompareOptions(reference="municipality"),
                                          workers=workers):
            frame = comparison.figures.frame
            t, plain = _timed(lambda frame=frame: plain_z(frame))
            baseline += t
            cells += len(frame)
            plain_n += int(plain.notna().sum())
            rows += len(comparison.results)
            themes += len(comparison.themes)
            highlights += len(comparison.highlights)
            del comparison, frame, plain  # one year at a time: keep memory flat
    times[name] -= baseline  # the baseline ran in this process while the workers compared
    print(f"  {'baseline: plain pandas groupby z, every year':<46} {baseline:8.2f} s  "
          f"({cells:,} cells; {plain_n:,} plain z-scores)")
    print(f"  ({rows:,} result rows, {themes:,} theme scores, {highlights:,} strengths and "
          f"challenges; step wall minus the baseline: {times[name]:.1f} s)")


def _hotspots_of(task: tuple[str, str]) -> tuple[str, float, float, float, int, Any] | None:
    """Step 3 for one municipality, in a worker process: ``area_layer`` + ``hotspots``, each
    timed, and the CPU time of both; the areas go back for the baseline. ``None`` when the
    municipality has too few areas to test."""
    from wijkbeeld.spatial import SpatialOptions, hotspots
    from wijkbeeld.web.areas.geodata import area_layer

    gm, key = task
    cpu = time.process_time()
    t_load, layer = _timed(lambda: area_layer(gm, YEAR, indicator=key))
    options = SpatialOptions(polarity=layer.polarity, permutations=PERMUTATIONS, seed=SEED)
    if len(layer.areas) < options.min_areas:
        return None
    t_ours, result = _timed(lambda: hotspots(layer.areas, "value", options))
    return gm, t_load, t_ours, time.process_time() - cpu, result.n_significant, layer.areas


def hotspots_all(times: dict[str, float], limit: int | None, workers: int | None = None) -> None:
    """Step 3: hotspots of one indicator for every municipality, beside esda directly.

    The municipalities are spread over ``workers`` processes (default: one per core;
    ``wijkbeeld.web.workers.map_in_workers``), each loading its own layers; every call seeds
    its own permutations, so the results are those of one process. The step's wall time is the
    pipeline's; the baseline then runs here, serially, on the same areas, and the ratio
    compares it with the sum of the per-call times of ``hotspots`` (serial-equivalent)."""
    import esda
    from libpysal.graph import Graph

    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.figures.models import Indicator
    from wijkbeeld.web.workers import map_in_workers, usable_workers

    indicator = (Indicator.objects.filter(key__startswith="nl_synth_")
                 .exclude(polarity="neutral").order_by("key").first())
    assert indicator is not None
    municipalities = sorted(set(Area.objects.filter(level="municipality", code__startswith="GM",
                                                    boundary_year=BOUNDARY_YEAR)
                                .values_list("code", flat=True)))[:limit]
    count = usable_workers(workers)
    print(f"3. hotspots of {indicator.key} ({YEAR}) for {len(municipalities)} municipalities "
          f"({count} worker processes)")
    tasks = [(gm, indicator.key) for gm in municipalities]
    with step("hotspots (load + compute)", times):
        done = [r for r in map_in_workers(_hotspots_of, tasks, workers=count) if r is not None]
    t_load = sum(r[1] for r in done)
    t_ours = sum(r[2] for r in done)
    significant = sum(r[4] for r in done)
    t_esda = 0.0
    for *_, areas in done:
        projected = areas.to_crs("EPSG:28992")

        def direct(areas: Any = projected) -> Any:
            w = Graph.build_contiguity(areas, rook=False).transform("r")
            y = areas["value"].to_numpy()
            # Like for like: the same two-sided test wijkbeeld runs (esda's default is the
            # older "directed" rule, about 20 % cheaper).
            common = {"permutations": PERMUTATIONS, "seed": SEED, "n_jobs": 1,
                      "keep_simulations": False, "alternative": "two-sided"}
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                esda.Moran_Local(y, w, **common)
                esda.G_Local(y, w, star=True, **common)
                esda.Moran(y, w, permutations=PERMUTATIONS)

        t, _ = _timed(direct)
        t_esda += t
    print(f"  {'load layers (area_layer), sum of calls':<46} {t_load:8.2f} s")
    print(f"  {'wijkbeeld.spatial.hotspots, sum of calls':<46} {t_ours:8.2f} s  "
          f"(CPU of load + compute {sum(r[3] for r in done):.1f} s)")
    print(f"  {'baseline: libpysal Queen graph + esda direct':<46} {t_esda:8.2f} s  "
          f"(ratio {t_ours / max(t_esda, 1e-9):.2f}; both two-sided)")
    print(f"  ({significant:,} significant areas in {len(done)} municipalities)")


def national_map(times: dict[str, float]) -> tuple[str, int]:
    """Step 4: the app's national layer of every buurt (what ``/kaart/nederland/data.json``
    serves: one query for the shapes, one for the values, quantile classes, payload), cold and
    then from the cache; returns the page URL and the number of buurten for step 4b."""
    from django.db.models import Sum
    from django.db.models.functions import Length

    from wijkbeeld.web.areas.models import Area
    from wijkbeeld.web.pages import national_map as view
    from wijkbeeld.web.pages.profile_cache import clear_caches, import_stamp

    print("4. national map payload (every buurt: the app's /kaart/nederland/ layer)")
    indicator = "nl_synth_00"
    clear_caches()  # the shared cache table survives in a --reuse database
    view.NATIONAL.clear()
    view.CHOICES.clear()
    key = view.NationalKey(import_stamp(), "default", "neighbourhood", indicator, YEAR)
    with step("wijkbeeld: load shapes + values, map_payload", times):
        found = view.national_map(key)
    warm, _ = _timed(lambda: view.national_map(key))
    with step("form choices (national_choices, one scan)", times):
        view.national_choices("neighbourhood", found.boundary_year)
    raw = len(gzip.decompress(found.features_gz))
    full = Area.objects.filter(level="neighbourhood", boundary_year=found.boundary_year) \
        .aggregate(n=Sum(Length("geometry")))["n"] or 0
    print(f"  {found.n_areas:,} buurten: stored full shapes {full / 1e6:.1f} MB; payload "
          f"{raw / 1e6:.2f} MB raw, {len(found.features_gz) / 1e6:.2f} MB gzip (target < 3 MB); "
          f"second request from the cache {warm * 1000:.0f} ms")
    url = f"/kaart/nederland/?niveau=neighbourhood&variabele={indicator}&jaar={YEAR}"
    return url, found.n_areas


def draw_map(url: str, n_areas: int, runs: int) -> None:
    """Step 4b: the app's national map page (Django, signed in) drawn by map.js + Leaflet in
    Chromium, beside a minimal Leaflet page with the same GeoJSON."""
    from national_draw import draw, summary

    print(f"4b. national map drawn in headless Chromium ({runs} cold loads each; {url})")
    found = draw(url, n_areas, runs=runs)
    data = found["app"][0]["data_bytes"]
    print(f"  data.json {data / 1e6:.2f} MB transferred (gzip)")
    figures = summary(found)
    for name, label in (("app", "the app's /kaart/nederland/ (map.js + Leaflet)"),
                        ("baseline", "baseline: minimal Leaflet page")):
        median, worst, sent = figures[name]
        print(f"  {label:<46} {median / 1000:8.2f} s median, {worst / 1000:.2f} s max to "
              f"{n_areas:,} paths painted; {sent / 1e6:.2f} MB transferred"
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
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1,
                        help="processes for the national comparison and the hotspots "
                             "(default: one per core)")
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
    global MONITOR
    MONITOR = TreeMonitor()
    try:
        kept = tmp / (PG_NAME_FILE if args.postgres else "national.sqlite3")
        reuse = bool(args.reuse and args.keep and kept.exists())
        if not reuse:
            with step(f"generate the national set (scale {args.scale})", times):
                data = generate(tmp / "data", args.scale)
            counts = data.areas["level"].value_counts()
            print(f"  {counts['municipality']:,} gemeenten, {counts['district']:,} wijken, "
                  f"{counts['neighbourhood']:,} buurten; {data.n_indicators} indicators x "
                  f"{len(data.figures)} years")
        alias, made = _setup_django(tmp, args.postgres, reuse, args.keep is not None)
        print(f"database: {alias} ({'PostgreSQL ' + made if made else 'SQLite'})")
        if reuse:
            print(f"1. import skipped: reusing the database in {tmp}")
        else:
            import_all(data, times)
        start = time.perf_counter()
        profiles(times, args.workers)
        hotspots_all(times, args.municipalities, args.workers)
        map_url, n_buurten = national_map(times)
        parts = (f"load + compare_all per year ({args.workers} workers)",
                 "hotspots (load + compute)",
                 "wijkbeeld: load shapes + values, map_payload")
        pipeline = sum(times[p] for p in parts)
        pipeline_cpu = sum(CPU[p] for p in parts)
        print(f"pipeline (steps 2-4, wijkbeeld side, import excluded): {pipeline:.1f} s wall, "
              f"{pipeline_cpu:.1f} s CPU (target < 60 s); with baselines "
              f"{time.perf_counter() - start:.1f} s; peak RSS {_rss_mb():.0f} MB this process, "
              f"{MONITOR.peak_mb:.0f} MB all processes together (target < 4096 MB); load "
              f"average now {os.getloadavg()[0]:.1f}")
        if args.draw_runs and CHROMIUM.exists():
            draw_map(map_url, n_buurten, args.draw_runs)
        area_page(args.page_requests)
    finally:
        from django.db import connections

        connections.close_all()
        if made and args.postgres and args.keep is None:
            import psycopg

            with psycopg.connect(args.postgres, autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{made}"')
        if args.keep is None:
            shutil.rmtree(tmp, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
