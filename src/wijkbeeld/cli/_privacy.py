"""Privacy commands (AVG): purge past the retention period, erase and export one respondent."""

from __future__ import annotations

import argparse
import json
import sys

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _purge(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.privacy import purge

    removed = purge(dry_run=args.dry_run, voices_days=args.voices_days,
                    responses_days=args.responses_days)
    print(removed.summary())
    for kind, cut in removed.cutoffs.items():
        print(f"  {kind}: ouder dan {cut}")
    return 0


def _token(args: argparse.Namespace) -> str:
    token = args.token.strip()
    if token.startswith(("http://", "https://")) or "/peiling/" in token:
        token = token.rstrip("/").rsplit("/", 1)[-1]  # a whole link is fine too
    return token


def _erase(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.privacy import erase
    from wijkbeeld.web.urgency.services import InvalidToken

    try:
        removed = erase(_token(args), revoke=args.revoke)
    except InvalidToken:
        print("fout: onbekende link; niets verwijderd.", file=sys.stderr)
        return 2
    print(removed.summary())
    return 0


def _export(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.privacy import export
    from wijkbeeld.web.urgency.services import InvalidToken

    try:
        data = export(_token(args))
    except InvalidToken:
        print("fout: onbekende link.", file=sys.stderr)
        return 2
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the privacy commands to the ``wijkbeeld`` parser."""
    p = sub.add_parser("privacy", help="AVG: retention purge, erasure and export per respondent")
    p_sub = p.add_subparsers(dest="what", required=True)
    purge = p_sub.add_parser("purge", help="remove voices and responses past their retention")
    purge.add_argument("--dry-run", action="store_true", help="only count what would go")
    purge.add_argument("--voices-days", type=int, default=None,
                       help="override WIJKBEELD_RETENTION_VOICES_DAYS (0 = keep)")
    purge.add_argument("--responses-days", type=int, default=None,
                       help="override WIJKBEELD_RETENTION_RESPONSES_DAYS (0 = keep)")
    purge.set_defaults(func=_purge)
    erase = p_sub.add_parser("erase", help="remove one respondent's response, answers and story")
    erase.add_argument("token", help="the token or the whole personal link")
    erase.add_argument("--revoke", action="store_true", help="also remove the link itself")
    erase.set_defaults(func=_erase)
    export = p_sub.add_parser("export", help="JSON of everything stored about one link")
    export.add_argument("token", help="the token or the whole personal link")
    export.set_defaults(func=_export)
