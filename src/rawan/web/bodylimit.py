"""Request bodies bounded before anything reads them.

Three layers, outermost first:

1. the server: ``rawan serve`` gives waitress ``max_request_body_size`` (``RAWAN_MAX_REQUEST_MB``,
   16 MiB), so a bigger body is answered 413 before the application sees it and before waitress
   spools it to disk; ``channel_timeout`` closes connections idle that long (slow clients).
   gunicorn/nginx equivalents: docs/deploy.md and docs/security.md.
2. :class:`BodyLimitMiddleware`, for any WSGI server: the declared ``Content-Length`` against the
   limit of the view (uploads: the intake's web limit plus the multipart envelope; everything
   else 1 MiB; anonymous requests 64 KiB), answered 413 before CSRF or the upload handlers read
   a byte.  No temporary file is created.
3. :class:`QuotaUploadHandler`: uploads always stream to files in ``<data dir>/uploads`` (0700),
   never into memory; a file over the upload limit, or one that would take the folder past its
   quota (``RAWAN_UPLOAD_QUOTA_MB``, 200), stops the upload and the view answers 413.
"""

from __future__ import annotations

import logging
import os
import re
from pathlib import Path

from django.conf import settings
from django.core.files.uploadhandler import StopUpload, TemporaryFileUploadHandler
from django.http import HttpResponse

from ..intake.limits import WEB_LIMITS

logger = logging.getLogger("rawan.web")
UPLOAD_PATHS = re.compile(r"^/e/[-\w]+/entri/unggah/$"
                          r"|^/tps/baru/$|^/tps/[-\w]+/desa/[\d.]+/tps/\d+/$")  # TPS lists; a checklist's photo
ENVELOPE = 64 * 1024  # multipart boundaries, headers and the CSRF field around the file
UPLOAD_BODY = WEB_LIMITS.max_bytes + ENVELOPE
UPLOAD_FILE = WEB_LIMITS.max_bytes  # one uploaded file
SMALL_BODY = 1024 * 1024  # forms and API documents: 61 values + 61 notes of 1,000 characters fit
ANONYMOUS_BODY = 64 * 1024  # the login form, the language switch


def body_limit(request) -> int:
    """The most bytes this request's body may have."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return ANONYMOUS_BODY
    if UPLOAD_PATHS.match(request.path_info):
        return UPLOAD_BODY
    return SMALL_BODY


def too_large(limit: int) -> HttpResponse:
    resp = HttpResponse(f"Request body too large (limit {limit} bytes).\n", status=413,
                        content_type="text/plain; charset=utf-8")
    resp["Connection"] = "close"
    return resp


class BodyLimitMiddleware:
    """413 for a declared body over the view's limit, before anything reads it.

    Placed after the authentication middlewares (the limit depends on who asks) and before any
    view or ``process_view`` (CSRF reads ``request.POST``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        raw = request.META.get("CONTENT_LENGTH") or "0"
        try:
            length = int(raw)
        except ValueError:
            length = -1
        limit = body_limit(request)
        if length < 0 or length > limit:
            # a logged-in user's refusal reaches the audit log through RefusedWriteMiddleware
            logger.warning("413 for %s: body of %s bytes over %d", request.path_info[:200], raw[:20], limit)
            return too_large(limit)
        return self.get_response(request)


def upload_dir() -> Path:
    d = Path(getattr(settings, "FILE_UPLOAD_TEMP_DIR", None) or Path(settings.DATA_DIR) / "uploads")
    d.mkdir(mode=0o700, parents=True, exist_ok=True)
    return d


def used_bytes(d: Path) -> int:
    total = 0
    for root, _dirs, files in os.walk(d):
        for f in files:
            try:
                total += os.lstat(os.path.join(root, f)).st_size
            except OSError:  # removed meanwhile
                pass
    return total


class QuotaUploadHandler(TemporaryFileUploadHandler):
    """Every upload to a temporary file in the quota'd upload folder; over a limit: stop."""

    def new_file(self, *args, **kwargs):
        request = self.request
        d = upload_dir()
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
        if used_bytes(d) + declared > settings.UPLOAD_QUOTA_BYTES:
            request.upload_refused = "quota"
            raise StopUpload(connection_reset=True)
        self.received = 0
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > UPLOAD_FILE:
            self.request.upload_refused = "size"
            self.file.close()  # the temporary file is deleted on close
            raise StopUpload(connection_reset=True)
        return super().receive_data_chunk(raw_data, start)


def waitress_options() -> dict:
    """What ``rawan serve`` gives waitress: the body cap, slow-client timeouts, connection cap."""
    return {"max_request_body_size": settings.MAX_REQUEST_BYTES,
            "max_request_header_size": 64 * 1024,
            "channel_timeout": settings.CHANNEL_TIMEOUT,
            "cleanup_interval": max(1, min(10, settings.CHANNEL_TIMEOUT // 2)),
            "connection_limit": settings.CONNECTION_LIMIT}
