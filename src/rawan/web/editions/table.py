"""The one result table an edition serves: every download (CSV, XLSX, GeoJSON) and the API's
``table`` carry the columns of the bundle's ``results.csv``, in its order.

A computed edition's table is the engine's (:func:`rawan.engine.output.frame` of the Result its
stored results came from), so the CSV download of a published edition is the bundle's
``results.csv`` byte for byte (text cells a spreadsheet would evaluate aside).  A results-only
edition (published scores without indicator data) fills the same columns from its stored rows:
``code, name, indeks, <dimensions>, rank, category, completeness`` and its ``note``.
"""

from __future__ import annotations

import math

import numpy as np

from ...engine import output
from ...vocabulary import synthetic_note
from . import dashboard as D
from .models import Edition
from .services import result_of

INDEX_COLUMN = "indeks"  # the index column of a results-only edition (no model: no index code)


def result_table(edition: Edition) -> tuple[list[str], list[np.ndarray]]:
    """(header, columns) of the edition's result table; rows by rank, then code."""
    res = result_of(edition)
    if res is not None:
        header, cols, _ = output.frame(res)
        return header, cols
    rows = D.rows_of(edition)
    dims = [d for d, _ in D.dimension_names(edition)]
    if not dims:
        dims = sorted({k for r in rows for k in (r.dimensions or {})})
    header = ["code", "name", INDEX_COLUMN] + dims + ["rank", "category", "completeness", "note"]

    def num(v):
        return np.nan if v is None else float(v)

    cols = [np.array([r.region_code for r in rows], dtype=object), np.array([r.name for r in rows], dtype=object),
            np.array([num(r.score) for r in rows], dtype=float)]
    cols += [np.array([num((r.dimensions or {}).get(d)) for r in rows], dtype=float) for d in dims]
    cols += [np.array([num(r.rank) for r in rows], dtype=float),
             np.array([r.category or None for r in rows], dtype=object),
             np.array([num(r.completeness) for r in rows], dtype=float),
             np.array([r.note or None for r in rows], dtype=object)]
    if edition.synthetic:
        header.append("catatan")
        cols.append(np.full(len(rows), synthetic_note("id"), dtype=object))
    return header, cols


def table_rows(header: list[str], cols: list[np.ndarray]) -> list[list]:
    """The table as rows of Python values: None for no value, the rank as an int."""
    out = []
    for h, c in zip(header, cols):
        if c.dtype.kind == "f":
            vals = [None if math.isnan(x) else x for x in c.tolist()]
            out.append([None if v is None else int(v) for v in vals] if h == "rank" else vals)
        else:
            out.append(c.tolist())
    return [list(r) for r in zip(*out)] if out and len(out[0]) else []
