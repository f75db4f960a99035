"""Django settings for wijkbeeld.

The database comes from ``WIJKBEELD_DATABASE_URL`` (default: ``wijkbeeld.sqlite3`` in the working
directory), so the CLI and the web application always share one store.
"""

from __future__ import annotations

import os
import warnings
from datetime import timedelta
from pathlib import Path

import dj_database_url
import xstatic.pkg.leaflet
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent

DEFAULT_DATABASE_URL = "sqlite:///" + str(Path.cwd() / "wijkbeeld.sqlite3")


def database_from_env(url: str | None = None) -> dict[str, object]:
    """A Django DATABASES entry from a URL (sqlite:///path or postgres://user@host/db)."""
    url = url or os.environ.get("WIJKBEELD_DATABASE_URL") or DEFAULT_DATABASE_URL
    # Connections: per request by default; WIJKBEELD_DB_CONN_MAX_AGE (seconds) keeps them open in
    # a long-running server. Health checks make a request after a database restart reconnect
    # instead of failing on the dead connection (docs/operations.md).
    max_age = int(os.environ.get("WIJKBEELD_DB_CONN_MAX_AGE", "0"))
    config: dict[str, object] = dict(
        dj_database_url.parse(url, conn_max_age=max_age, conn_health_checks=True)
    )
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # WAL lets the web app read while the CLI imports; a busy timeout instead of instant locks.
        # WIJKBEELD_SQLITE_TIMEOUT: seconds a writer waits for the lock before "database is
        # locked" (answered 503, see web/dbfaults.py); benchmarks/load.py lowers it to provoke it.
        config["OPTIONS"] = {
            "timeout": float(os.environ.get("WIJKBEELD_SQLITE_TIMEOUT", "30")),
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    return config


SECRET_KEY = os.environ.get("WIJKBEELD_SECRET_KEY", "wijkbeeld-dev-only-not-secret")
#: Off unless WIJKBEELD_DEBUG=1, the demo (`wijkbeeld serve`, `make demo`) included: debug pages
#: show settings and request data, and a missing page must be the friendly 404 (issue 18).
DEBUG = os.environ.get("WIJKBEELD_DEBUG", "0") == "1"
ALLOWED_HOSTS = os.environ.get("WIJKBEELD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",")

INSTALLED_APPS = [
    "wijkbeeld.web.accounts.adminapp.WijkbeeldAdminConfig",  # the admin, for the admin role
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",  # login throttling (failed attempts stored in the database)
    "wijkbeeld.web.accounts",
    "wijkbeeld.web.areas",
    "wijkbeeld.web.figures",
    "wijkbeeld.web.pages",
    "wijkbeeld.web.urgency",  # label "rounds": peilingen, uitnodigingen, antwoorden
    "wijkbeeld.web.voices",  # label "voices_web": stemmen, aanleidingen, leeslog
    "wijkbeeld.web.api",  # label "api": API tokens; the JSON API under /api/
    "ninja",  # django-ninja: its Swagger UI static files, served locally (no CDN)
    "wijkbeeld.web.agenda",  # label "agenda_web": partijen, buurtagenda's, acties
    "wijkbeeld.web.jobs",  # label "jobs": achtergrondtaken (wijkbeeld worker)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Static files from the app itself, with DEBUG off too (gunicorn, `wijkbeeld serve`).
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Database down or locked: 503 with Retry-After instead of a 500 (docs/operations.md).
    "wijkbeeld.web.dbfaults.DatabaseUnavailableMiddleware",
    "axes.middleware.AxesMiddleware",  # last: turns a lock-out into the lock-out page
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
# PostgreSQL read replicas (comma-separated URLs): reads of areas and figures go there, the rest
# to the primary (wijkbeeld.web.dbrouter, docs/deploy.md).
for _i, _url in enumerate(
    u.strip() for u in os.environ.get("WIJKBEELD_DATABASE_REPLICA_URLS", "").split(",") if u.strip()
):
    DATABASES[f"replica_{_i + 1}"] = database_from_env(_url)
if len(DATABASES) > 1:
    DATABASE_ROUTERS = ["wijkbeeld.web.dbrouter.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

#: Caches live in the database, so every gunicorn worker and app server shares them and the app
#: servers keep no state of their own (sessions are in the database too: Django's default
#: SESSION_ENGINE). "shared" holds computed comparisons, profiles and hotspot maps keyed by the
#: data version (wijkbeeld.web.pages.profile_cache); the table is made by the figures migration
#: 0004 (createcachetable). Entries of an old data version are never asked for again; they expire.
CACHES = {
    name: {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": table,
        "TIMEOUT": 24 * 60 * 60,
        "OPTIONS": {"MAX_ENTRIES": 5000, "CULL_FREQUENCY": 4},
    }
    for name, table in (("default", "wijkbeeld_cache"), ("shared", "wijkbeeld_shared_cache"))
}

AUTH_USER_MODEL = "accounts.User"
#: The throttle first: it counts every attempt atomically and refuses one over the limit before
#: any password is checked, also under parallel requests (wijkbeeld.web.accounts.throttle).
AUTHENTICATION_BACKENDS = [
    "wijkbeeld.web.accounts.throttle.CountingBackend",
    "django.contrib.auth.backends.ModelBackend",
]
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
#: WhiteNoise serves the static files straight from the installed package and xstatic-leaflet
#: (the staticfiles finders, indexed once when a worker starts), so a deploy needs no
#: collectstatic step; files collected into STATIC_ROOT are served too (docs/operations.md).
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message="No directory at: ", category=UserWarning)

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"

# Security headers and limits; production switches (HTTPS, HSTS, secure cookies) live in
# settings_production.py. See docs/security.md.
#: Content-Security-Policy: only this site's own files; no inline script, style or handler.
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "object-src": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
#: Request bodies: forms are small; files come in through the CLI importers, never the web.
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
#: Importers refuse a file larger than this (bytes) and an xlsx that unpacks to more than
#: WIJKBEELD_MAX_UNPACKED_BYTES or with a member compressed more than WIJKBEELD_MAX_ZIP_RATIO x.
WIJKBEELD_MAX_IMPORT_BYTES = int(os.environ.get("WIJKBEELD_MAX_IMPORT_BYTES", str(200 << 20)))
#: Where the import page stores uploaded files until the background worker has imported them
#: (one private subdirectory per job, removed when the job ends). App servers and workers must
#: see the same directory (docs/deploy.md).
WIJKBEELD_JOB_DIR = Path(os.environ.get("WIJKBEELD_JOB_DIR", Path.cwd() / "wijkbeeld-jobs"))

# Login throttling (django-axes): after AXES_FAILURE_LIMIT wrong passwords for one user name
# from one address, every login for that pair is refused (even the right password) for
# AXES_COOLOFF_TIME.
AXES_FAILURE_LIMIT = int(os.environ.get("WIJKBEELD_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("WIJKBEELD_LOGIN_COOLOFF_MINUTES", "15")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
#: Attempts are counted before the password check, atomically (wijkbeeld.web.accounts.throttle).
AXES_HANDLER = "wijkbeeld.web.accounts.throttle.CountedHandler"
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "wijkbeeld/locked.html"
AXES_VERBOSE = False
#: No log of successful logins (user name, address, browser): not needed, so not kept (AVG).
AXES_DISABLE_ACCESS_LOG = True
#: Lock-outs expire by themselves; an admin lifts one early with
#: `wijkbeeld manage axes_reset_username NAME` (no admin pages for them).
AXES_ENABLE_ADMIN = False

#: Logging: warnings and errors to stderr, never a request body, a query string or a token
#: (wijkbeeld.web.logfilter.Redact); no e-mail of error reports with request data.
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"redact": {"()": "wijkbeeld.web.logfilter.Redact"},
                "redact_sql": {"()": "wijkbeeld.web.logfilter.RedactSql"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "stderr": {"class": "logging.StreamHandler", "formatter": "plain",
                   "filters": ["redact"]},
    },
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        "axes": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
        # Loggers that write a path or SQL values themselves: cleaned before any handler sees the
        # record, at every level (issue 18; tests/security/test_log_secrets.py).
        "django.request": {"filters": ["redact"]},
        "django.server": {"filters": ["redact"]},
        "django.security.csrf": {"filters": ["redact"]},
        "django.db.backends": {"filters": ["redact_sql"]},
    },
}
#: Privacy (AVG): how long voices and round responses are kept (days; 0 = keep). Purged by
#: `wijkbeeld privacy purge` (docs/security.md).
WIJKBEELD_RETENTION_VOICES_DAYS = int(os.environ.get("WIJKBEELD_RETENTION_VOICES_DAYS", "1825"))
WIJKBEELD_RETENTION_RESPONSES_DAYS = int(
    os.environ.get("WIJKBEELD_RETENTION_RESPONSES_DAYS", "730"))

#: A municipality's own theme lexicons (TOML, merged over the bundled one; see docs/voices.md).
WIJKBEELD_LEXICON_FILES = [
    p for p in os.environ.get("WIJKBEELD_LEXICON_FILES", "").split(os.pathsep) if p.strip()
]

#: No aggregate of voices or ratings is shown for fewer respondents than this (DESIGN.md §6).
WIJKBEELD_MIN_GROUP_SIZE = int(os.environ.get("WIJKBEELD_MIN_GROUP_SIZE", "5"))
