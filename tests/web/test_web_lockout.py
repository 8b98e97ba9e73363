"""Lock-out per username and per client address, exact under parallel attempts, self-cleaning,
and not usable to lock the administrator out from a trusted address."""

from __future__ import annotations

from datetime import timedelta

import pytest

pytestmark = pytest.mark.django_db


def _login(client, username, password="wrong", addr="203.0.113.5"):
    return client.post("/masuk/", {"username": username, "password": password}, REMOTE_ADDR=addr).status_code


def _set_password(username, password="a-correct-password-123"):
    from django.contrib.auth import get_user_model

    u = get_user_model().objects.get(username=username)
    u.set_password(password)
    u.save()
    return password


def test_per_username_lock_from_any_address(as_user, settings):
    c = as_user(None)
    codes = [_login(c, "pemantau", addr=f"203.0.113.{i}") for i in range(settings.LOCKOUT_FAILURES + 1)]
    assert codes == [401] * (settings.LOCKOUT_FAILURES - 1) + [429, 429]
    pw = _set_password("pemantau")
    assert _login(c, "pemantau", pw, addr="198.51.100.7") == 429  # a new address does not help


def test_per_address_lock_across_usernames(as_user, settings):
    settings.LOCKOUT_ADDRESS_FAILURES = 6
    c = as_user(None)
    codes = [_login(c, f"tidak-ada-{i}") for i in range(7)]
    assert codes[:5] == [401] * 5 and codes[5] == 429 and codes[6] == 429
    pw = _set_password("pemantau")
    assert _login(c, "pemantau", pw) == 429  # this address is locked, even for a right password
    assert _login(c, "pemantau", pw, addr="198.51.100.7") == 302


def test_trusted_address_cannot_be_used_to_lock_out_the_admin(as_user, settings):
    settings.LOCKOUT_TRUSTED_NETWORKS = ["10.20.0.0/16"]
    c = as_user(None)
    for i in range(settings.LOCKOUT_FAILURES + 2):  # outsiders lock the admin's name...
        _login(c, "admin.provinsi", addr=f"203.0.113.{i}")
    pw = _set_password("admin.provinsi")
    assert _login(c, "admin.provinsi", pw, addr="203.0.113.99") == 429
    assert _login(c, "admin.provinsi", pw, addr="10.20.3.4") == 302  # ...the office still gets in
    # and a machine in the office is still limited per address
    settings.LOCKOUT_ADDRESS_FAILURES = 3
    assert [_login(c, "admin.provinsi", addr="10.20.9.9") for _ in range(4)] == [401, 401, 429, 429]


def test_counters_clean_themselves(as_user, settings):
    from django.utils import timezone

    from rawan.web.accounts.models import LoginFailure

    c = as_user(None)
    _login(c, "pemantau")
    assert LoginFailure.objects.count() == 2  # the name and the address
    LoginFailure.objects.update(last_failure=timezone.now() - timedelta(minutes=settings.LOCKOUT_MINUTES + 1))
    LoginFailure.objects.filter(username__startswith="u:").update(
        locked_until=timezone.now() - timedelta(minutes=1))
    _login(c, "orang-lain", addr="198.51.100.1")
    assert set(LoginFailure.objects.values_list("username", flat=True)) == {"u:orang-lain", "a:198.51.100.1"}
