"""Services of the rounds app: open a round, invite, submit, close; the pages and the CLI call
these and nothing else writes rounds.

Rules (issue 6):

* a token is shown once and stored only as its hash; it belongs to one round;
* one response per token: the :class:`~wijkbeeld.web.urgency.models.Response` is one-to-one with
  its invitation (a unique constraint in the database); resubmission within an open round
  replaces the answers; a closed round accepts nothing;
* concurrency: :func:`submit_response` starts its transaction with an ``UPDATE`` of the
  invitation row. On PostgreSQL that takes the row lock, so a second submission with the same
  token waits for the first to commit and then replaces its answers; on SQLite the first write of
  a transaction takes the database write lock (waiting up to the busy timeout), which serialises
  the two the same way. The unique constraint is the backstop: two responses for one invitation
  cannot exist whatever happens;
* a late copy of an older submission (a client retrying after a timeout while its first request
  still waits in the server's queue) must not overwrite newer answers: the form carries
  :func:`current_revision` and a submission with an outdated revision raises
  :class:`StaleSubmission` (found by ``benchmarks/load.py``);
* free text (comments per theme, the story) is scrubbed of personal data
  (:func:`wijkbeeld.voices.scrub.scrub`) before it is stored; the original is never saved;
* a story becomes a voice (:func:`wijkbeeld.web.voices.services.store_voice`, channel
  ``enquete``) with the respondent's group and organisation type and the invitation's area,
  scrubbed the same way as every voice, tagged with themes, quotable only with the respondent's
  consent; its ``source`` is ``peiling:<response id>``, so a resubmission replaces it (and an
  emptied story removes it).

The reading side (the frame for the core, the matrix) is in :mod:`wijkbeeld.web.urgency.reading`;
:func:`responses_frame` is re-exported here.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.figures.catalogue import THEME_KEYS
from wijkbeeld.urgency.options import GROUPS, RECOGNITION_ANSWERS, UrgencyOptions
from wijkbeeld.voices.scrub import scrub
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.urgency.models import Answer, Invitation, Response, Round, Status
from wijkbeeld.web.urgency.reading import responses_frame
from wijkbeeld.web.urgency.tokens import hash_token, looks_like_token, new_token

__all__ = [
    "MAX_COMMENT",
    "MAX_STORY",
    "AnswerError",
    "BlindFrozen",
    "InvalidToken",
    "RoundClosed",
    "RoundError",
    "StaleSubmission",
    "SubmitResult",
    "ThemeAnswer",
    "WrongRound",
    "close_round",
    "create_invitations",
    "current_revision",
    "invitation_for_token",
    "lock_invitation",
    "open_round",
    "resolve_areas",
    "responses_frame",
    "scrub_text",
    "story_source",
    "submit_response",
]

#: Longest comment per theme and longest story (characters, before scrubbing).
MAX_COMMENT = 2000
MAX_STORY = 5000
_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,59}")


class RoundError(ValueError):
    """A round cannot be opened, changed or used as asked (message in Dutch, for the user)."""


class InvalidToken(LookupError):
    """No invitation has this token."""


class RoundClosed(RoundError):
    """The round of the invitation is closed: it accepts nothing."""


class WrongRound(RoundError):
    """The token belongs to another round than the one named."""


class BlindFrozen(RoundError):
    """The blind step of this link is already stored; it cannot change any more."""


class StaleSubmission(RoundError):
    """The answers were sent from a form shown before the stored response last changed."""


class AnswerError(RoundError):
    """The answers are incomplete or invalid; ``problems`` lists each (Dutch)."""

    def __init__(self, problems: Sequence[str]) -> None:
        self.problems = tuple(problems)
        super().__init__("; ".join(self.problems))


@dataclass(frozen=True)
class ThemeAnswer:
    """The answer on one theme: rating 1..5 or None ("weet niet"), recognition or None."""

    theme: str
    rating: int | None
    recognition: str | None = None
    comment: str = ""


@dataclass(frozen=True)
class SubmitResult:
    """What :func:`submit_response` stored: the response, and whether it replaced an earlier one."""

    response_id: int
    round_key: str
    replaced: bool
    scrub_counts: dict[str, int] = field(default_factory=dict)


def resolve_areas(
    codes: Iterable[str], *, boundary_year: int | None = None, using: str = "default"
) -> list[Area]:
    """The stored areas of ``codes`` (latest boundary year unless given): one wijk or buurten."""
    wanted: list[str] = []
    for raw in codes:
        try:
            parsed = parse_code(raw)
        except InvalidAreaCode as exc:
            raise RoundError(str(exc)) from exc
        if parsed.level not in (Level.DISTRICT, Level.NEIGHBOURHOOD):
            raise RoundError(f"{parsed.code}: een peiling gaat over een wijk of over buurten")
        wanted.append(parsed.code)
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        raise RoundError("geen gebied opgegeven")
    levels = {parse_code(c).level for c in wanted}
    if Level.DISTRICT in levels and len(wanted) > 1:
        raise RoundError("een peiling gaat over één wijk of over een set buurten, niet beide")
    qs = Area.objects.using(using).filter(code__in=wanted)
    if boundary_year is not None:
        qs = qs.filter(boundary_year=boundary_year)
    latest: dict[str, Area] = {}
    for area in qs.order_by("boundary_year"):
        latest[area.code] = area
    missing = [c for c in wanted if c not in latest]
    if missing:
        raise RoundError(f"onbekend gebied: {', '.join(missing)}")
    return [latest[c] for c in wanted]


def _check_themes(themes: Sequence[str]) -> list[str]:
    keys = [t.strip().casefold() for t in themes]
    unknown = [t for t in keys if t not in THEME_KEYS]
    if unknown or not keys or len(set(keys)) != len(keys):
        raise RoundError(f"thema's moeten verschillende sleutels zijn uit: {', '.join(THEME_KEYS)}"
                         + (f" (onbekend: {', '.join(unknown)})" if unknown else ""))
    return [t for t in THEME_KEYS if t in keys]


def open_round(
    key: str,
    areas: Sequence[str],
    themes: Sequence[str],
    held_on: date,
    *,
    title: str = "",
    created_by: object | None = None,
    boundary_year: int | None = None,
    using: str = "default",
) -> Round:
    """Open a round about one wijk or a set of buurten on ``themes`` (catalogue order kept)."""
    key = key.strip()
    if not _KEY.fullmatch(key):
        raise RoundError(f"sleutel {key!r} ongeldig: gebruik letters, cijfers, - en _ "
                         "(bijv. 2024-voorjaar)")
    chosen = _check_themes(themes)
    found = resolve_areas(areas, boundary_year=boundary_year, using=using)
    with transaction.atomic(using=using):
        if Round.objects.using(using).filter(key=key).exists():
            raise RoundError(f"peiling {key!r} bestaat al")
        rnd = Round(key=key, title=title, themes=chosen, held_on=held_on, status=Status.OPEN,
                    created_by=created_by)
        rnd.save(using=using)
        rnd.areas.set(found)
    return rnd


def create_invitations(
    rnd: Round,
    group: str,
    count: int = 1,
    *,
    organisation_type: str = "",
    area: str | None = None,
    using: str = "default",
) -> list[str]:
    """Create ``count`` invitations and return their plain tokens (shown once, never stored).

    ``area``: the area the respondents answer for; may be left out when the round has one area.
    """
    if group not in GROUPS:
        raise RoundError(f"onbekende groep {group!r} (kies uit {', '.join(GROUPS)})")
    if count < 1:
        raise RoundError("aantal uitnodigingen moet minstens 1 zijn")
    rnd.refresh_from_db(using=using)
    if not rnd.is_open:
        raise RoundClosed(f"peiling {rnd.key!r} is gesloten")
    own = list(rnd.areas.using(using).all())
    if area is None:
        if len(own) != 1:
            raise RoundError("deze peiling gaat over meer gebieden: kies het gebied")
        target = own[0]
    else:
        matches = [a for a in own if a.code == area.strip().upper()]
        if not matches:
            raise RoundError(f"{area} hoort niet bij peiling {rnd.key!r}")
        target = matches[0]
    tokens = [new_token() for _ in range(count)]
    Invitation.objects.using(using).bulk_create(
        Invitation(round=rnd, area=target, group=group,
                   organisation_type=organisation_type.strip().casefold(),
                   token_hash=hash_token(t))
        for t in tokens
    )
    return tokens


def invitation_for_token(token: str, *, using: str = "default") -> Invitation:
    """The invitation of a plain token (with its round and area), or :class:`InvalidToken`."""
    if not looks_like_token(token):
        raise InvalidToken("onbekende link")
    try:
        return (Invitation.objects.using(using).select_related("round", "area")
                .get(token_hash=hash_token(token)))
    except Invitation.DoesNotExist as exc:
        raise InvalidToken("onbekende link") from exc


def scrub_text(text: str, keep: Sequence[str] = ()) -> tuple[str, dict[str, int]]:
    """Free text scrubbed of personal data, and the counts per placeholder."""
    result = scrub(text.strip(), keep=keep)
    return result.text, result.report()


def _validate(rnd: Round, answers: Sequence[ThemeAnswer], story: str,
              options: UrgencyOptions) -> list[str]:
    problems: list[str] = []
    seen: set[str] = set()
    for a in answers:
        if a.theme not in rnd.themes:
            problems.append(f"thema {a.theme!r} hoort niet bij deze peiling")
        elif a.theme in seen:
            problems.append(f"thema {a.theme!r} is twee keer beantwoord")
        seen.add(a.theme)
        rating = a.rating
        if rating is not None and (isinstance(rating, bool) or not isinstance(rating, int)
                                   or not 1 <= rating <= options.scale_points):
            problems.append(f"{a.theme}: oordeel {rating!r} is geen 1 t/m "
                            f"{options.scale_points} of 'weet niet'")
        if a.recognition is not None and a.recognition not in RECOGNITION_ANSWERS:
            problems.append(f"{a.theme}: herkenning {a.recognition!r} is geen ja, deels of nee")
        if len(a.comment) > MAX_COMMENT:
            problems.append(f"{a.theme}: toelichting langer dan {MAX_COMMENT} tekens")
    problems += [f"thema {t!r} is niet beantwoord" for t in rnd.themes if t not in seen]
    if len(story) > MAX_STORY:
        problems.append(f"verhaal langer dan {MAX_STORY} tekens")
    return problems


def lock_invitation(token: str, using: str = "default") -> Invitation:
    """The invitation of ``token``, locked for this transaction (call inside ``atomic``): the
    first statement writes, see the module docstring. Raises :class:`InvalidToken`."""
    if not looks_like_token(token):
        raise InvalidToken("onbekende link")
    digest = hash_token(token)
    touched = (Invitation.objects.using(using).filter(token_hash=digest)
               .update(used_at=Coalesce("used_at", Value(timezone.now()))))
    if touched == 0:
        raise InvalidToken("onbekende link")
    return (Invitation.objects.using(using).select_for_update()
            .select_related("round", "area").get(token_hash=digest))


def submit_response(
    token: str,
    answers: Sequence[ThemeAnswer],
    *,
    story: str = "",
    story_consent: bool = False,
    round_key: str | None = None,
    options: UrgencyOptions | None = None,
    revision: str | None = None,
    using: str = "default",
) -> SubmitResult:
    """Store the answers of the invitation with ``token``; a resubmission replaces them.

    Raises :class:`InvalidToken` (unknown token), :class:`WrongRound` (``round_key`` given and the
    token belongs to another round), :class:`RoundClosed` and :class:`AnswerError`. Every theme of
    the round needs an answer (a rating or "weet niet"). ``story_consent``: the story may be
    quoted (the voice's ``consent``). ``revision``: :func:`current_revision` when the form was
    shown; if the stored response changed since, :class:`StaleSubmission` and nothing is stored
    (a retried or delayed copy of an older submission never overwrites newer answers).
    """
    options = options or UrgencyOptions()
    with transaction.atomic(using=using):
        invitation = lock_invitation(token, using)
        rnd = invitation.round
        if round_key is not None and rnd.key != round_key:
            raise WrongRound("deze link hoort bij een andere peiling")
        if not rnd.is_open:
            raise RoundClosed(f"peiling {rnd.key!r} is gesloten")
        if revision is not None and revision != current_revision(invitation, using=using):
            raise StaleSubmission("de antwoorden zijn intussen opnieuw opgeslagen")
        if Response.objects.using(using).filter(invitation=invitation,
                                                blind_at__isnull=False).exists():
            # answered blind through the form: that rating is frozen (web.urgency.steps)
            raise BlindFrozen("uw eerste oordeel is al opgeslagen en verandert niet meer")
        problems = _validate(rnd, answers, story, options)
        if problems:
            raise AnswerError(problems)
        keep = [n for n in rnd.areas.using(using).values_list("name", flat=True) if n]
        counts: dict[str, int] = {}
        cleaned: list[Answer] = []
        for a in answers:
            text, found = scrub_text(a.comment, keep) if a.comment.strip() else ("", {})
            for k, v in found.items():
                counts[k] = counts.get(k, 0) + v
            cleaned.append(Answer(theme=a.theme, rating=a.rating, recognition=a.recognition or "",
                                  comment=text))
        story_text, found = scrub_text(story, keep) if story.strip() else ("", {})
        for k, v in found.items():
            counts[k] = counts.get(k, 0) + v
        response, created = Response.objects.using(using).update_or_create(
            invitation=invitation,
            defaults={"round": rnd, "area": invitation.area, "group": invitation.group,
                      "organisation_type": invitation.organisation_type,
                      "respondent": f"inv-{invitation.pk}", "source": "form",
                      "story": story_text, "scrub_counts": counts},
        )
        Answer.objects.using(using).filter(response=response).delete()
        for answer in cleaned:
            answer.response = response
        Answer.objects.using(using).bulk_create(cleaned)
        _story_voice(response, invitation, story, story_consent, using)
    return SubmitResult(response.pk, rnd.key, not created, counts)


def current_revision(invitation: Invitation, *, using: str = "default") -> str:
    """The revision of the stored response of ``invitation`` ("" when none): its last change."""
    changed = (Response.objects.using(using).filter(invitation=invitation)
               .values_list("updated_at", flat=True).first())
    return "" if changed is None else changed.isoformat()


def story_source(response: Response) -> str:
    """The ``source`` of the voice made from a response's story."""
    return f"peiling:{response.pk}"


def _story_voice(response: Response, invitation: Invitation, story: str, consent: bool,
                 using: str, theme: str | None = None) -> None:
    """Replace the voice made from this response's story (inside the caller's transaction);
    ``theme``: the theme it was written about (kept beside the tagger's themes)."""
    from wijkbeeld.web.voices.models import Channel, Voice
    from wijkbeeld.web.voices.services import store_voice

    Voice.objects.using(using).filter(source=story_source(response)).delete()
    if not story.strip():
        return
    store_voice(invitation.area, story.strip(), when=timezone.localdate(),
                channel=Channel.ENQUETE, group=invitation.group,
                organisation_type=invitation.organisation_type, urgency=None, tone=None,
                consent=consent, author=None, extra_themes=(theme,) if theme else (),
                source=story_source(response),
                using=using)


def close_round(rnd: Round, *, using: str = "default") -> Round:
    """Close a round: from now on it accepts no answers (its invitation links answer 410)."""
    with transaction.atomic(using=using):
        locked = Round.objects.using(using).select_for_update().get(pk=rnd.pk)
        if locked.is_open:
            locked.status = Status.CLOSED
            locked.closed_at = timezone.now()
            locked.save(using=using, update_fields=["status", "closed_at"])
    rnd.refresh_from_db(using=using)
    return rnd
