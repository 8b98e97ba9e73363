"""The values a map shows, read from a result or data table (CSV, XLSX, Parquet).

    values, synthetic, level = read_map_values("hasil-kabkota.csv", "category")
    svg = render_map(map_numbers(values) if map_mode(values) == "continuous" else values, level=level)
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.codes import infer_region_level, normalise_codes
from ..engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK, parse_numbers, read_columns, resolve_locale
from ..engine.errors import DataError, Problem
from .messages import RegionError
from ..vocabulary import is_category


def read_map_values(path: Path, column: str, code_column: str | None = None,
                    locale: str | None = None) -> tuple[dict, bool, str | None]:
    """(code -> value, synthetic?, level) from a result/data table (CSV, XLSX, Parquet).

    Codes are normalised by the engine (``1501`` is ``15.01``); values stay as read (text, or
    numbers from typed cells) until :func:`map_numbers` reads them with the file's ``locale``.
    """
    path = Path(path)
    raw = read_columns(path)
    locale = resolve_locale(raw.locale, locale, path.name)
    cols = [str(c) for c in raw.header]
    by_name = dict(zip(cols, raw.columns))
    code_col = code_column or next((c for c in ("code", "kode", "uCode") if c in cols), None)
    if code_col is None:
        raise DataError(Problem("data.no_code_column", {"file": path.name}))
    alias = {"category": ("kategori",), "kategori": ("category",), "score": ("skor", "indeks", "index"),
             "skor": ("score", "indeks", "index")}
    if column not in cols:  # the same column in the other language (a published table: kode, nama, skor, kategori)
        column = next((a for a in alias.get(column.lower(), ()) if a in cols), column)
    if column not in cols and column.lower() in ("index", "indeks", "score", "skor"):
        # the index column of a `rawan compute` table: the first one after code and name
        rest = [c for c in cols if c not in (code_col, "name", "nama", "rank", "peringkat", "category", "kategori",
                                             "completeness", "catatan", SYNTHETIC_COLUMN)]
        column = rest[0] if rest else column
    if column not in cols:
        raise RegionError(Problem("map.no_column", {"file": path.name, "column": column, "columns": ", ".join(cols)}))
    codes, ok = normalise_codes(by_name[code_col])
    if not ok.all():
        i = int(np.flatnonzero(~ok)[0])
        raise RegionError(Problem("map.bad_code_row", {"file": path.name, "row": i + 2, "column": code_col,
                                                       "code": codes[i]}))
    col = by_name[column]
    if pa.types.is_floating(col.type) or pa.types.is_integer(col.type):
        cells = [None if v is None or v != v else float(v) for v in col.to_pylist()]
    else:
        cells = [(v.strip() or None) if v is not None else None for v in col.cast(pa.string()).to_pylist()]
    values = MapValues(zip(codes, cells))
    values.locale = locale
    synthetic = False
    for name in ("catatan", SYNTHETIC_COLUMN):
        if name in by_name:
            marks = pc.utf8_upper(by_name[name].cast(pa.string()).fill_null(""))
            synthetic = synthetic or bool(pc.any(pc.match_substring(marks, SYNTHETIC_MARK)).as_py())
    return values, synthetic, infer_region_level(list(values))


class MapValues(dict):
    """code -> value as read, remembering the number locale of the table it came from."""

    locale: str | None = None


def map_mode(values: dict) -> str:
    """The mode to draw: "category" when every value is a category code, else "continuous"."""
    known = [v for v in values.values() if v is not None and not isinstance(v, (int, float))]
    cells = [v for v in values.values() if v is not None]
    return "category" if cells and len(known) == len(cells) and all(map(is_category, known)) else "continuous"


def map_numbers(values: dict, locale: str | None = None) -> dict:
    """The values as numbers by the engine's one number rule (:func:`rawan.engine.data.parse_numbers`)
    with ``locale`` (default: the one the table was read with); a named problem for any other text."""
    locale = locale or getattr(values, "locale", None)
    codes = list(values)
    cells = np.array([values[c] for c in codes], dtype=object)
    p = parse_numbers(cells, locale)
    for i in np.flatnonzero(p.bad | p.ambiguous):
        key = "map.ambiguous_score" if p.ambiguous[i] else "map.bad_score"
        raise RegionError(Problem(key, {"code": codes[i], "value": cells[i]}))
    return {c: (None if p.empty[i] else float(p.values[i])) for i, c in enumerate(codes)}
