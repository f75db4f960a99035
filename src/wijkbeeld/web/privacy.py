"""Privacy duties (AVG/GDPR) on stored data: retention, erasure and export per respondent.

* :func:`purge`: remove voices and round responses older than the retention periods in settings
  (``WIJKBEELD_RETENTION_VOICES_DAYS``, ``WIJKBEELD_RETENTION_RESPONSES_DAYS``; 0 keeps them),
  and failed-login records older than the lock-out time. Age counts from when the row was stored
  (a voice's ``created_at``) or last changed by the respondent (a response's ``updated_at``).
* :func:`erase`: remove what one respondent left through their personal link: the response, its
  answers and the voice made from its story (``--revoke`` also removes the link itself).
* :func:`export`: everything stored about one link, as plain data (JSON-ready).

A token is only ever looked up by its hash (:mod:`wijkbeeld.web.urgency.tokens`); nothing here
writes a token or a text to the log.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from wijkbeeld.web.urgency.models import Invitation, Response
from wijkbeeld.web.urgency.services import invitation_for_token
from wijkbeeld.web.voices.models import Voice

__all__ = ["Removed", "erase", "export", "purge", "story_source"]


def story_source(response_pk: int) -> str:
    """The ``source`` of the voice made from a response's story (as urgency.services writes)."""
    return f"peiling:{response_pk}"


@dataclass(frozen=True)
class Removed:
    """What a purge or an erasure removed (or would remove, on a dry run)."""

    counts: dict[str, int] = field(default_factory=dict)
    dry_run: bool = False
    cutoffs: dict[str, str] = field(default_factory=dict)

    def summary(self) -> str:
        what = ", ".join(f"{k} {v}" for k, v in self.counts.items())
        verb = "zou verwijderen" if self.dry_run else "verwijderd"
        return f"{verb}: {what}"


def _cutoff(days: int, now: datetime) -> datetime | None:
    return None if days <= 0 else now - timedelta(days=days)


def purge(*, dry_run: bool = False, voices_days: int | None = None,
          responses_days: int | None = None, now: datetime | None = None,
          using: str = "default") -> Removed:
    """Remove voices and responses past their retention period (all or nothing)."""
    from axes.models import AccessAttempt

    now = now or timezone.now()
    v_days = settings.WIJKBEELD_RETENTION_VOICES_DAYS if voices_days is None else voices_days
    r_days = (settings.WIJKBEELD_RETENTION_RESPONSES_DAYS if responses_days is None
              else responses_days)
    v_cut, r_cut = _cutoff(v_days, now), _cutoff(r_days, now)
    counts: dict[str, int] = {}
    with transaction.atomic(using=using):
        responses = (Response.objects.using(using).filter(updated_at__lt=r_cut) if r_cut
                     else Response.objects.using(using).none())
        stories = [story_source(pk) for pk in responses.values_list("pk", flat=True)]
        voices = Voice.objects.using(using).filter(source__in=stories)
        if v_cut:
            voices = voices | Voice.objects.using(using).filter(created_at__lt=v_cut)
        attempts = AccessAttempt.objects.using(using).filter(
            attempt_time__lt=now - settings.AXES_COOLOFF_TIME)
        counts["antwoorden"] = sum(r.answers.count() for r in responses)
        counts["responses"] = responses.count()
        counts["stemmen"] = voices.count()
        counts["mislukte_inlogpogingen"] = attempts.count()
        if not dry_run:
            voices.delete()
            responses.delete()
            attempts.delete()
    cutoffs = {k: v.isoformat() for k, v in (("stemmen", v_cut), ("responses", r_cut)) if v}
    return Removed(counts, dry_run, cutoffs)


def erase(token: str, *, revoke: bool = False, using: str = "default") -> Removed:
    """Remove one respondent's response, answers and story voice (InvalidToken if unknown)."""
    invitation = invitation_for_token(token, using=using)
    with transaction.atomic(using=using):
        response = Response.objects.using(using).filter(invitation=invitation).first()
        counts = {"responses": 0, "antwoorden": 0, "stemmen": 0, "uitnodigingen": 0}
        if response is not None:
            counts["antwoorden"] = response.answers.count()
            stories = Voice.objects.using(using).filter(source=story_source(response.pk))
            counts["stemmen"] = stories.count()
            stories.delete()
            response.delete()
            counts["responses"] = 1
        if revoke:
            Invitation.objects.using(using).filter(pk=invitation.pk).delete()
            counts["uitnodigingen"] = 1
        else:
            Invitation.objects.using(using).filter(pk=invitation.pk).update(used_at=None)
    return Removed(counts)


def _when(value: Any) -> str | None:
    return None if value is None else value.isoformat()


def export(token: str, *, using: str = "default") -> dict[str, Any]:
    """Everything stored about the link ``token`` (round, area, group, answers, story voice)."""
    invitation = invitation_for_token(token, using=using)
    rnd = invitation.round
    data: dict[str, Any] = {
        "uitnodiging": {
            "peiling": rnd.key, "titel": rnd.title, "gebied": invitation.area.code,
            "groep": invitation.group, "organisatietype": invitation.organisation_type,
            "aangemaakt": _when(invitation.created_at), "eerst_gebruikt": _when(invitation.used_at),
        },
        "antwoord": None,
        "stem_uit_verhaal": None,
        "opmerking": ("Alleen geschoonde tekst is opgeslagen; de oorspronkelijke tekst en de link "
                      "zelf worden niet bewaard (alleen een hash van de link)."),
    }
    response = Response.objects.using(using).filter(invitation=invitation).first()
    if response is None:
        return data
    data["antwoord"] = {
        "respondent": response.respondent, "ingestuurd": _when(response.submitted_at),
        "bijgewerkt": _when(response.updated_at), "verhaal": response.story,
        "verwijderde_persoonsgegevens": response.scrub_counts,
        "themas": [{"thema": a.theme, "score": a.rating, "herkenning": a.recognition,
                    "toelichting": a.comment} for a in response.answers.all()],
    }
    voice = Voice.objects.using(using).filter(source=story_source(response.pk)).first()
    if voice is not None:
        data["stem_uit_verhaal"] = {
            "datum": voice.date.isoformat(), "tekst": voice.text, "toestemming": voice.consent,
            "themas": [t.theme for t in voice.themes.all()],
            "gelezen_door_aantal": voice.reads.count(),
        }
    return data
