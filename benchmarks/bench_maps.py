"""Benchmark of rawan's maps: the 1,585-desa Jambi map to SVG and PNG, against a naive baseline.

Run from the repository root (needs ../shared/data):

    .venv/bin/python benchmarks/bench_maps.py            # 5 repeats, median
    .venv/bin/python benchmarks/bench_maps.py --quick    # 2 repeats

Measured (median wall time, warm process, boundaries already imported and stored):

* loading the stored Jambi boundary set (all four levels) from its .npz;
* ``render_map`` desa level (1,568 polygons with geometry) -> SVG string, and its size, first for a
  new boundary selection (projection, outlines, labels; memoised after) and then with new values;
* ``render_map_png`` desa level -> PNG file (scale 2, i.e. 1600 px wide);
* ``render_map`` kab/kota level -> SVG, and its size;
* the one-off import (clean, dissolve, simplify) of jambi-desa.geojson, for information.

Baseline, in the same run: the obvious geopandas-style render with matplotlib, one patch per
polygon read straight from jambi-desa.geojson (no simplification), saved as SVG and PNG.

Targets (issue 3): desa SVG and PNG under 1 s each; SVG under 1 MB at desa level and under 100 KB
at kab/kota level; the whole Jambi set loads in under 1 s.  The machine is shared (2 cores, other
engineers' jobs running): figures are noisy.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

try:
    import rawan  # noqa: F401
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from rawan.regions import import_boundaries, load_regions, render_map, render_map_png  # noqa: E402
from rawan.regions.boundaries import read_store  # noqa: E402

SHARED = Path(os.environ.get("RAWAN_SHARED_DATA") or Path(__file__).resolve().parents[1] / ".." / "shared" / "data")


CPU: dict[str, float] = {}


def timed(fn, repeats, name=None):
    """Median wall time; the minimum wall and median CPU time go to CPU[name] (less hit by a busy machine)."""
    times, cpus, out = [], [], None
    for _ in range(repeats):
        t, c = time.perf_counter(), time.process_time()
        out = fn()
        times.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    if name:
        CPU[name] = (min(times), statistics.median(cpus))
    return statistics.median(times), out


def baseline(desa_file: Path, values: dict, tmp: Path, repeats: int):
    """geopandas-style: read GeoJSON, one matplotlib Polygon patch per ring, savefig SVG and PNG."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import pyogrio
    import shapely
    from matplotlib.collections import PatchCollection
    from matplotlib.patches import Polygon as MplPolygon

    from rawan.regions import CATEGORY_COLOURS

    def draw(fmt):
        meta, _, wkb, data = pyogrio.raw.read(desa_file)
        codes = data[list(meta["fields"]).index("code")]
        patches, colours = [], []
        for code, g in zip(codes, shapely.from_wkb(wkb)):
            for part in shapely.get_parts(g):
                patches.append(MplPolygon(list(part.exterior.coords), closed=True))
                colours.append(CATEGORY_COLOURS.get(values.get(code), "#DDDDDD"))
        fig, ax = plt.subplots(figsize=(8, 6))
        ax.add_collection(PatchCollection(patches, facecolors=colours, edgecolors="white", linewidths=0.2))
        ax.autoscale_view()
        ax.set_aspect("equal")
        ax.set_axis_off()
        ax.set_title("Kerawanan pemilu per desa/kelurahan")
        out = tmp / f"baseline.{fmt}"
        fig.savefig(out, dpi=200 if fmt == "png" else 72)
        plt.close(fig)
        return out

    t_svg, svg = timed(lambda: draw("svg"), repeats)
    t_png, png = timed(lambda: draw("png"), repeats)
    return t_svg, svg.stat().st_size, t_png, png.stat().st_size


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args()
    repeats = 2 if args.quick else 5
    if not (SHARED / "jambi-desa.geojson").exists():
        print(f"needs {SHARED} (../shared/data)")
        return 1
    print(f"machine: {platform.platform()}, {os.cpu_count()} CPUs, Python {platform.python_version()} "
          "(shared machine: figures are noisy)")
    regions = load_regions(SHARED)
    random.seed(2024)
    desa_values = {r.code: random.choice(["tinggi", "sedang", "rendah", None])
                   for r in regions.at_level("desa_kelurahan")}
    kab_values = {r.code: random.choice(["tinggi", "sedang", "rendah"]) for r in regions.at_level("kabupaten_kota")}
    # every timed map gets new values: typst memoises identical input, and a real map is never drawn twice
    desa_codes = [r.code for r in regions.at_level("desa_kelurahan")]
    kab_codes = list(kab_values)

    def fresh(codes):
        return {c: random.choice(["tinggi", "sedang", "rendah", None]) for c in codes}

    with tempfile.TemporaryDirectory() as tmpdir:
        tmp = Path(tmpdir)
        t_import, rep = timed(lambda: import_boundaries(SHARED / "jambi-desa.geojson", regions=regions), 1)
        store = rep.boundaries.save(tmp / "batas-wilayah.npz")
        t_load, b = timed(lambda: read_store(store), repeats)
        # first drawing of this selection (projection, dissolved outlines, path data: memoised after)
        t_first, _ = timed(lambda: render_map(desa_values, level="desa_kelurahan", boundaries=b, regions=regions), 1)
        from rawan.regions import svg_to_png

        tiny = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><text y="9">x</text></svg>'
        t_typst, _ = timed(lambda: svg_to_png(tiny, tmp / "tiny.png"), 1)  # once per process: typst and fonts
        b2 = read_store(store)  # a fresh copy: nothing memoised for it yet
        t_first_png, _ = timed(lambda: render_map_png(desa_values, out=tmp / "first.png", level="desa_kelurahan",
                                                      boundaries=b2, regions=regions), 1)
        t_svg, svg = timed(lambda: render_map(fresh(desa_codes), level="desa_kelurahan", boundaries=b, regions=regions,
                                              synthetic=True), repeats, "desa map -> SVG")
        t_png, png = timed(lambda: render_map_png(fresh(desa_codes), out=tmp / "desa.png", level="desa_kelurahan",
                                                  boundaries=b, regions=regions, synthetic=True), repeats,
                           "desa map -> PNG (1600 px)")
        t_kab, kab_svg = timed(lambda: render_map(fresh(kab_codes), level="kabupaten_kota", boundaries=b,
                                                  regions=regions), repeats)
        t_kab_png, kab_png = timed(lambda: render_map_png(fresh(kab_codes), out=tmp / "kab.png", level="kabupaten_kota",
                                                          boundaries=b, regions=regions), repeats)
        b_svg_t, b_svg_size, b_png_t, b_png_size = baseline(SHARED / "jambi-desa.geojson", desa_values, tmp, repeats)
        png_size = png.stat().st_size
        store_size = store.stat().st_size
        kab_png_size = kab_png.stat().st_size

    kb = lambda n: f"{n / 1024:,.0f} KB"  # noqa: E731
    ok = lambda cond: "ok" if cond else "MISSED"  # noqa: E731
    rows = [
        ("import jambi-desa.geojson (one-off)", f"{t_import:.2f} s", kb(store_size), ""),
        ("load stored Jambi set (4 levels)", f"{t_load * 1000:.0f} ms", "", ok(t_load < 1)),
        ("desa map -> SVG, first drawing", f"{t_first:.2f} s", "", ok(t_first < 1)),
        ("start the PNG rasteriser (once per process)", f"{t_typst:.2f} s", "", ""),
        ("desa map -> PNG, first drawing", f"{t_first_png:.2f} s", "", ok(t_first_png < 1)),
        ("desa map -> SVG", f"{t_svg:.2f} s", kb(len(svg.encode())), ok(t_svg < 1 and len(svg.encode()) < 1_000_000)),
        ("desa map -> PNG (1600 px)", f"{t_png:.2f} s", kb(png_size), ok(t_png < 1)),
        ("kab/kota map -> SVG", f"{t_kab * 1000:.0f} ms", kb(len(kab_svg.encode())), ok(len(kab_svg.encode()) < 100_000)),
        ("kab/kota map -> PNG (1600 px)", f"{t_kab_png:.2f} s", kb(kab_png_size), ""),
        ("baseline matplotlib desa -> SVG", f"{b_svg_t:.2f} s", kb(b_svg_size), ""),
        ("baseline matplotlib desa -> PNG", f"{b_png_t:.2f} s", kb(b_png_size), ""),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"median of {repeats} runs")
    for name, t, size, verdict in rows:
        print(f"  {name:<{w}}  {t:>9}  {size:>9}  {verdict}")
    for name, (tmin, cpu) in CPU.items():
        print(f"  {name}: fastest run {tmin:.2f} s wall, median CPU {cpu:.2f} s")
    print(f"speed-up vs baseline: SVG x{b_svg_t / t_svg:.1f} ({b_svg_size / len(svg.encode()):.1f}x smaller), "
          f"PNG x{b_png_t / t_png:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
