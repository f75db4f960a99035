"""The quick intake for professionals: log what was heard after a conversation, on a phone.

* ``/stemmen/gesprek/``: a short form (area by name, group with organisation type, the text,
  themes, tone, consent to be quoted without a name, date). Professionals, analysts and admins
  may log; viewers get 403. The areas offered are the wijken and buurten of the user's own
  municipality in its latest boundary year, grouped per wijk, names first. A user tied to no
  municipality picks one first (``?gemeente=GM....``); ``?gebied=<code>`` preselects an area
  (and is refused with 403 for an area of another municipality). The text is scrubbed before
  storage by :func:`~wijkbeeld.web.voices.services.record_voice`; the original is never stored.
* ``/stemmen/gesprek/<id>/``: the confirmation "Zo is het opgeslagen", showing the *scrubbed*
  text, so the professional sees what was removed; for the author (and analysts, admins), and the
  read is written to the audit log like every full-text read.

The views live beside :mod:`wijkbeeld.web.voices.views` (not in it) so that the existing pages
stay as they are; both are routed in :mod:`wijkbeeld.web.voices.urls`.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.db import router, transaction
from django.db.models import Max
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkbeeld.areas.codes import InvalidAreaCode, Level, parse_code
from wijkbeeld.web.accounts.access import (
    ANALYSTS,
    PROFESSIONALS,
    has_role,
    municipality_of,
    require_municipality,
    role_required,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.voices import services
from wijkbeeld.web.voices.forms import ORGANISATION_TYPES, AreaChoices, IntakeForm, theme_choices
from wijkbeeld.web.voices.models import Channel, Group, Tone, Voice, VoiceTheme
from wijkbeeld.web.voices.visibility import require_voice

__all__ = ["area_choices", "intake", "intake_saved"]

_LEVELS = (Level.DISTRICT.value, Level.NEIGHBOURHOOD.value)


def area_choices(municipality: str) -> AreaChoices:
    """Grouped choices of the wijken and buurten of ``municipality`` in its latest boundary year:
    one group per wijk (named after it) holding the wijk itself, then its buurten; names first,
    the code after it, sorted by name. Buurten without a stored wijk form a last group."""
    areas = Area.objects.filter(municipality=municipality, level__in=_LEVELS)
    year = areas.aggregate(latest=Max("boundary_year"))["latest"]
    if year is None:
        return []
    rows = list(areas.filter(boundary_year=year).values_list("code", "level", "name",
                                                              "parent_code"))
    wijken = {code: name or code for code, level, name, _p in rows
              if level == Level.DISTRICT.value}
    buurten: dict[str, list[tuple[str, str]]] = {}
    for code, level, name, parent in rows:
        if level == Level.NEIGHBOURHOOD.value:
            key = parent if parent in wijken else ""
            buurten.setdefault(key, []).append((code, f"{name or code} ({code})"))
    groups: AreaChoices = []
    for code, name in sorted(wijken.items(), key=lambda item: (item[1].casefold(), item[0])):
        whole = _("%(name)s: hele wijk (%(code)s)") % {"name": name, "code": code}
        inside = sorted(buurten.get(code, []), key=lambda c: (c[1].casefold(), c[0]))
        groups.append((_("Wijk %(name)s") % {"name": name}, [(code, whole), *inside]))
    if buurten.get(""):
        groups.append((_("Overige buurten"),
                       sorted(buurten[""], key=lambda c: (c[1].casefold(), c[0]))))
    return groups


def _municipalities() -> list[tuple[str, str]]:
    """(code, name) of every municipality with stored wijken or buurten, by name."""
    codes = set(Area.objects.filter(level__in=_LEVELS).exclude(municipality="")
                .values_list("municipality", flat=True).distinct())
    names = dict(Area.objects.filter(code__in=codes).order_by("boundary_year")
                 .values_list("code", "name"))
    return sorted(((c, names.get(c) or c) for c in codes), key=lambda c: (c[1].casefold(), c[0]))


def _chosen_area(request: HttpRequest) -> Area | None:
    """The area of ``?gebied=`` (latest boundary year), 404 if unknown, 403 if not the user's."""
    raw = (request.GET.get("gebied") or "").strip()
    if not raw:
        return None
    try:
        code = parse_code(raw).code
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    area = Area.objects.filter(code=code, level__in=_LEVELS).order_by("-boundary_year").first()
    if area is None:
        raise Http404(_("Onbekende gebiedscode."))
    require_municipality(request.user, area.municipality)
    return area


