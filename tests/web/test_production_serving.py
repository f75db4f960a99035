"""Production defaults (issue 18, finding 8): DEBUG off unless asked for, static files served by
WhiteNoise and a friendly 404, both under the README's gunicorn command with the production
settings and under ``wijkbeeld serve`` (the demo).

Each server is started as a real process on a free port of 127.0.0.1 against one temporary SQLite
database (migrated once for the module), asked for a CSS file under STATIC_URL and for a missing
page, and stopped. No collectstatic is run: a deploy does not need one (docs/operations.md).
"""

from __future__ import annotations

import contextlib
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

VENV_BIN = Path(sys.executable).parent
CSS = "/static/wijkbeeld/wijkbeeld.css"
LEAFLET_CSS = "/static/leaflet/leaflet.css"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(db: Path, **extra: str) -> dict[str, str]:
    """The caller's environment without any debug or settings choice, on database ``db``."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("WIJKBEELD_DEBUG", "DJANGO_SETTINGS_MODULE", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    return {**env, "WIJKBEELD_DATABASE_URL": f"sqlite:///{db}", **extra}


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file (the servers never migrate it themselves under gunicorn)."""
    folder = tmp_path_factory.mktemp("serving")
    db = folder / "serving.sqlite3"
    done = subprocess.run(
        [sys.executable, "-c",
         "from wijkbeeld.web.bootstrap import ensure_database; ensure_database()"],
        env=_env(db), cwd=folder, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return db


def _wait(proc: subprocess.Popen[bytes], base: str, log: Path) -> None:
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        assert proc.poll() is None, log.read_text(errors="replace")
        try:
            httpx.get(f"{base}/inloggen/", timeout=2)
            return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("server did not start within 90 s: " + log.read_text(errors="replace"))


@contextlib.contextmanager
def _running(*servers: tuple[list[str], dict[str, str], Path, str]) -> Iterator[list[Path]]:
    """Start every (command, environment, folder, base URL) at once; stop them afterwards
    (SIGINT: gunicorn's quick shutdown, Ctrl-C for ``wijkbeeld serve``)."""
    procs: list[tuple[subprocess.Popen[bytes], str, Path]] = []
    try:
        for cmd, env, cwd, base in servers:
            log = cwd / "server.log"
            with log.open("wb") as out:
                procs.append((subprocess.Popen(cmd, env=env, cwd=cwd, stdout=out,
                                               stderr=subprocess.STDOUT), base, log))
        for proc, base, log in procs:
            _wait(proc, base, log)
        yield [log for _, _, log in procs]
    finally:
        for proc, _, _ in procs:
            proc.send_signal(signal.SIGINT)
        for proc, _, _ in procs:
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=5)


def _check(base: str) -> None:
    for path in (CSS, LEAFLET_CSS):
        css = httpx.get(base + path, timeout=10)
        assert css.status_code == 200, (path, css.status_code)
        assert css.headers["content-type"].startswith("text/css"), css.headers
        assert len(css.content) > 100
    missing = httpx.get(f"{base}/bestaat/niet/", timeout=10)
    assert missing.status_code == 404
    html = missing.text
    assert "Deze pagina bestaat niet (meer)." in html  # templates/404.html, in Dutch
    for debug_sign in ("Traceback", "URLconf", "DEBUG = True", "technical_404", "Page not found"):
        assert debug_sign not in html
    assert httpx.get(f"{base}/static/wijkbeeld/bestaat-niet.css", timeout=10).status_code == 404


def test_gunicorn_and_serve_serve_static_files_and_a_friendly_404_without_debug(
        database: Path, tmp_path: Path) -> None:
    # The README's production command, with the production settings (plain HTTP on 127.0.0.1,
    # so no redirect to HTTPS), and the demo's `wijkbeeld serve`, started side by side.
    g_port, s_port = _free_port(), _free_port()
    g_env = _env(database, DJANGO_SETTINGS_MODULE="wijkbeeld.web.settings_production",
                 WIJKBEELD_SECRET_KEY=secrets.token_urlsafe(64),
                 WIJKBEELD_ALLOWED_HOSTS="127.0.0.1", WIJKBEELD_SSL_REDIRECT="0",
                 WIJKBEELD_BIND=f"127.0.0.1:{g_port}", WIJKBEELD_WORKERS="1",
                 WIJKBEELD_THREADS="2")
    gunicorn = [str(VENV_BIN / "gunicorn"), "-c", "python:wijkbeeld.web.gunicorn_conf",
                "wijkbeeld.web.wsgi"]
    serve = [str(VENV_BIN / "wijkbeeld"), "serve", "--host", "127.0.0.1", "--port", str(s_port)]
    (tmp_path / "g").mkdir()
    (tmp_path / "s").mkdir()
    g_base, s_base = f"http://127.0.0.1:{g_port}", f"http://127.0.0.1:{s_port}"
    with _running((gunicorn, g_env, tmp_path / "g", g_base),
                  (serve, _env(database), tmp_path / "s", s_base)) as logs:
        _check(g_base)
        _check(s_base)
    for log in logs:
        text = log.read_text(errors="replace")
        assert "Traceback" not in text and "Warning" not in text, text


def test_debug_is_off_unless_wijkbeeld_debug_is_1(database: Path) -> None:
    script = "import wijkbeeld.web.settings as s; print(s.DEBUG)"
    for value, expected in ((None, "False"), ("0", "False"), ("true", "False"), ("1", "True")):
        env = _env(database) if value is None else _env(database, WIJKBEELD_DEBUG=value)
        done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                              text=True, timeout=60, check=True)
        assert done.stdout.strip() == expected, (value, done.stdout, done.stderr)
