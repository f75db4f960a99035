"""Stored parties, neighbourhood agendas (buurtagenda's), their versioned items and actions.

* :class:`Party`: an organisation involved in an area (type corporatie, welzijn, zorg, politie,
  onderwijs, ondernemers, bewonersorganisatie or gemeente) with its *contact role* (a function
  such as "wijkconsulent", never a person's name).
* :class:`Agenda`: the agenda of one area (CBS code, kept as a code so it outlives a boundary
  year), a draft (``concept``) until it is agreed on a date (``vastgesteld``).
* :class:`AgendaItem`: the stable identity of one item (its theme and place); its content lives in
  :class:`AgendaItemVersion` rows. **History is appended, never edited away**: an edit creates a
  new version (number + 1); a stored version refuses to be saved again or deleted on its own.
  A version holds the ambition in plain words, the targets (indicators and round questions with
  baseline and target, :class:`wijkbeeld.agenda.Target` as JSON), the parties that carry it and
  the municipal policy it links to.
* :class:`Action` with its :class:`ActionUpdate` log: status and progress over time.

Free text (ambition, notes) is scrubbed of personal data before it is saved (services).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wijkbeeld.agenda.coverage import PARTY_TYPES

__all__ = [
    "Action",
    "ActionStatus",
    "ActionUpdate",
    "Agenda",
    "AgendaItem",
    "AgendaItemVersion",
    "AgendaStatus",
    "Party",
    "PartyType",
    "VersionImmutable",
]


class PartyType(models.TextChoices):
    CORPORATIE = "corporatie", _("woningcorporatie")
    WELZIJN = "welzijn", _("welzijn")
    ZORG = "zorg", _("zorg")
    POLITIE = "politie", _("politie")
    ONDERWIJS = "onderwijs", _("onderwijs")
    ONDERNEMERS = "ondernemers", _("ondernemers")
    BEWONERSORGANISATIE = "bewonersorganisatie", _("bewonersorganisatie")
    GEMEENTE = "gemeente", _("gemeente")


assert tuple(PartyType.values) == PARTY_TYPES, "party types must match wijkbeeld.agenda"


class AgendaStatus(models.TextChoices):
    CONCEPT = "concept", _("concept")
    VASTGESTELD = "vastgesteld", _("vastgesteld")


class ActionStatus(models.TextChoices):
    GEPLAND = "gepland", _("gepland")
    LOPEND = "lopend", _("lopend")
    AFGEROND = "afgerond", _("afgerond")
    GESTOPT = "gestopt", _("gestopt")


class VersionImmutable(RuntimeError):
    """A stored agenda item version was about to be changed or deleted."""


class Party(models.Model):
    """An organisation involved in an area, with its contact role (no person's name)."""

    municipality = models.CharField(_("gemeente"), max_length=6, db_index=True)
    area_code = models.CharField(_("gebied"), max_length=10, db_index=True)
    name = models.CharField(_("organisatie"), max_length=200)
    party_type = models.CharField(_("soort"), max_length=20, choices=PartyType.choices)
    contact_role = models.CharField(_("contactrol"), max_length=120,
                                    help_text=_("een functie, geen naam"))
    active = models.BooleanField(_("actief"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["area_code", "party_type", "name"]
        verbose_name = _("partij")
        verbose_name_plural = _("partijen")
        constraints = [
            models.UniqueConstraint(fields=["area_code", "name"], name="party_once_per_area"),
            models.CheckConstraint(condition=Q(party_type__in=PARTY_TYPES),
                                   name="party_type_known"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.party_type})"


class Agenda(models.Model):
    """The neighbourhood agenda of one area: a draft until agreed on a date."""

    municipality = models.CharField(_("gemeente"), max_length=6, db_index=True)
    area_code = models.CharField(_("gebied"), max_length=10, db_index=True)
    title = models.CharField(_("titel"), max_length=200)
    status = models.CharField(_("status"), max_length=12, choices=AgendaStatus.choices,
                              default=AgendaStatus.CONCEPT)
    agreed_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    note = models.CharField(_("toelichting"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["area_code", "-agreed_on", "-id"]
        verbose_name = _("buurtagenda")
        verbose_name_plural = _("buurtagenda's")
        constraints = [
            models.CheckConstraint(
                condition=Q(status="concept") | Q(status="vastgesteld", agreed_on__isnull=False),
                name="agenda_agreed_has_date"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.area_code})"

    @property
    def is_agreed(self) -> bool:
        return bool(self.status == AgendaStatus.VASTGESTELD)


class AgendaItem(models.Model):
    """The stable identity of one agenda item; its content is in its versions."""

    agenda = models.ForeignKey(Agenda, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(_("sleutel"), max_length=60)
    theme = models.CharField(_("thema"), max_length=40)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["agenda", "position", "id"]
        verbose_name = _("agendapunt")
        verbose_name_plural = _("agendapunten")
        constraints = [
            models.UniqueConstraint(fields=["agenda", "key"], name="agenda_item_key_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agenda.area_code} · {self.key}"

    def current(self, using: str | None = None) -> AgendaItemVersion:
        """The latest version (every item has at least one)."""
        qs = self.versions.using(using) if using else self.versions
        return qs.order_by("-number").first()  # type: ignore[no-any-return]


class AgendaItemVersion(models.Model):
    """One version of an agenda item. Stored once; an edit is a new row (see module doc)."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versie"))
    ambition = models.TextField(_("ambitie (in gewone woorden)"))
    targets = models.JSONField(_("doelen"), default=list)
    parties = models.ManyToManyField(Party, blank=True, related_name="item_versions")
    policy_link = models.CharField(_("gemeentelijk beleid"), max_length=300, blank=True)
    agreed_on = models.DateField(_("vastgesteld op"), null=True, blank=True)
    change_note = models.CharField(_("wat is er veranderd"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["item", "number"]
        verbose_name = _("versie van een agendapunt")
        verbose_name_plural = _("versies van agendapunten")
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="item_version_once"),
            models.CheckConstraint(condition=Q(number__gte=1), name="item_version_from_1"),
        ]

    def __str__(self) -> str:
        return f"{self.item} v{self.number}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        """Insert only: a stored version is history and is never changed."""
        if self.pk is not None and not self._state.adding:
            raise VersionImmutable("een vastgelegde versie wordt niet gewijzigd; "
                                   "maak een nieuwe versie")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise VersionImmutable("een versie wordt niet verwijderd: de geschiedenis blijft")


class Action(models.Model):
    """An action under an agenda item, carried by a party, with its current status."""

    item = models.ForeignKey(AgendaItem, on_delete=models.CASCADE, related_name="actions")
    title = models.CharField(_("actie"), max_length=200)
    party = models.ForeignKey(Party, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="actions")
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices,
                              default=ActionStatus.GEPLAND)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"), default=0)
    started_on = models.DateField(_("gestart"), null=True, blank=True)
    due_on = models.DateField(_("gereed"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["item", "started_on", "id"]
        verbose_name = _("actie")
        verbose_name_plural = _("acties")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_0_100"),
        ]

    def __str__(self) -> str:
        return self.title


class ActionUpdate(models.Model):
    """One dated report on an action (appended; the action keeps the latest)."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="updates")
    on = models.DateField(_("datum"))
    status = models.CharField(_("status"), max_length=10, choices=ActionStatus.choices)
    progress = models.PositiveSmallIntegerField(_("voortgang (%)"))
    note = models.TextField(_("toelichting (geschoond)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True,
                                   on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["action", "on", "id"]
        verbose_name = _("voortgangsmelding")
        verbose_name_plural = _("voortgangsmeldingen")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100),
                                   name="action_update_progress_0_100"),
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.on}: {self.progress}%"
