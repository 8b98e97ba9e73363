"""The data-entry list as a work queue: filters, counts, sort, and bulk approve/return.

With 144 kecamatan a verifier must not open 144 pages: the list shows how many regions are in each
status, filters by status and by name or code, sorts, and lets the verifier approve or return every
ticked submission with one comment.  Each one still goes through the same row lock as a single
approval (``state.verify``) and gets its own audit entry; one already handled by
someone else meanwhile is skipped and named.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..access import edition_for, entry_regions, require_verifier, submission_for
from ..accounts.models import Role
from ..accounts.roles import who
from .models import Submission, SubmissionStatus as S
from .state import StaleState, verify as verify_submission

NOT_STARTED = "belum"  # filter value for regions without a submission yet
SORTS = ("code", "name", "status", "changed", "filled")
STATUS_ORDER = {S.SUBMITTED: 0, S.RETURNED: 1, S.DRAFT: 2, NOT_STARTED: 3, S.VERIFIED: 4}


def _rows(edition, regions, subs: dict, n_indicators: int) -> list[dict]:
    rows = []
    for code, name in regions:
        sub = subs.get(code)
        status = sub.status if sub else NOT_STARTED
        filled = sum(1 for v in sub.values.values() if v is not None) if sub else 0
        rows.append({"code": code, "name": name, "sub": sub, "status": status, "filled": filled,
                     "total": n_indicators, "changed": sub.updated_at if sub else None})
    return rows


def _filtered(rows: list[dict], params) -> tuple[list[dict], dict]:
    status = params.get("status", "")
    q = params.get("q", "").strip().lower()
    sort = params.get("sort", "code")
    sort = sort if sort in SORTS else "code"
    desc = params.get("order") == "desc"
    out = [r for r in rows if (not status or r["status"] == status)
           and (not q or q in r["name"].lower() or r["code"].startswith(q))]
    keys = {"code": lambda r: r["code"], "name": lambda r: r["name"].lower(),
            "status": lambda r: (STATUS_ORDER.get(r["status"], 9), r["code"]),
            "changed": lambda r: (r["changed"] is None, r["changed"].timestamp() if r["changed"] else 0, r["code"]),
            "filled": lambda r: (r["filled"], r["code"])}
    out.sort(key=keys[sort], reverse=desc)
    return out, {"status": status, "q": params.get("q", "").strip(), "sort": sort, "order": "desc" if desc else "asc"}


def _query(state: dict, **change) -> str:
    merged = {**state, **change}
    return urlencode({k: v for k, v in merged.items() if v and not (k == "sort" and v == "code")
                      and not (k == "order" and v == "asc")})


def _queue(request, edition, *, selected=(), comment: str = "", error: str = "", status: int = 200):
    from ..editions.services import spec_of

    regions = entry_regions(request.user, edition)
    if not regions:
        raise PermissionDenied("no data entry for this role")
    subs = {s.region_code: s for s in Submission.objects.filter(edition=edition,
                                                                region_code__in=[c for c, _ in regions])}
    spec = spec_of(edition)
    rows = _rows(edition, regions, subs, len(spec.tree.indicators) if spec else 0)
    params = request.POST if request.method == "POST" else request.GET
    shown, state = _filtered(rows, params)
    counts = {st: 0 for st in (S.SUBMITTED, S.RETURNED, S.DRAFT, NOT_STARTED, S.VERIFIED)}
    for r in rows:
        counts[r["status"]] = counts.get(r["status"], 0) + 1
    labels = {S.SUBMITTED: S.SUBMITTED.label, S.RETURNED: S.RETURNED.label, S.DRAFT: S.DRAFT.label,
              NOT_STARTED: _("Not started"), S.VERIFIED: S.VERIFIED.label}
    filters = [{"value": "", "label": _("All"), "n": len(rows), "query": _query(state, status=""),
                "current": not state["status"]}]
    filters += [{"value": st, "label": labels[st], "n": n, "query": _query(state, status=st),
                 "current": state["status"] == st} for st, n in counts.items()]
    columns = [{"key": k, "label": lbl, "query": _query(state, sort=k, order="desc" if state["sort"] == k
                                                         and state["order"] == "asc" else "asc"),
                "current": state["sort"] == k, "order": state["order"]}
               for k, lbl in (("code", _("Region")), ("status", _("Status")), ("filled", _("Filled")),
                              ("changed", _("Last change")))]
    role = who(request.user).role
    verifier = role in (Role.VERIFIER, Role.ADMIN) and edition.status in ("pengumpulan", "verifikasi")
    return render(request, "rawan/entry_list.html", {
        "edition": edition, "rows": shown, "n_all": len(rows), "synthetic": edition.synthetic,
        "filters": filters, "columns": columns, "state": state, "query": _query(state),
        "verifier": role in (Role.VERIFIER, Role.ADMIN), "can_bulk": verifier and counts[S.SUBMITTED] > 0,
        "n_submitted_shown": sum(1 for r in shown if r["status"] == S.SUBMITTED),
        "selected": set(selected), "comment": comment, "bulk_error": error,
        "can_upload": role in (Role.OPERATOR, Role.ADMIN) and edition.status == "pengumpulan"},
        status=status)


@login_required
def entry_list(request, slug):
    return _queue(request, edition_for(request.user, slug))


@login_required
@require_POST
def verify_bulk(request, slug):
    """Approve or return every ticked submission with one comment."""
    edition = edition_for(request.user, slug)
    require_verifier(request.user, edition)
    action = request.POST.get("action")
    comment = request.POST.get("comment", "").strip()[:2000]
    names = edition.region_names()
    codes = [c for c in dict.fromkeys(request.POST.getlist("region")) if c in names]
    if action not in ("approve", "return"):
        raise PermissionDenied("unknown action")
    if not codes:
        return _queue(request, edition, comment=comment, status=400,
                      error=_("Tick at least one submitted region first."))
    if action == "return" and not comment:
        return _queue(request, edition, selected=codes, status=400,
                      error=_("Returning needs a comment saying what must be corrected; nothing was returned. "
                              "Your selection is kept."))
    done, skipped = [], []
    for code in codes:
        sub = submission_for(request.user, edition, code)
        try:
            verify_submission(sub, request.user, action, comment, bulk=len(codes))
            done.append(code)
        except StaleState:
            skipped.append(code)
    if done:
        messages.success(request, (_("Approved: %(n)d region(s).") if action == "approve"
                                   else _("Returned to their operators: %(n)d region(s).")) % {"n": len(done)})
    if skipped:
        messages.info(request, _("Skipped, no longer waiting for verification (someone else handled them): "
                                 "%(codes)s.") % {"codes": ", ".join(f"{names[c]} ({c})" for c in skipped)})
    back = request.POST.get("back", "")
    return redirect(reverse("entry_list", kwargs={"slug": slug}) + (f"?{back}" if back else ""))
