"""Raw tables read from XLSX, CSV or Parquet, with the place of every cell.

Readers check the file as a whole (size, rows, encoding, structure) and return a
:class:`RawTable`: the header, one column of raw cell values per header, and the spreadsheet
row of every data row.  Interpreting the cells (codes, numbers, yes/no) is done elsewhere.
"""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..engine.data import _column_letter, detect_delimiter
from ..engine.errors import DataError, Problem
from .limits import DEFAULT_LIMITS, Limits

FORMATS = (".xlsx", ".csv", ".parquet")
HEADER_SEARCH_ROWS = 20  # rows searched for the header row when a reader is told how to recognise it

HeaderTest = Callable[[list[str]], bool]  # a row's cells (as text) -> is it the header row?


class ArrowColumns:
    """The columns of a CSV read by Arrow's reader, each an object array of its cells' text ("" for an
    empty cell, as the pandas reader gives) made only when a check asks for it: checks that hash whole
    columns take the Arrow array itself (:meth:`arrow`), so the happy path makes no Python object per cell.
    """

    def __init__(self, arrays: list):
        self.arrays = list(arrays)  # Arrow string arrays, null for an empty cell
        self._made: dict[int, np.ndarray] = {}

    def __len__(self) -> int:
        return len(self.arrays)

    def __getitem__(self, j):
        if isinstance(j, slice):
            return [self[k] for k in range(len(self))[j]]
        j = range(len(self))[j]
        if j not in self._made:
            a = self.arrays[j]
            self._made[j] = np.asarray((a.fill_null("") if a.null_count else a).to_numpy(zero_copy_only=False),
                                       dtype=object)
        return self._made[j]

    def __iter__(self):
        return (self[k] for k in range(len(self)))

    def arrow(self, j: int):
        """Column ``j`` as an Arrow string array, "" for an empty cell."""
        a = self.arrays[j]
        return a.fill_null("") if a.null_count else a

    def nonempty(self) -> np.ndarray:
        """Rows with at least one filled cell."""
        import pyarrow.compute as pc

        keep = None
        for a in self.arrays:
            v = a.is_valid()
            keep = v if keep is None else pc.or_(keep, v)
        return np.asarray(keep.to_numpy(zero_copy_only=False), dtype=bool)

    def take(self, keep: np.ndarray) -> "ArrowColumns":
        import pyarrow as pa

        mask = pa.array(keep)
        return ArrowColumns([a.filter(mask) for a in self.arrays])


@dataclass
class RawTable:
    file: str  # file name, for messages
    sheet: str  # sheet name; "CSV" / "Parquet" for files without sheets
    header: list[str]
    columns: list[np.ndarray]  # object arrays of raw cell values, one per header
    rows: np.ndarray  # spreadsheet row (as Excel shows it) of each data row
    first_column: int = 0  # 0-based index of the first column (A = 0)
    meta: dict[str, str] | None = None  # the template's hidden _rawan sheet, if any
    problems: list[Problem] = field(default_factory=list)  # structural problems found while reading
    formula_cells: dict[tuple[int, int], str] = field(default_factory=dict)  # (row, col index) -> formula
    block: np.ndarray | None = None  # XLSX: (rows, columns) object block the columns are views of
    header_row: int = 1  # spreadsheet row (line of a CSV) holding the header; rows above it are titles
    header_found: bool = True  # False when a header test was given and no row within the search passed it

    def hashable(self, j: int):
        """Column ``j`` for whole-column hashing: its Arrow array when read by Arrow, else its cells."""
        return self.columns.arrow(j) if isinstance(self.columns, ArrowColumns) else self.columns[j]

    def letter(self, j: int) -> str:
        return _column_letter(self.first_column + j)

    def place(self, j: int, row: int) -> dict:
        return {"file": self.file, "sheet": self.sheet, "row": int(row), "column": self.letter(j),
                "header": self.header[j]}


def empty_mask(col: np.ndarray) -> np.ndarray:
    """True where a cell is empty: None, NaN, or a blank string (vectorised)."""
    import pandas as pd

    if col.dtype.kind in "fc":
        return np.isnan(col)
    if col.dtype.kind in "iub":
        return np.zeros(len(col), dtype=bool)
    # "" and None/NaN by element-wise comparisons in C (pandas' isna on object arrays is ~4x slower);
    # a whitespace-only cell is not caught here: value parsers strip their text and treat it as
    # empty, and a row of blanks is reported, not silently dropped
    if col.dtype == object:
        return (col == "") | np.equal(col, None) | (col != col)
    return pd.isna(col) | (col == "")


