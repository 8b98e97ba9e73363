"""Kemendagri region-code shapes (``15``, ``15.01``, ``15.01.01``, ``15.01.01.2001``).

Pure functions on strings, shared by the engine (to pick the category rule of
the region level) and by ``rawan.regions``.
"""

from __future__ import annotations

import re

LEVEL_BY_PARTS = {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa_kelurahan"}
_DOTTED = re.compile(r"^\d{2}(\.\d{2}(\.\d{2}(\.\d{4})?)?)?$", re.ASCII)
_PLAIN = re.compile(r"^\d{2}(\d{2}(\d{2}(\d{4})?)?)?$", re.ASCII)


def normalise_code(code: str) -> str | None:
    """Dotted Kemendagri code, or None when ``code`` is not one.

    Codes written without dots (``1501``, ``150101``, ``1501012001``) are accepted.
    """
    c = str(code).strip()
    if _DOTTED.match(c):
        return c
    if _PLAIN.match(c):
        parts = [c[0:2], c[2:4], c[4:6], c[6:10]]
        return ".".join(p for p in parts if p)
    return None


def normalise_codes(column) -> tuple[list[str], "np.ndarray"]:  # noqa: F821
    """Whole column at once (Arrow kernels): (codes, is_kemendagri).

    Kemendagri codes come back dotted (``1502`` -> ``15.02``); any other id is kept as written
    (trimmed; empty for an empty cell), so :func:`normalise_code` on each gives the same codes.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    given = column if isinstance(column, list) else None
    if isinstance(column, pa.ChunkedArray):
        column = column.combine_chunks()
    if not isinstance(column, pa.Array):
        values = column.tolist() if hasattr(column, "tolist") else list(column)
        try:
            column = pa.array(values, type=pa.string())  # text codes: no per-cell Python
        except (pa.ArrowInvalid, pa.ArrowTypeError):
            column = pa.array(["" if v is None or (isinstance(v, float) and v != v) else _cell_code(v)
                               for v in values], type=pa.string())
    elif not pa.types.is_string(column.type):
        column = pa.array([_cell_code(v) for v in column.to_pylist()], type=pa.string())
    if not column.null_count and pc.all(pc.match_substring_regex(column, _DOTTED.pattern)).as_py():
        # the usual case, every code already dotted (the pattern is anchored: no spaces either)
        ok = np.ones(len(column), dtype=bool)
        return (list(given) if given is not None else column.to_pylist()), ok
    t = pc.utf8_trim_whitespace((column.fill_null("") if column.null_count else column))
    dotted = pc.match_substring_regex(t, _DOTTED.pattern)
    plain = pc.match_substring_regex(t, _PLAIN.pattern)
    if pc.any(plain).as_py():
        d = t
        for pattern, repl in ((r"^(\d{2})(\d{2})(\d{2})(\d{4})$", r"\1.\2.\3.\4"),
                              (r"^(\d{2})(\d{2})(\d{2})$", r"\1.\2.\3"), (r"^(\d{2})(\d{2})$", r"\1.\2")):
            d = pc.replace_substring_regex(d, pattern, repl)
        t = pc.if_else(plain, d, t)
    ok = pc.or_(dotted, plain).to_numpy(zero_copy_only=False)
    return t.to_pylist(), np.asarray(ok, dtype=bool)


def _as_string_array(codes):
    import pyarrow as pa

    return pa.array(codes, type=pa.string())


def _cell_code(v) -> str:
    """A code cell as text: spreadsheet numbers without '.0' (1501.0 -> '1501')."""
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


def level_of_code(code: str) -> str | None:
    c = normalise_code(code)
    return None if c is None else LEVEL_BY_PARTS[c.count(".") + 1]


def infer_region_level(codes: list[str]) -> str | None:
    """The one Kemendagri level all ``codes`` share, else None (whole column at once)."""
    import numpy as np
    import pyarrow.compute as pc

    if not len(codes):
        return None
    dotted, ok = normalise_codes(codes)
    return level_of_dotted(dotted, bool(ok.all()))


def level_of_dotted(dotted: list[str], all_kemendagri: bool) -> str | None:
    """:func:`infer_region_level` of codes already through :func:`normalise_codes` (``all_kemendagri``:
    every one of them a Kemendagri code)."""
    import numpy as np
    import pyarrow.compute as pc

    if not len(dotted) or not all_kemendagri:
        return None
    parts = np.unique(pc.count_substring(_as_string_array(dotted), ".").to_numpy(zero_copy_only=False))
    return LEVEL_BY_PARTS[int(parts[0]) + 1] if len(parts) == 1 else None
