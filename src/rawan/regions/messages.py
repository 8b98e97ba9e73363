"""Messages of rawan.regions (Indonesian first, English), registered with the engine's table."""

from __future__ import annotations

from ..engine.errors import RawanError, register_messages

MESSAGES: dict[str, dict[str, str]] = {
    "regions.not_found": {
        "id": "Daftar wilayah (jambi-wilayah.csv) tidak ditemukan. Dicari di: {places}. "
              "Jalankan 'rawan data fetch' atau atur RAWAN_SHARED_DATA.",
        "en": "Region list (jambi-wilayah.csv) not found. Looked in: {places}. "
              "Run 'rawan data fetch' or set RAWAN_SHARED_DATA.",
    },
    "regions.columns": {
        "id": "Daftar wilayah {file} tidak punya kolom wajib: {missing}.",
        "en": "Region list {file} lacks required columns: {missing}.",
    },
    "regions.bad_code": {
        "id": "Berkas {file}, baris {row}, kolom code: '{code}' bukan kode wilayah Kemendagri "
              "(bentuk 15, 15.01, 15.01.01 atau 15.01.01.2001).",
        "en": "File {file}, row {row}, column code: '{code}' is not a Kemendagri region code "
              "(shape 15, 15.01, 15.01.01 or 15.01.01.2001).",
    },
    "regions.duplicate": {
        "id": "Berkas {file}, baris {row}: kode wilayah '{code}' sudah muncul di baris {first}.",
        "en": "File {file}, row {row}: region code '{code}' already appears on row {first}.",
    },
    "regions.bad_level": {
        "id": "Berkas {file}, baris {row}, kolom level: '{code}' tertulis '{given}', dari bentuk kodenya seharusnya '{expected}'.",
        "en": "File {file}, row {row}, column level: '{code}' says '{given}'; its code shape makes it '{expected}'.",
    },
    "regions.bad_parent": {
        "id": "Berkas {file}, baris {row}, kolom parent_code: induk '{parent}' dari '{code}' "
              "tidak cocok dengan kodenya (seharusnya '{expected}') atau tidak ada dalam daftar.",
        "en": "File {file}, row {row}, column parent_code: parent '{parent}' of '{code}' "
              "does not match its code (expected '{expected}') or is not in the list.",
    },
    "regions.empty_name": {
        "id": "Berkas {file}, baris {row}, kolom name: nama wilayah '{code}' kosong.",
        "en": "File {file}, row {row}, column name: the name of region '{code}' is empty.",
    },
    "regions.unknown_code": {
        "id": "Kode wilayah '{code}' tidak ada dalam daftar wilayah.{hint}",
        "en": "Region code '{code}' is not in the region list.{hint}",
    },
    "regions.invalid_code": {
        "id": "'{code}' bukan kode wilayah Kemendagri (bentuk 15, 15.01, 15.01.01 atau 15.01.01.2001; tanpa titik juga boleh: 1501).",
        "en": "'{code}' is not a Kemendagri region code (shape 15, 15.01, 15.01.01 or 15.01.01.2001; without dots also accepted: 1501).",
    },
    "regions.unknown_level": {
        "id": "Tingkat wilayah '{level}' tidak dikenal; gunakan salah satu dari: {known}.",
        "en": "Unknown region level '{level}'; use one of: {known}.",
    },
}

register_messages(MESSAGES)


class RegionError(RawanError):
    """The region list, a region code or a boundary file is wrong."""
