"""Benchmark of rawan's batched uncertainty and sensitivity analysis.

Run from the repository root:

    .venv/bin/python benchmarks/bench_sensitivity.py            # full run (~1-2 min)
    .venv/bin/python benchmarks/bench_sensitivity.py --quick    # fewer repeats, smaller baselines

Two cases, 10,000 runs each:

(a) COINr's ASEM example (51 countries x 49 indicators, 4 levels; ../shared/peer/coinr),
    with COINr's own uncertainty design: min-max or z-score, every weight at levels 1-3
    times U(0.75, 1.25).  COINr 1.1.14 needs ~15 ms per rebuild of this index on a
    2-core machine (22 s for 1,000 runs; 151 s for a 4,000-run sensitivity analysis).
(b) 514 kab/kota x the 61 indicators of ikp-2024, synthetic data made as in
    bench_engine.py (Poisson counts, ~1% missing), with rawan's default design
    (weights x U(0.75, 1.25) below the index; min-max or distance-to-max), categories
    by the kab/kota cut-offs.

The timed call is ``uncertainty(...)`` (sampling the plan, replaying every run,
ranks and classes) plus ``.table`` (means and percentiles per region).  Peak
memory: tracemalloc in a separate untimed call.  Same-run baselines: rawan's own
compute() called once per run on a model carrying that run's weights and
normalisation (the unbatched way), checked to give the same index scores; and the
batched replay with chunk=1.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
try:
    from rawan.engine import Design, WeightDesign, compute, load_spec, read_data, uncertainty
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(HERE.parent / "src"))
    from rawan.engine import Design, WeightDesign, compute, load_spec, read_data, uncertainty
from rawan.engine.runplan import NOMINAL  # noqa: E402
from rawan.engine.saltelli import sensitivity  # noqa: E402
from rawan.engine.spec import MethodChoice  # noqa: E402

from bench_engine import SEED, build_dataset, machine  # noqa: E402

COINR = HERE.parent.parent / "shared" / "peer" / "coinr"
RUNS = 10_000
COINR_MS_PER_RUN = 15.0
TARGET_A_S = 1.0
TARGET_B_S = 10.0


def timed(fn, repeats: int):
    fn()  # warm-up
    out = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t)
    return out


def peak_mib(fn) -> float:
    gc.collect()
    tracemalloc.start()
    try:
        tracemalloc.reset_peak()
        fn()
        return tracemalloc.get_traced_memory()[1] / 2**20
    finally:
        tracemalloc.stop()


def spec_for_run(spec, plan, r: int):
    """A model that makes run r's choices itself: its weights and its normalisation."""
    w = dict(zip(plan.columns, plan.weights[r]))
    nodes = [n.model_copy(update={"weight": float(w[n.code])}) for n in spec.hierarchy]
    update = {"hierarchy": nodes}
    norm = plan.choice("normalisation", r)
    if norm.method != NOMINAL:
        default = spec.methods.default.model_copy(
            update={"normalisation": MethodChoice(method=norm.method, **norm.kwargs)})
        update["methods"] = spec.methods.model_copy(update={"default": default})
    s = spec.model_copy(update=update)
    for key in ("tree", "plan", "hash"):
        s.__dict__.pop(key, None)  # derived caches belong to the original
    return s


def unbatched(spec, data, plan, runs: int, level) -> tuple[float, np.ndarray]:
    """compute() once per run; seconds per run and the index scores."""
    out = np.empty((runs, len(data.codes)))
    t = time.perf_counter()
    for r in range(runs):
        out[r] = compute(spec_for_run(spec, plan, r), data, region_level=level).score(spec.tree.root)
    return (time.perf_counter() - t) / runs, out


