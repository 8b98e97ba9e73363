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


def write_annotated(path: Path, problems: list[Problem], out: Path, lang: str = "id") -> Path:
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill

    path = Path(path)
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
    for k, p in enumerate(problems, start=1):
        ms.append([k, "kesalahan" if p.severity == "error" and lang == "id" else
                   "peringatan" if lang == "id" else p.severity, _target(p, header_cells) or "",
                   p.render(lang)])
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

    if path.suffix.lower() == ".xlsx":
        wb = openpyxl.load_workbook(path)
        from .xlsx import DATA_SHEET, META_SHEET

        names = [n for n in wb.sheetnames if n != META_SHEET]
        ws = wb[DATA_SHEET] if DATA_SHEET in wb.sheetnames else next(
            wb[n] for n in names if wb[n].sheet_state == "visible")
        return wb, ws
    from .table import read_raw

    table = read_raw(path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = table.sheet
    ws.append(table.header)
    for i, r in enumerate(table.rows):
        for j, col in enumerate(table.columns):
            v = col[i]
            ws.cell(int(r), j + 1, None if v is None or (isinstance(v, float) and v != v) else v)
    return wb, ws
