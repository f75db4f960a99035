"""Pages of the voices app.

* ``/stemmen/nieuw/<code>/``: professionals (and analysts, admins) record a voice for an area;
  the text is scrubbed before storage, then ``/stemmen/<id>/themas/`` shows the suggested themes
  to confirm (to the author; never the text itself).
* ``/stemmen/``: analysts and admins list voices, filtered by area, theme and group (no texts).
* ``/stemmen/beoordelen/``: analysts and admins see the voices nobody has checked yet, the
  least certain first (the highest confidence of their suggested themes, lowest first; a voice
  without a suggestion first of all), to confirm or correct them on their own page.
* ``/stemmen/<id>/``: analysts and admins read the full text (every read is written to the
  audit log) and correct text, themes, tone and urgency.
* ``/stemmen/gebied/<code>/``: every reader sees counts per theme x group, withheld below the
  small-number minimum, and quotes only for themes with at least that many voices.

Texts are always rendered with Django's autoescaping: a voice is plain text, never HTML.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Max, Value
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.voices import THEME_KEYS
from wijkbeeld.web.accounts.access import (
    ANALYSTS,
    PROFESSIONALS,
    READERS,
    has_role,
    require_municipality,
    role_required,
    scope_by_municipality,
)
from wijkbeeld.web.areas.models import Area
from wijkbeeld.web.demo_voices import example_voice_ids
from wijkbeeld.web.voices import services
from wijkbeeld.web.voices.forms import CorrectForm, RecordForm, ThemesForm, theme_choices
from wijkbeeld.web.voices.models import Group, Voice
from wijkbeeld.web.voices.visibility import require_voice, visible_voices

__all__ = ["area_voices", "confirm_themes", "record", "review", "voice_detail", "voice_list"]


def _area(request: HttpRequest, code: str) -> Area:
    """The stored area of ``code`` (latest boundary year) the user may see, else 404/403."""
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    area = Area.objects.filter(code=parsed.code).order_by("-boundary_year").first()
    if area is None:
        raise Http404(_("Onbekende gebiedscode."))
    require_municipality(request.user, area.municipality)
    return area


def _voice(request: HttpRequest, pk: int) -> Voice:
    voice = get_object_or_404(Voice.objects.select_related("area", "author"), pk=pk)
    require_municipality(request.user, voice.area.municipality)
    require_voice(request.user, voice)
    return voice


@role_required(*PROFESSIONALS)
@require_http_methods(["GET", "POST"])
def record(request: HttpRequest, code: str) -> HttpResponse:
    """The short form to record a voice for an area."""
    area = _area(request, code)
    form = RecordForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            voice = services.record_voice(
                area, data["text"], when=data["date"], channel=data["channel"],
                group=data["group"], organisation_type=data["organisation_type"],
                urgency=data["urgency"], consent=data["consent"], author=request.user,
            )
        except services.VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(reverse("voices-confirm", args=[voice.pk]))
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wijkbeeld/voices/record.html", {"area": area, "form": form},
                  status=status)


@role_required(*PROFESSIONALS)
@require_http_methods(["GET", "POST"])
def confirm_themes(request: HttpRequest, pk: int) -> HttpResponse:
    """After saving: the suggested themes to confirm or correct (the author or an analyst)."""
    voice = _voice(request, pk)
    if voice.author_id != request.user.pk and not has_role(request.user, *ANALYSTS):
        raise PermissionDenied(_("Alleen wie de stem vastlegde kan de thema's bevestigen."))
    suggested = list(voice.themes.all())
    form = ThemesForm(request.POST or None, initial={"themes": [t.theme for t in suggested]})
    if request.method == "POST" and form.is_valid():
        services.set_themes(voice, form.cleaned_data["themes"], request.user)
        messages.success(request, _("De thema's zijn bevestigd. Dank u wel."))
        return HttpResponseRedirect(reverse("voices-record", args=[voice.area.code]))
    names = dict(theme_choices())
    context = {
        "voice": voice, "form": form, "area": voice.area,
        "suggested": [{"name": names.get(t.theme, t.theme), "confidence": round(100 * t.confidence),
                       "confirmed": t.confirmed} for t in suggested],
        "scrubbed": sorted((voice.scrub_report or {}).items()),
    }
    return render(request, "wijkbeeld/voices/confirm.html", context)


@role_required(*ANALYSTS)
def voice_list(request: HttpRequest) -> HttpResponse:
    """Voices the analyst may see, filtered by area, theme and group; texts only on their page."""
    voices = visible_voices(scope_by_municipality(Voice.objects.select_related("area"),
                                                  request.user, field="area__municipality"),
                            request.user)
    code = (request.GET.get("gebied") or "").strip().upper()
    theme = request.GET.get("thema") or ""
    group = request.GET.get("groep") or ""
    if code:
        voices = voices.filter(area__code=code)
    if theme in THEME_KEYS:
        voices = voices.filter(themes__theme=theme)
    if group in Group.values:
        voices = voices.filter(group=group)
    page = Paginator(voices.prefetch_related("themes").distinct(), 50).get_page(
        request.GET.get("pagina"))
    names = dict(theme_choices())
    rows = [{"voice": v, "themes": [(names.get(t.theme, t.theme), t.confirmed)
                                    for t in v.themes.all()]} for v in page]
    context = {"page": page, "rows": rows, "themes": theme_choices(), "groups": Group.choices,
               "chosen": {"gebied": code, "thema": theme, "groep": group}}
    return render(request, "wijkbeeld/voices/list.html", context)


@role_required(*ANALYSTS)
def review(request: HttpRequest) -> HttpResponse:
    """Voices without a confirmed theme, the least certain first, to check one by one."""
    voices = visible_voices(scope_by_municipality(Voice.objects.select_related("area"),
                                                  request.user, field="area__municipality"),
                            request.user)
    code = (request.GET.get("gebied") or "").strip().upper()
    if code:
        voices = voices.filter(area__code=code)
    voices = (voices.exclude(themes__confirmed=True)
              .annotate(certainty=Coalesce(Max("themes__confidence"), Value(0.0)))
              .order_by("certainty", "-date", "-id"))
    page = Paginator(voices.prefetch_related("themes"), 50).get_page(request.GET.get("pagina"))
    names = dict(theme_choices())
    rows = [{"voice": v, "certainty": round(100 * v.certainty),
             "themes": [(names.get(t.theme, t.theme), round(100 * t.confidence),
                         t.made_by != "lexicon") for t in v.themes.all()]} for v in page]
    return render(request, "wijkbeeld/voices/review.html",
                  {"page": page, "rows": rows, "chosen": {"gebied": code}})


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def voice_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The full text of one voice (the read is logged) and its correction."""
    voice = _voice(request, pk)
    initial: dict[str, Any] = {"text": voice.text, "tone": voice.tone, "urgency": voice.urgency,
                               "themes": [t.theme for t in voice.themes.all()]}
    form = CorrectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.correct_voice(voice, text=data["text"], themes=data["themes"],
                                   tone=data["tone"], urgency=data["urgency"], who=request.user)
        except services.VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("De stem is bijgewerkt."))
            return HttpResponseRedirect(reverse("voices-detail", args=[voice.pk]))
    text = services.read_full_text(voice, request.user)
    names = dict(theme_choices())
    context = {"voice": voice, "text": text, "form": form,
               "themes": [(names.get(t.theme, t.theme), round(100 * t.confidence), t.confirmed)
                          for t in voice.themes.all()],
               "scrubbed": sorted((voice.scrub_report or {}).items())}
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wijkbeeld/voices/detail.html", context, status=status)


