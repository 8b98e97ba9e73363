"""Stateless app processes: the page cache in Django's cache framework (every process sees a
publication), query strings that cannot bust it, files through the storage API, named locks,
the health endpoint."""

from __future__ import annotations

import json
import threading

import pytest

pytestmark = pytest.mark.django_db

PUB = "contoh-ikp-2024-jambi"


def _no_render(monkeypatch):
    """After this, any page that is rendered instead of served from the cache fails the test."""
    from rawan.web.editions import views

    def boom(*a, **k):
        raise AssertionError("rendered: the cache was bypassed")

    monkeypatch.setattr(views, "render", boom)


def test_unknown_query_parameters_hit_the_cached_page(as_user, monkeypatch):
    anon = as_user(None)
    first = anon.get(f"/e/{PUB}/")
    assert first.status_code == 200
    assert "?r=" not in anon.get(f"/e/{PUB}/peringkat/?r=5").content.decode()  # rendered for the canonical URL
    _no_render(monkeypatch)
    for q in ("?r=0.123", "?r=991&utm_source=x", "?R=1", "?dimensi"):
        r = anon.get(f"/e/{PUB}/{q}")
        assert r.status_code == 200 and r.content == first.content, q


def test_a_parameter_the_view_reads_is_part_of_the_key(as_user, monkeypatch):
    anon = as_user(None)
    plain = anon.get(f"/e/{PUB}/").content
    dim = anon.get(f"/e/{PUB}/?dimensi=sospol").content
    assert plain != dim and "Skor dimensi" in dim.decode()
    _no_render(monkeypatch)
    assert anon.get(f"/e/{PUB}/?dimensi=sospol&r=7").content == dim


def test_the_shared_cache_serves_a_page_another_process_rendered(as_user, monkeypatch):
    from rawan.web.editions import pagecache

    anon = as_user(None)
    body = anon.get(f"/e/{PUB}/peringkat/").content
    pagecache.clear_local()  # a second process: empty per-process layer, same shared cache
    _no_render(monkeypatch)
    assert anon.get(f"/e/{PUB}/peringkat/?r=2").content == body


def test_a_state_change_by_another_process_is_seen_at_once(as_user):
    """The edition's state is read on every request: an archive done elsewhere (here: straight in
    the database, bypassing this process) changes the key, so no stale page is served."""
    from rawan.web.editions.models import Edition

    anon = as_user(None)
    assert "Arsip" not in anon.get(f"/e/{PUB}/").content.decode()
    Edition.objects.filter(slug=PUB).update(status="arsip")
    assert "Arsip" in anon.get(f"/e/{PUB}/").content.decode()
    Edition.objects.filter(slug=PUB).update(status="pengumpulan")  # no longer public: never from the cache
    assert anon.get(f"/e/{PUB}/").status_code == 404


def test_logged_in_users_are_never_served_the_anonymous_page(as_user, monkeypatch):
    as_user(None).get(f"/e/{PUB}/")
    _no_render(monkeypatch)
    with pytest.raises(AssertionError, match="rendered"):
        as_user("viewer").get(f"/e/{PUB}/")


def test_cache_settings_from_the_environment():
    from django.core.exceptions import ImproperlyConfigured

    from rawan.web.env import cache

    assert cache(None)["BACKEND"].endswith("DatabaseCache")
    assert cache("redis://10.0.0.5:6379/1") == {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                                "LOCATION": "redis://10.0.0.5:6379/1"}
    assert cache("memcached://a:11211,b:11211")["LOCATION"] == ["a:11211", "b:11211"]
    assert cache("locmem")["BACKEND"].endswith("LocMemCache")
    for bad in ("redis:/nohost", "ftp://x", "memcache"):
        with pytest.raises(ImproperlyConfigured, match="RAWAN_CACHE_URL"):
            cache(bad)


def test_storage_settings_from_the_environment(monkeypatch, tmp_path):
    from rawan.web.env import storages

    monkeypatch.delenv("RAWAN_S3_BUCKET", raising=False)
    monkeypatch.setenv("RAWAN_MEDIA_DIR", str(tmp_path / "m"))
    local = storages(tmp_path)["default"]
    assert local["BACKEND"].endswith("FileSystemStorage") and local["OPTIONS"]["location"] == str(tmp_path / "m")
    monkeypatch.setenv("RAWAN_S3_BUCKET", "rawan-files")
    monkeypatch.setenv("RAWAN_S3_ENDPOINT_URL", "https://s3.example.test")
    s3 = storages(tmp_path)["default"]
    assert s3["BACKEND"] == "storages.backends.s3.S3Storage"
    assert s3["OPTIONS"]["bucket_name"] == "rawan-files" and s3["OPTIONS"]["endpoint_url"] == "https://s3.example.test"


