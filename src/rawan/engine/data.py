"""Indicator data: one row per region, one column per indicator.

:class:`Dataset` is what :func:`rawan.engine.compute` takes.  It is built from a
table (pandas DataFrame) read from CSV, XLSX or Parquet; the id column is
``code`` (or COINr's ``uCode``), names come from ``name``/``nama``/``uName``,
and columns that are not indicators of the methodology are kept as region
attributes (for group-mean imputation) without being computed.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .errors import DataError, Problem

CODE_COLUMNS = ("code", "kode", "uCode")
NAME_COLUMNS = ("name", "nama", "uName")
SYNTHETIC_COLUMN = "data_contoh"
SYNTHETIC_MARK = "DATA CONTOH"


@dataclass
class Dataset:
    codes: list[str]
    columns: list[str]  # indicator codes, in the order of ``values`` columns
    values: np.ndarray  # (regions, indicators), float64, NaN = no data
    names: list[str] | None = None
    attributes: dict[str, np.ndarray] = field(default_factory=dict)
    source: str | None = None  # file name, for messages
    rows: list[int] | None = None  # spreadsheet row of each region (header = 1)
    synthetic: bool = False

    def __post_init__(self):
        # column-major: every step reads and writes whole indicator columns
        self.values = np.asfortranarray(self.values, dtype=float)
        if self.values.shape != (len(self.codes), len(self.columns)):
            raise ValueError("values must be (len(codes), len(columns))")

    @property
    def hash(self) -> str:
        """SHA-256 of codes, names, columns, values, attributes and the synthetic mark (cached)."""
        cached = self.__dict__.get("_hash")
        if cached is not None:
            return cached
        h = hashlib.sha256()
        h.update("\0".join(self.codes).encode("utf-8") + b"\1")
        h.update("\0".join(self.columns).encode("utf-8") + b"\1")
        h.update(memoryview(np.asfortranarray(self.values, dtype="<f8").T).cast("B"))  # column by column
        h.update(b"\1" + "\0".join(self.names or []).encode("utf-8"))
        h.update(b"\3synthetic" if self.synthetic else b"\3")
        for key in sorted(self.attributes):
            h.update(key.encode("utf-8") + b"\2" + "\0".join(map(str, self.attributes[key])).encode("utf-8"))
        self.__dict__["_hash"] = h.hexdigest()
        return self.__dict__["_hash"]

    def subset(self, indicators: list[str]) -> np.ndarray:
        idx = [self.columns.index(c) for c in indicators]
        return self.values[:, idx]

    @classmethod
    def from_frame(cls, df, indicators: list[str] | None = None, source: str | None = None) -> "Dataset":
        """Build from a DataFrame of strings or numbers.

        With ``indicators`` given, those columns must be numeric (every bad
        cell is reported with its row and column); the other columns become
        attributes.  Without it, every numeric column is an indicator.
        """
        import pandas as pd

        file = source or "<data>"
        cols = [str(c).strip() for c in df.columns]
        df = df.copy()
        df.columns = cols
        code_col = next((c for c in CODE_COLUMNS if c in cols), None)
        if code_col is None:
            raise DataError(Problem("data.no_code_column", {"file": file}))
        name_col = next((c for c in NAME_COLUMNS if c in cols), None)
        letters = {c: _column_letter(i) for i, c in enumerate(cols)}
        problems: list[Problem] = []
        codes: list[str] = []
        seen: dict[str, list[int]] = {}
        for i, v in enumerate(df[code_col].tolist()):
            row = i + 2
            code = "" if v is None or (isinstance(v, float) and np.isnan(v)) else str(v).strip()
            if not code:
                problems.append(Problem("data.empty_code", {"file": file, "row": row,
                                                            "column": f"{letters[code_col]} ({code_col})"}))
            codes.append(code)
            seen.setdefault(code, []).append(row)
        for code, rows in seen.items():
            if code and len(rows) > 1:
                problems.append(Problem("data.duplicate_region", {
                    "file": file, "code": code, "rows": ", ".join(map(str, rows))}))
        special = {code_col, name_col, SYNTHETIC_COLUMN}
        candidates = [c for c in cols if c not in special]
        if indicators is None:
            indicators = [c for c in candidates if _numeric_ratio(df[c]) == 1.0]
        value_cols = [c for c in indicators if c in cols]
        values = np.full((len(df), len(value_cols)), np.nan)
        for j, c in enumerate(value_cols):
            parsed, bad = _parse_numbers(df[c])
            values[:, j] = parsed
            for i in bad:
                problems.append(Problem("data.not_a_number", {
                    "file": file, "row": i + 2, "column": f"{letters[c]} ({c})",
                    "code": codes[i], "value": str(df[c].iloc[i])}))
        if problems:
            raise DataError(problems)
        attributes = {c: df[c].astype(str).to_numpy() for c in candidates if c not in value_cols}
        synthetic = SYNTHETIC_COLUMN in cols and bool(
            df[SYNTHETIC_COLUMN].astype(str).str.strip().str.upper().eq(SYNTHETIC_MARK).any())
        names = None
        if name_col:
            names = ["" if pd.isna(v) else str(v) for v in df[name_col].tolist()]
        return cls(codes=codes, columns=value_cols, values=values, names=names,
                   attributes=attributes, source=source, rows=list(range(2, len(df) + 2)),
                   synthetic=synthetic)


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


_MISSING = {"", "na", "n/a", "nan", "-", "null", "none"}


def _parse_numbers(series) -> tuple[np.ndarray, list[int]]:
    """Floats from a column; empty / NA cells are NaN; returns the bad row indices."""
    if series.dtype.kind in "fiub":
        return series.to_numpy(dtype=float), []
    out = np.full(len(series), np.nan)
    bad = []
    for i, v in enumerate(series.tolist()):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            continue
        if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool):
            out[i] = float(v)
            continue
        s = str(v).strip()
        if s.lower() in _MISSING:
            continue
        try:
            out[i] = float(_indonesian_number(s))
        except ValueError:
            bad.append(i)
    return out, bad


_ID_NUMBER = re.compile(r"^[+-]?(\d{1,3}(\.\d{3})+|\d+)(,\d+)?$")


def _indonesian_number(s: str) -> str:
    """'41,63' -> '41.63' and '1.234,5' -> '1234.5' (Indonesian Excel); others unchanged."""
    if "," in s and _ID_NUMBER.match(s):
        return s.replace(".", "").replace(",", ".")
    if s.count(".") > 1 and _ID_NUMBER.match(s):  # 1.234.567
        return s.replace(".", "")
    return s


def _numeric_ratio(series) -> float:
    if series.dtype.kind in "fiub":
        return 1.0
    vals = [v for v in series.tolist() if not (v is None or str(v).strip().lower() in _MISSING)]
    if not vals:
        return 0.0
    ok = 0
    for v in vals:
        try:
            float(_indonesian_number(str(v).strip()))
            ok += 1
        except ValueError:
            pass
    return ok / len(vals)


def read_table(path: str | Path):
    """CSV (UTF-8, with or without BOM), XLSX (first sheet) or Parquet -> DataFrame of strings."""
    import pandas as pd

    path = Path(path)
    if not path.exists():
        raise DataError(Problem("data.file_missing", {"file": str(path)}))
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, engine="calamine").fillna("")
        if suffix == ".parquet":
            return pd.read_parquet(path)
    except (ValueError, OSError, UnicodeDecodeError) as e:
        raise DataError(Problem("data.unreadable", {"file": path.name, "detail": str(e)})) from None
    raise DataError(Problem("data.format", {"file": path.name}))


def read_data(path: str | Path, indicators: list[str] | None = None) -> Dataset:
    path = Path(path)
    return Dataset.from_frame(read_table(path), indicators=indicators, source=path.name)
