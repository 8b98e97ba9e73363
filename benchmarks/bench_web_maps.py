"""Benchmark of the web app's map downloads (issue 19): `/e/<slug>/unduh/peta.png` and `peta.svg`.

    .venv/bin/python benchmarks/bench_web_maps.py            # 20 warm requests per map, median
    .venv/bin/python benchmarks/bench_web_maps.py --quick    # 5

In one process (Django's test client, a fresh SQLite database in a temporary folder, the demo
loaded): for the kab/kota map of the real Pilkada 2024 edition, a dimension map of the synthetic
edition, the Kerinci kecamatan map and the national province map,

* cold: the first request (the SVG drawn with its source line, rasterised by typst, stored in the
  page cache);
* warm: the same request again (the page cache), median;
* 304: the same request with its ETag in If-None-Match, median;
* baseline, same run: what a request cost before the web app served map files — drawing the same
  map with ``render_map_png`` (what ``rawan map --out x.png`` does), median.

Target (issue 19, "keep wave-1 figures"): a map PNG download under 1 s warm.  The machine is shared
(2 cores, other engineers' jobs running): the figures are noisy; `uptime` is printed.
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
    import rawan  # noqa: F401
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

MAPS = [  # (label, slug, query)
    ("kab/kota, Pilkada 2024 (real)", "pilkada-2024-jambi", ""),
    ("kab/kota dimension (DATA CONTOH)", "contoh-ikp-2024-jambi", "?dimensi=sospol"),
    ("kecamatan of Kerinci (DATA CONTOH)", "contoh-ikp-2024-kerinci-kecamatan", ""),
    ("provinces of Indonesia, IKP 2024 (real)", "ikp-2024-provinsi", ""),
]


def _setup(tmp: Path) -> None:
    os.environ.update(RAWAN_DATA_DIR=str(tmp), RAWAN_SECRET_KEY="bench-web-maps-" + "b7" * 30,
                      DJANGO_SETTINGS_MODULE="rawan.web.settings", RAWAN_CACHE_URL="db")
    os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    from rawan.web.demo import load_demo

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    load_demo(reset=True)


def _timed(fn) -> float:
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    n = 5 if args.quick else 20
    with tempfile.TemporaryDirectory(prefix="rawan-bench-web-maps-") as d:
        t0 = time.perf_counter()
        _setup(Path(d))
        print(f"setup (migrate + demo): {time.perf_counter() - t0:.1f} s")
        from django.test import Client

        from rawan.regions.raster import svg_to_png
        from rawan.web.editions import dashboard as D
        from rawan.web.editions.maps import source_line
        from rawan.web.editions.models import Edition

        c = Client(HTTP_HOST="127.0.0.1")  # an allowed host (RAWAN_ALLOWED_HOSTS default)
        print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cpus; "
              f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
        print(f"{'map':42s} {'baseline':>9s} {'cold':>8s} {'warm':>8s} {'304':>8s} {'PNG KB':>7s} {'warm/base':>9s}")
        worst = 0.0
        for label, slug, query in MAPS:
            url = f"/e/{slug}/unduh/peta.png{query}"
            e = Edition.objects.get(slug=slug)
            dim = query.split("=", 1)[1] if query else None
            rows = D.rows_of(e)

            def baseline():
                D._MAP_CACHE.clear()  # drawn from scratch, as `rawan map --out x.png` draws it
                svg = D.map_svg(e, rows, dimension=dim, subtitle=source_line(e), title=e.title)
                with tempfile.TemporaryDirectory() as t:
                    svg_to_png(svg, Path(t) / "peta.png")

            base = statistics.median(_timed(baseline) for _ in range(max(3, n // 4)))
            D._MAP_CACHE.clear()
            from rawan.web.editions import pagecache

            pagecache.clear_local()
            from django.core.cache import cache

            cache.clear()
            first = {}
            cold = _timed(lambda: first.setdefault("r", c.get(url)))
            r = first["r"]
            assert r.status_code == 200 and r["Content-Type"] == "image/png", (url, r.status_code)
            warm = statistics.median(_timed(lambda: c.get(url)) for _ in range(n))
            etag = r["ETag"]
            nm = statistics.median(_timed(lambda: c.get(url, HTTP_IF_NONE_MATCH=etag)) for _ in range(n))
            worst = max(worst, warm)
            print(f"{label:42s} {base * 1000:7.0f}ms {cold * 1000:6.0f}ms {warm * 1000:6.1f}ms {nm * 1000:6.1f}ms "
                  f"{len(r.content) / 1024:7.0f} {warm / base:9.3f}")
        print(f"target: warm PNG download < 1 s: slowest warm {worst * 1000:.1f} ms: "
              f"{'MET' if worst < 1.0 else 'NOT MET'}")


if __name__ == "__main__":
    main()
