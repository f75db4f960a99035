"""Django settings for wijkbeeld.

The database comes from ``WIJKBEELD_DATABASE_URL`` (default: ``wijkbeeld.sqlite3`` in the working
directory), so the CLI and the web application always share one store.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet

BASE_DIR = Path(__file__).resolve().parent

DEFAULT_DATABASE_URL = "sqlite:///" + str(Path.cwd() / "wijkbeeld.sqlite3")


def database_from_env(url: str | None = None) -> dict[str, object]:
    """A Django DATABASES entry from a URL (sqlite:///path or postgres://user@host/db)."""
    url = url or os.environ.get("WIJKBEELD_DATABASE_URL") or DEFAULT_DATABASE_URL
    config: dict[str, object] = dict(dj_database_url.parse(url, conn_max_age=0))
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web app read while the CLI imports; a busy timeout instead of instant locks.
        config["OPTIONS"] = {
            "timeout": 30,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


SECRET_KEY = os.environ.get("WIJKBEELD_SECRET_KEY", "wijkbeeld-dev-only-not-secret")
DEBUG = os.environ.get("WIJKBEELD_DEBUG", "1") == "1"
ALLOWED_HOSTS = os.environ.get("WIJKBEELD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "wijkbeeld.web.accounts.adminapp.WijkbeeldAdminConfig",  # the admin, for the admin role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "wijkbeeld.web.accounts",
    "wijkbeeld.web.areas",
    "wijkbeeld.web.figures",
    "wijkbeeld.web.pages",
    "wijkbeeld.web.urgency",  # label "rounds": peilingen, uitnodigingen, antwoorden
    "wijkbeeld.web.voices",  # label "voices_web": stemmen, aanleidingen, leeslog
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "wijkbeeld.web.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
            ],
        },
    },
]

WSGI_APPLICATION = "wijkbeeld.web.wsgi.application"

DATABASES = {"default": database_from_env()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", "Nederlands"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True

STATIC_URL = "static/"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    # Leaflet for the map page, served locally (no CDN): /static/leaflet/leaflet.js
    ("leaflet", xstatic.pkg.leaflet.BASE_DIR),
]
STATIC_ROOT = Path(os.environ.get("WIJKBEELD_STATIC_ROOT", Path.cwd() / "staticfiles"))

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

#: A municipality's own theme lexicons (TOML, merged over the bundled one; see docs/voices.md).
WIJKBEELD_LEXICON_FILES = [
    p for p in os.environ.get("WIJKBEELD_LEXICON_FILES", "").split(os.pathsep) if p.strip()
]

#: No aggregate of voices or ratings is shown for fewer respondents than this (DESIGN.md §6).
WIJKBEELD_MIN_GROUP_SIZE = int(os.environ.get("WIJKBEELD_MIN_GROUP_SIZE", "5"))
