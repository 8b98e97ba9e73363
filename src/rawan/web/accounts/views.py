"""Log in with lock-out after repeated failures; log out; API tokens."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import authenticate, login, logout
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.http import Http404
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from ..audit.models import log_action
from . import lockout
from .models import ApiToken, Role
from .roles import who

TOKEN_ONCE = "rawan_token_once"  # session key: a new token waits there for the next page only


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


TOKEN_DAYS = (7, 30, 90, 365)


def token_scopes(level: str, slugs: list[str]) -> dict[str, str]:
    return {s: level for s in slugs} if slugs else {"*": level}


def issue_token(user, name: str, days: int, level: str, slugs: list[str], by=None):
    """A new token (audit-logged): the one function behind the page and ``rawan web token create``."""
    tok, token = ApiToken.issue(user, name, days=days, scopes=token_scopes(level, slugs))
    log_action("rawan.token.created", user=by or user,
               data={"name": tok.name, "owner": user.get_username(), "scopes": tok.scopes,
                     "expires": tok.expires.isoformat()})
    return tok, token


def revoke_token(tok, by=None) -> bool:
    """Revoke (audit-logged); False when it was revoked already."""
    from django.utils import timezone

    if tok.revoked is not None:
        return False
    ApiToken.objects.filter(pk=tok.pk, revoked__isnull=True).update(revoked=timezone.now())
    log_action("rawan.token.revoked", user=by, data={"name": tok.name, "owner": tok.user.get_username(), "id": tok.pk})
    return True


@never_cache
@login_required
def tokens(request):
    """The user's API tokens: create one (name, expiry, read or write, which editions), revoke."""
    from ..access import visible_editions

    from django.utils.translation import get_language

    en = (get_language() or "id").startswith("en")
    editions = [(slug, (title_en if en else "") or title)
                for slug, title, title_en in visible_editions(request.user).values_list("slug", "title", "title_en")]
    new = request.session.pop(TOKEN_ONCE, None) if request.method == "GET" else None
    errors = []
    if request.method == "POST":
        name = request.POST.get("name", "").strip()
        level = request.POST.get("level", "")
        slugs = request.POST.getlist("edition")
        try:
            days = int(request.POST.get("days", ""))
        except ValueError:
            days = 0
        if len(name) > 100:
            errors.append(_("The name is at most 100 characters."))
        if level not in ("read", "write"):
            errors.append(_("Choose read or write."))
        if days not in TOKEN_DAYS:
            errors.append(_("Choose how long the token stays valid."))
        if set(slugs) - {s for s, _t in editions}:
            errors.append(_("Choose editions from the list."))
        if not errors:
            _tok, token = issue_token(request.user, name, days, level, slugs)
            request.session[TOKEN_ONCE] = token  # shown once on the next page, never again
            messages.success(request, _("Copy the token now: it is shown only once."))
            return redirect("tokens")
    return render(request, "rawan/tokens.html", {
        "tokens": request.user.api_tokens.all(), "new": new, "editions": editions, "days": TOKEN_DAYS,
        "errors": errors}, status=400 if errors else 200)


@never_cache
@login_required
@require_POST
def token_revoke(request, pk):
    tok = ApiToken.objects.select_related("user").filter(pk=pk).first()
    if tok is None or (tok.user_id != request.user.pk and who(request.user).role != Role.ADMIN):
        raise Http404("token")
    if revoke_token(tok, by=request.user):
        messages.success(request, _("Token revoked: it is refused from now on."))
    return redirect("tokens")


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
