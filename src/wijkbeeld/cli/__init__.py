"""The ``wijkbeeld`` command. It calls the same services as the web pages.

Every command reads the database from ``WIJKBEELD_DATABASE_URL`` and creates and migrates it when
it does not exist yet. Bad input exits with status 2 and a message naming file, row and column.

Each group of commands lives in its own module with a ``register(sub)`` function; a new command
group is one new module and one line in ``_GROUPS``.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Sequence

from wijkbeeld.cli import (
    _agenda,
    _api,
    _app,
    _areas,
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
_GROUPS = (_imports, _fetch, _figures, _areas, _report, _urgency, _spatial, _voices, _app,
           _backup, _api, _exports, _agenda, _privacy, _worker, _triggers)


def build_parser() -> argparse.ArgumentParser:
    """The full argument parser; the docs test walks it to find undocumented commands."""
    p = argparse.ArgumentParser(prog="wijkbeeld", description="Tellen en vertellen per wijk.")
    sub = p.add_subparsers(dest="command", required=True)
    for group in _GROUPS:
        group.register(sub)
    return p


#: Exit status after the reader closed the pipe (Python's own status on EPIPE).
PIPE_CLOSED = 1


def _quiet_closed_pipe() -> None:
    """Point stdout at devnull so the flush at interpreter exit raises no second
    BrokenPipeError ("Exception ignored ..."); see the Python docs, "Note on SIGPIPE"."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):  # stdout without a file descriptor
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``wijkbeeld`` command.

    A reader that stops early (``wijkbeeld ... | head -1``) ends the command quietly with
    status 1 instead of a BrokenPipeError traceback."""
    try:
        try:
            status = _run(argv)
        finally:
            sys.stdout.flush()  # surface a closed pipe here (also after --help), not at exit
    except BrokenPipeError:
        _quiet_closed_pipe()
        return PIPE_CLOSED
    return status


def _run(argv: Sequence[str] | None) -> int:
    """Parse ``argv`` and run the chosen command."""
    args = build_parser().parse_args(argv)
    handler: Handler = args.func
    try:
        return handler(args)
    except (FileNotFoundError, IsADirectoryError, PermissionError) as exc:
        # A file named on the command line that cannot be read: say which, no traceback.
        what = {FileNotFoundError: "bestaat niet", IsADirectoryError: "is een map",
                PermissionError: "mag niet gelezen worden"}[type(exc)]
        print(f"fout: {exc.filename or exc}: {what}.", file=sys.stderr)
        return 2
    except ValueError as exc:
        # Imported here: importing wijkbeeld.figures loads pandas, which commands such as
        # `figures show` and `scrub` do not need; start-up time matters for scripting.
        from wijkbeeld.figures.errors import DataError

        if isinstance(exc, DataError):
            print(f"fout: niets geïmporteerd.\n{exc}", file=sys.stderr)
            return 2
        raise
