"""Province administrator: the users of the installation and their roles (passwords shown once)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import render
from django.utils.translation import gettext as _

from ..access import require_admin
from .models import Role

USERNAME_CHARS = set("abcdefghijklmnopqrstuvwxyz0123456789._-")


@login_required
def users(request):
    from ..demo import create_user

    require_admin(request.user)
    new = None
    errors = []
    if request.method == "POST":
        username = request.POST.get("username", "").strip().lower()
        role = request.POST.get("role", "")
        region = request.POST.get("region", "").strip()
        org = request.POST.get("organisation", "").strip()[:200]
        if not username or not set(username) <= USERNAME_CHARS or len(username) > 150:
            errors.append(_("A username uses letters, digits, dots, dashes or underscores."))
        if role not in Role.values:
            errors.append(_("Choose a role."))
        if role == Role.OPERATOR and not region:
            errors.append(_("An operator needs the code of their kab/kota, for example 15.01."))
        if get_user_model().objects.filter(username=username).exists():
            errors.append(_("The user %(u)s exists already.") % {"u": username})
        if not errors:
            with transaction.atomic():
                password = create_user(username, role, region if role == Role.OPERATOR else "", org)
            new = (username, password)
            messages.success(request, _("User created. Give the password to its owner now: it is shown only once."))
    people = get_user_model().objects.select_related("profile").order_by("username")
    return render(request, "rawan/users.html", {"people": people, "roles": Role.choices, "new": new,
                                                "errors": errors}, status=400 if errors else 200)
