"""Refused writes in the audit log: a logged-in user's (or token's) POST, PUT, PATCH or DELETE
answered 401, 403, 404 or 413 is recorded with the path, method and status.  Anonymous refusals
are not (anyone could fill the log with them); they go to the server log."""

from __future__ import annotations

import logging

REFUSED = {401, 403, 404, 413}
WRITES = {"POST", "PUT", "PATCH", "DELETE"}
logger = logging.getLogger("rawan.web")


class RefusedWriteMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if request.method in WRITES and response.status_code in REFUSED:
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                from .audit.models import log_action

                log_action("rawan.request.refused", user=user,
                           data={"method": request.method, "path": request.path_info[:200],
                                 "status": response.status_code,
                                 "via": "token" if getattr(request, "token_auth", False) else "session"})
            else:
                logger.info("refused %s %s: %s", request.method, request.path_info[:200], response.status_code)
        return response
