"""XLSX reading: the zip is checked before anything is parsed, then calamine reads the values.

Checks, in this order, without loading the workbook into memory:

1. every zip part's declared uncompressed size and compression ratio (decompression bombs);
2. external-link parts (``xl/externalLinks/``);
3. the data sheet's XML, streamed in chunks: rows, hidden rows and columns, merged cells and
   formula cells (their text, to name external references and formulas without a value).

Only then python-calamine reads cell values (cached results for formulas).
"""

from __future__ import annotations

import re
import zipfile
from pathlib import Path
from xml.etree import ElementTree as ET

import numpy as np

from ..engine.errors import DataError, Problem
from .limits import DEFAULT_LIMITS, Limits
from .table import HEADER_SEARCH_ROWS, HeaderTest, RawTable

DATA_SHEET = "Data"
META_SHEET = "_rawan"
_NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships",
       "pr": "http://schemas.openxmlformats.org/package/2006/relationships"}
_CHUNK = 4 * 1024 * 1024
_PREFIXED_ROW = re.compile(rb"<[A-Za-z_][\w.-]*:row[\s/>]")  # <x:row ...>
_PREFIXED_CELL = re.compile(rb"<[A-Za-z_][\w.-]*:c[\s/>]")
_ROW_HIDDEN = re.compile(rb'<row\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_ROW_R = re.compile(rb'\br="(\d+)"')
_COL_HIDDEN = re.compile(rb'<col\b[^>]*?\bhidden="(?:1|true)"[^>]*>')
_COL_MIN = re.compile(rb'\bmin="(\d+)"')
_COL_MAX = re.compile(rb'\bmax="(\d+)"')
_FORMULA = re.compile(rb'<c\b([^>]*)>\s*<f\b[^>]*?(?:/>|>([^<]*)</f>)')
_CELL_R = re.compile(rb'\br="([A-Z]+)(\d+)"')
_MERGE = re.compile(rb'<mergeCell\b[^>]*\bref="([A-Z]+\d+(?::[A-Z]+\d+)?)"')
_EXTERNAL = re.compile(r"\[\d+\]|\[[^\]]*\.xls[xmb]?\]", re.IGNORECASE)


def _col_index(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n - 1


def check_zip(zf: zipfile.ZipFile, file: str, limits: Limits) -> None:
    """Refuse decompression bombs from the declared sizes, before decompressing anything."""
    total = 0
    for info in zf.infolist():
        size = info.file_size
        total += size
        ratio = size / max(info.compress_size, 1)
        if size > limits.max_part_bytes or (size > 1024 * 1024 and ratio > limits.max_ratio):
            raise DataError(Problem("intake.zip_bomb", {
                "file": file, "part": info.filename, "size": size, "ratio": f"{ratio:.0f}",
                "limit": f"{limits.max_part_bytes} / {limits.max_ratio:.0f}:1"}))
    if total > limits.max_total_bytes:
        raise DataError(Problem("intake.zip_bomb", {
            "file": file, "part": "*", "size": total, "ratio": "-", "limit": str(limits.max_total_bytes)}))


def _small_xml(zf: zipfile.ZipFile, name: str):
    with zf.open(name) as f:
        return ET.fromstring(f.read())


def sheet_parts(zf: zipfile.ZipFile) -> list[tuple[str, str, str]]:
    """(name, part path, state) of every sheet, in workbook order."""
    wb = _small_xml(zf, "xl/workbook.xml")
    rels = _small_xml(zf, "xl/_rels/workbook.xml.rels")
    targets = {r.get("Id"): r.get("Target") for r in rels.findall("pr:Relationship", _NS)}
    out = []
    for s in wb.findall("m:sheets/m:sheet", _NS):
        rid = s.get(f"{{{_NS['r']}}}id")
        target = targets.get(rid, "")
        target = target.lstrip("/") if target.startswith("/") else "xl/" + target
        out.append((s.get("name"), target, s.get("state") or "visible"))
    return out


class SheetScan:
    """What streaming the sheet XML found."""

    def __init__(self):
        self.rows = 0
        self.cells = 0
        self.width = 0  # an upper bound of the widest column referenced (1-based)
        self.bytes = 0
        self.hidden_rows: list[int] = []
        self.hidden_cols: set[int] = set()
        self.merged: list[str] = []
        self.formulas: dict[tuple[int, int], str] = {}  # (row, col index) -> formula text ("" if shared)


def scan_sheet(zf: zipfile.ZipFile, part: str, limits: Limits, max_formulas: int = 100_000,
               file: str = "", sheet: str = "") -> SheetScan:
    """Stream the sheet XML in chunks; stop with a DataError at the first chunk over a limit."""
    scan = SheetScan()
    carry = b""
    with zf.open(part) as f:
        while True:
            chunk = f.read(_CHUNK)
            scan.bytes += len(chunk)
            if scan.bytes > limits.max_part_bytes:
                raise DataError(Problem("intake.zip_bomb", {
                    "file": file, "part": part, "size": f"> {limits.max_part_bytes}", "ratio": "-",
                    "limit": str(limits.max_part_bytes)}))
            buf = carry + chunk
            if chunk:
                cut = buf.rfind(b"<c ")  # a cell and its formula stay in one piece
                if cut <= 0:
                    cut = buf.rfind(b">") + 1
                if cut <= 0:
                    carry = buf
                    if len(carry) > _CHUNK * 4:  # no tag at all for 16 MiB: not a sheet
                        raise DataError(Problem("intake.unreadable", {"file": file, "format": "XLSX",
                                                                      "detail": f"{part}: no XML tags"}))
                    continue
                body, carry = buf[:cut], buf[cut:]
            else:
                body, carry = buf, b""
            _count_body(body, scan)
            _check_size(scan, limits, file, sheet)  # before anything else is looked at in this chunk
            _scan_body(body, scan, max_formulas)
            if not chunk:
                break
    return scan


EXCEL_MAX_ROWS = 1_048_576  # a worksheet cannot hold more: anything beyond is crafted


def _check_size(scan: SheetScan, limits: Limits, file: str, sheet: str) -> None:
    max_rows = min(limits.max_rows, EXCEL_MAX_ROWS - 1)  # data rows below the header
    if scan.rows - 1 > max_rows:
        raise DataError(Problem("intake.too_many_rows", {"file": file, "sheet": sheet, "rows": f"> {scan.rows - 1}",
                                                         "limit": max_rows}))
    grid = max(scan.cells, scan.rows * scan.width)
    if grid > limits.max_cells:
        raise DataError(Problem("intake.too_many_cells", {
            "file": file, "sheet": sheet, "cells": grid, "rows": scan.rows, "columns": scan.width,
            "limit": limits.max_cells}))


_LETTERS = [bytes([c]) for c in range(ord("Z"), ord("A") - 1, -1)]
_REF2 = re.compile(rb'r="[A-Z][A-Z]')  # literal prefixes: the regex engine skips ahead to 'r="'
_REF3 = re.compile(rb'r="[A-Z]{3}[0-9]')
_REF4 = re.compile(rb'r="[A-Z]{4}')


def _width_bound(body: bytes) -> int:
    """An upper bound (within 26) of the widest column any cell reference in ``body`` names (0
    when none is referenced), from a few fast searches instead of a match per cell."""
    if b'r="' not in body:
        return 0
    if not _REF2.search(body):
        return 26
    if _REF4.search(body):
        return 16384 * 26  # beyond Excel's XFD: a crafted file
    if _REF3.search(body):
        return 16384
    for i, letter in enumerate(_LETTERS):
        if re.search(rb'r="' + letter + rb'[A-Z][0-9]', body):
            return (26 - i) * 26 + 26
    return 26 * 27


def _count(body: bytes, name: bytes, prefixed: re.Pattern) -> int:
    """Tags called ``name`` in any spelling (``<row>``, ``<row r=..>``, ``<row/>``), counted with
    one pass: every ``<row...`` counts (the few other tags starting so only make the count larger,
    which errs on the safe side); prefixed ``<x:row>`` tags are counted when there are any."""
    n = body.count(b"<" + name)
    if b":" in body and b":" + name in body:  # one byte: a memchr, much faster than the pair
        n += sum(1 for _ in prefixed.finditer(body))
    return n


def _count_body(body: bytes, scan: SheetScan) -> None:
    rows = _count(body, b"row", _PREFIXED_ROW)
    scan.rows += rows
    scan.cells += _count(body, b"c", _PREFIXED_CELL)
    if rows:
        scan.width = max(scan.width, _width_bound(body))


def _scan_body(body: bytes, scan: SheetScan, max_formulas: int) -> None:
    if b'hidden="' in body:
        for m in _ROW_HIDDEN.finditer(body):
            r = _ROW_R.search(m.group(0))
            if r:
                scan.hidden_rows.append(int(r.group(1)))
        for m in _COL_HIDDEN.finditer(body):
            lo, hi = _COL_MIN.search(m.group(0)), _COL_MAX.search(m.group(0))
            if lo and hi:
                scan.hidden_cols.update(range(int(lo.group(1)) - 1, min(int(hi.group(1)), 16384)))
    if b"<f" in body:
        for m in _FORMULA.finditer(body):
            if len(scan.formulas) >= max_formulas:
                break
            r = _CELL_R.search(m.group(1))
            if r:
                text = (m.group(2) or b"").decode("utf-8", "replace")
                scan.formulas[(int(r.group(2)), _col_index(r.group(1).decode()))] = _unescape(text)
    if b"<mergeCell" in body:
        scan.merged += [m.group(1).decode() for m in _MERGE.finditer(body)]


def _unescape(s: str) -> str:
    return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", '"').replace("&apos;", "'").replace("&amp;", "&")


def read_meta(wb) -> dict[str, str] | None:
    """The template's hidden ``_rawan`` sheet: key/value rows."""
    if META_SHEET not in wb.sheet_names:
        return None
    rows = wb.get_sheet_by_name(META_SHEET).to_python(skip_empty_area=False)
    meta = {}
    for r in rows:
        if len(r) >= 2 and str(r[0]).strip():
            meta[str(r[0]).strip()] = str(r[1]).strip()
    return meta


def read_xlsx(path: Path, limits: Limits = DEFAULT_LIMITS, sheet: str | None = None, *,
              header: HeaderTest | None = None, header_rows: int = HEADER_SEARCH_ROWS) -> RawTable:
    """The data sheet as a raw table; ``header`` / ``header_rows``: see :func:`rawan.intake.table.read_raw`."""
    import python_calamine as pc

    file = path.name
    try:
        zf = zipfile.ZipFile(path)
    except Exception as e:  # BadZipFile, OSError, ValueError, ...
        raise DataError(Problem("intake.unreadable", {"file": file, "format": "XLSX", "detail": str(e)})) from None
    with zf:
        check_zip(zf, file, limits)
        try:
            parts = sheet_parts(zf)
            external = any(n.startswith("xl/externalLinks/") for n in zf.namelist())
            visible = [p for p in parts if p[2] == "visible" and p[0] != META_SHEET]
            chosen = next((p for p in parts if p[0] == (sheet or DATA_SHEET)), None) or (visible[0] if visible else None)
            if chosen is None:
                raise DataError(Problem("intake.no_sheet", {"file": file, "sheet": sheet or DATA_SHEET}))
            name, part, _ = chosen
            scan = scan_sheet(zf, part, limits, file=file, sheet=name)
            # every other part decompresses within its declared size (zipfile checks the CRC), and
            # what is actually decompressed is counted against the limits, whatever was declared
            total = scan.bytes
            for info in zf.infolist():
                if info.filename != part:
                    size = 0
                    with zf.open(info) as f:
                        while chunk := f.read(_CHUNK):
                            size += len(chunk)
                            if size > limits.max_part_bytes or total + size > limits.max_total_bytes:
                                raise DataError(Problem("intake.zip_bomb", {
                                    "file": file, "part": info.filename, "size": f"> {size}", "ratio": "-",
                                    "limit": f"{limits.max_part_bytes} / {limits.max_total_bytes}"}))
                    total += size
        except DataError:
            raise
        except Exception as e:  # a damaged zip or XML: BadZipFile, zlib.error, ParseError, KeyError, ...
            raise DataError(Problem("intake.unreadable", {"file": file, "format": "XLSX",
                                                          "detail": f"{type(e).__name__}: {e}"})) from None
    try:
        wb = pc.CalamineWorkbook.from_path(str(path))
        meta = read_meta(wb)
        grid = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
        wb.close()
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # calamine's errors (XmlError, ZipError, ...) and a Rust panic (BaseException)
        raise DataError(Problem("intake.unreadable", {"file": file, "format": "XLSX",
                                                      "detail": f"{type(e).__name__}: {e}"})) from None
    top, found = 0, True  # 0-based row of the header
    if header is not None:
        top = next((k for k, r in enumerate(grid[:header_rows]) if header([_cell_text(v) for v in r])), None)
        top, found = (0, False) if top is None else (top, True)
    problems: list[Problem] = []
    if external:
        problems.append(Problem("intake.external_links_file", {"file": file}))
    for rng in scan.merged:
        if top and _last_row(rng) <= top:  # a merged title above the header holds no data
            continue
        problems.append(Problem("intake.merged_cells", {"file": file, "sheet": name, "range": rng}))
    if not grid or not any(str(v).strip() for v in grid[top]):
        raise DataError([*problems, Problem("intake.empty", {"file": file, "sheet": name})])
    width = max(len(r) for r in grid[top:])
    header_row = grid[top]
    header = [_cell_text(v) for v in header_row] + [""] * (width - len(header_row))
    # trailing columns without a header and without data are not columns
    body = grid[top + 1:]
    if any(len(r) != width for r in body):
        body = [list(r) + [""] * (width - len(r)) for r in body]
    block = np.empty((len(body), width), dtype=object)  # one object block; columns are views
    if body:
        block[:] = body
    columns = [block[:, j] for j in range(width)]
    while header and not header[-1] and (not len(columns[len(header) - 1])
                                          or not any(_nonempty(v) for v in columns[len(header) - 1])):
        header.pop()
    rows = np.arange(top + 2, top + len(body) + 2)
    table = RawTable(file=file, sheet=name, header=header, columns=columns[:len(header)], rows=rows, meta=meta,
                     formula_cells=scan.formulas, block=block, header_row=top + 1, header_found=found)
    problems += _cell_checks(table, scan)
    table.problems = problems
    return table


def _last_row(ref: str) -> int:
    """The last row of a cell range such as 'A1:F2' (or of one cell)."""
    return int(re.sub(r"[A-Z]+", "", ref.split(":")[-1]))


def _nonempty(v) -> bool:
    return not (v is None or (isinstance(v, str) and not v.strip()))


def _cell_text(v) -> str:
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    return str(v).strip()


def _cell_checks(table: RawTable, scan: SheetScan) -> list[Problem]:
    from .table import empty_mask

    probs: list[Problem] = []
    file, name = table.file, table.sheet
    n = len(table.rows)
    first = table.header_row + 1  # spreadsheet row of body index 0
    # hidden rows holding data (row r is body index r - first); a hidden title row above the header is harmless
    for r in sorted(set(scan.hidden_rows)):
        i = r - first
        if 0 <= i < n and any(_nonempty(c[i]) for c in table.columns):
            probs.append(Problem("intake.hidden_row", {"file": file, "sheet": name, "row": r}))
        elif r == table.header_row:
            probs.append(Problem("intake.hidden_row", {"file": file, "sheet": name, "row": r}))
    for j in sorted(scan.hidden_cols):
        if j < len(table.columns) and (table.header[j] or (~empty_mask(table.columns[j])).any()):
            probs.append(Problem("intake.hidden_column", {"file": file, "sheet": name, "column": table.letter(j),
                                                          "header": table.header[j]}))
    used = []
    for (r, j), text in sorted(scan.formulas.items()):
        cell = f"{table.letter(j)}{r}"
        if _EXTERNAL.search(text):
            probs.append(Problem("intake.external_link", {"file": file, "sheet": name, "cell": cell,
                                                          "formula": "=" + text}))
            continue
        i = r - first
        if r < table.header_row:  # a title or date line above the header (=TODAY() ...): not data
            continue
        value = table.columns[j][i] if 0 <= i < n and j < len(table.columns) else ""
        if not _nonempty(value) and text:
            probs.append(Problem("intake.formula_no_value", {"file": file, "sheet": name, "cell": cell,
                                                             "formula": "=" + text}))
        else:
            used.append(cell)
    if used:
        probs.append(Problem("intake.formulas_used", {"file": file, "sheet": name, "count": len(used),
                                                      "cells": ", ".join(used[:5])}, severity="warning"))
    return probs
