"""Lock-out after repeated failed logins, per username AND per client address.

Each attempt first *reserves* a place in both counters, atomically (a row lock on each counter),
and only then checks the password: twenty guesses sent in parallel get five checks, not twenty.
A success clears the username's counter and gives the address its place back.  A counter over
its limit locks for ``LOCKOUT_MINUTES``; expired counters are deleted on the next attempt, so the
table cleans itself.

The per-username counter could let anyone lock the administrator out; so it does not apply to
requests from ``LOCKOUT_TRUSTED_NETWORKS`` (``RAWAN_TRUSTED_NETWORKS``, e.g. the Bawaslu office
network; empty by default).  From there only the per-address counter applies: the admin can
always log in from the office even while outsiders have locked the name, and a machine in the
office still gets only ``LOCKOUT_ADDRESS_FAILURES`` guesses.  The choice is documented in
docs/security.md.
"""

from __future__ import annotations

import ipaddress
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from .models import LoginFailure


def _user_key(username: str) -> str:
    return "u:" + username.strip().lower()[:140]


def _addr_key(addr: str) -> str:
    return "a:" + (addr or "-")[:60]


def trusted(addr: str) -> bool:
    try:
        ip = ipaddress.ip_address(addr)
    except ValueError:
        return False
    return any(ip in ipaddress.ip_network(n, strict=False) for n in settings.LOCKOUT_TRUSTED_NETWORKS)


def _limits(addr: str, username: str) -> list[tuple[str, int]]:
    out = [(_addr_key(addr), settings.LOCKOUT_ADDRESS_FAILURES)]
    if not trusted(addr):
        out.append((_user_key(username), settings.LOCKOUT_FAILURES))
    return out


def _counter(key: str) -> LoginFailure:
    try:
        with transaction.atomic():
            return LoginFailure.objects.select_for_update().get_or_create(username=key)[0]
    except IntegrityError:  # created by a parallel attempt between our get and create
        return LoginFailure.objects.select_for_update().get(username=key)


def reserve(username: str, addr: str):
    """Take one attempt from both counters; returns None when the password may be checked, or the
    time the lock ends."""
    now = timezone.now()
    window = timedelta(minutes=settings.LOCKOUT_MINUTES)
    with transaction.atomic():
        LoginFailure.objects.filter(last_failure__lt=now - window, locked_until__isnull=True).delete()
        LoginFailure.objects.filter(locked_until__lt=now).delete()
        locked = None
        for key, limit in _limits(addr, username):
            f = _counter(key)
            if f.locked_until and f.locked_until > now:
                locked = max(locked or f.locked_until, f.locked_until)
                continue
            f.count += 1
            if f.count > limit:
                f.locked_until = now + window
                locked = max(locked or f.locked_until, f.locked_until)
            f.save()
    return locked


def failed(username: str, addr: str) -> bool:
    """After a wrong password: True when this failure used the last attempt (now locked)."""
    now = timezone.now()
    window = timedelta(minutes=settings.LOCKOUT_MINUTES)
    locked = False
    with transaction.atomic():
        for key, limit in _limits(addr, username):
            f = LoginFailure.objects.select_for_update().filter(username=key).first()
            if f is not None and f.count >= limit and not f.locked_until:
                f.locked_until = now + window
                f.save(update_fields=["locked_until"])
                locked = True
    return locked


def succeeded(username: str, addr: str) -> None:
    with transaction.atomic():
        LoginFailure.objects.filter(username=_user_key(username)).delete()
        LoginFailure.objects.filter(username=_addr_key(addr), count__gt=0, locked_until__isnull=True).update(
            count=F("count") - 1)


def locked_until(username: str, addr: str = ""):
    """When the lock on this username (or address) ends, if locked now."""
    now = timezone.now()
    keys = [k for k, _ in _limits(addr, username)]
    ends = LoginFailure.objects.filter(username__in=keys, locked_until__gt=now).values_list("locked_until", flat=True)
    return max(ends, default=None)


def clear(username: str) -> None:
    LoginFailure.objects.filter(username=_user_key(username)).delete()


def address_locked(addr: str):
    """When the lock on this client address ends, if it is locked now (API tokens: 429)."""
    now = timezone.now()
    return LoginFailure.objects.filter(username=_addr_key(addr), locked_until__gt=now).values_list(
        "locked_until", flat=True).first()


def token_failed(addr: str) -> None:
    """An invalid bearer token counts as a failed attempt of its client address (the same counter
    as failed logins: a guess is a guess), so token guessing is stopped like password guessing."""
    now = timezone.now()
    with transaction.atomic():
        f = _counter(_addr_key(addr))
        if f.locked_until and f.locked_until > now:
            return
        f.count += 1
        if f.count >= settings.LOCKOUT_ADDRESS_FAILURES:
            f.locked_until = now + timedelta(minutes=settings.LOCKOUT_MINUTES)
        f.save()
