"""The three steps of the respondent form as services: blind, the picture, the story.

Asking before showing (DESIGN.md §6, issue 17):

1. :func:`submit_blind`: per theme how urgent it is (1..5 or "weet niet") and optionally why,
   before any figure is shown. This is the urgency measure. Once stored it is **frozen**: a second
   blind submission (another window, the back button) raises :class:`BlindFrozen` and changes
   nothing.
2. :func:`submit_picture`: after the picture (figures, map, what others said, in neutral words):
   per theme "herkent u dit beeld?" (ja / deels / nee, optionally why) and the urgency again.
   Sending again replaces these answers only; the blind rating stays.
3. :func:`submit_story`: an optional story about one theme (or the neighbourhood in general),
   quotable only with the respondent's consent; :func:`withdraw_consent` takes that back later,
   through the same personal link, also after the round has closed.

Free text is scrubbed before it is stored, as everywhere (:func:`~wijkbeeld.web.urgency.services.
scrub_text`). The one-step :func:`~wijkbeeld.web.urgency.services.submit_response` stays for
callers that hold all answers at once; its responses are not blind.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from wijkbeeld.urgency.options import RECOGNITION_ANSWERS, UrgencyOptions
from wijkbeeld.web.urgency.models import Answer, Invitation, Response, Round
from wijkbeeld.web.urgency.services import (
    MAX_COMMENT,
    MAX_STORY,
    AnswerError,
    BlindFrozen,
    RoundClosed,
    RoundError,
    StaleSubmission,
    SubmitResult,
    WrongRound,
    _story_voice,
    current_revision,
    invitation_for_token,
    lock_invitation,
    scrub_text,
    story_source,
)

__all__ = [
    "BlindAnswer",
    "BlindFrozen",
    "BlindMissing",
    "PictureAnswer",
    "StoryState",
    "story_state",
    "submit_blind",
    "submit_picture",
    "submit_story",
    "withdraw_consent",
]


class BlindMissing(RoundError):
    """A later step was sent before the blind step was stored."""


@dataclass(frozen=True)
class BlindAnswer:
    """Step 1 for one theme: rating 1..5 or None ("weet niet"), and why (optional)."""

    theme: str
    rating: int | None
    comment: str = ""


@dataclass(frozen=True)
class PictureAnswer:
    """Step 2 for one theme: the rating after the picture (None: "weet niet"), recognition
    ja/deels/nee or None (not answered), and why (optional)."""

    theme: str
    rating: int | None
    recognition: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class StoryState:
    """What the link holds of step 3: the scrubbed story, its theme and whether it may be
    quoted."""

    story: str
    theme: str
    consent: bool


def _rating_problem(theme: str, rating: object, options: UrgencyOptions) -> str | None:
    if rating is None:
        return None
    if isinstance(rating, bool) or not isinstance(rating, int) \
            or not 1 <= rating <= options.scale_points:
        return (f"{theme}: oordeel {rating!r} is geen 1 t/m {options.scale_points} "
                "of 'weet niet'")
    return None


def _check_themes(rnd: Round, themes: Sequence[str]) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for theme in themes:
        if theme not in rnd.themes:
            problems.append(f"thema {theme!r} hoort niet bij deze peiling")
        elif theme in seen:
            problems.append(f"thema {theme!r} is twee keer beantwoord")
        seen.add(theme)
    problems += [f"thema {t!r} is niet beantwoord" for t in rnd.themes if t not in seen]
    return problems


def _open_round(invitation: Invitation, round_key: str | None) -> Round:
    rnd = invitation.round
    if round_key is not None and rnd.key != round_key:
        raise WrongRound("deze link hoort bij een andere peiling")
    if not rnd.is_open:
        raise RoundClosed(f"peiling {rnd.key!r} is gesloten")
    return rnd


def _keep(rnd: Round, using: str) -> list[str]:
    return [n for n in rnd.areas.using(using).values_list("name", flat=True) if n]


def _merge(counts: dict[str, int], found: dict[str, int]) -> None:
    for key, value in found.items():
        counts[key] = counts.get(key, 0) + value


def submit_blind(
    token: str,
    answers: Sequence[BlindAnswer],
    *,
    round_key: str | None = None,
    options: UrgencyOptions | None = None,
    using: str = "default",
) -> SubmitResult:
    """Store step 1 (every theme of the round needs a rating or "weet niet").

    Raises :class:`InvalidToken`, :class:`WrongRound`, :class:`RoundClosed`,
    :class:`AnswerError`, and :class:`BlindFrozen` when this link already answered (the blind
    rating never changes once stored)."""
    options = options or UrgencyOptions()
    with transaction.atomic(using=using):
        invitation = lock_invitation(token, using)
        rnd = _open_round(invitation, round_key)
        if Response.objects.using(using).filter(invitation=invitation).exists():
            raise BlindFrozen("uw eerste oordeel is al opgeslagen en verandert niet meer")
        problems = _check_themes(rnd, [a.theme for a in answers])
        problems += [p for a in answers if (p := _rating_problem(a.theme, a.rating, options))]
        problems += [f"{a.theme}: toelichting langer dan {MAX_COMMENT} tekens"
                     for a in answers if len(a.comment) > MAX_COMMENT]
        if problems:
            raise AnswerError(problems)
        keep = _keep(rnd, using)
        counts: dict[str, int] = {}
        rows = []
        for a in answers:
            text, found = scrub_text(a.comment, keep) if a.comment.strip() else ("", {})
            _merge(counts, found)
            rows.append(Answer(theme=a.theme, rating=a.rating, comment=text))
        response = Response.objects.using(using).create(
            invitation=invitation, round=rnd, area=invitation.area, group=invitation.group,
            organisation_type=invitation.organisation_type,
            respondent=f"inv-{invitation.pk}", source="form", blind_at=timezone.now(),
            scrub_counts=counts,
        )
        for row in rows:
            row.response = response
        Answer.objects.using(using).bulk_create(rows)
    return SubmitResult(response.pk, rnd.key, False, counts)


def _blind_response(invitation: Invitation, using: str) -> Response:
    response = Response.objects.using(using).filter(invitation=invitation).first()
    if response is None:
        raise BlindMissing("beantwoord eerst de eerste vragen")
    return response


def submit_picture(
    token: str,
    answers: Sequence[PictureAnswer],
    *,
    revision: str | None = None,
    options: UrgencyOptions | None = None,
    using: str = "default",
) -> SubmitResult:
    """Store step 2: recognition and the rating after the picture, per theme of the round.

    Replaces earlier step-2 answers; never the blind rating. ``revision`` as in
    :func:`~wijkbeeld.web.urgency.services.submit_response` (:class:`StaleSubmission`).
    Raises :class:`BlindMissing` before step 1."""
    options = options or UrgencyOptions()
    with transaction.atomic(using=using):
        invitation = lock_invitation(token, using)
        rnd = _open_round(invitation, None)
        response = _blind_response(invitation, using)
        if revision is not None and revision != current_revision(invitation, using=using):
            raise StaleSubmission("de antwoorden zijn intussen opnieuw opgeslagen")
        problems = _check_themes(rnd, [a.theme for a in answers])
        problems += [p for a in answers if (p := _rating_problem(a.theme, a.rating, options))]
        problems += [f"{a.theme}: herkenning {a.recognition!r} is geen ja, deels of nee"
                     for a in answers
                     if a.recognition is not None and a.recognition not in RECOGNITION_ANSWERS]
        problems += [f"{a.theme}: toelichting langer dan {MAX_COMMENT} tekens"
                     for a in answers if len(a.comment) > MAX_COMMENT]
        if problems:
            raise AnswerError(problems)
        keep = _keep(rnd, using)
        counts = dict(response.scrub_counts or {})
        stored = {a.theme: a for a in Answer.objects.using(using).filter(response=response)}
        changed = []
        for a in answers:
            text, found = scrub_text(a.comment, keep) if a.comment.strip() else ("", {})
            _merge(counts, found)
            row = stored.get(a.theme) or Answer(response=response, theme=a.theme, rating=None)
            row.rating_after, row.recognition, row.recognition_comment = (
                a.rating, a.recognition or "", text)
            changed.append(row)
        for row in changed:
            row.save(using=using)
        response.scrub_counts = counts
        response.save(using=using, update_fields=["scrub_counts", "updated_at"])
    return SubmitResult(response.pk, rnd.key, True, counts)


def submit_story(
    token: str,
    story: str,
    *,
    consent: bool,
    theme: str | None = None,
    using: str = "default",
) -> SubmitResult:
    """Store step 3: the optional story (scrubbed) about ``theme`` (a theme of the round, or
    None for the neighbourhood in general) and whether it may be quoted. An empty story
    removes an earlier one."""
    with transaction.atomic(using=using):
        invitation = lock_invitation(token, using)
        rnd = _open_round(invitation, None)
        response = _blind_response(invitation, using)
        problems = []
        if theme and theme not in rnd.themes:
            problems.append(f"thema {theme!r} hoort niet bij deze peiling")
        if len(story) > MAX_STORY:
            problems.append(f"verhaal langer dan {MAX_STORY} tekens")
        if problems:
            raise AnswerError(problems)
        text, found = scrub_text(story, _keep(rnd, using)) if story.strip() else ("", {})
        counts = dict(response.scrub_counts or {})
        _merge(counts, found)
        response.story, response.story_theme = text, (theme or "") if text else ""
        response.scrub_counts = counts
        response.save(using=using, update_fields=["story", "story_theme", "scrub_counts",
                                                  "updated_at"])
        _story_voice(response, invitation, story, consent, using, theme or None)
    return SubmitResult(response.pk, rnd.key, True, counts)


def story_state(invitation: Invitation, using: str = "default") -> StoryState | None:
    """The story of ``invitation``'s response (None: no response yet)."""
    from wijkbeeld.web.voices.models import Voice

    response = Response.objects.using(using).filter(invitation=invitation).first()
    if response is None:
        return None
    consent = Voice.objects.using(using).filter(source=story_source(response),
                                                consent=True).exists()
    return StoryState(response.story, response.story_theme, consent)


def withdraw_consent(token: str, using: str = "default") -> bool:
    """Take back the consent to quote this link's story (also after the round closed); True
    when a quotable story was withdrawn. The story stays as an unquotable voice."""
    from wijkbeeld.web.voices.models import Voice

    invitation = invitation_for_token(token, using=using)
    response = Response.objects.using(using).filter(invitation=invitation).first()
    if response is None:
        return False
    changed = (Voice.objects.using(using)
               .filter(source=story_source(response), consent=True).update(consent=False))
    return changed > 0

