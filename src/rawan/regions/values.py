"""The values a map shows, read from a result or data table (CSV, XLSX, Parquet).

    values, synthetic, level = read_map_values("hasil-kabkota.csv", "category")
    svg = render_map(map_numbers(values) if map_mode(values) == "continuous" else values, level=level)
"""

from __future__ import annotations

from pathlib import Path

from ..engine.codes import infer_region_level, normalise_code
from ..engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK, read_table
from ..engine.errors import DataError, Problem
from .messages import RegionError
from .palette import CATEGORY_COLOURS


def read_map_values(path: Path, column: str, code_column: str | None = None) -> tuple[dict, bool, str | None]:
    """(code -> value, synthetic?, level) from a result/data table (CSV, XLSX, Parquet)."""
    df = read_table(path)
    cols = [str(c) for c in df.columns]
    code_col = code_column or next((c for c in ("code", "kode", "uCode") if c in cols), None)
    if code_col is None:
        raise DataError(Problem("data.no_code_column", {"file": path.name}))
    if column not in cols and column.lower() in ("index", "indeks"):
        # the index column of a `rawan compute` table: the first one after code and name
        rest = [c for c in cols if c not in (code_col, "name", "nama")]
        column = rest[0] if rest else column
    if column not in cols:
        raise RegionError(Problem("map.no_column", {"file": path.name, "column": column, "columns": ", ".join(cols)}))
    values = {}
    for i, (code, v) in enumerate(zip(df[code_col].astype(str), df[column]), start=2):
        c = normalise_code(code)
        if c is None:
            raise RegionError(Problem("map.bad_code_row", {"file": path.name, "row": i, "column": code_col, "code": code}))
        s = "" if v is None else str(v).strip()
        values[c] = s or None
    synthetic = any(SYNTHETIC_MARK in str(v).upper() for col in ("catatan", SYNTHETIC_COLUMN) if col in cols
                    for v in df[col])
    return values, synthetic, infer_region_level(list(values))


def map_mode(values: dict) -> str:
    """The mode to draw: "category" when every value is a category code, else "continuous"."""
    known = {str(v).lower() for v in values.values() if v is not None}
    return "category" if known and known <= set(CATEGORY_COLOURS) else "continuous"


def map_numbers(values: dict) -> dict:
    """The values as numbers (a decimal comma is read as a point); a named problem for any other text."""
    return {k: _number(v, k) for k, v in values.items()}


def _number(v, code: str):
    if v is None:
        return None
    try:
        return float(str(v).replace(",", "."))
    except ValueError:
        raise RegionError(Problem("map.bad_score", {"code": code, "value": v})) from None
