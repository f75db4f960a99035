"""The registry of report sections: which parts a report has, in which order.

A section is a function from :class:`~wijkbeeld.report.data.ReportData` to a
:class:`SectionContent` (a title and an HTML fragment) or ``None`` when it has nothing to say
(no voices, no urgency round). The built-in sections register themselves on import of
``wijkbeeld.report``; a municipality adds its own with :func:`register_section` and a free
``order`` number (built-ins use 10, 20, ... 90).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from wijkbeeld.report.data import ReportData

__all__ = [
    "RenderFn",
    "SectionContent",
    "SectionSpec",
    "register_section",
    "registered_sections",
    "unregister_section",
]


@dataclass(frozen=True)
class SectionContent:
    """What a section shows: its heading (also the table of contents entry) and its body as
    an HTML fragment in which every outside text is already escaped."""

    title: str
    html: str


RenderFn = Callable[[ReportData], SectionContent | None]


@dataclass(frozen=True)
class SectionSpec:
    """A registered section: unique name, place in the document, and its render function."""

    name: str
    order: int
    render: RenderFn


_SECTIONS: dict[str, SectionSpec] = {}


def register_section(name: str, order: int, render_fn: RenderFn, *, replace: bool = False) -> None:
    """Add a section. A name already taken raises ``ValueError`` unless ``replace`` is set
    (so a municipality can swap a built-in section for its own on purpose only)."""
    if name in _SECTIONS and not replace:
        raise ValueError(f"report section {name!r} is already registered")
    _SECTIONS[name] = SectionSpec(name, order, render_fn)


def unregister_section(name: str) -> None:
    """Remove a section (``KeyError`` when it is not registered)."""
    del _SECTIONS[name]


def registered_sections() -> tuple[SectionSpec, ...]:
    """The sections in document order (by ``order``, then name)."""
    return tuple(sorted(_SECTIONS.values(), key=lambda s: (s.order, s.name)))
