"""API commands: tokens for scripts (``Authorization: Bearer …``; see docs/api.md)."""

from __future__ import annotations

import argparse
import sys

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _token(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.api.tokens import create_token

    try:
        row, token = create_token(args.user, name=args.name or "", days=args.days)
    except LookupError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 1
    # The token itself on stdout alone (scripts: TOKEN=$(wijkbeeld api token analist)).
    print(token)
    until = f", geldig tot {row.expires_at:%Y-%m-%d}" if row.expires_at else ""
    print(f"token {row.prefix}… voor {row.user.get_username()}{until}; het wordt niet nog eens "
          "getoond", file=sys.stderr)
    return 0


def _tokens(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.api.models import ApiToken

    rows = ApiToken.objects.select_related("user").order_by("user__username", "-created_at")
    if args.user:
        rows = rows.filter(user__username=args.user)
    for row in rows:
        state = "ingetrokken" if row.revoked_at else ("bruikbaar" if row.is_usable()
                                                      else "verlopen")
        used = f"{row.last_used_at:%Y-%m-%d %H:%M}" if row.last_used_at else "nooit"
        print(f"{row.prefix}…  {row.user.get_username():<20} {state:<12} gebruikt: {used:<16} "
              f"{row.name}")
    return 0


def _revoke(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.api.tokens import revoke

    try:
        n = revoke(args.prefix)
    except ValueError as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    print(f"{n} token(s) ingetrokken")
    return 0 if n else 1


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add ``wijkbeeld api token|tokens|revoke``."""
    api = sub.add_parser("api", help="JSON API: tokens for scripts")
    api_sub = api.add_subparsers(dest="what", required=True)
    tok = api_sub.add_parser("token", help="make a token for USER (printed once)")
    tok.add_argument("user", help="user name")
    tok.add_argument("--name", help="what the token is for, e.g. 'Power BI'")
    tok.add_argument("--days", type=int, help="valid for this many days (default: no expiry)")
    tok.set_defaults(func=_token)
    lst = api_sub.add_parser("tokens", help="list tokens (prefix, user, state, last use)")
    lst.add_argument("user", nargs="?", help="only this user's tokens")
    lst.set_defaults(func=_tokens)
    rev = api_sub.add_parser("revoke", help="revoke the token starting with PREFIX")
    rev.add_argument("prefix", help="the first characters of the token (at least 6)")
    rev.set_defaults(func=_revoke)
