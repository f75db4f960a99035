"""Headless Chromium for the browser tests, started the one way this machine allows."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

__all__ = ["CHROMIUM", "chromium"]

CHROMIUM = Path("/usr/bin/chromium")  # Debian's chromium; Playwright's own download is offline
_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
         "--disable-component-update", "--disable-sync"]


@contextmanager
def chromium() -> Iterator[Any]:
    """One headless Chromium, closed afterwards. Playwright's sync API runs an event loop in
    this thread, so Django's live-server database calls from it need the async-unsafe switch."""
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=_ARGS)
        try:
            yield browser
        finally:
            browser.close()
