"""Spatial commands: hotspots and export of areas with their figures."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _hotspots(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.spatial import SpatialOptions, hotspot_map, hotspots
    from wijkbeeld.web.areas.geodata import LayerError, area_layer

    try:
        layer = area_layer(args.municipality, args.year, indicator=args.indicator,
                           theme=args.theme, level=args.level, boundary_year=args.boundary_year)
    except LayerError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    options = SpatialOptions(permutations=args.permutations, seed=args.seed, fdr=args.fdr,
                             island_policy=args.island_policy, polarity=layer.polarity)
    result = hotspots(layer.areas, "value", options)
    if args.map:
        hotspot_map(layer.areas, result, args.map, title=f"{layer.label}, {layer.period}",
                    source=layer.source or "onbekend")
    if args.json:
        out = result.to_dict()
        out["layer"] = {"municipality": layer.municipality, "level": layer.level,
                        "boundary_year": layer.boundary_year, "kind": layer.kind,
                        "variable": layer.variable, "period": layer.period,
                        "source": layer.source, "notes": list(layer.notes)}
        json.dump(out, sys.stdout, ensure_ascii=False, indent=1)
        print()
    else:
        _print_table(layer, result)
    return 0


def _print_table(layer: Any, result: Any) -> None:
    """The areas with name, code, class and value with unit, then the counts per class."""
    from wijkbeeld.spatial.listing import dutch_value, hotspot_rows
    from wijkbeeld.web.figures.models import Indicator

    unit = "score" if layer.kind == "theme" else str(
        Indicator.objects.filter(key=layer.variable).values_list("unit", flat=True).first()
        or "number")
    g = result.global_moran
    moran = f"Moran's I {g.i:.3f} (p {g.p:g})".replace(".", ",") if g else "niet getoetst"
    print(f"{layer.label} {layer.period}, {layer.municipality}: {moran}")
    names = {str(k): str(v) for k, v in layer.areas["name"].items()} \
        if "name" in layer.areas.columns else {}
    rows = hotspot_rows(result.table, names)
    width = max([len(r.name) for r in rows] + [4])
    print(f"{'gebied':<{width}}  {'code':<10}  {'klasse':<30}  waarde")
    for r in rows:
        print(f"{r.name:<{width}}  {r.code:<10}  {r.cluster:<30}  {dutch_value(r.value, unit)}")
    print("aantal gebieden per klasse:")
    for label, n in result.counts().items():
        print(f"  {label:<30} {n:>5}")


def _export(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.spatial import export_areas
    from wijkbeeld.web.areas.export_layer import export_frame
    from wijkbeeld.web.areas.geodata import LayerError

    try:
        frame, provenance = export_frame(args.municipality, args.year, level=args.level,
                                         boundary_year=args.boundary_year,
                                         permutations=args.permutations, seed=args.seed)
    except LayerError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    target = args.output.with_suffix(f".{args.format}") if args.output.suffix.lower() not in (
        f".{args.format}", ".json") else args.output
    export_areas(frame, target, provenance)
    print(f"{target}: {len(frame)} gebieden, {len(frame.columns) - 1} velden")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the spatial commands to the ``wijkbeeld`` parser."""
    for name, helptext in (("hotspots", "where challenges concentrate: Local Moran's I, Gi*"),
                           ("export", "areas with figures, theme scores and hotspots as a file")):
        sp = sub.add_parser(name, help=helptext)
        sp.add_argument("--municipality", required=True, help="GM code, e.g. GM0363")
        sp.add_argument("--year", type=int, required=True, help="year of the figures")
        sp.add_argument("--level", choices=["neighbourhood", "district"], default="neighbourhood")
        sp.add_argument("--boundary-year", type=int, help="indeling (default: newest with shapes)")
        sp.add_argument("--permutations", type=int, default=999)
        sp.add_argument("--seed", type=int, default=12345)
        if name == "hotspots":
            what = sp.add_mutually_exclusive_group(required=True)
            what.add_argument("--indicator", help="indicator key, e.g. woz_waarde")
            what.add_argument("--theme", help="theme key (theme score), e.g. werk_inkomen")
            sp.add_argument("--json", action="store_true")
            sp.add_argument("--map", type=Path, help="write a hotspot map (.png or .svg)")
            sp.add_argument("--fdr", action="store_true", help="Benjamini-Hochberg correction")
            sp.add_argument("--island-policy", choices=["attach", "exclude"], default="attach")
            sp.set_defaults(func=_hotspots)
        else:
            sp.add_argument("--format", choices=["gpkg", "geojson"], required=True)
            sp.add_argument("-o", "--output", type=Path, required=True)
            sp.set_defaults(func=_export)
