"""Fuzz: mutated XLSX and CSV bytes give clean, named problems — no traceback, no hang, no output."""

from __future__ import annotations

import io
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rawan.engine import DataError, load_spec
from rawan.engine.errors import MESSAGES
from rawan.intake import ImportResult, Limits, import_file, validate_file

from .conftest import examples
from .intake_helpers import write_csv, write_xlsx

SPEC = load_spec("contoh-mini")
LIMITS = Limits(max_bytes=2_000_000, max_rows=10_000, max_part_bytes=20_000_000, max_total_bytes=40_000_000)
FUZZ = settings(max_examples=examples(120), deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])


def _seed_bytes(tmp_dir, kind: str) -> bytes:
    f = write_csv(tmp_dir / "seed.csv") if kind == "csv" else write_xlsx(tmp_dir / "seed.xlsx")
    return f.read_bytes()


@pytest.fixture(scope="module")
def seeds(tmp_path_factory):  # noqa: D401
    d = tmp_path_factory.mktemp("seeds")
    return {"csv": _seed_bytes(d, "csv"), "xlsx": _seed_bytes(d, "xlsx")}


def mutate(data: bytes, ops) -> bytes:
    b = bytearray(data)
    for op, pos, val in ops:
        if not b:
            b = bytearray(b"\x00")
        i = pos % len(b)
        if op == 0:
            b[i] = val
        elif op == 1:
            b.insert(i, val)
        elif op == 2:
            del b[i:i + 1 + val % 16]
        elif op == 3:
            b[i:i] = bytes([val]) * (val % 64)
        else:
            b = b[:i]
    return bytes(b)


def rezip(xlsx: bytes, part_ops) -> bytes:
    """Mutate the XML inside a valid zip: reaches the XML scanner and calamine, not just the CRC check."""
    src = zipfile.ZipFile(io.BytesIO(xlsx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name in src.namelist():
            data = src.read(name)
            if name in ("xl/worksheets/sheet1.xml", "xl/workbook.xml", "xl/_rels/workbook.xml.rels"):
                data = mutate(data, part_ops.get(name, []))
            z.writestr(name, data)
    return out.getvalue()


OPS = st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**6), st.integers(0, 255)), min_size=1, max_size=6)


def check(path, out_dir):
    before = set(out_dir.iterdir())
    problems = validate_file(path, SPEC, limits=LIMITS)
    for p in problems:
        assert p.key in MESSAGES, p.key
        assert p.render("id") and p.render("en")
    try:
        r = import_file(path, SPEC, limits=LIMITS)
    except DataError as e:
        assert e.problems and all(p.key in MESSAGES for p in e.problems)
        assert [p for p in problems if p.severity == "error"], "import refused what validate accepted"
    else:
        assert isinstance(r, ImportResult)
        assert r.dataset.values.shape == (len(r.dataset.codes), len(SPEC.tree.indicators))
        assert not [p for p in problems if p.severity == "error"]
    assert set(out_dir.iterdir()) == before  # nothing written


@FUZZ
@given(ops=OPS)
def test_fuzz_csv(tmp_path, seeds, ops):
    f = tmp_path / "x.csv"
    f.write_bytes(mutate(seeds["csv"], ops))
    check(f, tmp_path)


@FUZZ
@given(ops=OPS)
def test_fuzz_xlsx_bytes(tmp_path, seeds, ops):
    f = tmp_path / "x.xlsx"
    f.write_bytes(mutate(seeds["xlsx"], ops))
    check(f, tmp_path)


@FUZZ
@given(sheet=OPS, book=st.lists(st.tuples(st.integers(0, 4), st.integers(0, 10**6), st.integers(0, 255)), max_size=2))
def test_fuzz_xlsx_xml(tmp_path, seeds, sheet, book):
    f = tmp_path / "x.xlsx"
    f.write_bytes(rezip(seeds["xlsx"], {"xl/worksheets/sheet1.xml": sheet, "xl/workbook.xml": book}))
    check(f, tmp_path)
