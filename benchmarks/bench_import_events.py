"""Benchmark of the whole `rawan import` command on 1,000,000 events against a bare pyarrow pipeline.

Run from the repository root:

    .venv/bin/python benchmarks/bench_import_events.py            # 1,000,000 events, best of 3
    .venv/bin/python benchmarks/bench_import_events.py --quick    # 200,000 events, best of 2
    .venv/bin/python benchmarks/bench_import_events.py --profile  # + cProfile of one rawan run

Inputs are generated at run time (fixed seed, bench_intake.make_events): a ';' CSV of events
(kode_wilayah at desa level, indikator, tingkat, tanggal, sumber, uraian) over the desa of Jambi and
the region list they are checked against (jambi-wilayah.csv, or a synthetic list of the same shape).

Both sides run as whole processes (start-up and imports count):

* rawan:    ``python -m rawan import kejadian.csv --model ikp-2024 --regions wilayah.csv
            --level kabupaten_kota --out data.parquet`` — every row checked (code shape and membership,
            indicator, severity, date, source), all or nothing, summed per kab/kota x indicator;
* baseline: ``pyarrow.csv.read_csv`` -> codes checked against the region list (``is_in``) -> severity
            mapped to its weight -> kab/kota prefix -> ``group_by([kab, indicator]).sum`` -> Parquet.
            Its total is checked against rawan's.

Target (issue 14): rawan within 2x of the baseline.
"""

from __future__ import annotations

import argparse
import csv
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
TARGET = 2.0

BASELINE = r'''
import sys, pyarrow as pa, pyarrow.csv as pacsv, pyarrow.compute as pc, pyarrow.parquet as pq
data, regions, out = sys.argv[1:4]
t = pacsv.read_csv(data, parse_options=pacsv.ParseOptions(delimiter=";"),
                   convert_options=pacsv.ConvertOptions(column_types={"kode_wilayah": pa.string()}))
known = pacsv.read_csv(regions, convert_options=pacsv.ConvertOptions(column_types={"code": pa.string()})).column("code")
code = t.column("kode_wilayah")
if not pc.all(pc.is_in(code, value_set=known)).as_py():
    raise SystemExit("unknown region code")
weights = pa.array([1.0, 2.0, 3.0])
w = pc.take(weights, pc.index_in(t.column("tingkat"), value_set=pa.array(["ringan", "sedang", "berat"])))
if w.null_count:
    raise SystemExit("unknown severity")
kab = pc.utf8_slice_codeunits(code, 0, 5)
g = pa.table({"kab": kab, "indikator": t.column("indikator"), "w": w}).group_by(["kab", "indikator"]).aggregate([("w", "sum")])
pq.write_table(g, out)
print(pc.sum(g.column("w_sum")).as_py())
'''


def region_list(path: Path, codes: list[str]) -> None:
    """A region list (code, name, level, parent) holding the events' desa and their parents."""
    rows = {}
    for c in codes:
        parts = c.split(".")
        for k, level in ((1, "provinsi"), (2, "kabupaten_kota"), (3, "kecamatan"), (4, "desa_kelurahan")):
            code = ".".join(parts[:k])
            rows.setdefault(code, (code, f"Wilayah {code}", level, ".".join(parts[: k - 1])))
    with open(path, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "level", "parent"])
        w.writerows(sorted(rows.values()))


def timed(cmd: list[str], env: dict) -> tuple[tuple[float, float], str]:
    """((wall seconds, CPU seconds of the child), its stdout)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    out = subprocess.run(cmd, check=True, env=env, capture_output=True, text=True).stdout
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)), out


def main() -> None:
    import bench_intake as B

    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()
    n = 200_000 if args.quick else 1_000_000
    repeats = 2 if args.quick else 3
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    py = sys.executable
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="rawan-bench-events-") as tmp:
        tmp = Path(tmp)
        events, regions = tmp / "kejadian.csv", tmp / "wilayah.csv"
        B.make_events(events, tmp / "kejadian.parquet", n)
        with open(events, encoding="utf-8") as f:
            next(f)
            codes = sorted({line.split(";", 1)[0] for line in f})
        if B.WILAYAH.exists():
            regions.write_bytes(B.WILAYAH.read_bytes())
        else:
            region_list(regions, codes)
        print(f"input: {n:,} events over {len(codes):,} desa, {events.stat().st_size / 1e6:.1f} MB CSV")
        script = tmp / "baseline.py"
        script.write_text(BASELINE, encoding="utf-8")
        rawan_cmd = [py, "-m", "rawan", "import", str(events), "--model", "ikp-2024", "--regions", str(regions),
                     "--level", "kabupaten_kota", "--out", str(tmp / "rawan.parquet")]
        base_cmd = [py, str(script), str(events), str(regions), str(tmp / "base.parquet")]
        times = {"rawan": [], "baseline": []}
        for _ in range(repeats):
            dt, total = timed(base_cmd, env)
            times["baseline"].append(dt)
            times["rawan"].append(timed(rawan_cmd, env)[0])
        import numpy as np
        import pyarrow.parquet as pq

        ours = pq.read_table(tmp / "rawan.parquet")
        ours_total = float(np.nansum([np.nansum(ours.column(c).to_numpy(zero_copy_only=False).astype(float))
                                      for c in ours.column_names if c.startswith("i")]))
        assert abs(ours_total - float(total)) < 1e-6, (ours_total, total)
        print(f"check: the same total severity weight ({ours_total:,.0f}) in rawan's and the baseline's output")
        from bench_compute_cli import report

        report(times, TARGET)
        if args.profile:
            prof = tmp / "import.prof"
            subprocess.run([py, "-m", "cProfile", "-o", str(prof), *rawan_cmd[1:]], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            import pstats

            pstats.Stats(str(prof)).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
