"""Province administrator: status workflow, compute preview, publish, correction.

Publish, archive and back-to-draft go through a confirmation page: the first POST (or a GET of
the page) shows what will happen; only a POST carrying ``confirm=1`` and the status the admin saw
(``expected``) changes anything.  The services re-check that status under the row lock, so a stale
page or a second click cannot apply a step to a state nobody saw.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...engine import RawanError
from ..access import collection_open, edition_for, require_admin
from ..entry.models import Submission, SubmissionStatus
from .dashboard import lang, rows_of
from .models import TRANSITIONS, Status
from .. import tasks
from ..tasks.views import alive_workers
from .jobs import compute_edition, compute_subject, queue_robustness
from .models import PUBLIC_STATUSES
from .services import WorkflowError, publish, start_correction, transition

# steps that need a confirmation page: action -> (target status or None for publish)
CONFIRMED = {"publish": Status.PUBLISHED, "archive": Status.ARCHIVED, "draft": Status.DRAFT}


@login_required
def manage(request, slug):
    require_admin(request.user)
    edition = edition_for(request.user, slug)
    counts = {SubmissionStatus(k).label: n for k, n in
              Submission.objects.filter(edition=edition).values_list("status").annotate(n=Count("id"))}
    return render(request, "rawan/manage.html", {
        "edition": edition, "synthetic": edition.synthetic, "counts": counts,
        "n_regions": len(edition.regions), "next": [Status(s) for s in TRANSITIONS[Status(edition.status)]],
        "rows": rows_of(edition) if edition.computed_at else [],
        "can_publish": edition.status == Status.VERIFYING and not edition.results_only,
        "can_correct": edition.is_public and not edition.results_only,
        "correction": edition.corrections.order_by("pk").first() if edition.is_public else None,
        "window_open": collection_open(edition),
        **_compute_job(edition),
    })


def _compute_job(edition) -> dict:
    """The newest computation of this edition: its progress while it runs (the page reloads
    itself), its warnings when done, its reason when it failed."""
    job = tasks.latest(compute_subject(edition))
    if job is None:
        return {}
    done = job.return_value or {}
    return {"job": job, "workers": alive_workers(), "refresh": not job.finished,
            "job_warnings": (done.get("warnings") or {}).get(lang(), [])}


def _confirm_action(post) -> str | None:
    """Which confirmed step a POST asks for (publish, archive, draft), if any."""
    action = post.get("action", "")
    if action == "publish":
        return "publish"
    if action == "status" and post.get("status") == Status.ARCHIVED:
        return "archive"
    if action == "status" and post.get("status") == Status.DRAFT:
        return "draft"
    return None


@login_required
def confirm(request, slug, step):
    """The confirmation page of publish / archive / back to draft."""
    require_admin(request.user)
    edition = edition_for(request.user, slug)
    if step not in CONFIRMED:
        raise Http404("step")
    counts = dict(Submission.objects.filter(edition=edition).values_list("status").annotate(n=Count("id")))
    return render(request, "rawan/manage_confirm.html", {
        "edition": edition, "synthetic": edition.synthetic, "step": step,
        "reason": request.GET.get("reason", "")[:500],
        "verified": counts.get(SubmissionStatus.VERIFIED, 0), "n_regions": len(edition.regions),
        "not_verified": sum(n for k, n in counts.items() if k != SubmissionStatus.VERIFIED),
    })


@login_required
@require_POST
def manage_action(request, slug):
    require_admin(request.user)
    edition = edition_for(request.user, slug)
    action = request.POST.get("action", "")
    expected = request.POST.get("expected") or None
    step = _confirm_action(request.POST)
    if step and request.POST.get("confirm") != "1":
        from urllib.parse import urlencode

        from django.urls import reverse

        query = urlencode({"reason": request.POST.get("reason", "")[:500]})
        return redirect(reverse("manage_confirm", kwargs={"slug": slug, "step": step}) + "?" + query)
    try:
        if action == "status":
            changed = transition(edition, request.POST.get("status", ""), request.user,
                                 request.POST.get("reason", "")[:2000], expected=expected)
            if changed:
                messages.success(request, _("Status changed."))
            else:
                messages.info(request, _("Nothing changed: the edition already has this status."))
        elif action == "compute":
            # the engine runs in a worker (editions.jobs); the page shows the job's progress and result
            if edition.results_only or edition.status in PUBLIC_STATUSES:
                raise WorkflowError(f"compute in {edition.status}")
            tasks.enqueue_once(compute_edition, edition.pk, request.user.pk, lang(), subject=compute_subject(edition),
                               label=_("Compute %(title)s") % {"title": edition.title_in(lang())}, user=request.user)
            messages.success(request, _("Computation started in the background; this page shows its progress."))
        elif action == "publish":
            if publish(edition, request.user):
                queue_robustness(edition)  # the region pages' "how firm is this result", in a worker
                messages.success(request, _("Edition published. Its bundle is frozen."))
            else:
                messages.info(request, _("Nothing changed: the edition is already published."))
        elif action == "correct":
            new, created = start_correction(edition, request.user, request.POST.get("reason", "")[:2000],
                                            request.POST.getlist("region"))
            if created:
                messages.success(request, _("Correction version created: the chosen regions are returned to "
                                            "their operators."))
            else:
                messages.info(request, _("A correction of this edition exists already; it is shown here."))
            return redirect("manage", slug=new.slug)
        else:
            messages.error(request, _("Unknown action."))
    except WorkflowError:
        if action == "correct":
            messages.error(request, _("A correction needs a change note and at least one region to reopen."))
        else:
            messages.error(request, _("This step is not allowed in the current status."))
    except RawanError as e:
        for line in e.render(lang()):
            messages.error(request, line)
    return redirect("manage", slug=edition.slug)
