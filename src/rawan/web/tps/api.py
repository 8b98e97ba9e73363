"""The TPS API (JSON), with the access helpers of the pages: editions, the counts in Bawaslu's
format, reporting progress (supervisors), a desa's TPS and checklists, and saving one TPS's
checklist (bearer token with write scope; the same ``save_id`` / ``base_version`` rules as the page)."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import Http404, JsonResponse

from ...vocabulary import synthetic_note
from ..access import desa_for, require_tps_supervisor, station_for, supervised_prefix, tps_edition_for, tps_editions
from ..api import api_view
from ..problems import problem
from ..editions.dashboard import lang
from .collect import ChecklistError, clean_checklist, save_checklist
from .models import SaveOutcome
from .results import _region, bawaslu_table
from .services import checklist_groups, model_of
from .supervise import progress as progress_of
from .views import _station_doc


def _edition(t) -> dict:
    e = t.edition
    d = {"slug": e.slug, "title": e.title, "title_en": e.title_en or None, "status": e.status,
         "election": t.election, "model": e.model_id, "results_only": e.results_only, "synthetic": e.synthetic,
         "scope": e.scope_code, "window": [str(e.window_start) if e.window_start else None,
                                           str(e.window_end) if e.window_end else None],
         "source": e.source or None, "source_urls": e.source_urls}
    if e.synthetic:
        d["note"] = synthetic_note("id")
    return d


@api_view()
def editions(request):
    token = getattr(request, "api_token", None)
    return JsonResponse({"editions": [_edition(t) for t in tps_editions(request.user)
                                      if token is None or token.level(t.slug)]})


@api_view()
def results(request, slug):
    t = tps_edition_for(request.user, slug)
    doc = _edition(t)
    if t.results_only:
        doc["published"] = t.published
    else:
        doc["counts"] = bawaslu_table(t, _region(request, t), lang())
    return JsonResponse(doc)


@api_view()
def progress(request, slug):
    t = tps_edition_for(request.user, slug)
    require_tps_supervisor(request.user, t)
    return JsonResponse({"edition": t.slug, **progress_of(t, supervised_prefix(request.user))})


@api_view()
def desa(request, slug, code):
    t = tps_edition_for(request.user, slug)
    rep = desa_for(request.user, t, code)
    return JsonResponse({"edition": t.slug, "desa": code, "name": rep.desa_name, "status": rep.status,
                         "comment": rep.comment or None,
                         "checklist": checklist_groups(model_of(t.edition)),
                         "tps": [_station_doc(s) for s in t.stations.filter(desa_code=code)]})


MAX_VERSION = 2**31 - 1


def _save_document(body: bytes) -> dict:
    """The save document (openapi.py ``TpsSave``), its types checked before anything is read."""
    try:
        doc = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise ChecklistError("the body is not JSON") from None
    if not isinstance(doc, dict):
        raise ChecklistError("the body is a JSON object: {save_id, base_version, answers, notes}")
    base = doc.get("base_version")
    if isinstance(base, bool) or not isinstance(base, int) or not 0 <= base <= MAX_VERSION:
        raise ChecklistError("base_version is the version the checklist was made on: an integer >= 0")
    if not isinstance(doc.get("save_id"), str):
        raise ChecklistError("save_id is a UUID made once per save")
    answers, notes = doc.get("answers", []), doc.get("notes", {})
    if not isinstance(answers, list) or not all(isinstance(a, str) for a in answers):
        raise ChecklistError("answers is a list of indicator codes")
    if not isinstance(notes, dict) or not all(isinstance(v, str) for v in notes.values()):
        raise ChecklistError("notes is an object: indicator code -> text")
    return doc


@api_view(methods=("GET", "POST"))
def checklist(request, slug, code, number):
    """GET: the TPS's checklist and version.  POST {save_id, base_version, answers: [codes of "ya"],
    notes: {code: text}} with a bearer token: 200 applied, 409 conflict (kept for the supervisor;
    problem details with the TPS as it is now), 400 invalid (problem details naming the field)."""
    t = tps_edition_for(request.user, slug)
    write = request.method == "POST"
    if write and not getattr(request, "token_auth", False):
        return problem(401, "Writes need a bearer token (Authorization: Bearer rwn_...).",
                       headers={"WWW-Authenticate": "Bearer"})
    st = station_for(request.user, t, code, int(number), write=write)
    if not write:
        return JsonResponse(_station_doc(st))
    try:
        doc = _save_document(request.body)
        answers, notes = clean_checklist(doc["answers"] if "answers" in doc else [], doc.get("notes", {}),
                                         model_of(t.edition).indicator_codes, st)
        rec, st = save_checklist(t.edition, st, request.user, save_id=doc["save_id"],
                                 base_version=doc["base_version"], answers=answers, notes=notes)
    except (ValueError, TypeError, ChecklistError) as e:
        return problem(400, str(e)[:300], outcome="invalid", error=str(e)[:300])
    answer = {"outcome": rec.outcome, "save_id": str(rec.save_id), "version": rec.version,
              "current": _station_doc(st)}
    if rec.outcome == SaveOutcome.CONFLICT:
        return problem(409, f"{st.label} was changed (version {st.version}) after this save's base version "
                            f"{rec.base_version}: kept for the supervisor, nothing overwritten.", **answer)
    return JsonResponse(answer)


@api_view()
def counts(request, slug):
    """Every region of a level (?level=kabupaten_kota|kecamatan|desa_kelurahan|provinsi, ?within=code):
    the package's count table (TPS, reported, TPS rawan, share, per indicator, per variable, >= k variables)."""
    from ...tps.counts import LEVEL_LABELS
    from .results import counts_of

    t = tps_edition_for(request.user, slug)
    if t.results_only:
        raise Http404("results-only")
    level = request.GET.get("level", "kabupaten_kota")
    if level not in LEVEL_LABELS:
        raise Http404("level")
    table = counts_of(t).to_table(level, within=request.GET.get("within") or None)
    cols = table.column_names
    data = [table.column(c).to_pylist() for c in cols]
    rows = [{c: (None if isinstance(v, float) and v != v else v) for c, v in zip(cols, r)} for r in zip(*data)]
    return JsonResponse({**_edition(t), "level": level, "rows": rows})


