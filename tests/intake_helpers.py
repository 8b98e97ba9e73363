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


SHEET_HEAD = (b'<?xml version="1.0" encoding="UTF-8"?><worksheet '
              b'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>')


def write_xlsx_sheet(path: Path, blocks, repeat: int) -> Path:
    """A valid workbook whose data sheet XML is ``repeat`` copies of ``blocks()`` (a callable giving
    bytes), streamed into the zip: decompression bombs built without holding them in memory."""
    import zipfile

    write_xlsx(path, header=["kode", "k1"], rows=[])
    with zipfile.ZipFile(path) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name != "xl/worksheets/sheet1.xml":
                z.writestr(name, data)
                continue
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            with z.open(info, "w", force_zip64=True) as f:
                f.write(SHEET_HEAD)
                for i in range(repeat):
                    f.write(blocks(i))
                f.write(b"</sheetData></worksheet>")
    return path


def row_bomb(path: Path, rows: int = 20_000_000) -> Path:
    """``<row>`` without attributes (the old counter looked for ``<row `` with a space), at a
    ratio just under the old 200:1 guard."""
    unit = b"<row><c><v>1</v></c></row>"
    return _bomb(path, unit, 199.0, rows * len(unit))


def ratio_bomb(path: Path, ratio: float = 199.0, size: int = 400 * 1024 * 1024) -> Path:
    """A sheet part that expands ~``ratio`` times (just under the old 200:1 guard), with proper
    cell references."""
    cells = b"".join(b'<c r="%s1" t="n"><v>7</v></c>' % bytes([65 + j]) for j in range(26))
    return _bomb(path, b"<row>" + cells + b"</row>", ratio, size)


def _bomb(path: Path, unit: bytes, ratio: float, size: int) -> Path:
    """``size`` bytes of sheet XML: blocks of repeated ``unit`` plus a comment of random hex that
    sets the compression ratio (the block length found by bisection on a compressed sample)."""
    import os
    import zlib

    noise = [b"<!--" + os.urandom(256).hex().encode() + b"-->" for _ in range(16)]

    def measured(n):
        raw = b"".join(unit * n + x for x in noise)
        c = zlib.compressobj(6)
        return len(raw) / len(c.compress(raw) + c.flush())

    lo, hi = 1, 1_000_000 // len(unit) + 1
    while lo < hi:
        mid = (lo + hi) // 2
        if measured(mid) < ratio:
            lo = mid + 1
        else:
            hi = mid
    filler = unit * (lo - 1)
    return write_xlsx_sheet(path, lambda i: filler + noise[i % 16], size // (len(filler) + len(noise[0])))
