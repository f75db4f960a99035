"""Voices commands: import, and scrubbing and tagging from stdin to stdout."""

from __future__ import annotations

import argparse
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


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the voices commands to the ``wijkbeeld`` parser."""
    vo = sub.add_parser("voices", help="voices (stemmen): import from CSV/XLSX exports")
    vo_sub = vo.add_subparsers(dest="what", required=True)
    vi = vo_sub.add_parser("import", help="voices from a CSV/XLSX export, scrubbed on the way in")
    vi.add_argument("file", type=Path)
    vi.add_argument("--mapping", type=Path, required=True, help="TOML column mapping")
    vi.set_defaults(func=_voices)

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
