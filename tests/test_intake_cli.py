"""rawan template / validate / import from the command line."""

from __future__ import annotations

import openpyxl
import pytest

from rawan.cli import main
from rawan.engine import load_spec
from rawan.intake.output import read_provenance


def flat(text: str) -> str:
    """Rich wraps lines and draws table borders: compare words only."""
    return " ".join(text.replace("│", " ").split())


@pytest.fixture
def wilayah(jambi_data):
    return jambi_data / "jambi-wilayah.csv"


def test_template_validate_import(tmp_path, wilayah, capsys):
    t = tmp_path / "kec.xlsx"
    assert main(["template", "--model", "ikp-2024", "--regions", str(wilayah), "--level", "kecamatan",
                 "--parent", "15.01", "--out", str(t)]) == 0
    assert "(18 wilayah" in flat(capsys.readouterr().out)
    wb = openpyxl.load_workbook(t)
    ws = wb["Data"]
    for r in range(2, 20):
        for c in range(3, 64):
            ws.cell(r, c).value = (r + c) % 3
    ws["D3"] = "banyak"
    ws.row_dimensions[6].hidden = True
    wb.save(tmp_path / "bad.xlsx")
    assert main(["validate", str(tmp_path / "bad.xlsx"), "--model", "ikp-2024", "--regions", str(wilayah)]) == 2
    out = flat(capsys.readouterr().out)
    assert "banyak" in out and "baris 6 tersembunyi" in out
    copy = openpyxl.load_workbook(tmp_path / "bad-periksa.xlsx")
    assert copy.sheetnames[0] == "Masalah"
    assert "banyak" in copy["Data"]["D3"].comment.text and copy["Data"]["D3"].fill.fgColor.rgb.endswith("FF9999")
    assert not copy["Data"].row_dimensions[6].hidden
    out_file = tmp_path / "data.parquet"
    assert main(["import", str(tmp_path / "bad.xlsx"), "--model", "ikp-2024", "--out", str(out_file)]) == 2
    assert not out_file.exists()  # nothing half-written
    ws["D3"] = 1
    ws.row_dimensions[6].hidden = False
    wb.save(tmp_path / "good.xlsx")
    assert main(["validate", str(tmp_path / "good.xlsx"), "--model", "ikp-2024", "--regions", str(wilayah)]) == 0
    assert not (tmp_path / "good-periksa.xlsx").exists()
    assert main(["import", str(tmp_path / "good.xlsx"), "--model", "ikp-2024", "--regions", str(wilayah),
                 "--out", str(out_file), "--user", "budi"]) == 0
    prov = read_provenance(out_file)
    assert prov["user"] == "budi" and prov["template_version"] == load_spec("ikp-2024").version and prov["level"] == "kecamatan"
    assert main(["compute", "--model", "ikp-2024", "--data", str(out_file), "--out", str(tmp_path / "r.csv")]) == 0


def test_english_messages_and_csv_copy(tmp_path, capsys):
    f = tmp_path / "x.csv"
    f.write_text("kode;k1;k2;p1;p2;p3;c1\n15.01;1;2;3;mungkin;50;1\n", encoding="utf-8")
    assert main(["--lang", "en", "validate", str(f), "--model", "contoh-mini"]) == 2
    assert "enter Ya (yes) or Tidak (no)" in flat(capsys.readouterr().out)
    copy = openpyxl.load_workbook(tmp_path / "x-periksa.xlsx")
    assert "mungkin" in copy["CSV"]["E2"].comment.text


def test_big_file_copy_holds_the_rows_with_problems(tmp_path, monkeypatch):
    from rawan.intake import annotate

    monkeypatch.setattr(annotate, "BIG", 10)
    f = tmp_path / "x.csv"
    f.write_text("kode;k1;k2;p1;p2;p3;c1\n15.01;1;2;3;Ya;50;1\n15.02;1;x;3;Ya;50;1\n15.03;1;2;3;Ya;50;1\n",
                 encoding="utf-8")
    assert main(["--lang", "id", "validate", str(f), "--model", "contoh-mini"]) == 2
    ws = openpyxl.load_workbook(tmp_path / "x-periksa.xlsx")["CSV"]
    rows = list(ws.values)
    assert rows[0][:2] == ("baris", "kode") and len(rows) == 2 and rows[1][:2] == (3, "15.02")
    assert "baris 3" in ws["D2"].comment.text
