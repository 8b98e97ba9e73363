"""Background work: Django's Tasks API (the ``django-tasks`` backport) on ``django-tasks-db``'s
database queue, with what that backend lacks added by rawan: a lease that expires, retries with
back-off, a visible failure, and progress.

Declare a task (module level, JSON-able arguments: ids, not objects)::

    from rawan.web import tasks

    @tasks.background(max_attempts=5, lease_seconds=60, retry_delay=30)
    def deliver_webhook(delivery_id: int) -> dict:
        tasks.progress(0, 1, "mengirim")          # optional: shown on the jobs page and by the CLI
        ...
        return {"status": 200}                    # JSON-able; kept as the job's result

Enqueue it (inside a request or anywhere Django is set up)::

    job = tasks.enqueue(deliver_webhook, 42, label="Webhook Polda", subject="alert:17", user=request.user)
    job.id, job.state            # "queued" -> "running" -> "done" / "retrying" / "failed"
    tasks.job(job.id).percent    # progress, read again from the database

``enqueue_once`` returns the unfinished job of the same task and subject instead of adding a second
one (a report many visitors ask for is built once).  ``latest(subject)`` is the newest job about a
subject (what a page shows).

A task that raises is tried again after ``retry_delay * 2**(attempt-1)`` seconds (at most one hour)
until ``max_attempts``; raise :class:`Fail` to fail at once (bad input that no retry can fix).  A
worker that dies (killed, machine lost) stops renewing its lease; after ``lease_seconds`` another
worker takes the job again, which counts as an attempt.  When attempts are used up the job is
FAILED with its reason, listed for the admin at ``/tugas/`` and by ``rawan web jobs``: never lost.
Delivery is therefore at least once: a task must be safe to run twice (idempotent, or keyed by an
id the receiver can deduplicate).

Workers: ``rawan worker`` (one process; run as many as wanted, on any machine sharing the database),
or :func:`start_worker` from Python (the demo starts one beside the server).  Tests run queued jobs
in-process with :func:`run_pending`.
"""

from __future__ import annotations

import contextvars
import time
from dataclasses import dataclass

__all__ = ["Fail", "background", "enqueue", "enqueue_once", "job", "latest", "progress", "run_pending",
           "start_worker", "stop_worker"]


class Fail(Exception):
    """Raised by a task to fail at once, without further attempts; its message is shown to the admin."""


@dataclass(frozen=True)
class JobOptions:
    max_attempts: int = 3
    lease_seconds: int = 120
    retry_delay: int = 10
    label: str = ""
    quiet: bool = False  # the worker's console shows only its failures (the task logs what matters)


OPTIONS: dict[str, JobOptions] = {}  # task module path -> options (filled by @background)

# the job the current thread runs (set by the worker): progress() writes to it
_CURRENT: contextvars.ContextVar = contextvars.ContextVar("rawan_job", default=None)


def background(func=None, *, max_attempts: int = 3, lease_seconds: int = 120, retry_delay: int = 10,
               label: str = "", queue_name: str = "default", priority: int = 0, quiet: bool = False):
    """Declare a background task: ``@background`` or ``@background(max_attempts=5, ...)``.

    ``quiet``: the worker's console does not print each start, retry and success of this task (many
    small jobs, such as webhook deliveries, whose task logs once what matters); failures still show.

    Returns a django-tasks ``Task`` (``.enqueue()``, ``.call()`` work as documented by Django);
    prefer :func:`enqueue`, which also records who asked and what the job is about."""
    if max_attempts < 1 or lease_seconds < 5 or retry_delay < 0:
        raise ValueError("max_attempts >= 1, lease_seconds >= 5, retry_delay >= 0")

    def wrap(f):
        from django_tasks import task

        t = task(f, priority=priority, queue_name=queue_name)
        OPTIONS[t.module_path] = JobOptions(max_attempts, lease_seconds, retry_delay, label or f.__name__, quiet)
        return t

    return wrap(func) if func is not None else wrap


def options_of(task_path: str) -> JobOptions:
    return OPTIONS.get(task_path, JobOptions())


def enqueue(task, *args, label: str = "", subject: str = "", user=None, **kwargs):
    """Queue ``task(*args, **kwargs)`` for a worker; returns its :class:`Job` (committed with the
    caller's transaction: nothing is queued if the caller's transaction rolls back)."""
    from django.db import transaction

    from .models import Job

    opts = options_of(task.module_path)
    with transaction.atomic():
        result = task.enqueue(*args, **kwargs)
        return Job.objects.create(
            result_id=result.id, label=(label or opts.label)[:200], subject=subject[:160],
            created_by=user if getattr(user, "is_authenticated", False) else None,
            max_attempts=opts.max_attempts, lease_seconds=opts.lease_seconds, retry_delay=opts.retry_delay)


def enqueue_once(task, *args, subject: str, label: str = "", user=None, **kwargs):
    """The unfinished job of ``task`` about ``subject`` if there is one, else a new one."""
    from .models import Job

    pending = (Job.objects.select_related("result")
               .filter(subject=subject, result__task_path=task.module_path,
                       result__status__in=("READY", "RUNNING")).order_by("-created_at").first())
    if pending is not None:
        return pending
    return enqueue(task, *args, label=label, subject=subject, user=user, **kwargs)


def job(job_id):
    """The job with this id, read now (None if there is none)."""
    from django.core.exceptions import ValidationError

    from .models import Job

    try:
        return Job.objects.select_related("result").filter(pk=job_id).first()
    except (ValidationError, ValueError):
        return None


def latest(subject: str, task=None):
    """The newest job about ``subject`` (of ``task`` if given), or None."""
    from .models import Job

    qs = Job.objects.select_related("result").filter(subject=subject)
    if task is not None:
        qs = qs.filter(result__task_path=task.module_path)
    return qs.order_by("-created_at").first()


_LAST_WRITE: contextvars.ContextVar = contextvars.ContextVar("rawan_job_progress_at", default=0.0)


def progress(done: int, total: int | None = None, note: str = "") -> None:
    """Report the progress of the running job (done of total, and a short note).  Written at most
    twice a second (and always for the last step); renews the job's lease.  Does nothing outside a
    worker (a task called directly)."""
    current = _CURRENT.get()
    if current is None:
        return
    now = time.monotonic()
    if total is not None and done < total and now - _LAST_WRITE.get() < 0.5:
        return
    _LAST_WRITE.set(now)
    current.report(done, total, note)


def run_pending(limit: int = 100, worker_id: str = "in-process") -> int:
    """Run queued jobs in this process until none is ready (tests, ``rawan worker --until-empty``);
    returns how many were run."""
    from .worker import Worker

    return Worker(worker_id=worker_id, interval=0, heartbeat=False).run(until_empty=True, max_tasks=limit)


def start_worker(*extra_args: str, env: dict | None = None, stdout=None, stderr=None):
    """Start ``rawan worker`` as a child process (Linux, macOS and Windows); returns the Popen.
    ``stop_worker(p)`` ends it (it finishes the job it holds when it can)."""
    from .process import start_worker as _start

    return _start(*extra_args, env=env, stdout=stdout, stderr=stderr)


def stop_worker(proc, timeout: float = 30) -> int:
    from .process import stop_worker as _stop

    return _stop(proc, timeout)
