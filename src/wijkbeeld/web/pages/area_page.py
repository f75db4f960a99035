"""The request side of the area page: which year and reference set, validated, and the context.

``?jaar=`` picks one of the years the area has figures for (default: the latest; an unknown
year is a 404, as an unknown ``?indeling=`` on the municipality page); ``?referentie=`` one of
:func:`~wijkbeeld.web.pages.area_profile.reference_choices` (anything else is a 400).
"""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _

from wijkbeeld.compare import ProfileError
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.figures.models import Observation
from wijkbeeld.web.pages import labels
from wijkbeeld.web.pages.area_profile import area_profile_data, build_page, reference_choices
from wijkbeeld.web.pages.profile_cache import import_stamp

__all__ = ["BadChoice", "area_page_context"]


class BadChoice(ValueError):
    """A malformed choice in the query string (answered with 400)."""


def _years(area: Area) -> list[int]:
    """The years the area (in its boundary year) has stored figures for, newest first."""
    periods = (
        Observation.objects.filter(area=area).order_by().values_list("period", flat=True)
        .distinct()
    )
    return sorted({int(p[:4]) for p in periods if p[:4].isdigit()}, reverse=True)


def _choose(request: HttpRequest, years: list[int], choices: tuple[str, ...]) -> tuple[int, str]:
    reference = request.GET.get("referentie", "") or "municipality"
    if reference not in choices:
        raise BadChoice(_("Onbekende referentiegroep: kies uit %(choices)s.")
                        % {"choices": ", ".join(choices)})
    wanted = request.GET.get("jaar", "")
    if not wanted:
        return years[0], reference
    if not wanted.isdigit():
        raise BadChoice(_("Het jaar moet een getal zijn."))
    if int(wanted) not in years:
        raise Http404(_("Voor dit jaar zijn geen cijfers van dit gebied opgeslagen."))
    return int(wanted), reference


def area_page_context(request: HttpRequest, area: Area, municipality_name: str) -> dict[str, Any]:
    """The profile part of the area page's context (empty lists when nothing is stored)."""
    choices = reference_choices(area.level)
    years = _years(area)
    empty: dict[str, Any] = {"groups": [], "n_figures": 0, "years": years, "strengths": [],
                             "challenges": [], "reference": "municipality",
                             "level_label": labels.level_label(area.level)}
    if not years:
        return empty
    year, reference = _choose(request, years, choices)
    stamp = import_stamp()
    try:
        data = area_profile_data(area.code, area.level, area.municipality, area.boundary_year,
                                 year, reference, stamp)
    except ProfileError:
        return {**empty, "year": year, "reference": reference}
    content = build_page(data, labels.english())
    return {
        "groups": content.groups,
        "n_figures": content.n_figures,
        "strengths": content.strengths,
        "strong_themes": content.strong_themes,
        "closest_themes": content.closest_themes,
        "challenges": content.challenges,
        "years": years,
        "year": year,
        "reference": reference,
        "reference_choices": [(c, str(labels.REFERENCE_LABELS[c])) for c in choices],
        "reference_text": labels.reference_description(reference, area.level, municipality_name),
        "reference_n": data.reference_n,
        "level_label": labels.level_label(area.level),
        "peers": data.peer_names,
        "notes": [labels.core_text(n) for n in data.profile.notes],
        "options": data.profile.options,
    }
