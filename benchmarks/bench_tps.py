"""Benchmark of rawan.tps at national scale against plain pandas in the same run.

Run from the repository root:

    .venv/bin/python benchmarks/bench_tps.py            # 426,000 TPS (Pilkada 2024, all Indonesia)
    .venv/bin/python benchmarks/bench_tps.py --tps 50000

Targets (issue 16): import of a 426,000-TPS KPU-style list under 10 s; 426,000 x 25 answers aggregated
to every level (desa, kecamatan, kab/kota, province, nation) under 1 s from the in-memory table; a kab/kota
police list PDF of about 1,000 TPS under 5 s.  The data are the seeded synthetic national registry
(rawan.demo.tps.national, DATA CONTOH) over the 83,762 desa of the shipped region list.

Baselines, what one would write without rawan:

* import: ``pandas.read_csv``, region membership by ``isin`` against the region list, TPS numbers and DPT
  by ``pd.to_numeric``, duplicates by ``duplicated``;
* aggregate: a pandas frame of the answers (one row per TPS, one bool column per indicator, the desa code),
  ``groupby(desa).sum()`` of the indicators, the TPS rawan and the TPS count, then ``groupby`` of the code
  prefixes for kecamatan, kab/kota and province, and the national sum.

Reading the answers from the web app's database (``--database``, on by default): the same national registry and
checklists stored in a TPS edition (``rawan.web.tps.data.store_registry``), then read back as the web app reads
them for every count table, list and map (``rawan.web.tps.data.checklist_of``: the TPS rows with their answers
into the package's Registry and Checklist), counted to every level (``count_tps``) and turned into a kab/kota
police list (``tps_list``).  Once on PostgreSQL (``RAWAN_TEST_POSTGRES_URL``, a scratch database
``field_bench_tps`` created and dropped by the run) and once on SQLite (a file in a temporary folder), each in its
own process, in the same run: the SQLite figure is the comparison.

    RAWAN_TEST_POSTGRES_URL=postgresql://rawan:rawan@127.0.0.1:5432/postgres .venv/bin/python benchmarks/bench_tps.py
    .venv/bin/python benchmarks/bench_tps.py --only-database --tps 50000
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

try:
    import rawan  # noqa: F401
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))


def best(fn, repeat=3):
    times, out = [], None
    for _ in range(repeat):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


def baseline_import(path: Path, desa_codes: set):
    import pandas as pd

    df = pd.read_csv(path, dtype=str, keep_default_na=False)
    ok = df["kode_desa"].isin(desa_codes)
    tps = pd.to_numeric(df["tps"], errors="coerce")
    dpt = pd.to_numeric(df["dpt"], errors="coerce")
    dup = df.duplicated(["kode_desa", "tps"])
    assert ok.all() and tps.notna().all() and dpt.notna().all() and not dup.any()
    return df


def baseline_aggregate(frame):
    out = {}
    cols = [c for c in frame.columns if c.startswith("i")]
    frame = frame.assign(rawan=frame[cols].any(axis=1), n=1)
    desa = frame.groupby("desa")[cols + ["rawan", "n"]].sum()
    out["desa_kelurahan"] = desa
    for level, k in (("kecamatan", 8), ("kabupaten_kota", 5), ("provinsi", 2)):
        out[level] = desa.groupby(desa.index.str[:k]).sum()
    out["nasional"] = desa.sum()
    return out


PG_DB = "field_bench_tps"


def database_worker(n_tps: int) -> dict:
    """In a process of its own (DATABASE_URL set by the caller): migrate, store the national registry
    and checklists in one TPS edition, then time the web app's reads."""
    import json

    os.environ["DJANGO_SETTINGS_MODULE"] = "rawan.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    from rawan.demo.tps import national
    from rawan.regions import load_regions
    from rawan.reports.tps import tps_list
    from rawan.tps import count_tps
    from rawan.web.editions.models import Edition, Status
    from rawan.web.tps.data import checklist_of, store_registry
    from rawan.web.tps.models import TpsEdition
    from rawan.web.tps.services import freeze_tps_model

    reg, cl = national(n_tps=n_tps)
    ed = Edition(slug="bench-tps-nasional", title="DATA CONTOH: TPS nasional", status=Status.PUBLISHED,
                 level="desa_kelurahan", scope_code="", regions=[], synthetic=True)
    model = freeze_tps_model(ed, "tps-pilkada-2024")
    ed.save()
    tps = TpsEdition.objects.create(edition=ed, election=model.election.code)
    t = time.perf_counter()
    store_registry(tps, reg, {}, cl)
    stored = time.perf_counter() - t
    if connection.vendor == "postgresql":
        with connection.cursor() as cur:
            cur.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load
    expected = count_tps(cl)
    t_read, got = best(lambda: checklist_of(tps), 3)
    assert int(got.answered.sum()) == int(cl.answered.sum())
    t_count, counts = best(lambda: count_tps(checklist_of(tps)), 2)
    nat, exp = counts.region("ID"), expected.region("ID")
    assert (nat.n_tps, nat.rawan) == (exp.n_tps, exp.rawan) and (nat.indicators == exp.indicators).all()
    regions = load_regions(province="*")
    kab = counts.level("kabupaten_kota")
    code = kab.codes[int(np.argmin(np.abs(kab.rawan - 1000)))]
    t_list, lst = best(lambda: tps_list(checklist_of(tps), regions, region=code), 2)
    out = {"vendor": connection.vendor, "stored": stored, "read": t_read, "count": t_count, "list": t_list,
           "list_code": code, "list_rows": len(lst.rows), "tps": len(reg)}
    print(json.dumps(out))
    return out


