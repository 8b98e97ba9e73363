"""``GET /api/health``: whether this server process can reach what it shares with the others.

For load balancers, systemd watchdogs and monitoring: 200 with ``{"status": "ok", ...}`` when the
database answers and the shared cache round-trips a value, 503 naming the part that failed
otherwise.  No login, nothing secret (no versions of dependencies, no paths), never cached.
"""

from __future__ import annotations

import secrets

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .. import __version__


def _database() -> str:
    try:
        with connection.cursor() as cur:
            cur.execute("SELECT 1")
            cur.fetchone()
        return "ok"
    except Exception as e:  # noqa: BLE001  (any failure is the answer)
        return f"error: {type(e).__name__}"


def _cache() -> str:
    try:
        token = secrets.token_hex(8)
        cache.set("rawan:health", token, 30)
        return "ok" if cache.get("rawan:health") == token else "error: value not kept"
    except Exception as e:  # noqa: BLE001
        return f"error: {type(e).__name__}"


@require_safe
@never_cache
def health(request):
    parts = {"database": _database(), "cache": _cache()}
    ok = all(v == "ok" for v in parts.values())
    return JsonResponse({"status": "ok" if ok else "error", **parts, "rawan": __version__}, status=200 if ok else 503)
