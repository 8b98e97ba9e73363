"""Refused and missing pages in the server log: one line each, no traceback.

In a role-based app a 403 (a viewer trying to write, an operator opening the admin page) or a 404
(a region outside one's scope, a mistyped address) is a normal event.  Django logs a
``PermissionDenied`` with its full traceback (and a ``SuspiciousOperation``, such as a wrong Host
header, too); on a busy server the console fills with tracebacks that point at nothing wrong.

:class:`OneLineClientErrors` (a logging filter on the console handler and on ``django.request``,
settings.LOGGING) rewrites every record of a 4xx answer that carries a request into one line::

    403 Forbidden: POST /e/contoh-latihan-2026/kelola/aksi/ (user verifikator)

at the level Django chose (WARNING for 4xx; ERROR for the ``django.security`` events, whose first
line — the CSRF reason, the refused Host header — follows the user) and drops the traceback.  A 5xx keeps its traceback: that is a defect to fix.
"""

from __future__ import annotations

import logging

MAX_PATH = 300


def _escaped(text: str) -> str:
    """As Django does for the path it logs: no raw control characters (log injection)."""
    return text[:MAX_PATH].encode("unicode_escape").decode("ascii")


def _who(request) -> str:
    user = getattr(request, "user", None)  # absent when a middleware refused before authentication
    try:
        if user is not None and user.is_authenticated:
            how = " token" if getattr(request, "token_auth", False) else ""
            return f"user {_escaped(user.get_username())}{how}"
    except Exception:  # noqa: BLE001  (a log line must never raise: the database may be the problem)
        return "user ?"
    return "anonymous"


class OneLineClientErrors(logging.Filter):
    """One line (status, reason, method, path, user) for a 4xx record with a request; others pass
    unchanged."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        request = getattr(record, "request", None)
        if (not isinstance(status, int) or not 400 <= status < 500 or request is None
                or getattr(record, "rawan_one_line", False)):
            return True
        from http import HTTPStatus

        try:
            reason = HTTPStatus(status).phrase
        except ValueError:
            reason = "Client error"
        why = ""
        if record.name.startswith("django.security"):  # a wrong Host header, a CSRF failure: say which
            try:
                why = " — " + _escaped(record.getMessage().splitlines()[0] if record.getMessage() else "")
            except Exception:  # noqa: BLE001  (a malformed record still gets its one line)
                why = ""
        record.msg = "%s %s: %s %s (%s)%s"
        record.args = (status, reason, _escaped(getattr(request, "method", "") or "?"),
                       _escaped(getattr(request, "path", "") or "?"), _who(request), why)
        record.exc_info = None
        record.exc_text = None
        record.stack_info = None
        record.rawan_one_line = True
        return True
