"""Intake reads a plain CSV with Arrow's reader and anything unusual with pandas' reader: both must
give the same table (header, cells as text, spreadsheet rows), so which one ran never shows."""

from __future__ import annotations

import csv
import io

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from rawan.intake.limits import DEFAULT_LIMITS
from rawan.intake.table import ArrowColumns, _read_csv_arrow, _read_csv_pandas, drop_empty_rows, read_csv

from .conftest import examples

CELL = st.one_of(
    st.just(""),
    st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), max_size=8),
    st.sampled_from(["15.01", "1501", "12,5", "1.234", " x ", 'a"b', "a,b", "a;b", "é", "−3"]),
)


def _csv_bytes(header, rows, delimiter=",") -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=delimiter, lineterminator="\n")
    w.writerow(header)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def _same(a, b):
    assert a.header == b.header
    assert a.rows.tolist() == b.rows.tolist()
    assert len(a.columns) == len(b.columns)
    for x, y in zip(a.columns, b.columns):
        assert list(x) == list(y)


@settings(max_examples=examples(60), deadline=None)
@given(width=st.integers(1, 4), data=st.data(), delimiter=st.sampled_from([",", ";"]))
def test_arrow_and_pandas_readers_agree(width, data, delimiter):
    header = [f"k{j}" for j in range(width)]
    if width == 1:
        delimiter = ","  # a one-column header names no delimiter: both readers take ","
    rows = data.draw(st.lists(st.lists(CELL, min_size=width, max_size=width), min_size=1, max_size=6))
    # a row of one empty cell is a blank line, which only the pandas reader takes (tested below)
    rows = [r for r in rows if any(c.strip() for c in r)] or [["x"] * width]
    raw = _csv_bytes(header, rows, delimiter)
    fast = _read_csv_arrow(raw, "f.csv", DEFAULT_LIMITS)
    slow = _read_csv_pandas(raw, "f.csv", DEFAULT_LIMITS)
    if fast is None:  # e.g. a cell holding a line break inside quotes next to an empty line
        return
    assert isinstance(fast.columns, ArrowColumns)
    _same(drop_empty_rows(fast), drop_empty_rows(slow))


def test_blank_lines_keep_their_row_numbers(tmp_path):
    p = tmp_path / "k.csv"
    p.write_bytes(b"kode,nilai\n15.01,1\n\n15.02,2\n")
    t = drop_empty_rows(read_csv(p))
    assert t.rows.tolist() == [2, 4]
    assert list(t.columns[0]) == ["15.01", "15.02"]


def test_ragged_and_windows_1252_files(tmp_path):
    p = tmp_path / "r.csv"
    p.write_bytes(b"kode,nilai\n15.01,1\n15.02\n")  # a short row: the pandas reader fills it
    t = read_csv(p)
    assert list(t.columns[1]) == ["1", ""]
    p.write_bytes("kode,nama\n15.01,Sungai Penuh é\n".encode("cp1252"))
    t = read_csv(p)
    assert isinstance(t.columns, ArrowColumns)
    assert list(t.columns[1]) == ["Sungai Penuh é"]


def test_empty_rows_dropped_from_arrow_columns(tmp_path):
    p = tmp_path / "e.csv"
    p.write_bytes(b"kode;nilai\n15.01;1\n;\n15.02;\n")
    t = drop_empty_rows(read_csv(p))
    assert t.rows.tolist() == [2, 4]
    assert list(t.columns[1]) == ["1", ""]
    assert t.hashable(0).to_pylist() == ["15.01", "15.02"]
    assert np.asarray(t.columns[0], dtype=object).dtype == object
