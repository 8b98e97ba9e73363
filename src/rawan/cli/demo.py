"""``rawan demo``: the whole demo in one command; ``rawan demo build``: the synthetic Jambi data files.

``rawan demo`` is what ``make demo`` used to spell out, so it needs no ``make`` and runs the same on
Windows, macOS and Linux: the demo data and their results, the kab/kota report and infographic, the
web demo loaded (passwords printed once), then the task worker and the server (Ctrl+C stops both).
``--no-serve`` stops after loading.  Every step is the same command a user can run on its own.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Optional

import typer

from .app import app
from .compute import ranking_table
from .ui import DEFAULT_SEED, State, banner, console, err_console, t

demo_app = typer.Typer(help="Data contoh Jambi (sintetis) / the synthetic Jambi demo.")
app.add_typer(demo_app, name="demo")

UI = {
    "id": {"step": "[bold]Langkah {i}/{n}:[/] {what}",
           "build": "data contoh dan hasilnya", "report": "laporan dan infografik kab/kota, TPS rawan",
           "load": "demo aplikasi web", "serve": "pelayan web dan pekerja tugas",
           "ready": "Demo siap: buka http://{host}:{port}/ di peramban. Masuk (/masuk/) dengan pengguna dan kata sandi "
                    "yang dicetak saat demo pertama dimuat (lupa? rawan demo --reset). "
                    "Panduan pengguna: http://{host}:{port}/panduan/",
           "loaded_only": "Demo dibuat dan dimuat. Jalankan pelayan dan pekerja tugas dengan: {cmd} (lalu buka "
                          "http://{host}:{port}/)",
           "worker": "Pekerja tugas berjalan (proses {pid}).",
           "receiver": "Penerima webhook contoh berjalan (proses {pid}); pesan yang diterima: {file}.",
           "stopped": "Pelayan dihentikan."},
    "en": {"step": "[bold]Step {i}/{n}:[/] {what}",
           "build": "demo data and their results", "report": "kab/kota report and infographic, TPS rawan",
           "load": "web demo", "serve": "web server and task worker",
           "ready": "The demo is ready: open http://{host}:{port}/ in a browser. Log in (/masuk/) with a user and password "
                    "printed when the demo was first loaded (lost them? rawan demo --reset). "
                    "User guide: http://{host}:{port}/panduan/",
           "loaded_only": "Demo built and loaded. Start the server and the task worker with: {cmd} (then open "
                          "http://{host}:{port}/)",
           "worker": "Task worker running (process {pid}).",
           "receiver": "Sample webhook receiver running (process {pid}); messages received: {file}.",
           "stopped": "Server stopped."},
}


def _t(key: str, **kw) -> str:
    return UI.get(State.lang, UI["id"])[key].format(**kw)


def _run(*args: str) -> None:
    """One ``rawan`` command in this process (its errors reach the caller's handler in cli.main)."""
    app(list(args), prog_name="rawan", standalone_mode=False)  # State.lang carries the language


def start_worker() -> subprocess.Popen:
    """The background task worker beside the demo's server, through the worker's own entrance
    (:func:`rawan.web.tasks.start_worker`: a ``subprocess``, no fork; the same on Windows).  It stops
    by itself if this process dies (``RAWAN_WORKER_PARENT``), and :func:`rawan.web.tasks.stop_worker`
    ends it politely on the way out."""
    from ..web.tasks import start_worker as start

    return start("--lang", State.lang, env={"RAWAN_WORKER_PARENT": str(os.getpid())})


def start_webhook_receiver(out: Path) -> subprocess.Popen | None:
    """The local receiver the demo's Bawaslu webhook points at (docs/early-warning.md): every alert
    it gets, with its signature checked, is appended to ``out/webhook-diterima.jsonl``."""
    try:
        from ..web.warnings.demo import DEMO_SECRET, DEMO_WEBHOOK_PORT
    except ImportError:  # the light core without the web extra
        return None
    proc = subprocess.Popen([sys.executable, "-m", "rawan.web.warnings.receiver", "--port", str(DEMO_WEBHOOK_PORT),
                             "--secret", DEMO_SECRET, "--out", str(out / "webhook-diterima.jsonl")])
    # listening before the worker starts sending (the demo's subscription is disabled after a few
    # failed attempts), then the subscription is enabled again (a server run without the receiver
    # may have disabled it)
    deadline = time.monotonic() + 15
    while proc.poll() is None and time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", DEMO_WEBHOOK_PORT), timeout=1).close()
            break
        except OSError:
            time.sleep(0.1)
    if proc.poll() is None:
        from ..web.warnings.demo import enable_demo_webhooks

        enable_demo_webhooks()
    return proc


def stop_child(proc: subprocess.Popen | None) -> None:
    """terminate(): SIGTERM on POSIX, TerminateProcess on Windows; killed if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=15)


@demo_app.callback(invoke_without_command=True)
def demo_all(
    ctx: typer.Context,
    out: Path = typer.Option(Path("demo-output"), "--out", "-o", help="Folder keluaran data contoh, laporan dan infografik."),
    serve: bool = typer.Option(True, "--serve/--no-serve", help="Jalankan pelayan web setelah memuat (--no-serve: hanya buat dan muat)."),
    host: str = typer.Option("127.0.0.1", "--host", help="Alamat / address."),
    port: int = typer.Option(8000, "--port", help="Port."),
    reset: bool = typer.Option(False, "--reset", help="Muat ulang demo web dengan kata sandi baru / reload with new passwords."),
):
    """Seluruh demo dengan satu perintah: data contoh, laporan, aplikasi web (kata sandi dicetak sekali), pelayan.

    Tanpa make: sama di Windows, macOS dan Linux. Sub-perintah 'build' hanya membuat berkas data."""
    if ctx.invoked_subcommand is not None:
        return
    n = 4 if serve else 3
    console.print(_t("step", i=1, n=n, what=_t("build")))
    _run("demo", "build", "--out", str(out))
    console.print(_t("step", i=2, n=n, what=_t("report")))
    data = out / "jambi-kabkota.csv"
    _run("report", "--model", "ikp-2024", "--data", str(data), "--out", str(out / "laporan-kabkota.pdf"))
    _run("infographic", "--model", "ikp-2024", "--data", str(data), "--out", str(out / "infografik-kabkota.png"))
    _run("tps", "demo", "--out", str(out / "tps"))  # TPS rawan: registry, checklists, counts, list, maps, release
    console.print(_t("step", i=3, n=n, what=_t("load")))
    _run("web", "load-demo", *(["--reset"] if reset else []))
    if not serve:
        cmd = " ".join(["rawan serve --worker", *([f"--host {host}"] if host != "127.0.0.1" else []),
                        *([f"--port {port}"] if port != 8000 else [])])
        console.print(_t("loaded_only", cmd=cmd, host=host, port=port), soft_wrap=True)
        return
    console.print(_t("step", i=4, n=n, what=_t("serve")))
    from ..web.tasks import stop_worker
    from .web import default_base_url

    default_base_url(host, port)  # the worker's alert e-mails link to this server
    receiver = start_webhook_receiver(out)  # first: the worker's first deliveries find it listening
    worker = start_worker()
    try:
        console.print(_t("worker", pid=worker.pid))
        if receiver is not None:
            console.print(_t("receiver", pid=receiver.pid, file=out / "webhook-diterima.jsonl"))
        console.print(_t("ready", host=host, port=port))
        _run("serve", "--host", host, "--port", str(port))
    except KeyboardInterrupt:
        console.print(_t("stopped"))
    finally:
        stop_worker(worker)
        stop_child(receiver)


@demo_app.command("build")
def demo_build(
    out: Path = typer.Option(Path("demo-output"), "--out", "-o", help="Folder keluaran."),
    regions: Optional[Path] = typer.Option(None, "--regions", help="Daftar wilayah (CSV atau folder); default: daftar bawaan."),
    seed: int = typer.Option(DEFAULT_SEED, "--seed", help="Benih acak: benih yang sama memberi hasil yang sama."),
    model: str = typer.Option("ikp-2024", "--model", "-m", help="Model."),
):
    """Buat data contoh Jambi (sintetis) dan hitung hasilnya untuk setiap tingkat."""
    from .. import demo
    from ..engine import compute, load_spec, output, read_data

    spec = load_spec(model)
    files = demo.build(spec, out, regions=regions, seed=seed)
    banner(True, spec)
    console.print(t("demo_written", out=out))
    if len(files) == 1:
        err_console.print(f"[yellow]{t('warning')}:[/] {t('no_kecamatan')}")
    for f in files:
        result = compute(spec, read_data(f, spec.tree.indicators))
        res_path = f.with_name(f.name.replace("jambi-", "hasil-"))
        output.write(result, res_path)
        console.print(f"  {f}  ->  {res_path}")
        if "kabkota" in f.name:
            console.print(ranking_table(result))
