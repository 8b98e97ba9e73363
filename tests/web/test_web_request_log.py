"""403 and 404 are normal events in a role-based app: the server log gets one line each (status,
method, path, user) and no traceback; a 500 keeps its traceback (rawan/web/requestlog.py)."""

from __future__ import annotations

import http.cookiejar
import logging
import os
import re
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

TRAIN = "contoh-latihan-2026"


def _django_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name.startswith("django")]


@pytest.mark.django_db
def test_a_refused_page_is_one_line_without_traceback(as_user, caplog):
    caplog.set_level(logging.INFO)
    assert as_user("op_kerinci").get(f"/e/{TRAIN}/kelola/").status_code == 403  # PermissionDenied
    [rec] = _django_lines(caplog)
    assert rec.levelno == logging.WARNING and rec.exc_info is None
    assert rec.getMessage() == f"403 Forbidden: GET /e/{TRAIN}/kelola/ (user operator.kerinci)"
    text = logging.Formatter().format(rec)
    assert "Traceback" not in text and "\n" not in text


@pytest.mark.django_db
def test_a_page_outside_ones_scope_and_a_missing_page_are_one_line(as_user, caplog):
    caplog.set_level(logging.INFO)
    assert as_user("op_kotajambi").get(f"/e/{TRAIN}/entri/15.01/").status_code == 404  # another kab/kota
    assert as_user(None).get("/e/tidak-ada/%0Aforged/").status_code == 404
    lines = [logging.Formatter().format(r) for r in _django_lines(caplog)]
    assert lines[0] == f"404 Not Found: GET /e/{TRAIN}/entri/15.01/ (user operator.kotajambi)"
    assert lines[-1] == "404 Not Found: GET /e/tidak-ada/\\nforged/ (anonymous)"  # no forged log line
    assert all("Traceback" not in x and "\n" not in x for x in lines)


@pytest.mark.django_db
def test_a_server_error_keeps_its_traceback(as_user, caplog, monkeypatch):
    from rawan.web.editions import views

    def broken(*a, **k):
        raise RuntimeError("a defect to fix")

    monkeypatch.setattr(views, "render", broken)
    c = as_user("admin")
    c.raise_request_exception = False
    caplog.set_level(logging.INFO)
    assert c.get(f"/e/{TRAIN}/").status_code == 500
    [rec] = _django_lines(caplog)
    assert rec.levelno == logging.ERROR and rec.exc_info is not None
    assert "Traceback" in logging.Formatter().format(rec) and "a defect to fix" in logging.Formatter().format(rec)


def _get(opener, url: str) -> int:
    try:
        with opener.open(url, timeout=60) as r:
            return r.status
    except urllib.error.HTTPError as e:
        return e.code


@pytest.mark.slow
def test_the_server_console_shows_one_line_per_refusal(tmp_path):
    """`rawan serve` as an administrator runs it: its stderr after a 403 and a 404."""
    from tests.web.ports import free_port

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                                             "RAWAN_MEDIA_DIR")}
    env.update(RAWAN_DATA_DIR=str(tmp_path / "data"), RAWAN_SECRET_KEY="request-log-" + "r1" * 30, RAWAN_LANG="id")
    out = subprocess.run([sys.executable, "-m", "rawan", "web", "create-user", "pemantau.uji", "--role", "viewer"],
                         env=env, capture_output=True, text=True, timeout=300, check=True).stdout
    password = re.search(r"pemantau\.uji\S*\s.*?(\S{12,})\s*$", out.strip(), re.S).group(1)
    port = free_port()
    log = tmp_path / "stderr.txt"
    with open(log, "wb") as err:
        proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port)], env=env,
                                stdout=subprocess.DEVNULL, stderr=err, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 240
        while True:
            try:
                urllib.request.urlopen(base + "/api/health", timeout=2).close()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, log.read_text()[-2000:]
                time.sleep(0.2)
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
        html = opener.open(base + "/masuk/", timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)
        form = urllib.parse.urlencode({"username": "pemantau.uji", "password": password,
                                       "csrfmiddlewaretoken": token}).encode()
        opener.open(base + "/masuk/", form, timeout=60).close()
        assert _get(opener, base + "/pengguna/") == 403
        assert _get(opener, base + "/e/tidak-ada/") == 404
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=30)
    text = log.read_text()
    assert "Traceback" not in text and "PermissionDenied" not in text, text[-3000:]
    assert text.count("403 Forbidden: GET /pengguna/ (user pemantau.uji)\n") == 1, text[-3000:]
    assert text.count("404 Not Found: GET /e/tidak-ada/ (user pemantau.uji)\n") == 1, text[-3000:]


@pytest.mark.django_db
def test_a_security_refusal_keeps_its_reason_on_the_one_line(caplog):
    """A CSRF failure (django.security.csrf) says why, on the same line."""
    from django.test import Client

    caplog.set_level(logging.INFO)
    assert Client(enforce_csrf_checks=True).post("/masuk/", {"username": "x"}).status_code == 403
    [line] = [logging.Formatter().format(r) for r in _django_lines(caplog)]
    assert line.startswith("403 Forbidden: POST /masuk/ (anonymous) — Forbidden (CSRF cookie not set.)"), line
    assert "\n" not in line and "Traceback" not in line
