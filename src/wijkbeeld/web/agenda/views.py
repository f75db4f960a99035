"""Pages of the agenda app (Dutch paths). Every view checks the role; every agenda is checked
against the user's municipality (:func:`require_municipality`), and a draft (``concept``) is only
shown to professionals, analysts and admins of that municipality.

* ``/agenda/``: the agendas the user may see; ``/agenda/gebied/<code>/``: the area's agenda with
  parties, round coverage, items (current version, progress per target, actions) and alerts;
* ``/agenda/gebied/<code>/tijdlijn/``: figures, rounds, triggers, agenda and actions together;
* ``/agenda/punt/<id>/versies/``: every version of an item (history is never edited away);
* forms (analysts): new agenda, party, item, new version of an item, agree; (professionals)
  new action, progress report. CSRF on every form; broken input answers 400 with the errors;
* ``/lerend-netwerk/``: theme scores, urgency classes and progress across municipalities,
  aggregates only, under the small-number rule.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from wijkbeeld.agenda import PARTY_TYPE_LABELS, PROGRESS_LABELS, ROUND_METRICS
from wijkbeeld.areas.codes import InvalidAreaCode, parse_code
from wijkbeeld.figures.display import format_figure
from wijkbeeld.urgency import CLASS_LABELS, GROUP_LABELS
from wijkbeeld.web.accounts.access import (
    ANALYSTS,
    PROFESSIONALS,
    READERS,
    has_role,
    require_municipality,
    role_required,
)
from wijkbeeld.web.agenda import services
from wijkbeeld.web.agenda.forms import (
    ActionForm,
    AgendaForm,
    AgreeForm,
    ItemForm,
    PartyForm,
    ReportForm,
    format_targets,
)
from wijkbeeld.web.agenda.models import Action, Agenda, AgendaItem, Party
from wijkbeeld.web.agenda.network import municipality_names, network_comparison
from wijkbeeld.web.agenda.reading import (
    AgendaState,
    agenda_state,
    area_coverage,
    timeline_events,
    visible_agendas,
)
from wijkbeeld.web.figures.models import Indicator

__all__ = [
    "action_new",
    "action_report",
    "agenda_agree",
    "agenda_list",
    "agenda_new",
    "area_agenda",
    "area_timeline",
    "item_edit",
    "item_history",
    "item_new",
    "network",
    "party_new",
]


def theme_names() -> dict[str, str]:
    from wijkbeeld.web.urgency.views import theme_names as names

    return names()


def _code(code: str) -> str:
    try:
        parsed = parse_code(code)
    except InvalidAreaCode as exc:
        raise Http404(_("Onbekende gebiedscode.")) from exc
    if not parsed.municipality:
        raise Http404(_("Een buurtagenda hoort bij een wijk of buurt."))
    return parsed.code


def _check(request: HttpRequest, agenda: Agenda) -> Agenda:
    """403 for another municipality; a draft is not found for a mere reader."""
    require_municipality(request.user, agenda.municipality)
    if not agenda.is_agreed and not has_role(request.user, *PROFESSIONALS):
        raise Http404(_("Deze agenda is nog een concept."))
    return agenda


def _agenda(request: HttpRequest, pk: int) -> Agenda:
    return _check(request, get_object_or_404(Agenda, pk=pk))


def _item(request: HttpRequest, pk: int) -> AgendaItem:
    item = get_object_or_404(AgendaItem.objects.select_related("agenda"), pk=pk)
    _check(request, item.agenda)
    return item


def _pct(x: float | None) -> str:
    """A share of the way, whole percent with its unit ("45 %")."""
    return "–" if x is None else f"{round(100 * x)} %"


def _value(kind: str, metric: str, x: float | None, unit: str, lang: str) -> str:
    """A baseline, target or measurement in the unit of what it measures (issue 19): an
    indicator in its catalogue unit ("8,1 %", "€ 312.000"), a round's share as a percentage, a
    round's mean rating as a plain number on its 1-5 scale."""
    if x is None:
        return "–"
    if kind == "round":
        return format_figure(x, "number" if metric == "mean" else "fraction", lang)
    return format_figure(x, unit or "number", lang)


def _state_context(state: AgendaState) -> dict[str, Any]:
    names = theme_names()
    lang = "en" if (get_language() or "nl").startswith("en") else "nl"
    keys = {p.target.key for s in state.items for p in s.progress if p.target.kind == "indicator"}
    units = dict(Indicator.objects.filter(key__in=keys).values_list("key", "unit"))
    items = []
    for s in state.items:
        rows = []
        for p in s.progress:
            t = p.target
            what = (t.label or t.key) if t.kind == "indicator" else (
                f"{GROUP_LABELS[t.group]}: {ROUND_METRICS[t.metric]}")
            unit = units.get(t.key, "")

            def value(x: float | None, t: Any = t, unit: str = unit) -> str:
                return _value(t.kind, t.metric, x, unit, lang)

            rows.append({
                "kind": t.kind, "what": what, "key": t.key,
                "baseline": value(t.baseline), "baseline_at": t.baseline_at,
                "target": value(t.target),
                "latest": None if p.latest is None else value(p.latest.value),
                "latest_at": None if p.latest is None else p.latest.at,
                "status": p.status, "label": p.label,
                "fraction": None if p.share_done is None or p.status == "bereikt"
                else _pct(p.share_done), "note": p.note,
            })
        items.append({"state": s, "theme": names.get(s.item.theme, s.item.theme), "rows": rows})
    return {"state": state, "agenda": state.agenda, "items": items,
            "party_labels": PARTY_TYPE_LABELS, "min_n": state.min_n,
            "class_labels": CLASS_LABELS}


