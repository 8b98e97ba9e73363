"""Benchmark of the published reports: seconds and size for the 11-kab/kota and 144-kecamatan demo.

Run from the repository root:

    .venv/bin/python benchmarks/bench_reports.py            # 3 repeats each
    .venv/bin/python benchmarks/bench_reports.py --quick    # 1 repeat

Data: the seeded synthetic Jambi demo (``rawan demo build``), kab/kota and, when
../shared/data is present, kecamatan; maps are drawn from ../shared/data.

Each report is made the way a user makes it: ``rawan report ...`` in a fresh process
(imports, read data, compute, explain every region, maps, typeset, write).  A fresh
process matters: typst memoises layout inside a process, so a second PDF of the same
document in one process takes a fraction of the first.  Reported: median wall time
and the median CPU time (user + sys of the child, all threads) — on this shared
machine CPU time is the steadier figure.  Baseline in the same run: ``rawan compute``
(compute + CSV) in a fresh process, so the ratio says what the report costs on top of
the numbers.  Targets (issue 6, on 2 cores): the 144-region PDF in < 10 s and < 10 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = (ROOT / ".." / "shared" / "data").resolve()
TARGET_S = 10.0
TARGET_MB = 10.0
DATE = "2024-08-31"


def run(args: list[str], repeats: int) -> tuple[float, float]:
    """Median wall and CPU seconds of ``rawan <args>`` in fresh processes."""
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        t = time.perf_counter()
        subprocess.run([sys.executable, "-m", "rawan", *args], check=True, capture_output=True)
        walls.append(time.perf_counter() - t)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    repeats = 1 if args.quick else 3
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()} "
          f"cpus={os.cpu_count()} load={load:.1f}  (shared machine: figures are noisy)")
    regions = SHARED if SHARED.is_dir() else None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        demo = ["demo", "build", "--out", str(tmp / "demo")] + (["--regions", str(regions)] if regions else [])
        subprocess.run([sys.executable, "-m", "rawan", *demo], check=True, capture_output=True)
        files = sorted((tmp / "demo").glob("jambi-*.csv"))
        print(f"regions: {regions or 'absent: kab/kota only, no maps'}")
        print(f"{'data':<21}{'baseline s':>11}{'PDF s':>8}{'cpu s':>7}{'ratio':>7}{'PDF MB':>8}{'pages':>7}"
              f"{'HTML s':>8}{'HTML MB':>9}{'PNG s':>7}")
        ok = True
        for f in files:
            common = ["-m", "ikp-2024", "-d", str(f), "--date", DATE] + (["-r", str(regions)] if regions else [])
            base, _ = run(["compute", "-m", "ikp-2024", "-d", str(f), "-o", str(tmp / "hasil.csv")], repeats)
            pdf, html, png = tmp / f"{f.stem}.pdf", tmp / f"{f.stem}.html", tmp / f"{f.stem}.png"
            t_pdf, c_pdf = run(["report", *common, "-o", str(pdf)], repeats)
            t_html, _ = run(["report", *common, "-o", str(html)], repeats)
            t_png, _ = run(["infographic", *common, "-o", str(png)], repeats)
            mb = pdf.stat().st_size / 1e6
            try:
                import pypdf

                pages = str(len(pypdf.PdfReader(pdf).pages))
            except ImportError:
                pages = "-"
            print(f"{f.name:<21}{base:>11.2f}{t_pdf:>8.2f}{c_pdf:>7.2f}{t_pdf / base:>7.1f}{mb:>8.2f}{pages:>7}"
                  f"{t_html:>8.2f}{html.stat().st_size / 1e6:>9.2f}{t_png:>7.2f}")
            if "kecamatan" in f.name:
                met = t_pdf < TARGET_S and mb < TARGET_MB
                ok &= met
                print(f"target 144 regions: PDF < {TARGET_S:g} s and < {TARGET_MB:g} MB -> {'met' if met else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
