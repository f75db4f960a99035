"""Voices commands: import, scrubbing and tagging from stdin to stdout, and the evaluation of
theme tagging on a labelled file."""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from pathlib import Path

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _voices(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.voices.importing import import_voices

    print(import_voices(args.file, args.mapping).summary())  # DataError: exit 2 in main()
    return 0


def _utf8_stdio() -> None:
    """Voices commands read and write UTF-8, one text per line, whatever the locale says."""
    for stream in (sys.stdin, sys.stdout):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            reconfigure(encoding="utf-8", errors="replace")


def _scrub(args: argparse.Namespace) -> int:
    # pure core, no database: must start fast
    from wijkbeeld.voices.scrub import Scrubber, total_counts

    scrubber = Scrubber(keep=tuple(args.keep or ()))
    results = []
    _utf8_stdio()
    for raw in sys.stdin:
        result = scrubber.scrub(raw.rstrip("\r\n"))
        print(result.text)
        results.append(result)
    if args.report:
        counts = total_counts(results)
        changed = sum(1 for r in results if r.changed)
        if args.report == "json":
            report = {"texts": len(results), "changed": changed, "counts": counts}
            print(json.dumps(report, ensure_ascii=False), file=sys.stderr)
        else:
            found = ", ".join(f"{k} {v}" for k, v in counts.items()) or "niets"
            print(f"{len(results)} teksten, {changed} gewijzigd; vervangen: {found}",
                  file=sys.stderr)
    return 0


def _tag(args: argparse.Namespace) -> int:
    # pure core, no database: must start fast
    from wijkbeeld.voices.lexicon import LexiconError, load_lexicon
    from wijkbeeld.voices.tagging import Tagger

    try:
        lexicon = load_lexicon(args.lexicon or [])
    except LexiconError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    tagger = Tagger(lexicon, min_confidence=args.min_confidence)
    _utf8_stdio()
    for raw in sys.stdin:
        print(json.dumps(tagger.tag(raw.rstrip("\r\n")).to_dict(), ensure_ascii=False))
    return 0


def _percent(share: float | None) -> str:
    return "–" if share is None else f"{round(100 * share)} %"


def _decimal(value: float) -> str:
    return f"{value:.1f}".replace(".", ",")


def _evaluate(args: argparse.Namespace) -> int:
    # pure core, no database
    from wijkbeeld.voices.evaluation_tags import (
        LabelledSetError,
        evaluate_tagging,
        read_labelled,
    )
    from wijkbeeld.voices.lexicon import LexiconError, load_lexicon
    from wijkbeeld.voices.tagging import Tagger

    try:
        lexicon = load_lexicon(args.lexicon or [])
        texts = read_labelled(args.file, theme_keys=lexicon.theme_keys)
        tagger = Tagger(lexicon)
        result = evaluate_tagging(
            texts, split=args.split, suggest=lambda text: tagger.tag(text).theme_keys,
            source=str(args.file), theme_keys=lexicon.theme_keys,
        )
    except (LabelledSetError, LexiconError) as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    _utf8_stdio()
    if args.json:
        print(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=2))
        return 0
    names = {"majority": f"altijd {result.majority_theme}", "legacy": "oude lexicon"}
    where = f", split {result.split}" if result.split else ""
    print(f"Thema's voorstellen: {result.texts} teksten uit {args.file}{where}")
    print(f"Vergeleken met: het oude lexicon (vóór issue 20) en altijd het meest voorkomende "
          f"eerste thema ({result.majority_theme}, uit "
          f"{'de train-teksten' if result.majority_from == 'train' else 'deze teksten'}).\n")
    ours = result.tagger
    rows = (
        ("Eerste thema goed", "first_theme_macro", _percent),
        ("Voorgestelde thema's juist", "precision", _percent),
        ("Thema's gevonden", "recall", _percent),
        ("Thema's per tekst", "themes_per_text", _decimal),
    )
    for label, field, show in rows:
        others = ", ".join(f"{names[b.name]} {show(getattr(b, field))}"
                           for b in result.baselines)
        print(f"{label + ':':28}{show(getattr(ours, field)):>6}   ({others})")
    best = {field: max(getattr(b, field) for b in result.baselines)
            for field in ("first_theme_macro", "precision")}
    print(f"\nVerschil met de beste vergelijking: eerste thema "
          f"{round(100 * (ours.first_theme_macro - best['first_theme_macro'])):+d} punten, "
          f"juiste thema's {round(100 * (ours.precision - best['precision'])):+d} punten.\n")
    labels = {f.theme: lexicon.themes[f.theme].label if f.theme in lexicon.themes else f.theme
              for f in ours.per_theme}
    width = max(len(label) for label in labels.values()) + 2
    print(f"{'Per thema':{width}}{'eerste goed':>12}{'juist':>8}{'gevonden':>10}{'teksten':>9}")
    for f in ours.per_theme:
        print(f"{labels[f.theme]:{width}}{_percent(f.first_right):>12}"
              f"{_percent(f.precision):>8}{_percent(f.recall):>10}{f.primary_texts:>9}")
    print("\nEerste thema goed: het eerste voorstel is het hoofdthema van de tekst, gemiddeld "
          "over de thema's.\nVoorgestelde thema's juist: het deel van alle voorstellen dat "
          "klopt.\nThema's gevonden: het deel van alle thema's van de teksten dat is voorgesteld.")
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the voices commands to the ``wijkbeeld`` parser."""
    vo = sub.add_parser("voices", help="voices (stemmen): import exports, evaluate tagging")
    vo_sub = vo.add_subparsers(dest="what", required=True)
    vi = vo_sub.add_parser("import", help="voices from a CSV/XLSX export, scrubbed on the way in")
    vi.add_argument("file", type=Path)
    vi.add_argument("--mapping", type=Path, required=True, help="TOML column mapping")
    vi.set_defaults(func=_voices)
    ve = vo_sub.add_parser(
        "evaluate", help="theme tagging on a labelled CSV (text, themes) against two baselines")
    ve.add_argument("--file", type=Path, required=True,
                    help="CSV with columns text and themes (primary first, ';'), optional split")
    ve.add_argument("--split", help="only the texts of this split (e.g. test)")
    ve.add_argument("--lexicon", type=Path, action="append", help="TOML lexicon override file")
    ve.add_argument("--json", action="store_true", help="all figures as JSON")
    ve.set_defaults(func=_evaluate)

    scr = sub.add_parser("scrub", help="remove personal data: one text per line, stdin to stdout")
    scr.add_argument("--keep", nargs="+", metavar="PLACE", help="place names never scrubbed")
    scr.add_argument(
        "--report", nargs="?", const="text", choices=["text", "json"],
        help="print how many of each kind were replaced to stderr (text or json)",
    )
    scr.set_defaults(func=_scrub)
    tg = sub.add_parser("tag", help="suggest themes and tone: one text per line, JSON per line")
    tg.add_argument("--lexicon", type=Path, action="append", help="TOML lexicon override file")
    tg.add_argument("--min-confidence", type=float, default=0.5, help="default 0.5")
    tg.set_defaults(func=_tag)
