"""Web tests: Django configured here (only for tests/web), the demo loaded once per session.

SQLite by default; PostgreSQL when DATABASE_URL is set (make test runs them again with
DATABASE_URL=$RAWAN_TEST_POSTGRES_URL).
"""

from __future__ import annotations

import os

# the test database is separate (in-memory SQLite, or test_<name> on PostgreSQL); with the key
# given here nothing is written to the user data directory
os.environ.setdefault("RAWAN_SECRET_KEY", "test-secret-key-" + "x1y2z3" * 10)
os.environ["DJANGO_SETTINGS_MODULE"] = "rawan.web.settings"
os.environ.pop("RAWAN_HTTPS", None)
# files kept through the storage API (reports, uploaded evidence) go to a folder of this test run
# (pytest -n: each worker its own, not the folder the controller process made and the worker inherited)
if os.environ.get("PYTEST_XDIST_WORKER"):
    os.environ["RAWAN_MEDIA_DIR"] = __import__("tempfile").mkdtemp(prefix="rawan-test-media-")
os.environ.setdefault("RAWAN_MEDIA_DIR", __import__("tempfile").mkdtemp(prefix="rawan-test-media-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only
# SQLite's test database is in memory (Django's default); said explicitly because pytest-django (-n)
# recognises only Django's own sqlite3 engine by name and would otherwise derive a file name from
# rawan's engine's NAME for each worker
if settings.DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    _test = settings.DATABASES["default"].setdefault("TEST", {})
    _test["NAME"] = _test.get("NAME") or ":memory:"

import pytest  # noqa: E402

USERS = {
    "admin": "admin.provinsi",
    "op_kerinci": "operator.kerinci",
    "op_kotajambi": "operator.kotajambi",
    "verifier": "verifikator",
    "viewer": "pemantau",
    "pkd": "pkd.demo",  # PKD of desa 15.01.01.2001 (rawan.web.tps.demo)
    "panwascam": "panwascam.demo",  # Panwascam of kecamatan 15.01.01
}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from rawan.web.demo import load_demo

    with django_db_blocker.unblock():
        passwords = load_demo(reset=True)
        # what a worker does after the demo loads: the robustness figures of the published synthetic
        # edition, so its map and ranking pages are cacheable (pages waiting for them are not)
        from rawan.web.editions.models import Edition
        from rawan.web.editions.services import robustness_of

        robustness_of(Edition.objects.get(slug="contoh-ikp-2024-jambi"))
    return passwords


@pytest.fixture
def as_user(client, db):
    """``as_user("op_kerinci")`` -> a test client logged in as that named user (None: anonymous)."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    def make(name: str | None):
        c = Client()
        if name is not None:
            c.force_login(get_user_model().objects.get(username=USERS[name]))
        return c

    return make


@pytest.fixture(autouse=True)
def _fresh_page_cache():
    """Tests roll back the database (and the database cache with it); the per-process layer of the
    page cache must not outlive a test either."""
    from rawan.web.editions import pagecache

    pagecache.clear_local()
    yield


@pytest.fixture
def empty_queue(db):
    """No background job queued: the demo queues some (its webhook deliveries); a test counting the
    jobs it runs starts from none (the deletion is rolled back with the test)."""
    from django_tasks_db.models import DBTaskResult

    DBTaskResult.objects.all().delete()


@pytest.fixture
def built(empty_queue):
    """``built(client, url)``: a file a worker builds (book, infographic): the first GET queues its
    build and answers 202; the queued job runs here; the next GET serves the file."""
    from rawan.web.tasks import run_pending

    def fetch(client, url, **headers):
        r = client.get(url, **headers)
        if r.status_code == 202:
            assert run_pending() == 1
            r = client.get(url, **headers)
        return r

    return fetch


class LoadedDemo:
    """``rawan web load-demo`` run once per test session, as a user runs it (a real process, its own
    SQLite file), into a template folder; each server test copies the folder instead of loading the
    demo again (a load is the longest step of their setup). The copies share the passwords printed
    by that one load and the secret key it ran with."""

    SECRET_KEY = "loaded-demo-" + "d5" * 30

    def __init__(self, folder, stdout: str):
        import re

        self.folder = folder
        self.stdout = stdout
        # "  username   password" (16 characters); the demo's alert e-mails go to the same output
        self.passwords = dict(re.findall(r"^  ([a-z][a-z.]+) {2,}([-\w]{16})$", stdout, re.M))

    @staticmethod
    def env(data, **extra) -> dict:
        """The environment of a ``rawan`` process on the data folder ``data`` (SQLite in it, files
        kept in ``data/media``): this test process's, less its database and Django settings."""
        env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE",
                                                                 "RAWAN_MEDIA_DIR")}
        env.update(RAWAN_DATA_DIR=str(data), RAWAN_MEDIA_DIR=str(data / "media"),
                   RAWAN_SECRET_KEY=LoadedDemo.SECRET_KEY, RAWAN_LANG="id")
        env.update(extra)
        return env

    def copy(self, data, **extra) -> dict:
        """A copy of the loaded data folder at ``data`` (made or filled); returns :meth:`env` of it."""
        import shutil

        shutil.copytree(self.folder, data, dirs_exist_ok=True)
        return self.env(data, **extra)


@pytest.fixture(scope="session")
def loaded_demo(tmp_path_factory) -> LoadedDemo:
    import subprocess
    import sys

    folder = tmp_path_factory.mktemp("loaded-demo")
    out = subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo"], env=LoadedDemo.env(folder),
                         capture_output=True, text=True, timeout=600)
    assert out.returncode == 0, out.stderr[-3000:]
    demo = LoadedDemo(folder, out.stdout)
    assert set(demo.passwords) == {"admin.provinsi", "operator.kerinci", "operator.kotajambi", "verifikator",
                                   "pemantau", "pemantau.kpujambi", "pkd.demo", "panwascam.demo"}, out.stdout
    assert (folder / "rawan.sqlite3").is_file()
    return demo