@api_view()
def police_list(request, slug):
    """The TPS rawan list as JSON rows (?wilayah=, ?variabel=, ?indikator=); login or token required."""
    from ...reports.tps import tps_list
    from ...tps.messages import TpsError
    from ..accounts.roles import PUBLIC, who
    from .data import checklist_of
    from .outputs import regions_of

    t = tps_edition_for(request.user, slug)
    if t.results_only:
        raise Http404("results-only")
    if who(request.user).role == PUBLIC:
        raise PermissionDenied("login required")
    try:
        lst = tps_list(checklist_of(t), regions_of(t.edition.scope_code),
                       region=request.GET.get("wilayah") or t.edition.scope_code,
                       variable=request.GET.get("variabel") or None, indicator=request.GET.get("indikator") or None,
                       lang=lang())
    except TpsError:
        raise Http404("region, variable or indicator") from None
    return JsonResponse({**_edition(t), "region": lst.region, "filter": lst.filter_text, "columns": lst.head,
                         "rows": lst.rows})


@api_view()
def press(request, slug):
    """The press-release draft (Markdown) for ?wilayah= (supervisors)."""
    from ...tps.messages import TpsError
    from ..access import TPS_SUPERVISORS
    from ..accounts.roles import who
    from .outputs import press_text

    t = tps_edition_for(request.user, slug)
    if t.results_only:
        raise Http404("results-only")
    if who(request.user).role not in TPS_SUPERVISORS:
        raise PermissionDenied("supervisors only")
    region = request.GET.get("wilayah") or t.edition.scope_code
    try:
        return JsonResponse({"edition": t.slug, "region": region, "markdown": press_text(t, region)})
    except TpsError:
        raise Http404("region") from None
