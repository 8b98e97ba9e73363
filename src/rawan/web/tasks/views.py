"""The admin's page of background jobs (``/tugas/``): failed, running, waiting and recent ones, the
workers that are alive, and a retry button for a failed job; one job's page with its progress."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import require_admin
from ..accounts.roles import who
from .models import Job, WorkerBeat

ALIVE_SECONDS = 60  # a worker not seen for this long is taken as gone
STATES = {"queued": {"status": "READY", "attempts": 0}, "retrying": {"status": "READY", "attempts__gt": 0},
          "running": {"status": "RUNNING"}, "done": {"status": "SUCCESSFUL"}, "failed": {"status": "FAILED"}}


def alive_workers():
    return list(WorkerBeat.objects.filter(seen_at__gte=timezone.now() - timedelta(seconds=ALIVE_SECONDS)))


def jobs_in_state(state: str | None):
    qs = Job.objects.select_related("result", "created_by").order_by("-created_at")
    if state:
        if state not in STATES:
            raise ValueError(state)
        spec = dict(STATES[state])
        status = spec.pop("status")
        qs = qs.filter(result__status=status, **spec)
    return qs


@login_required
def jobs(request):
    require_admin(request.user)
    lists = {s: list(jobs_in_state(s)[:50]) for s in ("failed", "running", "retrying", "queued")}
    lists["done"] = list(jobs_in_state("done")[:20])
    waiting = bool(lists["running"] or lists["retrying"] or lists["queued"])
    return render(request, "rawan/jobs.html", {"lists": lists, "workers": alive_workers(), "refresh": waiting})


def job_for(user, job_id) -> Job:
    """A job the user may see: the admin sees every job, others the jobs they started."""
    from . import job as find

    j = find(job_id)
    if j is None:
        raise Http404("job")
    if not who(user).role == "admin" and not (user.is_authenticated and j.created_by_id == user.pk):
        raise Http404("job")
    return j


@login_required
def job_page(request, job_id):
    j = job_for(request.user, job_id)
    return render(request, "rawan/job.html", {"job": j, "refresh": not j.finished,
                                               "workers": alive_workers(), "is_admin": who(request.user).role == "admin"})


@login_required
@require_POST
def job_retry(request, job_id):
    """Queue a failed job again, with its attempts counted from zero (the admin fixed the cause)."""
    require_admin(request.user)
    j = job_for(request.user, job_id)
    with transaction.atomic():
        j = Job.objects.select_for_update().select_related("result").get(pk=j.pk)
        if j.state != "failed":
            raise PermissionDenied("only a failed job is retried")
        r = j.result
        r.status, r.run_after, r.finished_at = "READY", timezone.now(), None
        r.exception_class_path, r.traceback = "", ""
        r.save(update_fields=["status", "run_after", "finished_at", "exception_class_path", "traceback"])
        j.last_error = f"{_('queued again by')} {request.user.username}: {j.last_error}"[:2000]
        j.attempts, j.progress_done, j.updated_at = 0, 0, timezone.now()
        j.save()
    messages.success(request, _("The job is queued again."))
    return redirect("jobs")
