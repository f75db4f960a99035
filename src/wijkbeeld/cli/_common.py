"""What command modules share: getting Django ready, Dutch numbers, an area's stored profile."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import argparse

    from wijkbeeld.compare import Profile

__all__ = ["django_ready", "nl_number", "stored_profile"]


def django_ready() -> None:
    """Configure Django and create or migrate the database named by ``WIJKBEELD_DATABASE_URL``."""
    from wijkbeeld.web.bootstrap import ensure_database

    ensure_database()


def nl_number(value: float) -> str:
    """A number the Dutch way: ``1234.5`` → ``1 234,5`` (thin space, decimal comma)."""
    text = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"
    return text.replace(",", "\u2009").replace(".", ",")


def stored_profile(args: argparse.Namespace) -> Profile | int:
    """The profile of ``args.area`` (a code, or a name that means one area) from the stored
    figures against ``args.reference``, or the exit code after printing why there is none (2: bad
    code, ambiguous or unknown name; 1: no figures)."""
    import sys

    django_ready()  # before importing the web loader, whose models need Django set up
    from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
    from wijkbeeld.cli._areas import resolve_area
    from wijkbeeld.compare import CompareOptions, ProfileError, profile
    from wijkbeeld.web.figures.loading import figures_frame

    resolved = resolve_area(args.area)  # a name that clearly means one area, or the code typed
    if isinstance(resolved, int):
        return resolved
    try:
        code = parse_code(resolved)
    except InvalidAreaCode as exc:
        print(f"fout: {exc}", file=sys.stderr)
        return 2
    # Only the municipality's areas are loaded when the reference set lies inside it.
    local = args.reference in ("municipality", "parent")
    levels = [str(code.level)]
    if args.reference == "parent" and code.parent:
        levels.append(str(parse_code(code.parent).level))
    figures = figures_frame(municipality=code.municipality if local else None, level=levels)
    try:
        return profile(figures, code.code, year=args.year,
                       options=CompareOptions(reference=args.reference))
    except ProfileError as exc:
        print(str(exc), file=sys.stderr)
        return 1
