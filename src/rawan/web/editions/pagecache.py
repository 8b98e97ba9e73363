"""Whole-response cache for anonymous visitors of published editions, shared by every process.

A published (or archived) edition is frozen, so its public pages are the same bytes for every
anonymous visitor in a language.  A page is rendered once and kept in Django's cache framework
(``CACHES["default"]``: the database by default, Redis or Memcached when ``RAWAN_CACHE_URL`` says
so), so a second server process or a second machine serves it without rendering it again.

The key also holds the installation's build identity (``rawan.web.build``: a hash of the package's
code, templates, static files and catalogues), so a code update served by restarted processes never
meets a page the old code drew, even without a version bump.

The key holds the edition's current state (pk, status, publication time), read from the database
on every request (one indexed query): a publication, an archiving or a restore changes the key at
once in every process.  Because a key's bytes never change, a small per-process dictionary may
stay in front of the shared cache without ever serving a stale page.

Only the query parameters a view reads (``params``) are part of the key: ``?r=<random>`` or
``?utm_source=...`` hit the same entry as the bare URL.  Whole responses are never cached for
logged-in users, visitors carrying a session or pending messages, API calls with a token, or
editions that are not public.

An anonymous page served from this cache still passes every middleware on its way out (security
headers, CSP, language, CORS...), which costs more than finding it.  So the *final* response of such
a hit (status, every header, body) is also kept per process, and ``EarlyPageMiddleware``, placed
right after Django's SecurityMiddleware, answers the next identical request with it before the other
middlewares run: same key (edition state read now, language from the cookie, path, canonical query,
rawan version, scheme), same bytes and headers, 304 when the ETag matches as before.  Only requests
the page cache would answer anonymously qualify (GET/HEAD, no session or messages cookie, no
Authorization header, no body), and only a path whose view was seen answering from the cache.

Logged-in users of a public edition get the same frozen content with their own header: the part of
the page between the ``<!--rawan:content-->`` markers of base.html (and its title and scripts) is
cached per edition state, language, path and the user's role and region (what the templates may
show differently: completeness for internal roles, the "Manage" link for the admin), and the page
around it (user name, log-out form with its CSRF token, messages) is rendered for each request from
``rawan/shell.html``.  Content holding a CSRF token is never cached.
"""

from __future__ import annotations

import hashlib
import threading
from functools import wraps
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse, QueryDict
from django.utils.translation import get_language

from ... import __version__
from ..build import build_id
from ..problems import conditional, etag_of
from .models import PUBLIC_STATUSES, Edition

KEPT_HEADERS = ("content-disposition", "x-content-sha256", "etag")
SAFE = ("GET", "HEAD")
# a view marks a page that will change without the edition's state changing (figures a worker is
# still computing) with this header: such a page is not cached (and the header is not sent)
NO_PAGE_CACHE = "X-Rawan-No-Page-Cache"
LOCAL_MAX = 2000  # entries of the per-process layer (a few MB)
TIMEOUT = 7 * 24 * 3600  # shared entries expire after a week unused-or-not (the key never goes stale)

_LOCAL: dict[str, tuple[bytes, str, dict]] = {}
_LOCK = threading.Lock()
# EarlyPageMiddleware's two per-process maps: a path -> (slug, params) of its frozen_public view, and
# an early key -> {status: (status, headers, body), "etag": etag} of final responses
_ROUTES: dict[str, tuple[str, tuple[str, ...]]] = {}
_FINAL: dict[str, dict] = {}


MARKS = {"content": ("<!--rawan:content-->", "<!--/rawan:content-->"),
         "scripts": ("<!--rawan:scripts-->", "<!--/rawan:scripts-->"),
         "title": ("<title>", " · rawan</title>")}


def _cacheable(request) -> bool:
    return (request.method in SAFE and not request.user.is_authenticated
            and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
            and not request.META.get("HTTP_AUTHORIZATION"))


def edition_state(slug: str) -> tuple | None:
    """(pk, status, published_at) of the edition, read now.  One plain indexed SELECT on every
    request: the ORM's query building costs more than the query itself on this hot path."""
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(_STATE_SQL, [slug])
        return cur.fetchone()