def drop_empty_rows(table: RawTable) -> RawTable:
    """Drop rows with no value at all (Excel's formatted but empty rows); row numbers stay."""
    if not len(table.columns):
        return table
    if isinstance(table.columns, ArrowColumns):
        keep = table.columns.nonempty()
        if not keep.all():
            table.columns = table.columns.take(keep)
            table.rows = table.rows[keep]
        return table
    keep = ~empty_mask(table.columns[0])
    for col in table.columns[1:]:
        todo = np.flatnonzero(~keep)
        if not len(todo):
            break
        keep[todo] = ~empty_mask(col[todo])
    if keep.all():
        return table
    if table.block is not None:
        table.block = table.block[keep]
        table.columns = [table.block[:, j] for j in range(len(table.columns))]
    else:
        table.columns = [c[keep] for c in table.columns]
    table.rows = table.rows[keep]
    return table


def check_size(path: Path, limits: Limits) -> None:
    if not path.exists() or not path.is_file():
        raise DataError(Problem("intake.file_missing", {"file": str(path)}))
    size = path.stat().st_size
    if size > limits.max_bytes:
        raise DataError(Problem("intake.too_big", {"file": path.name, "size": size, "limit": limits.max_bytes}))


def read_raw(path: Path, limits: Limits = DEFAULT_LIMITS, *, header: HeaderTest | None = None,
             header_rows: int = HEADER_SEARCH_ROWS) -> RawTable:
    """The raw table of an XLSX, CSV or Parquet file; DataError for a file that cannot be read.

    ``header``: how to recognise the header row (a test on a row's cells as text).  Given, the header
    is the first row within the first ``header_rows`` rows that passes it, so title rows, a date line
    and empty rows above the header (as in KPU's exports) are skipped; the data rows keep their real
    row numbers.  When no row passes, the first row is the header and ``header_found`` is False.
    Without it the first row is the header.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise DataError(Problem("intake.format", {"file": path.name}))
    check_size(path, limits)
    if suffix == ".xlsx":
        from .xlsx import read_xlsx

        table = read_xlsx(path, limits, header=header, header_rows=header_rows)
    elif suffix == ".csv":
        table = read_csv(path, limits, header=header, header_rows=header_rows)
    else:
        table = read_parquet(path, limits)
    return drop_empty_rows(table)


# ---------------------------------------------------------------------- CSV

def detect_encoding(data: bytes, file: str) -> str:
    """utf-8-sig (BOM), utf-8, else cp1252; DataError when none decodes the bytes."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        data.decode("cp1252")
        return "cp1252"
    except UnicodeDecodeError as e:
        raise DataError(Problem("intake.encoding", {"file": file, "position": e.start})) from None


def read_csv(path: Path, limits: Limits = DEFAULT_LIMITS, *, header: HeaderTest | None = None,
             header_rows: int = HEADER_SEARCH_ROWS) -> RawTable:
    file = path.name
    data = path.read_bytes()
    if b"\x00" in data:
        raise DataError(Problem("intake.unreadable", {"file": file, "format": "CSV",
                                                      "detail": "NUL byte (binary file?)"}))
    skip, found = (0, True) if header is None else _csv_header_line(data, file, header, header_rows)
    if skip:  # title lines above the header: read from the header line on, then restore the line numbers
        cut = 0
        for _ in range(skip):
            cut = data.index(b"\n", cut) + 1
        data = data[cut:]
    try:
        table = _read_csv_arrow(data, file, limits) or _read_csv_pandas(data, file, limits)
    except DataError as e:
        if found:
            raise
        # title lines of another width than the columns and no header found: say that first
        raise DataError([Problem("intake.header_not_found", {"file": file, "sheet": "CSV", "rows": header_rows}),
                         *e.problems]) from None
    if skip:
        table.rows = table.rows + skip
        table.header_row = skip + 1
    table.header_found = found
    return table


