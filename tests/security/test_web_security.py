"""Web security: CSP header without inline script, no inline script/style/handler in templates,
CSRF refusal, login throttling (django-axes), Argon2, a 500 page without request data, the log
filter, and ``check --deploy`` clean with the production settings."""

from __future__ import annotations

import logging
import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import identify_hasher, make_password
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from wijkbeeld.web.logfilter import Redact

PASSWORD = "geheim-wachtwoord-1"


def test_no_inline_script_style_or_handler_in_any_template() -> None:
    bad = []
    found = [f for folder in Path(settings.BASE_DIR).rglob("templates")
             for f in folder.rglob("*.html")]  # the project's and every app's templates
    assert len(found) > 20
    for path in found:
        text = path.read_text(encoding="utf-8")
        for pattern in (r"<script(?![^>]*\bsrc=)[^>]*>", r"<style\b", r"\sstyle=\"",
                        r"\son[a-z]+=", r"javascript:"):
            if re.search(pattern, text, re.I):
                bad.append(f"{path.relative_to(settings.BASE_DIR)}: {pattern}")
    assert not bad, bad


@pytest.mark.django_db
def test_csp_header_allows_only_own_files(client: Client) -> None:
    policy = client.get("/inloggen/")["Content-Security-Policy"]
    directives = dict((d.split()[0], d.split()[1:]) for d in policy.split("; "))
    assert directives["script-src"] == ["'self'"]
    assert directives["style-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy


@pytest.mark.django_db
def test_post_without_csrf_token_is_refused() -> None:
    get_user_model().objects.create_user("jan", password=PASSWORD, role="viewer")
    client = Client(enforce_csrf_checks=True)
    for url in ("/inloggen/", "/uitloggen/", "/i18n/setlang/", "/peiling/" + "A" * 43 + "/"):
        response = client.post(url, {"username": "jan", "password": PASSWORD, "language": "en"})
        assert response.status_code == 403, url
    page = client.get("/inloggen/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode())
    assert token is not None
    ok = client.post("/inloggen/", {"username": "jan", "password": PASSWORD,
                                    "csrfmiddlewaretoken": token.group(1)})
    assert ok.status_code == 302


@pytest.mark.django_db
def test_login_is_throttled_after_the_failure_limit() -> None:
    get_user_model().objects.create_user("piet", password=PASSWORD, role="viewer")
    client = Client()
    limit = settings.AXES_FAILURE_LIMIT
    for _ in range(limit):
        response = client.post("/inloggen/", {"username": "piet", "password": "fout"})
        assert response.status_code in (200, 429)
    locked = client.post("/inloggen/", {"username": "piet", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    assert "Tijdelijk geblokkeerd" in locked.content.decode()
    # another user name from the same address is not affected
    get_user_model().objects.create_user("kees", password=PASSWORD, role="viewer")
    assert client.post("/inloggen/", {"username": "kees", "password": PASSWORD}).status_code == 302


@override_settings(PASSWORD_HASHERS=[
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
])
def test_passwords_are_hashed_with_argon2() -> None:
    from wijkbeeld.web import settings as base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")
    encoded = make_password(PASSWORD)
    assert encoded.startswith("argon2$argon2id$")
    assert identify_hasher(encoded).algorithm == "argon2"


def _boom(request: object) -> None:
    raise RuntimeError("kapot")


urlpatterns = [__import__("django.urls").urls.path("boem/", _boom)]


@pytest.mark.django_db
@override_settings(ROOT_URLCONF=__name__, DEBUG=False)
def test_server_error_page_shows_no_request_data() -> None:
    client = Client(raise_request_exception=False)
    response = client.post("/boem/?naam=Fatima+Yilmaz", {"verhaal": "06-12345678 geheim"})
    assert response.status_code == 500
    html = response.content.decode()
    for secret in ("Fatima", "Yilmaz", "06-12345678", "geheim", "kapot", "Traceback"):
        assert secret not in html


def test_log_filter_removes_tokens_queries_and_the_request() -> None:
    token = secrets.token_urlsafe(32)
    record = logging.LogRecord("django.request", logging.WARNING, __file__, 1,
                               "Not Found: %s", (f"/peiling/{token}/?naam=Jan",), None)
    record.request = object()
    assert Redact().filter(record)
    assert token not in record.getMessage() and "Jan" not in record.getMessage()
    assert record.request is None
    assert settings.LOGGING["handlers"]["stderr"]["filters"] == ["redact"]
    assert "mail_admins" not in str(settings.LOGGING)


def test_check_deploy_is_clean_for_production_settings(tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    # Browser tests in the same run set DJANGO_ALLOW_ASYNC_UNSAFE for their live server; a
    # production process never has it, and check --deploy rightly refuses it.
    inherited = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {**inherited, "DJANGO_SETTINGS_MODULE": "wijkbeeld.web.settings_production",
           "WIJKBEELD_SECRET_KEY": secrets.token_urlsafe(64),
           "WIJKBEELD_ALLOWED_HOSTS": "wijkbeeld.example.nl",
           "WIJKBEELD_DATABASE_URL": f"sqlite:///{tmp_path / 'deploy.sqlite3'}"}
    script = ("import django; django.setup()\n"
              "from django.conf import settings as s\n"
              "from django.core.management import call_command\n"
              "call_command('check', deploy=True, fail_level='WARNING')\n"
              "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT,\n"
              "      s.SECURE_HSTS_SECONDS >= 31536000, s.DEBUG)\n")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout + done.stderr
    assert done.stdout.split()[-5:] == ["True", "True", "True", "True", "False"]
    # Without a real secret key the production settings refuse to load.
    monkeypatch.delenv("WIJKBEELD_SECRET_KEY", raising=False)
    settings_file = Path(settings.BASE_DIR) / "settings_production.py"
    with pytest.raises(ImproperlyConfigured, match="WIJKBEELD_SECRET_KEY"):
        runpy.run_path(str(settings_file))
