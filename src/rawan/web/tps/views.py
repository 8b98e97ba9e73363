"""The PKD's pages: one page per desa (its TPS, what waits on the phone, "tidak ada"), one checklist
per TPS (grouped by variable, a note per yes, an optional photo), each TPS saved on its own.

A checklist is posted as a form (works without script) or by ``static/rawan/tps.js`` with
``Accept: application/json`` (from the phone's queue when the network returns): both carry a
``save_id`` made once per save, so a save sent twice is applied once, and the ``base_version`` it
was made on, so a save made on an older version becomes a conflict for the supervisor instead of
overwriting a newer checklist.
"""

from __future__ import annotations

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..access import desa_for, station_for, tps_collection_open, tps_edition_for
from ..accounts.models import Role
from ..accounts.roles import who
from .collect import ChecklistError, clean_checklist, declare_none, save_checklist
from .models import DesaReport, ReportStatus, SaveOutcome, TpsSave, TpsStation
from .photos import PhotoError, store_photo
from .services import checklist_groups, model_of


def _wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")


def _station_doc(st: TpsStation) -> dict:
    return {"tps": st.number, "label": st.label, "version": st.version, "answers": st.answers, "notes": st.notes,
            "photo": bool(st.photo), "saved_at": st.saved_at.isoformat() if st.saved_at else None}


@never_cache
@login_required
def desa_page(request, slug, code):
    tps = tps_edition_for(request.user, slug)
    rep = desa_for(request.user, tps, code)
    stations = list(tps.stations.filter(desa_code=code).only(
        "number", "address", "dpt", "special", "answers", "version", "saved_at"))
    w = who(request.user)
    can_write = w.role in (Role.PKD, Role.ADMIN) and tps_collection_open(tps)
    return render(request, "rawan/tps/desa.html", {
        "tps": tps, "edition": tps.edition, "synthetic": tps.synthetic, "title": rep.desa_name, "rep": rep,
        "stations": stations, "can_write": can_write, "n_saved": sum(1 for s in stations if s.version),
        "n_yes": sum(1 for s in stations if s.answers), "Status": ReportStatus,
        "supervisor": w.role in (Role.PANWASCAM, Role.OPERATOR, Role.VERIFIER, Role.ADMIN)})


@never_cache
@login_required
@require_POST
def desa_none(request, slug, code):
    """"Tidak ada kerawanan di desa ini": one button for the whole desa."""
    tps = tps_edition_for(request.user, slug)
    rep = desa_for(request.user, tps, code, write=True)
    try:
        declare_none(tps.edition, rep, request.user)
    except ValueError as e:
        messages.error(request, _("Not recorded: these TPS have a “yes” answer: %(tps)s. Clear them first, or "
                                  "save the checklists as they are.") % {"tps": str(e)})
        return redirect("tps_desa", slug=slug, code=code)
    messages.success(request, _("Recorded: no vulnerability in this desa."))
    return redirect("tps_desa", slug=slug, code=code)


def _parse(request, codes: list[str]) -> tuple[str, int, list[str], dict]:
    p = request.POST
    try:
        save_id = str(uuid.UUID(p.get("save_id", "")))
        base = int(p.get("base_version", ""))
    except ValueError:
        raise ChecklistError(_("The form is incomplete (save id or version missing): reload the page.")) from None
    answers = [c for c in codes if p.get(f"a_{c}") in ("1", "on", "ya")]
    unknown = [k[2:] for k in p if k.startswith("a_") and k[2:] not in codes]
    answers += unknown  # refused by clean_checklist, naming the indicator
    notes = {c: p.get(f"n_{c}", "") for c in codes if p.get(f"n_{c}", "").strip()}
    return save_id, base, answers, notes


@never_cache
@login_required
def checklist(request, slug, code, number):
    tps = tps_edition_for(request.user, slug)
    write = request.method == "POST"
    st = station_for(request.user, tps, code, number, write=write)
    model = model_of(tps.edition)
    codes = model.indicator_codes
    if write:
        try:
            save_id, base, answers, notes = _parse(request, codes)
            answers, notes = clean_checklist(answers, notes, codes, st)
            prior = TpsSave.objects.filter(save_id=save_id).first()
            photo = ""
            if prior is None and request.FILES.get("photo"):
                photo = store_photo(tps.slug, st, save_id, request.FILES["photo"])
            if prior is not None:
                rec = prior
                st.refresh_from_db()
            else:
                rec, st = save_checklist(tps.edition, st, request.user, save_id=save_id, base_version=base,
                                         answers=answers, notes=notes, photo=photo)
        except (ChecklistError, PhotoError) as e:
            if _wants_json(request):
                return JsonResponse({"outcome": "invalid", "error": str(e)}, status=400)
            messages.error(request, str(e))
            return _checklist_page(request, tps, st, model, status=400, typed=(request.POST.getlist, request.POST))
        if _wants_json(request):
            doc = {"outcome": rec.outcome, "save_id": str(rec.save_id), "version": rec.version,
                   "current": _station_doc(st)}
            return JsonResponse(doc, status=409 if rec.outcome == SaveOutcome.CONFLICT else 200)
        if rec.outcome == SaveOutcome.CONFLICT:
            messages.warning(request, _("Not saved over the newer checklist: %(tps)s was changed (version %(v)d) "
                                        "after you opened it. Your answers are kept for the supervisor, who "
                                        "sees both and chooses.") % {"tps": st.label, "v": st.version})
        else:
            messages.success(request, _("%(tps)s saved.") % {"tps": st.label})
        return redirect("tps_desa", slug=slug, code=code)
    return _checklist_page(request, tps, st, model)


def _checklist_page(request, tps, st, model, status=200, typed=None):
    w = who(request.user)
    if typed is not None:
        post = typed[1]
        answers = [c for c in model.indicator_codes if post.get(f"a_{c}")]
        notes = {c: post.get(f"n_{c}", "") for c in model.indicator_codes}
        base, save_id = post.get("base_version", st.version), post.get("save_id") or uuid.uuid4()
    else:
        answers, notes, base, save_id = st.answers, st.notes, st.version, uuid.uuid4()
    desa_name = (DesaReport.objects.filter(edition=tps, desa_code=st.desa_code).values_list("desa_name", flat=True)
                 .first()) or st.desa_code
    return render(request, "rawan/tps/checklist.html", {
        "tps": tps, "edition": tps.edition, "synthetic": tps.synthetic, "st": st, "title": st.label,
        "desa_name": desa_name,
        "groups": checklist_groups(model), "answers": set(answers), "notes": notes, "base": base,
        "save_id": save_id, "n_indicators": len(model.indicators),
        "can_write": w.role in (Role.PKD, Role.ADMIN) and tps_collection_open(tps)}, status=status)


def service_worker(request):
    """The service worker, served at /tps/ so it may control every TPS page (its scope)."""
    from django.conf import settings

    body = (settings.BASE_DIR / "static" / "rawan" / "tps-sw.js").read_bytes()
    resp = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    resp["Cache-Control"] = "no-cache"
    resp["Service-Worker-Allowed"] = "/tps/"
    return resp