def part_database(n_tps: int) -> None:
    """The database read on PostgreSQL and on SQLite, each in its own process, in this run."""
    import json
    import subprocess
    from urllib.parse import urlsplit, urlunsplit

    runs = []
    base = os.environ.get("RAWAN_TEST_POSTGRES_URL")
    with tempfile.TemporaryDirectory() as tmp:
        targets = [("SQLite", f"sqlite:///{tmp}/bench.sqlite3", None)]
        if base:
            import psycopg

            parts = urlsplit(base)
            pg_url = urlunsplit(parts._replace(path="/" + PG_DB))
            targets.insert(0, ("PostgreSQL", pg_url, base))
        else:
            print("database read: RAWAN_TEST_POSTGRES_URL is not set, PostgreSQL not measured")
        for label, url, admin in targets:
            if admin:
                with psycopg.connect(admin, autocommit=True) as con:
                    con.execute(f"DROP DATABASE IF EXISTS {PG_DB}")
                    con.execute(f"CREATE DATABASE {PG_DB}")
            env = {**os.environ, "DATABASE_URL": url, "RAWAN_DATA_DIR": tmp,
                   "RAWAN_SECRET_KEY": "bench-secret-key-" + "x1y2z3" * 10}
            try:
                out = subprocess.run([sys.executable, __file__, "--database-worker", "--tps", str(n_tps)], env=env,
                                     capture_output=True, text=True)
                if out.returncode:
                    raise SystemExit(f"{label} worker failed:\n{out.stderr[-3000:]}")
                runs.append((label, json.loads(out.stdout.strip().splitlines()[-1])))
            finally:
                if admin:
                    with psycopg.connect(admin, autocommit=True) as con:
                        con.execute(f"DROP DATABASE IF EXISTS {PG_DB} WITH (FORCE)")
    sqlite = dict(runs)["SQLite"]
    for label, r in runs:
        vs = "" if label == "SQLite" else (f"  (PostgreSQL / SQLite: read {r['read'] / sqlite['read']:.2f}x, "
                                           f"counts {r['count'] / sqlite['count']:.2f}x, list {r['list'] / sqlite['list']:.2f}x)")
        print(f"database read, {label}: {r['tps']:,} TPS with their answers read into the package's tables "
              f"{r['read']:.2f} s; read + counted to every level {r['count']:.2f} s; read + police list of "
              f"{r['list_code']} ({r['list_rows']:,} TPS rawan) {r['list']:.2f} s; stored once in {r['stored']:.0f} s"
              + vs)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tps", type=int, default=426_000)
    ap.add_argument("--no-database", action="store_true", help="skip the read from PostgreSQL and SQLite")
    ap.add_argument("--only-database", action="store_true", help="only the read from PostgreSQL and SQLite")
    ap.add_argument("--database-worker", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.database_worker:
        database_worker(args.tps)
        return 0
    if args.only_database:
        load = os.getloadavg()
        print(f"# bench_tps (database read)  {platform.platform()}  python {platform.python_version()}  "
              f"cpus {os.cpu_count()}  load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
        part_database(args.tps)
        load = os.getloadavg()
        print(f"# load after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (a shared machine: figures vary with load)")
        return 0
    import pandas as pd

    from rawan.demo.tps import national
    from rawan.regions import load_regions
    from rawan.reports.tps import tps_list, write_tps_list
    from rawan.tps import Checklist, count_tps, load_tps_model
    from rawan.tps.registry_import import import_registry, registry_frame

    load = os.getloadavg()
    print(f"# bench_tps  {platform.platform()}  python {platform.python_version()}  cpus {os.cpu_count()}  "
          f"load {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    t = time.perf_counter()
    reg, cl = national(n_tps=args.tps)
    print(f"synthetic national registry: {len(reg):,} TPS over {len(reg.desa_codes):,} desa, "
          f"{int(cl.answered.sum()):,} answered ({time.perf_counter() - t:.1f} s, DATA CONTOH)")
    model = load_tps_model("tps-pilkada-2024")
    regions = load_regions(province="*")
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "daftar-tps.csv"
        registry_frame(reg).to_csv(path, index=False)
        size = path.stat().st_size / 1e6
        desa_set = set(r.code for r in regions.at_level("desa_kelurahan"))
        t_base, _ = best(lambda: baseline_import(path, desa_set), 2)
        t_ours, res = best(lambda: import_registry(path, model, regions), 2)
        assert len(res.registry) == len(reg)
        print(f"import {len(reg):,} TPS ({size:.0f} MB CSV): rawan {t_ours:.2f} s (target < 10 s: "
              f"{'met' if t_ours < 10 else 'NOT met'}); pandas baseline {t_base:.2f} s; ratio {t_ours / t_base:.2f}x")

    # aggregation from the in-memory checklist (answers matrix aligned with the registry)
    frame = pd.DataFrame(cl.answers, columns=model.indicator_codes)
    frame["desa"] = np.asarray(reg.desa_codes, dtype=object)[reg.desa_index]
    t_base, base = best(lambda: baseline_aggregate(frame), 3)
    t_ours, counts = best(lambda: count_tps(cl), 5)
    nat = counts.region("ID")
    assert nat.n_tps == int(base["nasional"]["n"]) and nat.rawan == int(base["nasional"]["rawan"])
    assert (nat.indicators == base["nasional"][model.indicator_codes].to_numpy()).all()
    print(f"aggregate {len(reg):,} x {len(model.indicators)} answers to every level: rawan {t_ours:.3f} s "
          f"(target < 1 s: {'met' if t_ours < 1 else 'NOT met'}; also counts variables and >= k variables); "
          f"pandas groupby {t_base:.3f} s; ratio {t_ours / t_base:.2f}x")
    table = cl.to_table()
    t_tab, _ = best(lambda: count_tps(Checklist.from_table(model, reg, table)), 2)
    print(f"  from the long answer table ({table.num_rows:,} rows, CHECKLIST_SCHEMA) to every level: {t_tab:.2f} s")

    # police list PDF of a kab/kota with about 1,000 TPS rawan
    kab = counts.level("kabupaten_kota")
    k = int(np.argmin(np.abs(kab.rawan - 1000)))
    code = kab.codes[k]
    with tempfile.TemporaryDirectory() as tmp:
        def pdf():
            lst = tps_list(cl, regions, region=code)
            write_tps_list(lst, Path(tmp) / "daftar.pdf", date="2024-11-16")
            return lst
        t_pdf, lst = best(pdf, 2)
        print(f"police list PDF of {code} ({len(lst.rows):,} TPS rawan): {t_pdf:.2f} s "
              f"(target < 5 s: {'met' if t_pdf < 5 else 'NOT met'})")
    if not args.no_database:
        part_database(args.tps)
    load = os.getloadavg()
    print(f"# load after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (a shared machine: figures vary with load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
