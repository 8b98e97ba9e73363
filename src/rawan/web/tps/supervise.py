"""Supervision during the collection window: Panwascam (their kecamatan), Bawaslu kab/kota (the
operator role: their kab/kota), verifier and admin (everything).  Who reported, who said "tidak
ada", who has not reported (a list to call), counts per kecamatan and kab/kota, returning a desa's
report with a comment, the conflicts to decide, and (admin) opening and closing the window."""

from __future__ import annotations

from collections import defaultdict
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import require_admin, require_tps_supervisor, supervised_prefix, tps_edition_for
from ..accounts.models import Profile, Role
from ..accounts.scope import region_name
from ..editions.dashboard import lang
from ..editions.models import Edition, Status
from .book import book_choices
from .collect import NothingToReturn, lock_edition_exclusive, resolve_conflict, return_desa
from .models import DesaReport, ReportStatus as R, SaveOutcome, TpsSave
from .services import model_of

COMMENT_MAX = 1000


def _in_scope(qs, prefix: str, field: str = "desa_code"):
    return qs.filter(**{f"{field}__startswith": prefix + "."}) if prefix else qs


def progress(tps, prefix: str = "") -> dict:
    """Counts per status for the whole scope, per kab/kota and per kecamatan (one query each)."""
    reps = _in_scope(DesaReport.objects.filter(edition=tps), prefix)
    total = {s: 0 for s in R.values}
    for row in reps.values("status").annotate(n=Count("id")):
        total[row["status"]] = row["n"]
    per = {}
    for level, field in (("kabupaten_kota", "kabkota_code"), ("kecamatan", "kecamatan_code")):
        rows = defaultdict(lambda: {s: 0 for s in R.values})
        for row in reps.values(field, "status").annotate(n=Count("id")):
            rows[row[field]][row["status"]] = row["n"]
        per[level] = [{"code": c, "name": region_name(c, level) or c, **counts,
                       "n": sum(counts.values()),
                       "reported": counts[R.REPORTED] + counts[R.NONE]} for c, counts in sorted(rows.items())]
    return {"total": {**total, "n": sum(total.values()), "reported": total[R.REPORTED] + total[R.NONE]}, **per}


@never_cache
@login_required
def supervision(request, slug):
    tps = tps_edition_for(request.user, slug)
    require_tps_supervisor(request.user, tps)
    prefix = supervised_prefix(request.user)
    status = request.GET.get("status", R.NOT_YET)
    if status not in R.values:
        status = R.NOT_YET
    kec = request.GET.get("kec", "")
    desa = _in_scope(DesaReport.objects.filter(edition=tps, status=status), prefix)
    if kec and (not prefix or kec == prefix or kec.startswith(prefix + ".")):
        desa = desa.filter(kecamatan_code=kec)
    desa = list(desa[:500])
    pkd = {p.region_code: f"{p.user.username}" + (f" ({p.organisation})" if p.organisation else "")
           for p in Profile.objects.select_related("user").filter(
        role=Role.PKD, region_code__in=[d.desa_code for d in desa])}
    conflicts = list(_in_scope(TpsSave.objects.filter(edition=tps, outcome=SaveOutcome.CONFLICT)
                               .select_related("station", "user"), prefix, "station__desa_code")[:200])
    model = model_of(tps.edition)
    short = {i.code: i.label(lang(), short=True) for i in model.indicators}
    prog = progress(tps, prefix)
    levels = [("kabupaten_kota", prog["kabupaten_kota"], _("Per kab/kota"))] if len(prog["kabupaten_kota"]) > 1 else []
    levels.append(("kecamatan", prog["kecamatan"], _("Per kecamatan")))
    return render(request, "rawan/tps/supervision.html", {
        "tps": tps, "edition": tps.edition, "synthetic": tps.synthetic, "title": tps.edition.title,
        "progress": prog, "levels": levels, "desa": desa, "pkd": pkd, "status": status, "Status": R,
        "statuses": R.choices, "kec": kec, "conflicts": conflicts, "short": short,
        "scope": region_name(prefix, "kecamatan") or region_name(prefix, "kabupaten_kota") or "",
        "is_admin": request.user.is_superuser or getattr(getattr(request.user, "profile", None), "role", "") == Role.ADMIN,
        "book_choices": book_choices(tps), "can_export": not prefix})


