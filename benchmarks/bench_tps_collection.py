"""Load benchmark of the TPS collection (issue 17): PostgreSQL, `rawan serve --workers 2` (two
gunicorn app-server processes), 500 simulated PKD on this machine, each saving one TPS checklist of
their desa every 5-10 s (think time) for 60 s through the checklist API (the same save path as the
page: save id, base version, row locks, audit log).  Afterwards every acknowledged save is counted
in the database: each must be there exactly once, and each TPS's version must equal the saves
applied to it.  The same run with one app-server process (`--workers 1`) is the baseline beside it.

    RAWAN_TEST_POSTGRES_URL=postgresql://rawan:rawan@127.0.0.1:5432/postgres \\
        .venv/bin/python benchmarks/bench_tps_collection.py [--pkd 500] [--seconds 60] [--port 8200]

Targets: p95 < 300 ms, 0 errors, every acknowledged save present exactly once.  The load generator
(Python threads) shares the machine's CPU with the servers and PostgreSQL: figures are pessimistic
on a small shared machine, which the script reports (CPU count, load average before each run).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SLUG = "contoh-tps-pengumpulan-2026"
DB = "rawan_bench_tps"

SETUP = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
import django; django.setup()
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from rawan.web.accounts.models import ApiToken, Profile
from rawan.web.tps.models import DesaReport, TpsStation
n = int(sys.argv[1])
User = get_user_model()
desa = list(DesaReport.objects.filter(edition__edition__slug="contoh-tps-pengumpulan-2026")
            .order_by("desa_code").values_list("desa_code", flat=True))[:n]
stations = {}
for d, num, v in TpsStation.objects.filter(edition__edition__slug="contoh-tps-pengumpulan-2026", desa_code__in=desa
                                           ).values_list("desa_code", "number", "version"):
    stations.setdefault(d, {})[num] = v
User.objects.bulk_create([User(username=f"bench.pkd{k:04d}", password=make_password(None)) for k in range(n)])
ids = dict(User.objects.filter(username__startswith="bench.pkd").values_list("username", "id"))
Profile.objects.bulk_create([Profile(user_id=ids[f"bench.pkd{k:04d}"], role="pkd", region_code=d)
                             for k, d in enumerate(desa)])
out = []
for k, d in enumerate(desa):
    _, token = ApiToken.issue(User(id=ids[f"bench.pkd{k:04d}"]), "bench")
    out.append({"token": token, "desa": d, "tps": stations[d]})
print(json.dumps(out))
"""

COUNT = r"""
import json, os, sys
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
import django; django.setup()
from django.db.models import Count
from rawan.web.tps.models import TpsSave, TpsStation
acked = json.load(open(sys.argv[1]))
ids = [a["save_id"] for a in acked]
present = {}
for i in range(0, len(ids), 5000):
    for sid, n in (TpsSave.objects.filter(save_id__in=ids[i:i + 5000]).values_list("save_id")
                   .annotate(n=Count("id")).values_list("save_id", "n")):
        present[str(sid)] = n
once = sum(1 for s in ids if present.get(s) == 1)
missing = sum(1 for s in ids if s not in present)
twice = sum(1 for s in ids if present.get(s, 0) > 1)
# each TPS's version = its starting version + the saves applied to it (nothing lost, nothing doubled)
expect = {}
for a in acked:
    key = (a["desa"], a["tps"])
    expect[key] = max(expect.get(key, 0), a["version"])
bad_version = 0
for (d, n), v in expect.items():
    if TpsStation.objects.get(edition__edition__slug="contoh-tps-pengumpulan-2026", desa_code=d, number=n).version != v:
        bad_version += 1
applied_rows = TpsSave.objects.filter(edition__edition__slug="contoh-tps-pengumpulan-2026", outcome="applied").count()
print(json.dumps({"acknowledged": len(ids), "present_once": once, "missing": missing, "duplicated": twice,
                  "tps_version_mismatch": bad_version, "applied_rows_total": applied_rows}))
"""


