"""Benchmark of rawan's compute() against a straightforward pandas baseline.

Run from the repository root:

    .venv/bin/python benchmarks/bench_engine.py            # full run (~2-3 min)
    .venv/bin/python benchmarks/bench_engine.py --quick    # fewer repeats
    .venv/bin/python benchmarks/bench_engine.py --profile  # + cProfile of compute()

Synthetic data (fixed seed): Poisson event counts (many zeros), ~1% missing,
for (a) 514 kab/kota and (b) 83,763 desa x the 61 indicators of ikp-2024.
The timed call is ``compute(spec, data, region_level=...)``: validation,
normalisation, aggregation, ranks, categories and the result recipe.  Peak
memory is measured with tracemalloc in a separate, untimed run.

The baseline is the same computation written the obvious pandas way (long
format, groupby/transform min-max, per-level groupby-apply weighted means); its
index scores, ranks and categories are checked against rawan's.
"""

from __future__ import annotations

import argparse
import cProfile
import gc
import os
import platform
import pstats
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

import numpy as np
import pandas as pd

try:
    from rawan.engine import Dataset, compute, load_spec
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    from rawan.engine import Dataset, compute, load_spec

SEED = 20240214
MODEL = "ikp-2024"
SIZES = (  # label, regions, region level, rawan repeats, baseline repeats (full, quick)
    ("kab/kota", 514, "kabupaten_kota", (50, 10), (10, 3)),
    ("desa", 83_763, "desa_kelurahan", (7, 3), (1, 1)),
)
TARGET_KABKOTA_S = 0.005
TARGET_DESA_S = 0.5
TARGET_SPEEDUP = 10.0
MISSING_SHARE = 0.01


# --------------------------------------------------------------------------
# data


def synthetic_values(n: int, m: int, rng: np.random.Generator) -> np.ndarray:
    """Poisson counts with per-indicator rates 0.05-5 (many zeros); ~1% NaN.

    Most missing cells are scattered at random; a few regions (0.5%) miss 40%
    of their indicators, so the minimum-coverage rule is exercised too.
    """
    lam = 10.0 ** rng.uniform(-1.3, 0.7, size=m)
    values = rng.poisson(lam, size=(n, m)).astype(float)
    sparse_rows = rng.random(n) < 0.005
    holes = rng.random((n, m)) < np.where(sparse_rows[:, None], 0.40, 0.008)
    values[holes] = np.nan
    return values


def build_dataset(spec, n: int, rng: np.random.Generator) -> Dataset:
    indicators = list(spec.tree.indicators)
    codes = [f"R{i + 1:06d}" for i in range(n)]
    return Dataset(codes=codes, columns=indicators, values=synthetic_values(n, len(indicators), rng))


def long_frame(data: Dataset) -> pd.DataFrame:
    """The baseline's input: one row per (region, indicator), as from a melt."""
    n, m = data.values.shape
    return pd.DataFrame({
        "region": np.repeat(np.asarray(data.codes, dtype=object), m),
        "indicator": np.tile(np.asarray(data.columns, dtype=object), n),
        "value": data.values.ravel(),
    })


