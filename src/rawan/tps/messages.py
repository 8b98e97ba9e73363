"""Messages of the TPS package (Indonesian first, English), registered with the engine's one table."""

from __future__ import annotations

from ..engine.errors import RawanError, register_messages

_CELL_ID = "Berkas {file} [{sheet}] baris {row}, kolom {column} ({header})"
_CELL_EN = "File {file} [{sheet}] row {row}, column {column} ({header})"


class TpsError(RawanError):
    """A TPS model, registry or checklist is wrong (every problem, naming its place)."""


MESSAGES: dict[str, dict[str, str]] = {
    # --- models ---
    "tps.unknown_model": {
        "id": "Model TPS '{model}' tidak dikenal: bukan berkas dan bukan model bawaan ({known}).",
        "en": "Unknown TPS model '{model}': neither a file nor a shipped model ({known}).",
    },
    "tps.model_schema": {
        "id": "Berkas model TPS {file}, bagian {where}: {detail}",
        "en": "TPS model file {file}, at {where}: {detail}",
    },
    "tps.unknown_indicator": {
        "id": "Indikator '{code}' tidak ada dalam model {model} (yang ada: {known}).",
        "en": "Indicator '{code}' is not in model {model} (known: {known}).",
    },
    "tps.unknown_variable": {
        "id": "Variabel '{code}' tidak ada dalam model {model} (yang ada: {known}).",
        "en": "Variable '{code}' is not in model {model} (known: {known}).",
    },
    "tps.unknown_level": {
        "id": "Tingkat wilayah '{level}' tidak dikenal; gunakan salah satu dari: {known}.",
        "en": "Unknown region level '{level}'; use one of: {known}.",
    },
    "tps.unknown_region": {
        "id": "Wilayah '{code}' tidak punya TPS dalam daftar TPS ini.",
        "en": "Region '{code}' has no TPS in this TPS registry.",
    },
    # --- tables given in code (not files) ---
    "tps.table_columns": {
        "id": "Tabel {table} tidak punya kolom wajib: {missing}.",
        "en": "Table {table} lacks required columns: {missing}.",
    },
    "tps.registry_duplicate": {
        "id": "Daftar TPS: TPS {tps} di desa/kelurahan {desa} tercatat lebih dari sekali ({count} kali).",
        "en": "TPS registry: TPS {tps} of desa/kelurahan {desa} appears more than once ({count} times).",
    },
    "tps.registry_bad_desa": {
        "id": "Daftar TPS: '{code}' bukan kode desa/kelurahan Kemendagri bertitik (mis. 15.71.01.1001).",
        "en": "TPS registry: '{code}' is not a dotted Kemendagri desa/kelurahan code (e.g. 15.71.01.1001).",
    },
    "tps.registry_bad_number": {
        "id": "Daftar TPS: nomor TPS {tps} di desa/kelurahan {desa} di luar 1-9999.",
        "en": "TPS registry: TPS number {tps} of desa/kelurahan {desa} is outside 1-9999.",
    },
    "tps.election_mismatch": {
        "id": "Tabel {table} berisi pemilihan '{found}', bukan '{expected}'.",
        "en": "Table {table} holds election '{found}', not '{expected}'.",
    },
    "tps.checklist_unknown_tps": {
        "id": "Daftar periksa: TPS {tps} di desa/kelurahan {desa} tidak ada dalam daftar TPS pemilihan {election}.",
        "en": "Checklist: TPS {tps} of desa/kelurahan {desa} is not in the TPS registry of election {election}.",
    },
    "tps.checklist_duplicate": {
        "id": "Daftar periksa: jawaban TPS {tps} desa/kelurahan {desa}, indikator {indicator} tercatat lebih dari sekali.",
        "en": "Checklist: the answer of TPS {tps} of desa/kelurahan {desa}, indicator {indicator}, appears more than once.",
    },
    # --- file imports (cells) ---
    "tps.missing_column": {
        "id": "Berkas {file} [{sheet}]: kolom '{column}' tidak ada (judul yang diterima: {accepted}).",
        "en": "File {file} [{sheet}]: column '{column}' is missing (accepted headers: {accepted}).",
    },
    "tps.header_not_found": {
        "id": "Berkas {file} [{sheet}]: baris judul kolom (provinsi, kabupaten, kecamatan, kelurahan atau kode_desa, "
              "TPS, DPT) tidak ditemukan di {rows} baris pertama.",
        "en": "File {file} [{sheet}]: no column header row (provinsi, kabupaten, kecamatan, kelurahan or kode_desa, "
              "TPS, DPT) in the first {rows} rows.",
    },
    "tps.no_region_column": {
        "id": "Berkas {file} [{sheet}]: tidak ada kolom kode desa/kelurahan ('kode_desa') dan tidak ada kolom nama "
              "wilayah lengkap (provinsi, kabupaten, kecamatan, kelurahan).",
        "en": "File {file} [{sheet}]: no desa/kelurahan code column ('kode_desa') and no full set of region name "
              "columns (provinsi, kabupaten, kecamatan, kelurahan).",
    },
    "tps.empty_cell": {
        "id": _CELL_ID + ": sel kosong; isi sel ini.",
        "en": _CELL_EN + ": the cell is empty; fill it in.",
    },
    "tps.bad_desa_code": {
        "id": _CELL_ID + ": '{value}' bukan kode desa/kelurahan Kemendagri (mis. 15.71.01.1001).",
        "en": _CELL_EN + ": '{value}' is not a Kemendagri desa/kelurahan code (e.g. 15.71.01.1001).",
    },
    "tps.unknown_desa": {
        "id": _CELL_ID + ": desa/kelurahan '{value}' tidak ada dalam daftar wilayah{hint}.",
        "en": _CELL_EN + ": desa/kelurahan '{value}' is not in the region list{hint}.",
    },
    "tps.unmatched_name": {
        "id": _CELL_ID + ": nama {level} '{value}' tidak ditemukan{under}{hint}.",
        "en": _CELL_EN + ": {level} name '{value}' not found{under}{hint}.",
    },
    "tps.did_you_mean": {
        "id": "; mungkin: {names}",
        "en": "; did you mean: {names}",
    },
    "tps.ambiguous_name": {
        "id": _CELL_ID + ": nama {level} '{value}' cocok dengan lebih dari satu wilayah ({codes}); tulis kode desa.",
        "en": _CELL_EN + ": {level} name '{value}' matches more than one region ({codes}); give the desa code.",
    },
    "tps.code_name_conflict": {
        "id": _CELL_ID + ": kode {code} adalah {name}, bukan '{value}'.",
        "en": _CELL_EN + ": code {code} is {name}, not '{value}'.",
    },
    "tps.bad_tps_number": {
        "id": _CELL_ID + ": '{value}' bukan nomor TPS (bilangan bulat 1-9999, mis. 3 atau TPS 003).",
        "en": _CELL_EN + ": '{value}' is not a TPS number (a whole number 1-9999, e.g. 3 or TPS 003).",
    },
    "tps.bad_dpt": {
        "id": _CELL_ID + ": DPT '{value}' bukan bilangan bulat 0 atau lebih.",
        "en": _CELL_EN + ": DPT '{value}' is not a whole number of 0 or more.",
    },
    "tps.dpt_over_limit": {
        "id": _CELL_ID + ": DPT {value} melebihi batas {limit} pemilih per TPS pemilihan ini.",
        "en": _CELL_EN + ": DPT {value} is over the limit of {limit} voters per TPS of this election.",
    },
    "tps.bad_coordinate": {
        "id": _CELL_ID + ": '{value}' bukan {what} yang sah ({expected}).",
        "en": _CELL_EN + ": '{value}' is not a valid {what} ({expected}).",
    },
    "tps.half_coordinate": {
        "id": _CELL_ID + ": lintang dan bujur harus diisi keduanya atau dikosongkan keduanya.",
        "en": _CELL_EN + ": latitude and longitude must both be given or both be empty.",
    },
    "tps.bad_flag": {
        "id": _CELL_ID + ": '{value}' bukan ya/tidak.",
        "en": _CELL_EN + ": '{value}' is not yes/no.",
    },
    "tps.duplicate_tps": {
        "id": _CELL_ID + ": TPS {tps} desa/kelurahan {desa} sudah ada di baris {first}.",
        "en": _CELL_EN + ": TPS {tps} of desa/kelurahan {desa} is already on row {first}.",
    },
    "tps.not_in_registry": {
        "id": _CELL_ID + ": TPS {tps} desa/kelurahan {desa} tidak ada dalam daftar TPS pemilihan {election}.",
        "en": _CELL_EN + ": TPS {tps} of desa/kelurahan {desa} is not in the TPS registry of election {election}.",
    },
    "tps.bad_answer": {
        "id": _CELL_ID + ": jawaban '{value}' bukan ya/tidak (isi 'ya', 'tidak', 1 atau 0).",
        "en": _CELL_EN + ": answer '{value}' is not yes/no (fill in 'ya', 'tidak', 1 or 0).",
    },
    "tps.missing_answer": {
        "id": _CELL_ID + ": jawaban kosong; setiap indikator dijawab ya atau tidak.",
        "en": _CELL_EN + ": the answer is empty; every indicator is answered yes or no.",
    },
    "tps.note_without_yes": {
        "id": _CELL_ID + ": ada catatan untuk indikator {indicator} yang dijawab 'tidak'; catatan hanya untuk jawaban 'ya'.",
        "en": _CELL_EN + ": a note for indicator {indicator}, answered 'no'; notes are for 'yes' answers only.",
    },
    "tps.out_of_scope": {
        "id": _CELL_ID + ": desa/kelurahan {desa} di luar wilayah templat ini ({scope}).",
        "en": _CELL_EN + ": desa/kelurahan {desa} is outside this template's area ({scope}).",
    },
    "tps.unknown_indicator_cell": {
        "id": _CELL_ID + ": '{value}' bukan kode indikator model {model}.",
        "en": _CELL_EN + ": '{value}' is not an indicator code of model {model}.",
    },
    "tps.duplicate_answer": {
        "id": _CELL_ID + ": jawaban TPS dan indikator ini sudah ada di baris {first}.",
        "en": _CELL_EN + ": the answer for this TPS and indicator is already on row {first}.",
    },
    "tps.incomplete_tps": {
        "id": _CELL_ID + ": TPS ini punya {count} jawaban, seharusnya {expected} (satu per indikator).",
        "en": _CELL_EN + ": this TPS has {count} answers, it should have {expected} (one per indicator).",
    },
    "tps.answered_twice": {
        "id": "{tps} desa/kelurahan {desa} dijawab di dua berkas: {first} dan {second}.",
        "en": "{tps} of desa/kelurahan {desa} is answered in two files: {first} and {second}.",
    },
    "tps.out_format": {
        "id": "Format keluaran {file} tidak didukung (gunakan {known}).",
        "en": "Unsupported output format {file} (use {known}).",
    },
    "tps.no_rows": {
        "id": "Berkas {file} [{sheet}] tidak berisi baris TPS.",
        "en": "File {file} [{sheet}] holds no TPS rows.",
    },
    "tps.wrong_template": {
        "id": "Berkas {file} dibuat untuk model TPS '{found}', bukan '{expected}'. Unduh templat yang sesuai.",
        "en": "File {file} was made for TPS model '{found}', not '{expected}'. Download the matching template.",
    },
    "tps.unmatched_summary": {
        "id": "Berkas {file} [{sheet}]: {count} nama wilayah tidak cocok dengan daftar wilayah: {names}.",
        "en": "File {file} [{sheet}]: {count} region names do not match the region list: {names}.",
    },
    "tps.no_published_kabkota": {
        "id": "Rilis yang diterbitkan tidak memberi jumlah TPS per kabupaten/kota, jadi tidak ada peta; "
              "hanya tabel dengan nama kabupaten/kota yang disebut.",
        "en": "The published release gives no TPS counts per kab/kota, so there is no map; only a table "
              "with the kab/kota it names.",
    },
    "tps.no_coordinates": {
        "id": "Tidak ada TPS dengan koordinat di wilayah {region}; peta titik TPS tidak dapat dibuat.",
        "en": "No TPS with coordinates in region {region}; the TPS point map cannot be drawn.",
    },
    "tps.nothing_listed": {
        "id": "Tidak ada TPS rawan di {region} untuk pilihan ini ({filter}).",
        "en": "No TPS rawan in {region} for this choice ({filter}).",
    },
}

register_messages(MESSAGES)
