"""The one number rule: text -> float, for every entrance (files, intake, web form, API, maps).

One rule, applied to whole columns with Arrow kernels (no per-cell Python on the happy path):

* spaces around the text are ignored; ``""``, ``-``, ``NA``, ``N/A``, ``nan``, ``null``, ``none``,
  ``tidak ada data``, ``t/a`` (any case) are **empty** (no data);
* a leading ``−`` (Unicode minus) is ``-``; a trailing ``%`` is dropped (``50%`` is 50: rates are
  written 0-100);
* spaces may group thousands (``1 234``, ``1 234,5``) in groups of three;
* **dot-decimal** text (``1234.5``, ``1,234.5``, ``1,234,567``, ``0.5``, ``2.5e-7``) and
  **comma-decimal** text (``1234,5``, ``1.234,5``, ``1.234.567``, ``0,5``) are read by their shape:
  separators that group thousands come in groups of three, the decimal mark comes last and once;
* a text that fits both shapes with different values — one ``.`` or one ``,`` followed by exactly three
  digits after 1-3 digits (``1.234``, ``12,500``) — is decided by the **locale**: ``id`` (Indonesian:
  ``.`` groups thousands, ``,`` is the decimal mark) reads ``1.234`` as 1234 and ``1,234`` as 1.234;
  ``en`` reads ``1.234`` as 1.234 and ``1,234`` as 1234; with no locale it is **ambiguous**, a named
  problem and never a guess;
* anything else (``abc``, ``1.2.3``, ``1 23``, ``inf``) is **not a number**.

Same text + same locale = same value, whichever entrance reads it.  :func:`format_numbers` writes
floats in the one form that reads back to the same float under every locale (shortest round trip,
``12.345`` written as ``12.3450`` so it is never ambiguous).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .errors import DataError, Problem

LOCALES = ("id", "en")
MISSING = ("", "na", "n/a", "nan", "-", "null", "none", "tidak ada data", "t/a")

_SIGN = r"^[+-]?"
# the dot-decimal ("en") and comma-decimal ("id") shapes, after trimming, minus, % and spaces
_EN = _SIGN + r"(?:[1-9]\d{0,2}(?:,\d{3})+(?:\.\d*)?|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)$"
_ID = _SIGN + r"(?:[1-9]\d{0,2}(?:\.\d{3})+(?:,\d*)?|\d+(?:,\d*)?|,\d+)$"
_AMBIGUOUS = _SIGN + r"[1-9]\d{0,2}[.,]\d{3}$"
_AMBIGUOUS_DOT = _SIGN + r"[1-9]\d{0,2}\.\d{3}$"
_SPACES = "[ \u00a0\u202f\u2009]"
_SPACED = _SIGN + r"[1-9]\d{0,2}(?:" + _SPACES + r"\d{3})+(?:[.,]\d+)?$"


class NumberError(ValueError):
    """A single text that is not a number (``kind`` "not_a_number") or is ambiguous ("ambiguous_number")."""

    def __init__(self, kind: str, text: str):
        super().__init__(f"{kind}: {text!r}")
        self.kind = kind
        self.text = text


@dataclass
class Numbers:
    """A parsed column: values (NaN where empty, bad or ambiguous) and the three masks."""

    values: np.ndarray
    empty: np.ndarray
    bad: np.ndarray
    ambiguous: np.ndarray

    @property
    def ok(self) -> bool:
        return not (self.bad.any() or self.ambiguous.any())

    def kind(self, i: int) -> str | None:
        """The named problem of cell ``i``: "not_a_number", "ambiguous_number" or None."""
        if self.ambiguous[i]:
            return "ambiguous_number"
        if self.bad[i]:
            return "not_a_number"
        return None


def check_locale(locale: str | None) -> str | None:
    """``id``, ``en`` or None (no declaration); DataError naming the accepted ones otherwise."""
    if locale is None or locale == "":
        return None
    loc = str(locale).strip().lower()
    if loc not in LOCALES:
        raise DataError(Problem("data.bad_locale", {"locale": locale, "known": ", ".join(LOCALES)}))
    return loc


def parse_number(text, locale: str | None = None) -> float | None:
    """One value by the same rule (and the same code) as :func:`parse_numbers`: None when empty.

    Raises :class:`NumberError` for a text that is not a number or is ambiguous without a locale.
    """
    if isinstance(text, (int, float, np.integer, np.floating, np.bool_)):
        x = float(text)
        if not np.isfinite(x):
            if np.isnan(x):
                return None
            raise NumberError("not_a_number", str(text))
        return x
    p = parse_numbers(np.array(["" if text is None else str(text)], dtype=object), locale)
    kind = p.kind(0)
    if kind:
        raise NumberError(kind, str(text))
    return None if p.empty[0] else float(p.values[0])


def parse_numbers(column, locale: str | None = None) -> Numbers:
    """Parse a whole column: Arrow array, numpy array, pandas Series or list of text and/or numbers.

    Numeric cells (float, int; a TRUE/FALSE cell is 1/0) are taken as they are (NaN = empty;
    inf = not a number); text cells follow the rule in the module docstring.
    """
    import pyarrow as pa

    locale = check_locale(locale)
    arr = _as_arrow(column)
    n = len(arr) if arr is not None else len(column)
    if arr is None:
        return _mixed(column, locale)
    if pa.types.is_floating(arr.type) or pa.types.is_integer(arr.type) or pa.types.is_decimal(arr.type):
        values = _to_float(arr)
        empty = np.isnan(values)
        bad = np.isinf(values)
        values[bad] = np.nan
        return Numbers(values, empty, bad, np.zeros(n, dtype=bool))
    if pa.types.is_null(arr.type):
        return Numbers(np.full(n, np.nan), np.ones(n, dtype=bool), np.zeros(n, dtype=bool), np.zeros(n, dtype=bool))
    if arr is None or not (pa.types.is_string(arr.type) or pa.types.is_large_string(arr.type)):
        return _mixed(column, locale)
    fast = _fast(arr, locale)
    return fast if fast is not None else _slow(arr, locale)


def column_map(fn, items: list, rows: int) -> list:
    """``[fn(x) for x in items]``, on a few threads when the columns are big enough to repay it.

    The work is Arrow and numpy kernels, which release the GIL: parsing or formatting the columns
    of a large table side by side uses the machine's cores (the order of the results is kept).
    """
    import os

    workers = min(len(items), os.cpu_count() or 1, 8)
    if workers < 2 or rows * len(items) < 200_000:
        return [fn(x) for x in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(fn, items))


# ---------------------------------------------------------------------- kernels

def _as_arrow(column):
    """An Arrow array of the column, or None for a column mixing numbers, text or booleans."""
    import pyarrow as pa

    if isinstance(column, pa.ChunkedArray):
        return column.chunk(0) if column.num_chunks == 1 else column  # kernels take chunked arrays as they are
    if isinstance(column, pa.Array):
        return column
    if hasattr(column, "array") and hasattr(column, "dtype"):  # pandas Series
        try:
            return pa.array(column, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            column = column.to_numpy(dtype=object)
    a = np.asarray(column) if not isinstance(column, np.ndarray) else column
    if a.dtype.kind in "fiu":
        return pa.array(a.astype(float, copy=False))
    if a.dtype.kind == "b":
        return pa.array(a.astype(float))
    if a.dtype.kind in "US":
        return pa.array(a.astype(str), type=pa.string())
    for typ in (pa.string(), pa.float64()):
        try:
            return pa.array(a, type=typ, from_pandas=True)
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            continue
    # a spreadsheet column: numbers, with "" for the empty cells
    filled = a != ""
    try:
        nums = pa.array(a[filled], type=pa.float64(), from_pandas=True)
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return None
    out = np.full(len(a), np.nan)
    out[filled] = nums.to_numpy(zero_copy_only=False)
    return pa.array(out, from_pandas=True)


def _to_float(arr) -> np.ndarray:
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_floating(arr.type):
        arr = pc.cast(arr, pa.float64())
    return np.array(arr.to_numpy(zero_copy_only=False), dtype=float)  # nulls -> NaN; a writable copy


def _fast(arr, locale):
    """Dot-decimal columns: one Arrow cast, then a narrow look at the few cells that could be ambiguous."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:
        cast = pc.cast(arr, pa.float64())
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        if not pc.any(pc.equal(arr, "")).as_py():
            return None
        arr = pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.string()), arr)
        try:
            cast = pc.cast(arr, pa.float64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None
    values = np.asarray(cast.to_numpy(zero_copy_only=False), dtype=float)  # a view when it can be; copied on write
    empty = np.isnan(values)
    if arr.null_count != empty.sum() or np.isinf(values).any():  # "nan" / "inf" texts: the full rule decides
        return None
    ambiguous = np.zeros(len(values), dtype=bool)
    if locale != "en":
        a = np.abs(values)
        # "d.ddd" to "ddd.ddd" (maybe signed) are the only ambiguous shapes: values of at most three
        # decimals in [1, 1000) whose text is exactly that long ("1.000" is 1.0)
        a = np.abs(values)
        cand = (a >= 1) & (a < 1000)
        if cand.any():  # the text is exactly as long as "d.ddd" (sign aside) for its integer digits
            lens = _byte_lengths(arr)  # cells that cast are ASCII: bytes are characters
            digits = 1 + (a >= 10) + (a >= 100)
            cand &= (lens == digits + 4) | (lens == digits + 5)
        cand = np.flatnonzero(cand)
        if len(cand):
            texts = arr.take(pa.array(cand))
            hit = pc.match_substring_regex(texts, _AMBIGUOUS_DOT).to_numpy(zero_copy_only=False)
            idx = cand[hit]
            if len(idx):
                values = np.array(values)  # writable
            if len(idx) and locale == "id":
                values[idx] = _to_float(pc.cast(pc.replace_substring(texts.filter(pa.array(hit)), ".", ""),
                                                pa.float64()))
            elif len(idx):
                ambiguous[idx] = True
                values[idx] = np.nan
    return Numbers(values, empty, np.zeros(len(values), dtype=bool), ambiguous)


def _three_decimals(v: np.ndarray, at_most: bool = False) -> np.ndarray:
    """Values in [1, 1000) (either sign) whose shortest text has exactly three decimals (``at_most``:
    at most three), or a few more (a superset, checked by the caller): the nearest double to a
    3-decimal number rounds to itself at 3 decimals, and not at 2 unless it has fewer decimals."""
    a = np.abs(v)
    with np.errstate(invalid="ignore"):
        out = (a >= 1) & (a < 1000)
        if out.any():
            idx = np.flatnonzero(out)
            x = v[idx]
            keep = np.round(x, 3) == x
            if not at_most:
                keep &= np.round(x, 2) != x
            out[:] = False
            out[idx[keep]] = True
    return out


def _byte_lengths(arr) -> np.ndarray:
    """Bytes per cell from the offsets buffer (no kernel, no copy of the text)."""
    import pyarrow as pa

    chunks = arr.chunks if isinstance(arr, pa.ChunkedArray) else [arr]
    out = []
    for c in chunks:
        width = np.int64 if pa.types.is_large_string(c.type) else np.int32
        offsets = np.frombuffer(c.buffers()[1], dtype=width)[c.offset: c.offset + len(c) + 1]
        out.append(np.diff(offsets))
    return np.concatenate(out) if len(out) != 1 else out[0]


def _lengths(arr) -> np.ndarray:
    """Characters per cell (0 for null), whole column at once."""
    import pyarrow.compute as pc

    return np.asarray(pc.utf8_length(arr).to_numpy(zero_copy_only=False) if not arr.null_count
                      else pc.utf8_length(arr).fill_null(0).to_numpy(zero_copy_only=False))


def _match(arr, pattern: str) -> np.ndarray:
    import pyarrow.compute as pc

    return pc.match_substring_regex(arr, pattern).to_numpy(zero_copy_only=False).astype(bool)


def _slow(arr, locale):
    """The whole rule, still column-wise: missing words, minus, %, spaces, then the two shapes."""
    import pyarrow as pa
    import pyarrow.compute as pc

    n = len(arr)
    nulls = arr.is_null().to_numpy(zero_copy_only=False)
    if arr.null_count:
        arr = arr.fill_null("")
    t = pc.utf8_trim_whitespace(arr)
    empty = nulls | pc.is_in(pc.utf8_lower(t), value_set=pa.array(MISSING)).to_numpy(zero_copy_only=False)
    t = pc.replace_substring(t, "\u2212", "-")
    t = pc.replace_substring_regex(t, r"\s*%$", "")
    bad = np.zeros(n, dtype=bool)
    spaced = _match(t, _SPACES)
    if spaced.any():
        bad |= spaced & ~_match(t, _SPACED)
        t = pc.replace_substring_regex(t, _SPACES, "")
    en_ok, id_ok, amb = _match(t, _EN), _match(t, _ID), _match(t, _AMBIGUOUS)
    valid = (en_ok | id_ok) & ~empty & ~bad
    ambiguous = valid & amb & (locale is None)
    valid &= ~ambiguous
    use_id = id_ok & (~en_ok | (amb & (locale == "id")))
    canon = pc.if_else(pa.array(use_id), pc.replace_substring(pc.replace_substring(t, ".", ""), ",", "."),
                       pc.replace_substring(t, ",", ""))
    values = np.full(n, np.nan)
    idx = np.flatnonzero(valid)
    if len(idx):
        values[idx] = _to_float(pc.cast(canon.take(pa.array(idx)), pa.float64()))
    inf = valid & np.isinf(values)
    values[inf] = np.nan
    bad = ~empty & ~valid & ~ambiguous | inf
    return Numbers(values, empty & ~ambiguous, bad, ambiguous)


def _mixed(column, locale):
    """A column mixing numbers and text (a spreadsheet column): numbers as they are, text by the rule.

    Splitting the cells by type is per cell; it happens only for such mixed columns.
    """
    a = np.asarray(column.to_numpy(dtype=object) if hasattr(column, "to_numpy") else column, dtype=object)
    n = len(a)
    is_num = np.fromiter((isinstance(v, (int, float, np.integer, np.floating, np.bool_)) for v in a),
                         dtype=bool, count=n)
    values = np.full(n, np.nan)
    empty = np.zeros(n, dtype=bool)
    bad = np.zeros(n, dtype=bool)
    ambiguous = np.zeros(n, dtype=bool)
    if is_num.any():
        nums = parse_numbers(a[is_num].astype(float), locale)
        values[is_num], empty[is_num], bad[is_num] = nums.values, nums.empty, nums.bad
    rest = ~is_num
    if rest.any():
        texts = np.array(["" if v is None else str(v) for v in a[rest]], dtype=object)
        p = parse_numbers(texts, locale)
        values[rest], empty[rest], bad[rest], ambiguous[rest] = p.values, p.empty, p.bad, p.ambiguous
    return Numbers(values, empty, bad, ambiguous)


# ---------------------------------------------------------------------- writing

def format_numbers(values) -> "pa.Array":  # noqa: F821
    """Floats as text that reads back to the same float under every locale; NaN -> null.

    The shortest round-trip form (``0.1``, ``50.0``, ``2.5e-7`` ...), except that a value whose
    text would be ambiguous (``12.345``) gets a trailing zero (``12.3450``).
    """
    import pyarrow as pa
    import pyarrow.compute as pc

    v = np.asarray(values, dtype=float)
    text = pc.cast(pa.array(v, from_pandas=True), pa.string())
    a = np.abs(v)
    with np.errstate(invalid="ignore"):
        whole = (v == np.floor(v)) & (a < 1e16)  # 50 -> "50.0", as Python writes floats
    if whole.any():
        idx = np.flatnonzero(whole)
        whole[idx[_match(text.take(pa.array(idx)), "e")]] = False
    if whole.any():
        text = pc.replace_with_mask(text, pa.array(whole),
                                    pc.binary_join_element_wise(text.filter(pa.array(whole)), ".0", ""))
    cand = np.flatnonzero(_three_decimals(v))
    if len(cand):
        sub = text.take(pa.array(cand))
        hit = _match(sub, _AMBIGUOUS_DOT)
        if hit.any():
            mask = np.zeros(len(v), dtype=bool)
            mask[cand[hit]] = True
            fixed = pc.binary_join_element_wise(sub.filter(pa.array(hit)), "0", "")
            text = pc.replace_with_mask(text, pa.array(mask), fixed)
    return text


def format_number(x: float, locale: str | None = None) -> str:
    """One value as a person reads and types it back: ``1234.5`` is ``1234,5`` in ``id``, ``1234.5`` in
    ``en``; whole numbers without decimals; the same value under :func:`parse_number` with ``locale``."""
    x = float(x)
    text = format_numbers(np.array([x]))[0].as_py()
    if text is None:
        return ""
    if text.endswith(".0"):
        text = text[:-2]
    locale = check_locale(locale)
    if locale and _is_padded(text):  # the locale decides "12.345": no padding needed
        text = text[:-1]
    if locale == "id" and "e" not in text:
        text = text.replace(".", ",")
    return text


def _is_padded(text: str) -> bool:
    """``12.3450`` (the writer's padding against ambiguity) is ``12.345`` once a locale decides."""
    import re

    return re.fullmatch(r"[+-]?[1-9]\d{0,2}\.\d{3}0", text, re.ASCII) is not None
