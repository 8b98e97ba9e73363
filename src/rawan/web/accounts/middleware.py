"""Token authentication for the API: ``Authorization: Bearer <token>`` sets request.user."""

from __future__ import annotations

from django.utils import timezone

from . import lockout
from .models import ApiToken


class TokenAuthMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.META.get("HTTP_AUTHORIZATION", "")
        request.token_auth = False
        if header.startswith("Bearer ") and request.path.startswith("/api/"):
            addr = request.META.get("REMOTE_ADDR", "")
            until = lockout.address_locked(addr)
            if until is not None:  # too many invalid tokens (or failed logins) from this address
                request.token_throttled = until
                return self.get_response(request)
            token = header[7:].strip()
            tok = ApiToken.objects.select_related("user", "user__profile").filter(digest=ApiToken.digest_of(token)).first()
            if tok is not None and tok.user.is_active and tok.usable:  # not expired, not revoked
                request.user = tok.user
                request.token_auth = True
                request.api_token = tok
                request._dont_enforce_csrf_checks = True  # bearer tokens are not sent by browsers
                now = timezone.now()
                if tok.last_used is None or (now - tok.last_used).total_seconds() > 60:  # one write a minute
                    ApiToken.objects.filter(pk=tok.pk).update(last_used=now)
            else:
                request.token_invalid = True
                lockout.token_failed(addr)
        return self.get_response(request)
