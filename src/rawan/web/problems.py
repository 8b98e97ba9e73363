"""The API's error answers and its cross-origin rules, and HTTP caching of frozen content.

* Every error of ``/api/...`` (400, 401, 403, 404, 405, 413, 429, ...) is a JSON *problem details*
  document (RFC 9457, ``application/problem+json``): ``type``, ``title``, ``status``, ``detail``,
  never an HTML page, whichever layer answered (a view, the body limit, Django's 404 for an unknown
  path).  :func:`problem` builds one; :class:`ApiMiddleware` turns any other error answer of an API
  path into one.
* The read-only public API answers cross-origin requests (CORS, ``Access-Control-Allow-Origin: *``
  without credentials, so a browser elsewhere reads exactly what an anonymous visitor reads);
  the entry API (writes, internal roles) does not.
* :func:`conditional` gives published, frozen content an ``ETag`` and ``Cache-Control`` and answers
  ``304 Not Modified`` to a matching ``If-None-Match``.
"""

from __future__ import annotations

import hashlib
import re
from http import HTTPStatus

from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers

PROBLEM_TYPE = "application/problem+json"
# the entry API (data entry, bearer tokens) is not offered to other origins
NO_CORS = re.compile(r"^/api/editions/[^/]+/entries/")
CORS_HEADERS = {"Access-Control-Allow-Origin": "*", "Access-Control-Expose-Headers": "ETag, Content-Disposition"}
PREFLIGHT_HEADERS = {"Access-Control-Allow-Methods": "GET, HEAD, OPTIONS",
                     "Access-Control-Allow-Headers": "If-None-Match, Accept, Accept-Language",
                     "Access-Control-Max-Age": "86400"}
# published content is frozen, but its page can still change status (archived) or language:
# browsers and proxies may keep it a few minutes and revalidate with the ETag afterwards
FROZEN_CACHE_CONTROL = "public, max-age=300"


def problem(status: int, detail: str = "", *, title: str | None = None, headers: dict | None = None,
            **extra) -> JsonResponse:
    """An RFC 9457 problem details answer.  ``type`` is about:blank (the status says it all),
    ``title`` the status phrase, ``detail`` what went wrong with this request."""
    phrase = HTTPStatus(status).phrase if status in HTTPStatus._value2member_map_ else "Error"
    doc = {"type": "about:blank", "title": title or phrase, "status": status}
    if detail:
        doc["detail"] = detail
    doc.update(extra)
    resp = JsonResponse(doc, status=status, content_type=PROBLEM_TYPE,
                        json_dumps_params={"ensure_ascii": False})
    for k, v in (headers or {}).items():
        resp[k] = v
    return resp


DETAILS = {400: "The request is not valid.", 401: "Authentication is needed or the token is not valid.",
           403: "This request is not allowed.", 404: "No such resource.", 405: "Method not allowed.",
           413: "The request body is too large.", 429: "Too many requests; try again later."}
KEPT = ("Allow", "Retry-After", "WWW-Authenticate", "Connection")


class ApiMiddleware:
    """For paths under /api/: problem details for every error, CORS on the read-only API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if not path.startswith("/api/"):
            return self.get_response(request)
        cors = not NO_CORS.match(path)
        if cors and request.method == "OPTIONS" and request.META.get("HTTP_ACCESS_CONTROL_REQUEST_METHOD"):
            resp = HttpResponse(status=204)
            for k, v in {**CORS_HEADERS, **PREFLIGHT_HEADERS}.items():
                resp[k] = v
            return resp
        resp = self.get_response(request)
        ctype = resp.get("Content-Type", "").split(";")[0].strip()
        if resp.status_code >= 400 and not (ctype == "application/json" or ctype.endswith("+json")):
            resp = self._as_problem(resp)  # an HTML or text error page of another layer
        if cors:
            for k, v in CORS_HEADERS.items():
                resp[k] = v
        return resp

    @staticmethod
    def _as_problem(resp):
        status = resp.status_code
        new = problem(status, DETAILS.get(status, ""))
        for k in KEPT:
            if k in resp:
                new[k] = resp[k]
        return new


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:40] + '"'


def _matches(request, etag: str) -> bool:
    header = request.META.get("HTTP_IF_NONE_MATCH", "")
    if not header:
        return False
    if header.strip() == "*":
        return True
    tags = {t.strip().removeprefix("W/") for t in header.split(",")}
    return etag in tags


def conditional(request, resp, etag: str | None = None, cache_control: str = FROZEN_CACHE_CONTROL):
    """Mark a frozen 200 answer with its ETag and Cache-Control; 304 when the client has it."""
    if resp.status_code != 200 or request.method not in ("GET", "HEAD"):
        return resp
    if etag is None:
        if getattr(resp, "streaming", False):
            return resp
        etag = etag_of(resp.content)
    resp["ETag"] = etag
    resp["Cache-Control"] = cache_control
    patch_vary_headers(resp, ("Cookie",))  # the language is a cookie
    if _matches(request, etag):
        not_modified = HttpResponse(status=304)
        for k in ("ETag", "Cache-Control", "Vary", "Content-Disposition", "Access-Control-Allow-Origin"):
            if k in resp:
                not_modified[k] = resp[k]
        return not_modified
    return resp