@role_required(*READERS)
def agenda_list(request: HttpRequest) -> HttpResponse:
    """The agendas the user may see (drafts only for those who prepare them)."""
    agendas = visible_agendas(request.user).order_by("municipality", "area_code", "-id")
    return render(request, "wijkbeeld/agenda/list.html", {"agendas": agendas})


@role_required(*READERS)
def area_agenda(request: HttpRequest, code: str) -> HttpResponse:
    """The agenda of an area (``?agenda=<id>`` for an older one), or an invitation to make one."""
    code = _code(code)
    require_municipality(request.user, parse_code(code).municipality or "")
    agendas = list(visible_agendas(request.user).filter(area_code=code).order_by("-id"))
    chosen = agendas[0] if agendas else None
    if request.GET.get("agenda", "").isdigit():
        chosen = next((a for a in agendas if a.pk == int(request.GET["agenda"])), None)
        if chosen is None:
            raise Http404(_("Onbekende agenda."))
    parties = list(Party.objects.filter(area_code=code))
    context: dict[str, Any] = {"area_code": code, "agendas": agendas, "parties": parties,
                               "party_labels": PARTY_TYPE_LABELS,
                               "can_edit": has_role(request.user, *ANALYSTS),
                               "can_report": has_role(request.user, *PROFESSIONALS)}
    if chosen is not None:
        context.update(_state_context(agenda_state(chosen)))
        context["agree_form"] = AgreeForm()
        context["coverage"] = context["state"].coverage
    else:
        context["agenda"] = None
        context["coverage"] = area_coverage(code, sorted({p.party_type for p in parties}))
    return render(request, "wijkbeeld/agenda/area.html", context)


def _form_page(request: HttpRequest, form: Any, title: str, back: str,
               intro: str = "") -> HttpResponse:
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "wijkbeeld/agenda/form.html",
                  {"form": form, "title": title, "back": back, "intro": intro}, status=status)


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def agenda_new(request: HttpRequest, code: str) -> HttpResponse:
    code = _code(code)
    require_municipality(request.user, parse_code(code).municipality or "")
    back = reverse("agenda-area", args=[code])
    form = AgendaForm(request.POST or None)
    if form.is_valid():
        try:
            services.create_agenda(code, form.cleaned_data["title"],
                                   note=form.cleaned_data["note"], created_by=request.user)
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Nieuwe buurtagenda voor %(code)s") % {"code": code},
                      back)


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def party_new(request: HttpRequest, code: str) -> HttpResponse:
    code = _code(code)
    require_municipality(request.user, parse_code(code).municipality or "")
    back = reverse("agenda-area", args=[code])
    form = PartyForm(request.POST or None)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_party(code, d["name"], d["party_type"], d["contact_role"])
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Partij toevoegen aan %(code)s") % {"code": code}, back)


def _themes() -> list[tuple[str, str]]:
    return sorted(theme_names().items(), key=lambda kv: kv[1])


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def item_new(request: HttpRequest, pk: int) -> HttpResponse:
    agenda = _agenda(request, pk)
    back = reverse("agenda-area", args=[agenda.area_code]) + f"?agenda={agenda.pk}"
    form = ItemForm(request.POST or None, area_code=agenda.area_code, themes=_themes())
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_item(agenda, d["key"], d["theme"], d["ambition"],
                              targets=d["target_list"], parties=list(d["parties"]),
                              policy_link=d["policy_link"], created_by=request.user)
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Agendapunt toevoegen"), back)


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def item_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """A new version of an item; the form starts from the current one."""
    item = _item(request, pk)
    agenda = item.agenda
    current = item.current()
    back = reverse("agenda-item-history", args=[item.pk])
    initial = {"key": item.key, "theme": item.theme, "ambition": current.ambition,
               "targets": format_targets(current.targets), "policy_link": current.policy_link,
               "parties": list(current.parties.all())}
    form = ItemForm(request.POST or None, initial=initial, area_code=agenda.area_code,
                    themes=_themes(), revision=True, agreed=agenda.is_agreed)
    if form.is_valid():
        d = form.cleaned_data
        try:
            version = services.revise_item(
                item, ambition=d["ambition"], targets=d["target_list"],
                parties=list(d["parties"]), policy_link=d["policy_link"],
                change_note=d.get("change_note", ""), agreed_on=d.get("agreed_on"),
                created_by=request.user)
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("Versie %(n)s opgeslagen; de vorige blijft zichtbaar.")
                             % {"n": version.number})
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Agendapunt wijzigen: %(key)s") % {"key": item.key},
                      back, _("Een wijziging maakt een nieuwe versie; eerdere versies blijven "
                              "zichtbaar."))


