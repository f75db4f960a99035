"""Forms of the voices pages: record a voice (phone-friendly), the quick intake after a
conversation, confirm its themes, correct it."""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Any

from django import forms
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from wijkbeeld.voices import MAX_TEXT_CHARS, THEME_KEYS
from wijkbeeld.web.voices.models import Channel, Group, Tone

__all__ = [
    "ORGANISATION_TYPES", "TEXT_TOO_LONG", "CorrectForm", "IntakeForm", "RecordForm", "ThemesForm",
    "check_text_length", "theme_choices",
]

_URGENCY = [("", _("geen oordeel")), *[(str(i), str(i)) for i in range(1, 6)]]
#: The error on a text over the limit of the core (numbers in the reader's format).
TEXT_TOO_LONG = _("De tekst is te lang: %(length)s tekens, er mogen hoogstens %(limit)s in. "
                  "Maak hem korter of verdeel hem over meer stemmen.")


def check_text_length(value: str) -> None:
    """Refuse a text longer than :data:`~wijkbeeld.voices.MAX_TEXT_CHARS` with
    :data:`TEXT_TOO_LONG`: the limit lives in the core, so form, importer and CLI agree."""
    if len(value) > MAX_TEXT_CHARS:
        raise forms.ValidationError(TEXT_TOO_LONG, code="max_length", params={
            "length": number_format(len(value), force_grouping=True),
            "limit": number_format(MAX_TEXT_CHARS, force_grouping=True),
        })


def _text_field(label: Any, rows: int, help_text: Any = "") -> forms.CharField:
    """A free-text field of a voice: at most :data:`~wijkbeeld.voices.MAX_TEXT_CHARS`."""
    return forms.CharField(
        label=label, help_text=help_text, validators=[check_text_length],
        widget=forms.Textarea(attrs={"rows": rows, "maxlength": str(MAX_TEXT_CHARS)}))


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

    text = _text_field(
        _("Wat is er gezegd of gezien?"), 6,
        _("Namen, telefoonnummers en adressen worden verwijderd voor het opslaan."))
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

    text = _text_field(_("Tekst"), 8)
    tone = forms.ChoiceField(label=_("Toon"), choices=Tone.choices)
    urgency = forms.TypedChoiceField(label=_("Urgentie (1 laag, 5 hoog)"), choices=_URGENCY,
                                     required=False, coerce=_urgency, empty_value=None)


#: Kinds of organisation a professional works for (the agenda's party types a professional can
#: have, plus "anders"); stored as the key in ``Voice.organisation_type``.
ORGANISATION_TYPES: list[tuple[str, Any]] = [
    ("corporatie", _("woningcorporatie")), ("welzijn", _("welzijn")), ("zorg", _("zorg")),
    ("politie", _("politie")), ("onderwijs", _("onderwijs")),
    ("ondernemers", _("ondernemers")), ("anders", _("anders")),
]
_GROUPS = [(Group.RESIDENTS.value, _("Bewoners")),
           (Group.PROFESSIONALS.value, _("Professionals (van een organisatie)")),
           (Group.POLICY.value, _("Beleid (gemeente)"))]
_TONES = [(Tone.ZORG.value, _("Zorg: er gaat iets mis")),
          (Tone.KRACHT.value, _("Kracht: er gaat iets goed")),
          (Tone.NEUTRAAL.value, _("Neutraal"))]
#: Widgets that render one input per choice: an error links to the first of them.
_MULTI = (forms.RadioSelect, forms.CheckboxSelectMultiple)

AreaChoices = list[tuple[str, list[tuple[str, str]]]]


class IntakeForm(forms.Form):
    """The quick intake after a conversation (``/stemmen/gesprek/``), phone first.

    ``areas`` are the grouped choices of the area select (one group per wijk: the wijk itself,
    then its buurten, names first); the view builds them from the user's municipality only, so a
    code of another municipality is not a valid choice. Without chosen themes the tagger's
    suggestions are kept; chosen themes are stored as confirmed.
    """

    area = forms.ChoiceField(label=_("Over welke wijk of buurt ging het?"))
    group = forms.ChoiceField(label=_("Met wie sprak u?"), choices=_GROUPS,
                              widget=forms.RadioSelect)
    organisation_type = forms.ChoiceField(
        label=_("Soort organisatie"), required=False,
        choices=[("", _("kies een soort")), *ORGANISATION_TYPES],
        help_text=_("Alleen nodig als u met professionals sprak."))
    text = _text_field(
        _("Wat heeft u gehoord?"), 6,
        _("Schrijf op wat er gezegd is. Namen, telefoonnummers, e-mailadressen en "
          "adressen halen wij weg voor het opslaan."))
    themes = forms.MultipleChoiceField(
        label=_("Over welke thema's ging het?"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies er een of meer. Kiest u niets, dan stellen wij thema's voor."))
    tone = forms.ChoiceField(label=_("Hoe klonk het?"), choices=_TONES,
                             widget=forms.RadioSelect, initial=Tone.NEUTRAAL.value)
    consent = forms.BooleanField(
        label=_("Dit mag zonder naam geciteerd worden"), required=False,
        help_text=_("Alleen aanvinken als de persoon dat goed vindt."))
    date = forms.DateField(label=_("Datum van het gesprek"), initial=date.today,
                           widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))

    def __init__(self, *args: Any, areas: AreaChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = [  # type: ignore[attr-defined]
            ("", _("kies een wijk of buurt")), *areas]
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]

    def clean_date(self) -> dt.date:
        value: dt.date = self.cleaned_data["date"]
        if value > date.today():
            raise forms.ValidationError(_("De datum ligt in de toekomst."))
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("group") == Group.PROFESSIONALS.value:
            if not data.get("organisation_type"):
                self.add_error("organisation_type",
                               _("Kies de soort organisatie van de professional."))
        else:
            data["organisation_type"] = ""
        return data

    def error_links(self) -> list[tuple[str, str, str]]:
        """(element id, field label, first error) of every field with an error, in form order,
        for the error summary; a group of radio buttons or checkboxes links to its first one."""
        links = []
        for bound in self:
            if bound.errors:
                anchor = bound.auto_id
                if isinstance(bound.field.widget, _MULTI):
                    anchor = f"{anchor}_0"
                links.append((anchor, str(bound.label), str(bound.errors[0])))
        return links
