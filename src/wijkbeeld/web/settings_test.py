"""Test settings: SQLite as ``default`` and, when ``WIJKBEELD_TEST_POSTGRES_URL`` is set, a real
PostgreSQL as the ``postgres`` alias, so storage tests run on both engines with the same migrations.
"""

from __future__ import annotations

import os

from wijkbeeld.web.settings import *  # noqa: F403
from wijkbeeld.web.settings import database_from_env

DATABASES = {"default": database_from_env("sqlite:///" + "wijkbeeld-test.sqlite3")}
_pg = os.environ.get("WIJKBEELD_TEST_POSTGRES_URL")
if _pg:
    DATABASES["postgres"] = database_from_env(_pg)
    # One test database per process, so parallel runs on one server never collide.
    DATABASES["postgres"]["TEST"] = {"NAME": f"wijkbeeld_test_{os.getpid()}"}

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
DEBUG = False
