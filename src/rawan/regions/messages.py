"""Messages of rawan.regions (Indonesian first, English), registered with the engine's table."""

from __future__ import annotations

from ..engine.errors import RawanError, register_messages

MESSAGES: dict[str, dict[str, str]] = {
    "regions.not_found": {
        "id": "Daftar wilayah provinsi {province} tidak ditemukan. Dicari di: {places}. "
              "Berikan --regions (berkas CSV atau folder), atau periksa kode provinsi (--province).",
        "en": "Region list of province {province} not found. Looked in: {places}. "
              "Give --regions (a CSV file or folder), or check the province code (--province).",
    },
    "regions.bad_province": {
        "id": "'{province}' bukan kode provinsi Kemendagri (dua angka, mis. 15 untuk Jambi atau 32 untuk Jawa Barat).",
        "en": "'{province}' is not a Kemendagri province code (two digits, e.g. 15 for Jambi or 32 for Jawa Barat).",
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

BOUNDARY_MESSAGES: dict[str, dict[str, str]] = {
    "boundaries.file_missing": {
        "id": "Berkas batas wilayah {file} tidak ditemukan.",
        "en": "Boundary file {file} not found.",
    },
    "boundaries.unreadable": {
        "id": "Berkas batas wilayah {file} tidak dapat dibaca (GeoJSON, Shapefile ber-zip atau GeoPackage yang rusak?): {detail}",
        "en": "Boundary file {file} cannot be read (a broken GeoJSON, zipped Shapefile or GeoPackage?): {detail}",
    },
    "boundaries.empty": {
        "id": "Berkas batas wilayah {file} tidak berisi geometri.",
        "en": "Boundary file {file} holds no geometry.",
    },
    "boundaries.no_code_field": {
        "id": "Berkas {file} tidak punya kolom kode wilayah '{field}'. Kolom yang ada: {fields}. Pilih dengan --code-field.",
        "en": "File {file} has no region-code column '{field}'. Its columns: {fields}. Choose one with --code-field.",
    },
    "boundaries.projected": {
        "id": "Berkas {file}: koordinat bukan bujur/lintang derajat (tampaknya terproyeksi, mis. UTM dalam meter: {crs}). "
              "Ubah dulu ke EPSG:4326 (mis. di QGIS: Export > CRS EPSG:4326).",
        "en": "File {file}: coordinates are not longitude/latitude degrees (they look projected, e.g. UTM metres: {crs}). "
              "Convert to EPSG:4326 first (e.g. in QGIS: Export > CRS EPSG:4326).",
    },
    "boundaries.swapped": {
        "id": "Berkas {file}: bujur dan lintang tertukar ({bounds}); Indonesia ada di bujur 95..141 dan lintang -11..6. "
              "Tukar urutan koordinat menjadi [bujur, lintang].",
        "en": "File {file}: longitude and latitude are swapped ({bounds}); Indonesia lies at longitude 95..141 and latitude -11..6. "
              "Swap the coordinate order to [lon, lat].",
    },
    "boundaries.outside": {
        "id": "Berkas {file}: koordinat ({bounds}) berada di luar Indonesia; periksa sistem koordinatnya (harus EPSG:4326).",
        "en": "File {file}: coordinates ({bounds}) lie outside Indonesia; check the coordinate system (must be EPSG:4326).",
    },
    "boundaries.mixed_levels": {
        "id": "Berkas {file}, kolom {field}: kode wilayahnya tidak berada pada satu tingkat; sebutkan --level.",
        "en": "File {file}, column {field}: its region codes are not all of one level; give --level.",
    },
    "boundaries.nothing_matched": {
        "id": "Berkas {file}, kolom {field}: tidak ada satu pun kode yang cocok dengan daftar wilayah tingkat {level} "
              "(contoh kode dalam berkas: {sample}). Periksa kolom kode (--code-field) dan tingkatnya (--level).",
        "en": "File {file}, column {field}: no code matches the region list at level {level} "
              "(codes in the file, e.g.: {sample}). Check the code column (--code-field) and the level (--level).",
    },
    "boundaries.no_level": {
        "id": "Tidak ada batas wilayah tingkat {level} (yang tersedia: {have}).",
        "en": "No boundaries at level {level} (available: {have}).",
    },
    "boundaries.store_unreadable": {
        "id": "Berkas batas wilayah tersimpan {file} rusak atau versinya lain ({detail}); impor ulang batas wilayah.",
        "en": "Stored boundary file {file} is broken or of another version ({detail}); import the boundaries again.",
    },
    "boundaries.none_in_dir": {
        "id": "Folder {dir} tidak berisi batas wilayah (batas-wilayah.npz atau jambi-desa.geojson).",
        "en": "Folder {dir} holds no boundaries (batas-wilayah.npz or jambi-desa.geojson).",
    },
}
register_messages(BOUNDARY_MESSAGES)

MAP_MESSAGES: dict[str, dict[str, str]] = {
    "map.no_match": {
        "id": "Tidak ada kode wilayah dalam nilai peta yang cocok dengan wilayah tingkat {level} yang digambar (contoh: {sample}).",
        "en": "No region code in the map values matches the {level} regions drawn (e.g. {sample}).",
    },
    "map.bad_category": {
        "id": "Wilayah '{code}': kategori '{value}' tidak dikenal; gunakan {known} atau kosong (tidak ada data).",
        "en": "Region '{code}': unknown category '{value}'; use {known} or empty (no data).",
    },
    "map.ambiguous_score": {
        "id": "Wilayah '{code}': nilai '{value}' bisa berarti dua angka (ribuan atau desimal); tulis tanpa pemisah ribuan atau beri --locale id / --locale en.",
        "en": "Region '{code}': value '{value}' can mean two numbers (thousands or decimals); write it without a thousands separator or give --locale id / --locale en.",
    },
    "map.bad_score": {
        "id": "Wilayah '{code}': nilai '{value}' bukan angka.",
        "en": "Region '{code}': value '{value}' is not a number.",
    },
    "map.bad_mode": {
        "id": "Mode peta '{mode}' tidak dikenal; gunakan category atau continuous.",
        "en": "Unknown map mode '{mode}'; use category or continuous.",
    },
    "map.bad_format": {
        "id": "Format peta {file} tidak didukung (gunakan .svg atau .png).",
        "en": "Unsupported map format {file} (use .svg or .png).",
    },
}
register_messages(MAP_MESSAGES)

CLI_MESSAGES: dict[str, dict[str, str]] = {
    "map.no_column": {
        "id": "Berkas {file} tidak punya kolom '{column}'. Kolom yang ada: {columns}.",
        "en": "File {file} has no column '{column}'. Its columns: {columns}.",
    },
    "map.bad_code_row": {
        "id": "Berkas {file}, baris {row}, kolom {column}: '{code}' bukan kode wilayah Kemendagri.",
        "en": "File {file}, row {row}, column {column}: '{code}' is not a Kemendagri region code.",
    },
    "map.mixed_levels": {
        "id": "Berkas {file}: kode wilayahnya tidak berada pada satu tingkat; sebutkan --level.",
        "en": "File {file}: its region codes are not all of one level; give --level.",
    },
}
register_messages(CLI_MESSAGES)

FETCH_MESSAGES: dict[str, dict[str, str]] = {
    "fetch.failed": {
        "id": "Unduhan gagal: {url} ({detail}). Data sebelumnya tidak diubah; coba lagi saat koneksi baik.",
        "en": "Download failed: {url} ({detail}). The previous data is unchanged; try again on a good connection.",
    },
    "fetch.bad_metadata": {
        "id": "Keterangan paket dari registri npm {url} tidak terbaca ({detail}). Data sebelumnya tidak diubah.",
        "en": "Package metadata from the npm registry {url} is unreadable ({detail}). The previous data is unchanged.",
    },
    "fetch.checksum": {
        "id": "Checksum unduhan {url} tidak cocok (harus {expected}, didapat {got}). Data sebelumnya tidak diubah.",
        "en": "Checksum of {url} does not match (expected {expected}, got {got}). The previous data is unchanged.",
    },
    "fetch.bad_package": {
        "id": "Paket {url} tidak berisi data/provinces.csv, regencies.csv, districts.csv, villages.csv ({detail}).",
        "en": "Package {url} lacks data/provinces.csv, regencies.csv, districts.csv, villages.csv ({detail}).",
    },
    "fetch.no_province": {
        "id": "Provinsi '{province}' tidak ada dalam daftar wilayah yang diunduh.",
        "en": "Province '{province}' is not in the downloaded region list.",
    },
    "fetch.counts": {
        "id": "Jumlah wilayah provinsi {province} tidak sesuai: seharusnya {expected}, didapat {got}. Data sebelumnya tidak diubah.",
        "en": "Region counts of province {province} do not match: expected {expected}, got {got}. The previous data is unchanged.",
    },
    "fetch.unknown_codes": {
        "id": "{n} kode dalam berkas batas wilayah tidak ada dalam daftar wilayah (mis. {codes}). Data sebelumnya tidak diubah.",
        "en": "{n} codes in the boundary files are not in the region list (e.g. {codes}). The previous data is unchanged.",
    },
    "fetch.too_few_geometries": {
        "id": "Hanya {got} dari {total} desa/kelurahan punya batas wilayah; unduhan dianggap tidak lengkap. Data sebelumnya tidak diubah.",
        "en": "Only {got} of {total} villages have boundaries; the download looks incomplete. The previous data is unchanged.",
    },
}
register_messages(FETCH_MESSAGES)
