"""Whole-response cache for anonymous visitors of published editions.

A published (or archived) edition is frozen, so its public pages are the same bytes for every
anonymous visitor in a language: they are rendered once per process and served from memory.
The key holds the edition's status and publication time, so archiving or a new publication
changes it.  Never used for logged-in users, for visitors carrying a session or pending
messages, or for editions that are not public.
"""

from __future__ import annotations

import threading
import time
from functools import wraps

from django.conf import settings
from django.http import HttpResponse
from django.utils.translation import get_language

from .models import PUBLIC_STATUSES, Edition

_CACHE: dict[tuple, tuple[bytes, str, dict]] = {}
_STATE: dict[str, tuple[float, tuple | None]] = {}  # slug -> (time read, (pk, status, published_at))
STATE_SECONDS = 2.0  # a public edition only moves on to "arsip"; its new key is seen within 2 s
_LOCK = threading.Lock()
MAX_ENTRIES = 2000


def _cacheable(request) -> bool:
    return (request.method == "GET" and not request.user.is_authenticated
            and settings.SESSION_COOKIE_NAME not in request.COOKIES and "messages" not in request.COOKIES
            and not request.META.get("HTTP_AUTHORIZATION"))


def frozen_public(view):
    @wraps(view)
    def inner(request, slug, *args, **kwargs):
        if not _cacheable(request):
            return view(request, slug, *args, **kwargs)
        now = time.monotonic()
        seen = _STATE.get(slug)
        if seen is not None and now - seen[0] < STATE_SECONDS:
            state = seen[1]
        else:
            state = Edition.objects.filter(slug=slug).values_list("pk", "status", "published_at").first()
            _STATE[slug] = (now, state)
        if state is None or state[1] not in PUBLIC_STATUSES:
            return view(request, slug, *args, **kwargs)
        key = (request.get_full_path(), get_language(), *state)
        with _LOCK:
            hit = _CACHE.get(key)
        if hit is not None:
            body, ctype, headers = hit
            resp = HttpResponse(body, content_type=ctype)
            for k, v in headers.items():
                resp[k] = v
            return resp
        resp = view(request, slug, *args, **kwargs)
        if resp.status_code == 200 and not resp.streaming and not resp.cookies:
            headers = {k: v for k, v in resp.items() if k.lower() in ("content-disposition", "x-content-sha256")}
            with _LOCK:
                if len(_CACHE) >= MAX_ENTRIES:
                    _CACHE.clear()
                _CACHE[key] = (resp.content, resp["Content-Type"], headers)
        return resp

    return inner
