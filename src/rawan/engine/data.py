"""Indicator data: one row per region, one column per indicator — THE entrance for tables.

:class:`Dataset` is what :func:`rawan.engine.compute` takes.  It is built from a
table read from CSV, XLSX or Parquet (:func:`read_columns`, Arrow columns); the id column is
``code`` (or COINr's ``uCode``), names come from ``name``/``nama``/``uName``,
and columns that are not indicators of the methodology are kept as region
attributes (for group-mean imputation) without being computed.

Every entrance of rawan (engine files, intake, the web form and API, map value tables) reads
numbers with :func:`parse_numbers` / :func:`parse_number` (the one number rule, with a locale,
in :mod:`rawan.engine.numbers`) and region codes with :func:`normalise_codes` /
:func:`rawan.engine.codes.normalise_code`.
"""

from __future__ import annotations

import codecs
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .. import vocabulary
from .codes import normalise_codes
from .errors import DataError, Problem
from .numbers import (LOCALES, MISSING, Numbers, check_locale, column_map, format_numbers, parse_number,
                      parse_numbers)

__all__ = ["CODE_COLUMNS", "LOCALES", "MISSING", "NAME_COLUMNS", "Dataset", "Numbers", "RawColumns", "check_locale",
           "format_numbers", "normalise_codes", "parse_number", "parse_numbers", "read_columns", "read_data",
           "read_table", "resolve_locale"]

