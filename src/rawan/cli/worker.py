"""``rawan worker`` (run background jobs) and ``rawan web jobs`` (see them, with their progress).

A worker runs the web application's long jobs (computing an edition, building reports, robustness
runs, and whatever other apps declare with :func:`rawan.web.tasks.background`).  Run one beside the
server on a laptop; on a server run several (systemd, docs/deploy.md), on one machine or several
sharing the database.  Ctrl+C (or SIGTERM) stops it after the job in hand.
"""

from __future__ import annotations

import signal
from typing import Optional

import typer

from .app import app
from .ui import State, console
from .web import _django, web_app

UI = {
    "id": {"started": "Worker {id} berjalan (antrean: {queues}; basis data: {db}). Hentikan dengan Ctrl+C.",
           "start": "▶ {job} {label} (percobaan {attempt})",
           "progress": "  {job} {done}/{total} {note}",
           "end_ok": "✓ {job} selesai",
           "end_failed": "✗ {job} gagal: {error}",
           "retry": "↻ {job} akan dicoba lagi dalam {delay} detik: {error}",
           "recovered": "⚠ {job}: {reason}",
           "stopping": "Berhenti setelah tugas yang sedang berjalan…",
           "ran": "{n} tugas dijalankan.",
           "none": "Tidak ada tugas.",
           "workers": "Worker aktif: {n}",
           "cols": "id|tugas|keadaan|percobaan|kemajuan|dibuat|keterangan"},
    "en": {"started": "Worker {id} running (queues: {queues}; database: {db}). Stop with Ctrl+C.",
           "start": "▶ {job} {label} (attempt {attempt})",
           "progress": "  {job} {done}/{total} {note}",
           "end_ok": "✓ {job} done",
           "end_failed": "✗ {job} failed: {error}",
           "retry": "↻ {job} will be retried in {delay} s: {error}",
           "recovered": "⚠ {job}: {reason}",
           "stopping": "Stopping after the job in hand…",
           "ran": "{n} jobs run.",
           "none": "No jobs.",
           "workers": "Active workers: {n}",
           "cols": "id|job|state|attempts|progress|created|note"},
}


def _t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _short(job_id) -> str:
    return str(job_id)[:8]


def _printer(event: str, **kw) -> None:
    job = _short(kw.get("job", ""))
    if event == "start":
        console.print(_t("start", job=job, label=kw["label"], attempt=kw["attempt"]), markup=False)
    elif event == "progress":
        total = kw.get("total")
        console.print(_t("progress", job=job, done=kw["done"], total="?" if total is None else total,
                         note=kw.get("note") or ""), markup=False)
    elif event == "end":
        if kw["status"] == "SUCCESSFUL":
            console.print(_t("end_ok", job=job), markup=False)
        elif kw["status"] == "FAILED":
            console.print(_t("end_failed", job=job, error=kw.get("error", "")), markup=False)
    elif event == "retry":
        console.print(_t("retry", job=job, delay=kw["delay"], error=kw["error"]), markup=False)
    elif event == "recovered":
        console.print(_t("recovered", job=job, reason=kw["reason"]), markup=False)


@app.command("worker")
def worker_cmd(
    queue: list[str] = typer.Option(["default"], "--queue", help="Antrean (boleh diulang) / queue (repeatable)."),
    interval: float = typer.Option(1.0, "--interval", min=0.05, help="Detik antar-pemeriksaan saat menganggur / seconds between checks when idle."),
    max_tasks: Optional[int] = typer.Option(None, "--max-tasks", min=1, help="Berhenti setelah N tugas / stop after N jobs."),
    until_empty: bool = typer.Option(False, "--until-empty", help="Berhenti bila antrean kosong / stop when the queue is empty."),
    worker_id: Optional[str] = typer.Option(None, "--id", help="Nama unik worker ini / this worker's unique name."),
):
    """Jalankan satu worker untuk tugas latar (hitung edisi, laporan, uji ketahanan, peringatan)."""
    _django()
    from django.conf import settings

    from ..web.tasks.worker import Worker

    w = Worker(worker_id=worker_id, queues=queue, interval=interval, say=_printer,
               parent=_parent_gone())

    def _stop(signum, frame):  # first signal: finish the job in hand; second: stop now
        if not w.running:
            raise KeyboardInterrupt
        console.print(_t("stopping"))
        w.stop()

    signal.signal(signal.SIGINT, _stop)
    for name in ("SIGTERM", "SIGBREAK"):  # SIGBREAK: Windows' CTRL_BREAK (rawan.web.tasks.stop_worker)
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _stop)
    console.print(_t("started", id=w.worker_id, queues=",".join(queue), db=settings.DATABASES["default"]["NAME"]),
                  markup=False)
    n = w.run(until_empty=until_empty, max_tasks=max_tasks)
    console.print(_t("ran", n=n))


@web_app.command("jobs")
def jobs_cmd(
    state: Optional[str] = typer.Option(None, "--state", help="queued, running, retrying, done, failed."),
    limit: int = typer.Option(30, "--limit", min=1, help="Paling banyak / at most."),
    watch: Optional[str] = typer.Option(None, "--watch", help="Ikuti satu tugas sampai selesai (id atau awalannya) / follow one job to its end."),
):
    """Daftar tugas latar dengan keadaan dan kemajuannya / background jobs, their state and progress."""
    _django()
    import time

    from ..web.tasks.models import Job
    from ..web.tasks.views import alive_workers, jobs_in_state

    if watch:
        job = Job.objects.select_related("result").filter(result__id__startswith=watch).first() \
            if len(watch) < 36 else Job.objects.select_related("result").filter(pk=watch).first()
        if job is None:
            raise typer.BadParameter(_t("none"), param_hint="--watch")
        last = None
        while True:
            job = Job.objects.select_related("result").get(pk=job.pk)
            line = (job.state, job.progress_done, job.progress_total, job.progress_note)
            if line != last:
                console.print(f"{_short(job.pk)} {job.state_label} {_progress(job)} {job.progress_note}", markup=False)
                last = line
            if job.finished:
                if job.state == "failed":
                    console.print(job.error, markup=False)
                    raise SystemExit(1)
                return
            time.sleep(0.5)
    console.print(_t("workers", n=len(alive_workers())))
    jobs = jobs_in_state(state)[:limit]
    if not jobs:
        console.print(_t("none"))
        return
    from django.utils.timezone import localtime
    from rich.table import Table

    table = Table(*_t("cols").split("|"))
    for j in jobs:
        table.add_row(_short(j.pk), j.label or j.result.task_path, str(j.state_label),
                      f"{j.attempts}/{j.max_attempts}", _progress(j), localtime(j.created_at).strftime("%Y-%m-%d %H:%M"),
                      (j.error if j.state in ("failed", "retrying") else j.progress_note)[:80])
    console.print(table)


def _parent_gone():
    """Started beside a server (`rawan serve --worker`): a check that the server is gone, so the
    worker does not outlive it (POSIX; on Windows the server stops it on the way out)."""
    import os

    parent = os.environ.get("RAWAN_WORKER_PARENT", "")
    if not parent.isdigit() or os.name == "nt":
        return None
    return lambda: os.getppid() != int(parent)


def _progress(job) -> str:
    if job.percent is not None:
        return f"{job.percent}%" + (f" ({job.progress_done}/{job.progress_total})" if job.progress_total else "")
    return "–"
