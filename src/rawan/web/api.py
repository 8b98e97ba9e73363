"""REST API (JSON): editions, results, region detail, data entry.  Same access helpers as the
pages; writes need a bearer token (``Authorization: Bearer rwn_...``, see /akun/token/)."""

from __future__ import annotations

import json
from functools import wraps

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404, JsonResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from .. import __version__
from ..engine import explain
from ..vocabulary import synthetic_note
from .access import edition_for, region_for, submission_for, visible_editions
from .editions import dashboard as D
from .editions.pagecache import frozen_public
from ..engine.sensitivity import STABLE_SHARE
from .editions.services import ROBUSTNESS_RUNS, result_of
from .editions.table import result_table, table_rows
from .entry.models import SubmissionStatus
from .entry.state import diff, lock_for_entry
from .entry.values import check
from .problems import problem

SYNTHETIC_NOTE = synthetic_note("id")


def api_view(methods: tuple[str, ...] = ("GET",)):
    """Method check (HEAD wherever GET is); 404/403 from the access helpers and 401 for a bad
    token, all as problem details (RFC 9457)."""
    allowed = tuple(methods) + (("HEAD",) if "GET" in methods and "HEAD" not in methods else ())

    def deco(fn):
        @wraps(fn)
        def inner(request, *args, **kwargs):
            if request.method not in allowed:
                return problem(405, f"{request.method} is not allowed here; allowed: {', '.join(allowed)}.",
                               headers={"Allow": ", ".join(allowed)})
            until = getattr(request, "token_throttled", None)
            if until is not None:
                wait = max(1, int((until - timezone.now()).total_seconds()))
                return problem(429, "Too many invalid tokens or failed logins from this address; try again later.",
                               headers={"Retry-After": str(wait)})
            if getattr(request, "token_invalid", False):
                return problem(401, "The bearer token is invalid, expired or revoked.",
                               headers={"WWW-Authenticate": "Bearer"})
            try:
                token = getattr(request, "api_token", None)
                if token is not None and "slug" in kwargs:  # the token's scope, inside the role's
                    level = token.level(kwargs["slug"])
                    if level is None:
                        raise Http404("outside the token's scope")
                    if request.method not in ("GET", "HEAD") and level != "write":
                        raise PermissionDenied("read-only token")
                return fn(request, *args, **kwargs)
            except Http404:
                return problem(404, "No such edition or region, or not visible to you.")
            except PermissionDenied as e:
                return problem(403, _FORBIDDEN.get(str(e), "Your role or token does not allow this."))
        return csrf_exempt(inner)
    return deco


_FORBIDDEN = {"read-only token": "This token has read scope only; writes need a token with write scope.",
              "read-only role": "Your role cannot see or change data entry.",
              "submission not open for entry": "This submission is not open for entry (status, window or edition).",
              "role cannot enter data": "Your role cannot enter data."}


def _edition(e) -> dict:
    d = {"slug": e.slug, "title": e.title, "title_en": e.title_en or None, "status": e.status,
         "results_only": e.results_only, "synthetic": e.synthetic, "level": e.level, "scope": e.scope_code,
         "model": e.model_id or None, "version": e.version, "source": e.source or None,
         "source_en": e.source_en or None,
         "source_urls": e.source_urls, "confidence": e.confidence or None, "scale_note": e.scale_note or None,
         "published_at": e.published_at.isoformat() if e.published_at else None,
         "bundle_sha256": e.bundle_sha256 or None,
         "previous": e.previous.slug if e.previous_id and e.previous else None}
    if e.synthetic:
        d["note"] = SYNTHETIC_NOTE
    return d


def _row(r, internal: bool, robust: dict | None = None) -> dict:
    d = {"code": r.region_code, "name": r.name, "score": r.score, "rank": r.rank,
         "category": r.category or None, "dimensions": r.dimensions, "note": r.note or None,
         "stability": _stability((robust or {}).get(r.region_code))}
    if internal:
        d["completeness"] = r.completeness
    return d


