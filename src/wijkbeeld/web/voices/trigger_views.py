"""Pages for aanleidingen (triggers), reached from the area page's section "Aanleidingen".

* ``/gebied/<code>/<year>/aanleidingen/nieuw/``: add a trigger to an area;
* ``/aanleidingen/<id>/wijzigen/``: edit its description, date, source and themes;
* ``/aanleidingen/<id>/afsluiten/``: close it (vervaagd or opgelost, from a date) or say it
  plays again; every change is kept.

Who may write: analysts and admins (``ANALYSTS``), the people who keep the area's picture (the
area manager works with the analyst role). Viewers and professionals read the triggers on the
area page but get 403 here. Every view checks the municipality of the area (403 for a user of
another municipality, as the area page). After saving, the user goes back to the area page.

:func:`trigger_section` gives the area page its context: the triggers of the area code (any
boundary year) in words, and whether the reader may change them.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.web.accounts.access import ANALYSTS, has_role, require_municipality, role_required
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.voices import triggers
from wijkbeeld.web.voices.forms import theme_choices
from wijkbeeld.web.voices.models import Trigger, TriggerSource, TriggerStatus
from wijkbeeld.web.voices.services import VoiceError
from wijkbeeld.web.voices.trigger_forms import TriggerForm, TriggerStatusForm

__all__ = ["trigger_add", "trigger_close", "trigger_edit", "trigger_section"]

#: The status in words on the area page.
STATUS_WORDS = {TriggerStatus.ACTIEF.value: gettext_lazy("speelt nog"),
                TriggerStatus.VERVAAGD.value: gettext_lazy("vervaagd"),
                TriggerStatus.OPGELOST.value: gettext_lazy("opgelost")}


def trigger_section(user: Any, area: Area) -> dict[str, Any]:
    """The area page's "Aanleidingen": rows in words and whether ``user`` may change them."""
    names = dict(theme_choices())
    sources = dict(TriggerSource.choices)
    rows = []
    for row in triggers.area_trigger_rows(area.code):
        rows.append({
            "pk": row.pk, "date": row.date, "source": sources.get(row.source, row.source),
            "themes": [names.get(str(t), str(t)) for t in row.themes or []],
            "description": row.description, "status": row.status,
            "status_label": str(STATUS_WORDS.get(row.status, row.status)),
            "status_since": row.status_since,
            "changes": [{"status": str(STATUS_WORDS.get(str(h["status"]), h["status"])),
                         "date": h["date"]} for h in (row.history or [])[1:]],
        })
    return {"triggers": rows, "may_edit_triggers": has_role(user, *ANALYSTS)}


def _area(request: HttpRequest, code: str, year: int) -> Area:
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    area = get_object_or_404(Area.objects.defer("geometry", "geometry_web"),
                             code=parsed.code, boundary_year=year)
    require_municipality(request.user, area.municipality)
    return area


def _trigger(request: HttpRequest, pk: int) -> Trigger:
    trigger = get_object_or_404(Trigger.objects.select_related("area"), pk=pk)
    require_municipality(request.user, trigger.area.municipality)
    return trigger


def _back(area: Area) -> HttpResponseRedirect:
    return HttpResponseRedirect(reverse("area", args=[area.code, area.boundary_year])
                                + "#aanleidingen")


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def trigger_add(request: HttpRequest, code: str, year: int) -> HttpResponse:
    """Add a trigger to an area."""
    area = _area(request, code, year)
    form = TriggerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            triggers.record_trigger(area, data["description"], when=data["date"],
                                    source=data["source"], themes=data["themes"])
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De aanleiding is opgeslagen."))
            return _back(area)
    return render(request, "wijkbeeld/voices/trigger_form.html",
                  {"form": form, "area": area, "title": _("Aanleiding toevoegen")})


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def trigger_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Edit a trigger's description, date, source and themes."""
    trigger = _trigger(request, pk)
    initial = {"description": trigger.description, "date": trigger.date,
               "source": trigger.source, "themes": list(trigger.themes or [])}
    form = TriggerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            triggers.update_trigger(trigger, description=data["description"],
                                    source=data["source"], themes=data["themes"],
                                    when=data["date"])
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De aanleiding is gewijzigd."))
            return _back(trigger.area)
    return render(request, "wijkbeeld/voices/trigger_form.html",
                  {"form": form, "area": trigger.area, "trigger": trigger,
                   "title": _("Aanleiding bewerken")})


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def trigger_close(request: HttpRequest, pk: int) -> HttpResponse:
    """Close a trigger (vervaagd, opgelost) or say it plays again, from a date."""
    trigger = _trigger(request, pk)
    form = TriggerStatusForm(trigger.status, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            triggers.set_trigger_status(trigger, form.cleaned_data["status"],
                                        on=form.cleaned_data["date"])
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De status van de aanleiding is opgeslagen."))
            return _back(trigger.area)
    return render(request, "wijkbeeld/voices/trigger_close.html",
                  {"form": form, "area": trigger.area, "trigger": trigger,
                   "status_label": STATUS_WORDS.get(trigger.status, trigger.status)})
