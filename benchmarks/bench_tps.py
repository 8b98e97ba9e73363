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

Reading the answers from PostgreSQL is the web app's (tpsweb, benchmarks of rawan.web), not measured here.
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


def main(argv=None) -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--tps", type=int, default=426_000)
    args = ap.parse_args(argv)
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
    load = os.getloadavg()
    print(f"# load after {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (a shared machine: figures vary with load)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