def _stability(s: dict | None) -> dict | None:
    if not s:
        return None
    stab = s.get("class_stability")
    return {"rank_low": s.get("rank_low"), "rank_high": s.get("rank_high"), "class_stability": stab,
            "stable": None if stab is None else stab >= STABLE_SHARE}


def _robustness(robust: dict | None) -> dict | None:
    from ..demo import DEFAULT_SEED

    return {"runs": ROBUSTNESS_RUNS, "stable_share": STABLE_SHARE, "seed": DEFAULT_SEED} if robust else None


@api_view()
def editions(request):
    token = getattr(request, "api_token", None)
    return JsonResponse({"editions": [_edition(e) for e in visible_editions(request.user).select_related("previous")
                                      if token is None or token.level(e.slug)]})


@api_view()
def edition(request, slug):
    return JsonResponse(_edition(edition_for(request.user, slug)))


@api_view()
@frozen_public
def results(request, slug):
    e = edition_for(request.user, slug)
    internal = request.user.is_authenticated
    rows = D.rows_of(e)
    robust = D.robustness(e) if rows else None
    header, cols = result_table(e) if rows else ([], [])
    resp = JsonResponse({"edition": e.slug, "synthetic": e.synthetic, "level": e.level,
                         **({"note": SYNTHETIC_NOTE} if e.synthetic else {}),
                         "results": [_row(r, internal, robust) for r in rows],
                         "robustness": _robustness(robust),
                         # the one result table of every download (the bundle's results.csv columns)
                         "table": {"columns": header, "rows": table_rows(header, cols)}})
    if rows and D.robustness_pending(e):  # a worker is computing the stability figures: not cached
        from .editions.pagecache import NO_PAGE_CACHE

        resp[NO_PAGE_CACHE] = "1"
    return resp


@api_view()
@frozen_public
def region(request, slug, code):
    e = edition_for(request.user, slug)
    name = region_for(e, code)
    row = e.results.filter(region_code=code).first()
    doc = {"edition": e.slug, "code": code, "name": name, "synthetic": e.synthetic,
           "result": _row(row, request.user.is_authenticated, D.robustness(e)) if row else None, "top_drivers": []}
    res = result_of(e) if row else None
    if res is not None and code in res.codes:
        ex = explain(res, code, top=5)
        doc["top_drivers"] = [{"indicator": c.code, "score": c.score, "to_index": c.to_index} for c in ex.top_drivers]
    ch = D.change_against(e, code)
    if ch and ch["row"] is not None:
        doc["previous"] = {"edition": ch["edition"].slug, "score": ch["row"].score, "rank": ch["row"].rank,
                           "category": ch["row"].category or None, "same_scale": ch["same_scale"],
                           "warning": ch.get("mix_warning")}
    resp = JsonResponse(doc)
    if row and D.robustness_pending(e):  # a worker is computing the stability figures: not cached
        from .editions.pagecache import NO_PAGE_CACHE

        resp[NO_PAGE_CACHE] = "1"
    return resp


@api_view()
def regions(request, slug):
    """The edition's units (code, name) with their published result, if any."""
    e = edition_for(request.user, slug)
    rows = {r.region_code: r for r in D.rows_of(e)}
    return JsonResponse({"edition": e.slug, "level": e.level, "scope": e.scope_code, "regions": [
        {"code": c, "name": n, "has_result": c in rows} for c, n in e.regions]})


NOTE_MAX = 1000  # characters of one source note (as the entry form)
ENTRY_KEYS = {"values", "notes", "submit"}


class BadDocument(ValueError):
    pass