@never_cache
@login_required
@require_POST
def return_report(request, slug, code):
    tps = tps_edition_for(request.user, slug)
    require_tps_supervisor(request.user, tps, code)
    rep = DesaReport.objects.filter(edition=tps, desa_code=code).first()
    if rep is None:
        raise Http404("desa")
    if tps.edition.status not in (Status.COLLECTING, Status.VERIFYING):
        raise PermissionDenied("edition not in collection")
    comment = request.POST.get("comment", "").strip()
    if not comment:
        messages.error(request, _("Write what the PKD must correct: a report is returned with a comment."))
    elif len(comment) > COMMENT_MAX:
        messages.error(request, _("The comment is at most %(n)d characters.") % {"n": COMMENT_MAX})
    else:
        try:
            return_desa(tps.edition, rep, request.user, comment)
            messages.success(request, _("Returned to the PKD of %(desa)s with your comment.") % {"desa": rep.desa_name})
        except NothingToReturn:
            messages.warning(request, _("%(desa)s has nothing to return (not reported yet, or returned already).")
                             % {"desa": rep.desa_name})
    return redirect("tps_desa", slug=slug, code=code)


@never_cache
@login_required
@require_POST
def resolve(request, slug, pk):
    tps = tps_edition_for(request.user, slug)
    require_tps_supervisor(request.user, tps)
    rec = TpsSave.objects.select_related("station").filter(edition=tps, pk=pk).first()
    if rec is None:
        raise Http404("save")
    require_tps_supervisor(request.user, tps, rec.station.desa_code)
    choice = request.POST.get("choice")
    if choice not in ("keep", "take"):
        messages.error(request, _("Choose which checklist stays."))
        return redirect("tps_supervision", slug=slug)
    try:
        resolve_conflict(tps.edition, rec, request.user, take=choice == "take")
        messages.success(request, _("Decided: %(tps)s of %(desa)s.") % {"tps": rec.station.label, "desa": rec.station.desa_code})
    except NothingToReturn:
        messages.warning(request, _("This conflict was decided already."))
    return redirect("tps_supervision", slug=slug)


def _date(text: str):
    text = (text or "").strip()
    if not text:
        return None
    return dt.date.fromisoformat(text)


@never_cache
@login_required
@require_POST
def window(request, slug):
    """The admin opens or closes the collection (status pengumpulan <-> verifikasi) and sets the dates."""
    tps = tps_edition_for(request.user, slug)
    require_admin(request.user)
    if tps.results_only:
        raise Http404("results-only TPS edition")
    action = request.POST.get("action")
    try:
        start, end = _date(request.POST.get("start")), _date(request.POST.get("end"))
    except ValueError:
        messages.error(request, _("A date is written YYYY-MM-DD."))
        return redirect("tps_supervision", slug=slug)
    if start and end and end < start:
        messages.error(request, _("The window ends before it starts."))
        return redirect("tps_supervision", slug=slug)
    target, allowed = {"open": (Status.COLLECTING, (Status.DRAFT, Status.COLLECTING, Status.VERIFYING)),
                       "close": (Status.VERIFYING, (Status.COLLECTING, Status.VERIFYING)),
                       "publish": (Status.PUBLISHED, (Status.VERIFYING,)),
                       "archive": (Status.ARCHIVED, (Status.PUBLISHED,))}.get(action, (None, ()))
    with transaction.atomic():
        lock_edition_exclusive(tps.edition.pk)  # saves in flight finish first; new ones wait
        ed = Edition.objects.select_for_update().get(pk=tps.edition.pk)
        if target is None or ed.status not in allowed:
            raise PermissionDenied("no such change")
        old = {"status": ed.status, "start": str(ed.window_start), "end": str(ed.window_end)}
        ed.status = target
        if action == "open":
            ed.window_start, ed.window_end = start, end
        if action == "publish":
            ed.published_at = timezone.now()
        ed.save(update_fields=["status", "window_start", "window_end", "published_at"])
        ed.log_action("rawan.tps.window", user=request.user, data={
            "old": old, "new": {"status": ed.status, "start": str(ed.window_start), "end": str(ed.window_end)}})
    messages.success(request, {"open": _("Collection opened."), "close": _("Collection closed."),
                               "publish": _("Published: the counts are public."),
                               "archive": _("Archived.")}[action])
    return redirect("tps_supervision", slug=slug)
