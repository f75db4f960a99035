"""The documentation keeps up with the code: every CLI command, every setting read from the
environment and every API route is mentioned somewhere in ``docs/`` (the Dutch user manual in
``docs/handleiding/`` or the technical pages beside it).

What must be documented is found from the code, not from a list kept here:

* commands: every leaf of :func:`wijkbeeld.cli.build_parser` (``wijkbeeld rounds open``), found
  by walking argparse's sub-parsers; the docs must contain ``wijkbeeld <command path>``;
* settings: every ``"WIJKBEELD_..."`` string literal in ``src/`` (how settings, the demo and the
  importers name the environment variables they read);
* API routes: every URL pattern under ``api/`` of the URL resolver, written as in the docs
  (``/api/areas/{code}``).

So a new command, setting or route fails this test until it is documented.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
SRC = ROOT / "src"


def _docs_text() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(DOCS.rglob("*.md")))


def cli_commands() -> list[str]:
    """Every runnable command path, e.g. ``rounds open``, ``serve`` (leaves of the parser)."""
    from wijkbeeld.cli import build_parser

    found: list[str] = []

    def walk(parser: argparse.ArgumentParser, prefix: tuple[str, ...]) -> None:
        subs = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
        if not subs and prefix:
            found.append(" ".join(prefix))
        for action in subs:
            for name, child in action.choices.items():
                walk(child, (*prefix, name))

    walk(build_parser(), ())
    return found


def env_settings() -> set[str]:
    """Every ``"WIJKBEELD_..."`` string literal in the source: the environment variables read."""
    pattern = re.compile(r"""["'](WIJKBEELD_[A-Z0-9_]+)["']""")
    names: set[str] = set()
    for path in SRC.rglob("*.py"):
        names.update(pattern.findall(path.read_text(encoding="utf-8")))
    return names


def api_routes() -> list[str]:
    """Every route under ``/api/`` as the docs write it (``/api/areas/{code}``)."""
    from django.urls import URLPattern, URLResolver, get_resolver

    routes: list[str] = []

    def walk(patterns: list[object], prefix: str) -> None:
        for p in patterns:
            route = prefix + str(getattr(p, "pattern", ""))
            if isinstance(p, URLResolver):
                walk(list(p.url_patterns), route)
            elif isinstance(p, URLPattern) and route.startswith("api/") and p.name:
                routes.append("/" + re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route))

    walk(list(get_resolver().url_patterns), "")
    return routes


def _mentioned(text: str, phrase: str) -> bool:
    """``phrase`` in the docs as a whole (not the start of a longer word or path)."""
    return re.search(re.escape(phrase) + r"(?![\w/{-])", text) is not None


def test_finders_see_what_exists() -> None:
    # The finders themselves: known members are found (so an empty walk cannot pass).
    assert {"import figures", "rounds open", "demo load", "serve"} <= set(cli_commands())
    assert "import" not in cli_commands()  # a group is covered by its subcommands
    assert {"WIJKBEELD_DATABASE_URL", "WIJKBEELD_MIN_GROUP_SIZE"} <= env_settings()
    assert not _mentioned("wijkbeeld rounds opener", "wijkbeeld rounds open")
    assert not _mentioned("`/api/areas/{code}`", "/api/areas")
    assert _mentioned("`GET /api/areas` lists", "/api/areas")


def test_every_cli_command_is_documented() -> None:
    text = _docs_text()
    missing = [c for c in cli_commands() if not _mentioned(text, f"wijkbeeld {c}")]
    assert missing == [], f"commands not in docs/: {missing}"


def test_every_environment_setting_is_documented() -> None:
    text = _docs_text()
    missing = sorted(n for n in env_settings() if not _mentioned(text, n))
    assert missing == [], f"settings not in docs/: {missing}"


def test_every_api_route_is_documented() -> None:
    routes = api_routes()
    if not routes:
        return  # no API in this installation
    text = _docs_text()
    missing = [r for r in routes if not _mentioned(text, r)]
    assert missing == [], f"API routes not in docs/: {missing}"
