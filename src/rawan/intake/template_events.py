"""The XLSX template for event records ("kejadian"): one row per event, with drop-down lists."""

from __future__ import annotations

from pathlib import Path

from .events import EVENT_COLUMNS
from .template import LEVEL_NAMES, _meta_sheet, instructions_sheet, styles
from .xlsx import DATA_SHEET

EVENT_ROWS = 1000  # rows prepared with drop-down lists and checks
HEADER_NOTES = {
    "kode_wilayah": "Kode wilayah Kemendagri tempat kejadian: kab/kota, kecamatan atau desa/kelurahan "
                    "(lihat lembar 'Wilayah').",
    "indikator": "Kode indikator (lihat lembar 'Daftar').",
    "tingkat": "Tingkat kejadian (pilih dari daftar).",
    "tanggal": "Tanggal kejadian: TTTT-BB-HH atau HH/BB/TTTT.",
    "sumber": "Sumber atau bukti: laporan pengawas, berita, surat, tautan. Wajib diisi.",
    "uraian": "Uraian singkat kejadian (boleh kosong).",
}


def write_events_xlsx(path: Path, spec, regions, scope, level, parent, lang, meta_rows):
    import openpyxl
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    st = styles()
    wb = openpyxl.Workbook()
    where = ""
    if parent:
        try:
            where = f" di {regions.get(parent).name} ({parent})"
        except Exception:
            where = f" di {parent}"
    levels = spec.severity.levels if spec.severity else []
    sev_text = ", ".join(f"{lv.code} (bobot {lv.weight:g})" for lv in levels) or "1 (setiap kejadian berbobot 1)"
    steps = [
        "Isi lembar 'Data': satu baris untuk setiap kejadian.",
        "kode_wilayah: kode Kemendagri tempat kejadian, sampai tingkat desa/kelurahan (lembar 'Wilayah').",
        "indikator: kode indikator dari lembar 'Daftar'; tingkat: " + sev_text + ".",
        "Nilai indikator suatu wilayah = jumlah bobot tingkat kejadiannya, dihitung per "
        f"{LEVEL_NAMES[level]}." + (" Skala tingkat ini adalah asumsi (skala Bawaslu tidak dipublikasikan)."
                                     if spec.severity and spec.severity.assumption else ""),
        "tanggal: TTTT-BB-HH atau HH/BB/TTTT; sumber wajib diisi; uraian boleh kosong.",
        "Jangan menggabungkan sel, menyembunyikan baris, atau menghapus lembar tersembunyi.",
        "Periksa berkas sebelum dikirim dengan: rawan validate BERKAS --model " + spec.id + ".",
    ]
    instructions_sheet(wb, spec, f"kejadian{where}, dihitung per {LEVEL_NAMES[level]}", lang, steps,
                       "Satu kejadian ditulis dalam satu baris.")
    ds = wb.create_sheet(DATA_SHEET)
    ds.append(list(EVENT_COLUMNS))
    widths = {"kode_wilayah": 16, "indikator": 12, "tingkat": 12, "tanggal": 14, "sumber": 36, "uraian": 50}
    for j, h in enumerate(EVENT_COLUMNS, start=1):
        c = ds.cell(1, j)
        c.font, c.fill, c.alignment, c.border = st["head"], st["head_fill"], st["center"], st["border"]
        cm = Comment(HEADER_NOTES[h], "rawan")
        cm.width, cm.height = 280, 90
        c.comment = cm
        ds.column_dimensions[c.column_letter].width = widths[h]
    for r in range(2, EVENT_ROWS + 2):
        ds.cell(r, 1).number_format = "@"
        ds.cell(r, 4).number_format = "yyyy-mm-dd"
    ds.row_dimensions[1].height = 24
    ds.freeze_panes = "A2"
    # lists on a reference sheet
    ref = wb.create_sheet("Daftar")
    ref.append(["indikator", "nama", "", "tingkat", "nama", "bobot"])
    inds = [c for c in spec.tree.indicators if (spec.node(c).kind or "score") in ("count", "binary")]
    for k in range(max(len(inds), len(levels))):
        row = ["", "", "", "", "", ""]
        if k < len(inds):
            row[0], row[1] = inds[k], spec.node(inds[k]).name.get(lang)
        if k < len(levels):
            row[3], row[4], row[5] = levels[k].code, levels[k].name.get(lang), levels[k].weight
        ref.append(row)
    ref.column_dimensions["B"].width = 60
    for c in ref[1]:
        c.font = st["bold"]
    last = EVENT_ROWS + 1
    dv = DataValidation(type="list", formula1=f"=Daftar!$A$2:$A${len(inds) + 1}", allow_blank=True,
                        showErrorMessage=True, errorTitle="Isian tidak sah", error="Pilih kode indikator dari daftar.")
    ds.add_data_validation(dv)
    dv.add(f"B2:B{last}")
    if levels:
        dv = DataValidation(type="list", formula1=f"=Daftar!$D$2:$D${len(levels) + 1}", allow_blank=True,
                            showErrorMessage=True, errorTitle="Isian tidak sah", error="Pilih tingkat dari daftar.")
        ds.add_data_validation(dv)
        dv.add(f"C2:C{last}")
    dv = DataValidation(type="date", operator="greaterThan", formula1="36526", allow_blank=True,
                        showErrorMessage=True, errorTitle="Isian tidak sah", error="Isi tanggal (setelah 2000).")
    ds.add_data_validation(dv)
    dv.add(f"D2:D{last}")
    wil = wb.create_sheet("Wilayah")
    wil.append(["kode", "nama", "tingkat"])
    below = [r for r in (regions.descendants(parent) if parent else list(regions)) if r.level != "provinsi"] \
        if regions is not None else []
    for r in below:
        wil.append([r.code, r.name, r.level])
    wil.column_dimensions["A"].width = 16
    wil.column_dimensions["B"].width = 40
    wb.active = 1
    _meta_sheet(wb, meta_rows)
    wb.save(path)
