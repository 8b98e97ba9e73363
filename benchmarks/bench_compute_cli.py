"""Benchmark of the whole `rawan compute` command against a bare pyarrow + numpy pipeline.

Run from the repository root:

    .venv/bin/python benchmarks/bench_compute_cli.py            # 100,000 units, best of 3
    .venv/bin/python benchmarks/bench_compute_cli.py --quick    # 20,000 units, best of 2
    .venv/bin/python benchmarks/bench_compute_cli.py --profile  # + cProfile of one rawan run

Inputs are generated at run time into a temporary directory (fixed seed): a methodology of
4 levels (index -> 4 dimensions -> 12 sub-dimensions -> 49 indicators, directions +1/-1,
unequal weights, fixed cut-offs) and a CSV of 100,000 units (Kemendagri desa-shaped codes) x 49
indicators, plain numbers with a dot decimal (two decimals), ~1% empty cells.

Both sides run as whole processes (start-up and imports count):

* rawan:    ``python -m rawan compute --model m.yaml --data d.csv --out r.csv`` — the result table
            with every aggregate, the rank and the category of every unit;
* baseline: a ~40-line script: ``pyarrow.csv.read_csv`` -> numpy matrix -> direction, min-max,
            weighted means per level (skipping missing values) -> rank and category of the index ->
            ``pyarrow.csv.write_csv``.  Its index column, ranks and categories are checked
            against rawan's.

Target (issue 14): rawan within 1.5x of the baseline.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
SEED = 20240214
TARGET = 1.5
DIMS = 4
SUBS_PER_DIM = 3
INDICATORS = 49
CUTOFFS = (25.0, 27.5)  # the index of this data is ~22-31: all three classes are used


def model_yaml() -> tuple[str, list[dict]]:
    """The 4-level model as YAML, and its nodes (code, parent, weight, direction, type)."""
    rng = np.random.default_rng(SEED)
    nodes = [{"code": "idx", "parent": None, "weight": 1.0, "direction": 1, "type": "aggregate"}]
    subs = []
    for d in range(DIMS):
        nodes.append({"code": f"d{d}", "parent": "idx", "weight": float(d + 1), "direction": 1, "type": "aggregate"})
        for s in range(SUBS_PER_DIM):
            code = f"d{d}s{s}"
            subs.append(code)
            nodes.append({"code": code, "parent": f"d{d}", "weight": 1.0 + s / 2, "direction": 1,
                          "type": "aggregate"})
    for k in range(INDICATORS):
        nodes.append({"code": f"i{k:02d}", "parent": subs[k % len(subs)],
                      "weight": float(rng.integers(1, 4)), "direction": -1 if k % 5 == 0 else 1,
                      "type": "indicator"})
    lines = ["id: bench-4-level", 'version: "1.0"', "title: {id: Model uji kinerja, en: Benchmark model}",
             "scale: {min: 0, max: 100}",
             "assumptions:", "  - code: bench", "    text: {id: Model uji kinerja., en: A benchmark model.}",
             "methods:", "  default:", "    imputation: {method: none}",
             "    normalisation: {method: minmax, lower: 0, upper: 100}",
             "    aggregation: {method: arithmetic}", "    min_coverage: 0",
             "categories:", "  - rule: fixed", f"    cutoffs: [{CUTOFFS[0]}, {CUTOFFS[1]}]",
             "    labels: [rendah, sedang, tinggi]", "    assumption: bench",
             "hierarchy:"]
    for n in nodes:
        lines.append(f"  - code: {n['code']}")
        if n["parent"]:
            lines.append(f"    parent: {n['parent']}")
        lines.append(f"    name: {{id: {n['code']}, en: {n['code']}}}")
        lines.append(f"    type: {n['type']}")
        if n["parent"]:
            lines.append(f"    weight: {n['weight']}")
        if n["type"] == "indicator":
            lines.append(f"    direction: {n['direction']}")
            lines.append("    kind: score")
    return "\n".join(lines) + "\n", nodes


def write_data(path: Path, n: int) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc
    import pyarrow.csv as pacsv

    rng = np.random.default_rng(SEED)
    i = np.arange(n)
    # desa-shaped codes: 15.KK.CC.2DDD, unique
    kab, rest = divmod(i, 10_000)
    kec, desa = divmod(rest, 100)
    codes = [f"{11 + k // 99:02d}.{k % 99 + 1:02d}.{c + 1:02d}.{2001 + d:04d}"
             for k, c, d in zip(kab.tolist(), kec.tolist(), desa.tolist())]
    cols = {"code": pa.array(codes), "name": pa.array([f"Desa {k}" for k in range(n)])}
    for k in range(INDICATORS):
        x = np.round(rng.gamma(2.0, 10.0, size=n), 2)
        text = pc.cast(pa.array(x), pa.string())
        holes = pa.array(rng.random(n) < 0.01)
        cols[f"i{k:02d}"] = pc.if_else(holes, pa.scalar("", pa.string()), text)
    pacsv.write_csv(pa.table(cols), path, pacsv.WriteOptions(quoting_style="none"))


BASELINE = r'''
import sys, numpy as np, pyarrow as pa, pyarrow.csv as pacsv, pyarrow.compute as pc, json
data, out, nodes = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
t = pacsv.read_csv(data)
ind = [n for n in nodes if n["type"] == "indicator"]
X = np.column_stack([t.column(n["code"]).to_numpy(zero_copy_only=False).astype(float) for n in ind])
X = X * np.array([n["direction"] for n in ind], dtype=float)
lo, hi = np.nanmin(X, axis=0), np.nanmax(X, axis=0)
scores = {n["code"]: 100 * (X[:, j] - lo[j]) / (hi[j] - lo[j]) for j, n in enumerate(ind)}
aggs = [n for n in nodes if n["type"] == "aggregate"]
depth = {n["code"]: 0 for n in nodes}
for n in nodes:
    if n["parent"]:
        depth[n["code"]] = depth[n["parent"]] + 1
for a in sorted(aggs, key=lambda n: -depth[n["code"]]):
    kids = [n for n in nodes if n["parent"] == a["code"]]
    V = np.column_stack([scores[k["code"]] for k in kids])
    W = np.where(np.isnan(V), 0.0, np.array([k["weight"] for k in kids]))
    with np.errstate(invalid="ignore"):
        scores[a["code"]] = np.nansum(V * W, axis=1) / W.sum(axis=1)
idx = scores["idx"]
order = np.argsort(-idx, kind="stable")
rank = np.empty(len(idx), dtype=np.int64)
rank[order] = np.arange(1, len(idx) + 1)
cat = np.array(["rendah", "sedang", "tinggi"])[np.digitize(idx, [%(c0)r, %(c1)r])]
cols = {"code": t.column("code"), "name": t.column("name")}
for a in sorted(aggs, key=lambda n: depth[n["code"]]):
    cols[a["code"]] = pa.array(scores[a["code"]])
cols["rank"] = pa.array(rank)
cols["category"] = pa.array(cat)
pacsv.write_csv(pa.table(cols).take(pa.array(order)), out)
'''


def timed(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the child: user + system, all its threads)."""
    import resource

    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run(cmd, check=True, env=env, stdout=subprocess.DEVNULL)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def report(times: dict, target: float = TARGET) -> None:
    """Best wall time and best CPU time (user + system of the child) of each side, and both ratios.
    On a shared machine the CPU ratio is the steadier one: waiting for a core is not counted."""
    best = {k: min(w for w, _ in v) for k, v in times.items()}
    cpu = {k: min(c for _, c in v) for k, v in times.items()}
    for k, v in times.items():
        print(f"{k:9s} best {best[k]:6.2f} s wall, {cpu[k]:6.2f} s CPU   runs (wall/CPU): "
              f"{', '.join(f'{w:.2f}/{c:.2f}' for w, c in v)}")
    ratio, cpu_ratio = best["rawan"] / best["baseline"], cpu["rawan"] / cpu["baseline"]
    print(f"ratio rawan / baseline: {ratio:.2f}x wall, {cpu_ratio:.2f}x CPU (target <= {target}x): "
          f"{'OK' if ratio <= target else 'MISSED'} (wall), {'OK' if cpu_ratio <= target else 'MISSED'} (CPU)")


