"""The worker loop: claim a queued task, hold a lease on it while it runs, record the outcome.

django-tasks-db's own ``db_worker`` claims a task and runs it; if its process dies the task stays
RUNNING for ever and an error is final.  This loop works on the same queue table and adds:

* a lease: claiming a task writes ``lease_expires = now + lease_seconds`` on its :class:`Job`; a
  heartbeat thread (and every progress report) renews it while the task runs;
* recovery: each worker, between tasks, looks for RUNNING jobs whose lease has expired (their
  worker was killed or lost its machine) and puts them back in the queue, or fails them for good
  when their attempts are used up;
* retries: an exception is retried after ``retry_delay * 2**(attempt-1)`` seconds (capped at an
  hour) until ``max_attempts``; :class:`rawan.web.tasks.Fail` fails at once;
* quiet tasks (``background(quiet=True)``: webhook deliveries) are not announced on the console
  at each start, retry and success, only when they fail for good;
* a late finisher (a worker that lost its lease but was not dead) does not overwrite the outcome of
  the worker that took the job over: outcomes are written only by the lease holder.

Claims and outcomes are short transactions (SQLite: the IMMEDIATE write lock, PostgreSQL:
``SELECT ... FOR UPDATE SKIP LOCKED``), so several workers on several machines can share a queue.
Checks that find nothing to do are plain reads: an idle worker takes no write lock.
"""

from __future__ import annotations

import json
import logging
import os
import socket
import threading
import time
import traceback as tb
from datetime import timedelta

from django.db import close_old_connections, connection, transaction
from django.db.utils import OperationalError
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks_db.models import DBTaskResult, get_date_max

from . import _CURRENT, _LAST_WRITE, Fail, options_of
from .models import Job, WorkerBeat

log = logging.getLogger("rawan.worker")

MAX_RETRY_DELAY = 3600
BEAT_EVERY = 5.0  # seconds between the idle worker's "still here" writes


def _retrying(fn, tries: int = 8, delay: float = 0.25):
    """Run a short write, retrying while SQLite reports the database locked."""
    for i in range(tries):
        try:
            return fn()
        except OperationalError as e:
            if "locked" not in str(e).lower() or i == tries - 1:
                raise
            time.sleep(delay * (i + 1))


class _Running:
    """The job the worker's thread runs: progress() writes through this."""

    def __init__(self, worker: "Worker", job: Job, quiet: bool = False):
        self.worker, self.pk, self.lease, self.quiet = worker, job.pk, job.lease_seconds, quiet

    def report(self, done: int, total: int | None, note: str) -> None:
        now = timezone.now()
        fields = {"progress_done": max(0, int(done)), "progress_note": (note or "")[:300], "updated_at": now,
                  "lease_expires": now + timedelta(seconds=self.lease)}
        if total is not None:
            fields["progress_total"] = max(0, int(total))
        try:
            Job.objects.filter(pk=self.pk, worker_id=self.worker.worker_id).update(**fields)
        except OperationalError:  # the database is busy: the next report (or the heartbeat) renews
            return
        if not self.quiet:
            self.worker.say("progress", job=self.pk, done=done, total=total, note=note)


class _Heartbeat(threading.Thread):
    """Renews the lease of the running job every third of its length (and the worker's beat)."""

    def __init__(self, worker: "Worker", job: Job):
        super().__init__(daemon=True, name="rawan-worker-heartbeat")
        self.worker, self.pk, self.lease = worker, job.pk, job.lease_seconds
        self.done = threading.Event()

    def run(self) -> None:
        every = max(1.0, min(self.lease / 3.0, 20.0))
        try:
            while not self.done.wait(every):
                now = timezone.now()
                try:
                    Job.objects.filter(pk=self.pk, worker_id=self.worker.worker_id).update(
                        lease_expires=now + timedelta(seconds=self.lease))
                    WorkerBeat.objects.filter(pk=self.worker.worker_id).update(seen_at=now)
                except OperationalError:
                    continue
        finally:
            connection.close()

    def stop(self) -> None:
        self.done.set()
        self.join(timeout=5)


