"""A copy of the checked file with every problem on its cell: red fill and a comment.

The officer opens the copy, fixes the red cells and sends the file again.  XLSX inputs are
copied with openpyxl (formulas and formats kept); CSV and Parquet inputs become a workbook
with the same rows.  A ``Masalah`` sheet lists every problem, including those that belong to
no single cell.  Written atomically.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..engine.errors import Problem
from .template import _atomic_write

NO_COPY = {"intake.zip_bomb", "intake.too_big", "intake.unreadable", "intake.format", "intake.file_missing",
           "intake.encoding", "intake.too_many_rows", "intake.empty"}
_CELL = re.compile(r"^([A-Z]+)(\d+)$")


def can_annotate(problems: list[Problem]) -> bool:
    return bool(problems) and not any(p.key in NO_COPY for p in problems)


def _target(p: Problem, header_cells: dict[str, str]) -> str | None:
    params = p.params
    if "cell" in params and _CELL.match(str(params["cell"])):
        return str(params["cell"])
    col, row = params.get("column"), params.get("row")
    if col and col != "-" and row:
        return f"{col}{row}"
    if row:
        return f"A{row}"
    if "range" in params:
        return str(params["range"]).split(":")[0]
    if col and col != "-":
        return f"{col}1"
    code = params.get("code")
    if code and code in header_cells:
        return header_cells[code]
    return None


BIG = 200_000  # cells: above this the copy holds only the rows with problems (openpyxl is slow)


def write_annotated(path: Path, problems: list[Problem], out: Path, lang: str = "id") -> Path:
    """Write the marked-up copy.

    An XLSX of up to ``BIG`` cells is copied whole with its formats; a CSV or Parquet file of up
    to ``BIG`` cells becomes a workbook of its values; a bigger file gives a workbook of the header
    and only the rows with problems, each prefixed by its row number in the original file.
    """
    from .table import read_raw

    path = Path(path)
    table = read_raw(path)
    big = len(table.rows) * max(len(table.header), 1) > BIG
    if path.suffix.lower() == ".xlsx" and not big:
        return _write_edited(path, problems, out, lang)
    return _write_streamed(table, problems, out, lang, only_problem_rows=big)


def _problem_rows(problems, header_cells, lang):
    return [[k, ("kesalahan" if p.severity == "error" else "peringatan") if lang == "id" else p.severity,
             _target(p, header_cells) or "", p.render(lang)] for k, p in enumerate(problems, start=1)]


def _write_streamed(table, problems, out: Path, lang: str, only_problem_rows: bool = False) -> Path:
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils.cell import column_index_from_string, coordinate_from_string

    red, yellow = PatternFill("solid", fgColor="FF9999"), PatternFill("solid", fgColor="FFE699")
    header_cells = {h.split()[0]: f"{table.letter(j)}1" for j, h in enumerate(table.header) if h.strip()}
    notes: dict[tuple[int, int], list] = {}
    for p in problems:
        t = _target(p, header_cells)
        if t is None:
            continue
        col, row = coordinate_from_string(t)
        key = (row, column_index_from_string(col) - 1 - table.first_column)
        entry = notes.setdefault(key, [[], "warning"])
        entry[0].append(p.render(lang))
        if p.severity == "error":
            entry[1] = "error"
    wb = Workbook(write_only=True)
    ms = wb.create_sheet("Masalah" if lang == "id" else "Problems")
    ms.column_dimensions["D"].width = 90
    bold = Font(bold=True)
    head = []
    for text in ("#", "Jenis" if lang == "id" else "Kind", "Sel" if lang == "id" else "Cell",
                 "Masalah" if lang == "id" else "Problem"):
        c = WriteOnlyCell(ms, text)
        c.font = bold
        head.append(c)
    ms.append(head)
    for row in _problem_rows(problems, header_cells, lang):
        ms.append(row)
    ws = wb.create_sheet(table.sheet)

    def cell(value, r, j):
        note = notes.get((r, j))
        if note is None:
            return value
        c = WriteOnlyCell(ws, value)
        c.fill = red if note[1] == "error" else yellow
        c.comment = Comment("\n".join(note[0]), "rawan validate")
        return c

    width = len(table.header)
    cols = table.columns
    if only_problem_rows:
        rows_with_notes = {r for r, _ in notes}
        ws.append(["baris" if lang == "id" else "row"] + [cell(h, 1, j) for j, h in enumerate(table.header)])
        for i, r in enumerate(table.rows.tolist()):
            if r in rows_with_notes:
                ws.append([r] + [cell(_plain(cols[j][i]), r, j) for j in range(width)])
        return _atomic_write(Path(out), wb.save)
    ws.append([cell(h, 1, j) for j, h in enumerate(table.header)])
    last = 1
    for i, r in enumerate(table.rows.tolist()):
        while last + 1 < r:
            last += 1
            ws.append([cell(None, last, j) for j in range(width)] if any(k[0] == last for k in notes) else [])
        ws.append([cell(_plain(cols[j][i]), r, j) for j in range(width)])
        last = r
    return _atomic_write(Path(out), wb.save)


def _plain(v):
    if v is None or (isinstance(v, float) and v != v) or v == "":
        return None
    return v


def _write_edited(path: Path, problems: list[Problem], out: Path, lang: str) -> Path:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    wb, ws = _open(path)
    red = PatternFill("solid", fgColor="FF9999")
    yellow = PatternFill("solid", fgColor="FFE699")
    header_cells = {}
    for c in ws[1]:
        if c.value is not None:
            header_cells[str(c.value).split()[0]] = c.coordinate
    notes: dict[str, list[str]] = {}
    severities: dict[str, str] = {}
    for p in problems:
        t = _target(p, header_cells)
        if t is None:
            continue
        notes.setdefault(t, []).append(p.render(lang))
        if p.severity == "error" or t not in severities:
            severities[t] = p.severity
    for p in problems:
        if p.key == "intake.hidden_row":  # show the hidden data in the copy
            ws.row_dimensions[int(p.params["row"])].hidden = False
        if p.key == "intake.hidden_column":
            ws.column_dimensions[str(p.params["column"])].hidden = False
    protected = ws.protection.sheet
    ws.protection.sheet = False
    for coord, texts in notes.items():
        cell = ws[coord]
        cell.fill = red if severities[coord] == "error" else yellow
        cm = Comment("\n".join(texts), "rawan validate")
        cm.width, cm.height = 360, 60 + 40 * len(texts)
        cell.comment = cm
    ws.protection.sheet = protected
    ms = wb.create_sheet("Masalah" if lang == "id" else "Problems", 0)
    ms.append(["#", "Jenis" if lang == "id" else "Kind", "Sel" if lang == "id" else "Cell",
               "Masalah" if lang == "id" else "Problem"])
    for c in ms[1]:
        c.font = Font(bold=True)
    for row in _problem_rows(problems, header_cells, lang):
        ms.append(row)
    from openpyxl.styles import Alignment

    for letter, width in (("A", 5), ("B", 12), ("C", 8), ("D", 90)):
        ms.column_dimensions[letter].width = width
    for row in ms.iter_rows(min_row=2):
        row[3].alignment = Alignment(wrap_text=True, vertical="top")
        ms.row_dimensions[row[0].row].height = 13 * (len(str(row[3].value)) // 95 + 1)
    ms.sheet_properties.pageSetUpPr.fitToPage = True
    ms.page_setup.fitToWidth, ms.page_setup.fitToHeight = 1, 0
    wb.active = 0
    return _atomic_write(Path(out), wb.save)


def _open(path: Path):
    import openpyxl

    from .xlsx import DATA_SHEET, META_SHEET

    wb = openpyxl.load_workbook(path)
    names = [n for n in wb.sheetnames if n != META_SHEET]
    ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else next(
        wb[n] for n in names if wb[n].sheet_state == "visible")
    return wb, ws
