"""Province administrator: status workflow, compute preview, publish, correction."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ...engine import RawanError
from ..access import collection_open, edition_for, require_admin
from ..entry.models import Submission, SubmissionStatus
from .dashboard import lang, rows_of
from .models import TRANSITIONS, Status
from .services import WorkflowError, compute_preview, publish, start_correction, transition


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
        "window_open": collection_open(edition),
    })


@login_required
@require_POST
def manage_action(request, slug):
    require_admin(request.user)
    edition = edition_for(request.user, slug)
    action = request.POST.get("action", "")
    try:
        if action == "status":
            transition(edition, request.POST.get("status", ""), request.user, request.POST.get("reason", ""))
            messages.success(request, _("Status changed."))
        elif action == "compute":
            result = compute_preview(edition, request.user)
            for w in result.warnings:
                messages.warning(request, w.render(lang()))
            messages.success(request, _("Results computed from the verified data (preview, not published)."))
        elif action == "publish":
            publish(edition, request.user)
            messages.success(request, _("Edition published. Its bundle is frozen."))
        elif action == "correct":
            new = start_correction(edition, request.user, request.POST.get("reason", ""))
            messages.success(request, _("Correction version created."))
            return redirect("manage", slug=new.slug)
        else:
            messages.error(request, _("Unknown action."))
    except WorkflowError:
        messages.error(request, _("This step is not allowed in the current status."))
    except RawanError as e:
        for line in e.render(lang()):
            messages.error(request, line)
    return redirect("manage", slug=edition.slug)