def _entry_document(raw: bytes, indicators: list[str], whole: bool) -> tuple[dict, dict, bool]:
    """(values as text, notes, submit) from a PUT or PATCH body, checked strictly.

    PUT replaces the whole submission, so its document must say so by naming every indicator
    (``null`` for no data) and giving ``notes`` (``{}`` for none); PATCH changes only what it names
    (a note set to ``null`` or ``""`` is removed).  ``submit`` is JSON ``true`` or ``false``."""
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise BadDocument("body must be JSON") from None
    if not isinstance(body, dict):
        raise BadDocument("body must be a JSON object")
    extra = sorted(set(body) - ENTRY_KEYS)
    if extra:
        raise BadDocument(f"unknown field(s): {', '.join(extra)}")
    values, notes = body.get("values", {}), body.get("notes", {})
    if not isinstance(values, dict) or not isinstance(notes, dict):
        raise BadDocument("values and notes must be JSON objects")
    submit = body.get("submit", False)
    if not isinstance(submit, bool):
        raise BadDocument("submit must be true or false")
    for k, v in values.items():
        if isinstance(v, bool) or not isinstance(v, (int, float, str, type(None))):
            raise BadDocument(f"values.{k}: a number, a string or null")
    for k, v in notes.items():
        if v is not None and not isinstance(v, str):
            raise BadDocument(f"notes.{k}: a string or null")
        if isinstance(v, str) and len(v) > NOTE_MAX:
            raise BadDocument(f"notes.{k}: at most {NOTE_MAX} characters")
    unknown = sorted((set(values) | set(notes)) - set(indicators))
    if unknown:
        raise BadDocument(f"unknown indicator(s): {', '.join(unknown)}")
    if whole:
        missing = [c for c in indicators if c not in values]
        if missing or "notes" not in body:
            raise BadDocument("PUT replaces the whole submission: give every indicator in values (null for "
                              "no data) and notes ({} for none), or use PATCH to change some of them; missing: "
                              + ", ".join(missing + ([] if "notes" in body else ["notes"])))
    # JSON numbers stay numbers; strings are read by the engine's number rule in the edition's locale
    return dict(values), notes, submit


@api_view(("GET", "PUT", "PATCH"))
def entry(request, slug, code):
    e = edition_for(request.user, slug)
    if request.method in ("GET", "HEAD"):
        sub = submission_for(request.user, e, code)
    else:
        if not getattr(request, "token_auth", False):
            return problem(401, "Writes need a bearer token (Authorization: Bearer rwn_...).",
                           headers={"WWW-Authenticate": "Bearer"})
        sub = submission_for(request.user, e, code, write=True)
        from .editions.services import spec_of

        spec = spec_of(e)
        indicators = list(spec.tree.indicators)
        whole = request.method == "PUT"
        try:
            raw, notes_in, submit = _entry_document(request.body, indicators, whole)
        except BadDocument as bad:
            return problem(400, f"{bad}; nothing saved")
        with transaction.atomic():
            cur = lock_for_entry(sub)
            checked, errors = check(spec, raw, e.locale)
            if errors:
                transaction.set_rollback(True)
                return problem(400, "Invalid values; nothing saved.", fields=errors)
            if whole:
                values = checked
            else:  # PATCH: what is stored, with only the named indicators changed
                values = {c: cur.values.get(c) for c in indicators}
                values.update({c: checked[c] for c in raw})
            notes = {} if whole else dict(cur.notes)
            for k, v in notes_in.items():
                if v is None or not v.strip():
                    notes.pop(k, None)
                else:
                    notes[k] = v.strip()
            old_status = cur.status
            changed, notes_changed = diff(cur.values, values), diff(cur.notes, notes)
            cur.values, cur.notes, cur.updated_by = values, notes, request.user
            if submit:
                cur.status = SubmissionStatus.SUBMITTED
            cur.save()
            cur.log_action("rawan.submission.saved", user=request.user,
                           data={"changed": changed, "notes": notes_changed, "via": f"api {request.method}"})
            if submit:
                cur.log_action("rawan.submission.submitted", user=request.user,
                               data={"old": old_status, "new": cur.status, "via": "api"})
                from .warnings.services import submission_waiting

                transaction.on_commit(lambda: submission_waiting(cur))
        sub = cur
    return JsonResponse({"edition": e.slug, "code": code, "status": sub.status, "values": sub.values,
                         "notes": sub.notes, "comment": sub.comment or None})