class Worker:
    def __init__(self, worker_id: str | None = None, queues=("default",), interval: float = 1.0,
                 heartbeat: bool = True, backend: str = "default", say=None, parent=None):
        self.worker_id = (worker_id or f"{socket.gethostname()[:30]}-{os.getpid()}-{get_random_string(6)}")[:64]
        self.queues = list(queues)
        self.interval = interval
        self.heartbeat = heartbeat
        self.backend = backend
        self._say = say
        self.parent_gone = parent  # a callable: True when the process that started us is gone
        self.running = True
        self.busy = False
        self.done = 0
        self._beat_at = 0.0

    def say(self, event: str, **kw) -> None:
        if self._say is not None:
            self._say(event, **kw)

    # ---- the loop ------------------------------------------------------------------------------

    def run(self, until_empty: bool = False, max_tasks: int | None = None) -> int:
        """Run jobs until stopped (or until none is ready, or ``max_tasks`` ran); returns how many ran."""
        ran = 0
        if self.heartbeat:
            self._beat(force=True)
        try:
            while self.running:
                if self.parent_gone is not None and self.parent_gone():
                    break
                if not connection.in_atomic_block:  # (run_pending inside a caller's transaction)
                    close_old_connections()
                did = self.run_one()
                ran += did
                if max_tasks is not None and ran >= max_tasks:
                    break
                if not did:
                    if until_empty:
                        break
                    self._sleep(self.interval)
        finally:
            if self.heartbeat:
                try:
                    WorkerBeat.objects.filter(pk=self.worker_id).delete()
                except OperationalError:
                    pass
        return ran

    def stop(self) -> None:
        """Stop after the job in hand (signal handlers call this)."""
        self.running = False

    def _sleep(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while self.running and time.monotonic() < end:
            time.sleep(min(0.2, max(0.0, end - time.monotonic())))
        if self.heartbeat:
            self._beat()

    def _beat(self, force: bool = False) -> None:
        if not force and time.monotonic() - self._beat_at < BEAT_EVERY:
            return
        self._beat_at = time.monotonic()
        try:
            _retrying(lambda: WorkerBeat.objects.update_or_create(
                pk=self.worker_id, defaults={"host": socket.gethostname()[:200], "pid": os.getpid(),
                                             "seen_at": timezone.now(), "done": self.done}))
        except OperationalError:
            pass

    def run_one(self) -> bool:
        """Recover expired leases, then claim and run one ready job; True if one ran."""
        self.recover_expired()
        claimed = self.claim()
        if claimed is None:
            return False
        self.execute(*claimed)
        return True

    # ---- claim, recover -------------------------------------------------------------------------

    def _ready(self):
        return DBTaskResult.objects.ready().filter(backend_name=self.backend, queue_name__in=self.queues)

    def claim(self):
        if not self._ready().exists():  # a plain read: an idle worker takes no write lock
            return None

        def locked_claim():
            with transaction.atomic():
                tr = self._ready().select_for_update(skip_locked=True).first()
                if tr is None:
                    return None
                tr.claim(self.worker_id)
                job = Job.objects.filter(pk=tr.pk).first()
                if job is None:  # enqueued with Task.enqueue() directly: the task's declared options
                    opts = options_of(tr.task_path)
                    job = Job(result=tr, label=opts.label, max_attempts=opts.max_attempts,
                              lease_seconds=opts.lease_seconds, retry_delay=opts.retry_delay)
                now = timezone.now()
                job.attempts += 1
                job.worker_id = self.worker_id
                job.lease_expires = now + timedelta(seconds=job.lease_seconds)
                job.updated_at = now
                job.save()
                job.result = tr
                return tr, job

        try:
            return _retrying(locked_claim)
        except OperationalError:
            return None

    def recover_expired(self) -> int:
        """Put back in the queue (or fail, when its attempts are used up) every RUNNING job whose
        lease has expired.  Returns how many were found."""
        now = timezone.now()
        stale = Job.objects.filter(result__status="RUNNING", lease_expires__lt=now)
        if not stale.exists():
            return 0

        def locked_recover():
            n = 0
            with transaction.atomic():
                for job in stale.select_for_update(skip_locked=True, of=("self",)).select_related("result"):
                    tr = job.result
                    if tr.status != "RUNNING":
                        continue
                    n += 1
                    reason = (f"worker {job.worker_id or '?'} stopped renewing its lease "
                              f"(attempt {job.attempts} of {job.max_attempts})")
                    job.last_error = reason
                    job.lease_expires = None
                    job.worker_id = ""
                    job.updated_at = now
                    if job.attempts >= job.max_attempts:
                        tr.status = "FAILED"
                        tr.finished_at = now
                        tr.exception_class_path = "rawan.web.tasks.LeaseExpired"
                        tr.traceback = reason
                        tr.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                    else:
                        tr.status = "READY"
                        tr.run_after = now
                        tr.save(update_fields=["status", "run_after"])
                    job.save()
                    log.warning("job %s: %s", job.pk, reason)
                    self.say("recovered", job=job.pk, reason=reason)
            return n

        try:
            return _retrying(locked_recover)
        except OperationalError:
            return 0

    # ---- run ------------------------------------------------------------------------------------

    def execute(self, tr: DBTaskResult, job: Job) -> None:
        from django_tasks import TaskContext
        from django_tasks.signals import task_started

        self.busy = True
        quiet = options_of(tr.task_path).quiet
        running = _Running(self, job, quiet)
        token = _CURRENT.set(running)
        _LAST_WRITE.set(0.0)
        beat = _Heartbeat(self, job) if self.heartbeat else None
        if beat is not None:
            beat.start()
        if not quiet:
            self.say("start", job=job.pk, label=job.label or tr.task_path, attempt=job.attempts)
        outcome, value = "ok", None
        try:
            task = tr.task
            result = tr.task_result
            task_started.send(sender=type(task.get_backend()), task_result=result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=result), *result.args, **result.kwargs)
            else:
                value = task.call(*result.args, **result.kwargs)
            json.dumps(value)  # the result must be storable: a task returning an object is an error
        except Fail as e:
            outcome, value = "fail", e
        except Exception as e:
            outcome, value = "error", e
        except BaseException:
            # interrupted (Ctrl+C twice, SystemExit): give the job back at once, attempt not counted
            self._give_back(tr, job)
            raise
        finally:
            if beat is not None:
                beat.stop()
            _CURRENT.reset(token)
            self.busy = False
        self._finish(tr, job, outcome, value, quiet)
        self.done += 1

    def _give_back(self, tr: DBTaskResult, job: Job) -> None:
        def write():
            with transaction.atomic():
                if Job.objects.filter(pk=job.pk, worker_id=self.worker_id).update(
                        worker_id="", lease_expires=None, attempts=max(0, job.attempts - 1)):
                    DBTaskResult.objects.filter(pk=tr.pk, status="RUNNING").update(status="READY",
                                                                                  run_after=timezone.now())
        try:
            _retrying(write)
        except OperationalError:
            pass  # the lease expires and another worker recovers it

    def _finish(self, tr: DBTaskResult, job: Job, outcome: str, value, quiet: bool = False) -> None:
        from django_tasks.signals import task_finished

        final = {"done": False}

        def write():
            now = timezone.now()
            with transaction.atomic():
                j = Job.objects.select_for_update().filter(pk=job.pk).first()
                row = DBTaskResult.objects.select_for_update().filter(pk=tr.pk).first()
                if j is None or row is None or j.worker_id != self.worker_id or row.status != "RUNNING":
                    log.warning("job %s: lease lost before it finished; the outcome of this run is dropped", job.pk)
                    return
                j.lease_expires = None
                j.updated_at = now
                if outcome == "ok":
                    row.status, row.finished_at, row.return_value = "SUCCESSFUL", now, value
                    row.exception_class_path, row.traceback = "", ""
                    if j.progress_total:
                        j.progress_done = j.progress_total
                    final["done"] = True
                else:
                    exc = value
                    message = f"{type(exc).__name__}: {exc}"[:2000]
                    j.last_error = message
                    if outcome == "error" and j.attempts < j.max_attempts:
                        delay = min(MAX_RETRY_DELAY, j.retry_delay * 2 ** max(0, j.attempts - 1))
                        row.status, row.run_after = "READY", now + timedelta(seconds=delay)
                        j.worker_id = ""
                        if not quiet:
                            self.say("retry", job=j.pk, error=message, delay=delay)
                    else:
                        row.status, row.finished_at, row.return_value = "FAILED", now, None
                        row.exception_class_path = f"{type(exc).__module__}.{type(exc).__qualname__}"
                        row.traceback = "".join(tb.format_exception(exc))
                        final["done"] = True
                row.save(update_fields=["status", "finished_at", "return_value", "run_after",
                                        "exception_class_path", "traceback"])
                j.save()
                job.__dict__.update({k: getattr(j, k) for k in ("last_error", "worker_id", "attempts")})
                tr.status = row.status

        _retrying(write, tries=20)
        if not quiet or tr.status == "FAILED":
            self.say("end", job=job.pk, status=tr.status, error=job.last_error if tr.status != "SUCCESSFUL" else "")
        if final["done"]:
            try:
                fresh = DBTaskResult.objects.get(pk=tr.pk)
                task_finished.send(sender=type(fresh.task.get_backend()), task_result=fresh.task_result)
            except Exception:  # noqa: BLE001  (a receiver's error must not stop the worker)
                log.exception("task_finished receivers failed for job %s", job.pk)
