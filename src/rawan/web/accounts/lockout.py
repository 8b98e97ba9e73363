"""Lock-out after repeated failed logins: a per-username counter in the database."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import LoginFailure


def locked_until(username: str):
    f = LoginFailure.objects.filter(username=username.lower()).first()
    if f and f.locked_until and f.locked_until > timezone.now():
        return f.locked_until
    return None


def record_failure(username: str) -> bool:
    """Count a failure; True when this failure locks the account."""
    with transaction.atomic():
        f, _ = LoginFailure.objects.select_for_update().get_or_create(username=username.lower())
        if f.locked_until and f.locked_until <= timezone.now():
            f.count = 0
            f.locked_until = None
        f.count += 1
        locked = f.count >= settings.LOCKOUT_FAILURES
        if locked:
            f.locked_until = timezone.now() + timedelta(minutes=settings.LOCKOUT_MINUTES)
        f.save()
    return locked


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=username.lower()).delete()