CODE_COLUMNS = ("code", "kode", "uCode")
NAME_COLUMNS = ("name", "nama", "uName")
SYNTHETIC_COLUMN = "data_contoh"
SYNTHETIC_MARK = vocabulary.SYNTHETIC_MARK


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
        if isinstance(self.codes, _NormalisedCodes):  # from :meth:`from_columns`: already done
            ok = self.codes.all_kemendagri
            self.codes = list(self.codes)
        else:
            self.codes, flags = normalise_codes(self.codes)  # one code spelling, whatever the entrance
            ok = bool(flags.all())
        self._kemendagri = (self.codes, ok)
        if self.values.shape != (len(self.codes), len(self.columns)):
            raise ValueError("values must be (len(codes), len(columns))")

    def region_level(self) -> str | None:
        """The one Kemendagri level all codes share, else None (as :func:`infer_region_level`)."""
        from .codes import infer_region_level, level_of_dotted

        codes, ok = self.__dict__.get("_kemendagri", (None, False))
        if codes is not self.codes:  # codes replaced after construction
            return infer_region_level(self.codes)
        level = self.__dict__.get("_level", False)
        if level is False:
            level = self.__dict__["_level"] = level_of_dotted(self.codes, ok)
        return level

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
    def from_frame(cls, df, indicators: list[str] | None = None, source: str | None = None,
                   locale: str | None = None) -> "Dataset":
        """Build from a DataFrame of strings or numbers (see :meth:`from_columns`)."""
        header = [str(c).strip() for c in df.columns]
        return cls.from_columns(header, [df.iloc[:, j] for j in range(df.shape[1])], indicators=indicators,
                                source=source, locale=locale)

    @classmethod
    def from_columns(cls, header: list[str], columns: list, indicators: list[str] | None = None,
                     source: str | None = None, locale: str | None = None) -> "Dataset":
        """Build from named columns (Arrow arrays, numpy arrays, Series or lists): the one entrance.

        Region codes go through :func:`normalise_codes` and numbers through :func:`parse_numbers`
        with ``locale`` (``id``, ``en`` or None: then "1.234" is a named problem).  With
        ``indicators`` given, those columns must be numeric (every bad cell is reported with its row
        and column); the other columns become attributes.  Without it, every column whose filled
        cells are all numbers is an indicator.
        """
        file = source or "<data>"
        cols = [str(c).strip() for c in header]
        by_name = dict(zip(cols, columns))
        code_col = next((c for c in CODE_COLUMNS if c in cols), None)
        if code_col is None:
            raise DataError(Problem("data.no_code_column", {"file": file}))
        name_col = next((c for c in NAME_COLUMNS if c in cols), None)
        letters = {c: _column_letter(i) for i, c in enumerate(cols)}
        n = len(by_name[code_col])
        problems: list[Problem] = []
        codes, code_ok = normalise_codes(by_name[code_col])
        import pyarrow as pa
        import pyarrow.compute as pc

        code_pa = pa.array(codes, type=pa.string())
        for i in np.flatnonzero(pc.equal(code_pa, "").to_numpy(zero_copy_only=False)):
            problems.append(Problem("data.empty_code", {"file": file, "row": int(i) + 2,
                                                        "column": f"{letters[code_col]} ({code_col})"}))
        if len(pc.unique(code_pa)) < n:  # rare: then find which codes, and their rows
            code_arr = np.array(codes, dtype=object)
            counts = pc.value_counts(code_pa)
            for item in counts.filter(pc.greater(counts.field("counts"), 1)).to_pylist():
                if item["values"]:
                    rows = np.flatnonzero(code_arr == item["values"]) + 2
                    problems.append(Problem("data.duplicate_region", {
                        "file": file, "code": item["values"], "rows": ", ".join(map(str, rows.tolist()))}))
        special = {code_col, name_col, SYNTHETIC_COLUMN}
        candidates = [c for c in cols if c not in special]
        parsed: dict[str, Numbers] = {}
        if indicators is None:
            indicators = []
            for c, p in zip(candidates, column_map(lambda c: parse_numbers(by_name[c], locale), candidates, n)):
                if not p.bad.any() and not p.empty.all():
                    parsed[c] = p
                    indicators.append(c)
        value_cols = [c for c in indicators if c in by_name]
        values = np.empty((n, len(value_cols)), order="F")  # every column is filled below
        todo = [c for c in value_cols if c not in parsed]
        parsed.update(zip(todo, column_map(lambda c: parse_numbers(by_name[c], locale), todo, n)))
        for j, c in enumerate(value_cols):
            p = parsed[c]
            values[:, j] = p.values
            if p.ok:
                continue
            raw = _as_list(by_name[c])
            for i in np.flatnonzero(p.bad | p.ambiguous):
                key = "data.ambiguous_number" if p.ambiguous[i] else "data.not_a_number"
                problems.append(Problem(key, {"file": file, "row": int(i) + 2, "column": f"{letters[c]} ({c})",
                                              "code": codes[i], "value": "" if raw[i] is None else str(raw[i])}))
        if problems:
            raise DataError(problems)
        attributes = {c: _as_text(by_name[c]) for c in candidates if c not in value_cols}
        synthetic = SYNTHETIC_COLUMN in by_name and bool(
            (np.char.upper(np.char.strip(_as_text(by_name[SYNTHETIC_COLUMN]).astype(str))) == SYNTHETIC_MARK).any())
        names = _as_text(by_name[name_col]).tolist() if name_col else None
        return cls(codes=_NormalisedCodes(codes, bool(code_ok.all())), columns=value_cols, values=values, names=names,
                   attributes=attributes, source=source, rows=list(range(2, n + 2)),
                   synthetic=synthetic)


class _NormalisedCodes(list):
    """Codes that went through :func:`normalise_codes` (and whether all are Kemendagri codes)."""

    def __init__(self, codes: list[str], all_kemendagri: bool):
        super().__init__(codes)
        self.all_kemendagri = all_kemendagri


def _as_list(column) -> list:
    return column.to_pylist() if hasattr(column, "to_pylist") else list(column.tolist() if hasattr(column, "tolist") else column)


def _as_text(column) -> np.ndarray:
    """A column as an object array of strings ("" for empty cells)."""
    import pyarrow as pa

    if isinstance(column, (pa.Array, pa.ChunkedArray)):
        if not pa.types.is_string(column.type):
            column = column.cast(pa.string())
        return np.asarray((column.fill_null("") if column.null_count else column).to_numpy(zero_copy_only=False), dtype=object)
    out = []
    for v in _as_list(column):
        if v is None or (isinstance(v, float) and v != v):
            out.append("")
        elif isinstance(v, float) and v.is_integer():
            out.append(str(int(v)))
        else:
            out.append(str(v))
    return np.array(out, dtype=object)


