"""Stored rounds (peilingen), invitations and responses (DESIGN.md §3, §6; issue 6).

* :class:`Round`: one wave of urgency ratings about one wijk or a set of buurten, with its themes
  (keys of the theme catalogue), its date (orders rounds, ties them to a figure year) and status.
* :class:`Invitation`: a personal link for one respondent of a stakeholder group; the token is
  stored only as its SHA-256 hash (:mod:`wijkbeeld.web.urgency.tokens`).
* :class:`Response`: one per invitation (a one-to-one, so a unique constraint in the database) or
  per respondent of an imported survey export; resubmission replaces its :class:`Answer` rows.
* :class:`Answer`: per theme the rating 1..5 (null = "weet niet"), the recognition ja/deels/nee
  ("" = not answered) and a scrubbed comment.

Asking before showing (issue 17, DESIGN.md §6): a respondent first rates every theme *blind*, with
no figure in sight (``Answer.rating``, the urgency measure; ``Response.blind_at`` says when that
step was stored, and from then on it is frozen), then sees the picture and answers "herkent u dit
beeld?" and rates again (``Answer.rating_after``; the shift between the two is its own signal).
A response without ``blind_at`` (stored before this form, or loaded with ``rounds import``) was
not asked blind: its round is labelled "niet blind".

Free text (comments, the story) is scrubbed of personal data before it is saved; the original is
never stored.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkbeeld.urgency.options import GROUPS, RECOGNITION_ANSWERS
from wijkbeeld.web.stakeholders import Group

__all__ = ["Answer", "Group", "Invitation", "Recognition", "Response", "Round", "Status"]


class Status(models.TextChoices):
    OPEN = "open", _("open")
    CLOSED = "closed", _("gesloten")


class Recognition(models.TextChoices):
    """"Herkent u dit beeld?" (same keys as :data:`wijkbeeld.urgency.RECOGNITION_ANSWERS`)."""

    JA = "ja", _("ja")
    DEELS = "deels", _("deels")
    NEE = "nee", _("nee")


class Round(models.Model):
    """A round (peiling) about one wijk or a set of buurten; ``key`` is the core's round key."""

    key = models.SlugField(_("sleutel"), max_length=60, unique=True)
    title = models.CharField(_("titel"), max_length=200, blank=True)
    areas = models.ManyToManyField("areas.Area", related_name="urgency_rounds")
    themes = models.JSONField(_("thema's"), default=list)
    held_on = models.DateField(_("datum"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.OPEN)
    opened_at = models.DateTimeField(_("geopend"), auto_now_add=True)
    closed_at = models.DateTimeField(_("gesloten"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["held_on", "key"]
        verbose_name = _("peiling")
        verbose_name_plural = _("peilingen")

    def __str__(self) -> str:
        return str(self.title or self.key)

    @property
    def is_open(self) -> bool:
        return bool(self.status == Status.OPEN)


class Invitation(models.Model):
    """A personal, single-token invitation to a round for one stakeholder group."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="invitations")
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(_("groep"), max_length=20, choices=Group.choices)
    organisation_type = models.CharField(_("organisatietype"), max_length=60, blank=True)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(_("eerst gebruikt"), null=True, blank=True)

    class Meta:
        ordering = ["round", "id"]
        verbose_name = _("uitnodiging")
        verbose_name_plural = _("uitnodigingen")
        constraints = [
            models.CheckConstraint(condition=Q(group__in=GROUPS), name="invitation_group_known"),
        ]

    def __str__(self) -> str:
        return f"{self.round.key} · {self.group} · #{self.pk}"


class Response(models.Model):
    """The answers of one respondent in one round (one per invitation, enforced by the DB)."""

    round = models.ForeignKey(Round, on_delete=models.CASCADE, related_name="responses")
    invitation = models.OneToOneField(
        Invitation, null=True, blank=True, on_delete=models.CASCADE, related_name="response"
    )
    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="+")
    group = models.CharField(max_length=20, choices=Group.choices)
    organisation_type = models.CharField(max_length=60, blank=True)
    #: Pseudonymous respondent id: ``inv-<invitation id>`` or the id of an imported export.
    respondent = models.CharField(max_length=100)
    #: ``form`` or ``import:<sha256 of the file>`` (a file is imported into a round once).
    source = models.CharField(max_length=80, default="form")
    story = models.TextField(_("verhaal (geschoond)"), blank=True)
    #: The theme the story was written about ("" = the neighbourhood in general).
    story_theme = models.CharField(_("onderwerp van het verhaal"), max_length=40, blank=True)
    #: When the blind step was stored (None: not asked blind, see the module docstring).
    blind_at = models.DateTimeField(_("blind oordeel opgeslagen"), null=True, blank=True)
    scrub_counts = models.JSONField(default=dict, blank=True)
    submitted_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["round", "id"]
        constraints = [
            models.UniqueConstraint(fields=["round", "respondent"], name="response_respondent"),
            models.CheckConstraint(condition=Q(group__in=GROUPS), name="response_group_known"),
        ]

    def __str__(self) -> str:
        return f"{self.round.key} · {self.respondent}"


class Answer(models.Model):
    """One theme of a response: rating (null = weet niet), recognition, scrubbed comment."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    theme = models.CharField(max_length=40)
    #: The blind rating (the urgency measure); null = "weet niet".
    rating = models.PositiveSmallIntegerField(null=True, blank=True)
    #: The rating after the picture; null = "weet niet" or not (yet) answered.
    rating_after = models.PositiveSmallIntegerField(null=True, blank=True)
    #: "" = not answered (no null on a text column).
    recognition = models.CharField(max_length=5, choices=Recognition.choices, blank=True)
    #: Why this blind rating (scrubbed).
    comment = models.TextField(_("toelichting (geschoond)"), blank=True)
    #: Why (not) recognised (scrubbed).
    recognition_comment = models.TextField(_("toelichting bij herkenning (geschoond)"),
                                           blank=True)

    class Meta:
        ordering = ["response", "id"]
        constraints = [
            models.UniqueConstraint(fields=["response", "theme"], name="answer_theme_once"),
            models.CheckConstraint(
                condition=Q(rating__isnull=True) | Q(rating__gte=1, rating__lte=5),
                name="answer_rating_1_5",
            ),
            models.CheckConstraint(
                condition=Q(rating_after__isnull=True) | Q(rating_after__gte=1,
                                                           rating_after__lte=5),
                name="answer_rating_after_1_5",
            ),
            models.CheckConstraint(
                condition=Q(recognition__in=("", *RECOGNITION_ANSWERS)),
                name="answer_recognition_known",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.rating}"
