"""Application commands: demo data, the web server and Django management."""

from __future__ import annotations

import argparse

from wijkbeeld.cli._common import django_ready

__all__ = ["register"]


def _demo_load(args: argparse.Namespace) -> int:
    django_ready()
    from wijkbeeld.web.demo import load_demo

    load_demo(verbose=True)
    return 0


def _serve(args: argparse.Namespace) -> int:
    django_ready()
    from django.core.management import call_command

    print(f"wijkbeeld draait op http://{args.host}:{args.port}/", flush=True)
    call_command("runserver", f"{args.host}:{args.port}", use_reloader=False)
    return 0


def _manage(args: argparse.Namespace) -> int:
    django_ready()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["wijkbeeld manage", *args.rest])
    return 0


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add the application commands to the ``wijkbeeld`` parser."""
    demo = sub.add_parser("demo", help="the bundled demo data")
    demo_sub = demo.add_subparsers(dest="what", required=True)
    demo_sub.add_parser("load", help="load the demo data and demo account").set_defaults(
        func=_demo_load
    )

    s = sub.add_parser("serve", help="run the web application (development server)")
    s.add_argument("--host", default="127.0.0.1")
    s.add_argument("--port", type=int, default=8000)
    s.set_defaults(func=_serve)

    m = sub.add_parser("manage", help="Django management commands")
    m.add_argument("rest", nargs=argparse.REMAINDER)
    m.set_defaults(func=_manage)
