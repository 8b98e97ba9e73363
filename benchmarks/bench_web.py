"""Load benchmark of the web app under real use: the production server with the Jambi demo loaded,
concurrent keep-alive clients on this machine, every scenario of issue 15 in one run.

    .venv/bin/python benchmarks/bench_web.py                  # every scenario, 30 s each (~8 min)
    .venv/bin/python benchmarks/bench_web.py --seconds 10     # quick look
    .venv/bin/python benchmarks/bench_web.py --only public,viewer

Scenarios (targets from issue 15):

public     50 anonymous clients on the map, ranking and results API of the published edition.
           Baseline in the same run: the same load on **wave 1's code** (git commit WAVE1, its
           in-process page cache, `rawan serve` with waitress), extracted from this repository's
           history into a temporary folder and served by the same Python.  Then today's code under
           the same waitress server, and under `rawan serve --workers 2` (gunicorn).
           Target: throughput not below wave 1's.
bust       50 anonymous clients, every request with a random `?r=...` (cache-busting).  p95 < 200 ms.
viewer     50 clients logged in as the viewer (pemantau), map, ranking and region pages of the
           published edition (never served from the anonymous page cache).  p95 < 300 ms.
operators  20 operators saving their kecamatan's entry form (61 values) while the admin recomputes
           the training edition in a loop (wave 1: the POST computes; today: the POST queues the job,
           a worker beside the server (`rawan serve --worker`) computes, and the admin's page polls
           every 0.5 s until it is done).  p95 of the saves < 300 ms.
           `--db-url postgresql://rawan:rawan@127.0.0.1:5432/worker_bench` runs bust/viewer/operators/
           many on PostgreSQL (a fresh database of that name per server, dropped after).
many       500 anonymous clients on two server processes (gunicorn --workers 2).  0 errors.
inproc     the server's own cost of a cached public page: the WSGI application called in-process
           (no sockets, no load generator), wave 1's code and today's alternated, best of 15 rounds.

The load generator (Python threads) runs on the same machine as the server and competes with it
for the CPU; on a shared 2-core machine the figures are noisy and pessimistic.  The script prints
the machine, its load average before the run, and every figure with the target it is held to.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import platform
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WAVE1 = "653e84a"  # main at the start of issue 15: in-process page cache, waitress only
SLUG = "contoh-ikp-2024-jambi"
TRAIN = "contoh-latihan-2026"
PUBLIC = [f"/e/{SLUG}/", f"/e/{SLUG}/peringkat/", f"/api/editions/{SLUG}/results"]
STATIC = ["/static/rawan/rawan.css"]  # the same server's own overhead (middleware), for comparison
VIEWER = [f"/e/{SLUG}/", f"/e/{SLUG}/peringkat/", f"/e/{SLUG}/wilayah/15.01/", f"/e/{SLUG}/wilayah/15.71/"]

SETUP = r"""
import json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
import django; django.setup()
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
from rawan.web.accounts.models import Profile
from rawan.web.editions.create import _scope_regions
from rawan.web.editions.models import Edition, Status
Store = import_module(settings.SESSION_ENGINE).SessionStore
User = get_user_model()

def session(user):
    s = Store()
    s[SESSION_KEY] = str(user.pk)
    s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    s[HASH_SESSION_KEY] = user.get_session_auth_hash()
    s.create()
    return s.session_key

train = Edition.objects.get(slug="contoh-latihan-2026")
units = _scope_regions("kecamatan", "15.01")
kec = Edition.objects.create(slug="bench-kerinci-kecamatan", title="DATA CONTOH bench kecamatan Kerinci",
                             status=Status.COLLECTING, synthetic=True, level="kecamatan", scope_code="15.01",
                             regions=units, model_id=train.model_id, model_yaml=train.model_yaml,
                             model_sha256=train.model_sha256)
operators = []
for k in range(20):
    u, _ = User.objects.get_or_create(username=f"bench.operator{k:02d}")
    Profile.objects.update_or_create(user=u, defaults={"role": "operator", "region_code": "15.01"})
    operators.append({"session": session(u), "region": units[k % len(units)][0]})
