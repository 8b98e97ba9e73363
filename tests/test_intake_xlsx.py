"""XLSX structure: formulas, external links, merged cells, hidden rows, template version, zip bombs."""

from __future__ import annotations

import tracemalloc
import zipfile

import pytest

from rawan.engine import DataError, load_spec
from rawan.intake import Limits, import_file, structure_checksum, validate_file

from .intake_helpers import ROWS, write_xlsx


@pytest.fixture(scope="module")
def spec():
    return load_spec("contoh-mini")


def keys(problems, severity="error"):
    return [p.key for p in problems if p.severity == severity]


def patch_part(path, part, old: bytes, new: bytes, extra: dict[str, bytes] | None = None):
    """Rewrite one zip part (openpyxl cannot write cached formula values or external links)."""
    with zipfile.ZipFile(path) as z:
        items = [(i, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in items:
            if info.filename == part:
                assert old in data, data[:500]
                data = data.replace(old, new)
            z.writestr(info.filename, data)
        for name, data in (extra or {}).items():
            z.writestr(name, data)


def test_valid_xlsx(tmp_path, spec):
    r = import_file(write_xlsx(tmp_path / "x.xlsx"), spec)
    assert r.dataset.codes == ["15.01", "15.02", "15.03"] and r.dataset.rows == [2, 3, 4]


def test_formula_values_are_taken(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[0][2] = "=1+1"
    f = write_xlsx(tmp_path / "x.xlsx", rows=rows)
    patch_part(f, "xl/worksheets/sheet1.xml", b"<f>1+1</f><v />", b"<f>1+1</f><v>2</v>")
    r = import_file(f, spec)
    assert r.dataset.values[0, r.dataset.columns.index("k1")] == 2
    (w,) = r.warnings
    assert w.key == "intake.formulas_used" and w.params["cells"] == "C2"


def test_formula_without_stored_value(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[1][3] = "=SUM(1,2)"
    (p,) = validate_file(write_xlsx(tmp_path / "x.xlsx", rows=rows), spec)
    assert p.key == "intake.formula_no_value" and p.params["cell"] == "D3" and p.params["formula"] == "=SUM(1,2)"


def test_external_link_refused(tmp_path, spec):
    rows = [list(r) for r in ROWS]
    rows[2][4] = "=[1]Sheet1!A1"
    f = write_xlsx(tmp_path / "x.xlsx", rows=rows)
    patch_part(f, "xl/worksheets/sheet1.xml", b"<v />", b"<v>7</v>",
               extra={"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    probs = validate_file(f, spec)
    assert sorted(keys(probs)) == ["intake.external_link", "intake.external_links_file"]
    p = next(p for p in probs if p.key == "intake.external_link")
    assert p.params["cell"] == "E4" and "[1]Sheet1!A1" in p.params["formula"]
    with pytest.raises(DataError):
        import_file(f, spec)


def test_merged_cells(tmp_path, spec):
    f = write_xlsx(tmp_path / "x.xlsx", edit=lambda wb, ws: ws.merge_cells("C2:D2"))
    (p,) = validate_file(f, spec)
    assert p.key == "intake.merged_cells" and p.params["range"] == "C2:D2" and p.params["sheet"] == "Data"


def test_hidden_row_holding_data(tmp_path, spec):
    def hide(wb, ws):
        ws.row_dimensions[3].hidden = True
        ws.row_dimensions[9].hidden = True  # empty: harmless

    (p,) = validate_file(write_xlsx(tmp_path / "x.xlsx", edit=hide), spec)
    assert p.key == "intake.hidden_row" and p.params["row"] == 3


def test_hidden_column_holding_data(tmp_path, spec):
    (p,) = validate_file(write_xlsx(tmp_path / "x.xlsx",
                                    edit=lambda wb, ws: setattr(ws.column_dimensions["E"], "hidden", True)), spec)
    assert p.key == "intake.hidden_column" and p.params["column"] == "E" and p.params["header"] == "p1"


def _meta(version, checksum=None, model="contoh-mini"):
    def edit(wb, ws):
        m = wb.create_sheet("_rawan")
        for row in (("model", model), ("version", version), ("checksum", checksum or ""), ("level", "kabupaten_kota")):
            m.append(row)
        m.sheet_state = "hidden"
    return edit


def test_template_of_another_version(tmp_path, spec):
    (p,) = validate_file(write_xlsx(tmp_path / "x.xlsx", edit=_meta("0.9")), spec)
    assert p.key == "intake.version_mismatch" and (p.params["found"], p.params["expected"]) == ("0.9", "1.0")
    assert "versi 0.9" in p.render("id") and "versi 1.0" in p.render("id")


def test_template_of_another_model_or_structure(tmp_path, spec):
    (p,) = validate_file(write_xlsx(tmp_path / "a.xlsx", edit=_meta("1.0", model="ikp-2024")), spec)
    assert p.key == "intake.model_mismatch"
    (q,) = validate_file(write_xlsx(tmp_path / "b.xlsx", edit=_meta("1.0", checksum="0000")), spec)
    assert q.key == "intake.structure_mismatch"
    ok = validate_file(write_xlsx(tmp_path / "c.xlsx", edit=_meta("1.0", checksum=structure_checksum(spec))), spec)
    assert keys(ok) == []


def test_decompression_bomb_refused_without_parsing(tmp_path, spec):
    f = write_xlsx(tmp_path / "bomb.xlsx")
    with zipfile.ZipFile(f) as z:
        items = [(i.filename, z.read(i.filename)) for i in z.infolist()]
    with zipfile.ZipFile(f, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in items:
            if name == "xl/sharedStrings.xml" or name == "docProps/app.xml":
                data = data + b" " * (64 * 1024 * 1024)  # 64 MiB of spaces: ~1000:1
            z.writestr(name, data)
    assert f.stat().st_size < 1_000_000
    tracemalloc.start()
    probs = validate_file(f, spec)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert keys(probs) == ["intake.zip_bomb"]
    assert peak < 16 * 1024 * 1024, peak  # refused from the declared sizes: nothing decompressed


def test_part_over_declared_size_limit(tmp_path, spec):
    f = write_xlsx(tmp_path / "x.xlsx")
    (p,) = validate_file(f, spec, limits=Limits(max_part_bytes=1000))
    assert p.key == "intake.zip_bomb"


def test_not_a_zip(tmp_path, spec):
    f = tmp_path / "x.xlsx"
    f.write_bytes(b"kode,k1\n15.01,1\n")
    (p,) = validate_file(f, spec)
    assert p.key == "intake.unreadable" and p.params["format"] == "XLSX"
