"""Benchmark of rawan.intake imports against a straightforward pandas baseline.

Run from the repository root:

    .venv/bin/python benchmarks/bench_intake.py            # full run (a few minutes)
    .venv/bin/python benchmarks/bench_intake.py --quick    # 100,000 events, 10,000 desa rows

Inputs are generated at run time into a temporary directory (fixed seed):

* an event file ("kejadian") of 1,000,000 rows as CSV (';' and decimal-free) and as Parquet:
  desa codes of Jambi (from ../shared/data/jambi-wilayah.csv when present, checked against
  that region list) or synthetic desa codes, an ikp-2024 indicator, a severity level, a date,
  a source and a description; imported and aggregated to kab/kota;
* a questionnaire workbook (XLSX) of 83,763 desa rows (the number of desa/kelurahan in
  Indonesia) x the 61 ikp-2024 indicators, written directly as XML into a zip.

Each case runs in a child process so its peak memory (max RSS) is its own.  The baseline is
what one would write without rawan: ``pandas.read_csv`` / ``read_parquet`` / ``read_excel``
(calamine) and a loop over ``DataFrame.iterrows()`` validating each row (code shape, region
membership, indicator, severity, date, source; or every indicator cell), then a groupby sum.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import resource
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import numpy as np

try:
    import rawan  # noqa: F401
except ImportError:  # not installed: run from a checkout
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

ROOT = Path(__file__).resolve().parent.parent
WILAYAH = ROOT / ".." / "shared" / "data" / "jambi-wilayah.csv"
SEVERITY = ["ringan", "sedang", "berat"]


# ------------------------------------------------------------------ inputs

def desa_codes(n_synthetic: int = 0) -> tuple[list[str], bool]:
    """Jambi's desa codes when the region list is at hand, else synthetic ones."""
    if WILAYAH.exists() and not n_synthetic:
        import csv

        with open(WILAYAH, encoding="utf-8") as f:
            return [r["code"] for r in csv.DictReader(f) if r["level"] == "desa_kelurahan"], True
    n = n_synthetic or 1585
    out = []
    for i in range(n):
        p, k, c, d = 11 + i // 200000, 1 + (i // 4000) % 50, 1 + (i // 100) % 40, 2001 + i % 100
        out.append(f"{p:02d}.{k:02d}.{c:02d}.{d:04d}")
    return out, False


def make_events(path_csv: Path, path_parquet: Path, n: int, seed: int = 7) -> bool:
    import pandas as pd

    rng = np.random.default_rng(seed)
    codes, real = desa_codes()
    indicators = [f"i{k:02d}" for k in range(1, 62)]
    start = np.datetime64("2024-01-01")
    df = pd.DataFrame({
        "kode_wilayah": np.array(codes, dtype=object)[rng.integers(0, len(codes), n)],
        "indikator": np.array(indicators, dtype=object)[rng.integers(0, 61, n)],
        "tingkat": np.array(SEVERITY, dtype=object)[rng.choice(3, n, p=[0.6, 0.3, 0.1])],
        "tanggal": (start + rng.integers(0, 330, n)).astype("datetime64[D]").astype(str),
        "sumber": np.array(["laporan pengawas desa", "media daring", "polres", "warga"], dtype=object)[
            rng.integers(0, 4, n)],
        "uraian": np.array(["", "kejadian dicatat pengawas", "perlu tindak lanjut"], dtype=object)[
            rng.integers(0, 3, n)],
    })
    df.to_csv(path_csv, sep=";", index=False, encoding="utf-8")
    df.to_parquet(path_parquet, index=False)
    return real


def make_desa_xlsx(path: Path, n: int, seed: int = 11) -> None:
    """An XLSX of n desa rows x 61 indicators, streamed as XML (openpyxl would take minutes)."""
    rng = np.random.default_rng(seed)
    codes, _ = desa_codes(n_synthetic=n)
    values = rng.poisson(0.4, size=(n, 61))
    blank = rng.random((n, 61)) < 0.01
    letters = [_letter(j) for j in range(63)]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
            f.write(b'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.'
                    b'openxmlformats.org/spreadsheetml/2006/main"><sheetData>')
            head = ["kode", "nama"] + [f"i{k:02d}" for k in range(1, 62)]
            f.write(_row(1, [(letters[j], h) for j, h in enumerate(head)]))
            for i in range(n):
                cells = [(letters[0], codes[i]), (letters[1], f"Desa {i + 1}")]
                cells += [(letters[j + 2], int(values[i, j])) for j in range(61) if not blank[i, j]]
                f.write(_row(i + 2, cells))
            f.write(b"</sheetData></worksheet>")