_STATE_SQL = f"SELECT id, status, published_at FROM {Edition._meta.db_table} WHERE slug = %s"


def canonical_query(request, params: tuple[str, ...]) -> str:
    """Only the parameters the view reads, non-empty, in a fixed order."""
    return urlencode(sorted((p, v) for p in params for v in request.GET.getlist(p) if v))


def page_key(request, state: tuple, query: str) -> str:
    """The cache key: edition state, language, path, the canonical query, the rawan version and the
    build identity (an upgrade, or any change of the served code, may change what a page shows)."""
    raw = "|".join([*(str(s) for s in state), get_language() or "", request.path, query, __version__, build_id()])
    return "rawan:page:" + hashlib.sha256(raw.encode("utf-8")).hexdigest()


def clear_local() -> None:
    with _LOCK:
        _LOCAL.clear()
        _ROUTES.clear()
        _FINAL.clear()


def _respond(hit: tuple[bytes, str, dict]) -> HttpResponse:
    body, ctype, headers = hit
    resp = HttpResponse(body, content_type=ctype)
    for k, v in headers.items():
        resp[k] = v
    return resp


def frozen_public(view=None, *, params: tuple[str, ...] = ()):
    """Decorator for a public view taking ``slug``: ``@frozen_public`` or ``@frozen_public(params=("dimensi",))``."""
    if view is None:
        return lambda v: frozen_public(v, params=params)

    @wraps(view)
    def inner(request, slug, *args, **kwargs):
        anonymous = _cacheable(request)
        if not anonymous and not (request.method in SAFE and request.user.is_authenticated
                                  and not getattr(request, "token_auth", False)):
            return _uncached(view(request, slug, *args, **kwargs))
        state = edition_state(slug)
        if state is None or state[1] not in PUBLIC_STATUSES:
            return _uncached(view(request, slug, *args, **kwargs))
        if not anonymous:
            return _member_page(view, request, slug, state, params, *args, **kwargs)
        query = canonical_query(request, params)
        key = page_key(request, state, query)
        with _LOCK:
            hit = _LOCAL.get(key)
        if hit is None:
            hit = cache.get(key)
            if hit is not None:
                _remember(key, hit)
        if hit is not None:
            resp = _frozen(request, _respond(hit))
            # EarlyPageMiddleware keeps the final response (after every middleware) for next time
            request._rawan_final = (slug, params, _final_key(request, state, query, request.LANGUAGE_CODE))
            return resp
        # render the canonical URL: the page (e.g. its language link) must not carry a query string
        # that the next visitor of the same entry did not send
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        resp = view(request, slug, *args, **kwargs)
        if resp.has_header(NO_PAGE_CACHE):
            del resp[NO_PAGE_CACHE]
            return resp
        if resp.status_code == 200 and not resp.streaming and not resp.cookies:
            resp["ETag"] = etag_of(resp.content)
            headers = {k: v for k, v in resp.items() if k.lower() in KEPT_HEADERS}
            entry = (resp.content, resp["Content-Type"], headers)
            cache.set(key, entry, TIMEOUT)
            _remember(key, entry)
            return _frozen(request, resp)
        return resp

    return inner


def _frozen(request, resp):
    """An anonymous answer of a published edition: ETag, Cache-Control, 304 on If-None-Match."""
    return conditional(request, resp, resp.get("ETag") or None)


def _uncached(resp):
    if resp.has_header(NO_PAGE_CACHE):
        del resp[NO_PAGE_CACHE]
    return resp


def _remember(key: str, entry: tuple) -> None:
    with _LOCK:
        if len(_LOCAL) >= LOCAL_MAX:
            _LOCAL.clear()
        _LOCAL[key] = entry


def _final_key(request, state: tuple, query: str, lang: str) -> str:
    return "|".join([*(str(s) for s in state), lang, request.method, request.path, query, __version__,
                     "https" if request.is_secure() else "http"])


