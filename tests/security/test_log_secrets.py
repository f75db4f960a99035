"""No secret or token in any log record at any level (issue 18, finding 8).

Every logger is set to DEBUG and a collecting handler is attached to the root logger and to each
logger that does not propagate (``django``, ``django.server``, ``axes`` …), so the test sees each
record as it is made, before any handler's filter. Then it signs in with a password, calls the
API with a bearer token, opens a respondent link (a real one and an unknown one), runs
``wijkbeeld api token`` and asks ``wijkbeeld serve``'s request log (``django.server``) to log a
respondent link, all with ``DEBUG=True`` so Django also logs every SQL statement with its
parameters. No captured message, argument or traceback may contain a token, the session key or
the password.
"""

from __future__ import annotations

import contextlib
import logging
import socket
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.servers.basehttp import WSGIRequestHandler
from django.test import Client, override_settings
from security_support import GM, WIJK, YEAR, kwb_names

from wijkbeeld.cli import main as cli_main

PASSWORD = "Wachtwoord-Dat-Niet-In-Een-Log-Mag-7"


class Collect(logging.Handler):
    """Keeps the name and full text of every record it is handed, as it is then (attached first,
    so it sees each record before another handler's filter could rewrite it)."""

    def __init__(self) -> None:
        super().__init__(level=logging.DEBUG)
        self.names: set[str] = set()
        self.texts: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.names.add(record.name)
        self.texts.append(text_of(record))


@contextlib.contextmanager
def every_log_record() -> Iterator[Collect]:
    """All records of all loggers at DEBUG, for the duration of the block."""
    handler = Collect()
    names = ["", *logging.root.manager.loggerDict]
    loggers = [logging.getLogger(n) for n in names
               if not isinstance(logging.root.manager.loggerDict.get(n), logging.PlaceHolder)]
    saved = [(lg, lg.level, lg.disabled) for lg in loggers]
    for lg in loggers:
        lg.setLevel(logging.DEBUG)
        lg.disabled = False
        if lg is logging.root or not lg.propagate:
            lg.handlers.insert(0, handler)
    try:
        yield handler
    finally:
        for lg, level, disabled in saved:
            lg.setLevel(level)
            lg.disabled = disabled
            if handler in lg.handlers:
                lg.removeHandler(handler)


def text_of(r: logging.LogRecord) -> str:
    """All a handler could write of a record: message, arguments, extra fields, traceback."""
    try:
        message = r.getMessage()
    except (TypeError, ValueError):
        message = str(r.msg)
    fields = " ".join(f"{k}={v!r}" for k, v in vars(r).items()
                      if k not in ("msg", "args", "exc_info"))
    trace = logging.Formatter().formatException(r.exc_info) if r.exc_info else ""
    return f"{message} {r.args!r} {fields} {trace}"


def serve_log_line(path: str) -> None:
    """Let ``wijkbeeld serve``'s request handler log one request line for ``path``."""
    handler = WSGIRequestHandler.__new__(WSGIRequestHandler)
    handler.requestline = f"GET {path} HTTP/1.1"
    handler.request_version = "HTTP/1.1"
    handler.client_address = ("127.0.0.1", 50000)
    handler.request = socket.socket()
    try:
        handler.log_message('"%s" %s %s', handler.requestline, "404", "0")
    finally:
        handler.request.close()


@pytest.mark.django_db
@override_settings(DEBUG=True, ALLOWED_HOSTS=["testserver", "127.0.0.1"])
def test_no_token_session_key_or_password_in_any_log_record(
        raw: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    from wijkbeeld.web.api.tokens import create_token
    from wijkbeeld.web.figures.store import ensure_areas
    from wijkbeeld.web.urgency.services import create_invitations, open_round

    names = kwb_names(raw)
    ensure_areas([(GM, names[GM]), (WIJK, names[WIJK])], YEAR)
    rnd = open_round("2024-voorjaar", [WIJK], ["veiligheid", "wonen"], date(2024, 4, 1))
    respondent = create_invitations(rnd, "residents", 1)[0]
    get_user_model().objects.create_user("analist", password=PASSWORD, role="analyst",
                                         municipality=GM)
    _, bearer = create_token("analist", name="scripts")
    unknown = "onbekend-" + respondent[::-1]
    # Django is set up already: the CLI must not configure logging again (and drop the capture).
    monkeypatch.setattr("wijkbeeld.web.bootstrap._ready", True)

    with every_log_record() as logs:
        client = Client()
        assert client.post("/inloggen/", {"username": "analist", "password": "fout-" + PASSWORD}
                           ).status_code == 200
        assert client.post("/inloggen/", {"username": "analist", "password": PASSWORD}
                           ).status_code == 302
        session_key = client.session.session_key
        assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {bearer}").status_code == 200
        assert Client().get("/api/me", HTTP_AUTHORIZATION=f"Bearer {bearer}x").status_code == 401
        assert Client().get(f"/peiling/{respondent}/").status_code == 200
        assert Client().get(f"/peiling/{unknown}/").status_code == 404
        capsys.readouterr()
        assert cli_main(["api", "token", "analist", "--name", "cli"]) == 0
        cli_token = capsys.readouterr().out.strip()
        serve_log_line(f"/peiling/{respondent}/?naam=Jan")

    assert cli_token.startswith("wb_")
    assert session_key
    # The exercise really logged: requests, SQL (DEBUG) and the development server's line.
    assert {"django.request", "django.db.backends", "django.server"} <= logs.names, logs.names
    secrets = {"respondent link": respondent, "unknown link": unknown, "bearer token": bearer,
               "CLI token": cli_token, "session key": session_key, "password": PASSWORD}
    leaks = [f"{what}: {t[:200]}" for what, secret in secrets.items()
             for t in logs.texts if secret in t]
    assert not leaks, "\n".join(leaks)
    assert not [t for t in logs.texts if "naam=Jan" in t]
