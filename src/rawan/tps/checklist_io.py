"""Checklists from files: the Excel template per kecamatan (one row per TPS) and CSV, all or nothing.

The template (:func:`make_checklist_template`) lists the TPS of one kecamatan from the registry, one
row each: ``kode_desa``, ``desa``, ``tps``, ``alamat``, ``dpt`` (grey, not to be changed), then one
column per indicator headed by its code and short name ("i05 Pemilih disabilitas di DPT").  Every
answer cell holds ``ya`` or ``tidak``; a yes may carry its note after a colon: ``ya: 3 pemilih tunanetra``.
A hidden ``_rawan`` sheet names the model, its version and the kecamatan.  The same wide layout is
accepted as CSV; so is the long layout of :data:`rawan.tps.tables.CHECKLIST_SCHEMA` with Indonesian
headers (``kode_desa``, ``tps``, ``indikator``, ``jawaban``, ``catatan``).

Every problem names file, sheet, row and column; a file with any error gives no answers at all.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.errors import Problem
from ..intake.checks import Collector, cell_text, find_column, header_token
from ..intake.events import _factorize
from ..intake.limits import DEFAULT_LIMITS, Limits
from ..intake.table import RawTable, check_size, read_raw
from ..intake.template import _atomic_write, styles
from ..vocabulary import synthetic_note
from .messages import TpsError
from .model import TpsModel
from .registry_import import CODE_HEADERS, TPS_HEADERS, _tps_number
from .tables import Checklist, Registry, tps_label

YES = {"ya", "y", "yes", "1", "true", "benar", "ada"}
NO = {"tidak", "t", "tdk", "no", "n", "0", "false", "tidak ada"}
INDICATOR_HEADERS = ("indikator", "indicator", "kode_indikator")
ANSWER_HEADERS = ("jawaban", "answer", "ya/tidak")
NOTE_HEADERS = ("catatan", "note", "keterangan")


@dataclass
class ChecklistImport:
    checklist: Checklist
    files: list[str]
    tps: int  # TPS answered in the files


def _answer(v) -> tuple[bool, str] | None:
    """('ya: catatan') -> (True, 'catatan'); None when not a yes/no."""
    if isinstance(v, bool):
        return (v, "")
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        if v == 1:
            return (True, "")
        if v == 0:
            return (False, "")
        return None
    s = cell_text(v) if not isinstance(v, str) else v.strip()
    head, sep, note = s.partition(":")
    h = head.strip().lower()
    if h in YES:
        return (True, note.strip())
    if h in NO:
        return (False, note.strip())
    return None


def _rows_in_registry(table: RawTable, j_code: int, j_tps: int, registry: Registry, col: Collector,
                      scope: str | None) -> np.ndarray:
    from ..engine.codes import normalise_code

    inv, uniq = _factorize(table.columns[j_code])
    codes_u = np.array([normalise_code(cell_text(v)) or "" if cell_text(v) else "" for v in uniq], dtype=object)
    for k in np.flatnonzero(codes_u == ""):
        for i in np.flatnonzero(inv == k):
            v = table.columns[j_code][i]
            if cell_text(v):
                col.cell("tps.bad_desa_code", j_code, int(i), v)
            else:
                col.cell("tps.empty_cell", j_code, int(i), v, expected="isi kode desa/kelurahan")
    desa = codes_u[inv]
    tinv, tuniq = _factorize(table.columns[j_tps])
    num_u = np.array([_tps_number(v) or -1 for v in tuniq], dtype=np.int64)
    tps = num_u[tinv]
    for i in np.flatnonzero(tps < 0):
        v = table.columns[j_tps][i]
        if cell_text(v):
            col.cell("tps.bad_tps_number", j_tps, int(i), v)
        else:
            col.cell("tps.empty_cell", j_tps, int(i), v, expected="isi nomor TPS")
    rows = registry.rows_of(pa.array(desa, pa.string()), np.maximum(tps, 0))
    ok = (desa != "") & (tps > 0)
    for i in np.flatnonzero(ok & (rows < 0)):
        col.cell("tps.not_in_registry", j_tps, int(i), table.columns[j_tps][i], tps=tps_label(tps[i])[4:],
                 desa=desa[i], election=registry.election)
    if scope:
        out = np.flatnonzero(ok & ~np.char.startswith(desa.astype(str), scope + "."))
        for i in out:
            col.cell("tps.out_of_scope", j_code, int(i), table.columns[j_code][i], desa=desa[i], scope=scope)
    return rows


def _wide(table: RawTable, model: TpsModel, registry: Registry, col: Collector, scope: str | None
          ) -> tuple[np.ndarray, np.ndarray, list] | None:
    where = {"file": table.file, "sheet": table.sheet}
    j_code, j_tps = find_column(table, CODE_HEADERS), find_column(table, TPS_HEADERS)
    ind_cols: dict[int, int] = {}
    by_token = {header_token(h): j for j, h in enumerate(table.header)}
    for k, code in enumerate(model.indicator_codes):
        j = by_token.get(code.lower())
        if j is None:
            col.add("tps.missing_column", {**where, "column": f"{code} {model.indicators[k].label('id', True)}",
                                           "accepted": code})
        else:
            ind_cols[k] = j
    for j, name in ((j_code, "kode_desa"), (j_tps, "tps")):
        if j is None:
            col.add("tps.missing_column", {**where, "column": name, "accepted": name})
    if col.errors:
        return None
    if not len(table.rows):
        col.add("tps.no_rows", where)
        return None
    rows = _rows_in_registry(table, j_code, j_tps, registry, col, scope)
    n, m = len(table.rows), len(model.indicators)
    answers = np.zeros((n, m), dtype=bool)
    notes: list = []
    for k, j in ind_cols.items():
        inv, uniq = _factorize(table.columns[j])
        parsed = [_answer(v) if cell_text(v) else "empty" for v in uniq]
        yes_u = np.array([isinstance(p, tuple) and p[0] for p in parsed], dtype=bool)
        answers[:, k] = yes_u[inv]
        kind_u = np.array([0 if isinstance(p, tuple) and not p[1] else 1 if isinstance(p, tuple) and p[0] else
                           2 if isinstance(p, tuple) else 3 if p is None else 4 for p in parsed], dtype=np.int8)
        kind = kind_u[inv] if len(uniq) else np.zeros(n, np.int8)
        for i in np.flatnonzero(kind == 1):  # a yes with its note
            notes.append((int(i), k, parsed[inv[i]][1]))
        for i in np.flatnonzero(kind == 2):
            col.cell("tps.note_without_yes", j, int(i), table.columns[j][i], indicator=model.indicator_codes[k])
        for i in np.flatnonzero(kind == 3):
            col.cell("tps.bad_answer", j, int(i), table.columns[j][i])
        for i in np.flatnonzero(kind == 4):
            col.cell("tps.missing_answer", j, int(i), "")
    return rows, answers, notes


def _long(table: RawTable, model: TpsModel, registry: Registry, col: Collector, scope: str | None
          ) -> tuple[np.ndarray, np.ndarray, list] | None:
    where = {"file": table.file, "sheet": table.sheet}
    js = {name: find_column(table, h) for name, h in (("kode_desa", CODE_HEADERS), ("tps", TPS_HEADERS),
                                                     ("indikator", INDICATOR_HEADERS), ("jawaban", ANSWER_HEADERS))}
    for name, j in js.items():
        if j is None:
            col.add("tps.missing_column", {**where, "column": name, "accepted": name})
    if col.errors:
        return None
    rows = _rows_in_registry(table, js["kode_desa"], js["tps"], registry, col, scope)
    j = js["indikator"]
    inv, uniq = _factorize(table.columns[j])
    known = {c.lower(): k for k, c in enumerate(model.indicator_codes)}
    ind_u = np.array([known.get(cell_text(v).lower(), -1) for v in uniq], dtype=np.int64)
    ind = ind_u[inv]
    for i in np.flatnonzero(ind < 0):
        col.cell("tps.unknown_indicator_cell", j, int(i), table.columns[j][i], model=model.id)
    j = js["jawaban"]
    inv, uniq = _factorize(table.columns[j])
    parsed = [_answer(v) if cell_text(v) else "empty" for v in uniq]
    yes = np.array([isinstance(p, tuple) and p[0] for p in parsed], dtype=bool)[inv]
    bad_u = np.array([p is None for p in parsed], dtype=bool)
    empty_u = np.array([isinstance(p, str) for p in parsed], dtype=bool)
    for i in np.flatnonzero(bad_u[inv] | empty_u[inv]):
        col.cell("tps.bad_answer" if bad_u[inv[i]] else "tps.missing_answer", j, int(i), table.columns[j][i])
    j_note = find_column(table, NOTE_HEADERS)
    notes = []
    if j_note is not None:
        ninv, nuniq = _factorize(table.columns[j_note])
        text_u = np.array([cell_text(v) for v in nuniq], dtype=object)
        has = (text_u != "")[ninv] if len(nuniq) else np.zeros(len(yes), bool)
        for i in np.flatnonzero(has & yes):
            notes.append((int(i), int(ind[i]), text_u[ninv[i]]))
        for i in np.flatnonzero(has & ~yes):
            col.cell("tps.note_without_yes", j_note, int(i), table.columns[j_note][i],
                     indicator=model.indicator_codes[ind[i]] if ind[i] >= 0 else "?")
    return rows, (ind, yes), notes


def read_checklist(table: RawTable, model: TpsModel, registry: Registry, *, cap: int = 200
                   ) -> tuple[Checklist | None, list[Problem]]:
    col = Collector(table, cap)
    for p in table.problems:
        col.add(p.key, p.params, severity=p.severity)
    meta = table.meta or {}
    if meta.get("model") and meta.get("model") != model.id:
        col.add("tps.wrong_template", {"file": table.file, "found": meta.get("model"), "expected": model.id})
        return None, col.finish()
    scope = meta.get("parent") or None
    long = find_column(table, INDICATOR_HEADERS) is not None
    got = (_long if long else _wide)(table, model, registry, col, scope)
    if got is None or col.errors:
        return None, col.finish()
    rows, answers, notes = got
    n, m = len(registry), len(model.indicators)
    cl = Checklist.empty(model, registry)
    if long:
        ind, yes = answers
        cell = rows * m + ind
        order = np.argsort(cell, kind="stable")
        sc = cell[order]
        for p in np.flatnonzero(sc[1:] == sc[:-1])[:cap]:
            i = int(order[p + 1])
            col.cell("tps.duplicate_answer", find_column(table, INDICATOR_HEADERS), i,
                     table.columns[find_column(table, INDICATOR_HEADERS)][i], first=int(table.rows[order[p]]))
        counts = np.bincount(rows, minlength=n)
        incomplete = np.flatnonzero((counts > 0) & (counts != m))
        j_tps = find_column(table, TPS_HEADERS)
        for r in incomplete[:cap]:
            i = int(np.flatnonzero(rows == r)[0])
            col.cell("tps.incomplete_tps", j_tps, i, table.columns[j_tps][i], count=int(counts[r]), expected=m)
        if col.errors:
            return None, col.finish()
        flat = cl.answers.reshape(-1)
        flat[cell] = yes
        cl.answered[rows] = True
        note_rows = [(int(rows[i]), k, t) for i, k, t in notes]
    else:
        order = np.argsort(rows, kind="stable")
        sr = rows[order]
        j_tps = find_column(table, TPS_HEADERS)
        for p in np.flatnonzero(sr[1:] == sr[:-1])[:cap]:
            i = int(order[p + 1])
            reg_row = int(sr[p])
            col.cell("tps.duplicate_tps", j_tps, i, table.columns[j_tps][i],
                     tps=tps_label(registry.table.column("tps")[reg_row].as_py())[4:],
                     desa=registry.desa_codes[registry.desa_index[reg_row]], first=int(table.rows[order[p]]))
        if col.errors:
            return None, col.finish()
        cl.answers[rows] = answers
        cl.answered[rows] = True
        note_rows = [(int(rows[i]), k, t) for i, k, t in notes]
    if note_rows:
        r, k, t = zip(*note_rows)
        cl.notes = pa.table({"row": pa.array(r, pa.int64()), "indicator": pa.array(k, pa.int16()),
                             "note": pa.array(t, pa.string())})
    return cl, col.finish()


def merge_checklists(parts: list[tuple[str, Checklist]]) -> Checklist:
    """One checklist from several files; a TPS answered in two files is refused, naming both."""
    first = parts[0][1]
    out = Checklist.empty(first.model, first.registry)
    owner = np.full(len(first.registry), -1, dtype=np.int64)
    problems = []
    notes = []
    for k, (name, cl) in enumerate(parts):
        both = np.flatnonzero(cl.answered & (owner >= 0))
        for r in both[:50]:
            problems.append(Problem("tps.answered_twice", {
                "tps": tps_label(first.registry.table.column("tps")[int(r)].as_py()),
                "desa": first.registry.desa_codes[first.registry.desa_index[r]],
                "first": parts[owner[r]][0], "second": name}))
        owner[cl.answered] = k
        out.answers[cl.answered] = cl.answers[cl.answered]
        out.answered |= cl.answered
        notes.append(cl.notes)
    if problems:
        raise TpsError(problems)
    out.notes = pa.concat_tables(notes) if notes else out.notes
    return out


def import_checklists(paths: list[Path | str], model: TpsModel, registry: Registry, *,
                      names: list[str] | None = None, limits: Limits | None = None) -> ChecklistImport:
    """Every file checked; all of their answers, or TpsError with every problem of every file."""
    limits = limits or DEFAULT_LIMITS
    problems: list[Problem] = []
    parts = []
    for k, path in enumerate(paths):
        path = Path(path)
        check_size(path, limits)
        table = read_raw(path, limits)
        if names:
            table.file = names[k]
        cl, probs = read_checklist(table, model, registry, cap=limits.max_problems_per_kind)
        errors = [p for p in probs if p.severity == "error"]
        problems += errors
        if cl is not None and not errors:
            parts.append((table.file, cl))
    if problems:
        raise TpsError(problems)
    merged = merge_checklists(parts)
    return ChecklistImport(merged, [n for n, _ in parts], int(merged.answered.sum()))


# ----------------------------------------------------------------------------------- template

def _scope_rows(registry: Registry, parent: str) -> np.ndarray:
    desa = np.asarray(registry.desa_codes, dtype=object)[registry.desa_index]
    return np.flatnonzero(np.char.startswith(desa.astype(str), parent + "."))


def make_checklist_template(model: TpsModel, registry: Registry, regions, *, parent: str, out: Path | str,
                            lang: str = "id") -> Path:
    """The checklist template of the TPS under ``parent`` (a kecamatan, or a desa/kab/kota): .xlsx or .csv."""
    out = Path(out)
    rows = _scope_rows(registry, parent)
    if not len(rows):
        raise TpsError(Problem("tps.unknown_region", {"code": parent}))
    reg = registry.table.take(pa.array(rows))
    desa = reg.column("desa").to_pylist()
    names = {}
    for c in set(desa):
        try:
            names[c] = regions.get(c).name
        except Exception:
            names[c] = ""
    heads = ["kode_desa", "desa", "tps", "alamat", "dpt"]
    ind_heads = [f"{i.code} {i.label(lang, short=True)}" for i in model.indicators]
    base = [[d, names[d], f"{t:03d}", a or "", v] for d, t, a, v in
            zip(desa, reg.column("tps").to_pylist(), reg.column("address").to_pylist(), reg.column("dpt").to_pylist())]
    if out.suffix.lower() == ".csv":
        import csv

        def write_csv(p: Path):
            buf = io.StringIO()
            w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
            w.writerow(heads + ind_heads)
            for b in base:
                w.writerow(b + [""] * len(ind_heads))
            p.write_bytes(b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8"))
        return _atomic_write(out, write_csv)
    if out.suffix.lower() != ".xlsx":
        raise TpsError(Problem("tps.out_format", {"file": out.name, "known": ".xlsx, .csv"}))
    return _atomic_write(out, lambda p: _xlsx(p, model, regions, parent, heads, ind_heads, base, lang,
                                              bool(registry.synthetic)))


def _xlsx(path: Path, model: TpsModel, regions, parent: str, heads, ind_heads, base, lang: str, synthetic: bool):
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from .. import __version__

    S = styles()
    wb = Workbook()
    ins = wb.active
    ins.title = "Petunjuk"
    try:
        pname = regions.get(parent).name
    except Exception:
        pname = parent
    lines = [
        (model.title.get(lang), S["title"]),
        (f"Wilayah: {parent} {pname}" if lang == "id" else f"Area: {parent} {pname}", S["bold"]),
        (synthetic_note(lang) if synthetic else "", S["bold"]),
        ("", None),
        ("1. Isi lembar 'Data': satu baris per TPS, satu kolom per indikator." if lang == "id" else
         "1. Fill in sheet 'Data': one row per TPS, one column per indicator.", None),
        ("2. Setiap sel indikator diisi 'ya' atau 'tidak'. Catatan untuk jawaban ya ditulis setelah titik dua: "
         "ya: 3 pemilih meninggal dunia." if lang == "id" else
         "2. Every indicator cell holds 'ya' (yes) or 'tidak' (no). A note for a yes follows a colon: "
         "ya: 3 voters deceased.", None),
        ("3. Kolom abu-abu (kode desa, TPS, alamat, DPT) jangan diubah." if lang == "id" else
         "3. Do not change the grey columns (desa code, TPS, address, DPT).", None),
        ("4. " + model.rules.tps_rawan.text.get(lang), None),
        ("", None),
        ("Indikator" if lang == "id" else "Indicators", S["bold"]),
    ]
    for v in model.variables:
        lines.append((f"{v.code} {v.name.get(lang)}", S["bold"]))
        for i in model.indicators:
            if i.variable == v.code:
                lines.append((f"   {i.code}  {i.name.get(lang)}", None))
    for r, (text, font) in enumerate(lines, start=1):
        c = ins.cell(row=r, column=1, value=text)
        if font is not None:
            c.font = font
    ins.column_dimensions["A"].width = 120
    for row in ins.iter_rows(min_row=5):
        row[0].alignment = S["wrap"]
    ws = wb.create_sheet("Data")
    for j, h in enumerate(heads + ind_heads, start=1):
        c = ws.cell(row=1, column=j, value=h)
        c.font, c.fill, c.alignment, c.border = S["head"], S["head_fill"], S["center"], S["border"]
        if j > len(heads):
            ind = model.indicators[j - len(heads) - 1]
            c.comment = Comment(ind.name.get(lang), "rawan")
    for r, b in enumerate(base, start=2):
        for j, v in enumerate(b, start=1):
            c = ws.cell(row=r, column=j, value=v)
            c.fill, c.border = S["locked_fill"], S["border"]
        for j in range(len(heads) + 1, len(heads) + len(ind_heads) + 1):
            c = ws.cell(row=r, column=j)
            c.fill, c.border = S["input_fill"], S["border"]
    ws.freeze_panes = ws.cell(row=2, column=len(heads) + 1)
    ws.row_dimensions[1].height = 60
    ws.print_title_rows = "1:1"  # printed for filling by hand: the header on every page, landscape
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    for j, w in enumerate((16, 22, 6, 30, 7), start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    for j in range(len(heads) + 1, len(heads) + len(ind_heads) + 1):
        ws.column_dimensions[get_column_letter(j)].width = 14
    if base:
        dv = DataValidation(type="list", formula1='"ya,tidak"', allow_blank=True, errorStyle="information",
                            showErrorMessage=False)
        dv.add(f"{get_column_letter(len(heads) + 1)}2:{get_column_letter(len(heads) + len(ind_heads))}{len(base) + 1}")
        ws.add_data_validation(dv)
    meta = wb.create_sheet("_rawan")
    for r, (k, v) in enumerate((("model", model.id), ("version", model.version), ("parent", parent),
                                ("kind", "tps-checklist"), ("rawan", __version__),
                                ("created", dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat())),
                               start=1):
        meta.cell(row=r, column=1, value=k)
        meta.cell(row=r, column=2, value=v)
    meta.sheet_state = "hidden"
    wb.active = 1
    wb.save(path)
