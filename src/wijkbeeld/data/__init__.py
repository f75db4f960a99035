"""Bundled demo data (real, with attribution: see ``ATTRIBUTION.md`` in this folder).

Loaded by :func:`wijkbeeld.web.demo.load_demo` (``wijkbeeld demo load``, part of ``make demo``).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

__all__ = ["data_file"]


def data_file(relative: str) -> Path:
    """Path of a bundled file, e.g. ``data_file("amsterdam/amsterdam_buurten_2022.geojson")``."""
    path = Path(str(resources.files(__name__))) / relative
    if not path.is_file():
        raise FileNotFoundError(f"no bundled demo file {relative!r} in {path.parent}")
    return path
