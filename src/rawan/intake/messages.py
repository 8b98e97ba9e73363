"""Messages of the intake package (Indonesian first, English), registered with the engine.

A problem in a cell names the place the way the officer sees it: file, sheet (``CSV`` or
``Parquet`` for files without sheets), row as Excel shows it, column letter and header.
"""

from __future__ import annotations

from ..engine.errors import register_messages

_CELL_ID = "Berkas {file} [{sheet}] baris {row}, kolom {column} ({header})"
_CELL_EN = "File {file} [{sheet}] row {row}, column {column} ({header})"

MESSAGES: dict[str, dict[str, str]] = {
    # --- the file as a whole ---
    "intake.file_missing": {
        "id": "Berkas {file} tidak ditemukan.",
        "en": "File {file} not found.",
    },
    "intake.format": {
        "id": "Format berkas {file} tidak didukung (gunakan .xlsx, .csv atau .parquet).",
        "en": "Unsupported file format {file} (use .xlsx, .csv or .parquet).",
    },
    "intake.too_big": {
        "id": "Berkas {file} berukuran {size} bait, melebihi batas {limit} bait.",
        "en": "File {file} is {size} bytes, over the limit of {limit} bytes.",
    },
    "intake.too_many_rows": {
        "id": "Berkas {file} [{sheet}] berisi {rows} baris, melebihi batas {limit} baris.",
        "en": "File {file} [{sheet}] holds {rows} rows, over the limit of {limit} rows.",
    },
    "intake.too_many_cells": {
        "id": "Berkas {file} [{sheet}] berisi sedikitnya {cells} sel ({rows} baris x {columns} kolom), melebihi batas {limit} sel; pembacaan dihentikan sebelum sel dimuat.",
        "en": "File {file} [{sheet}] holds at least {cells} cells ({rows} rows x {columns} columns), over the limit of {limit} cells; reading stopped before any cell was loaded.",
    },
    "intake.unreadable": {
        "id": "Berkas {file} tidak dapat dibaca sebagai {format}: {detail}",
        "en": "File {file} cannot be read as {format}: {detail}",
    },
    "intake.encoding": {
        "id": "Berkas {file}: pengodean teks tidak dikenali (harus UTF-8, UTF-8 dengan BOM, atau Windows-1252); bait tak sah di posisi {position}.",
        "en": "File {file}: unknown text encoding (must be UTF-8, UTF-8 with BOM, or Windows-1252); invalid byte at position {position}.",
    },
    "intake.zip_bomb": {
        "id": "Berkas {file} ditolak: bagian {part} mengembang menjadi {size} bait (rasio {ratio}:1), melebihi batas aman ({limit}). Berkas ini mungkin rusak atau berbahaya.",
        "en": "File {file} refused: part {part} expands to {size} bytes (ratio {ratio}:1), over the safe limit ({limit}). The file may be damaged or malicious.",
    },
    "intake.empty": {
        "id": "Berkas {file} [{sheet}] kosong: tidak ada baris judul kolom.",
        "en": "File {file} [{sheet}] is empty: there is no header row.",
    },
    "intake.no_rows": {
        "id": "Berkas {file} [{sheet}] tidak berisi baris data.",
        "en": "File {file} [{sheet}] holds no data rows.",
    },
    "intake.no_values": {
        "id": "Berkas {file} [{sheet}]: belum ada satu pun nilai indikator yang diisi.",
        "en": "File {file} [{sheet}]: no indicator value has been filled in yet.",
    },
    "intake.no_sheet": {
        "id": "Berkas {file} tidak punya lembar data (lembar '{sheet}' atau lembar pertama yang terlihat).",
        "en": "File {file} has no data sheet (sheet '{sheet}' or the first visible sheet).",
    },
    # --- template identity ---
    "intake.model_mismatch": {
        "id": "Berkas {file} dibuat dari templat model '{found}', bukan model '{expected}' yang dipakai untuk impor.",
        "en": "File {file} was made from a template of model '{found}', not model '{expected}' used for this import.",
    },
    "intake.version_mismatch": {
        "id": "Berkas {file} dibuat dari templat model {model} versi {found}, sedangkan model yang dipakai versi {expected}. Unduh templat baru dan salin isiannya.",
        "en": "File {file} was made from a template of model {model} version {found}, but the model in use is version {expected}. Download a new template and copy the answers over.",
    },
    "intake.structure_mismatch": {
        "id": "Berkas {file}: susunan indikator templat (checksum {found}) berbeda dari model {model} versi {version} (checksum {expected}). Unduh templat baru.",
        "en": "File {file}: the template's indicator structure (checksum {found}) differs from model {model} version {version} (checksum {expected}). Download a new template.",
    },
    # --- sheet structure ---
    "intake.header_not_found": {
        "id": "Berkas {file} [{sheet}]: baris judul kolom tidak ditemukan di {rows} baris pertama.",
        "en": "File {file} [{sheet}]: no column header row in the first {rows} rows.",
    },
    "intake.merged_cells": {
        "id": "Berkas {file} [{sheet}]: sel {range} digabung (merge). Pisahkan sel gabungan; setiap sel harus berisi satu nilai.",
        "en": "File {file} [{sheet}]: cells {range} are merged. Unmerge them; every cell must hold one value.",
    },
    "intake.hidden_row": {
        "id": "Berkas {file} [{sheet}] baris {row} tersembunyi tetapi berisi data. Tampilkan (unhide) baris itu dan periksa isinya.",
        "en": "File {file} [{sheet}] row {row} is hidden but holds data. Unhide the row and check it.",
    },
    "intake.hidden_column": {
        "id": "Berkas {file} [{sheet}] kolom {column} ({header}) tersembunyi tetapi berisi data. Tampilkan (unhide) kolom itu dan periksa isinya.",
        "en": "File {file} [{sheet}] column {column} ({header}) is hidden but holds data. Unhide the column and check it.",
    },
    "intake.external_link": {
        "id": "Berkas {file} [{sheet}] sel {cell}: rumus '{formula}' merujuk buku kerja lain (tautan eksternal). Ganti rumus dengan nilainya (Tempel Spesial > Nilai).",
        "en": "File {file} [{sheet}] cell {cell}: formula '{formula}' refers to another workbook (external link). Replace the formula by its value (Paste Special > Values).",
    },
    "intake.external_links_file": {
        "id": "Berkas {file} berisi tautan ke buku kerja lain; tautan eksternal tidak diterima. Putuskan tautan (Data > Edit Links > Break Link) lalu kirim ulang.",
        "en": "File {file} contains links to other workbooks; external links are refused. Break the links (Data > Edit Links > Break Link) and send it again.",
    },
    "intake.formula_no_value": {
        "id": "Berkas {file} [{sheet}] sel {cell}: rumus '{formula}' tidak punya nilai tersimpan. Buka dan simpan berkas di Excel/LibreOffice, atau ganti rumus dengan nilainya.",
        "en": "File {file} [{sheet}] cell {cell}: formula '{formula}' has no stored value. Open and save the file in Excel/LibreOffice, or replace the formula by its value.",
    },
    "intake.formulas_used": {
        "id": "Berkas {file} [{sheet}]: {count} sel berisi rumus (mis. {cells}); nilai hasil rumus yang dipakai.",
        "en": "File {file} [{sheet}]: {count} cells hold formulas (e.g. {cells}); their computed values are used.",
    },
    # --- columns ---
    "intake.no_code_column": {
        "id": "Berkas {file} [{sheet}]: tidak ada kolom kode wilayah (judul 'kode', 'code' atau 'kode_wilayah').",
        "en": "File {file} [{sheet}]: no region-code column (header 'kode', 'code' or 'kode_wilayah').",
    },
    "intake.missing_column": {
        "id": "Berkas {file} [{sheet}]: kolom indikator '{code}' ({name}) tidak ada.",
        "en": "File {file} [{sheet}]: the indicator column '{code}' ({name}) is missing.",
    },
    "intake.missing_event_column": {
        "id": "Berkas {file} [{sheet}]: catatan kejadian memerlukan kolom '{column}'.",
        "en": "File {file} [{sheet}]: event records need a column '{column}'.",
    },
    "intake.duplicate_column": {
        "id": "Berkas {file} [{sheet}]: indikator '{code}' muncul di lebih dari satu kolom ({columns}).",
        "en": "File {file} [{sheet}]: indicator '{code}' appears in more than one column ({columns}).",
    },
    "intake.unknown_column": {
        "id": "Berkas {file} [{sheet}] kolom {column} ({header}): bukan indikator model {model}; kolom ini diabaikan.",
        "en": "File {file} [{sheet}] column {column} ({header}): not an indicator of model {model}; the column is ignored.",
    },
    # --- regions ---
    "intake.empty_code": {
        "id": _CELL_ID + ": kode wilayah kosong, padahal baris ini berisi data.",
        "en": _CELL_EN + ": the region code is empty, but the row holds data.",
    },
    "intake.bad_code": {
        "id": _CELL_ID + ": '{value}' bukan kode wilayah Kemendagri (contoh: 15.01, 15.01.02, 15.01.02.2001).",
        "en": _CELL_EN + ": '{value}' is not a Kemendagri region code (e.g. 15.01, 15.01.02, 15.01.02.2001).",
    },
    "intake.unknown_region": {
        "id": _CELL_ID + ": kode wilayah '{value}' tidak ada dalam daftar wilayah.",
        "en": _CELL_EN + ": region code '{value}' is not in the region list.",
    },
    "intake.duplicate_region": {
        "id": "Berkas {file} [{sheet}]: kode wilayah '{value}' muncul lebih dari sekali (baris {rows}).",
        "en": "File {file} [{sheet}]: region code '{value}' appears more than once (rows {rows}).",
    },
    "intake.out_of_scope": {
        "id": _CELL_ID + ": wilayah '{value}' di luar cakupan templat ({expected}).",
        "en": _CELL_EN + ": region '{value}' is outside the template's scope ({expected}).",
    },
    "intake.region_missing": {
        "id": "Berkas {file} [{sheet}]: wilayah '{value}' ({name}) dari templat tidak ada dalam berkas.",
        "en": "File {file} [{sheet}]: region '{value}' ({name}) of the template is missing from the file.",
    },
    "intake.level_above": {
        "id": _CELL_ID + ": kejadian di wilayah '{value}' (tingkat {found}) tidak dapat dimasukkan ke tingkat {expected} yang lebih rendah.",
        "en": _CELL_EN + ": an event in region '{value}' ({found} level) cannot be assigned to the lower level {expected}.",
    },
    "intake.no_regions_given": {
        "id": "Tanpa daftar wilayah, hanya wilayah yang punya kejadian yang masuk data ({count} wilayah); wilayah tanpa kejadian tidak tercatat bernilai 0.",
        "en": "Without a region list only regions with events enter the data ({count} regions); regions without events are not recorded as 0.",
    },
    # --- values ---
    "intake.not_yes_no": {
        "id": _CELL_ID + ": nilai '{value}' tidak sah; isi Ya atau Tidak (juga diterima: y/t, 1/0, true/false).",
        "en": _CELL_EN + ": value '{value}' is not valid; enter Ya (yes) or Tidak (no) (also accepted: y/n, 1/0, true/false).",
    },
    "intake.not_whole_number": {
        "id": _CELL_ID + ": nilai '{value}' tidak sah; isi bilangan bulat >= 0 (jumlah kejadian).",
        "en": _CELL_EN + ": value '{value}' is not valid; enter a whole number >= 0 (a count of events).",
    },
    "intake.not_a_number": {
        "id": _CELL_ID + ": nilai '{value}' bukan angka; isi angka {expected}.",
        "en": _CELL_EN + ": value '{value}' is not a number; enter a number {expected}.",
    },
    "intake.ambiguous_number": {
        "id": _CELL_ID + ": nilai '{value}' bisa berarti dua angka (ribuan atau desimal); tulis tanpa pemisah "
              "ribuan (1234 atau 1,234), atau nyatakan lokal berkas dengan --locale id atau --locale en.",
        "en": _CELL_EN + ": value '{value}' can mean two numbers (thousands or decimals); write it without a "
              "thousands separator (1234 or 1.234), or declare the file's locale with --locale id or --locale en.",
    },
    "intake.bad_denominator": {
        "id": _CELL_ID + ": kolom {column_code} ({name}) harus bilangan lebih dari 0, bukan '{value}'; model membagi "
                         "nilai indikator dengannya.",
        "en": _CELL_EN + ": column {column_code} ({name}) must be a number greater than 0, not '{value}'; the model "
                         "divides indicator values by it.",
    },
    "intake.out_of_range": {
        "id": _CELL_ID + ": nilai {value} di luar rentang {expected}.",
        "en": _CELL_EN + ": value {value} is outside {expected}.",
    },
    "intake.required_value": {
        "id": _CELL_ID + ": nilai wajib diisi untuk indikator ini (wilayah {code}).",
        "en": _CELL_EN + ": a value is required for this indicator (region {code}).",
    },
    # --- events ---
    "intake.unknown_indicator": {
        "id": _CELL_ID + ": '{value}' bukan kode indikator model {model}.",
        "en": _CELL_EN + ": '{value}' is not an indicator code of model {model}.",
    },
    "intake.indicator_not_event": {
        "id": _CELL_ID + ": indikator '{value}' berjenis {kind}; nilainya tidak dapat dihitung dari catatan kejadian (hanya count atau binary).",
        "en": _CELL_EN + ": indicator '{value}' is of kind {kind}; its value cannot come from event records (only count or binary).",
    },
    "intake.unknown_severity": {
        "id": _CELL_ID + ": tingkat kejadian '{value}' tidak dikenal; isi salah satu dari {expected}.",
        "en": _CELL_EN + ": severity level '{value}' is unknown; enter one of {expected}.",
    },
    "intake.bad_date": {
        "id": _CELL_ID + ": tanggal '{value}' tidak sah; tulis sebagai {expected}.",
        "en": _CELL_EN + ": date '{value}' is not valid; write it as {expected}.",
    },
    "intake.empty_value": {
        "id": _CELL_ID + ": kolom ini wajib diisi.",
        "en": _CELL_EN + ": this column must be filled in.",
    },
    "intake.more_problems": {
        "id": "Berkas {file} [{sheet}]: {count} masalah lain sejenis ({kind}, kolom {column}) tidak ditampilkan.",
        "en": "File {file} [{sheet}]: {count} more problems of the same kind ({kind}, column {column}) not shown.",
    },
    "intake.bad_level": {
        "id": "Tingkat wilayah '{level}' tidak dikenal; gunakan salah satu dari: {known}.",
        "en": "Unknown region level '{level}'; use one of: {known}.",
    },
    "intake.needs_regions": {
        "id": "Templat memerlukan daftar wilayah (--regions).",
        "en": "A template needs a region list (--regions).",
    },
    "intake.no_regions_in_scope": {
        "id": "Tidak ada wilayah tingkat {level}{parent_part} dalam daftar wilayah.",
        "en": "There are no regions of level {level}{parent_part} in the region list.",
    },
    "intake.out_format": {
        "id": "Format keluaran {file} tidak didukung (gunakan {known}).",
        "en": "Unsupported output format {file} (use {known}).",
    },
}

register_messages(MESSAGES)