def _municipality(request: HttpRequest, chosen: Area | None,
                  known: list[tuple[str, str]]) -> str | None:
    """The municipality whose areas the form offers: the user's own; else the chosen area's,
    ``?gemeente=``, or the only one stored; None when a user of every municipality must pick."""
    own = municipality_of(request.user)
    if own is not None:
        return own
    if chosen is not None:
        return str(chosen.municipality)
    wanted = (request.GET.get("gemeente") or "").strip().upper()
    codes = [c for c, _n in known]
    if wanted in codes:
        return str(wanted)
    return codes[0] if len(codes) == 1 else None


@role_required(*PROFESSIONALS)
@require_http_methods(["GET", "POST"])
def intake(request: HttpRequest) -> HttpResponse:
    """The quick intake form; a valid POST stores the scrubbed voice and shows what was stored."""
    chosen = _chosen_area(request)
    known = [] if municipality_of(request.user) else _municipalities()
    municipality = _municipality(request, chosen, known)
    if municipality is None:
        return render(request, "wijkbeeld/voices/intake_municipality.html",
                      {"municipalities": known})
    areas = area_choices(municipality)
    initial: dict[str, Any] = {"area": chosen.code} if chosen is not None else {}
    form = IntakeForm(request.POST or None, areas=areas, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        using = router.db_for_write(Voice)
        area = (Area.objects.using(using).filter(code=data["area"], municipality=municipality)
                .order_by("-boundary_year").first())
        if area is None:  # cannot happen: the choices come from the same query
            raise Http404(_("Onbekende gebiedscode."))
        require_municipality(request.user, area.municipality)
        try:
            with transaction.atomic(using=using):
                voice = services.record_voice(
                    area, data["text"], when=data["date"], channel=Channel.GESPREK.value,
                    group=data["group"], organisation_type=data["organisation_type"],
                    tone=data["tone"], consent=data["consent"], author=request.user,
                    using=using)
                if data["themes"]:
                    services.set_themes(voice, data["themes"], request.user, using)
        except services.VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(reverse("voices-intake-saved", args=[voice.pk]))
    status = 400 if form.is_bound and form.errors else 200
    names = dict(known)
    context = {"form": form, "municipality": municipality,
               "municipality_name": names.get(municipality, ""),
               "choose_other": len(known) > 1, "empty": not areas}
    return render(request, "wijkbeeld/voices/intake.html", context, status=status)


@role_required(*PROFESSIONALS)
def intake_saved(request: HttpRequest, pk: int) -> HttpResponse:
    """"Zo is het opgeslagen": the stored (scrubbed) voice, for its author or an analyst."""
    voice = get_object_or_404(Voice.objects.select_related("area", "author"), pk=pk)
    require_municipality(request.user, voice.area.municipality)
    require_voice(request.user, voice)
    author: int | None = voice.author_id  # type: ignore[attr-defined]
    if author != request.user.pk and not has_role(request.user, *ANALYSTS):
        raise PermissionDenied(_("Alleen wie het gesprek vastlegde kan dit zien."))
    using = router.db_for_write(Voice)
    text = services.read_full_text(voice, request.user, using)
    theme_names = dict(theme_choices())
    organisation = dict(ORGANISATION_TYPES).get(voice.organisation_type,
                                                voice.organisation_type)
    again = reverse("voices-intake")
    if municipality_of(request.user) is None:
        again += "?" + urlencode({"gemeente": voice.area.municipality})
    context = {
        "voice": voice, "text": text, "area": voice.area,
        "group": dict(Group.choices).get(voice.group, voice.group),
        "organisation": organisation,
        "tone": dict(Tone.choices).get(voice.tone, voice.tone),
        "themes": [(theme_names.get(t.theme, t.theme), t.confirmed)
                   for t in VoiceTheme.objects.using(using).filter(voice=voice).order_by("theme")],
        "scrubbed": sorted((voice.scrub_report or {}).items()),
        "again": again,
    }
    return render(request, "wijkbeeld/voices/intake_saved.html", context)
