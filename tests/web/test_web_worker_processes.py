"""Real `rawan worker` processes on a database of their own (a SQLite file in the first pass of
`make test`, a PostgreSQL database in its PostgreSQL pass): a worker runs a job with its progress;
a worker killed with SIGKILL in the middle of a job leaves it to another worker once the lease
expires, which finishes it; retries used up end in a failure listed by `rawan web jobs`."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def env(tmp_path_factory, django_db_blocker):
    from django.db import connection

    data = tmp_path_factory.mktemp("worker-db")
    e = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "RAWAN_MEDIA_DIR")}
    e.update(RAWAN_DATA_DIR=str(data), COLUMNS="200", RAWAN_SECRET_KEY="worker-tests-" + "w3" * 30, RAWAN_LANG="id",
             PYTHONPATH=str(ROOT) + os.pathsep + e.get("PYTHONPATH", ""))
    with django_db_blocker.unblock():
        vendor, s = connection.vendor, connection.settings_dict
    admin = name = None
    if vendor == "postgresql":
        import psycopg

        name = f"{s['NAME']}_worker"[:63]
        admin = psycopg.connect(host=s["HOST"], port=s["PORT"], user=s["USER"], password=s["PASSWORD"],
                                dbname="postgres", autocommit=True)
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}"')
        e["DATABASE_URL"] = f"postgresql://{s['USER']}:{s['PASSWORD']}@{s['HOST']}:{s['PORT']}/{name}"
    yield e
    if admin is not None:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def _helper(env, *args) -> str:
    p = subprocess.run([sys.executable, "-m", "tests.web.worker_cli", *args], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=180)
    assert p.returncode == 0, p.stderr[-2000:]
    return p.stdout.strip().splitlines()[-1]


def enqueue(env, task: str, *args) -> str:
    return _helper(env, "enqueue", task, json.dumps(list(args)))


def state(env, job_id: str) -> dict:
    return json.loads(_helper(env, "state", job_id))


def start_worker(env, log: Path, worker_id: str):
    from rawan.web.tasks import start_worker as start

    out = open(log, "w")
    return start("--interval", "0.2", "--id", worker_id, env=env, stdout=out, stderr=subprocess.STDOUT), out


def wait_for(env, job_id: str, states: set[str], timeout: float = 120) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        s = state(env, job_id)
        if s["state"] in states:
            return s
        time.sleep(0.5)
    pytest.fail(f"job {job_id} did not reach {states}: {s}")


def _end(proc, out) -> None:
    from rawan.web.tasks import stop_worker

    stop_worker(proc, timeout=20)
    out.close()


def test_a_worker_process_runs_a_job_with_progress(env, tmp_path):
    job = enqueue(env, "count_slowly", 5, 0.2, str(tmp_path / "marks"))
    assert state(env, job)["state"] == "queued"
    proc, out = start_worker(env, tmp_path / "w.log", "worker-a")
    try:
        s = wait_for(env, job, {"done", "failed"})
    finally:
        _end(proc, out)
    assert s["state"] == "done" and s["return_value"] == {"n": 5} and s["worker_ids"] == ["worker-a"]
    assert (s["done"], s["total"], s["note"]) == (5, 5, "selesai")
    log = (tmp_path / "w.log").read_text()
    assert "Worker worker-a berjalan" in log and "selesai" in log and proc.returncode == 0  # stopped politely
    listing = subprocess.run([sys.executable, "-m", "rawan", "web", "jobs"], env=env, cwd=ROOT,
                             capture_output=True, text=True, timeout=120).stdout
    assert "count slowly" in listing and "Selesai" in listing and "100%" in listing


def test_a_killed_worker_s_job_is_finished_by_another_after_the_lease(env, tmp_path):
    marks = tmp_path / "marks"
    job = enqueue(env, "count_slowly", 20, 0.3, str(marks))  # lease 6 s, renewed every 2 s
    a, out_a = start_worker(env, tmp_path / "a.log", "worker-killed")
    deadline = time.monotonic() + 120
    while not (marks / "step-3").exists() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert (marks / "step-3").exists(), (tmp_path / "a.log").read_text()
    os.kill(a.pid, signal.SIGKILL)  # mid-task: no clean-up, no outcome written
    a.wait()
    out_a.close()
    s = state(env, job)
    assert s["state"] == "running" and s["worker_ids"] == ["worker-killed"]
    assert not list(marks.glob("finished-*"))
    b, out_b = start_worker(env, tmp_path / "b.log", "worker-rescuer")
    try:
        s = wait_for(env, job, {"done", "failed"})
    finally:
        _end(b, out_b)
    assert s["state"] == "done" and s["attempts"] == 2 and s["worker_ids"] == ["worker-killed", "worker-rescuer"]
    assert len(list(marks.glob("finished-*"))) == 1  # finished once, by the second worker
    assert "worker-killed stopped renewing its lease" in (tmp_path / "b.log").read_text()


def test_retries_used_up_are_a_failure_listed_for_the_admin(env, tmp_path):
    job = enqueue(env, "always_fails", "penerima tidak menjawab")
    proc, out = start_worker(env, tmp_path / "w.log", "worker-f")
    try:
        s = wait_for(env, job, {"done", "failed"})
    finally:
        _end(proc, out)
    assert s["state"] == "failed" and s["attempts"] == 2 and "penerima tidak menjawab" in s["error"]
    listing = subprocess.run([sys.executable, "-m", "rawan", "web", "jobs", "--state", "failed"], env=env,
                             cwd=ROOT, capture_output=True, text=True, timeout=120).stdout
    assert "always fails" in listing and "penerima tidak menjawab" in listing and "2/2" in listing
