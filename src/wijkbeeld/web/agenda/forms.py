"""Forms of the agenda pages. Every form validates on the server; the services check again.

Targets are typed one per line, so an agenda item's measures fit one text field and read back
the way they were written (decimal comma or point)::

    indicator elan_bijstand 2019 0,081 0,075 aandeel met bijstand
    peiling residents share_urgent voorbeeld-morgenstond-2019 0,75 0,4

``indicator KEY BASELINE_YEAR BASELINE TARGET [label]`` or
``peiling GROUP MEASURE ROUND_KEY BASELINE TARGET [label]`` (the round question is about the
item's theme). A broken line gives an error naming its line number and what is wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbeeld.agenda.progress import Target
from wijkbeeld.web.agenda.models import ActionStatus, Party, PartyType

__all__ = [
    "ActionForm",
    "AgendaForm",
    "AgreeForm",
    "ItemForm",
    "PartyForm",
    "ReportForm",
    "format_targets",
    "parse_targets",
]

_DATE = forms.DateInput(attrs={"type": "date"})


def _number(text: str, line: int, what: str) -> float:
    try:
        return float(text.replace(",", "."))
    except ValueError as exc:
        raise forms.ValidationError(
            _("regel %(line)s: %(what)s %(text)r is geen getal"),
            params={"line": line, "what": what, "text": text}) from exc


def parse_targets(text: str, theme: str) -> list[dict[str, Any]]:
    """The targets of the text field as stored dicts; every broken line is reported."""
    out: list[dict[str, Any]] = []
    errors: list[forms.ValidationError] = []
    for line, raw in enumerate(text.splitlines(), start=1):
        parts = raw.split()
        if not parts:
            continue
        kind = parts[0].casefold()
        try:
            if kind == "indicator" and len(parts) >= 5:
                target = Target("indicator", parts[1], _number(parts[3], line, "nulmeting"),
                                parts[2], _number(parts[4], line, "doel"),
                                label=" ".join(parts[5:]))
            elif kind == "peiling" and len(parts) >= 6:
                target = Target("round", theme, _number(parts[4], line, "nulmeting"), parts[3],
                                _number(parts[5], line, "doel"), group=parts[1],
                                metric=parts[2], label=" ".join(parts[6:]))
            else:
                raise forms.ValidationError(
                    _("regel %(line)s: schrijf 'indicator SLEUTEL JAAR NULMETING DOEL' of "
                      "'peiling GROEP MAAT PEILING NULMETING DOEL'"), params={"line": line})
        except forms.ValidationError as exc:
            errors.append(exc)
            continue
        except ValueError as exc:
            errors.append(forms.ValidationError(_("regel %(line)s: %(problem)s"),
                                                params={"line": line, "problem": str(exc)}))
            continue
        out.append(target.to_dict())
    if errors:
        raise forms.ValidationError(errors)
    return out


def _num(x: float) -> str:
    return f"{x:g}".replace(".", ",")


def format_targets(targets: Sequence[dict[str, Any]]) -> str:
    """The stored targets as the lines :func:`parse_targets` reads."""
    lines = []
    for raw in targets:
        t = Target.from_dict(raw)
        label = f" {t.label}" if t.label else ""
        if t.kind == "indicator":
            lines.append(f"indicator {t.key} {t.baseline_at} {_num(t.baseline)} "
                         f"{_num(t.target)}{label}")
        else:
            lines.append(f"peiling {t.group} {t.metric} {t.baseline_at} {_num(t.baseline)} "
                         f"{_num(t.target)}{label}")
    return "\n".join(lines)


class AgendaForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    note = forms.CharField(label=_("Toelichting"), max_length=300, required=False)


class AgreeForm(forms.Form):
    agreed_on = forms.DateField(label=_("Vastgesteld op"), widget=_DATE)


class PartyForm(forms.Form):
    name = forms.CharField(label=_("Organisatie"), max_length=200)
    party_type = forms.ChoiceField(label=_("Soort"), choices=PartyType.choices)
    contact_role = forms.CharField(
        label=_("Contactrol"), max_length=120,
        help_text=_("Een functie, zoals wijkconsulent; geen naam van een persoon."))


class ItemForm(forms.Form):
    """A new agenda item, or a new version of one (``revision=True`` adds note and date)."""

    key = forms.SlugField(label=_("Sleutel"), max_length=60,
                          help_text=_("kleine letters, cijfers en -, bijv. werk-inkomen"))
    theme = forms.ChoiceField(label=_("Thema"))
    ambition = forms.CharField(label=_("Ambitie in gewone woorden"), max_length=2000,
                               widget=forms.Textarea(attrs={"rows": 3}))
    targets = forms.CharField(
        label=_("Doelen (één per regel)"), required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("indicator SLEUTEL JAAR NULMETING DOEL [naam] of "
                    "peiling GROEP MAAT PEILING NULMETING DOEL [naam]"))
    parties = forms.ModelMultipleChoiceField(label=_("Partijen die het dragen"),
                                             queryset=Party.objects.none(), required=False,
                                             widget=forms.CheckboxSelectMultiple)
    policy_link = forms.CharField(label=_("Gemeentelijk beleid"), max_length=300,
                                  required=False)

    def __init__(self, *args: Any, area_code: str, themes: Sequence[tuple[str, str]],
                 revision: bool = False, agreed: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        theme_field = self.fields["theme"]
        assert isinstance(theme_field, forms.ChoiceField)
        theme_field.choices = list(themes)
        party_field = self.fields["parties"]
        assert isinstance(party_field, forms.ModelMultipleChoiceField)
        party_field.queryset = Party.objects.filter(area_code=area_code, active=True)
        if revision:
            self.fields["key"].disabled = True
            self.fields["theme"].disabled = True
            self.fields["change_note"] = forms.CharField(
                label=_("Wat is er veranderd"), max_length=300, required=agreed)
            self.fields["agreed_on"] = forms.DateField(
                label=_("Afgesproken op"), required=agreed, widget=_DATE)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if "theme" in data and "targets" in data:
            try:
                data["target_list"] = parse_targets(data["targets"], data["theme"])
            except forms.ValidationError as exc:
                self.add_error("targets", exc)
        return data


class ActionForm(forms.Form):
    title = forms.CharField(label=_("Actie"), max_length=200)
    party = forms.ModelChoiceField(label=_("Partij"), queryset=Party.objects.none(),
                                   required=False)
    started_on = forms.DateField(label=_("Start"), required=False, widget=_DATE)
    due_on = forms.DateField(label=_("Gereed"), required=False, widget=_DATE)

    def __init__(self, *args: Any, area_code: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        party_field = self.fields["party"]
        assert isinstance(party_field, forms.ModelChoiceField)
        party_field.queryset = Party.objects.filter(area_code=area_code, active=True)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, due = data.get("started_on"), data.get("due_on")
        if start and due and due < start:
            self.add_error("due_on", _("Gereed ligt voor de start."))
        return data


class ReportForm(forms.Form):
    on = forms.DateField(label=_("Datum"), widget=_DATE)
    status = forms.ChoiceField(label=_("Status"), choices=ActionStatus.choices)
    progress = forms.IntegerField(label=_("Voortgang (%)"), min_value=0, max_value=100)
    note = forms.CharField(label=_("Toelichting"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))
