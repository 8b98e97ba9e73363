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
os.environ.setdefault("RAWAN_MEDIA_DIR", __import__("tempfile").mkdtemp(prefix="rawan-test-media-"))

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # fast tests only

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
