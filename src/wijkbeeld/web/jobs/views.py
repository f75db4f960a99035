"""Pages of the jobs app: the jobs of one's municipality with their progress, starting a report
batch, and downloading a finished job's result.

Analysts and admins only. An analyst sees, starts and downloads jobs of their own municipality
only; an admin (tied to none) any. The page refreshes itself with ``<meta http-equiv="refresh">``
while a job is queued or running (no inline script: the CSP forbids it).
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from wijkbeeld.areas.codes import parse_code
from wijkbeeld.web.accounts.access import ANALYSTS, municipality_of, role_required
from wijkbeeld.web.jobs.models import Job, JobResult
from wijkbeeld.web.jobs.queue import enqueue

__all__ = ["job_download", "job_list", "report_batch_start"]

#: Seconds between refreshes of the jobs page while a job is queued or running.
REFRESH_SECONDS = 3
_SHOWN = 50


def _visible(user: object) -> list[Job]:
    jobs = Job.objects.select_related("result").defer("result__data")
    own = municipality_of(user)
    if own is not None:
        jobs = jobs.filter(municipality=own)
    return list(jobs[:_SHOWN])


@role_required(*ANALYSTS)
def job_list(request: HttpRequest) -> HttpResponse:
    jobs = _visible(request.user)
    active = any(j.status in (Job.Status.QUEUED, Job.Status.RUNNING) for j in jobs)
    return render(request, "wijkbeeld/jobs/list.html", {
        "jobs": jobs, "own": municipality_of(request.user),
        "refresh": REFRESH_SECONDS if active else None,
    })


@role_required(*ANALYSTS)
@require_POST
def report_batch_start(request: HttpRequest) -> HttpResponse:
    own = municipality_of(request.user)
    raw = (request.POST.get("municipality") or own or "").strip().upper()
    try:
        code = parse_code(raw)
    except ValueError:
        code = None
    if code is None or str(code.level) != "municipality":
        messages.error(request, _("Geef een geldige gemeentecode, zoals GM0518."))
        return redirect("job-list")
    if own is not None and code.code != own:
        raise PermissionDenied(_("Deze gemeente valt buiten uw account."))
    level = request.POST.get("level", "district")
    fmt = request.POST.get("format", "pdf")
    if level not in ("district", "neighbourhood") or fmt not in ("pdf", "html"):
        level, fmt = "district", "pdf"
    enqueue(Job.Kind.REPORT_BATCH, {"level": level, "format": fmt,
                                    "language": request.LANGUAGE_CODE[:2]},
            municipality=code.code, user=request.user)
    messages.success(request, _("De rapporten staan in de wachtrij."))
    return redirect("job-list")


@role_required(*ANALYSTS)
def job_download(request: HttpRequest, pk: int) -> HttpResponse:
    job = get_object_or_404(Job, pk=pk)
    own = municipality_of(request.user)
    if own is not None and job.municipality != own:
        raise PermissionDenied(_("Deze gemeente valt buiten uw account."))
    if job.status != Job.Status.DONE:
        raise Http404(_("Deze taak heeft (nog) geen resultaat."))
    result = get_object_or_404(JobResult, job=job)
    response = HttpResponse(bytes(result.data), content_type=result.content_type)
    response["Content-Disposition"] = f'attachment; filename="{result.filename}"'
    return response
