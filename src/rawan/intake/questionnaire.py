"""Questionnaire tables: one row per region, one column per indicator -> a validated Dataset.

Every problem is collected (unknown, duplicate or out-of-scope codes, missing indicator
columns, wrong types, values out of range, missing required values); a Dataset is built
only when there is none.
"""

from __future__ import annotations

import numpy as np

from ..engine.codes import normalise_code
from ..engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK, Dataset, parse_numbers
from ..engine.errors import Problem
from ..engine.pipeline import DEFAULT_RANGE, KIND_RANGES
from .checks import (CODE_HEADERS, NAME_HEADERS, NO, SOURCE_HEADERS, YES, Collector,
                     cell_text, code_strings, find_column, header_key, header_token, in_scope_by_code,
                     region_of, scope_codes, scope_text)
from .table import RawTable, empty_mask


def indicator_columns(table: RawTable, spec, col: Collector) -> dict[str, int]:
    """Indicator code -> column index; problems for duplicates, missing and unknown columns."""
    codes = {c.lower(): c for c in spec.tree.indicators}
    found: dict[str, list[int]] = {}
    special = set(CODE_HEADERS) | set(NAME_HEADERS) | set(SOURCE_HEADERS) | {SYNTHETIC_COLUMN}
    if spec.denominator is not None:
        special.add(spec.denominator.column.lower())
    for j, h in enumerate(table.header):
        tok = header_token(h)
        if tok in codes:
            found.setdefault(codes[tok], []).append(j)
        elif header_key(h) in special or tok in special:
            continue
        elif h or (~empty_mask(table.columns[j])).any():
            col.add("intake.unknown_column", {"file": table.file, "sheet": table.sheet, "column": table.letter(j),
                                              "header": h, "model": spec.id}, severity="warning")
    out = {}
    for code in spec.tree.indicators:
        js = found.get(code)
        if not js:
            col.add("intake.missing_column", {"file": table.file, "sheet": table.sheet, "code": code,
                                              "name": spec.node(code).name.get("id")})
            continue
        if len(js) > 1:
            col.add("intake.duplicate_column", {"file": table.file, "sheet": table.sheet, "code": code,
                                                "columns": ", ".join(table.letter(j) for j in js)})
        out[code] = js[0]
    return out


