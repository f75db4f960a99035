"""report: the wijkbeeld report per area, as self-contained HTML and as PDF (DESIGN.md §4).

Plain input (:class:`ReportData`, built by the web layer or a script), pluggable sections
(:func:`register_section`), Jinja2 with autoescaping for the HTML and WeasyPrint for the PDF.
Never imports Django.
"""

from wijkbeeld.report.agenda_section import register_agenda_section
from wijkbeeld.report.data import AreaInfo, MapImage, ReportData
from wijkbeeld.report.document import RenderedSection, render_html, render_pdf, render_sections
from wijkbeeld.report.registry import (
    SectionContent,
    SectionSpec,
    register_section,
    registered_sections,
    unregister_section,
)
from wijkbeeld.report.sections import register_builtin_sections
from wijkbeeld.report.wording import format_number, format_value

__all__ = [
    "AreaInfo",
    "MapImage",
    "RenderedSection",
    "ReportData",
    "SectionContent",
    "SectionSpec",
    "format_number",
    "format_value",
    "register_builtin_sections",
    "register_section",
    "registered_sections",
    "render_html",
    "render_pdf",
    "render_sections",
    "unregister_section",
]

register_builtin_sections()
register_agenda_section()
