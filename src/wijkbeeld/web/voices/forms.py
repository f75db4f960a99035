"""Forms of the voices pages: record a voice (phone-friendly), confirm its themes, correct it."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbeeld.voices import THEME_KEYS
from wijkbeeld.web.voices.models import Channel, Group, Tone
from wijkbeeld.web.voices.services import MAX_TEXT

__all__ = ["CorrectForm", "RecordForm", "ThemesForm", "theme_choices"]

_URGENCY = [("", _("geen oordeel")), *[(str(i), str(i)) for i in range(1, 6)]]


def theme_choices() -> list[tuple[str, str]]:
    """(key, name) of every theme in the reader's language, names from the figures catalogue
    where it has them."""
    from django.utils.translation import get_language

    from wijkbeeld.figures.catalogue import load_catalogue

    en = (get_language() or "nl").startswith("en")
    names = {k: (t.name_en if en and t.name_en else t.name_nl)
             for k, t in load_catalogue().themes.items()}
    return [(k, names.get(k, k.replace("_", " "))) for k in THEME_KEYS]


def _urgency(value: str) -> int | None:
    return int(value) if value else None


class RecordForm(forms.Form):
    """What a professional writes down after a conversation or walk."""

    text = forms.CharField(
        label=_("Wat is er gezegd of gezien?"), max_length=MAX_TEXT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Namen, telefoonnummers en adressen worden verwijderd voor het opslaan."),
    )
    date = forms.DateField(label=_("Datum"), initial=date.today,
                           widget=forms.DateInput(attrs={"type": "date"}))
    channel = forms.ChoiceField(label=_("Kanaal"), choices=Channel.choices)
    group = forms.ChoiceField(label=_("Wie sprak?"), choices=Group.choices)
    organisation_type = forms.CharField(label=_("Soort organisatie (bij professionals)"),
                                        max_length=100, required=False)
    urgency = forms.TypedChoiceField(label=_("Urgentie (1 laag, 5 hoog)"), choices=_URGENCY,
                                     required=False, coerce=_urgency, empty_value=None)
    consent = forms.BooleanField(label=_("Toestemming om anoniem te citeren"), required=False)


class ThemesForm(forms.Form):
    """Confirm or correct the suggested themes."""

    themes = forms.MultipleChoiceField(label=_("Thema's"), required=False,
                                       widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]


class CorrectForm(ThemesForm):
    """The analyst's correction of text, themes, tone and urgency."""

    text = forms.CharField(label=_("Tekst"), max_length=MAX_TEXT,
                           widget=forms.Textarea(attrs={"rows": 8}))
    tone = forms.ChoiceField(label=_("Toon"), choices=Tone.choices)
    urgency = forms.TypedChoiceField(label=_("Urgentie (1 laag, 5 hoog)"), choices=_URGENCY,
                                     required=False, coerce=_urgency, empty_value=None)
