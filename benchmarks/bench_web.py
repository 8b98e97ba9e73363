"""Load benchmark of the web app: the production server (`rawan serve`, waitress) with the Jambi
demo loaded, N concurrent keep-alive clients for S seconds on the public map page, the ranking
page and the results API (mixed, round-robin per client).

    .venv/bin/python benchmarks/bench_web.py                 # 50 clients, 60 s (the target run)
    .venv/bin/python benchmarks/bench_web.py --seconds 10    # quick look

Prints requests/s, p50/p95/p99 latency and errors per URL, and a same-run baseline: the same
clients for a few seconds on a 4 KB static file, so the ratio shows the cost of the pages beyond
the server's own overhead.  Target on 2 cores: p95 < 200 ms, zero errors.

The load generator (Python threads) runs on the same machine as the server and competes with it
for the CPU; on a shared 2-core machine the figures are noisy and pessimistic.
"""

from __future__ import annotations

import argparse
import http.client
import os
import platform
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request

SLUG = "contoh-ikp-2024-jambi"
URLS = [f"/e/{SLUG}/", f"/e/{SLUG}/peringkat/", f"/api/editions/{SLUG}/results"]
BASELINE = ["/static/rawan/rawan.css"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(threads: int) -> tuple[subprocess.Popen, int, str]:
    data = tempfile.mkdtemp(prefix="rawan-bench-web-")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(RAWAN_DATA_DIR=data)
    subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port), "--threads", str(threads)],
                            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(3000):  # the server loads the map boundaries before it listens
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2)
            return proc, port, data
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise SystemExit("server did not start")


def run(port: int, urls: list[str], clients: int, seconds: float) -> dict[str, dict]:
    lat: dict[str, list[float]] = {u: [] for u in urls}
    errors: dict[str, int] = {u: 0 for u in urls}
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        i = k
        mine = {u: [] for u in urls}
        bad = {u: 0 for u in urls}
        while time.perf_counter() < stop:
            u = urls[i % len(urls)]
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request("GET", u)
                r = conn.getresponse()
                r.read()
                ok = r.status == 200
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
            dt = time.perf_counter() - t0
            if ok:
                mine[u].append(dt)
            else:
                bad[u] += 1
        conn.close()
        with lock:
            for u in urls:
                lat[u] += mine[u]
                errors[u] += bad[u]

    ts = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    t0 = time.perf_counter()
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - t0
    out = {}
    for u in urls + ["ALL"]:
        xs = sorted(sum(lat.values(), [])) if u == "ALL" else sorted(lat[u])
        err = sum(errors.values()) if u == "ALL" else errors[u]
        q = (lambda p: xs[min(len(xs) - 1, int(p * len(xs)))] * 1000) if xs else (lambda p: float("nan"))
        out[u] = {"n": len(xs), "rps": len(xs) / elapsed, "p50": q(0.50), "p95": q(0.95), "p99": q(0.99),
                  "mean": statistics.fmean(xs) * 1000 if xs else float("nan"), "errors": err}
    return out


def show(title: str, res: dict[str, dict]) -> None:
    print(f"\n{title}")
    print(f"{'url':<44} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for u, r in res.items():
        print(f"{u:<44} {r['n']:>8} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} {r['errors']:>6}")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--baseline-seconds", type=float, default=10)
    ap.add_argument("--threads", type=int, default=8, help="waitress threads")
    a = ap.parse_args()
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"load: {a.clients} concurrent keep-alive clients; server: rawan serve (waitress, {a.threads} threads, SQLite)")
    proc, port, _ = start_server(a.threads)
    try:
        for u in URLS + BASELINE:  # warm-up: map SVG, templates, explain cache
            urllib.request.urlopen(f"http://127.0.0.1:{port}{u}", timeout=300).read()
        base = run(port, BASELINE, a.clients, a.baseline_seconds)
        show(f"baseline: static file, {a.baseline_seconds:.0f} s", base)
        res = run(port, URLS, a.clients, a.seconds)
        show(f"pages: map, ranking, results API, {a.seconds:.0f} s", res)
        allr = res["ALL"]
        print(f"\nthroughput ratio pages/static: {allr['rps'] / base['ALL']['rps']:.2f}; "
              f"p95 ratio: {allr['p95'] / base['ALL']['p95']:.2f}")
        target = all(r["p95"] < 200 for r in res.values()) and allr["errors"] == 0
        print(f"target p95 < 200 ms and zero errors: {'MET' if target else 'NOT MET'}")
        return 0
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


if __name__ == "__main__":
    sys.exit(main())