def case(label, spec, data, design, level, repeats, base_runs):
    print(f"\n[{label}] {len(data.codes):,} regions x {len(spec.tree.indicators)} indicators, "
          f"{len(spec.tree.aggregates)} aggregates; {RUNS:,} runs")
    ua = uncertainty(spec, data, runs=RUNS, seed=1, design=design, region_level=level)
    print(f"  inputs: {', '.join(f'{k} {[c.label for c in v]}' for k, v in ua.plan.options.items())}; "
          f"weights varied: {int((ua.plan.weights.std(axis=0) > 0).sum())}")

    def run():
        u = uncertainty(spec, data, runs=RUNS, seed=1, design=design, region_level=level)
        return u.table

    c0 = time.process_time()
    t = timed(run, repeats)
    cpu = (time.process_time() - c0) / (repeats + 1)
    med = statistics.median(t)
    mem = peak_mib(run)
    from rawan.engine.replay import Replayer

    chunk = Replayer(spec, data, level, nominal=ua.nominal).chunk_size()
    print(f"  batched uncertainty() + table: min {min(t):.3f} s  median {med:.3f} s  "
          f"({med / RUNS * 1e3:.4f} ms per run)  peak {mem:.0f} MiB  (chunk {chunk} runs; {len(t)} repeats)")
    print(f"  CPU time per call (both threads): {cpu:.3f} s  — less sensitive to other users of the machine")
    t1 = time.perf_counter()
    ua1 = uncertainty(spec, data, design=_first(ua.plan, base_runs), region_level=level, chunk=1)
    per_chunk1 = (time.perf_counter() - t1) / base_runs
    per_un, scores = unbatched(spec, data, ua.plan, base_runs, level)
    same = np.allclose(scores, ua.scores[:base_runs], rtol=0, atol=1e-9, equal_nan=True)
    same1 = np.array_equal(ua1.scores, ua.scores[:base_runs], equal_nan=True)
    print(f"  same code, chunk=1         : {per_chunk1 * 1e3:8.3f} ms per run  ({base_runs} runs; "
          f"scores identical to batched: {same1})")
    print(f"  unbatched compute() loop   : {per_un * 1e3:8.3f} ms per run  ({base_runs} runs; "
          f"index scores equal batched to 1e-9: {same})")
    per_b = med / RUNS
    print(f"  per-run speed-up: {per_un / per_b:,.0f}x rawan's compute() loop, "
          f"{per_chunk1 / per_b:,.0f}x chunk=1, {COINR_MS_PER_RUN * 1e-3 / per_b:,.0f}x COINr (15 ms/run)")
    print(f"  by CPU time: {cpu / RUNS * 1e3:.4f} ms per run, {COINR_MS_PER_RUN * 1e-3 / (cpu / RUNS):,.0f}x COINr")
    return med, mem, per_un, cpu


def _first(plan, k):
    from rawan.engine.runplan import RunPlan

    return RunPlan(plan.spec, plan.weights[:k], {n: p[:k] for n, p in plan.picks.items()}, plan.options,
                   plan.leave_out[:k])


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true")
    args = ap.parse_args(argv)
    repeats = 2 if args.quick else 5
    base_runs = 50 if args.quick else 200
    t0 = time.perf_counter()
    print("rawan uncertainty/sensitivity benchmark" + (" (--quick)" if args.quick else ""))
    for line in machine():
        print("  " + line)
    print("  NOTE: this 2-core machine is shared with other engineers' work: figures are noisy.")
    try:
        print(f"  load average at start: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    except OSError:
        pass
    results = {}
    if COINR.exists():
        spec = load_spec(COINR / "input_iMeta.csv")
        data = read_data(COINR / "input_iData_complete.csv", spec.tree.indicators, locale="en")
        design = Design(weights=WeightDesign(spread=0.25, levels=(1, 2, 3)), normalisation=["n_minmax", "n_zscore"])
        results["a"] = case("a: COINr ASEM", spec, data, design, "auto", repeats, base_runs)
        n_sa = 1000
        t = time.perf_counter()
        sa = sensitivity(spec, data, n=n_sa, seed=1, design=design)
        dt = time.perf_counter() - t
        print(f"  sensitivity N={n_sa:,}: {sa.runs:,} runs ({len(sa.factors)} factors), {dt:.2f} s incl. "
              f"500 bootstrap replicates; COINr: 151 s for 4,000 runs")
        print("    " + "; ".join(f"{f} S1 {a:.2f} ST {b:.2f}" for f, a, b in zip(sa.factors, sa.S1, sa.ST)))
    else:
        print(f"\n[a] skipped: {COINR} not found")
    spec = load_spec("ikp-2024")
    data = build_dataset(spec, 514, np.random.default_rng(SEED))
    results["b"] = case("b: ikp-2024, 514 kab/kota (synthetic)", spec, data, None, "kabupaten_kota",
                        repeats, base_runs)

    print("\nTargets (10,000 runs, median wall time, this shared 2-core machine)")
    if "a" in results:
        med, cpu = results["a"][0], results["a"][3]
        ratio = COINR_MS_PER_RUN * 1e-3 / (med / RUNS)
        print(f"  (a) ASEM under {TARGET_A_S:g} s: {med:.3f} s  {'met' if med < TARGET_A_S else 'NOT met'}; "
              f"per run {ratio:,.0f}x COINr by wall time ({'met' if ratio >= 200 else 'NOT met'}: >= 200x), "
              f"{COINR_MS_PER_RUN * 1e-3 / (cpu / RUNS):,.0f}x by CPU time")
    med = results["b"][0]
    print(f"  (b) 514 x 61 under {TARGET_B_S:g} s: {med:.3f} s  {'met' if med < TARGET_B_S else 'NOT met'}; "
          f"peak {results['b'][1]:.0f} MiB")
    try:
        print(f"load average at end: {' '.join(open('/proc/loadavg').read().split()[:3])}")
    except OSError:
        pass
    print(f"\ntotal benchmark time {time.perf_counter() - t0:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
