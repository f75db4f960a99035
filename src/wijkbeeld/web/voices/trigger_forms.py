"""Forms of the trigger (aanleiding) pages: add or edit a trigger, and close it (or open it again).

Plain Dutch (B1) labels, a date picker, themes as checkboxes in a fieldset. The services check
again (:mod:`wijkbeeld.web.voices.triggers`); a service error is shown on the form.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbeeld.urgency.triggers import MAX_DESCRIPTION
from wijkbeeld.web.voices.forms import theme_choices
from wijkbeeld.web.voices.models import TriggerSource, TriggerStatus

__all__ = ["TriggerForm", "TriggerStatusForm"]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class TriggerForm(forms.Form):
    """A new trigger, or the fields of one to edit."""

    description = forms.CharField(
        label=_("Wat is er gebeurd?"), max_length=MAX_DESCRIPTION,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Namen, telefoonnummers en adressen worden verwijderd voor het opslaan."),
        error_messages={"required": _("Schrijf kort wat er is gebeurd.")})
    date = forms.DateField(label=_("Datum"), initial=date.today, widget=_DATE,
                           error_messages={"required": _("Vul een datum in."),
                                           "invalid": _("Vul een datum in als 2025-03-31.")})
    source = forms.ChoiceField(label=_("Waar kwam het vandaan?"), choices=TriggerSource.choices,
                               error_messages={"required": _("Kies waar het vandaan kwam.")})
    themes = forms.MultipleChoiceField(
        label=_("Over welke thema's gaat het?"), required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Kies geen thema als het over het hele gebied gaat."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["themes"].choices = theme_choices()  # type: ignore[attr-defined]


class TriggerStatusForm(forms.Form):
    """Close a trigger (faded or resolved), or say it plays again, from a date."""

    status = forms.ChoiceField(
        label=_("Hoe staat het ervoor?"), widget=forms.RadioSelect,
        error_messages={"required": _("Kies hoe het ervoor staat.")})
    date = forms.DateField(label=_("Sinds wanneer?"), initial=date.today, widget=_DATE,
                           error_messages={"required": _("Vul een datum in."),
                                           "invalid": _("Vul een datum in als 2025-03-31.")})

    def __init__(self, current: str, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = {TriggerStatus.VERVAAGD: _("Vervaagd: er is minder aandacht voor"),
                  TriggerStatus.OPGELOST: _("Opgelost"),
                  TriggerStatus.ACTIEF: _("Speelt weer")}
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (value, label) for value, label in labels.items() if value != current]
