"""Webhooks through real `rawan worker` processes and a real local HTTP receiver: a receiver that is
down gets every message once it is back; a worker killed in the middle of a delivery leaves it to
another worker, so every alert arrives at least once, and the delivery ids let the receiver count
each exactly once."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .test_web_worker_processes import env  # noqa: F401  (the worker tests' own database)

pytestmark = [pytest.mark.slow, pytest.mark.django_db]

ROOT = Path(__file__).resolve().parents[2]
SECRET = "rahasia-worker-" + "b" * 20
PORT = 8283


def _cli(env, *args):
    p = subprocess.run([sys.executable, "-m", "tests.web.webhook_worker_cli", *args], env=env, cwd=ROOT,
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 0, p.stderr[-3000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def _receiver(out: Path, delay: float = 0.0):
    return subprocess.Popen([sys.executable, "-m", "rawan.web.warnings.receiver", "--port", str(PORT), "--secret",
                             SECRET, "--out", str(out), "--delay", str(delay)], cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def _worker(env, log: Path, name: str):
    from rawan.web.tasks import start_worker

    f = open(log, "w")
    return start_worker("--interval", "0.2", "--id", name, env=env, stdout=f, stderr=subprocess.STDOUT), f


def _records(out: Path) -> list[dict]:
    return [json.loads(x) for x in out.read_text().splitlines()] if out.exists() else []


def _wait(cond, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond():
            return
        time.sleep(0.3)
    pytest.fail(what)


def test_receiver_down_then_up_and_a_worker_killed_mid_delivery(env, tmp_path):  # noqa: F811
    from rawan.web.tasks import stop_worker

    ids = _cli(env, "setup", str(PORT), "6", SECRET)
    assert len(ids) == 6
    out = tmp_path / "got.jsonl"
    # 1. the receiver is down: the worker tries, fails, and backs off; nothing is lost
    w1, f1 = _worker(env, tmp_path / "w1.log", "worker-1")
    try:
        _wait(lambda: all(a >= 1 for _s, a in _cli(env, "status").values()), 120, "no first attempt")
        assert all(s == "menunggu" for s, _a in _cli(env, "status").values())
        # 2. the receiver comes back, slow (2 s per message): the worker is killed in the middle
        rec = _receiver(out, delay=2.0)
        _wait(lambda: _records(out) or any(s == "terkirim" for s, _a in _cli(env, "status").values())
              or (tmp_path / "w1.log").read_text().count("Webhook") > 12, 60, "receiver never reached")
        time.sleep(1.0)  # a delivery is in flight: the receiver holds it for 2 s
        os.kill(w1.pid, signal.SIGKILL)
        w1.wait()
    finally:
        f1.close()
    status = _cli(env, "status")
    assert any(s == "menunggu" for s, _a in status.values()), "some deliveries were still open when killed"
    # 3. another worker takes over once the leases expire
    w2, f2 = _worker(env, tmp_path / "w2.log", "worker-2")
    try:
        _wait(lambda: all(s == "terkirim" for s, _a in _cli(env, "status").values()), 240,
              f"not all delivered: {_cli(env, 'status')}")
    finally:
        stop_worker(w2, timeout=20)
        f2.close()
        rec.terminate()
        rec.wait()
    got = _records(out)
    assert all(r["signature_ok"] for r in got)
    assert {r["delivery"] for r in got} == set(ids)  # every alert arrived at least once
    first = [r for r in got if not r["duplicate"]]
    assert sorted(r["delivery"] for r in first) == sorted(ids)  # ... and the ids count each exactly once
    assert {r["body"]["data"]["alert"] for r in first} == set(range(6))
    print(f"received {len(got)} messages for {len(ids)} deliveries ({len(got) - len(first)} sent again)")