def _early_candidate(request) -> bool:
    """What the page cache would answer anonymously, judged before any middleware ran (no session
    or messages cookie, no Authorization header), and nothing another middleware would answer
    differently (a body: its size limit; a malformed CSRF cookie: a new one)."""
    if request.method not in SAFE or request.META.get("HTTP_AUTHORIZATION"):
        return False
    cookies = request.COOKIES
    if settings.SESSION_COOKIE_NAME in cookies or "messages" in cookies:
        return False
    if request.META.get("CONTENT_LENGTH") not in (None, "", "0") or settings.DISALLOWED_USER_AGENTS:
        return False
    token = cookies.get(settings.CSRF_COOKIE_NAME)
    if token is not None:
        from django.middleware.csrf import InvalidTokenFormat, _check_token_format

        try:
            _check_token_format(token)
        except InvalidTokenFormat:
            return False
    return True


class EarlyPageMiddleware:
    """Anonymous hits of the page cache answered with the final response kept from an earlier
    identical hit, before the other middlewares run (see the module's docstring)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        route = _ROUTES.get(request.path)
        if route is not None and _early_candidate(request):
            request.get_host()  # ALLOWED_HOSTS as CommonMiddleware checks it (DisallowedHost: 400)
            resp = self._early(request, *route)
            if resp is not None:
                return resp
        resp = self.get_response(request)
        mark = getattr(request, "_rawan_final", None)
        if mark is not None and resp.status_code in (200, 304) and not resp.cookies and not resp.streaming:
            slug, params, key = mark
            final = (resp.status_code, list(resp.items()), resp.content)
            etag = resp.get("ETag")
            with _LOCK:
                if len(_FINAL) >= LOCAL_MAX or len(_ROUTES) >= LOCAL_MAX:
                    _FINAL.clear()
                    _ROUTES.clear()
                _ROUTES[request.path] = (slug, params)
                _FINAL.setdefault(key, {"etag": etag})[resp.status_code] = final
        return resp

    @staticmethod
    def _early(request, slug, params):
        from ..accounts.language import chosen_language
        from ..problems import _matches

        state = edition_state(slug)
        if state is None or state[1] not in PUBLIC_STATUSES:
            return None
        key = _final_key(request, state, canonical_query(request, params), chosen_language(request))
        with _LOCK:
            entry = _FINAL.get(key)
        if entry is None:
            return None
        status = 304 if entry["etag"] and _matches(request, entry["etag"]) else 200
        final = entry.get(status)
        if final is None:
            return None
        resp = HttpResponse(final[2], status=status)
        for k in list(resp.headers):
            del resp.headers[k]
        for k, v in final[1]:
            resp.headers[k] = v
        return resp


def _member_page(view, request, slug, state, params, *args, **kwargs):
    """A logged-in user's page of a public edition: cached content, this user's header around it."""
    from django.shortcuts import render

    from ..accounts.roles import who

    w = who(request.user)
    key = page_key(request, (*state, "member", w.role, w.region), canonical_query(request, params))
    with _LOCK:
        hit = _LOCAL.get(key)
    if hit is None:
        hit = cache.get(key)
        if hit is not None:
            _remember(key, hit)
    if hit is not None:
        parts, synthetic = hit
        return render(request, "rawan/shell.html", {**parts, "synthetic": synthetic})
    resp = view(request, slug, *args, **kwargs)
    if resp.has_header(NO_PAGE_CACHE):
        del resp[NO_PAGE_CACHE]
        return resp
    if resp.status_code == 200 and not resp.streaming and resp["Content-Type"].startswith("text/html"):
        html = resp.content.decode("utf-8")
        parts = {}
        for name, (start, end) in MARKS.items():
            a, b = html.find(start), html.find(end)
            if a < 0 or b < a:
                return resp
            parts[name] = html[a + len(start):b]
        if "csrfmiddlewaretoken" not in parts["content"]:
            entry = (parts, 'class="contoh"' in html)
            cache.set(key, entry, TIMEOUT)
            _remember(key, entry)
    return resp