def check_same(rawan_csv: Path, base_csv: Path) -> str:
    import pyarrow.csv as pacsv

    a = pacsv.read_csv(rawan_csv, convert_options=pacsv.ConvertOptions(column_types={"code": "string"}))
    b = pacsv.read_csv(base_csv, convert_options=pacsv.ConvertOptions(column_types={"code": "string"}))
    assert a.column("code").to_pylist() == b.column("code").to_pylist(), "unit order differs"
    da = np.abs(a.column("idx").to_numpy() - b.column("idx").to_numpy())
    assert np.nanmax(da) < 1e-9, f"index differs by {np.nanmax(da)}"
    assert a.column("rank").to_pylist() == b.column("rank").to_pylist(), "ranks differ"
    assert a.column("category").to_pylist() == b.column("category").to_pylist(), "categories differ"
    return f"index max |diff| {np.nanmax(da):.1e}, ranks and categories identical"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--profile", action="store_true")
    ap.add_argument("--units", type=int, default=None)
    args = ap.parse_args()
    n = args.units or (20_000 if args.quick else 100_000)
    repeats = 2 if args.quick else 3
    import json

    text, nodes = model_yaml()
    env = dict(os.environ, PYTHONPATH=str(ROOT / "src"))
    py = sys.executable
    print(f"machine: {platform.platform()}, {os.cpu_count()} cores, python {platform.python_version()}; "
          f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    with tempfile.TemporaryDirectory(prefix="rawan-bench-") as tmp:
        tmp = Path(tmp)
        model, data = tmp / "model.yaml", tmp / "data.csv"
        model.write_text(text, encoding="utf-8")
        t = time.perf_counter()
        write_data(data, n)
        print(f"input: {n:,} units x {INDICATORS} indicators, 4 levels, {data.stat().st_size / 1e6:.1f} MB CSV "
              f"(written in {time.perf_counter() - t:.1f} s)")
        script = tmp / "baseline.py"
        script.write_text(BASELINE % {"c0": CUTOFFS[0], "c1": CUTOFFS[1]}, encoding="utf-8")
        rawan_cmd = [py, "-m", "rawan", "compute", "--model", str(model), "--data", str(data),
                     "--out", str(tmp / "rawan.csv")]
        base_cmd = [py, str(script), str(data), str(tmp / "base.csv"), json.dumps(nodes)]
        times = {"rawan": [], "baseline": []}
        for _ in range(repeats):  # interleaved, so a busy moment hits both
            times["baseline"].append(timed(base_cmd, env))
            times["rawan"].append(timed(rawan_cmd, env))
        print("check:", check_same(tmp / "rawan.csv", tmp / "base.csv"))
        report(times)
        if args.profile:
            prof = tmp / "compute.prof"
            subprocess.run([py, "-m", "cProfile", "-o", str(prof), "-m", "rawan", "compute", "--model", str(model),
                            "--data", str(data), "--out", str(tmp / "rawan.csv")], check=True, env=env,
                           stdout=subprocess.DEVNULL)
            import pstats

            pstats.Stats(str(prof)).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
