"""Shared fixtures: the raw data folder, and the database aliases storage tests run on.

Storage tests take the ``db_alias`` fixture and run once on SQLite (``default``) and once on
PostgreSQL (``postgres``, from ``WIJKBEELD_TEST_POSTGRES_URL``). Under CI a missing PostgreSQL is a
failure, not a skip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def _raw_folder() -> Path:
    """``WIJKBEELD_RAW_DATA``, else ``shared/data/raw`` beside the checkout or the workplace's."""
    if os.environ.get("WIJKBEELD_RAW_DATA"):
        return Path(os.environ["WIJKBEELD_RAW_DATA"])
    for candidate in (ROOT.parent / "shared" / "data" / "raw", Path("/work/shared/data/raw")):
        if candidate.exists():
            return candidate
    return ROOT.parent / "shared" / "data" / "raw"


RAW = _raw_folder()


def _aliases() -> list[str]:
    from django.conf import settings

    return ["default", "postgres"] if "postgres" in settings.DATABASES else ["default"]


def pytest_configure(config: pytest.Config) -> None:
    if os.environ.get("CI") == "true" and not os.environ.get("WIJKBEELD_TEST_POSTGRES_URL"):
        raise pytest.UsageError(
            "CI=true but WIJKBEELD_TEST_POSTGRES_URL is not set: PostgreSQL tests cannot be skipped"
        )


@pytest.fixture(scope="session")
def raw() -> Path:
    """The folder of real data (``shared/data/raw``); tests that need it skip only outside CI."""
    if not RAW.exists():
        if os.environ.get("CI") == "true":
            pytest.fail(f"raw data folder {RAW} missing")
        pytest.skip(f"raw data folder {RAW} missing")
    return RAW


@pytest.fixture(params=["default", "postgres"])
def db_alias(request: pytest.FixtureRequest) -> str:
    """Run a storage test on each database engine (use with ``django_db(databases="__all__")``)."""
    alias = str(request.param)
    if alias not in _aliases():
        pytest.skip("PostgreSQL not configured (set WIJKBEELD_TEST_POSTGRES_URL)")
    return alias
