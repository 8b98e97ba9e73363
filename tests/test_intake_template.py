"""Templates: structure, round trip (template -> filled by script -> import -> compute), rendering."""

from __future__ import annotations

import shutil
import subprocess

import numpy as np
import pytest

from rawan.engine import Dataset, compute, load_spec
from rawan.intake import import_file, make_template, structure_checksum, validate_file

from .intake_helpers import TinyRegions


@pytest.fixture(scope="module")
def spec():
    return load_spec("contoh-mini")


def fill(path, values: dict[str, dict[str, object]], sources=True):
    import openpyxl

    wb = openpyxl.load_workbook(path)
    ws = wb["Data"]
    head = [str(c.value).split()[0] for c in ws[1]]
    for row in ws.iter_rows(min_row=2):
        code = row[0].value
        for ind, v in values.get(code, {}).items():
            row[head.index(ind)].value = v
        if sources:
            row[head.index("sumber")].value = "laporan pengawas"
    wb.save(path)


def test_xlsx_template_structure(tmp_path, spec):
    import openpyxl

    out = make_template(spec, TinyRegions(), level="kabupaten_kota", parent="15", out=tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(out)
    assert wb.sheetnames == ["Petunjuk", "Data", "_rawan"]
    assert wb["_rawan"].sheet_state == "hidden"
    meta = {r[0].value: r[1].value for r in wb["_rawan"].iter_rows()}
    assert (meta["model"], meta["version"], meta["checksum"], meta["level"], meta["parent"]) == \
        ("contoh-mini", "1.0", structure_checksum(spec), "kabupaten_kota", "15")
    ws = wb["Data"]
    assert [c.value for c in ws["A"]][1:] == ["15.01", "15.02", "15.03"]
    assert ws["A2"].protection.locked and not ws["C2"].protection.locked and ws.protection.sheet
    head = [c.value for c in ws[1]]
    assert head[0] == "kode" and head[2].startswith("k1 ") and head[-1] == "sumber"
    assert "Kekerasan dalam tahapan" in ws["C1"].comment.text
    by_col = {str(dv.sqref).split(":")[0][0]: dv for dv in ws.data_validations.dataValidation}
    # k1 count (C): whole >= 0; p2 binary (F): Ya/Tidak; p3 rate (G): 0-100
    assert (by_col["C"].type, by_col["C"].operator, by_col["C"].formula1) == ("whole", "greaterThanOrEqual", "0")
    assert (by_col["F"].type, by_col["F"].formula1) == ("list", '"Ya,Tidak"')
    assert (by_col["G"].type, by_col["G"].formula1, by_col["G"].formula2) == ("decimal", "0", "100")
    assert "Cara mengisi" in [c.value for c in wb["Petunjuk"]["A"]]


def test_csv_template(tmp_path, spec):
    out = make_template(spec, TinyRegions(), level="kabupaten_kota", out=tmp_path / "t.csv")
    text = out.read_bytes().decode("utf-8-sig").splitlines()
    assert text[0] == "kode;nama;k1;k2;p1;p2;p3;c1;sumber"
    assert text[1].startswith("15.01;Kabupaten Kerinci;")
    assert len(text) == 4


def test_unfilled_template_warns(tmp_path, spec):
    t = make_template(spec, TinyRegions(), level="kabupaten_kota", parent="15", out=tmp_path / "t.xlsx")
    assert [(p.key, p.severity) for p in validate_file(t, spec)] == [("intake.no_values", "warning")]


def test_round_trip(tmp_path, spec):
    rng = np.random.default_rng(7)
    codes = ["15.01", "15.02", "15.03"]
    original = {}
    for c in codes:
        original[c] = {"k1": int(rng.integers(0, 9)), "k2": int(rng.integers(0, 9)), "p1": int(rng.integers(0, 50)),
                       "p2": ["Ya", "Tidak"][int(rng.integers(0, 2))], "p3": round(float(rng.uniform(40, 95)), 1),
                       "c1": int(rng.integers(0, 9))}
    t = make_template(spec, TinyRegions(), level="kabupaten_kota", parent="15", out=tmp_path / "t.xlsx")
    fill(t, original)
    r = import_file(t, spec, regions=TinyRegions(), user="uji")
    assert r.provenance.template_version == "1.0" and r.warnings == []
    values = np.array([[1.0 if v == "Ya" else 0.0 if v == "Tidak" else float(v)
                        for v in (original[c][i] for i in spec.tree.indicators)] for c in codes])
    direct = Dataset(codes=codes, columns=list(spec.tree.indicators), values=values)
    a, b = compute(spec, r.dataset), compute(spec, direct)
    assert np.array_equal(a.scores, b.scores, equal_nan=True)
    assert a.categories.keys() == b.categories.keys()
    assert r.dataset.attributes["sumber"].tolist() == ["laporan pengawas"] * 3


def test_template_declares_its_number_locale(tmp_path, spec):
    """Text cells are read with the locale in the hidden _rawan sheet (id): "1.234" is 1234, "12,5"
    is 12.5; the same file with --locale en contradicts the declaration and is refused by name."""
    import openpyxl

    t = make_template(spec, TinyRegions(), level="kabupaten_kota", parent="15", out=tmp_path / "t.xlsx")
    meta = {r[0].value: r[1].value for r in openpyxl.load_workbook(t)["_rawan"].iter_rows()}
    assert meta["locale"] == "id"
    values = {c: {"k1": 1, "k2": 0, "p1": 2, "p2": "Ya", "p3": 50, "c1": 0} for c in ("15.01", "15.02", "15.03")}
    values["15.02"].update(p1="1.234", p3="12,5")  # typed as text
    fill(t, values)
    r = import_file(t, spec, regions=TinyRegions())
    row = r.dataset.codes.index("15.02")
    assert r.dataset.values[row, r.dataset.columns.index("p1")] == 1234.0
    assert r.dataset.values[row, r.dataset.columns.index("p3")] == 12.5
    assert [p.key for p in validate_file(t, spec, locale="en")] == ["data.locale_conflict"]


def test_template_scope_row_deleted_and_foreign_row(tmp_path, spec):
    import openpyxl

    t = make_template(spec, TinyRegions(), level="kabupaten_kota", parent="15", out=tmp_path / "t.xlsx")
    wb = openpyxl.load_workbook(t)
    ws = wb["Data"]
    ws["A4"].value = "15.01.01"  # a kecamatan in a kab/kota template
    wb.save(t)
    got = {p.key: p.params for p in validate_file(t, spec, regions=TinyRegions())}
    assert got["intake.out_of_scope"]["row"] == 4
    assert got["intake.region_missing"]["value"] == "15.03"


def test_event_template_round_trip(tmp_path):
    import datetime as dt

    import openpyxl

    ikp = load_spec("ikp-2024")
    t = make_template(ikp, TinyRegions(), level="kabupaten_kota", parent="15", out=tmp_path / "e.xlsx",
                      kind="kejadian")
    wb = openpyxl.load_workbook(t)
    assert wb.sheetnames == ["Petunjuk", "Data", "Daftar", "Wilayah", "_rawan"]
    ws = wb["Data"]
    ws.append(["15.01.01.2001", "i07", "berat", dt.date(2024, 11, 27), "laporan PTPS", "intimidasi pemilih"])
    ws.append(["15.03", "i07", "ringan", "28/11/2024", "media", ""])
    wb.save(t)
    d = import_file(t, ikp, regions=TinyRegions()).dataset
    assert d.codes == ["15.01", "15.02", "15.03"]
    assert d.values[:, d.columns.index("i07")].tolist() == [3.0, 0.0, 1.0]


@pytest.mark.slow
def test_template_renders_in_libreoffice(tmp_path, spec):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if not soffice or not shutil.which("pdftoppm"):
        pytest.skip("needs LibreOffice (soffice) and poppler (pdftoppm): Debian libreoffice-calc, poppler-utils")
    t = make_template(load_spec("ikp-2024"), TinyRegions(), level="kabupaten_kota", parent="15",
                      out=tmp_path / "t.xlsx")
    env = {"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"}
    subprocess.run([soffice, "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to", "pdf",
                    "--outdir", str(tmp_path), str(t)], check=True, capture_output=True, timeout=120, env=env)
    pdf = tmp_path / "t.pdf"
    assert pdf.exists() and pdf.stat().st_size > 5000
    subprocess.run(["pdftoppm", "-r", "40", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    png = next(tmp_path.glob("p*.png"))
    text = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf), "-"], capture_output=True, text=True).stdout
    assert "Templat isian data kerawanan pemilu" in text and "Kekerasan berbau SARA" in text
    assert png.stat().st_size > 1000
