"""Benchmark of the published reports: seconds and size for the 11-kab/kota and 144-kecamatan demo.

Run from the repository root:

    .venv/bin/python benchmarks/bench_reports.py            # 3 repeats each
    .venv/bin/python benchmarks/bench_reports.py --quick    # 1 repeat

Data: the seeded synthetic Jambi demo (``rawan demo build``), kab/kota and, when
../shared/data is present, kecamatan; maps are drawn from ../shared/data when
rawan.regions can draw them.  Each report is timed end to end as the CLI runs it
(read data, compute, explain every region, maps, typeset, write), median of the
repeats.  Baseline in the same run: ``compute()`` + writing the CSV result table
(what ``rawan compute`` does), so the ratio says what the report costs on top of
the numbers.  Targets (issue 6, on 2 cores): the 144-region PDF in < 10 s and < 10 MB.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    from rawan import demo
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from rawan import demo
from rawan.engine import compute, load_spec, output, read_data
from rawan.reports import build_infographic, build_report

ROOT = Path(__file__).resolve().parent.parent
SHARED = (ROOT / ".." / "shared" / "data").resolve()
TARGET_S = 10.0
TARGET_MB = 10.0
DATE = "2024-08-31"


def timed(fn, repeats: int) -> float:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    repeats = 1 if args.quick else 3
    print(f"machine: {platform.machine()} {platform.system()} python {platform.python_version()} "
          f"cpus={os.cpu_count()}  (shared machine: figures are noisy)")
    spec = load_spec("ikp-2024")
    regions = SHARED if SHARED.is_dir() else None
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        files = demo.build(spec, tmp / "demo", regions=regions)
        try:
            import rawan.regions as R
            maps = "yes" if regions and hasattr(R, "render_map") else "no (rawan.regions.render_map missing)"
        except ImportError:
            maps = "no"
        print(f"maps: {maps}; regions: {regions or 'absent: kab/kota only'}")
        print(f"{'data':<22}{'n':>5}{'baseline s':>12}{'PDF s':>8}{'ratio':>7}{'PDF MB':>8}{'pages':>7}"
              f"{'HTML s':>8}{'HTML MB':>9}{'PNG s':>7}")
        ok = True
        for f in files:
            n = len(read_data(f, spec.tree.indicators).codes)

            def baseline():
                output.write(compute(spec, read_data(f, spec.tree.indicators)), tmp / "hasil.csv")

            base = timed(baseline, repeats)
            pdf = tmp / f"{f.stem}.pdf"
            html = tmp / f"{f.stem}.html"
            png = tmp / f"{f.stem}.png"
            t_pdf = timed(lambda: build_report(spec, f, out=pdf, regions=regions, date=DATE), repeats)
            t_html = timed(lambda: build_report(spec, f, out=html, regions=regions, date=DATE), repeats)
            t_png = timed(lambda: build_infographic(spec, f, out=png, regions=regions, date=DATE), repeats)
            mb = pdf.stat().st_size / 1e6
            pages = pdf.read_bytes().count(b"/Type /Page\n") or pdf.read_bytes().count(b"/Type/Page")
            try:
                import pypdf

                pages = len(pypdf.PdfReader(pdf).pages)
            except ImportError:
                pass
            print(f"{f.name:<22}{n:>5}{base:>12.3f}{t_pdf:>8.2f}{t_pdf / base:>7.0f}{mb:>8.2f}{pages:>7}"
                  f"{t_html:>8.2f}{html.stat().st_size / 1e6:>9.2f}{t_png:>7.2f}")
            if n >= 100:
                ok &= t_pdf < TARGET_S and mb < TARGET_MB
                print(f"target {n} regions: PDF < {TARGET_S:g} s and < {TARGET_MB:g} MB -> "
                      f"{'met' if t_pdf < TARGET_S and mb < TARGET_MB else 'NOT met'}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