def test_named_lock_lets_one_holder_in_at_a_time():
    from rawan.web.locks import named_lock

    inside, most = [0], [0]
    guard = threading.Lock()

    def work():
        with named_lock("test:one-at-a-time"):
            with guard:
                inside[0] += 1
                most[0] = max(most[0], inside[0])
            threading.Event().wait(0.02)
            with guard:
                inside[0] -= 1

    ts = [threading.Thread(target=work) for _ in range(6)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    assert most[0] == 1


def test_health(as_user):
    r = as_user(None).get("/api/health")
    assert r.status_code == 200 and "no-cache" in r["Cache-Control"]
    assert json.loads(r.content) | {"rawan": None} == {"status": "ok", "database": "ok", "cache": "ok", "rawan": None}


def test_health_names_a_broken_cache(as_user, settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    r = as_user(None).get("/api/health")
    assert r.status_code == 503 and json.loads(r.content)["cache"] == "error: value not kept"


def test_logged_in_pages_of_a_public_edition_reuse_the_content_with_their_own_header(as_user, monkeypatch):
    from django.contrib.auth import get_user_model

    from rawan.web.accounts.models import Profile
    from rawan.web.editions.models import Edition
    from rawan.web.editions.services import robustness_of

    robustness_of(Edition.objects.get(slug=PUB))  # done by a worker in real use; until then not cached
    viewer = as_user("viewer")
    first = viewer.get(f"/e/{PUB}/wilayah/15.01/").content.decode()
    content = first.split("<!--rawan:content-->")[1].split("<!--/rawan:content-->")[0]
    assert "pemantau" in first and "Kerinci" in content
    # a second viewer: the content comes from the cache, the header is their own
    other = get_user_model().objects.create(username="pemantau.kpu")
    Profile.objects.create(user=other, role="viewer")
    from django.test import Client

    c = Client()
    c.force_login(other)
    _no_render(monkeypatch)
    page = c.get(f"/e/{PUB}/wilayah/15.01/?r=3").content.decode()
    assert content in page and "pemantau.kpu" in page and ">pemantau ·" not in page
    assert page.count("<title>") == 1 and "Kerinci" in page.split("<title>")[1].split("</title>")[0]


def test_the_cached_content_is_per_role(as_user):
    viewer_page = as_user("viewer").get(f"/e/{PUB}/").content.decode()
    admin_page = as_user("admin").get(f"/e/{PUB}/").content.decode()
    manage = f'href="/e/{PUB}/kelola/"'
    assert manage not in viewer_page and manage in admin_page
    assert manage not in as_user("viewer").get(f"/e/{PUB}/").content.decode()  # from the cache, still none


def test_a_member_page_follows_a_state_change_at_once(as_user):
    from rawan.web.editions.models import Edition

    viewer = as_user("viewer")
    assert "Arsip" not in viewer.get(f"/e/{PUB}/peringkat/").content.decode()
    Edition.objects.filter(slug=PUB).update(status="arsip")
    assert "Arsip" in viewer.get(f"/e/{PUB}/peringkat/").content.decode()


def test_compute_runs_the_engine_outside_the_write_lock_and_checks_its_inputs_under_it(monkeypatch):
    """On SQLite a write transaction holds the whole database: the engine runs before it, and the
    inputs are compared again under the lock (a verification in between means computing again)."""
    from rawan.web.editions import services
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import Submission

    train = Edition.objects.get(slug="contoh-latihan-2026")
    calls, held = [], []
    real_compute, real_dataset, real_locked = services._compute, services.verified_dataset, services.locked

    def compute(ed, data):
        calls.append(bool(held))  # True: under the row lock (the write transaction)
        return real_compute(ed, data)

    def locked(ed):
        held.append(1)
        return real_locked(ed)

    monkeypatch.setattr(services, "_compute", compute)
    monkeypatch.setattr(services, "locked", locked)
    services.compute_preview(train)
    assert calls == [False]  # once, outside any transaction
    # a region verified between the computation and the lock: computed again, under the lock
    seen = []

    def dataset(ed):
        if not seen:
            seen.append(1)
            data = real_dataset(ed)
            Submission.objects.filter(edition=train, region_code="15.71").update(status="verified")
            return data
        return real_dataset(ed)

    monkeypatch.setattr(services, "verified_dataset", dataset)
    calls.clear()
    held.clear()
    services.compute_preview(train)
    assert calls == [False, True]
    assert train.results.filter(region_code="15.71").exists()
