"""Background jobs (rawan.web.tasks) in-process: queue, run, progress, retries with back-off, a
failure that stays visible, lease expiry and recovery, the admin's page and retry button, and the
web app's long work (compute, report, robustness) leaving the request."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from rawan.web import tasks
from rawan.web.tasks.models import Job
from rawan.web.tasks.worker import Worker

from . import worker_tasks as T

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("empty_queue")]


def test_a_job_runs_with_its_progress_and_result(tmp_path):
    job = tasks.enqueue(T.count_slowly, 4, 0, str(tmp_path), label="hitung", subject="s:1")
    assert job.state == "queued" and tasks.job(job.id).label == "hitung"
    assert tasks.run_pending() == 1
    j = tasks.job(job.id)
    assert j.state == "done" and j.return_value == {"n": 4} and j.attempts == 1
    assert (j.progress_done, j.progress_total, j.progress_note, j.percent) == (4, 4, "selesai", 100)
    assert tasks.latest("s:1").id == job.id and tasks.run_pending() == 0


def test_enqueue_once_gives_the_unfinished_job_of_the_same_subject(tmp_path):
    a = tasks.enqueue_once(T.count_slowly, 1, 0, str(tmp_path), subject="report:x")
    b = tasks.enqueue_once(T.count_slowly, 1, 0, str(tmp_path), subject="report:x")
    assert a.id == b.id
    tasks.run_pending()
    c = tasks.enqueue_once(T.count_slowly, 1, 0, str(tmp_path), subject="report:x")  # the first is done
    assert c.id != a.id


def test_an_error_is_retried_after_its_delay_then_succeeds(tmp_path):
    job = tasks.enqueue(T.fails_then_works, str(tmp_path))  # retry_delay=0: ready again at once
    assert tasks.run_pending(limit=1) == 1
    j = tasks.job(job.id)
    assert j.state == "retrying" and j.attempts == 1 and "ConnectionError: receiver down" in j.error
    assert tasks.run_pending() == 1
    j = tasks.job(job.id)
    assert j.state == "done" and j.return_value == "ok" and j.attempts == 2


def test_back_off_doubles_and_a_waiting_retry_is_not_run_early(tmp_path, monkeypatch):
    job = tasks.enqueue(T.fails_then_works, str(tmp_path))
    Job.objects.filter(pk=job.pk).update(retry_delay=60)
    before = timezone.now()
    tasks.run_pending()
    j = tasks.job(job.id)
    assert j.state == "retrying" and j.result.run_after >= before + timedelta(seconds=60)
    assert tasks.run_pending() == 0  # not before its time


def test_retries_used_up_is_a_failure_with_its_reason():
    job = tasks.enqueue(T.always_fails, "boom")
    assert tasks.run_pending() == 2  # max_attempts=2, retry_delay=0
    j = tasks.job(job.id)
    assert j.state == "failed" and j.attempts == 2 and j.error == "RuntimeError: boom"
    assert j.result.exception_class_path == "builtins.RuntimeError" and "boom" in j.result.traceback


def test_fail_stops_at_once():
    job = tasks.enqueue(T.fails_at_once, "bad input")
    assert tasks.run_pending() == 1
    j = tasks.job(job.id)
    assert j.state == "failed" and j.attempts == 1 and "bad input" in j.error


def _claimed_then_lost(worker_id: str):
    """A worker claims the job and dies: its lease is left to expire."""
    w = Worker(worker_id=worker_id, heartbeat=False)
    tr, job = w.claim()
    assert job.worker_id == worker_id and tasks.job(job.pk).state == "running"
    Job.objects.filter(pk=job.pk).update(lease_expires=timezone.now() - timedelta(seconds=1))
    return job


def test_an_expired_lease_gives_the_job_to_another_worker(tmp_path):
    job = tasks.enqueue(T.count_slowly, 2, 0, str(tmp_path))
    _claimed_then_lost("lost-worker")
    assert Worker(worker_id="other", heartbeat=False).run_one()  # recovers, claims, runs
    j = tasks.job(job.id)
    assert j.state == "done" and j.attempts == 2 and j.result.worker_ids == ["lost-worker", "other"]
    assert "lost-worker stopped renewing its lease" in j.last_error


def test_a_running_job_whose_lease_is_valid_is_left_alone(tmp_path):
    tasks.enqueue(T.count_slowly, 2, 0, str(tmp_path))
    w = Worker(worker_id="alive", heartbeat=False)
    tr, job = w.claim()
    assert Worker(worker_id="other", heartbeat=False).recover_expired() == 0
    assert tasks.job(job.pk).state == "running"


def test_the_last_attempt_lost_is_a_visible_failure(tmp_path):
    job = tasks.enqueue(T.always_fails, "x")  # max_attempts=2
    _claimed_then_lost("w1")
    Worker(worker_id="w2", heartbeat=False).recover_expired()
    _claimed_then_lost("w3")
    assert Worker(worker_id="w4", heartbeat=False).recover_expired() == 1
    j = tasks.job(job.id)
    assert j.state == "failed" and j.result.exception_class_path == "rawan.web.tasks.LeaseExpired"
    assert "w3 stopped renewing its lease (attempt 2 of 2)" in j.error


def test_a_late_finisher_does_not_overwrite_the_new_holder(tmp_path):
    job = tasks.enqueue(T.count_slowly, 1, 0, str(tmp_path))
    old = Worker(worker_id="slow", heartbeat=False)
    tr, j = old.claim()
    Job.objects.filter(pk=j.pk).update(lease_expires=timezone.now() - timedelta(seconds=1))
    new = Worker(worker_id="new", heartbeat=False)
    new.recover_expired()
    tr2, j2 = new.claim()
    old._finish(tr, j, "error", RuntimeError("late"))  # the old worker comes back with an error
    assert tasks.job(job.id).state == "running"  # ignored: "new" holds the lease
    new.execute(tr2, j2)
    assert tasks.job(job.id).state == "done"


def test_a_task_enqueued_with_django_s_own_api_gets_its_declared_options(tmp_path):
    result = T.always_fails.enqueue("plain")  # Task.enqueue, no Job row yet
    tasks.run_pending()
    j = tasks.job(result.id)
    assert j.max_attempts == 2 and j.state == "failed" and j.label == "always fails"


def test_jobs_page_is_the_admins_and_lists_failures_with_a_retry(as_user):
    job = tasks.enqueue(T.fails_at_once, "alasan yang terlihat", label="uji gagal")
    tasks.run_pending()
    for name, status in (("viewer", 403), ("op_kerinci", 403), ("verifier", 403)):
        assert as_user(name).get("/tugas/").status_code == status
    assert as_user(None).get("/tugas/").status_code == 302  # to the login page
    adm = as_user("admin")
    page = adm.get("/tugas/").content.decode()
    assert "Gagal (1)" in page and "uji gagal" in page and "alasan yang terlihat" in page
    assert "Tidak ada worker yang berjalan" in page
    assert as_user("viewer").post(f"/tugas/{job.id}/ulang/").status_code in (403, 404)
    r = adm.post(f"/tugas/{job.id}/ulang/")
    assert r.status_code == 302 and tasks.job(job.id).state == "queued"
    assert adm.get(f"/tugas/{job.id}/").status_code == 200
    assert as_user("viewer").get(f"/tugas/{job.id}/").status_code == 404


def test_admin_compute_runs_in_a_worker_and_the_page_shows_it(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    slug = "contoh-latihan-2026"
    before = Edition.objects.get(slug=slug).computed_at
    r = adm.post(f"/e/{slug}/kelola/aksi/", {"action": "compute"}, follow=True)
    page = r.content.decode()
    assert r.status_code == 200 and "Perhitungan dimulai di latar belakang" in page
    assert "Dalam antrean" in page and 'http-equiv="refresh"' in page
    assert Edition.objects.get(slug=slug).computed_at == before  # nothing computed in the request
    adm.post(f"/e/{slug}/kelola/aksi/", {"action": "compute"})  # a second click: the same job
    assert Job.objects.filter(subject__startswith="edition:").count() == 1
    assert tasks.run_pending() == 1
    page = adm.get(f"/e/{slug}/kelola/").content.decode()
    assert "Selesai" in page and 'http-equiv="refresh"' not in page
    assert Edition.objects.get(slug=slug).computed_at != before


def test_a_failed_compute_says_why_on_the_page(as_user):
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import Submission

    slug = "contoh-latihan-2026"
    ed = Edition.objects.get(slug=slug)
    Submission.objects.filter(edition=ed).update(status="draft")
    adm = as_user("admin")
    adm.post(f"/e/{slug}/kelola/aksi/", {"action": "compute"})
    tasks.run_pending()
    page = adm.get(f"/e/{slug}/kelola/").content.decode()
    assert "Gagal:" in page and tasks.latest(f"edition:{ed.pk}:compute").attempts == 1


def test_region_page_queues_robustness_and_shows_it_when_done(as_user, settings, tmp_path):
    from rawan.web.editions.models import Edition
    from rawan.web.editions import services

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    services._ROBUST_CACHE.clear()
    slug = "contoh-ikp-2024-jambi"
    c = as_user(None)
    page = c.get(f"/e/{slug}/wilayah/15.01/").content.decode()
    assert "sedang dihitung di latar belakang" in page and "90%" not in page
    c.get(f"/e/{slug}/wilayah/15.02/")
    ed = Edition.objects.get(slug=slug)
    assert Job.objects.filter(subject__startswith=f"edition:{ed.pk}:robustness").count() == 1
    assert tasks.run_pending() == 1
    services._ROBUST_CACHE.clear()  # another process: read from storage
    page = c.get(f"/e/{slug}/wilayah/15.01/").content.decode()
    assert "90%" in page and "sedang dihitung" not in page  # "... peringkat ... pada 90% di antaranya"


def test_ranking_waits_for_robustness_without_caching_the_page(as_user, settings, tmp_path):
    from rawan.web.editions import services

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    services._ROBUST_CACHE.clear()
    url = "/e/contoh-ikp-2024-jambi/peringkat/"
    c = as_user(None)
    for _ in range(2):  # drawn each time (not cached while the figures are missing); one job queued
        r = c.get(url)
        assert r.status_code == 200 and "urut=stabilitas" not in r.content.decode()
        assert "X-Rawan-No-Page-Cache" not in r
    assert Job.objects.filter(subject__contains=":robustness:").count() == 1
    assert tasks.run_pending() == 1
    services._ROBUST_CACHE.clear()
    assert "urut=stabilitas" in c.get(url).content.decode()  # the stability column, now cached


def test_api_results_wait_for_robustness_without_caching_the_answer(as_user, settings, tmp_path):
    from rawan.web.editions import services

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    services._ROBUST_CACHE.clear()
    url = "/api/editions/contoh-ikp-2024-jambi/results"
    c = as_user(None)
    for _ in range(2):
        r = c.get(url)
        assert r.status_code == 200 and r.json()["robustness"] is None and "X-Rawan-No-Page-Cache" not in r
    assert tasks.run_pending() == 1
    services._ROBUST_CACHE.clear()
    assert c.get(url).json()["robustness"]["runs"] == 1000