def _row(r: int, cells) -> bytes:
    out = [f'<row r="{r}">']
    for col, v in cells:
        if isinstance(v, str):
            out.append(f'<c r="{col}{r}" t="inlineStr"><is><t>{v}</t></is></c>')
        else:
            out.append(f'<c r="{col}{r}"><v>{v}</v></c>')
    out.append("</row>")
    return "".join(out).encode()


def _letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


CONTENT_TYPES = ('<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                 'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                 'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName='
                 '"/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.'
                 'main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.'
                 'openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>')
RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
        'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
        'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = ('<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
            '2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
            '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = ('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                 'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                 'officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>')


# ------------------------------------------------------------------ cases (run in a child process)

def case_rawan(path: str, real_regions: bool) -> dict:
    from rawan.engine import load_spec
    from rawan.intake import Limits, import_file

    spec = load_spec("ikp-2024")
    regions = None
    if real_regions and not path.endswith(".xlsx"):  # the desa XLSX has synthetic codes
        from rawan.regions import load_regions

        regions = load_regions(WILAYAH)
    level = "kabupaten_kota" if path.endswith((".csv", ".parquet")) else None
    r = import_file(Path(path), spec, regions=regions, level=level, limits=Limits(max_bytes=2 << 30, max_rows=5_000_000))
    return {"rows": r.provenance.rows, "regions": len(r.dataset.codes),
            "checksum": float(np.nansum(r.dataset.values))}


def case_baseline_events(path: str, real_regions: bool) -> dict:
    """Read with pandas, validate row by row with iterrows, then sum weights with groupby."""
    import re

    import pandas as pd

    codes = None
    if real_regions:
        codes = set(pd.read_csv(WILAYAH, dtype=str)["code"])
    df = pd.read_parquet(path) if path.endswith(".parquet") else pd.read_csv(path, sep=";", dtype=str,
                                                                             keep_default_na=False)
    shape = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
    indicators = {f"i{k:02d}" for k in range(1, 62)}
    weights = {"ringan": 1.0, "sedang": 2.0, "berat": 3.0}
    errors, w, kab = [], [], []
    for i, row in df.iterrows():
        code = str(row["kode_wilayah"]).strip()
        if not shape.match(code) or (codes is not None and code not in codes):
            errors.append((i + 2, "kode_wilayah", code))
        if row["indikator"] not in indicators:
            errors.append((i + 2, "indikator", row["indikator"]))
        sev = weights.get(str(row["tingkat"]).strip().lower())
        if sev is None:
            errors.append((i + 2, "tingkat", row["tingkat"]))
        try:
            dt.datetime.strptime(str(row["tanggal"]), "%Y-%m-%d")
        except ValueError:
            errors.append((i + 2, "tanggal", row["tanggal"]))
        if not str(row["sumber"]).strip():
            errors.append((i + 2, "sumber", ""))
        w.append(sev or 0.0)
        kab.append(code[:5])
    df["w"], df["kab"] = w, kab
    table = df.groupby(["kab", "indikator"])["w"].sum().unstack(fill_value=0.0)
    return {"rows": len(df), "regions": len(table), "checksum": float(table.to_numpy().sum()), "errors": len(errors)}


def case_baseline_xlsx(path: str, real_regions: bool) -> dict:
    import re

    import pandas as pd

    df = pd.read_excel(path, engine="calamine", dtype=object)
    shape = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$")
    ind = [f"i{k:02d}" for k in range(1, 62)]
    errors, seen = [], set()
    for i, row in df.iterrows():
        code = str(row["kode"]).strip()
        if not shape.match(code) or code in seen:
            errors.append((i + 2, "kode", code))
        seen.add(code)
        for c in ind:
            v = row[c]
            if v is None or (isinstance(v, float) and np.isnan(v)) or v == "":
                continue
            try:
                x = float(str(v).replace(",", "."))
            except ValueError:
                errors.append((i + 2, c, v))
                continue
            if x < 0 or x != int(x):
                errors.append((i + 2, c, v))
    return {"rows": len(df), "regions": len(seen), "checksum": float(pd.to_numeric(df[ind].stack()).sum()),
            "errors": len(errors)}


