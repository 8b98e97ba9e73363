"""Writing a Result as a table (CSV, XLSX, JSON) — the same inputs give the same bytes.

One row per region, sorted by rank (then code): ``code``, ``name``, the index
and every other aggregate (top-down), ``rank`` (within this table), ``rank_reference``
(within the reference, only for a part of one: ``--parent`` or ``--reference``), ``category``,
``completeness``; a ``catatan`` column says "DATA CONTOH" when the data is
synthetic.  Numbers are written in their shortest round-trip form by
:func:`rawan.engine.numbers.format_numbers` (``12.345`` as ``12.3450``, never ambiguous), so
every table rawan writes reads back to the same values under every locale.
"""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import numpy as np
from typing import Any

from .. import vocabulary
from .numbers import column_map, format_numbers
from .errors import Problem, RawanError
from .pipeline import Result

SYNTHETIC_NOTE = vocabulary.synthetic_note("id")


def frame(result: Result) -> tuple[list[str], list[np.ndarray], np.ndarray]:
    """The result table column-wise: header, one array per column (rows in table order), and the
    order of the result's regions in it (by rank, then code; unranked last)."""
    tree = result.spec.tree
    aggs = sorted(result.aggregates, key=lambda a: (-tree.level[a], result.aggregates.index(a)))
    # a part of a reference (--parent, --reference) also gives the rank within the reference
    both = result.is_subset
    header = (["code"] + (["name"] if result.names else []) + aggs + ["rank"]
              + (["rank_reference"] if both else []) + ["category", "completeness"])
    rank = result.rank()
    cat = result.categories.get(result.index_code)
    codes = np.array(result.codes, dtype=object)
    order = np.lexsort((codes.astype(str), np.nan_to_num(rank, nan=0.0), np.isnan(rank)))
    cols: list[np.ndarray] = [codes[order]]
    if result.names:
        cols.append(np.array(result.names, dtype=object)[order])
    block = result.scores[np.ix_(order, [result.col(a) for a in aggs])]
    cols += [block[:, j] for j in range(len(aggs))]
    cols.append(rank[order])
    if both:
        cols.append(np.asarray(result.rank_in_reference, dtype=float)[order])
    if cat:  # class -1 (no class) picks the trailing None
        labels = np.array(list(cat.labels) + [None], dtype=object)[np.asarray(cat.classes, dtype=int)]
    else:
        labels = np.full(len(codes), None, dtype=object)
    cols.append(labels[order])
    cols.append(np.asarray(result.coverage(), dtype=float)[order])
    if result.synthetic:
        header.append("catatan")
        cols.append(np.full(len(codes), SYNTHETIC_NOTE, dtype=object))
    return header, cols, order


def table(result: Result) -> tuple[list[str], list[list[Any]]]:
    """The result table as rows of Python values (None for no value); see :func:`frame`."""
    header, cols, _ = frame(result)
    out = []
    rank_cols = {header.index(h) for h in ("rank", "rank_reference") if h in header}
    for j, c in enumerate(cols):
        if j in rank_cols:
            out.append([None if math.isnan(x) else int(x) for x in c.tolist()])
        elif c.dtype.kind == "f":
            out.append(np.where(np.isnan(c), None, c).tolist())
        else:
            out.append(c.tolist())
    return header, [list(r) for r in zip(*out)] if out and len(out[0]) else []


