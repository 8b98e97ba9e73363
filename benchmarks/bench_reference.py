"""Benchmark: truthful categories (goalposts, stored references, restriction), against wave 1.

Run from the repository root:

    .venv/bin/python benchmarks/bench_reference.py            # full run (~1 min)
    .venv/bin/python benchmarks/bench_reference.py --quick    # fewer repeats

Synthetic data (fixed seed): 83,763 desa x the 61 indicators of ikp-2024, Poisson event counts,
~1% missing, Kemendagri-shaped codes (34 provinces, 514 kab/kota, desa under them).

Measured in the same run, each against the wave-1 way of getting the same figures:

1. compute() with the shipped ikp-2024 (goalposts per region level, weights per indicator, fixed
   cut-offs), target < 0.5 s; baseline: the wave-1 ikp-2024 recipe (min-max across the table,
   equal weights per level, mean +/- 1 SD cut-offs) on the same data.
2. restricting a stored national result to one kab/kota (Result.restrict), target < 10 ms;
   baseline: what wave 1 had to do to get that kab/kota's desa, compute on them again.
3. compute() against a stored reference (--reference) for the national table, for comparison.

Times are medians of wall-clock repeats (time.perf_counter) after one warm-up.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from pathlib import Path

import numpy as np

try:
    from rawan.engine import Dataset, compute, load_spec, spec_from_dict
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from rawan.engine import Dataset, compute, load_spec, spec_from_dict

SEED = 20240214
N_DESA = 83_763
N_KABKOTA = 514
TARGET_COMPUTE_S = 0.5
TARGET_RESTRICT_S = 0.010


def codes(n: int, rng: np.random.Generator) -> list[str]:
    """Desa codes PP.KK.CC.DDDD, sorted, spread over 514 kab/kota of 34 provinces."""
    kab = np.sort(rng.integers(0, N_KABKOTA, size=n))
    out, seen = [], {}
    for k in kab.tolist():
        prov, kk = 11 + k // 16, 1 + k % 16
        j = seen.get(k, 0)
        seen[k] = j + 1
        out.append(f"{prov:02d}.{kk:02d}.{1 + j // 200:02d}.{2001 + j % 200:04d}")
    return out


def dataset(spec, rng) -> Dataset:
    m = len(spec.tree.indicators)
    lam = 10.0 ** rng.uniform(-1.6, 0.0, size=m)  # desa: mostly zeros
    values = rng.poisson(lam, size=(N_DESA, m)).astype(float)
    values[rng.random(values.shape) < 0.01] = np.nan
    return Dataset(codes=codes(N_DESA, rng), columns=list(spec.tree.indicators), values=values)


def wave1(spec):
    """The wave-1 ikp-2024 recipe: min-max across the table, equal weights per level, mean +/- 1 SD."""
    raw = spec.model_dump(mode="json")
    raw["methods"]["default"]["normalisation"] = {"method": "minmax", "lower": 0.0, "upper": 100.0}
    raw["weights_at"] = "levels"
    for n in raw["hierarchy"]:
        n["weight"] = 1.0
    raw["categories"] = [c for c in raw["categories"] if c.get("region_level") not in ("kecamatan", "desa_kelurahan")]
    for level in ("kecamatan", "desa_kelurahan"):
        raw["categories"].append({"region_level": level, "rule": "mean_sd", "k": 1,
                                  "labels": ["rendah", "sedang", "tinggi"]})
    return spec_from_dict(raw)


def timed(fn, repeats: int) -> tuple[float, object]:
    value = fn()  # warm-up
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        value = fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), value


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    args = ap.parse_args(argv)
    reps = 3 if args.quick else 7
    rng = np.random.default_rng(SEED)
    spec = load_spec("ikp-2024")
    old = wave1(spec)
    data = dataset(spec, rng)
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("-",) * 3
    print(f"rawan reference benchmark — {N_DESA:,} desa x {len(spec.tree.indicators)} indicators; seed {SEED}")
    print(f"  platform : {platform.platform()}; {os.cpu_count()} logical CPUs; python {platform.python_version()}; "
          f"numpy {np.__version__}")
    print(f"  load avg : {' '.join(f'{x:.2f}' if isinstance(x, float) else x for x in load)} (at start)")

    t_new, result = timed(lambda: compute(spec, data, region_level="desa_kelurahan"), reps)
    t_old, old_result = timed(lambda: compute(old, data, region_level="desa_kelurahan"), reps)
    assert result.reference.kind == "model" and old_result.reference.kind == "table"
    print(f"\n1. compute, goalposts (shipped ikp-2024): {t_new * 1000:8.1f} ms   "
          f"target < {TARGET_COMPUTE_S * 1000:.0f} ms: {'OK' if t_new < TARGET_COMPUTE_S else 'MISSED'}")
    print(f"   wave-1 recipe (min-max, mean +/- SD):  {t_old * 1000:8.1f} ms   ratio new/wave-1 {t_new / t_old:.2f}")

    kab = "15.01"
    t_restrict, part = timed(lambda: result.restrict(kab), reps * 20)
    rows = result.rows_under(kab)
    sub = Dataset(codes=[data.codes[i] for i in rows], columns=data.columns, values=data.values[rows])
    t_sub, alone = timed(lambda: compute(spec, sub, region_level="desa_kelurahan"), reps * 5)
    assert np.array_equal(part.scores, alone.scores, equal_nan=True)
    assert np.array_equal(part.categories["ikp"].classes, alone.categories["ikp"].classes)
    print(f"\n2. restrict the national result to kab/kota {kab} ({len(part.codes)} desa): "
          f"{t_restrict * 1000:8.3f} ms   target < {TARGET_RESTRICT_S * 1000:.0f} ms: "
          f"{'OK' if t_restrict < TARGET_RESTRICT_S else 'MISSED'}")
    print(f"   wave 1: compute those desa again:        {t_sub * 1000:8.3f} ms   ratio {t_restrict / t_sub:.2f}"
          "   (same scores and classes, checked)")

    ref = old_result.to_reference("nasional")
    t_ref, again = timed(lambda: compute(old, data, region_level="desa_kelurahan", reference=ref), reps)
    assert np.array_equal(again.scores, old_result.scores, equal_nan=True)
    print(f"\n3. wave-1 recipe against its stored reference:   {t_ref * 1000:8.1f} ms   "
          f"ratio to the table run {t_ref / t_old:.2f} (identical scores, checked)")
    load = os.getloadavg() if hasattr(os, "getloadavg") else ("-",) * 3
    print(f"\n  load avg : {' '.join(f'{x:.2f}' if isinstance(x, float) else x for x in load)} (at end)")
    ok = t_new < TARGET_COMPUTE_S and t_restrict < TARGET_RESTRICT_S
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
