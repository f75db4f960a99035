"""Who may read a voice about the national level (issue 18, finding 6).

Municipality scoping (:func:`wijkbeeld.web.accounts.access.scope_by_municipality`) treats rows of
no municipality as public, which is right for national reference figures but not for voices: a
voice about the country (an area of level ``country``, such as NL00, whose ``municipality`` is
empty) was recorded by one municipality and says something about its residents. So a national
voice is readable only by

* users of the same municipality as its author (the author's organisation), and
* national roles: signed-in users without a municipality (national analysts and admins).

Everyone else, and every reading without a user (a respondent's page, a report or an urgency
matrix shared by all viewers), sees no national voice at all: not its text, not a count, not a
quote. Voices about an area of a municipality are not touched by this rule; the municipality
scoping of the views handles them as before. One rule, used by every place that reads voices:
the list, the full text, the confirmations, the counts and quotes
(:mod:`wijkbeeld.web.voices.services`) and the urgency signals.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from wijkbeeld.web.accounts.access import municipality_of

__all__ = ["can_read_voice", "require_voice", "visible_q", "visible_voices"]


def _signed_in(user: Any) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False))


def visible_q(user: Any, prefix: str = "") -> Q:
    """The condition on voices (``prefix`` ``"voice__"`` from a related model) that ``user`` may
    read under the national-voice rule; ``user`` None means nobody in particular."""
    national = Q(**{f"{prefix}area__municipality": ""})
    if not _signed_in(user):
        return ~national
    own = municipality_of(user)
    if own is None:
        return Q()
    return ~national | Q(**{f"{prefix}author__municipality": own})


def visible_voices[Q_T: QuerySet[Any]](queryset: Q_T, user: Any, prefix: str = "") -> Q_T:
    """``queryset`` without the national voices ``user`` may not read."""
    condition = visible_q(user, prefix)
    return queryset if not condition else queryset.filter(condition)


def can_read_voice(user: Any, voice: Any) -> bool:
    """May ``user`` read ``voice`` under the national-voice rule?"""
    if voice.area.municipality:
        return True
    if not _signed_in(user):
        return False
    own = municipality_of(user)
    if own is None:
        return True
    author = voice.author
    return author is not None and municipality_of(author) == own


def require_voice(user: Any, voice: Any) -> None:
    """403 when ``user`` may not read the national ``voice``."""
    if not can_read_voice(user, voice):
        raise PermissionDenied(_("Deze stem hoort bij een andere gemeente."))
