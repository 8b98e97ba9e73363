"""Hostile XLSX files: refused with a named problem by an import whose address space is capped
at 512 MB (``resource.RLIMIT_AS`` in a child process), before the cell reader loads anything."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile

import pytest

from tests.intake_helpers import ratio_bomb, row_bomb

AS_LIMIT = 512 * 1024 * 1024
CHILD = """
import json, resource, sys
resource.setrlimit(resource.RLIMIT_AS, ({limit}, {limit}))
from pathlib import Path
from rawan.engine.spec import load_spec
from rawan.intake import validate_file
from rawan.intake.limits import DEFAULT_LIMITS, WEB_LIMITS
limits = WEB_LIMITS if sys.argv[2] == "web" else DEFAULT_LIMITS
problems = validate_file(Path(sys.argv[1]), load_spec("contoh-mini"), limits=limits)
print(json.dumps([[p.key, p.render("en")] for p in problems if p.severity == "error"]))
"""


def _import_capped(path, limits):
    out = subprocess.run([sys.executable, "-c", CHILD.format(limit=AS_LIMIT), str(path), limits],
                         capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout)


@pytest.fixture(scope="module")
def bombs(tmp_path_factory):
    d = tmp_path_factory.mktemp("bombs")
    return {"row": row_bomb(d / "row-bomb.xlsx", rows=12_000_000), "ratio": ratio_bomb(d / "ratio-bomb.xlsx")}


def _sheet(path):
    with zipfile.ZipFile(path) as z:
        return z.getinfo("xl/worksheets/sheet1.xml")


def test_the_bombs_pass_the_declared_size_guard(bombs):
    """What the old guard let through: parts under 1 GiB declared, ratio under 200, no ``<row `` at all."""
    row, ratio = _sheet(bombs["row"]), _sheet(bombs["ratio"])
    assert bombs["row"].stat().st_size < 4 * 1024 * 1024 and row.file_size > 256 * 1024 * 1024  # fits a web upload
    assert 190 < ratio.file_size / ratio.compress_size < 200 and ratio.file_size < 1024 ** 3
    with zipfile.ZipFile(bombs["row"]) as z, z.open(row) as f:
        assert b"<row " not in f.read(1024 * 1024)


@pytest.mark.parametrize("limits", ["default", "web"])
@pytest.mark.slow  # a child process under a memory cap
def test_row_bomb_refused_under_512_mb(bombs, limits):
    (key, text), = _import_capped(bombs["row"], limits)
    if limits == "default":  # counted while streaming
        assert key in ("intake.too_many_rows", "intake.too_many_cells") and "row-bomb.xlsx [Data]" in text
    else:  # the web's tighter limits refuse it from its declared size already
        assert key == "intake.zip_bomb" and "row-bomb.xlsx" in text


@pytest.mark.parametrize("limits", ["default", "web"])
@pytest.mark.slow  # a child process under a memory cap
def test_ratio_199_bomb_refused_under_512_mb(bombs, limits):
    (key, text), = _import_capped(bombs["ratio"], limits)
    assert key in ("intake.too_many_cells", "intake.zip_bomb")
    assert "ratio-bomb.xlsx" in text


def test_rows_counted_whatever_the_tag_spelling(tmp_path):
    from rawan.engine.spec import load_spec
    from rawan.intake import validate_file
    from rawan.intake.limits import Limits
    from tests.intake_helpers import write_xlsx_sheet

    spec = load_spec("contoh-mini")
    for spelling in (b"<row>", b'<row r="%d">', b"<row\n>", b"<x:row>", b"<row/>"):
        def block(i, s=spelling):
            tag = s % (i + 1) if b"%d" in s else s
            return tag + (b"" if tag.endswith(b"/>") else b"</" + tag[1:].split(b" ")[0].split(b">")[0].strip() + b">")
        f = write_xlsx_sheet(tmp_path / "rows.xlsx", block, 50)
        keys = [p.key for p in validate_file(f, spec, limits=Limits(max_rows=10)) if p.severity == "error"]
        assert keys == ["intake.too_many_rows"], spelling


def test_wide_references_count_as_cells(tmp_path):
    """One cell far right per row makes the reader build the whole width: counted as rows x width."""
    from rawan.engine.spec import load_spec
    from rawan.intake import validate_file
    from rawan.intake.limits import Limits
    from tests.intake_helpers import write_xlsx_sheet

    f = write_xlsx_sheet(tmp_path / "wide.xlsx", lambda i: b'<row r="%d"><c r="XFD%d"><v>1</v></c></row>' % (i + 1, i + 1), 200)
    (p,) = [p for p in validate_file(f, load_spec("contoh-mini"), limits=Limits(max_cells=1_000_000)) if p.severity == "error"]
    assert p.key == "intake.too_many_cells" and p.params["columns"] >= 16384
