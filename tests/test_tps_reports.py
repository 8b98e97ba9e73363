"""TPS outputs: the police list (XLSX/PDF), maps and the press-release draft, every number from the data."""

from __future__ import annotations

import re

import numpy as np
import openpyxl
import pytest

from rawan.demo.tps import jambi_pilkada
from rawan.regions import load_regions
from rawan.reports.tps import fmt_int, press_release, tps_list, tps_map, write_tps_list
from rawan.tps import count_tps, tps_flags


@pytest.fixture(scope="module")
def data():
    reg, cl = jambi_pilkada()
    return reg, cl, count_tps(cl), load_regions(province="15")


def test_list_rows_and_filters(data):
    reg, cl, counts, regions = data
    lst = tps_list(cl, regions, region="15.04")
    assert len(lst.rows) == counts.region("15.04").rawan
    j = cl.model.indicator_codes.index("i17")
    only = tps_list(cl, regions, region="15.04", indicator="i17")
    assert len(only.rows) == counts.region("15.04").indicators[j]
    assert all("i17 Sulit dijangkau" in r[8] for r in only.rows)
    v = tps_list(cl, regions, region="15.04.01", variable="v7")
    k = cl.model.variable_codes.index("v7")
    assert len(v.rows) == counts.region("15.04.01").variables[k]
    assert {r[2] for r in v.rows} == {"Mersam"}


def test_list_pdf_repeats_its_header_and_xlsx_prints_it(data, tmp_path):
    pypdf = pytest.importorskip("pypdf")
    reg, cl, counts, regions = data
    lst = tps_list(cl, regions, region="15.04")
    pdf = write_tps_list(lst, tmp_path / "l.pdf", date="2024-11-16")
    pages = pypdf.PdfReader(pdf).pages
    assert len(pages) > 2 and pages[0].mediabox.width > pages[0].mediabox.height  # landscape
    for page in (pages[1], pages[-1]):
        text = page.extract_text()
        assert "Kab/kota" in text and "Indikator" in text and "DATA CONTOH" in text
    xlsx = write_tps_list(lst, tmp_path / "l.xlsx")
    ws = openpyxl.load_workbook(xlsx).active
    assert ws.print_title_rows and ws.page_setup.orientation == "landscape"
    assert ws.max_row - ws.freeze_panes.count("") >= len(lst.rows)


def test_maps_count_share_and_points(data):
    reg, cl, counts, regions = data
    svg = tps_map(counts, level="kecamatan", parent="15.04", regions=regions)
    kec = counts.level("kecamatan")
    for r in kec.select("15.04"):
        assert f'data-code="{kec.codes[r]}"' in svg
    assert "DATA CONTOH" in svg and "idn-area-data" in svg  # synthetic mark and attribution
    pts = tps_map(counts, level="desa_kelurahan", parent="15.04", regions=regions, points=cl)
    desa = np.asarray(reg.desa_codes, dtype="<U13")[reg.desa_index]
    inside = np.char.startswith(desa, "15.04.") & np.isfinite(reg.column("lat"))
    dots = pts.split('class="tps-points"', 1)[1]
    assert dots.count("<circle cx=") == int(inside.sum())
    assert dots.count('fill="#1D3557"') == int((inside & tps_flags(cl).rawan).sum())
    share = tps_map(counts, level="kabupaten_kota", parent="15", value="persen", regions=regions)
    assert "% TPS rawan" in share


def test_press_release_numbers_come_from_the_counts(data):
    reg, cl, counts, regions = data
    text = press_release(counts, region="15", regions=regions, date="2024-11-23")
    rc = counts.region("15")
    assert f"Petakan {fmt_int(rc.rawan)} TPS Rawan" in text
    assert f"Data diambil dari {fmt_int(rc.n_desa_reported)} kelurahan/desa" in text
    assert "23 November 2024" in text and "27 November 2024" in text and "DATA CONTOH" in text
    bands = counts.bands("15")
    n = {b: bands.count(b) for b in ("paling_banyak", "banyak", "tidak_banyak")}
    assert (f"Terdapat {n['paling_banyak']} indikator yang paling banyak terjadi, {n['banyak']} indikator yang "
            f"banyak terjadi, dan {n['tidak_banyak']} indikator") in text
    k = max(k for k in range(len(rc.at_least)) if rc.at_least[k] > 0)
    assert (f"Sebanyak {fmt_int(rc.at_least[1])} TPS memenuhi sedikitnya dua variabel kerawanan, dan "
            f"{fmt_int(rc.at_least[k])} TPS memenuhi {k + 1} variabel sekaligus.") in text
    for j, ind in enumerate(cl.model.indicators):
        if rc.indicators[j]:
            assert f"{ind.name.id}: {fmt_int(rc.indicators[j])} TPS" in text
    top = counts.top("i05", level="kabupaten_kota", within="15", n=5)
    names = [regions.get(c).name.removeprefix("Kabupaten ") for c, _ in top]
    assert re.search(re.escape(", ".join(names)), text)
    en = press_release(counts, region="15", regions=regions, date="2024-11-23", lang="en")
    assert "DRAFT PRESS RELEASE" in en and f"{rc.rawan:,} TPS" in en
