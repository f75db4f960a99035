"""Forms of the round set-up pages (issue 6): open a round, make invitations.

:class:`RoundForm` offers only stored wijken and buurten of the user's municipality (latest
boundary year); a round is about one wijk, or about buurten of that wijk (the buurten are chosen
beside it). Checks that need the whole form (buurten of another wijk or municipality, a key in
use) give a message on the field concerned; the service
(:func:`wijkbeeld.web.urgency.services.open_round`) checks again and stores nothing on any error.
:class:`InvitationForm`: group, organisation type, count (1..500) and, for a round of buurten,
the buurt the respondents answer for.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from wijkbeeld.areas.codes import Level, parse_code
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.stakeholders import Group
from wijkbeeld.web.urgency.models import Round

__all__ = [
    "MAX_INVITATIONS", "AreaChoice", "InvitationForm", "RoundForm", "area_choices",
    "initial_areas",
]

#: Most invitations made at once (the links are shown on one page).
MAX_INVITATIONS = 500
_KEY_PATTERN = r"^[A-Za-z0-9][A-Za-z0-9_-]{0,59}$"


#: (code, name, level, wijk code) of a stored area; a wijk has its own code as wijk code.
type AreaChoice = tuple[str, str, str, str]


def area_choices(municipality: str | None) -> list[AreaChoice]:
    """Stored wijken and buurten of ``municipality`` (None: all) in the current division: the
    latest boundary year stored for each municipality, so a wijk that was merged or renamed
    in a later division is not offered beside its successor (issue 19). By name."""
    qs = (Area.objects.filter(level__in=[Level.DISTRICT.value, Level.NEIGHBOURHOOD.value])
          .only("code", "name", "level", "boundary_year", "municipality")
          .order_by("boundary_year"))
    if municipality is not None:
        qs = qs.filter(municipality=municipality)
    latest: dict[str, Area] = {}
    current: dict[str, int] = {}
    for area in qs:
        latest[area.code] = area
        key = area.municipality or parse_code(area.code).municipality or ""
        current[key] = max(current.get(key, area.boundary_year), area.boundary_year)
    out: list[AreaChoice] = []
    for code, area in latest.items():
        key = area.municipality or parse_code(code).municipality or ""
        if area.boundary_year != current[key]:
            continue  # only in an older division
        parsed = parse_code(code)
        wijk = parsed.parent if parsed.level is Level.NEIGHBOURHOOD else code
        out.append((code, area.name or code, parsed.level.value, wijk or code))
    return sorted(out, key=lambda a: (_plain(a[1]), a[0]))


def _plain(name: str) -> str:
    """Sort key of a name: without case, accents and a leading "'s-"/"'t " ('s-Gravenhage
    sorts under G)."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode().lower()
    for prefix in ("'s-", "'s ", "'t "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def initial_areas(areas: Sequence[AreaChoice], code: str) -> dict[str, Any]:
    """The form's starting area for ``?gebied=<code>`` (the "start a round" link of an area
    without rounds): a wijk fills the wijk, a buurt its wijk and itself; anything not among
    ``areas`` (unknown, or outside the user's municipality) fills nothing."""
    known = {a[0]: a for a in areas}
    chosen = known.get(code.strip().upper())
    if chosen is None:
        return {}
    if chosen[2] == Level.NEIGHBOURHOOD.value:
        return {"wijk": chosen[3], "buurten": [chosen[0]]} if chosen[3] in known else {}
    return {"wijk": chosen[0]}


class RoundForm(forms.Form):
    """A new round: key, title, date, a wijk (and optionally buurten of it), themes."""

    key = forms.RegexField(
        label=_("Sleutel"), regex=_KEY_PATTERN, max_length=60,
        help_text=_("Letters, cijfers, - en _, bijvoorbeeld 2025-voorjaar. Niet te wijzigen."),
        error_messages={"invalid": _("Gebruik alleen letters, cijfers, - en _ "
                                     "(begin met een letter of cijfer).")})
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    held_on = forms.DateField(
        label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        help_text=_("Koppelt de peiling aan het jaar van de cijfers."))
    wijk = forms.ChoiceField(label=_("Wijk"), error_messages={
        "invalid_choice": _("Onbekende wijk, of een wijk buiten uw gemeente: %(value)s.")})
    buurten = forms.MultipleChoiceField(
        label=_("Buurten (optioneel)"), required=False,
        help_text=_("Kies geen buurten voor een peiling over de hele wijk, of een of meer "
                    "buurten van de gekozen wijk."),
        error_messages={"invalid_choice": _("Onbekende buurt, of een buurt buiten uw gemeente: "
                                            "%(value)s.")})
    themes = forms.MultipleChoiceField(
        label=_("Thema's"), widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Kies minstens één thema."),
                        "invalid_choice": _("Onbekend thema: %(value)s.")})

    def __init__(self, areas: Sequence[AreaChoice], themes: Sequence[tuple[str, str]],
                 *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.areas = {a[0]: a for a in areas}
        wijk_field = self.fields["wijk"]
        buurt_field = self.fields["buurten"]
        assert isinstance(wijk_field, forms.ChoiceField)
        assert isinstance(buurt_field, forms.ChoiceField)
        wijk_field.choices = [("", _("— kies een wijk —"))] + [
            (a[0], f"{a[1]} ({a[0]})") for a in areas if a[2] == Level.DISTRICT.value]
        groups: dict[str, list[tuple[str, str]]] = {}
        for a in areas:
            if a[2] == Level.NEIGHBOURHOOD.value:
                wijk = self.areas.get(a[3])
                groups.setdefault(wijk[1] if wijk else a[3], []).append((a[0],
                                                                         f"{a[1]} ({a[0]})"))
        buurt_field.choices = list(groups.items())
        theme_field = self.fields["themes"]
        assert isinstance(theme_field, forms.ChoiceField)
        theme_field.choices = list(themes)

    def clean_key(self) -> str:
        key = str(self.cleaned_data["key"]).strip()
        if Round.objects.filter(key=key).exists():
            raise forms.ValidationError(_("Er bestaat al een peiling met sleutel %(key)s."),
                                        params={"key": key}, code="duplicate")
        return key

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        wijk = data.get("wijk")
        buurten: list[str] = list(data.get("buurten") or [])
        if wijk and buurten:
            gm = parse_code(wijk).municipality
            other_gm = [b for b in buurten if parse_code(b).municipality != gm]
            if other_gm:
                self.add_error("buurten", _("Buurten van een andere gemeente dan de wijk: "
                                            "%(codes)s.") % {"codes": ", ".join(other_gm)})
            else:
                other = [b for b in buurten if self.areas[b][3] != wijk]
                if other:
                    self.add_error("buurten", _("Deze buurten liggen niet in de gekozen wijk: "
                                                "%(codes)s.") % {"codes": ", ".join(other)})
        return data

    def area_codes(self) -> list[str]:
        """The codes the round is about: the buurten when chosen, otherwise the wijk."""
        buurten = list(self.cleaned_data.get("buurten") or [])
        return buurten or [str(self.cleaned_data["wijk"])]

    def held_date(self) -> date:
        value = self.cleaned_data["held_on"]
        assert isinstance(value, date)
        return value


class InvitationForm(forms.Form):
    """New invitations for one stakeholder group (and a buurt when the round has several)."""

    group = forms.ChoiceField(label=_("Groep"), choices=Group.choices)
    organisation_type = forms.CharField(
        label=_("Organisatietype (optioneel)"), max_length=60, required=False,
        help_text=_("Bijvoorbeeld corporatie, politie, welzijn."))
    count = forms.IntegerField(
        label=_("Aantal links"), min_value=1, max_value=MAX_INVITATIONS, initial=1,
        error_messages={"min_value": _("Maak minstens 1 link."),
                        "max_value": _("Maak hoogstens %(limit_value)s links tegelijk.")})
    area = forms.ChoiceField(label=_("Gebied"), required=False)

    def __init__(self, areas: Sequence[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.several = len(areas) > 1
        field = self.fields["area"]
        assert isinstance(field, forms.ChoiceField)
        if self.several:
            field.required = True
            field.choices = [("", _("— kies een gebied —")), *areas]
        else:
            del self.fields["area"]

    def target_area(self) -> str | None:
        """The area code the respondents answer for (None: the round's only area)."""
        return str(self.cleaned_data["area"]) if self.several else None