def _column_letter(i: int) -> str:
    s = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        s = chr(65 + r) + s
    return s


# ---------------------------------------------------------------------- reading files

@dataclass
class RawColumns:
    """A table as read: header, one column per header (Arrow), and the locale the file declares."""

    header: list[str]
    columns: list
    locale: str | None = None
    file: str = ""


def detect_encoding(data: bytes) -> str | None:
    """utf-8-sig (BOM), utf-8, else cp1252; None when none decodes the bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    for enc in ("utf-8", "cp1252"):
        try:
            data.decode(enc)
            return enc
        except UnicodeDecodeError:
            pass
    return None


def detect_delimiter(first_line: str) -> str:
    """The most frequent of ';', ',' and tab outside quotes in the header line (default ',')."""
    counts = {";": 0, ",": 0, "\t": 0}
    quoted = False
    for ch in first_line:
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch in counts:
            counts[ch] += 1
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def read_csv_columns(data: bytes, file: str, encoding: str | None = None,
                     keep_empty_lines: bool = False) -> RawColumns:
    """CSV bytes -> every column as Arrow strings (empty cell = null), multi-threaded C++ reader.

    UTF-8 (with or without BOM) is read as it is (Arrow checks it); other text is taken as
    Windows-1252.  ValueError (with the reader's message) for a ragged or unreadable text.
    ``keep_empty_lines``: a blank line is a row (so rows keep their line's number); in a table of
    more than one column that makes it ragged, hence a ValueError.
    """
    import csv as _csv

    import pyarrow as pa
    import pyarrow.csv as pacsv

    if encoding is None and data.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    if encoding == "utf-8-sig":
        data = data[3:]
    elif encoding not in (None, "utf-8"):
        data = data.decode(encoding).encode("utf-8")
    end = data.find(b"\n")
    first = data[: end if end >= 0 else len(data)].decode("utf-8", "replace")
    delimiter = detect_delimiter(first)
    header = next(_csv.reader([first.rstrip("\r")], delimiter=delimiter), [])
    names = [f"\0{j}" for j in range(len(header))]  # positional: duplicate or empty headers stay apart
    try:
        table = pacsv.read_csv(
            pa.py_buffer(data),
            read_options=pacsv.ReadOptions(column_names=names, skip_rows=1, block_size=1 << 22),
            parse_options=pacsv.ParseOptions(delimiter=delimiter, newlines_in_values=b'"' in data,
                                             ignore_empty_lines=not keep_empty_lines),
            convert_options=pacsv.ConvertOptions(column_types={c: pa.string() for c in names},
                                                 strings_can_be_null=True, null_values=[""],
                                                 quoted_strings_can_be_null=True))
    except pa.ArrowInvalid as e:
        if encoding is None and "UTF8" in str(e).upper().replace("-", ""):
            text = data.decode("cp1252")  # UnicodeDecodeError: neither UTF-8 nor Windows-1252
            return read_csv_columns(text.encode("utf-8"), file, "utf-8", keep_empty_lines)
        raise ValueError(str(e)) from None
    return RawColumns([h.strip().lstrip("\ufeff") for h in header],
                      [table.column(j) for j in range(table.num_columns)], file=file)


def read_xlsx_columns(path: Path) -> RawColumns:
    """First sheet of a workbook by calamine: number cells stay numbers, text stays text.

    A column mixing both keeps its text and writes its numbers in the form rawan writes
    (:func:`format_numbers`), so every cell reads back as the same value.  A hidden ``_rawan``
    sheet (a rawan template) may declare the number ``locale``.
    """
    import pyarrow as pa
    from python_calamine import CalamineWorkbook

    wb = CalamineWorkbook.from_path(str(path))
    rows = wb.get_sheet_by_index(0).to_python()
    locale = None
    if "_rawan" in wb.sheet_names:
        meta = {str(r[0]).strip(): str(r[1]).strip() for r in wb.get_sheet_by_name("_rawan").to_python()
                if len(r) >= 2}
        locale = meta.get("locale") or None
    if not rows:
        return RawColumns([], [], locale, path.name)
    width = max(len(r) for r in rows)
    header = [str(v).strip() if v is not None else "" for v in list(rows[0]) + [""] * (width - len(rows[0]))]
    body = np.empty((len(rows) - 1, width), dtype=object)
    body.fill("")
    for i, r in enumerate(rows[1:]):
        body[i, : len(r)] = r
    columns = [_cells_to_arrow(body[:, j]) for j in range(width)]
    return RawColumns(header, columns, locale, path.name)


def _cells_to_arrow(cells: np.ndarray):
    import pyarrow as pa

    empty = cells == ""
    filled = cells[~empty]
    for typ in (pa.float64(), pa.string()):
        try:
            vals = pa.array(filled, type=typ)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            continue
        out = np.full(len(cells), None, dtype=object)
        out[~empty] = vals.to_numpy(zero_copy_only=False)
        return pa.array(out, type=typ)
    is_num = np.fromiter((isinstance(v, (int, float)) for v in cells), bool, len(cells))
    text = np.array([None if e else str(v) for v, e in zip(cells.tolist(), empty.tolist())], dtype=object)
    if is_num.any():
        text[is_num] = format_numbers(cells[is_num].astype(float)).to_numpy(zero_copy_only=False)
    return pa.array(text, type=pa.string())


def read_columns(path: str | Path) -> RawColumns:
    """CSV (UTF-8 with or without BOM, or Windows-1252; ',' ';' or tab), XLSX (first sheet) or Parquet."""
    path = Path(path)
    if not path.exists():
        raise DataError(Problem("data.file_missing", {"file": str(path)}))
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            return read_csv_columns(path.read_bytes(), path.name)
        if suffix == ".xlsx":
            return read_xlsx_columns(path)
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            t = pq.read_table(path)
            meta = t.schema.metadata or {}
            locale = meta.get(b"rawan.locale", b"").decode() or None
            return RawColumns([str(c) for c in t.column_names], [t.column(j) for j in range(t.num_columns)],
                              locale, path.name)
    except (ValueError, OSError, UnicodeDecodeError) as e:
        raise DataError(Problem("data.unreadable", {"file": path.name, "detail": str(e)})) from None
    except Exception as e:  # pyarrow's and calamine's own errors
        if type(e).__module__.startswith(("pyarrow", "python_calamine", "builtins")):
            raise DataError(Problem("data.unreadable", {"file": path.name, "detail": str(e)})) from None
        raise
    raise DataError(Problem("data.format", {"file": path.name}))


def resolve_locale(declared: str | None, given: str | None, file: str) -> str | None:
    """The locale to read a file with: the one it declares, or the one given; both must agree."""
    declared, given = check_locale(declared), check_locale(given)
    if declared and given and declared != given:
        raise DataError(Problem("data.locale_conflict", {"file": file, "declared": declared, "given": given}))
    return declared or given


def read_table(path: str | Path):
    """The table as a DataFrame of strings ("" for empty cells; Parquet keeps its types)."""
    import pandas as pd

    raw = read_columns(path)
    out = {}
    for j, (h, c) in enumerate(zip(raw.header, raw.columns)):
        if Path(path).suffix.lower() == ".parquet":
            out[h] = c.to_pandas()
        else:
            out[h] = _as_text(c)
    return pd.DataFrame(out, columns=raw.header) if out else pd.DataFrame()


def read_data(path: str | Path, indicators: list[str] | None = None, locale: str | None = None) -> Dataset:
    """A data file as a :class:`Dataset`, numbers read with the file's declared locale or ``locale``."""
    path = Path(path)
    raw = read_columns(path)
    loc = resolve_locale(raw.locale, locale, path.name)
    return Dataset.from_columns(raw.header, raw.columns, indicators=indicators, source=path.name, locale=loc)