def _csv_header_line(data: bytes, file: str, header: HeaderTest, header_rows: int) -> tuple[int, bool]:
    """(0-based line of the header, found) among the first ``header_rows`` lines of a CSV."""
    from ..engine.data import detect_delimiter

    encoding = detect_encoding(data, file)
    text = data[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
    for k, line in enumerate(text.split("\n")[:header_rows]):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        cells = next(csv.reader([line], delimiter=detect_delimiter(line)), [])
        if header([c.strip().lstrip("\ufeff") for c in cells]):
            return k, True
    return 0, False


def _read_csv_arrow(data: bytes, file: str, limits: Limits) -> RawTable | None:
    """Arrow's multi-threaded reader for the plain case: a rectangular UTF-8 (or Windows-1252) file
    with no blank line (in a one-column file a blank line is an empty row, as in the pandas reader).
    None for anything else, which the pandas reader below reads and explains."""
    from ..engine.data import read_csv_columns

    if not data[:65536].strip():
        return None
    if data.count(b"\n") - 1 > limits.max_rows:
        return None  # the pandas reader refuses it with the row count
    try:
        raw = read_csv_columns(data, file, keep_empty_lines=True)
    except (ValueError, UnicodeDecodeError):
        return None
    if not raw.columns or not len(raw.columns[0]) or len(raw.columns[0]) > limits.max_rows:
        return None
    rows = np.arange(2, len(raw.columns[0]) + 2)
    columns = ArrowColumns([c.combine_chunks() if hasattr(c, "combine_chunks") else c for c in raw.columns])
    return RawTable(file=file, sheet="CSV", header=list(raw.header), columns=columns, rows=rows)


def _read_csv_pandas(data: bytes, file: str, limits: Limits) -> RawTable:
    import pandas as pd

    encoding = detect_encoding(data, file)
    text_start = data[:65536].decode(encoding, errors="replace").lstrip("\ufeff")
    first_line = text_start.splitlines()[0] if text_start.strip() else ""
    if not first_line.strip():
        raise DataError(Problem("intake.empty", {"file": file, "sheet": "CSV"}))
    delimiter = detect_delimiter(first_line)
    n_lines = data.count(b"\n")
    if n_lines - 1 > limits.max_rows:
        raise DataError(Problem("intake.too_many_rows", {"file": file, "sheet": "CSV", "rows": n_lines - 1,
                                                         "limit": limits.max_rows}))
    try:
        df = pd.read_csv(io.BytesIO(data), sep=delimiter, header=None, dtype=object, keep_default_na=False,
                         na_filter=False, skip_blank_lines=False, encoding=encoding, engine="c",
                         quotechar='"', on_bad_lines="error")
    except Exception as e:  # pandas' tokenizer errors name the line
        detail = str(e).strip().splitlines()[-1] if str(e).strip() else type(e).__name__
        raise DataError(Problem("intake.unreadable", {"file": file, "format": "CSV", "detail": detail})) from None
    if df.shape[0] == 0:
        raise DataError(Problem("intake.empty", {"file": file, "sheet": "CSV"}))
    if df.shape[0] - 1 > limits.max_rows:
        raise DataError(Problem("intake.too_many_rows", {"file": file, "sheet": "CSV", "rows": df.shape[0] - 1,
                                                         "limit": limits.max_rows}))
    header = ["" if v is None else str(v).strip().lstrip("\ufeff") for v in df.iloc[0].tolist()]
    columns = []
    for j in range(df.shape[1]):
        col = df.iloc[1:, j].to_numpy(dtype=object)  # na_filter=False: no NaN to replace (isna is slow)
        columns.append(col)
    rows = np.arange(2, df.shape[0] + 1)
    return RawTable(file=file, sheet="CSV", header=header, columns=columns, rows=rows)


# ------------------------------------------------------------------ Parquet

def read_parquet(path: Path, limits: Limits = DEFAULT_LIMITS) -> RawTable:
    import pyarrow.parquet as pq

    file = path.name
    try:
        pf = pq.ParquetFile(path)
        n = pf.metadata.num_rows
        if n > limits.max_rows:
            raise DataError(Problem("intake.too_many_rows", {"file": file, "sheet": "Parquet", "rows": n,
                                                             "limit": limits.max_rows}))
        tab = pf.read()
    except DataError:
        raise
    except Exception as e:
        raise DataError(Problem("intake.unreadable", {"file": file, "format": "Parquet",
                                                      "detail": str(e).splitlines()[0] if str(e) else type(e).__name__})) from None
    import pyarrow as pa

    header = [str(c) for c in tab.column_names]
    columns = []
    for j in range(tab.num_columns):
        col = tab.column(j)
        t = col.type
        if pa.types.is_floating(t) or pa.types.is_integer(t):
            arr = col.to_numpy(zero_copy_only=False).astype(float)  # nulls -> NaN
        elif pa.types.is_string(t) or pa.types.is_large_string(t):
            arr = col.to_numpy(zero_copy_only=False)  # object array of str / None
        elif pa.types.is_boolean(t):
            arr = np.array(col.to_pylist(), dtype=object)
        else:  # dates, timestamps, decimals, ...: their text
            try:
                arr = col.cast(pa.string()).to_numpy(zero_copy_only=False)
            except Exception as e:  # nested types (lists, structs) have no text form
                raise DataError(Problem("intake.unreadable", {"file": file, "format": "Parquet",
                                                              "detail": f"column {header[j]}: {t}: {e}"})) from None
        columns.append(np.asarray(arr, dtype=object) if arr.dtype.kind not in "f" else arr)
    return RawTable(file=file, sheet="Parquet", header=header, columns=columns, rows=np.arange(2, n + 2))
