"""What every command module shares: getting Django ready and Dutch number formatting."""

from __future__ import annotations

__all__ = ["django_ready", "nl_number"]


def django_ready() -> None:
    """Configure Django and create or migrate the database named by ``WIJKBEELD_DATABASE_URL``."""
    from wijkbeeld.web.bootstrap import ensure_database

    ensure_database()


def nl_number(value: float) -> str:
    """A number the Dutch way: ``1234.5`` → ``1 234,5`` (thin space, decimal comma)."""
    text = f"{value:,.10g}" if abs(value) < 1e15 else f"{value:.6g}"
    return text.replace(",", "\u2009").replace(".", ",")
