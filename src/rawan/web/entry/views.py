"""Data entry: per-region forms generated from the model, submit, verify, audit log per region."""

from __future__ import annotations

import csv
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import collection_open, edition_for, region_for, require_verifier, submission_for
from ..accounts.models import Role
from ..accounts.roles import who
from ..audit.models import AuditEntry
from ..editions.dashboard import lang
from ..editions.services import spec_of
from . import formhelp
from .events import severity_levels
from ..spreadsheet import csv_row
from .models import EventRecord, SubmissionStatus as S
from .state import StaleState, diff, lock_for_entry, verify as verify_submission
from .values import check, format_value, sections

NOTE_MAX = 1000  # characters of one source note (the API's limit too)


@login_required
def entry_form(request, slug, code):
    edition = edition_for(request.user, slug, light=True)
    write = request.method == "POST"
    sub = submission_for(request.user, edition, code, write=write)
    spec = spec_of(edition)
    errors: dict[str, str] = {}
    if not write:  # a POST shows what was typed: no formatting of the stored values
        raw = {c: format_value(v, edition.locale) for c, v in sub.values.items()}
        notes = dict(sub.notes)
    else:
        raw = {c: request.POST.get(f"v_{c}", "") for c in spec.tree.indicators}
        notes = {c: request.POST.get(f"n_{c}", "").strip() for c in spec.tree.indicators}
        notes = {c: n for c, n in notes.items() if n}
        values, errors = check(spec, raw, edition.locale)
        for c, n in notes.items():
            if len(n) > NOTE_MAX and c not in errors:
                errors[c] = _("The source note is %(len)d characters long; at most %(n)d.") % {"len": len(n), "n": NOTE_MAX}
        if not errors:
            submit = request.POST.get("action") == "submit"
            with transaction.atomic():
                cur = lock_for_entry(sub)
                old_status = cur.status
                changed = diff(cur.values, values)
                notes_changed = diff(cur.notes, notes)
                cur.values, cur.notes, cur.updated_by = values, notes, request.user
                if submit:
                    cur.status = S.SUBMITTED
                cur.save()
                cur.log_action("rawan.submission.saved", user=request.user,
                               data={"changed": changed, "notes": notes_changed})
                if submit:
                    cur.log_action("rawan.submission.submitted", user=request.user,
                                   data={"old": old_status, "new": S.SUBMITTED})
                    from ..warnings.services import submission_waiting

                    transaction.on_commit(lambda: submission_waiting(cur))  # inbox + e-mail of the verifiers
            messages.success(request, _("Submitted for verification.") if submit else _("Draft saved."))
            return redirect("entry_form", slug=slug, code=code)
        messages.error(request, _("Nothing was saved: correct the %(n)d value(s) marked below.") % {"n": len(errors)})
    w = who(request.user)
    can_write = (w.role in (Role.OPERATOR, Role.ADMIN) and sub.editable and edition.status == "pengumpulan"
                 and collection_open(edition))
    form_sections = sections(spec, lang())
    draft = formhelp.take(request, "event", edition, code, {})
    return render(request, "rawan/entry_form.html", {
        "edition": edition, "synthetic": edition.synthetic, "code": code, "name": region_for(edition, code),
        "sub": sub, "sections": form_sections, "raw": raw, "notes": notes, "errors": errors,
        "progress": formhelp.progress(form_sections, raw, notes),
        "event_draft": draft.get("fields", {}), "event_errors": draft.get("errors", []),
        "verify_error": formhelp.take(request, "verify", edition, code),
        "can_write": can_write, "can_verify": w.role in (Role.VERIFIER, Role.ADMIN) and sub.status == S.SUBMITTED,
        "log": AuditEntry.objects.filter(edition=edition, region_code=code)[:50],
        "events": EventRecord.objects.filter(edition=edition, region_code=code),
        "severities": severity_levels(spec, lang()),
        "severity_names": {c: n for c, n, _w in severity_levels(spec, lang())}, "today": timezone.localdate().isoformat(),
    }, status=400 if errors else 200)


@login_required
@require_POST
def verify(request, slug, code):
    edition = edition_for(request.user, slug)
    require_verifier(request.user, edition)
    sub = submission_for(request.user, edition, code)
    action = request.POST.get("action")
    comment = request.POST.get("comment", "").strip()[:2000]
    if action not in ("approve", "return"):
        raise PermissionDenied("nothing to verify")
    if action == "return" and not comment:  # back to the same place, saying why
        formhelp.keep(request, "verify", edition, code,
                      _("Nothing was returned: write a comment saying what must be corrected, then press "
                        "“Return with comment” again."))
        return redirect(reverse("entry_form", kwargs={"slug": slug, "code": code}) + "#verifikasi")
    try:
        verify_submission(sub, request.user, action, comment)
    except StaleState as now:
        messages.info(request, _("Nothing changed: this submission was already handled (status: %(s)s).")
                      % {"s": S(str(now)).label})
        return redirect("entry_list", slug=slug)
    messages.success(request, _("Approved.") if action == "approve" else _("Returned to the operator."))
    return redirect("entry_list", slug=slug)


@login_required
def region_audit(request, slug, code):
    edition = edition_for(request.user, slug)
    submission_for(request.user, edition, code)  # same scope as the data itself
    entries = AuditEntry.objects.filter(edition=edition, region_code=code)
    if request.GET.get("format") == "csv":
        return _audit_csv(f"{edition.slug}-{code}-audit.csv", entries)
    return render(request, "rawan/audit.html", {"edition": edition, "code": code,
                                                "name": region_for(edition, code), "entries": entries,
                                                "synthetic": edition.synthetic})


@login_required
def edition_audit_csv(request, slug):
    edition = edition_for(request.user, slug)
    if who(request.user).role not in (Role.ADMIN, Role.VERIFIER):
        raise PermissionDenied("admin or verifier only")
    return _audit_csv(f"{edition.slug}-audit.csv", AuditEntry.objects.filter(edition=edition))


def _audit_csv(filename, entries):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["when", "user", "action", "description", "region", "data"])
    import json

    for e in entries:
        w.writerow(csv_row([e.when.isoformat(), e.username, e.action, e.describe(lang()), e.region_code,
                            json.dumps(e.data, ensure_ascii=False, sort_keys=True)]))
    resp = HttpResponse(buf.getvalue(), content_type="text/csv; charset=utf-8")
    resp["Content-Disposition"] = f'attachment; filename="{filename}"'
    return resp
