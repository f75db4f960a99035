"""Stored voices, their themes, triggers (aanleidingen) and the audit log of full-text reads.

* :class:`Voice`: one experience of a resident, professional or policy maker about an area. Only
  the scrubbed text is stored (:func:`wijkbeeld.voices.scrub`), with the scrub report (how many
  of each kind were replaced); the original text never reaches the database.
* :class:`VoiceTheme`: a theme of a voice, suggested by the tagger with a confidence, or set by a
  person (``confirmed``, ``confirmed_by``).
* :class:`ThemeCorrection`: a person's choice of a voice's themes (who, when, what the tags
  were before): the labels a municipality's theme model learns from.
* :class:`ThemeModel`: a trained theme model of one municipality (bytes, version, labels).
* :class:`Trigger`: an event that makes a theme urgent in an area (scrubbed description), with
  the date of its status and the history of every status change.
* :class:`TextReadAudit`: one row for every read of a full text by an analyst or admin.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkbeeld.web.stakeholders import Group

#: ``VoiceTheme.made_by`` of a tag the lexicon made, and of a theme a person chose.
LEXICON = "lexicon"
PERSON = "persoon"

__all__ = [
    "LEXICON", "PERSON", "Channel", "Group", "TextReadAudit", "ThemeCorrection", "ThemeModel",
    "Tone", "Trigger", "TriggerSource", "TriggerStatus", "Voice", "VoiceTheme",
]


class Channel(models.TextChoices):
    GESPREK = "gesprek", _("gesprek")
    ENQUETE = "enquete", _("enquête")
    BIJEENKOMST = "bijeenkomst", _("bijeenkomst")
    WIJKSCHOUW = "wijkschouw", _("wijkschouw")
    MELDING = "melding", _("melding")
    OBSERVATIE = "observatie", _("observatie")


class Tone(models.TextChoices):
    ZORG = "zorg", _("zorg")
    KRACHT = "kracht", _("kracht")
    NEUTRAAL = "neutraal", _("neutraal")


class TriggerSource(models.TextChoices):
    """Where an aanleiding came from (keys of :data:`wijkbeeld.urgency.triggers.TRIGGER_SOURCES`).
    """

    BEWONERS = "bewoners", _("bewoners")
    GEMEENTE = "gemeente", _("gemeente")
    RIJK = "rijk", _("rijk (landelijk doel)")
    INCIDENT = "incident", _("incident")
    NIEUWS = "nieuws", _("nieuws")
    RAADSVRAAG = "raadsvraag", _("raadsvraag")
    PROFESSIONALS = "professionals", _("professionals en partners")
    OVERIG = "overig", _("anders")


class TriggerStatus(models.TextChoices):
    ACTIEF = "actief", _("actief")
    VERVAAGD = "vervaagd", _("vervaagd")
    OPGELOST = "opgelost", _("opgelost")


class Voice(models.Model):
    """A voice about an area; ``text`` is scrubbed, ``scrub_report`` counts the placeholders."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="voices")
    date = models.DateField(_("datum"))
    channel = models.CharField(_("kanaal"), max_length=20, choices=Channel.choices)
    group = models.CharField(_("groep"), max_length=20, choices=Group.choices)
    organisation_type = models.CharField(_("soort organisatie"), max_length=100, blank=True)
    text = models.TextField(_("tekst (zonder persoonsgegevens)"))
    scrub_report = models.JSONField(_("verwijderde persoonsgegevens"), default=dict, blank=True)
    urgency = models.PositiveSmallIntegerField(_("urgentie"), null=True, blank=True)
    tone = models.CharField(_("toon"), max_length=10, choices=Tone.choices,
                            default=Tone.NEUTRAAL)
    consent = models.BooleanField(_("toestemming"), default=False)
    source = models.CharField(max_length=80, blank=True, help_text="form, or import:<sha256>")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("vastgelegd"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["area", "date"]), models.Index(fields=["source"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(urgency__isnull=True) | Q(urgency__gte=1, urgency__lte=5),
                name="voice_urgency_1_5",
            ),
        ]
        verbose_name = _("stem")
        verbose_name_plural = _("stemmen")

    def __str__(self) -> str:
        return f"stem {self.pk} ({self.date})"


