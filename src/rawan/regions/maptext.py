"""The words on a map (Indonesian and English), the attribution line, and small text helpers."""

from __future__ import annotations

from ..vocabulary import NO_DATA_LABEL, SYNTHETIC_EXPLANATION, SYNTHETIC_MARK

FONT = "DejaVu Sans, Verdana, Arial, Helvetica, sans-serif"
ATTRIBUTION = {
    "id": "Kode & nama wilayah: idn-area-data (fityannugroho), ODbL 1.0. Batas wilayah: cahyadsn/wilayah_boundaries, MIT.",
    "en": "Region codes & names: idn-area-data (fityannugroho), ODbL 1.0. Boundaries: cahyadsn/wilayah_boundaries, MIT.",
}
TEXT = {
    "id": {"no_data": NO_DATA_LABEL["id"], "marked": "Wilayah ditandai", "unstable": "Kategori kurang stabil", "category": "Kategori kerawanan",
           "score": "Skor", "north": "U", "synthetic": SYNTHETIC_MARK,
           "synthetic_note": SYNTHETIC_EXPLANATION["id"],
           "missing_geom": "{n} wilayah tanpa batas wilayah tidak tergambar: {codes}",
           "missing_classes": "Kategori wilayah yang tidak tergambar: {parts}.",
           "missing_legend": "Tanpa batas wilayah, tidak tergambar ({n})",
           "context": "Wilayah sekitar (di luar peta ini)",
           "key": "Nomor pada peta",
           "tiles": "Peta petak: satu kotak per wilayah, posisi mendekati letaknya (batas wilayah belum tersedia).",
           "title": "Kerawanan pemilu per {level}", "in": "{name}",
           "levels": {"provinsi": "provinsi", "kabupaten_kota": "kabupaten/kota", "kecamatan": "kecamatan",
                      "desa_kelurahan": "desa/kelurahan"}},
    "en": {"no_data": NO_DATA_LABEL["en"], "marked": "Marked region", "unstable": "Unstable category", "category": "Vulnerability category",
           "score": "Score", "north": "N", "synthetic": SYNTHETIC_MARK,
           "synthetic_note": SYNTHETIC_EXPLANATION["en"],
           "missing_geom": "{n} regions without boundaries are not drawn: {codes}",
           "missing_classes": "Categories of the regions not drawn: {parts}.",
           "missing_legend": "No boundaries, not drawn ({n})",
           "context": "Surrounding regions (outside this map)",
           "key": "Numbers on the map",
           "tiles": "Tile map: one square per region, placed near its location (no boundaries available yet).",
           "title": "Election vulnerability by {level}", "in": "{name}",
           "levels": {"provinsi": "province", "kabupaten_kota": "regency/city", "kecamatan": "district",
                      "desa_kelurahan": "village"}},
}


def _fmt(x: float, lang: str, nd: int = 1) -> str:
    s = f"{x:.{nd}f}"
    return s.replace(".", ",") if lang == "id" else s


def _num(x: float, lang: str) -> str:
    return f"{x:g}".replace(".", ",") if lang == "id" else f"{x:g}"


def _wrap(s: str, width: int) -> list[str]:
    words, lines, cur = s.split(), [], ""
    for wd in words:
        if cur and len(cur) + 1 + len(wd) > max(width, 4):
            lines.append(cur)
            cur = wd
        else:
            cur = f"{cur} {wd}".strip()
    return lines + ([cur] if cur else [])