def _text_column(col: np.ndarray, is_rank: bool = False):
    """One column as CSV field text (Arrow strings; null = empty field), quoted where needed."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if col.dtype.kind == "f" and is_rank:
        return pc.cast(pa.array(col, from_pandas=True).cast(pa.int64()), pa.string())
    if col.dtype.kind == "f":
        return format_numbers(col)
    text = pa.array(col, type=pa.string(), from_pandas=True)
    needs = pc.match_substring_regex(text, '[",\r\n]')
    if pc.any(needs).as_py():
        quoted = pc.binary_join_element_wise('"', pc.replace_substring(text, '"', '""'), '"', "")
        text = pc.if_else(needs, quoted, text)
    return text


def csv_bytes(header: list[str], cols: list[np.ndarray], rank_column: str | None = "rank") -> bytes:
    """Columns as UTF-8 CSV ("," and "\\n", minimal quoting, numbers by :func:`format_numbers`),
    whole columns at a time: the lines are joined by Arrow and taken from its buffer as they are."""
    head, body = csv_parts(header, cols, rank_column)
    return head + bytes(body)


def csv_parts(header: list[str], cols: list[np.ndarray], rank_column: str | None = "rank") -> tuple[bytes, memoryview]:
    """:func:`csv_bytes` as (header line, a view of the lines in Arrow's buffer): written to a file
    one after the other, without joining them into one copy."""
    import pyarrow.compute as pc

    head = (",".join(_text_column(np.array([h], dtype=object))[0].as_py() for h in header) + "\n").encode("utf-8")
    if not cols or not len(cols[0]):
        return head, memoryview(b"")
    fields = column_map(lambda hc: _text_column(hc[1], is_rank=(hc[0] == rank_column or (
        rank_column == "rank" and hc[0] == "rank_reference"))), list(zip(header, cols)), len(cols[0]))
    # the last field carries the line end, so one join makes whole lines: "a,b,c\n"
    fields = [f.fill_null("") if f.null_count else f for f in fields]  # joining without nulls is 4x faster
    fields[-1] = pc.binary_join_element_wise(fields[-1], "\n", "")
    lines = fields[0] if len(fields) == 1 else pc.binary_join_element_wise(*fields, ",")
    return head, _string_view(lines)


def _string_view(arr) -> memoryview:
    """The characters of an Arrow string array, concatenated: a view of its data buffer (no copy)."""
    import pyarrow as pa

    width = np.int64 if pa.types.is_large_string(arr.type) else np.int32
    bufs = arr.buffers()
    offsets = np.frombuffer(bufs[1], dtype=width)[arr.offset: arr.offset + len(arr) + 1]
    return memoryview(bufs[2])[int(offsets[0]): int(offsets[-1])]


def csv_text(header: list[str], cols: list[np.ndarray], rank_column: str | None = "rank") -> str:
    return csv_bytes(header, cols, rank_column).decode("utf-8")


def to_csv(result: Result) -> str:
    header, cols, _ = frame(result)
    return csv_text(header, cols)


def _num(x: float) -> float | None:
    x = float(x)
    return None if math.isnan(x) else x




def to_json(result: Result) -> str:
    header, rows = table(result)
    doc = {
        "recipe": result.recipe,
        "synthetic": result.synthetic,
        "note": SYNTHETIC_NOTE if result.synthetic else None,
        "assumptions": [a.code for a in result.spec.assumptions],
        "reference": {"kind": result.reference.kind, "name": result.reference.name,
                      "regions": result.reference_size, "parent": result.parent,
                      "note": result.reference.sentence("id"), "note_en": result.reference.sentence("en")},
        "warnings": [w.render("id") for w in result.warnings],
        "cutoffs": {k: {"rule": c.rule, "labels": c.labels,
                        "cutoffs": [_num(x) for x in c.cutoffs]} for k, c in result.categories.items()},
        "regions": [dict(zip(header, r)) for r in rows],
    }
    return json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=False) + "\n"


def write(result: Result, path: str | Path) -> Path:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        header, cols, _ = frame(result)
        data = csv_parts(header, cols)
    elif suffix == ".json":
        data = to_json(result).encode("utf-8")
    elif suffix == ".xlsx":
        data = _xlsx_bytes(result)
    else:
        raise RawanError(Problem("output.format", {"file": path.name}))
    tmp = path.with_name(path.name + ".tmp")
    with open(tmp, "wb") as f:
        for part in (data if isinstance(data, tuple) else (data,)):
            f.write(part)
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
    info.append(["referensi", result.reference.sentence("id")])
    if result.parent:
        info.append(["parent", result.parent])
    for a in result.spec.assumptions:
        info.append([f"asumsi: {a.code}", a.text.id])
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