class VoiceTheme(models.Model):
    """A theme of a voice: suggested (confidence 0..1) or confirmed by a person.

    ``made_by`` says what suggested it: ``"lexicon"``, the version of the municipality's theme
    model (:class:`ThemeModel`), or ``"persoon"`` for a theme a person added."""

    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="themes")
    theme = models.CharField(max_length=40)
    confidence = models.FloatField(default=1.0)
    confirmed = models.BooleanField(default=False)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    made_by = models.CharField(max_length=40, default=LEXICON)

    class Meta:
        ordering = ["-confidence", "theme"]
        constraints = [
            models.UniqueConstraint(fields=["voice", "theme"], name="voice_theme_once"),
        ]

    def __str__(self) -> str:
        return f"{self.theme} ({self.confidence:.2f})"


class ThemeCorrection(models.Model):
    """A person's choice of the themes of a voice: a label for the theme model.

    ``themes`` is the chosen set, ``before`` the themes the voice had; the latest correction of
    a voice is its label. The text is the voice's own (scrubbed) text, read when training."""

    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="corrections")
    themes = models.JSONField(default=list)
    before = models.JSONField(default=list, blank=True)
    who = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                            on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["voice", "created_at"])]

    def __str__(self) -> str:
        return f"correctie {self.pk} van stem {self.voice_id}"


class ThemeModel(models.Model):
    """A trained theme model of one municipality; its newest row is the one in use.

    Only the municipality's own (scrubbed) texts went into it: its vocabulary holds fragments
    of them. ``signature`` is an HMAC of ``data`` with the site's secret key: bytes that do not
    match are never loaded."""

    municipality = models.CharField(max_length=6, db_index=True)
    version = models.CharField(max_length=40)
    data = models.BinaryField()
    signature = models.CharField(max_length=128)
    n_labels = models.PositiveIntegerField()
    n_corrections = models.PositiveIntegerField(default=0)
    n_imported = models.PositiveIntegerField(default=0)
    classes = models.JSONField(default=list)
    params = models.JSONField(default=dict)
    trained_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["municipality", "created_at"])]

    def __str__(self) -> str:
        return f"themamodel {self.version} ({self.municipality})"


class Trigger(models.Model):
    """An aanleiding: an event about an area, with its themes and whether it still plays.

    ``status_since`` is the date of the current status; ``history`` every dated status, oldest
    first, as ``[{"status": ..., "date": "YYYY-MM-DD"}]`` (the first entry is the status it was
    recorded with). Only :mod:`wijkbeeld.web.voices.triggers` changes them, together."""

    area = models.ForeignKey("areas.Area", on_delete=models.PROTECT, related_name="triggers")
    date = models.DateField(_("datum"))
    source = models.CharField(_("bron"), max_length=20, choices=TriggerSource.choices)
    description = models.TextField(_("beschrijving (zonder persoonsgegevens)"))
    scrub_report = models.JSONField(default=dict, blank=True)
    themes = models.JSONField(_("thema's"), default=list)
    status = models.CharField(_("status"), max_length=10, choices=TriggerStatus.choices,
                              default=TriggerStatus.ACTIEF)
    status_since = models.DateField(_("status sinds"))
    history = models.JSONField(_("statusgeschiedenis"), default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-date", "-id"]
        verbose_name = _("aanleiding")
        verbose_name_plural = _("aanleidingen")

    def __str__(self) -> str:
        return f"aanleiding {self.pk} ({self.date})"


class TextReadAudit(models.Model):
    """Who read the full text of which voice, and when (analysts and admins only read it)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                             related_name="+")
    voice = models.ForeignKey(Voice, on_delete=models.CASCADE, related_name="reads")
    read_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-read_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user_id} read voice {self.voice_id} at {self.read_at}"