@role_required(*READERS)
def area_voices(request: HttpRequest, code: str) -> HttpResponse:
    """Counts per theme x group (withheld below the minimum) and quotes per theme."""
    area = _area(request, code)
    grid = services.counts(area, viewer=request.user)
    marker = grid.rule.marker
    names = dict(theme_choices())
    group_names = dict(Group.choices)

    def shown(n: int | None) -> str:
        return marker if n is None else str(n)

    rows = []
    selections = {theme: services.quotes(area, theme, viewer=request.user)
                  for theme in THEME_KEYS}
    examples = example_voice_ids(q.id for s in selections.values() for q in s.quotes)
    for theme, selection in selections.items():
        rows.append({
            "key": theme, "name": names.get(theme, theme),
            "cells": [(g, shown(grid.count(theme, g))) for g in Group.values],
            "total": shown(grid.row_totals[theme]),
            "quotes": [] if selection.withheld else [
                {"text": q.text, "group": group_names.get(q.group, q.group), "date": q.date,
                 "example": q.id in examples}
                for q in selection.quotes],
        })
    context = {
        "area": area, "rows": rows, "groups": Group.choices, "minimum": grid.rule.minimum,
        "group_totals": [shown(grid.column_totals[g]) for g in Group.values],
        "total": shown(grid.total), "marker": marker,
        "can_record": has_role(request.user, *PROFESSIONALS),
    }
    return render(request, "wijkbeeld/voices/area.html", context)