def pg_admin(url: str, sql: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as c:
        c.execute(sql)


def start_server(env: dict, port: int, workers: int) -> subprocess.Popen:
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port), "--workers", str(workers),
                             "--threads", "8"], env=env, stdout=subprocess.DEVNULL,
                            stderr=open(os.environ.get("BENCH_SERVER_LOG", os.devnull), "ab"), start_new_session=True)
    for _ in range(3000):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/health", timeout=2)
            return proc
        except OSError:
            time.sleep(0.1)
    stop_server(proc)
    raise SystemExit("server did not start")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def warm_up(port: int, pkds: list[dict]) -> None:
    """Each server process loads what a save needs (imports, the model) before the clock starts."""
    def get(me):
        for _ in range(3):
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            c.request("GET", f"/api/tps/editions/{SLUG}/desa/{me['desa']}", headers={"Authorization": f"Bearer {me['token']}"})
            c.getresponse().read()
            c.close()
    ts = [threading.Thread(target=get, args=(me,)) for me in pkds[:16]]
    for t in ts:
        t.start()
    for t in ts:
        t.join()


def load(port: int, pkds: list[dict], seconds: float, seed: int) -> dict:
    """Each PKD: a keep-alive connection; wait 5-10 s, save one of their TPS on the version it knows."""
    rng = random.Random(seed)
    lat, acked, errors = [], [], []
    lock = threading.Lock()
    start = threading.Barrier(len(pkds) + 1)
    t_end = [0.0]
    codes = [f"i{k:02d}" for k in range(1, 26)]

    def pkd(k: int, me: dict, r: random.Random):
        start.wait()
        time.sleep(r.uniform(0, 10))  # the first saves spread over the first think time
        while time.perf_counter() < t_end[0]:
            number = r.choice(sorted(me["tps"], key=int))
            answers = sorted(r.sample(codes, r.randint(0, 4)))
            body = json.dumps({"save_id": str(uuid.uuid4()), "base_version": me["tps"][number],
                               "answers": answers, "notes": {a: f"catatan bench {a}" for a in answers}})
            url = f"/api/tps/editions/{SLUG}/desa/{me['desa']}/tps/{number}"
            t0 = time.perf_counter()
            # a new connection per save, as a phone after 5-10 s of thought (servers close idle ones)
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            try:
                conn.request("POST", url, body=body, headers={"Authorization": f"Bearer {me['token']}",
                                                              "Content-Type": "application/json"})
                resp = conn.getresponse()
                doc = json.loads(resp.read() or b"{}")
                dt = time.perf_counter() - t0
                if resp.status == 200 and doc.get("outcome") == "applied":
                    me["tps"][number] = doc["version"]
                    with lock:
                        lat.append(dt)
                        acked.append({"save_id": doc["save_id"], "desa": me["desa"], "tps": int(number),
                                      "version": doc["version"]})
                else:
                    with lock:
                        errors.append(f"{resp.status} {str(doc)[:120]}")
            except (OSError, http.client.HTTPException, ValueError) as e:
                with lock:
                    errors.append(repr(e)[:120])
            finally:
                conn.close()
            time.sleep(r.uniform(5, 10))

    ts = [threading.Thread(target=pkd, args=(k, me, random.Random(rng.random())), daemon=True)
          for k, me in enumerate(pkds)]
    for t in ts:
        t.start()
    t_end[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - t0
    xs = sorted(lat)

    def q(p):
        return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")

    return {"saves": len(xs), "per_s": len(xs) / elapsed, "p50": q(0.5), "p95": q(0.95), "p99": q(0.99),
            "max": xs[-1] * 1000 if xs else float("nan"), "errors": len(errors), "error_kinds": sorted(set(errors))[:5],
            "acked": acked}


def count(env: dict, acked: list[dict]) -> dict:
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(acked, f)
    try:
        out = subprocess.run([sys.executable, "-c", COUNT, f.name], env=env, check=True, capture_output=True, text=True)
    finally:
        os.unlink(f.name)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--pkd", type=int, default=500)
    ap.add_argument("--seconds", type=float, default=60)
    ap.add_argument("--port", type=int, default=8200)
    ap.add_argument("--workers", default="2,1", help="app-server process counts to run, in order (default 2,1)")
    args = ap.parse_args()
    base = os.environ.get("RAWAN_TEST_POSTGRES_URL", "postgresql://rawan:rawan@127.0.0.1:5432/postgres")
    url = base.rsplit("/", 1)[0] + "/" + DB
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPU, Python {platform.python_version()}")
    pg_admin(base, f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
    pg_admin(base, f"CREATE DATABASE {DB}")
    data = tempfile.mkdtemp(prefix="rawan-bench-tps-")
    env = {k: v for k, v in os.environ.items() if k not in ("RAWAN_CACHE_URL",)}
    env.update(DATABASE_URL=url, RAWAN_DATA_DIR=data, RAWAN_SECRET_KEY="bench-tps-" + "s3cr3t" * 10,
               DJANGO_SETTINGS_MODULE="rawan.web.settings", RAWAN_CONNECTION_LIMIT="1000")
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo"], env=env, check=True, stdout=subprocess.DEVNULL)
        out = subprocess.run([sys.executable, "-c", SETUP, str(args.pkd)], env=env, check=True, capture_output=True,
                             text=True)
        pkds = json.loads(out.stdout)
        print(f"setup: demo on PostgreSQL + {len(pkds)} PKD accounts with tokens in {time.perf_counter() - t0:.0f} s")
        results = {}
        for seed, workers in enumerate(int(w) for w in args.workers.split(",")):
            proc = start_server(env, args.port, workers)
            try:
                warm_up(args.port, pkds)
                load_avg = os.getloadavg()
                res = load(args.port, pkds, args.seconds, seed)
            finally:
                stop_server(proc)
            res["check"] = count(env, res.pop("acked"))
            res["load_before"] = load_avg
            results[workers] = res
        print(f"\n{args.pkd} PKD, think time 5-10 s, {args.seconds:.0f} s, PostgreSQL, gunicorn --threads 8")
        print(f"{'app processes':>14} {'saves':>6} {'saves/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} {'max ms':>7} "
              f"{'errors':>6} {'once':>6} {'missing':>7} {'dup':>4} {'ver!=':>5}  load before")
        for w, r in results.items():
            c = r["check"]
            print(f"{w:>14} {r['saves']:>6} {r['per_s']:>8.1f} {r['p50']:>7.0f} {r['p95']:>7.0f} {r['p99']:>7.0f} "
                  f"{r['max']:>7.0f} {r['errors']:>6} {c['present_once']:>6} {c['missing']:>7} {c['duplicated']:>4} "
                  f"{c['tps_version_mismatch']:>5}  {' '.join(f'{x:.2f}' for x in r['load_before'])}")
            for e in r["error_kinds"]:
                print(f"{'':>14} error: {e}")
        if set(results) != {1, 2}:
            return
        two, one = results[2], results[1]
        ok = (two["p95"] < 300 and two["errors"] == 0 and two["check"]["present_once"] == two["saves"]
              and not two["check"]["tps_version_mismatch"])
        print(f"\np95 two processes / one process: {two['p95'] / one['p95']:.2f}")
        print(f"target (two processes: p95 < 300 ms, 0 errors, every acknowledged save once): {'MET' if ok else 'NOT MET'}")
    finally:
        pg_admin(base, f"DROP DATABASE IF EXISTS {DB} WITH (FORCE)")
        import shutil

        shutil.rmtree(data, ignore_errors=True)


if __name__ == "__main__":
    main()