viewer = User.objects.get(username="pemantau")
admin = User.objects.get(username="admin.provinsi")
print(json.dumps({"viewers": [session(viewer) for _ in range(50)], "operators": operators,
                  "admin": session(admin), "kecamatan": kec.slug}))
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """A data directory with the demo loaded, and `rawan serve` on it (started and stopped at will)."""

    def __init__(self, src: Path | None = None, db_url: str | None = None):
        self.data = tempfile.mkdtemp(prefix="rawan-bench-web-")
        self.env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "RAWAN_CACHE_URL")}
        self.env.update(RAWAN_DATA_DIR=self.data, RAWAN_SECRET_KEY="bench-web-" + "s3cr3t" * 10)
        if src is not None:  # another version of rawan (wave 1), ahead of the installed one
            self.env["PYTHONPATH"] = str(src)
        self.db_url = db_url
        if db_url:  # a fresh PostgreSQL database of that name for this server (dropped at close)
            self._pg("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", "CREATE DATABASE \"{name}\"")
            self.env["DATABASE_URL"] = db_url
        # today's code runs the admin's computation in a worker beside the server (`--worker`)
        self.worker = src is None
        subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo"], env=self.env, check=True,
                       stdout=subprocess.DEVNULL)
        self.proc = None

    def _pg(self, *statements: str) -> None:
        import psycopg
        from urllib.parse import urlsplit

        u = urlsplit(self.db_url)
        with psycopg.connect(host=u.hostname, port=u.port or 5432, user=u.username, password=u.password,
                             dbname="postgres", autocommit=True) as conn:
            for st in statements:
                conn.execute(st.format(name=u.path.lstrip("/")))

    def setup_users(self) -> dict:
        out = subprocess.run([sys.executable, "-c", SETUP], env=self.env, check=True, capture_output=True, text=True)
        return json.loads(out.stdout)

    def start(self, *args: str) -> int:
        self.port = free_port()
        extra = ("--worker",) if self.worker else ()
        self.proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(self.port), *extra, *args],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                     start_new_session=True)
        _WORKER[self.port] = self.worker
        for _ in range(3000):  # the server loads the map boundaries before it listens
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{self.port}/", timeout=2)
                return self.port
            except OSError:
                time.sleep(0.1)
        self.stop()
        raise SystemExit("server did not start")

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc = None

    def close(self) -> None:
        self.stop()
        shutil.rmtree(self.data, ignore_errors=True)
        if self.db_url:
            self._pg("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)")


# ---- the load generator --------------------------------------------------------------------------

def run(port: int, clients: int, seconds: float, request, label: str = "ALL") -> dict:
    """``clients`` threads, each on one keep-alive connection, calling ``request(k, i)`` ->
    (method, url, body, headers, ok_statuses) until the time is up."""
    lat: list[float] = []
    errors = [0]
    lock = threading.Lock()
    start = threading.Barrier(clients + 1)
    stop = [0.0]

    def client(k: int):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine, bad, i = [], 0, 0
        start.wait()
        while time.perf_counter() < stop[0]:
            method, url, body, headers, ok_statuses = request(k, i)
            i += 1
            t0 = time.perf_counter()
            try:
                conn.request(method, url, body=body, headers=headers)
                r = conn.getresponse()
                r.read()
                ok = r.status in ok_statuses
                if r.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                ok = False
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            if ok:
                mine.append(time.perf_counter() - t0)
            else:
                bad += 1
        conn.close()
        with lock:
            lat.extend(mine)
            errors[0] += bad

    ts = [threading.Thread(target=client, args=(k,), daemon=True) for k in range(clients)]
    for t in ts:
        t.start()
    stop[0] = time.perf_counter() + seconds
    t0 = time.perf_counter()
    start.wait()
    for t in ts:
        t.join()
    elapsed = time.perf_counter() - t0
    xs = sorted(lat)

    def q(p):
        return xs[min(len(xs) - 1, int(p * len(xs)))] * 1000 if xs else float("nan")

    return {"label": label, "n": len(xs), "rps": len(xs) / elapsed, "p50": q(0.50), "p95": q(0.95),
            "p99": q(0.99), "errors": errors[0]}


def get(urls, cookie: str | None = None, bust: bool = False):
    headers = {"Cookie": cookie} if cookie else {}

    def request(k, i):
        url = urls[(k + i) % len(urls)]
        if bust:
            url += f"?r={random.random()}"
        return "GET", url, None, headers, (200,)
    return request


