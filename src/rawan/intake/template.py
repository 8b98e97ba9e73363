"""Templates officers fill in: XLSX (openpyxl) or CSV, for one region level of one model.

Questionnaire template (``kind="kuesioner"``): an Indonesian instructions sheet; a ``Data``
sheet with one locked, prefilled row per region (code, name), one column per indicator with
Excel data validation by kind and the indicator's name and help as the header comment, and a
source/evidence column; a hidden ``_rawan`` sheet with the model id, version and structure
checksum, the level and the parent region (the template's scope).

Event template (``kind="kejadian"``): one row per event with drop-down lists for indicator and
severity level, a date check, and a reference sheet of the region codes in scope.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from ..engine.errors import DataError, Problem
from ..engine.pipeline import KIND_RANGES
from ..engine.spec import REGION_LEVELS
from . import messages  # noqa: F401
from .events import EVENT_COLUMNS
from .identity import structure_checksum
from .xlsx import DATA_SHEET, META_SHEET

SOURCE_HEADER = "sumber"
LEVEL_NAMES = {"provinsi": "provinsi", "kabupaten_kota": "kabupaten/kota", "kecamatan": "kecamatan",
               "desa_kelurahan": "desa/kelurahan"}
KIND_TEXT = {
    "id": {"binary": "Ya / Tidak", "count": "bilangan bulat >= 0", "rate": "angka 0-100 (persen)",
           "score": "angka"},
    "en": {"binary": "Ya (yes) / Tidak (no)", "count": "whole number >= 0",
           "rate": "number 0-100 (percent)", "score": "number"},
}


def _kind_text(node, lang: str) -> str:
    kind = node.kind or "score"
    text = KIND_TEXT.get(lang, KIND_TEXT["id"])[kind]
    if kind == "score" and node.range is not None:
        text += f" {node.range[0]:g}-{node.range[1]:g}"
    return text


def _scope(spec, regions, level: str, parent: str | None):
    if level not in REGION_LEVELS:
        raise DataError(Problem("intake.bad_level", {"level": level, "known": ", ".join(REGION_LEVELS)}))
    if regions is None:
        raise DataError(Problem("intake.needs_regions"))
    scope = list(regions.at_level(level, parent=parent) if parent else regions.at_level(level))
    if not scope:
        raise DataError(Problem("intake.no_regions_in_scope", {"level": level,
                                                               "parent_part": f" ({parent})" if parent else ""}))
    return scope


TEMPLATE_LOCALE = "id"  # Indonesian numbers: 1.234 is one thousand two hundred thirty-four, 12,5 a decimal


def _meta_rows(spec, level: str, parent: str | None, kind: str) -> list[tuple[str, str]]:
    from .. import __version__

    return [("model", spec.id), ("version", spec.version), ("checksum", structure_checksum(spec)),
            ("level", level), ("parent", parent or ""), ("kind", kind),
            ("locale", TEMPLATE_LOCALE),  # how text cells holding numbers are read (rawan.engine.numbers)
            ("created", dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()),
            ("rawan", __version__)]


def _atomic_write(out: Path, write) -> Path:
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    os.close(fd)
    try:
        write(Path(tmp))
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def make_template(spec, regions, *, level: str, parent: str | None = None, out: Path, lang: str = "id",
                  kind: str = "kuesioner") -> Path:
    """Write a template for ``level`` (regions under ``parent``) to ``out`` (.xlsx or .csv), atomically."""
    out = Path(out)
    suffix = out.suffix.lower()
    if suffix not in (".xlsx", ".csv"):
        raise DataError(Problem("intake.out_format", {"file": out.name, "known": ".xlsx, .csv"}))
    scope = _scope(spec, regions, level, parent)
    if kind == "kejadian":
        if suffix == ".csv":
            return _atomic_write(out, lambda p: p.write_bytes(_events_csv()))
        from .template_events import write_events_xlsx

        return _atomic_write(out, lambda p: write_events_xlsx(p, spec, regions, scope, level, parent, lang,
                                                              _meta_rows(spec, level, parent, kind)))
    if suffix == ".csv":
        return _atomic_write(out, lambda p: p.write_bytes(questionnaire_csv(spec, scope)))
    return _atomic_write(out, lambda p: _questionnaire_xlsx(p, spec, regions, scope, level, parent, lang))


def questionnaire_csv(spec, scope) -> bytes:
    """UTF-8 with BOM and ';' (what Indonesian Excel opens directly); one row per region."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\r\n")
    den = [spec.denominator.column] if spec.denominator else []  # e.g. dpt, for a per-DPT model
    w.writerow(["kode", "nama", *spec.tree.indicators, *den, SOURCE_HEADER])
    for r in scope:
        w.writerow([r.code, r.name, *[""] * len(spec.tree.indicators), *[""] * len(den), ""])
    return b"\xef\xbb\xbf" + buf.getvalue().encode("utf-8")


