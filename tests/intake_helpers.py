"""Small files built inside the intake tests, and a tiny region list with the rawan.regions interface."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

HEADER = ["kode", "nama", "k1", "k2", "p1", "p2", "p3", "c1"]
ROWS = [
    ["15.01", "Kabupaten Kerinci", 2, 0, 10, "Ya", 80, 1],
    ["15.02", "Kabupaten Merangin", 4, 1, 30, "Tidak", 70, 3],
    ["15.03", "Kabupaten Sarolangun", 6, 2, 20, "ya", 60, 5],
]


def write_csv(path: Path, header=HEADER, rows=ROWS, sep=",", encoding="utf-8") -> Path:
    lines = [sep.join(map(str, header))] + [sep.join("" if v is None else str(v) for v in r) for r in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def write_xlsx(path: Path, header=HEADER, rows=ROWS, sheet="Data", edit=None) -> Path:
    import openpyxl

    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = sheet
    ws.append(header)
    for r in rows:
        ws.append(r)
    if edit:
        edit(wb, ws)
    wb.save(path)
    return path


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str
    parent: str | None


class TinyRegions:
    """Jambi's province, 3 kab/kota, 2 kecamatan and 2 desa: enough for scope checks."""

    def __init__(self):
        rows = [("15", "Jambi", "provinsi", None),
                ("15.01", "Kabupaten Kerinci", "kabupaten_kota", "15"),
                ("15.02", "Kabupaten Merangin", "kabupaten_kota", "15"),
                ("15.03", "Kabupaten Sarolangun", "kabupaten_kota", "15"),
                ("15.01.01", "Gunung Raya", "kecamatan", "15.01"),
                ("15.01.02", "Danau Kerinci", "kecamatan", "15.01"),
                ("15.01.01.2001", "Desa Satu", "desa_kelurahan", "15.01.01"),
                ("15.01.02.2001", "Desa Dua", "desa_kelurahan", "15.01.02")]
        self._by = {c: Region(c, n, lv, p) for c, n, lv, p in rows}

    def get(self, code):
        return self._by[code]

    def at_level(self, level, parent=None):
        if parent is not None and self._by[parent].level == level:
            return [self._by[parent]]
        return [r for r in self._by.values() if r.level == level and (parent is None or r.code.startswith(parent + "."))]

    def descendants(self, code, level=None):
        return [r for r in self._by.values() if r.code.startswith(code + ".") and (level is None or r.level == level)]