def show(title: str, rows: list[dict], target: str = "") -> None:
    print(f"\n{title}")
    print(f"  {'':<34} {'requests':>8} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8} {'errors':>6}")
    for r in rows:
        print(f"  {r['label']:<34} {r['n']:>8} {r['rps']:>8.1f} {r['p50']:>8.1f} {r['p95']:>8.1f} {r['p99']:>8.1f} "
              f"{r['errors']:>6}")
    if target:
        print(f"  {target}")


def warm(port: int, urls: list[str], cookie: str | None = None) -> None:
    for u in urls:
        req = urllib.request.Request(f"http://127.0.0.1:{port}{u}", headers={"Cookie": cookie} if cookie else {})
        urllib.request.urlopen(req, timeout=600).read()
    # today's code: the robustness figures (ranking's stability column) come from the worker; the
    # pages are cached once they are there, so wait for them before measuring
    # (wave 1's code has no worker and no stability column: nothing to wait for)
    deadline = time.monotonic() + 300
    while _WORKER.get(port) and time.monotonic() < deadline:
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/e/{SLUG}/peringkat/", timeout=600).read().decode()
        if "urut=stabilitas" in page:
            break
        time.sleep(1)
    for u in urls:  # into the page cache
        req = urllib.request.Request(f"http://127.0.0.1:{port}{u}", headers={"Cookie": cookie} if cookie else {})
        urllib.request.urlopen(req, timeout=600).read()


_WORKER: dict[int, bool] = {}  # port -> a worker runs beside that server


def csrf(port: int, url: str, session: str) -> tuple[str, str]:
    """(cookie header, form token) for POSTs of a logged-in client."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
    conn.request("GET", url, headers={"Cookie": f"sessionid={session}"})
    r = conn.getresponse()
    html = r.read().decode()
    conn.close()
    cookie = re.search(r"csrftoken=([^;]+)", r.getheader("Set-Cookie") or "")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
    if not cookie or not token:
        raise SystemExit(f"no CSRF token on {url} (status {r.status})")
    return f"sessionid={session}; csrftoken={cookie.group(1)}", token.group(1)


# ---- scenarios -----------------------------------------------------------------------------------

def wave1_source() -> Path | None:
    """Wave 1's src/ from this repository's history, or None outside a git checkout."""
    d = Path(tempfile.mkdtemp(prefix="rawan-wave1-"))
    try:
        archive = subprocess.run(["git", "-C", str(ROOT), "archive", WAVE1, "src"], check=True,
                                 capture_output=True).stdout
        subprocess.run(["tar", "-x", "-C", str(d)], input=archive, check=True)
        return d / "src"
    except (OSError, subprocess.CalledProcessError):
        shutil.rmtree(d, ignore_errors=True)
        return None


def scenario_public(a, results):
    rows = []
    src = wave1_source()
    if src is None:
        print("\npublic: wave 1's code is not available (not a git checkout): no same-run baseline")
    else:
        old = Server(src)
        try:
            port = old.start()
            warm(port, PUBLIC)
            rows.append(run(port, a.clients, a.seconds, get(PUBLIC), "wave 1 (waitress, in-process cache)"))
            rows.append(run(port, a.clients, a.seconds / 4, get(STATIC), "  wave 1: static file (overhead)"))
        finally:
            old.close()
            shutil.rmtree(src.parent, ignore_errors=True)
    new = Server()
    try:
        for label, args in (("now (waitress, cache framework)", ()),
                            ("now (gunicorn --workers 2)", ("--workers", "2"))):
            port = new.start(*args)
            warm(port, PUBLIC)
            rows.append(run(port, a.clients, a.seconds, get(PUBLIC), label))
            rows.append(run(port, a.clients, a.seconds / 4, get(STATIC), "  static file (overhead)"))
            new.stop()
    finally:
        new.close()
    pages = [r for r in rows if "static" not in r["label"]]
    base = pages[0]["rps"] if src is not None else None
    best = max(r["rps"] for r in pages[-2:])
    verdict = (f"target: throughput not below wave 1's: {best:.0f} vs {base:.0f} req/s (ratio {best / base:.2f}) "
               f"{'MET' if best >= base else 'NOT MET'}" if base else "target: no baseline")
    show(f"public: {a.clients} anonymous clients, map + ranking + results API, {a.seconds:.0f} s each", rows, verdict)
    results["public"] = rows


INPROC = r"""
import io, os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
os.environ["RAWAN_ALLOWED_HOSTS"] = "127.0.0.1"
import django; django.setup()
from django.core.handlers.wsgi import WSGIHandler
app = WSGIHandler()
urls = sys.argv[1].split(",")
def call(path):
    env = {"REQUEST_METHOD": "GET", "PATH_INFO": path, "SERVER_NAME": "127.0.0.1", "SERVER_PORT": "80",
           "wsgi.input": io.BytesIO(b""), "wsgi.url_scheme": "http", "QUERY_STRING": "", "HTTP_HOST": "127.0.0.1"}
    status = []
    b"".join(app(env, lambda s, h: status.append(s)))
    assert status[0].startswith("200"), (path, status)