def parse_values(col: np.ndarray, kind: str, locale: str | None = None
                 ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(values, empty, bad, ambiguous) of a column by the engine's one number rule
    (:func:`rawan.engine.data.parse_numbers`); a binary column also takes Ya/Tidak words."""
    p = parse_numbers(col, locale)
    values, empty, bad = p.values, p.empty, p.bad
    if kind == "binary" and bad.any():
        import pyarrow as pa
        import pyarrow.compute as pc

        idx = np.flatnonzero(bad)
        words = pc.utf8_lower(pc.utf8_trim_whitespace(pa.array([str(v) for v in col[idx]], type=pa.string())))
        yes = pc.is_in(words, value_set=pa.array(sorted(YES))).to_numpy(zero_copy_only=False)
        no = pc.is_in(words, value_set=pa.array(sorted(NO))).to_numpy(zero_copy_only=False)
        values = np.array(values)  # writable (a parsed column may be a read-only view of Arrow's buffer)
        values[idx[yes]], values[idx[no]] = 1.0, 0.0
        bad[idx[yes | no]] = False
    return values, empty, bad, p.ambiguous


def check_column(table: RawTable, j: int, node, values, empty, bad, col: Collector, ambiguous=None) -> None:
    kind = node.kind or "score"
    low, high = node.range if node.range is not None else KIND_RANGES.get(kind, DEFAULT_RANGE)
    raw = table.columns[j]
    if ambiguous is not None:
        for i in np.flatnonzero(ambiguous):
            col.cell("intake.ambiguous_number", j, i, raw[i])
    for i in np.flatnonzero(bad):
        if kind == "binary":
            col.cell("intake.not_yes_no", j, i, raw[i], expected="Ya/Tidak")
        elif kind == "count":
            col.cell("intake.not_whole_number", j, i, raw[i], expected=">= 0")
        else:
            col.cell("intake.not_a_number", j, i, raw[i], expected=f"[{low:g}, {high:g}]")
    ok = ~np.isnan(values)
    with np.errstate(invalid="ignore"):
        if kind == "binary":
            wrong = ok & (values != 0) & (values != 1)
            for i in np.flatnonzero(wrong):
                col.cell("intake.not_yes_no", j, i, raw[i], expected="Ya/Tidak")
            return
        if kind == "count":
            wrong = ok & (~np.isfinite(values) | (values < 0) | (values != np.floor(values)))
            for i in np.flatnonzero(wrong):
                col.cell("intake.not_whole_number", j, i, raw[i], expected=">= 0")
            return
        wrong = ok & (~np.isfinite(values) | (values < low) | (values > high))
    for i in np.flatnonzero(wrong):
        col.cell("intake.out_of_range", j, i, raw[i], expected=f"[{low:g}, {high:g}]")


def validate_questionnaire(table: RawTable, spec, *, regions=None, level: str | None = None,
                           parent: str | None = None, cap: int = 200,
                           locale: str | None = None) -> tuple[Dataset | None, list[Problem]]:
    """Check a questionnaire table; numbers are read with ``locale`` (the template's or the one
    given; ``None``: a plain file, where "1.234" is a named problem)."""
    col = Collector(table, cap)
    for p in table.problems:
        col.add(p.key, p.params, severity=p.severity)
    meta = table.meta or {}
    level = level or meta.get("level") or None
    parent = parent or meta.get("parent") or None
    j_code = find_column(table, CODE_HEADERS)
    if j_code is None:
        col.add("intake.no_code_column", {"file": table.file, "sheet": table.sheet})
        return None, col.finish()
    j_name = find_column(table, NAME_HEADERS)
    ind_cols = indicator_columns(table, spec, col)
    n = len(table.rows)
    if n == 0:
        col.add("intake.no_rows", {"file": table.file, "sheet": table.sheet})
    # ---- region codes
    raw_codes = code_strings(table.columns[j_code])
    codes = [""] * n
    seen: dict[str, list[int]] = {}
    known_cache: dict[str, bool] = {}
    for i, c in enumerate(raw_codes):
        if not c:
            col.cell("intake.empty_code", j_code, i, "")
            continue
        code = normalise_code(c)
        if code is None:
            col.cell("intake.bad_code", j_code, i, c)
            continue
        if regions is not None:
            if code not in known_cache:
                known_cache[code] = region_of(regions, code) is not None
            if not known_cache[code]:
                col.cell("intake.unknown_region", j_code, i, c)
                continue
        codes[i] = code
        seen.setdefault(code, []).append(int(table.rows[i]))
    for code, rows in seen.items():
        if len(rows) > 1:
            col.add("intake.duplicate_region", {"file": table.file, "sheet": table.sheet, "value": code,
                                                "rows": ", ".join(map(str, rows))}, column="code")
    if level or parent:
        allowed = scope_codes(regions, level, parent) if (regions is not None and level) else None
        allowed_codes = {r.code for r in allowed} if allowed is not None else None
        for i, code in enumerate(codes):
            if not code:
                continue
            inside = code in allowed_codes if allowed_codes is not None else in_scope_by_code(code, level, parent)
            if not inside:
                col.cell("intake.out_of_scope", j_code, i, code, expected=scope_text(level, parent))
        if allowed is not None and meta:
            for r in allowed:
                if r.code not in seen:
                    col.add("intake.region_missing", {"file": table.file, "sheet": table.sheet, "value": r.code,
                                                      "name": r.name}, column="code")
    # ---- values
    indicators = spec.tree.indicators
    values = np.full((n, len(indicators)), np.nan)
    for k, code in enumerate(indicators):
        j = ind_cols.get(code)
        if j is None:
            continue
        node = spec.node(code)
        v, empty, bad, amb = parse_values(table.columns[j], node.kind or "score", locale)
        check_column(table, j, node, v, empty, bad, col, ambiguous=amb)
        if node.required:
            for i in np.flatnonzero(empty):
                col.cell("intake.required_value", j, i, "", code=codes[i] or cell_text(raw_codes[i]))
        values[:, k] = v
    attributes = {}
    den = spec.denominator
    if den is not None:  # e.g. dpt: a number > 0 on every row (the model divides by it)
        j_den = next((j for j, h in enumerate(table.header) if header_token(h) == den.column.lower()), None)
        if j_den is None:
            col.add("intake.missing_column", {"file": table.file, "sheet": table.sheet, "code": den.column,
                                              "name": den.name.get("id")})
        else:
            v, empty, bad, amb = parse_values(table.columns[j_den], "count", locale)
            for i in np.flatnonzero(empty | bad | amb | ~(np.nan_to_num(v) > 0)):
                col.cell("intake.bad_denominator", j_den, i, cell_text(table.columns[j_den][i]),
                         column_code=den.column, name=den.name.get("id"))
            attributes[den.column] = np.array([str(int(x)) if float(x).is_integer() else repr(float(x))
                                               for x in np.nan_to_num(v)], dtype=object)
    if n and ind_cols and np.isnan(values).all():
        col.add("intake.no_values", {"file": table.file, "sheet": table.sheet}, severity="warning")
    problems = col.finish()
    if any(p.severity == "error" for p in problems):
        return None, problems
    names = None
    if j_name is not None:
        names = [cell_text(v) for v in table.columns[j_name]]
    elif regions is not None:
        names = [getattr(region_of(regions, c), "name", "") for c in codes]
    synthetic = False
    for j, h in enumerate(table.header):
        key = header_key(h)
        if key == SYNTHETIC_COLUMN:
            synthetic = any(cell_text(v).upper() == SYNTHETIC_MARK for v in table.columns[j])
        elif key in SOURCE_HEADERS or header_token(h) in SOURCE_HEADERS:
            attributes["sumber"] = np.array([cell_text(v) for v in table.columns[j]], dtype=object)
    data = Dataset(codes=codes, columns=list(indicators), values=values, names=names, attributes=attributes,
                   source=table.file, rows=[int(r) for r in table.rows], synthetic=synthetic)
    return data, problems
