"""The API tests share the stored data of :mod:`api_support` (one module-scoped load)."""

from api_support import api_data  # noqa: F401  (fixture)
