"""Quotes beside the figures on the area page: per theme, what residents, professionals and policy
makers said (tellen en vertellen side by side, DESIGN.md §1).

The same rules as every quote (:func:`wijkbeeld.web.voices.services.quotes`): only voices given
with consent, about the area or the areas below it, and none for a theme with fewer voices than
the small-number minimum; the core's :func:`~wijkbeeld.voices.select_quotes` picks them. Why a
batch of its own: the page shows several themes, so the voices are read in one query (none at
all on a page without voices, so the page's query count only grows by one), and example voices
of the demo are marked (``example``) so the page can label them "voorbeeld, fictief".
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import Any

from django.db.models import Q

from wijkbeeld.voices import VoiceText, default_scrubber, select_quotes
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.demo_voices import is_example_source
from wijkbeeld.web.stakeholders import Group

__all__ = ["QUOTE_LEVELS", "theme_quotes"]

#: Area levels whose page shows quotes (a municipality page shows only its figures).
QUOTE_LEVELS = ("district", "neighbourhood")


def theme_quotes(
    area: Area, themes: Sequence[str], *, n: int = 2, using: str = "default"
) -> list[tuple[str, list[dict[str, Any]]]]:
    """(theme, quotes) for each of ``themes`` that has quotes; each quote a dict with ``text``,
    ``group`` (label), ``date`` and ``example`` (a fictitious voice of the demo)."""
    from wijkbeeld.web.voices.models import VoiceTheme
    from wijkbeeld.web.voices.services import keep_names, minimum

    if area.level not in QUOTE_LEVELS or not themes:
        return []
    below = Q(voice__area=area) | Q(voice__area__parent=area) | Q(
        voice__area__parent__parent=area)
    rows = list(VoiceTheme.objects.using(using)
                .filter(below, theme__in=list(themes), voice__consent=True)
                .values_list("theme", "voice_id", "voice__date", "voice__group", "voice__text",
                             "voice__source"))
    if not rows:
        return []
    per_theme: dict[str, list[VoiceText]] = defaultdict(list)
    examples: set[int] = set()
    for theme, pk, when, group, text, source in rows:
        per_theme[theme].append(VoiceText(pk, area.code, when, group, text, frozenset({theme})))
        if is_example_source(source or ""):
            examples.add(pk)
    least = minimum()
    if all(len(v) < least for v in per_theme.values()):
        return []
    scrubber = default_scrubber(keep_names(area, using))
    labels = dict(Group.choices)
    out: list[tuple[str, list[dict[str, Any]]]] = []
    for theme in themes:
        chosen = select_quotes(per_theme.get(theme, []), area.code, theme, n=n, minimum=least,
                               scrubber=scrubber)
        if chosen.withheld or not chosen.quotes:
            continue
        out.append((theme, [{"text": q.text, "group": labels.get(q.group, q.group),
                             "date": q.date, "example": q.id in examples}
                            for q in chosen.quotes]))
    return out
