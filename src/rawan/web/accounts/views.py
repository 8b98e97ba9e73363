"""Log in with lock-out after repeated failures; log out; API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ..audit.models import log_action
from . import lockout
from .models import ApiToken


def login_view(request):
    error = None
    status = 200
    username = ""
    nxt = request.POST.get("next") or request.GET.get("next") or ""
    if request.method == "POST":
        username = request.POST.get("username", "").strip()[:150]
        password = request.POST.get("password", "")
        addr = request.META.get("REMOTE_ADDR", "")
        if lockout.reserve(username, addr):  # an attempt is counted before the password is checked
            log_action("rawan.user.login_refused", data={"username": username, "address": addr[:60]})
            error = _("Too many failed attempts: this account is locked for %(m)d minutes.") % {
                "m": settings.LOCKOUT_MINUTES}
            status = 429
        else:
            user = authenticate(request, username=username, password=password)
            if user is None:
                locked = lockout.failed(username, addr)
                log_action("rawan.user.locked" if locked else "rawan.user.login_failed",
                           data={"username": username, "address": addr[:60]})
                error = (_("Too many failed attempts: this account is locked for %(m)d minutes.") % {
                    "m": settings.LOCKOUT_MINUTES}) if locked else _("Wrong username or password.")
                status = 429 if locked else 401
            else:
                lockout.succeeded(username, addr)
                login(request, user)
                log_action("rawan.user.login", user=user)
                if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()},
                                                       require_https=request.is_secure()):
                    nxt = ""
                return redirect(nxt or "home")
    return render(request, "rawan/login.html", {"error": error, "username": username, "next": nxt}, status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("home")


@login_required
def tokens(request):
    new = None
    if request.method == "POST":
        tok, new = ApiToken.issue(request.user, request.POST.get("name", "")[:100])
        log_action("rawan.token.created", user=request.user, data={"name": tok.name})
        messages.success(request, _("Copy the token now: it is shown only once."))
    return render(request, "rawan/tokens.html", {"tokens": request.user.api_tokens.all(), "new": new})


def set_language(request, lang):
    """A plain link switches the language (a cookie); pages stay free of per-visitor tokens."""
    if lang not in dict(settings.LANGUAGES):
        lang = settings.LANGUAGE_CODE
    nxt = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(nxt, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        nxt = "/"
    resp = redirect(nxt or "/")
    resp.set_cookie(settings.LANGUAGE_COOKIE_NAME, lang, max_age=365 * 24 * 3600, samesite="Lax",
                    secure=getattr(settings, "HTTPS", False), httponly=False)
    return resp
