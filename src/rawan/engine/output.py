"""Writing a Result as a table (CSV, XLSX, JSON) — the same inputs give the same bytes.

One row per region, sorted by rank (then code): ``code``, ``name``, the index
and every other aggregate (top-down), ``rank``, ``category``,
``completeness``; a ``catatan`` column says "DATA CONTOH" when the data is
synthetic.  Numbers are written with Python's shortest round-trip repr.
"""

from __future__ import annotations

import csv
import io
import json
import math
from pathlib import Path

import numpy as np
from typing import Any

from .data import SYNTHETIC_MARK
from .errors import Problem, RawanError
from .pipeline import Result

SYNTHETIC_NOTE = SYNTHETIC_MARK + " — data sintetis, bukan data Bawaslu"


def table(result: Result) -> tuple[list[str], list[list[Any]]]:
    tree = result.spec.tree
    aggs = sorted(result.aggregates, key=lambda a: (-tree.level[a], result.aggregates.index(a)))
    header = ["code"] + (["name"] if result.names else []) + aggs + ["rank", "category", "completeness"]
    if result.synthetic:
        header.append("catatan")
    rank = result.rank()
    cat = result.categories.get(result.index_code)
    # whole columns to Python objects at once (NaN -> None), then rows
    block = result.scores[:, [result.col(a) for a in aggs]]
    values = np.where(np.isnan(block), None, block).tolist()
    cov = result.coverage().tolist()
    ranks = [None if math.isnan(x) else int(x) for x in rank.tolist()]
    labels = [cat.label_of(i) if cat else None for i in range(len(result.codes))]
    order = sorted(range(len(result.codes)),
                   key=lambda i: (ranks[i] is None, ranks[i] or 0, result.codes[i]))
    rows = []
    for i in order:
        r: list[Any] = [result.codes[i]]
        if result.names:
            r.append(result.names[i])
        r += values[i]
        r += [ranks[i], labels[i], cov[i]]
        if result.synthetic:
            r.append(SYNTHETIC_NOTE)
        rows.append(r)
    return header, rows


def _num(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x


def _cell(v: Any) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        return repr(v)
    return str(v)


def to_csv(result: Result) -> str:
    header, rows = table(result)
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow([_cell(v) for v in r])
    return buf.getvalue()


def to_json(result: Result) -> str:
    header, rows = table(result)
    doc = {
        "recipe": result.recipe,
        "synthetic": result.synthetic,
        "note": SYNTHETIC_NOTE if result.synthetic else None,
        "assumptions": [a.code for a in result.spec.assumptions],
        "cutoffs": {k: {"rule": c.rule, "labels": c.labels,
                        "cutoffs": [_num(x) for x in c.cutoffs]} for k, c in result.categories.items()},
        "regions": [dict(zip(header, r)) for r in rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write(result: Result, path: str | Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        data = to_csv(result).encode("utf-8")
    elif suffix == ".json":
        data = to_json(result).encode("utf-8")
    elif suffix == ".xlsx":
        data = _xlsx_bytes(result)
    else:
        raise RawanError(Problem("output.format", {"file": path.name}))
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_bytes(data)
    tmp.replace(path)  # never a half-written output
    return path


def _xlsx_bytes(result: Result) -> bytes:
    from openpyxl import Workbook

    header, rows = table(result)
    wb = Workbook()
    ws = wb.active
    ws.title = "hasil"
    ws.append(header)
    for r in rows:
        ws.append(r)
    info = wb.create_sheet("resep")
    for k, v in result.recipe.items():
        info.append([k, v])
    if result.synthetic:
        info.append(["catatan", SYNTHETIC_NOTE])
    for a in result.spec.assumptions:
        info.append([f"asumsi: {a.code}", a.text.id])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
