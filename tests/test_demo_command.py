"""``rawan demo``: the whole demo with one command and no ``make`` (issue 20).

Slow tier: other processes, and one install into a fresh virtualenv (from the machine's package
index or pip's cache).  ``fcntl`` and ``os.fork`` are made unavailable in the first process, as
on Windows, so the paths a Windows user reaches are run without them.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
import venv
from pathlib import Path

import pytest

from tests.web.ports import free_port

ROOT = Path(__file__).resolve().parents[1]
pytestmark = [pytest.mark.slow,
              pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="SQLite pass only: loads the demo")]
USERS = {"admin.provinsi", "operator.kerinci", "operator.kotajambi", "verifikator", "pemantau"}  # one per role, at least
# fcntl unimportable, os.fork gone: then the ordinary entry point.  Ctrl+C raises KeyboardInterrupt
# as in a terminal (a background job of a non-interactive shell would inherit SIGINT ignored).
NO_POSIX = ("import os, signal, sys; sys.modules['fcntl'] = None; del os.fork; "
            "signal.signal(signal.SIGINT, signal.default_int_handler); "
            "from rawan.cli import main; sys.exit(main())")


def _env(tmp_path: Path, **extra) -> dict:
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("RAWAN_", "PYTHON", "VIRTUAL_ENV", "DJANGO_")) and k != "DATABASE_URL"}
    env.update(RAWAN_DATA_DIR=str(tmp_path / "userdata"), RAWAN_LANG="id", COLUMNS="200", **extra)
    return env


def _check_built(out: str, demo: Path) -> None:
    for name in ("jambi-kabkota.csv", "hasil-kabkota.csv", "hasil-kecamatan.csv", "laporan-kabkota.pdf",
                 "infografik-kabkota.png"):
        assert (demo / name).is_file(), name
    assert (demo / "laporan-kabkota.pdf").read_bytes()[:5] == b"%PDF-"
    assert USERS <= set(re.findall(r"^\s+([a-z.]+)\s+\S{16}$", out, re.M))  # passwords printed once


def test_rawan_demo_without_fcntl_or_fork_builds_loads_and_serves(tmp_path):
    port = free_port()
    env = _env(tmp_path)
    proc = subprocess.Popen([sys.executable, "-c", NO_POSIX, "demo", "--out", "demo", "--port", str(port)],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                with urllib.request.urlopen(base + "/panduan/", timeout=2) as r:
                    assert r.status == 200
                break
            except OSError:
                time.sleep(0.5)
        else:
            proc.kill()
            pytest.fail("rawan demo did not serve: " + proc.stderr.read()[-3000:])
        with urllib.request.urlopen(base + "/e/contoh-ikp-2024-jambi/", timeout=10) as r:
            assert "DATA CONTOH" in r.read().decode("utf-8")
        alive = ""  # the task worker beside the server has announced itself in the database
        for _ in range(120):
            alive = subprocess.run([sys.executable, "-m", "rawan", "web", "jobs"], env=env, cwd=tmp_path,
                                   capture_output=True, text=True, timeout=120).stdout
            if "Worker aktif: 1" in alive:
                break
            time.sleep(0.5)
        assert "Worker aktif: 1" in alive, alive
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)  # Ctrl+C: the server stops, the worker with it
        try:
            out, err = proc.communicate(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
    assert proc.returncode == 0, err[-3000:]
    _check_built(out, tmp_path / "demo")
    assert f"http://127.0.0.1:{port}/" in out
    worker = int(re.search(r"Pekerja tugas berjalan \(proses (\d+)\)", out).group(1))
    with pytest.raises(ProcessLookupError):  # stopped with the server, not left behind
        os.kill(worker, 0)


def test_clean_virtualenv_pip_install_all_then_rawan_demo_no_serve_without_make(tmp_path):
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    bindir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    env = _env(tmp_path, PATH=str(bindir))  # nothing else on PATH: no make, no system tools
    assert shutil.which("make", path=env["PATH"]) is None
    src = tmp_path / "src"  # a copy of the tree: pip builds in it, the checkout stays clean
    shutil.copytree(ROOT, src, ignore=shutil.ignore_patterns(".venv*", ".git", "demo-output", "test-artifacts",
                                                             "build", "*.egg-info", "__pycache__", ".pytest_cache"))
    inst = subprocess.run([str(bindir / "python"), "-m", "pip", "install", "--quiet", ".[all]"], cwd=src, env=env,
                          capture_output=True, text=True, timeout=1500)
    assert inst.returncode == 0, inst.stderr[-3000:]
    work = tmp_path / "laptop"
    work.mkdir()
    run = subprocess.run([str(bindir / "rawan"), "demo", "--no-serve"], cwd=work, env=env, capture_output=True,
                         text=True, timeout=900)
    assert run.returncode == 0, (run.stdout[-2000:], run.stderr[-3000:])
    _check_built(run.stdout, work / "demo-output")
    assert (tmp_path / "userdata" / "rawan.sqlite3").is_file()
    # loaded: the same command again says so, and the served app (not started here) has the editions
    check = subprocess.run([str(bindir / "python"), "-c",
                            "from rawan.web import setup; setup(); "
                            "from rawan.web.editions.models import Edition; "
                            "print(sorted(Edition.objects.values_list('slug', flat=True)))"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=300)
    assert check.returncode == 0, check.stderr[-2000:]
    assert "contoh-ikp-2024-jambi" in check.stdout and "pilkada-2024-jambi" in check.stdout
    # the installed package carries the user guide: its chapters and screenshots (package data)
    guide = subprocess.run([str(bindir / "python"), "-c",
                            "import rawan.web, pathlib; w = pathlib.Path(rawan.web.__file__).parent; "
                            "print(len(list((w / 'static/rawan/panduan').glob('*.png'))), "
                            "len(list((w / 'templates/rawan/panduan').rglob('*.html'))))"],
                           cwd=work, env=env, capture_output=True, text=True, timeout=120)
    pngs, pages = map(int, guide.stdout.split())
    assert pngs >= 20 and pages >= 14, guide.stdout
