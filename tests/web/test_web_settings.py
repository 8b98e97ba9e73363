"""Settings helpers fail loudly; audit codes are a closed list; translations are complete."""

from __future__ import annotations

import gettext

import pytest
from django.core.exceptions import ImproperlyConfigured

from rawan.web import env


def test_env_bool(monkeypatch):
    monkeypatch.setenv("X_FLAG", "ture")
    with pytest.raises(ImproperlyConfigured, match="X_FLAG"):
        env.env_bool("X_FLAG", False)
    monkeypatch.setenv("X_FLAG", "Yes")
    assert env.env_bool("X_FLAG", False) is True
    monkeypatch.delenv("X_FLAG")
    assert env.env_bool("X_FLAG", True) is True


def test_env_int_and_list(monkeypatch):
    monkeypatch.setenv("X_N", "abc")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_N", 1)
    monkeypatch.setenv("X_N", "0")
    with pytest.raises(ImproperlyConfigured):
        env.env_int("X_N", 1, minimum=1)
    monkeypatch.setenv("X_L", " , ")
    with pytest.raises(ImproperlyConfigured):
        env.env_list("X_L", [])
    monkeypatch.setenv("X_L", "a.example, b.example")
    assert env.env_list("X_L", []) == ["a.example", "b.example"]


def test_secret_key(monkeypatch, tmp_path):
    monkeypatch.setenv("RAWAN_SECRET_KEY", "short")
    with pytest.raises(ImproperlyConfigured, match="50"):
        env.secret_key(tmp_path)
    monkeypatch.delenv("RAWAN_SECRET_KEY")
    k = env.secret_key(tmp_path)
    assert len(k) >= 50 and env.secret_key(tmp_path) == k
    assert (tmp_path / "secret_key").stat().st_mode & 0o077 == 0


def test_database_url(tmp_path):
    assert env.database(None, tmp_path)["NAME"] == str(tmp_path / "rawan.sqlite3")
    assert env.database("sqlite:////tmp/x.db", tmp_path)["NAME"] == "/tmp/x.db"
    pg = env.database("postgresql://u:p%40ss@db.local:5433/rawan", tmp_path)
    assert (pg["ENGINE"], pg["USER"], pg["PASSWORD"], pg["HOST"], pg["PORT"], pg["NAME"]) == (
        "django.db.backends.postgresql", "u", "p@ss", "db.local", "5433", "rawan")
    for bad in ("mysql://x/y", "postgresql://host-only", "sqlite://"):
        with pytest.raises(ImproperlyConfigured):
            env.database(bad, tmp_path)


def test_audit_codes_are_registered(db):
    from rawan.web.audit.models import log_action

    with pytest.raises(KeyError, match="rawan.nope"):
        log_action("rawan.nope")
    assert log_action("rawan.user.login").describe("en") == "Logged in"


def test_translations_complete_and_compiled():
    from rawan.web.i18n import LOCALE, LOCALES, mo_bytes, read_po

    for loc in LOCALES:  # the web app's catalogue, the TPS app's and early warning's
        po = loc / "id" / "LC_MESSAGES" / "django.po"
        entries = read_po(po)
        text = po.read_text(encoding="utf-8")
        assert text.count('\nmsgid "') == len(entries)  # every msgid translated, none fuzzy
        mo = po.with_suffix(".mo")
        assert mo.read_bytes() == mo_bytes(entries), "run: rawan web compile-messages"
    t = gettext.GNUTranslations(open(LOCALE / "id" / "LC_MESSAGES" / "django.mo", "rb"))
    assert t.gettext("Log in") == "Masuk"


@pytest.mark.slow
def test_https_mode_is_strict(monkeypatch):
    import subprocess
    import sys

    code = ("import os; os.environ['DJANGO_SETTINGS_MODULE']='rawan.web.settings'; "
            "from django.conf import settings as s; "
            "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT)")
    env_ = {**__import__("os").environ, "RAWAN_HTTPS": "1", "RAWAN_ALLOWED_HOSTS": "rawan.example"}
    out = subprocess.run([sys.executable, "-c", code], env=env_, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True", "31536000", "True"]
    env_["RAWAN_DEBUG"] = "maybe"
    bad = subprocess.run([sys.executable, "-c", code], env=env_, capture_output=True, text=True)
    assert bad.returncode != 0 and "RAWAN_DEBUG" in bad.stderr


@pytest.mark.slow
def test_deploy_check_passes_in_https_mode(tmp_path):
    import os
    import subprocess
    import sys

    env_ = {**os.environ, "RAWAN_HTTPS": "1", "RAWAN_ALLOWED_HOSTS": "rawan.example", "RAWAN_DATA_DIR": str(tmp_path),
            "RAWAN_SECRET_KEY": "deploy-" + "q7w8e9" * 10, "DJANGO_SETTINGS_MODULE": "rawan.web.settings"}
    env_.pop("RAWAN_DEBUG", None)
    out = subprocess.run([sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
                         env=env_, capture_output=True, text=True)
    assert out.returncode == 0, out.stderr + out.stdout
