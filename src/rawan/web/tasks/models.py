"""rawan's bookkeeping beside django-tasks-db's queue table (``DBTaskResult``, same primary key).

django-tasks-db stores each enqueued task (status READY / RUNNING / SUCCESSFUL / FAILED, arguments,
return value, traceback).  It has no lease, no retry and no progress: a task whose worker died stays
RUNNING for ever.  A :class:`Job` adds them: the lease the running worker renews, the attempts made
and allowed, the last error, the progress of a long job, a label for people, what it is about
(``subject``) and who asked.  :class:`WorkerBeat` is one row per running worker (host, pid, last
seen), so the admin page can say whether anyone is picking jobs up.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks_db.models import DBTaskResult


class JobState(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    RETRYING = "retrying", _("Waiting to retry")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class Job(models.Model):
    result = models.OneToOneField(DBTaskResult, primary_key=True, on_delete=models.CASCADE,
                                  related_name="rawan_job")
    label = models.CharField(max_length=200, blank=True)
    subject = models.CharField(max_length=160, blank=True, db_index=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_seconds = models.PositiveIntegerField(default=120)
    retry_delay = models.PositiveIntegerField(default=10)
    attempts = models.PositiveSmallIntegerField(default=0)
    worker_id = models.CharField(max_length=64, blank=True)
    lease_expires = models.DateTimeField(null=True, blank=True, db_index=True)
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    progress_note = models.CharField(max_length=300, blank=True)
    last_error = models.TextField(blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.label or self.result.task_path} ({self.state})"

    @property
    def id(self) -> str:
        return str(self.result_id)

    @property
    def state(self) -> str:
        status = self.result.status
        if status == "SUCCESSFUL":
            return JobState.DONE
        if status == "FAILED":
            return JobState.FAILED
        if status == "RUNNING":
            return JobState.RUNNING
        return JobState.RETRYING if self.attempts else JobState.QUEUED

    @property
    def state_label(self) -> str:
        return JobState(self.state).label

    @property
    def finished(self) -> bool:
        return self.state in (JobState.DONE, JobState.FAILED)

    @property
    def percent(self) -> int | None:
        if self.state == JobState.DONE:
            return 100
        if not self.progress_total:
            return None
        return min(100, int(100 * self.progress_done / self.progress_total))

    @property
    def return_value(self):
        """What the task returned (None until it is done)."""
        return self.result.return_value if self.state == JobState.DONE else None

    @property
    def error(self) -> str:
        """The reason of a failure, as stored (the last attempt's error, or the lease that expired)."""
        return self.last_error or self.result.exception_class_path


class WorkerBeat(models.Model):
    worker_id = models.CharField(max_length=64, primary_key=True)
    host = models.CharField(max_length=200, blank=True)
    pid = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(default=timezone.now)
    seen_at = models.DateTimeField(default=timezone.now, db_index=True)
    current = models.CharField(max_length=64, blank=True)
    done = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-seen_at"]
