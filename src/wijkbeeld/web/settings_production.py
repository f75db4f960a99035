"""Production settings: the base settings plus HTTPS-only cookies, HSTS and no debug pages.

Use with ``DJANGO_SETTINGS_MODULE=wijkbeeld.web.settings_production``. Everything a deployment
must choose comes from the environment; a missing secret key is an error, not a silent default:

* ``WIJKBEELD_SECRET_KEY`` (required, at least 50 characters),
* ``WIJKBEELD_ALLOWED_HOSTS`` (comma-separated host names),
* ``WIJKBEELD_DATABASE_URL`` (see :mod:`wijkbeeld.web.settings`),
* ``WIJKBEELD_BEHIND_PROXY=1`` when a TLS-terminating proxy sets ``X-Forwarded-Proto: https``,
* ``WIJKBEELD_HSTS_SECONDS`` (default one year), ``WIJKBEELD_SSL_REDIRECT`` (default 1).

``wijkbeeld manage check --deploy`` is clean with these settings (tests/security checks it).
"""

from __future__ import annotations

import os

from django.core.exceptions import ImproperlyConfigured

from wijkbeeld.web.settings import *  # noqa: F403

SECRET_KEY = os.environ.get("WIJKBEELD_SECRET_KEY", "")
if len(SECRET_KEY) < 50 or "dev-only" in SECRET_KEY:
    raise ImproperlyConfigured(
        "WIJKBEELD_SECRET_KEY must be set to a random value of at least 50 characters "
        "(e.g. python -c 'import secrets; print(secrets.token_urlsafe(64))')."
    )
DEBUG = False
ALLOWED_HOSTS = [h.strip() for h in os.environ.get("WIJKBEELD_ALLOWED_HOSTS", "").split(",")
                 if h.strip()]

# HTTPS only: cookies never travel in clear text, browsers remember to use HTTPS (HSTS).
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60  # one working day
SECURE_SSL_REDIRECT = os.environ.get("WIJKBEELD_SSL_REDIRECT", "1") == "1"
SECURE_HSTS_SECONDS = int(os.environ.get("WIJKBEELD_HSTS_SECONDS", str(365 * 24 * 60 * 60)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if os.environ.get("WIJKBEELD_BEHIND_PROXY") == "1":
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = False
