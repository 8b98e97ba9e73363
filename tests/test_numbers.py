"""The one number rule and the one code normaliser (rawan.engine.numbers / engine.codes).

Known answers for the documented examples, the vectorised paths against each other, round trips of
everything rawan writes, and region codes written with or without dots giving the same result.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pytest
from hypothesis import given, settings, strategies as st
from rawan.engine import DataError, compute, explain, load_spec, output, read_data
from rawan.engine.codes import normalise_code, normalise_codes
from rawan.engine.numbers import NumberError, format_number, format_numbers, parse_number, parse_numbers

from pathlib import Path

from .conftest import examples

EXAMPLE_DATA = Path(__file__).resolve().parent.parent / "examples" / "contoh-mini-data.csv"

# the documented table (docs/intake.md "Numbers"): text -> (no locale, id, en)
A = "ambiguous_number"
N = "not_a_number"
EXAMPLES = {
    "1.234": (A, 1234.0, 1.234),
    "1,234": (A, 1.234, 1234.0),
    "1.234,5": (1234.5, 1234.5, 1234.5),
    "1,234.5": (1234.5, 1234.5, 1234.5),
    "1,5": (1.5, 1.5, 1.5),
    "1.5": (1.5, 1.5, 1.5),
    "1 234": (1234.0, 1234.0, 1234.0),
    "1 234,5": (1234.5, 1234.5, 1234.5),
    "1.234.567": (1234567.0, 1234567.0, 1234567.0),
    "0.123": (0.123, 0.123, 0.123),
    "1234.567": (1234.567, 1234.567, 1234.567),
    "\u22123": (-3.0, -3.0, -3.0),
    "-1.234": (A, -1234.0, -1.234),
    "50%": (50.0, 50.0, 50.0),
    "12,5 %": (12.5, 12.5, 12.5),
    "2.5e-7": (2.5e-7, 2.5e-7, 2.5e-7),
    " 7 ": (7.0, 7.0, 7.0),
    "": (None, None, None),
    "NA": (None, None, None),
    "tidak ada data": (None, None, None),
    "abc": (N, N, N),
    "1.2.3": (N, N, N),
    "1 23": (N, N, N),
    "1,23,456": (N, N, N),
    "inf": (N, N, N),
}


def outcome(text, locale):
    try:
        return parse_number(text, locale)
    except NumberError as e:
        return e.kind


@pytest.mark.parametrize("text", list(EXAMPLES))
def test_documented_examples(text):
    for locale, want in zip((None, "id", "en"), EXAMPLES[text]):
        assert outcome(text, locale) == want, (text, locale)


def test_unknown_locale_is_named():
    with pytest.raises(DataError) as e:
        parse_numbers(["1"], "fr")
    assert e.value.keys == ["data.bad_locale"] and "id, en" in e.value.render("en")[0]


TEXT = st.text(alphabet="0123456789.,- %e\u2212", max_size=12)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(TEXT, min_size=1, max_size=30), st.sampled_from([None, "id", "en"]))
def test_column_equals_cell_by_cell(texts, locale):
    """A whole column (fast cast path, slow kernel path, mixed path) gives what each cell alone gives."""
    col = parse_numbers(np.array(texts, dtype=object), locale)
    for i, t in enumerate(texts):
        want = outcome(t, locale)
        got = col.kind(i) or (None if col.empty[i] else float(col.values[i]))
        assert got == want or (isinstance(want, float) and got == pytest.approx(want, rel=0, abs=0)), (t, locale)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, width=64), min_size=1, max_size=20))
def test_what_rawan_writes_reads_back_unchanged_in_every_locale(xs):
    text = format_numbers(np.array(xs))
    for locale in (None, "id", "en"):
        back = parse_numbers(text, locale)
        assert back.ok and np.array_equal(back.values, np.array(xs, dtype=float)), locale
        for x in xs:
            assert parse_number(format_number(x, locale), locale) == x


def test_numeric_cells_are_taken_as_they_are():
    p = parse_numbers(np.array([1.5, "", None, "2,5", True, float("inf")], dtype=object), None)
    assert p.values[:2].tolist()[0] == 1.5 and p.empty.tolist() == [False, True, True, False, False, False]
    assert p.values[3] == 2.5 and p.values[4] == 1.0 and p.bad.tolist()[-1]
    assert parse_numbers(pa.array([1, 2, None]), None).values[:2].tolist() == [1.0, 2.0]


# ---------------------------------------------------------------------- codes

CODE = st.one_of(
    st.from_regex(r"\A\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?\Z"),
    st.from_regex(r"\A\d{2}(\d{2}(\d{2}(\d{4})?)?)?\Z"),
    st.text(alphabet="0123456789. aR", max_size=12),
)


@settings(max_examples=examples(300), deadline=None)
@given(st.lists(CODE, min_size=1, max_size=20))
def test_code_normalisation_is_idempotent_and_one_rule(codes):
    once, ok = normalise_codes(codes)
    twice, ok2 = normalise_codes(once)
    assert once == twice and ok.tolist() == ok2.tolist()
    for raw, c, k in zip(codes, once, ok):
        single = normalise_code(raw)
        assert (single == c) if k else (single is None and c == raw.strip())
        if k:
            assert normalise_code(single) == single


def test_dotted_and_undotted_codes_give_the_same_result(tmp_path):
    spec = load_spec("contoh-mini")
    text = EXAMPLE_DATA.read_text(encoding="utf-8")
    plain = tmp_path / "plain.csv"
    plain.write_text("\n".join(line.replace("15.", "15", 1) if line[:3] == "15." else line
                               for line in text.splitlines()) + "\n", encoding="utf-8")
    assert "\n1502," in plain.read_text(encoding="utf-8")
    a = compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))
    b = compute(spec, read_data(plain, spec.tree.indicators))
    assert a.codes == b.codes and "15.02" in b.codes
    assert np.array_equal(a.scores, b.scores, equal_nan=True)
    assert output.to_csv(a) == output.to_csv(b)
    for code in ("15.02", "1502", " 15.02 "):
        assert explain(b, code).region == explain(a, "15.02").region
    with pytest.raises(DataError) as e:
        explain(b, "15.99")
    assert e.value.keys == ["data.unknown_region"]


def test_duplicate_after_normalisation_is_named(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("code,a\n15.02,1\n1502,2\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_data(p, ["a"])
    assert e.value.keys == ["data.duplicate_region"] and "2, 3" in e.value.render("en")[0]


# ---------------------------------------------------------------------- files rawan writes

def test_result_csv_reads_back_unchanged_without_a_locale(tmp_path):
    spec = load_spec("contoh-mini")
    r = compute(spec, read_data(EXAMPLE_DATA, spec.tree.indicators))
    path = tmp_path / "hasil.csv"
    output.write(r, path)
    back = read_data(path)  # no locale: nothing rawan writes is ambiguous
    header, cols, order = output.frame(r)
    for a in r.aggregates:
        got = back.values[:, back.columns.index(a)]
        assert np.array_equal(got, r.scores[order, r.col(a)], equal_nan=True)
    assert back.codes == [r.codes[i] for i in order]


def test_ambiguous_cell_in_a_data_file_is_named_with_its_place(tmp_path):
    p = tmp_path / "d.csv"
    p.write_text("code,a,b\n15.01,1.234,2\n15.02,\"1.234,5\",3\n", encoding="utf-8")
    with pytest.raises(DataError) as e:
        read_data(p, ["a", "b"])
    (prob,) = e.value.problems
    assert prob.key == "data.ambiguous_number"
    assert (prob.params["row"], prob.params["column"], prob.params["code"]) == (2, "B (a)", "15.01")
    assert "--locale" in prob.render("id") and "--locale" in prob.render("en")
    assert read_data(p, ["a", "b"], locale="id").values[:, 0].tolist() == [1234.0, 1234.5]
    assert read_data(p, ["a", "b"], locale="en").values[:, 0].tolist() == [1.234, 1234.5]


@settings(max_examples=examples(300), deadline=None)
@given(st.integers(1, 999), st.integers(0, 999), st.booleans(), st.integers(0, 5))
def test_every_three_decimal_text_is_found_in_a_whole_column(whole, frac, negative, pad):
    """The fast path's numeric pre-filter misses no ambiguous cell, and the writer pads every one."""
    text = ("-" if negative else "") + f"{whole}.{frac:03d}"
    column = ["1.5", "20"] * pad + [text] + ["0.25"] * pad
    p = parse_numbers(pa.array(column), None)
    assert p.ambiguous[2 * pad] and p.ambiguous.sum() == 1
    x = float(text)
    written = format_numbers(np.array([x]))[0].as_py()
    assert parse_number(written, None) == x  # never ambiguous
    if frac % 10:
        assert written == text + "0"


def test_chunked_columns_read_as_one():
    chunks = pa.chunked_array([["1.5", "2,5"], ["1.234", None, "x"]])
    p = parse_numbers(chunks, "id")
    assert p.values[:3].tolist() == [1.5, 2.5, 1234.0] and p.empty.tolist()[3] and p.bad.tolist()[4]