for u in urls:
    call(u)
best = []
for r in range(int(sys.argv[2])):
    t = time.perf_counter()
    for i in range(600):
        call(urls[i % len(urls)])
    best.append((time.perf_counter() - t) / 600 * 1e6)
print(min(best) if best else 0)
"""


def scenario_inproc(a, results):
    """The server's own cost of a cached public page, without sockets or a load generator: the WSGI
    application called in one process, best of several rounds, wave 1's code and today's alternated
    (the machine's other load moves both alike)."""
    src = wave1_source()
    servers = [("now", Server())] + ([("wave 1", Server(src))] if src is not None else [])
    try:
        for _, srv in servers:
            if srv.worker:  # the pages queue their robustness figures; a worker stores them
                subprocess.run([sys.executable, "-c", INPROC, ",".join(PUBLIC), "0"], env=srv.env, check=True,
                               stdout=subprocess.DEVNULL)
                subprocess.run([sys.executable, "-m", "rawan", "worker", "--until-empty"], env=srv.env, check=True,
                               stdout=subprocess.DEVNULL)
        best: dict[str, float] = {}
        for _ in range(3):
            for label, srv in servers:
                out = subprocess.run([sys.executable, "-c", INPROC, ",".join(PUBLIC), "5"], env=srv.env, check=True,
                                     capture_output=True, text=True).stdout
                best[label] = min(best.get(label, 1e9), float(out.strip().splitlines()[-1]))
    finally:
        for _, srv in servers:
            srv.close()
        if src is not None:
            shutil.rmtree(src.parent, ignore_errors=True)
    print("\ninproc: a cached public page (map, ranking, results API) through the WSGI application, "
          "in one process, best of 15 rounds of 600")
    for label, us in best.items():
        print(f"  {label:<10} {us:8.0f} us per request  ({1e6 / us:6.0f} requests/s of one core)")
    if "wave 1" in best:
        print(f"  ratio now / wave 1: {best['now'] / best['wave 1']:.2f} (below 1: today's code is cheaper)")
    results["inproc"] = best


def scenario_rest(a, results, only):
    """bust, viewer, operators on wave 1's code (waitress) and on today's (gunicorn --workers 2),
    in the same run; many on today's only (wave 1 had one process)."""
    src = wave1_source()
    runs = ([("wave 1", src, ())] if src is not None else []) + [("now", None, ("--workers", "2")),
                                                                  ("now, one process", None, ())]
    for label, code, args in runs:
        one = only - {"many"} if code is not None else only
        if label == "now, one process":  # SQLite writers in one process (waitress threads)
            one = only & {"operators"}
            if not one:
                continue
        try:
            _rest(a, results, one, label, code, args)
        finally:
            if code is not None:
                shutil.rmtree(code.parent, ignore_errors=True)
    for name, target in (("bust", 200), ("viewer", 300), ("operators", 300)):
        rows = results.get(name, [])
        for now in rows[1:] if len(rows) >= 2 else []:
            print(f"\n{name}: p95 wave 1 {rows[0]['p95']:.0f} ms -> {now['label'].split(':')[0]} {now['p95']:.0f} ms "
                  f"(ratio {now['p95'] / rows[0]['p95']:.2f}); target < {target} ms: "
                  f"{'MET' if now['p95'] < target and not now['errors'] else 'NOT MET'}")


def _rest(a, results, only, label, src, args):
    srv = Server(src, a.db_url)
    if a.db_url:
        label += ", PostgreSQL"
    try:
        users = srv.setup_users()
        port = srv.start(*args)
        server = "waitress" if not args else "gunicorn --workers 2"
        if "bust" in only:
            warm(port, PUBLIC)
            r = run(port, a.clients, a.seconds, get(PUBLIC, bust=True), f"{label}: ?r=<random> every request")
            show(f"bust: {a.clients} anonymous clients, cache-busting query strings, {label} ({server})", [r])
            results.setdefault("bust", []).append(r)
        if "viewer" in only:
            cookies = [f"sessionid={s}" for s in users["viewers"]]
            warm(port, VIEWER, cookies[0])

            def viewer(k, i):
                return "GET", VIEWER[(k + i) % len(VIEWER)], None, {"Cookie": cookies[k % len(cookies)]}, (200,)

            r = run(port, a.clients, a.seconds, viewer, f"{label}: map, ranking, 2 region pages")
            show(f"viewer: {a.clients} logged-in viewers, {label} ({server})", [r])
            results.setdefault("viewer", []).append(r)
        if "operators" in only:
            kec = users["kecamatan"]
            ops = []
            for o in users["operators"]:
                url = f"/e/{kec}/entri/{o['region']}/"
                cookie, token = csrf(port, url, o["session"])
                ops.append((url, cookie, token))
            admin_cookie, admin_token = csrf(port, f"/e/{TRAIN}/kelola/", users["admin"])
            indicators = [f"i{k:02d}" for k in range(1, 62)]
            stop = threading.Event()
            computes = {"n": 0, "bad": 0}

            def admin_loop():
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
                body = f"csrfmiddlewaretoken={admin_token}&action=compute"
                while not stop.is_set():
                    conn.request("POST", f"/e/{TRAIN}/kelola/aksi/", body=body,
                                 headers={"Cookie": admin_cookie, "Content-Type": "application/x-www-form-urlencoded"})
                    r = conn.getresponse()
                    r.read()
                    if r.status != 302:
                        computes["bad"] += 1
                        continue
                    if not srv.worker:  # wave 1: computed inside the request
                        computes["n"] += 1
                        continue
                    # today: a worker computes; the admin's page reloads itself until the job is done
                    while not stop.is_set():
                        time.sleep(0.5)
                        conn.request("GET", f"/e/{TRAIN}/kelola/", headers={"Cookie": admin_cookie})
                        page = conn.getresponse().read().decode()
                        if 'http-equiv="refresh"' not in page:
                            computes["n" if "job-done" in page else "bad"] += 1
                            break

            def save(k, i):
                url, cookie, token = ops[k]
                values = "&".join(f"v_{c}={random.randint(0, 9)}&n_{c}=bench" for c in indicators)
                body = f"csrfmiddlewaretoken={token}&action=save&{values}"
                return "POST", url, body, {"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded"}, (302,)

            t = threading.Thread(target=admin_loop, daemon=True)
            t.start()
            r = run(port, len(ops), a.seconds, save, f"{label}: save the entry form (61 values)")
            stop.set()
            t.join(timeout=120)
            show(f"operators: {len(ops)} operators saving while the admin computes ({computes['n']} computes, "
                 f"{computes['bad']} refused), {label} ({server})", [r])
            results.setdefault("operators", []).append(r)
        if "many" in only:
            warm(port, PUBLIC)
            r = run(port, 500, a.seconds, get(PUBLIC + [f"/e/{SLUG}/wilayah/15.01/"]), "500 clients, public pages")
            show("many: 500 anonymous clients on two server processes (gunicorn --workers 2)", [r],
                 f"target 0 errors: {'MET' if r['errors'] == 0 else 'NOT MET'}")
            results["many"] = [r]
    finally:
        srv.close()


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--clients", type=int, default=50)
    ap.add_argument("--seconds", type=float, default=30)
    ap.add_argument("--only", default="inproc,public,bust,viewer,operators,many")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--db-url", help="run bust/viewer/operators/many on PostgreSQL: a database of this name is "
                                     "created fresh for each server and dropped after, e.g. "
                                     "postgresql://rawan:rawan@127.0.0.1:5432/worker_bench (default: SQLite)")
    a = ap.parse_args()
    only = set(a.only.split(","))
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("?",)
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()}, "
          f"load average before the run {load[0]:.2f}" if load[0] != "?" else "")
    print("load generator: Python threads on the same machine (they compete with the server for the CPU)")
    results: dict = {}
    if "inproc" in only:
        scenario_inproc(a, results)
    if "public" in only:
        scenario_public(a, results)
    if only & {"bust", "viewer", "operators", "many"}:
        scenario_rest(a, results, only)
    if a.json:
        Path(a.json).write_text(json.dumps(results, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
