"""The result table in two CSV renderings (international; Indonesian Excel: ';' and decimal comma),
the same table, with source and attribution in a separate sumber file (and XLSX sheet), never as
extra rows in a CSV."""

from __future__ import annotations

import csv
import io

import pytest

PUB = "contoh-ikp-2024-jambi"
REAL = "pilkada-2024-jambi"


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text), delimiter=delimiter))


@pytest.mark.django_db
@pytest.mark.parametrize("slug", [PUB, REAL, "contoh-ikp-2024-kerinci-kecamatan"])
def test_two_renderings_of_one_table(client, slug):
    intl = client.get(f"/e/{slug}/unduh/hasil.csv")
    excel = client.get(f"/e/{slug}/unduh/hasil-excel.csv")
    assert excel["Content-Type"] == "text/csv; charset=utf-8"
    assert excel["Content-Disposition"] == f'attachment; filename="{slug}-excel.csv"'
    raw = excel.content
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw  # BOM for Excel, CRLF
    a = _rows(intl.content.decode("utf-8"), ",")
    b = _rows(raw.decode("utf-8-sig"), ";")
    assert a[0] == b[0] and len(a) == len(b)  # same header, same number of rows: no extra rows
    for ra, rb in zip(a[1:], b[1:]):
        assert len(ra) == len(rb) == len(a[0])
        for h, x, y in zip(a[0], ra, rb):
            try:
                if h == "code":  # 15.01 is a code, not a number
                    raise ValueError
                fx = float(x)
            except ValueError:
                assert x == y, (h, x, y)  # text the same
                continue
            assert "." not in y and float(y.replace(",", ".")) == fx, (h, x, y)  # decimal comma, same value
    # nothing but the table: no source lines appended
    assert all(r and r[0].count(".") <= 3 and r[0][:2].isdigit() for r in a[1:])


@pytest.mark.django_db
def test_indonesian_excel_reads_26_05_as_twenty_six(client):
    """The published 26,05 of Sarolangun: dot decimals read as 2605 by Excel in Indonesian."""
    rows = _rows(client.get(f"/e/{REAL}/unduh/hasil-excel.csv").content.decode("utf-8-sig"), ";")
    header = rows[0]
    saro = next(r for r in rows if r[0] == "15.03")
    assert saro[header.index("indeks")] == "26,05" and saro[header.index("rank")] == "1"
    assert saro[header.index("category")] == "tinggi"


@pytest.mark.django_db
@pytest.mark.parametrize("slug, expect", [(REAL, ["Bawaslu Provinsi Jambi", "https://jambi.tribunnews.com", "[C]"]),
                                          (PUB, ["DATA CONTOH", "SHA-256", "ikp-2024"])])
def test_sumber_file_and_sheet_carry_source_and_attribution(client, slug, expect):
    from openpyxl import load_workbook

    r = client.get(f"/e/{slug}/unduh/sumber.txt")
    assert r["Content-Type"] == "text/plain; charset=utf-8"
    assert r["Content-Disposition"] == f'attachment; filename="{slug}-sumber.txt"'
    text = r.content.decode()
    for e in expect + ["idn-area-data", "ODbL", "wilayah_boundaries", f"{slug}-excel.csv", "Sumber", "Edisi"]:
        assert e in text, e
    wb = load_workbook(io.BytesIO(client.get(f"/e/{slug}/unduh/hasil.xlsx").content))
    assert wb.sheetnames == ["hasil", "sumber"]
    sheet = "\n".join(f"{a.value}: {b.value}" for a, b in wb["sumber"].iter_rows(max_col=2))
    assert sheet.strip() == text.strip()
    # the page links all three, side by side
    page = client.get(f"/e/{slug}/peringkat/").content.decode()
    for name in ("hasil.csv", "hasil-excel.csv", "sumber.txt", "hasil.xlsx"):
        assert f"/e/{slug}/unduh/{name}" in page