CASES = {"rawan": case_rawan, "baseline_events": case_baseline_events, "baseline_xlsx": case_baseline_xlsx}


def run_case(name: str, path: Path, real: bool) -> dict:
    out = subprocess.run([sys.executable, __file__, "--case", name, "--path", str(path), "--real", str(int(real))],
                         capture_output=True, text=True)
    if out.returncode:
        raise SystemExit(f"case {name} on {path.name} failed:\n{out.stderr}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def child(name: str, path: str, real: bool) -> None:
    t = time.perf_counter()
    res = CASES[name](path, real)
    res["seconds"] = time.perf_counter() - t
    use = resource.getrusage(resource.RUSAGE_SELF)
    res["peak_mib"] = use.ru_maxrss / 1024
    res["cpu_seconds"] = use.ru_utime + use.ru_stime  # includes interpreter start-up and imports
    print(json.dumps(res))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--case")
    ap.add_argument("--path")
    ap.add_argument("--real", default="0")
    args = ap.parse_args()
    if args.case:
        return child(args.case, args.path, args.real == "1")
    n_events = 100_000 if args.quick else 1_000_000
    n_desa = 10_000 if args.quick else 83_763
    print(f"rawan intake benchmark — {platform.platform()}, Python {platform.python_version()}, "
          f"{os.cpu_count()} CPUs (shared machine: figures are noisy)")
    with tempfile.TemporaryDirectory(prefix="rawan-bench-intake-") as d:
        d = Path(d)
        t = time.perf_counter()
        real = make_events(d / "kejadian.csv", d / "kejadian.parquet", n_events)
        make_desa_xlsx(d / "desa.xlsx", n_desa)
        print(f"inputs generated in {time.perf_counter() - t:.1f} s: {n_events:,} events "
              f"({'Jambi desa codes, checked against the region list' if real else 'synthetic codes'}), "
              f"{n_desa:,} desa x 61 indicators XLSX "
              f"({(d / 'kejadian.csv').stat().st_size / 2**20:.0f} MiB CSV, "
              f"{(d / 'kejadian.parquet').stat().st_size / 2**20:.0f} MiB Parquet, "
              f"{(d / 'desa.xlsx').stat().st_size / 2**20:.0f} MiB XLSX)")
        print(f"\n{'case':<26}{'rows':>11}{'seconds':>10}{'CPU s':>8}{'rows/s':>12}{'peak MiB':>10}{'speed-up':>10}")
        for label, file, base in (("events CSV", "kejadian.csv", "baseline_events"),
                                  ("events Parquet", "kejadian.parquet", "baseline_events"),
                                  ("desa XLSX", "desa.xlsx", "baseline_xlsx")):
            ours = run_case("rawan", d / file, real)
            theirs = run_case(base, d / file, real)
            assert abs(ours["checksum"] - theirs["checksum"]) < 1e-6 * max(1.0, theirs["checksum"]), (ours, theirs)
            assert theirs.get("errors", 0) == 0
            for who, r in (("rawan", ours), ("pandas", theirs)):
                ratio = theirs["seconds"] / ours["seconds"] if who == "rawan" else 1.0
                print(f"{label + ' ' + who:<26}"[:26].ljust(26) + f"{r['rows']:>11,}{r['seconds']:>10.2f}"
                      f"{r['cpu_seconds']:>8.1f}{r['rows'] / r['seconds']:>12,.0f}{r['peak_mib']:>10.0f}{ratio:>9.1f}x")
        print("\nSame checksum (sum of all aggregated / imported values) for rawan and the baseline in every case.")
        print("seconds = wall clock of the import in a fresh process; CPU s = that process's user+system time,"
              " start-up included (less sensitive to other jobs on the machine).")


if __name__ == "__main__":
    main()
