"""The ``wijkbeeld`` command. It calls the same services as the web pages.

Every command reads the database from ``WIJKBEELD_DATABASE_URL`` and creates and migrates it when
it does not exist yet. Bad input exits with status 2 and a message naming file, row and column.

Each group of commands lives in its own module with a ``register(sub)`` function; a new command
group is one new module and one line in ``_GROUPS``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Sequence

from wijkbeeld.cli import (
    _agenda,
    _api,
    _app,
    _backup,
    _exports,
    _fetch,
    _figures,
    _imports,
    _privacy,
    _report,
    _spatial,
    _triggers,
    _urgency,
    _voices,
    _worker,
)

__all__ = ["build_parser", "main"]

Handler = Callable[[argparse.Namespace], int]

# Order is the order of `wijkbeeld --help`.
_GROUPS = (_imports, _fetch, _figures, _report, _urgency, _spatial, _voices, _app, _backup, _api,
           _exports, _agenda, _privacy, _worker, _triggers)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser; the docs test walks it to find undocumented commands."""
    p = argparse.ArgumentParser(prog="wijkbeeld", description="Tellen en vertellen per wijk.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in _GROUPS:
        group.register(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wijkbeeld`` command."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except ValueError as exc:
        # Imported here: importing wijkbeeld.figures loads pandas, which commands such as
        # `figures show` and `scrub` do not need; start-up time matters for scripting.
        from wijkbeeld.figures.errors import DataError

        if isinstance(exc, DataError):
            print(f"fout: niets geïmporteerd.\n{exc}", file=sys.stderr)
            return 2
        raise
