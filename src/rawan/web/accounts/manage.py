"""Province administrator: the users of the installation and their roles (passwords shown once);
deactivate / reactivate an account and reset its password."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.utils.translation import gettext as _

from ..access import require_admin
from ..audit.models import log_action
from .models import Role
from .scope import ROLE_LEVEL, SEARCH_LIMIT, check_role_region, search

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")
SHOW_ONCE = "rawan_password_once"  # session key (sessions live in the database, never in the cookie)


def set_active(person, active: bool, by=None) -> bool:
    """Deactivate or reactivate an account (audit-logged); True when it changed.  An inactive user
    cannot log in, their session ends and their API tokens are refused (accounts/middleware.py)."""
    if person.is_active == active:
        return False
    with transaction.atomic():
        person.is_active = active
        person.save(update_fields=["is_active"])
        log_action("rawan.user.reactivated" if active else "rawan.user.deactivated", user=by,
                   data={"username": person.username, "old": {"active": not active}, "new": {"active": active}})
    return True


def reset_password(person, by=None) -> str:
    """A new random password (the generator of user creation), audit-logged; returned to show once."""
    from ..demo import new_password

    password = new_password()
    with transaction.atomic():
        person.set_password(password)
        person.save(update_fields=["password"])
        log_action("rawan.user.password_reset", user=by, data={"username": person.username})
    return password


def _show_once(request, username: str, password: str):
    """POST/redirect/GET: the password waits in the server-side session for the next page only, so
    reloading that page neither shows it again nor repeats the creation or reset."""
    request.session[SHOW_ONCE] = [username, password]
    return redirect("users")


def _page(request, *, new=None, errors=(), status=200):
    people = get_user_model().objects.select_related("profile").order_by("username")
    form = request.POST if request.method == "POST" and errors else {}
    roles = [(v, label, ROLE_LEVEL[Role(v)] or "") for v, label in Role.choices]
    from ..warnings.models import Organisation  # a stakeholder viewer names one (docs/mitigation.md)

    return render(request, "rawan/users.html", {"people": people, "roles": roles, "new": new,
                                                "errors": list(errors), "form": form,
                                                "organisations": Organisation.objects.values_list("code", "name")},
                  status=status)


@never_cache
@login_required
def region_search(request):
    """JSON: regions whose code or name contains the words of ``q`` (admin only; for the user form)."""
    require_admin(request.user)
    level = request.GET.get("tingkat", "kabupaten_kota")
    hits = search(request.GET.get("q", "")[:100], level)
    return JsonResponse({"level": level, "limit": SEARCH_LIMIT, "regions": hits})


@never_cache
@login_required
def users(request):
    from ..demo import create_user

    require_admin(request.user)
    new = request.session.pop(SHOW_ONCE, None) if request.method == "GET" else None
    errors = []
    if request.method == "POST":
        username = request.POST.get("username", "").strip().lower()
        role = request.POST.get("role", "")
        region = request.POST.get("region", "").strip().split(" ")[0]  # "15.01 Kabupaten Kerinci" from the list
        org = request.POST.get("organisation", "").strip()
        if not username or not set(username) <= USERNAME_CHARS or len(username) > 150:
            errors.append(_("A username uses letters, digits, dots, dashes or underscores."))
        errors += check_role_region(role, region)
        if len(org) > 200:
            errors.append(_("The organisation is at most 200 characters."))
        if get_user_model().objects.filter(username=username).exists():
            errors.append(_("The user %(u)s exists already.") % {"u": username})
        if not errors:
            with transaction.atomic():
                password = create_user(username, role, region, org)
            messages.success(request, _("User created. Give the password to its owner now: it is shown only once."))
            return _show_once(request, username, password)
    return _page(request, new=new, errors=errors, status=400 if errors else 200)


@never_cache
@login_required
@require_POST
def user_action(request, username):
    """Deactivate, reactivate or reset the password of one user (admin only)."""
    require_admin(request.user)
    person = get_user_model().objects.filter(username=username).first()
    if person is None:
        raise Http404("user")
    action = request.POST.get("action", "")
    if action in ("deactivate", "activate"):
        active = action == "activate"
        if not active and person.pk == request.user.pk:
            return _page(request, errors=[_("You cannot deactivate your own account.")], status=400)
        set_active(person, active, by=request.user)
        messages.success(request, (_("%(u)s can log in again.") if active else
                                   _("%(u)s is deactivated: cannot log in, API tokens refused.")) % {"u": person.username})
        return redirect("users")
    if action == "reset":
        password = reset_password(person, by=request.user)
        messages.success(request, _("Password reset. Give it to its owner now: it is shown only once."))
        return _show_once(request, person.username, password)
    return _page(request, errors=[_("Unknown action.")], status=400)
