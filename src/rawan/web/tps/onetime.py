"""One-time passwords of accounts made in bulk (``users.create_users``): an authentication backend
that accepts one once, and the page where that first login sets the user's own password."""

from __future__ import annotations

import hashlib
import secrets

from django.contrib.auth import get_user_model, update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from ..audit.models import log_action

MUST_SET = "rawan_must_set_password"  # session key


def new_onetime() -> tuple[str, str]:
    """(password, its SHA-256)."""
    pw = secrets.token_urlsafe(12)
    return pw, hashlib.sha256(pw.encode("utf-8")).hexdigest()


class OneTimeBackend:
    """Accepts an unused one-time password once; the session then must set a real password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        from .models import OneTimePassword

        if not username or not password:
            return None
        digest = hashlib.sha256(password.encode("utf-8")).hexdigest()
        with transaction.atomic():
            otp = (OneTimePassword.objects.select_for_update().select_related("user")
                   .filter(user__username=username, used_at__isnull=True).first())
            if otp is None or not secrets.compare_digest(otp.digest, digest) or not otp.user.is_active:
                return None
            otp.used_at = timezone.now()
            otp.save(update_fields=["used_at"])
        if request is not None and hasattr(request, "session"):
            request.session[MUST_SET] = True
        return otp.user

    def get_user(self, user_id):
        return get_user_model().objects.filter(pk=user_id).first()


class MustSetPasswordMiddleware:
    """After a one-time login, every page leads to the set-password page until it is done."""

    ALLOWED = ("/akun/kata-sandi-baru/", "/keluar/", "/static/", "/bahasa/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if (session is not None and session.get(MUST_SET) and request.user.is_authenticated
                and not request.path_info.startswith(self.ALLOWED)):
            return redirect("set_own_password")
        return self.get_response(request)


@never_cache
@login_required
def set_own_password(request):
    form = SetPasswordForm(request.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        form.save()
        update_session_auth_hash(request, form.user)
        request.session.pop(MUST_SET, None)
        log_action("rawan.user.password_reset", user=request.user, data={"username": request.user.username,
                                                                         "own": True})
        from django.contrib import messages

        messages.success(request, _("Your password is set. Use it from now on."))
        return redirect("home")
    return render(request, "rawan/tps/set_password.html", {"form": form, "title": _("Set your own password")},
                  status=400 if request.method == "POST" else 200)