def _events_csv() -> bytes:
    return b"\xef\xbb\xbf" + (";".join(EVENT_COLUMNS) + "\r\n").encode("utf-8")


# ------------------------------------------------------------------------ XLSX styling

def styles():
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side

    thin = Side(style="thin", color="B0B0B0")
    return {
        "head": Font(bold=True, color="FFFFFF"),
        "head_fill": PatternFill("solid", fgColor="7A1F1F"),
        "locked_fill": PatternFill("solid", fgColor="EDEDED"),
        "input_fill": PatternFill("solid", fgColor="FFFDE7"),
        "wrap": Alignment(wrap_text=True, vertical="top"),
        "center": Alignment(horizontal="center", vertical="center", wrap_text=True),
        "border": Border(left=thin, right=thin, top=thin, bottom=thin),
        "title": Font(bold=True, size=14),
        "bold": Font(bold=True),
    }


def instructions_sheet(wb, spec, scope_text: str, lang: str, steps: list[str], rows_note: str):
    st = styles()
    ws = wb.active
    ws.title = "Petunjuk"
    ws.column_dimensions["A"].width = 12
    ws.column_dimensions["B"].width = 70
    ws.column_dimensions["C"].width = 24
    ws["A1"] = "Templat isian data kerawanan pemilu"
    ws["A1"].font = st["title"]
    ws["A2"] = f"Model: {spec.title.get(lang)} ({spec.id}, versi {spec.version})"
    ws["A3"] = f"Cakupan: {scope_text}. {rows_note}"
    r = 5
    ws.cell(r, 1, "Cara mengisi").font = st["bold"]
    for k, step in enumerate(steps, start=1):
        r += 1
        ws.cell(r, 1, f"{k}.").alignment = st["wrap"]
        c = ws.cell(r, 2, step)
        c.alignment = st["wrap"]
        ws.merge_cells(start_row=r, start_column=2, end_row=r, end_column=3)
        ws.row_dimensions[r].height = 15 * max(1, len(step) // 85 + 1)
    r += 2
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # print on the page width
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    return ws, r


def _questionnaire_xlsx(path: Path, spec, regions, scope, level, parent, lang):
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.styles import Protection
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    st = styles()
    wb = openpyxl.Workbook()
    parent_name = ""
    if parent:
        try:
            parent_name = f" di {regions.get(parent).name} ({parent})"
        except Exception:
            parent_name = f" di bawah {parent}"
    scope_text = f"{len(scope)} {LEVEL_NAMES[level]}{parent_name}"
    steps = [
        "Isi lembar 'Data': satu baris untuk setiap wilayah. Kolom kode dan nama wilayah sudah terisi dan "
        "terkunci; jangan menambah, menghapus atau menyalin baris.",
        "Setiap kolom indikator diberi judul kode dan nama indikator. Arahkan kursor ke judul kolom untuk "
        "membaca penjelasannya. Excel menolak isian yang tidak sesuai jenisnya.",
        "Jenis isian: Ya/Tidak (pilih dari daftar); jumlah kejadian (bilangan bulat 0 atau lebih); "
        "persentase (angka 0-100). Angka ditulis cara Indonesia: koma untuk desimal (12,5), titik untuk "
        "ribuan (1.234 = seribu dua ratus tiga puluh empat).",
        "Kosongkan sel bila datanya memang tidak ada; jangan menulis 0 untuk data yang tidak diketahui.",
        "Tulis sumber atau bukti data (laporan, berita, surat) di kolom 'sumber' pada baris yang sama.",
        "Jangan menggabungkan sel (merge), menyembunyikan baris, atau memakai rumus yang merujuk berkas lain. "
        "Rumus biasa boleh; nilainya yang dipakai.",
        "Jangan mengubah lembar lain dan jangan menghapus lembar tersembunyi: lembar itu mencatat versi "
        "model sehingga berkas dapat diperiksa. Bila model berubah, unduh templat baru.",
        "Periksa berkas sebelum dikirim dengan: rawan validate BERKAS --model " + spec.id +
        ". Semua masalah ditampilkan sekaligus, dengan baris dan kolomnya.",
    ]
    ws, r = instructions_sheet(wb, spec, scope_text, lang, steps,
                               "Data satu wilayah ditulis dalam satu baris.")
    ws.cell(r, 1, "Daftar indikator").font = st["bold"]
    r += 1
    for col, text in enumerate(("Kode", "Nama indikator", "Isian"), start=1):
        c = ws.cell(r, col, text)
        c.font, c.fill, c.border = st["head"], st["head_fill"], st["border"]
    for code in spec.tree.indicators:
        node = spec.node(code)
        r += 1
        for col, text in enumerate((code, node.name.get(lang), _kind_text(node, lang)), start=1):
            c = ws.cell(r, col, text)
            c.alignment, c.border = st["wrap"], st["border"]
    ws.sheet_view.showGridLines = False

    # ---- the data sheet
    ds = wb.create_sheet(DATA_SHEET)
    indicators = spec.tree.indicators
    den = spec.denominator
    den_cols = [f"{den.column} {den.name.get(lang)}"] if den else []  # e.g. dpt, for a per-DPT model
    headers = ["kode", "nama", *[f"{c} {spec.node(c).name.get(lang)}" for c in indicators], *den_cols,
               SOURCE_HEADER]
    ds.append(headers)
    for reg in scope:
        ds.append([reg.code, reg.name, *[None] * len(indicators), *[None] * len(den_cols), None])
    n = len(scope)
    last = n + 1
    ds.row_dimensions[1].height = 120
    ds.column_dimensions["A"].width = 16
    ds.column_dimensions["B"].width = 32
    for j, h in enumerate(headers, start=1):
        c = ds.cell(1, j)
        c.font, c.fill, c.alignment, c.border = st["head"], st["head_fill"], st["center"], st["border"]
        c.protection = Protection(locked=True)
    src_col = len(headers)
    ds.column_dimensions[get_column_letter(src_col)].width = 40
    for k, code in enumerate(indicators):
        node = spec.node(code)
        j = 3 + k
        letter = get_column_letter(j)
        ds.column_dimensions[letter].width = 14
        help_text = node.description.get(lang) if node.description else ""
        note = f"{code}: {node.name.get(lang)}\n" + (f"{help_text}\n" if help_text else "") + \
            f"Isian: {_kind_text(node, lang)}" + ("\nWajib diisi." if node.required else "")
        cm = Comment(note, "rawan")
        cm.width, cm.height = 300, 140
        ds.cell(1, j).comment = cm
        dv = _validation(node, lang)
        if dv is not None:
            ds.add_data_validation(dv)
            dv.add(f"{letter}2:{letter}{last}")
    if den:
        j = 3 + len(indicators)
        cm = Comment(f"{den.column}: {den.name.get(lang)}\nIsian: bilangan lebih dari 0. Nilai indikator dibagi "
                     f"kolom ini lalu dikali {den.per:g}.", "rawan")
        cm.width, cm.height = 300, 100
        ds.cell(1, j).comment = cm
        ds.column_dimensions[get_column_letter(j)].width = 14
    cm = Comment("Sumber atau bukti data pada baris ini: laporan pengawas, berita, surat, tautan.", "rawan")
    cm.width, cm.height = 300, 80
    ds.cell(1, src_col).comment = cm
    for row in ds.iter_rows(min_row=2, max_row=last):
        for c in row:
            c.border = st["border"]
            if c.column <= 2:
                c.fill = st["locked_fill"]
                c.protection = Protection(locked=True)
                c.number_format = "@"
            else:
                c.fill = st["input_fill"]
                c.protection = Protection(locked=False)
    ds.freeze_panes = "C2"
    ds.protection.sheet = True
    ds.protection.formatColumns = False
    ds.protection.formatRows = False
    ds.protection.autoFilter = False
    ds.print_title_rows = "1:1"
    ds.page_setup.orientation = "landscape"
    ds.page_setup.paperSize = ds.PAPERSIZE_A4
    ds.print_title_cols = "A:B"
    wb.active = 1
    _meta_sheet(wb, _meta_rows(spec, level, parent, "kuesioner"))
    wb.save(path)


def _validation(node, lang):
    from openpyxl.worksheet.datavalidation import DataValidation

    kind = node.kind or "score"
    common = dict(allow_blank=True, showErrorMessage=True, errorTitle="Isian tidak sah",
                  showInputMessage=False)
    if kind == "binary":
        dv = DataValidation(type="list", formula1='"Ya,Tidak"', error="Pilih Ya atau Tidak.", **common)
    elif kind == "count":
        dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0",
                            error="Isi bilangan bulat 0 atau lebih (jumlah kejadian).", **common)
    else:
        low, high = node.range if node.range is not None else KIND_RANGES.get(kind, (None, None))
        if low is None or high is None or abs(low) == float("inf") or abs(high) == float("inf"):
            return None
        dv = DataValidation(type="decimal", operator="between", formula1=f"{low:g}", formula2=f"{high:g}",
                            error=f"Isi angka {low:g} sampai {high:g}.", **common)
    return dv


def _meta_sheet(wb, rows):
    ms = wb.create_sheet(META_SHEET)
    for k, v in rows:
        ms.append([k, v])
    ms.sheet_state = "hidden"
    ms.protection.sheet = True