@role_required(*READERS)
def item_history(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    versions = list(item.versions.order_by("-number").prefetch_related("parties"))
    return render(request, "wijkbeeld/agenda/history.html", {
        "item": item, "agenda": item.agenda,
        "versions": [{"v": v, "targets": format_targets(v.targets).splitlines()}
                     for v in versions],
        "theme": theme_names().get(item.theme, item.theme),
        "can_edit": has_role(request.user, *ANALYSTS)})


@role_required(*ANALYSTS)
@require_http_methods(["GET", "POST"])
def agenda_agree(request: HttpRequest, pk: int) -> HttpResponse:
    """Agree a draft agenda on a date (GET: the form; the agenda page posts here too)."""
    agenda = _agenda(request, pk)
    form = AgreeForm(request.POST or None)
    back = reverse("agenda-area", args=[agenda.area_code]) + f"?agenda={agenda.pk}"
    if form.is_bound and form.is_valid():
        try:
            services.agree_agenda(agenda, form.cleaned_data["agreed_on"])
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Agenda vaststellen"), back)


@role_required(*PROFESSIONALS)
@require_http_methods(["GET", "POST"])
def action_new(request: HttpRequest, pk: int) -> HttpResponse:
    item = _item(request, pk)
    back = reverse("agenda-area", args=[item.agenda.area_code]) + f"?agenda={item.agenda.pk}"
    form = ActionForm(request.POST or None, area_code=item.agenda.area_code)
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.add_action(item, d["title"], party=d["party"], started_on=d["started_on"],
                                due_on=d["due_on"])
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Actie toevoegen: %(key)s") % {"key": item.key}, back)


@role_required(*PROFESSIONALS)
@require_http_methods(["GET", "POST"])
def action_report(request: HttpRequest, pk: int) -> HttpResponse:
    action = get_object_or_404(Action.objects.select_related("item__agenda"), pk=pk)
    agenda = _check(request, action.item.agenda)
    back = reverse("agenda-area", args=[agenda.area_code]) + f"?agenda={agenda.pk}"
    form = ReportForm(request.POST or None,
                      initial={"status": action.status, "progress": action.progress})
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.report_action(action, d["on"], d["status"], d["progress"], note=d["note"],
                                   created_by=request.user)
        except services.AgendaError as exc:
            form.add_error(None, str(exc))
        else:
            return HttpResponseRedirect(back)
    return _form_page(request, form, _("Voortgang melden: %(title)s") % {"title": action.title},
                      back)


@role_required(*READERS)
def area_timeline(request: HttpRequest, code: str) -> HttpResponse:
    code = _code(code)
    require_municipality(request.user, parse_code(code).municipality or "")
    agenda = visible_agendas(request.user).filter(area_code=code).order_by("-id").first()
    if agenda is None:
        raise Http404(_("Voor dit gebied is (nog) geen agenda."))
    state = agenda_state(agenda)
    events = timeline_events(state)
    names = theme_names()
    kinds = {"cijfers": _("cijfers"), "peiling": _("peiling"), "aanleiding": _("aanleiding"),
             "agenda": _("agenda"), "actie": _("actie"), "signaal": _("signaal")}
    return render(request, "wijkbeeld/agenda/timeline.html", {
        "agenda": agenda, "area_code": code,
        "events": [{"e": e, "theme": names.get(e.theme, e.theme), "kind": kinds[e.kind]}
                   for e in events]})


@role_required(*READERS)
def network(request: HttpRequest) -> HttpResponse:
    """The learning network: aggregates per municipality × theme only."""
    comparison = network_comparison()
    names = theme_names()
    munis = municipality_names(list(comparison.municipalities))
    rows = []
    for theme in comparison.themes:
        cells = []
        for muni in comparison.municipalities:
            cell = comparison.cell(muni, theme)
            cells.append(None if cell is None else {
                "cell": cell,
                "score": None if cell.score is None else f"{cell.score:.2f}".replace(".", ","),
                "classes": None if cell.classes is None else [
                    (CLASS_LABELS[k], n) for k, n in cell.classes.items()],
                "shares": None if cell.group_shares is None else [
                    (GROUP_LABELS[g], _pct(s) if s is not None else None)
                    for g, s in cell.group_shares.items()],
                "progress": [(PROGRESS_LABELS[k], n) for k, n in cell.progress.items()],
            })
        rows.append({"theme": names.get(theme, theme), "cells": cells})
    return render(request, "wijkbeeld/agenda/network.html", {
        "comparison": comparison, "rows": rows,
        "municipalities": [munis[m] for m in comparison.municipalities],
        "min_n": comparison.min_n})