def hierarchy_frame(spec) -> pd.DataFrame:
    tree = spec.tree
    rows = []
    for code, node in tree.nodes.items():
        rows.append({
            "code": code, "parent": node.parent, "weight": float(node.weight),
            "direction": float(node.direction), "level": tree.level[code],
            "min_coverage": tree.min_coverage(spec, code) if node.type == "aggregate" else np.nan,
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------
# pandas baseline


def _weighted_mean(g: pd.DataFrame) -> float:
    ok = g["score"].notna()
    w = g["weight"][ok]
    if w.sum() <= 0:
        return np.nan
    return float((g["score"][ok] * w).sum() / w.sum())


def baseline(long: pd.DataFrame, hier: pd.DataFrame, root: str, rule: dict,
             lower: float = 0.0, upper: float = 100.0) -> dict[str, pd.Series]:
    """Same computation as rawan for ikp-2024's methods (no imputation, min-max,
    arithmetic means, minimum coverage, min ranks, one category rule)."""
    h = hier.set_index("code")
    df = long.copy()
    # 1. direction + min-max per indicator (a constant column gets `lower`)
    x = df["value"] * df["indicator"].map(h["direction"])
    by_ind = x.groupby(df["indicator"])
    lo = by_ind.transform("min")
    span = by_ind.transform("max") - lo
    score = (x - lo) / span.where(span > 0, 1.0) * (upper - lower) + lower
    df["score"] = score.where(~((span <= 0) & x.notna()), lower)
    df["n_avail"] = df["value"].notna().astype(float)
    df["n_leaf"] = 1.0
    scores = df.rename(columns={"indicator": "code"})[["region", "code", "score", "n_avail", "n_leaf"]]

    # 2. aggregation, level by level, over (region, parent)
    for level in sorted(h.loc[h["level"] > 1, "level"].unique()):
        parents = set(h.index[h["level"] == level])
        kids = scores[scores["code"].map(h["parent"]).isin(parents)]
        kids = kids.assign(parent=kids["code"].map(h["parent"]), weight=kids["code"].map(h["weight"]))
        groups = kids.groupby(["region", "parent"], sort=False)
        agg = groups[["n_avail", "n_leaf"]].sum()
        agg["score"] = groups[["score", "weight"]].apply(_weighted_mean)
        min_cov = agg.index.get_level_values("parent").map(h["min_coverage"]).to_numpy()
        agg.loc[agg["n_avail"] / agg["n_leaf"] < min_cov - 1e-12, "score"] = np.nan
        agg = agg.reset_index().rename(columns={"parent": "code"})
        scores = pd.concat([scores, agg[scores.columns]], ignore_index=True)

    # 3. ranks (descending, ties -> min), per aggregate
    aggs = scores[scores["code"].map(h["level"]) > 1].copy()
    aggs["rank"] = aggs.groupby("code")["score"].rank(method="min", ascending=False)

    # 4. categories of the index
    index = aggs[aggs["code"] == root].set_index("region")
    s = index["score"]
    if rule["rule"] == "fixed":
        cuts = list(rule["cutoffs"])
    elif rule["rule"] == "mean_sd":
        mu, sd = s.mean(), s.std(ddof=1)
        cuts = [mu - rule["k"] * sd, mu + rule["k"] * sd]
    else:
        raise NotImplementedError(rule["rule"])
    category = pd.cut(s, bins=[-np.inf, *cuts, np.inf], right=False, labels=rule["labels"])
    return {"score": s, "rank": index["rank"], "category": category,
            "all": aggs.pivot(index="region", columns="code", values="score")}


# --------------------------------------------------------------------------
# measurement


def timed(fn, repeats: int, warmup: bool = True) -> list[float]:
    if warmup:
        fn()
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
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    return peak / 2**20


def check_same(spec, result, base: dict, codes: list[str]) -> list[str]:
    """Assert the index scores agree; return notes on the other comparisons."""
    root = spec.tree.root
    ours = result.score(root)
    theirs = base["score"].reindex(codes).to_numpy(dtype=float)
    assert np.allclose(ours, theirs, equal_nan=True, rtol=1e-9, atol=1e-9), "index scores differ"
    notes = [f"index scores identical (np.allclose, equal_nan; {np.isnan(ours).sum()} NaN)"]
    every = base["all"].reindex(index=codes, columns=result.aggregates).to_numpy(dtype=float)
    assert np.allclose(result.scores[:, len(result.indicators):], every, equal_nan=True), \
        "aggregate scores differ"
    notes.append(f"all {len(result.aggregates)} aggregates identical")
    rank_ok = np.mean(np.isclose(result.rank(root), base["rank"].reindex(codes).to_numpy(dtype=float),
                                 equal_nan=True, rtol=0, atol=0))
    cat = result.categories[root]
    labels = np.array([None if c < 0 else cat.labels[c] for c in cat.classes], dtype=object)
    theirs_cat = base["category"].reindex(codes).astype(object).where(lambda s: s.notna(), None)
    cat_ok = np.mean(labels == theirs_cat.to_numpy())
    notes.append(f"index ranks equal: {rank_ok:.2%}; categories equal: {cat_ok:.2%}")
    return notes


def category_rule(spec, region_level: str) -> dict:
    rule = spec.category_rules(region_level)[0]
    return {"rule": rule.rule, "labels": list(rule.labels), **rule.params}


def machine() -> list[str]:
    return [
        f"platform : {platform.platform()}",
        f"cpu      : {platform.processor() or platform.machine()}, {os.cpu_count()} logical CPUs",
        f"python   : {platform.python_version()} ({platform.python_implementation()})",
        f"numpy    : {np.__version__}   pandas: {pd.__version__}",
    ]


def met(ok: bool) -> str:
    return "met" if ok else "NOT met"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="fewer repeats")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of compute() per size")
    args = ap.parse_args(argv)
    q = 1 if args.quick else 0

    t_start = time.perf_counter()
    spec = load_spec(MODEL)
    hier = hierarchy_frame(spec)
    rng = np.random.default_rng(SEED)
    print(f"rawan engine benchmark — model {MODEL}: {len(spec.tree.indicators)} indicators, "
          f"{len(spec.tree.aggregates)} aggregates, index '{spec.tree.root}'; seed {SEED}"
          + ("; --quick" if args.quick else ""))
    for line in machine():
        print("  " + line)

    rows = []
    for label, n, level, rep_r, rep_b in SIZES:
        data = build_dataset(spec, n, rng)
        long = long_frame(data)
        rule = category_rule(spec, level)
        missing = np.isnan(data.values).mean()
        print(f"\n[{label}] {n:,} regions x {data.values.shape[1]} indicators, "
              f"{missing:.2%} missing, {np.mean(data.values == 0):.0%} zeros, region_level={level}")

        run_rawan = lambda: compute(spec, data, region_level=level)  # noqa: E731
        run_base = lambda: baseline(long, hier, spec.tree.root, rule)  # noqa: E731

        t_r = timed(run_rawan, rep_r[q])
        print(f"  rawan    : min {min(t_r) * 1e3:9.2f} ms  median {statistics.median(t_r) * 1e3:9.2f} ms"
              f"  ({len(t_r)} runs after 1 warm-up)")
        mem_r = peak_mib(run_rawan)

        warm = n < 10_000  # the desa baseline is slow; its one run is timed cold
        t0 = time.perf_counter()
        base = run_base()  # also the warm-up for the small size
        t_first = time.perf_counter() - t0
        t_b = timed(run_base, rep_b[q], warmup=False) if warm else [t_first]
        print(f"  baseline : min {min(t_b) * 1e3:9.2f} ms  median {statistics.median(t_b) * 1e3:9.2f} ms"
              f"  ({len(t_b)} run(s)" + (" after 1 warm-up)" if warm else ", no warm-up)"))
        mem_b = peak_mib(run_base)

        result = run_rawan()
        for note in check_same(spec, result, base, data.codes):
            print("  check    : " + note)
        rows.append((label, n, statistics.median(t_r), statistics.median(t_b), mem_r, mem_b))

        if args.profile:
            pr = cProfile.Profile()
            reps = 20 if n < 10_000 else 2
            pr.enable()
            for _ in range(reps):
                run_rawan()
            pr.disable()
            print(f"  cProfile of {reps} x compute() [{label}], by own time:")
            pstats.Stats(pr, stream=sys.stdout).sort_stats("tottime").print_stats(12)
        del data, long, base, result
        gc.collect()

    print("\nSummary (median wall time; peak = tracemalloc peak of one call)")
    print(f"  {'size':<9}{'regions':>8}{'rawan ms':>11}{'pandas ms':>12}{'ratio':>8}"
          f"{'rawan MiB':>11}{'pandas MiB':>12}")
    for label, n, tr, tb, mr, mb in rows:
        print(f"  {label:<9}{n:>8,}{tr * 1e3:>11.2f}{tb * 1e3:>12.1f}{tb / tr:>7.1f}x{mr:>11.1f}{mb:>12.1f}")

    (_, _, tr_a, tb_a, _, _), (_, _, tr_b, tb_b, _, _) = rows
    print("\nTargets")
    checks = [
        (f"514 kab/kota under {TARGET_KABKOTA_S * 1e3:g} ms", tr_a < TARGET_KABKOTA_S,
         f"{tr_a * 1e3:.2f} ms"),
        (f"83,763 desa under {TARGET_DESA_S:g} s", tr_b < TARGET_DESA_S, f"{tr_b:.3f} s"),
        (f">= {TARGET_SPEEDUP:g}x faster than pandas (kab/kota)", tb_a / tr_a >= TARGET_SPEEDUP,
         f"{tb_a / tr_a:.1f}x"),
        (f">= {TARGET_SPEEDUP:g}x faster than pandas (desa)", tb_b / tr_b >= TARGET_SPEEDUP,
         f"{tb_b / tr_b:.1f}x"),
    ]
    for name, ok, value in checks:
        print(f"  {name:<42} {value:>10}   {met(ok)}")
    print(f"\ntotal benchmark time {time.perf_counter() - t_start:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
