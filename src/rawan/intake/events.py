"""Event records ("kejadian"): one row per event, aggregated to indicator values per region.

Columns: ``kode_wilayah`` (any level down to desa), ``indikator`` (indicator code),
``tingkat`` (severity level: code, name or position), ``tanggal`` (date), ``sumber``
(source) and optionally ``uraian`` (description).  An indicator value is the sum of the
severity weights of its events (count indicators) or 1 when any event occurred (binary), per
region of the chosen level (domain.md §3.5).  Validation is vectorised: each distinct code,
indicator, level and date is checked once, then mapped back to the rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import numpy as np

from ..engine.codes import level_of_code, normalise_code
from ..engine.data import SYNTHETIC_COLUMN, SYNTHETIC_MARK, Dataset
from ..engine.errors import DataError, Problem
from ..engine.spec import REGION_LEVELS
from .checks import CODE_HEADERS, Collector, cell_text, find_column, header_key, region_of, scope_codes, scope_text
from .table import RawTable

INDICATOR_HEADERS = ("indikator", "indicator", "kode_indikator")
SEVERITY_HEADERS = ("tingkat", "tingkat_kejadian", "tingkat kejadian", "severity")
DATE_HEADERS = ("tanggal", "date", "tanggal_kejadian")
SOURCE_HEADERS = ("sumber", "source", "sumber/bukti")
DESCRIPTION_HEADERS = ("uraian", "keterangan", "deskripsi", "description", "catatan")
EVENT_COLUMNS = ("kode_wilayah", "indikator", "tingkat", "tanggal", "sumber", "uraian")
DATE_FORMATS = "YYYY-MM-DD / DD/MM/YYYY"
_DMY = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$")
_EPOCH = np.datetime64("1970-01-01", "D")


def is_event_table(table: RawTable) -> bool:
    return (find_column(table, INDICATOR_HEADERS) is not None
            and find_column(table, SEVERITY_HEADERS) is not None)


@dataclass
class Events:
    """Validated events, column-wise."""

    regions: np.ndarray  # normalised region code of each event (object)
    indicators: np.ndarray  # indicator code of each event (object)
    weights: np.ndarray  # severity weight of each event
    dates: np.ndarray  # datetime64[D]
    rows: np.ndarray  # spreadsheet row of each event
    source: str
    synthetic: bool = False
    # the same regions and indicators factorised (index of each event into the distinct values, the
    # distinct values), as read_events found them: aggregating needs no second pass over the rows
    region_ids: tuple[np.ndarray, np.ndarray] | None = None
    indicator_ids: tuple[np.ndarray, np.ndarray] | None = None

    def __len__(self) -> int:
        return len(self.rows)


def severity_table(spec) -> dict[str, float]:
    """Accepted severity labels (lower case) -> weight: code, Indonesian and English name, position."""
    sev = getattr(spec, "severity", None)
    if sev is None:
        return {"1": 1.0}
    out: dict[str, float] = {}
    for k, lv in enumerate(sev.levels, start=1):
        for label in (lv.code, lv.name.id, lv.name.en, str(k)):
            if label:
                out.setdefault(str(label).strip().lower(), float(lv.weight))
    return out


def _factorize(col: np.ndarray) -> tuple[np.ndarray, list]:
    """(index of each cell's value in uniq, the distinct values in order of appearance; None included)."""
    import pyarrow as pa
    import pyarrow.compute as pc

    try:  # text cells (CSV, most spreadsheets): Arrow's hash kernel
        arr = col if isinstance(col, pa.Array) else pa.array(col, type=pa.string())
        enc = pc.dictionary_encode(arr, null_encoding="encode")
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        import pandas as pd

        inv, uniq = pd.factorize(pd.Series(col, dtype=object), use_na_sentinel=False)
        return inv, list(uniq)
    return enc.indices.to_numpy(zero_copy_only=False).astype(np.intp), enc.dictionary.to_pylist()


def parse_date(v) -> np.datetime64 | None:
    if isinstance(v, dt.datetime):
        return np.datetime64(v.date(), "D")
    if isinstance(v, dt.date):
        return np.datetime64(v, "D")
    s = cell_text(v)
    m = _ISO.match(s)
    try:
        if m:
            return np.datetime64(dt.date(int(m[1]), int(m[2]), int(m[3])), "D")
        m = _DMY.match(s)
        if m:
            return np.datetime64(dt.date(int(m[3]), int(m[2]), int(m[1])), "D")
    except ValueError:
        return None
    return None


def _bad_rows(inv: np.ndarray, bad_ids: list[int]) -> np.ndarray:
    if not bad_ids:
        return np.empty(0, dtype=int)
    return np.flatnonzero(np.isin(inv, np.asarray(bad_ids)))


def read_events(table: RawTable, spec, *, regions=None, cap: int = 200) -> tuple[Events | None, list[Problem]]:
    col = Collector(table, cap)
    for p in table.problems:
        col.add(p.key, p.params, severity=p.severity)
    cols = {}
    for name, headers in (("kode_wilayah", CODE_HEADERS), ("indikator", INDICATOR_HEADERS),
                          ("tingkat", SEVERITY_HEADERS), ("tanggal", DATE_HEADERS), ("sumber", SOURCE_HEADERS)):
        j = find_column(table, headers)
        if j is None:
            col.add("intake.missing_event_column", {"file": table.file, "sheet": table.sheet, "column": name})
        cols[name] = j
    if any(j is None for j in cols.values()):
        return None, col.finish()
    n = len(table.rows)
    if n == 0:
        col.add("intake.no_rows", {"file": table.file, "sheet": table.sheet})
    # region codes: each distinct value checked once
    j = cols["kode_wilayah"]
    inv, uniq = _factorize(table.hashable(j))
    region_codes = np.empty(len(uniq), dtype=object)
    bad: dict[str, list[int]] = {"intake.empty_code": [], "intake.bad_code": [], "intake.unknown_region": []}
    for k, v in enumerate(uniq):
        text = cell_text(v)
        code = normalise_code(text) if text else None
        if not text:
            bad["intake.empty_code"].append(k)
        elif code is None:
            bad["intake.bad_code"].append(k)
        elif regions is not None and region_of(regions, code) is None:
            bad["intake.unknown_region"].append(k)
        region_codes[k] = code
    for key, ids in bad.items():
        for i in _bad_rows(inv, ids):
            col.cell(key, j, i, table.columns[j][i])
    codes = region_codes[inv]
    region_ids = (inv, region_codes)
    # indicators
    j = cols["indikator"]
    inv, uniq = _factorize(table.hashable(j))
    known = {c.lower(): c for c in spec.tree.indicators}
    ind_codes = np.empty(len(uniq), dtype=object)
    unknown, not_event = [], []
    for k, v in enumerate(uniq):
        c = known.get(cell_text(v).lower())
        if c is None:
            unknown.append(k)
        elif (spec.node(c).kind or "score") not in ("count", "binary"):
            not_event.append(k)
        ind_codes[k] = c
    for i in _bad_rows(inv, unknown):
        col.cell("intake.unknown_indicator", j, i, table.columns[j][i], model=spec.id)
    for i in _bad_rows(inv, not_event):
        code = known[cell_text(table.columns[j][i]).lower()]
        col.cell("intake.indicator_not_event", j, i, table.columns[j][i], kind=spec.node(code).kind or "score")
    indicators = ind_codes[inv]
    indicator_ids = (inv, ind_codes)
    # severity
    j = cols["tingkat"]
    inv, uniq = _factorize(table.hashable(j))
    levels = severity_table(spec)
    weights_u = np.array([levels.get(cell_text(v).lower(), np.nan) for v in uniq], dtype=float)
    expected = ", ".join(lv.code for lv in spec.severity.levels) if spec.severity else "1"
    for i in _bad_rows(inv, [k for k, w in enumerate(weights_u) if np.isnan(w)]):
        col.cell("intake.unknown_severity", j, i, table.columns[j][i], expected=expected)
    weights = weights_u[inv] if len(uniq) else np.empty(0)
    # dates
    j = cols["tanggal"]
    inv, uniq = _factorize(table.hashable(j))
    dates_u = [parse_date(v) for v in uniq]
    for i in _bad_rows(inv, [k for k, d in enumerate(dates_u) if d is None]):
        key = "intake.empty_value" if not cell_text(table.columns[j][i]) else "intake.bad_date"
        col.cell(key, j, i, table.columns[j][i], expected=DATE_FORMATS)
    dates = np.array([d if d is not None else _EPOCH for d in dates_u], dtype="datetime64[D]")[inv] \
        if len(uniq) else np.empty(0, dtype="datetime64[D]")
    # source must be given
    j = cols["sumber"]
    inv, uniq = _factorize(table.hashable(j))
    for i in _bad_rows(inv, [k for k, v in enumerate(uniq) if not cell_text(v)]):
        col.cell("intake.empty_value", j, i, "")
    synthetic = False
    for jj, h in enumerate(table.header):
        if header_key(h) == SYNTHETIC_COLUMN:
            first = table.hashable(jj)[:1000]
            synthetic = any(cell_text(v).upper() == SYNTHETIC_MARK
                            for v in (first.to_pylist() if hasattr(first, "to_pylist") else first))
    problems = col.finish()
    if any(p.severity == "error" for p in problems):
        return None, problems
    return Events(regions=codes, indicators=indicators, weights=weights, dates=dates, rows=table.rows,
                  source=table.file, synthetic=synthetic, region_ids=region_ids,
                  indicator_ids=indicator_ids), problems


def _ancestor(code: str, level: str) -> str | None:
    """The code of ``code``'s region at ``level`` (Kemendagri codes nest by prefix); None if above it."""
    parts = code.split(".")
    k = REGION_LEVELS.index(level) + 1
    if len(parts) < k:
        return None
    return ".".join(parts[:k])


def coarsest_level(events: Events) -> str:
    distinct = events.region_ids[1] if events.region_ids is not None else set(events.regions.tolist())
    levels = {level_of_code(c) for c in distinct}
    return min(levels, key=REGION_LEVELS.index) if levels else "kabupaten_kota"


def aggregate_events(events: Events, spec, *, level: str | None = None, regions=None, parent: str | None = None,
                     table: RawTable | None = None, cap: int = 200) -> tuple[Dataset, list[Problem]]:
    """Indicator values per region of ``level``: the sum of severity weights (count), any event (binary).

    With a region list every region of the level (under ``parent``) is in the data, with 0 where
    it had no events; without one only regions with events are (a warning says so).  Raises
    DataError naming every event that cannot be placed (above the level, or outside ``parent``).
    """
    level = level or coarsest_level(events)
    if level not in REGION_LEVELS:
        raise DataError(Problem("intake.bad_level", {"level": level, "known": ", ".join(REGION_LEVELS)}))
    inv, uniq = events.region_ids if events.region_ids is not None else _factorize(events.regions)
    uniq = np.array([str(u) for u in uniq], dtype=object)
    targets_u = [_ancestor(c, level) for c in uniq]
    scope = scope_codes(regions, level, parent)
    warnings: list[Problem] = []
    if scope is not None:
        target_codes = [r.code for r in scope]
        names = [r.name for r in scope]
    else:
        target_codes = sorted({t for t in targets_u if t and (not parent or t.startswith(parent + "."))})
        names = None
        warnings.append(Problem("intake.no_regions_given", {"count": len(target_codes)}, severity="warning"))
    index = {c: k for k, c in enumerate(target_codes)}
    problems: list[Problem] = []
    t_idx_u = np.array([index.get(t, -1) if t else -2 for t in targets_u], dtype=int)
    t_idx = t_idx_u[inv] if len(events) else np.empty(0, int)
    for u in np.flatnonzero(t_idx_u < 0):
        rows = events.rows[inv == u]
        found = level_of_code(uniq[u])
        key = "intake.level_above" if t_idx_u[u] == -2 else "intake.out_of_scope"
        for r in rows[:cap]:
            params = {"file": events.source, "sheet": table.sheet if table else "-", "row": int(r),
                      "column": "-", "header": "kode_wilayah", "value": uniq[u],
                      "found": found, "expected": level if key == "intake.level_above" else scope_text(level, parent)}
            if table is not None:
                j = find_column(table, CODE_HEADERS)
                params.update(column=table.letter(j), header=table.header[j])
            problems.append(Problem(key, params))
    if problems:
        raise DataError(problems)
    indicators = spec.tree.indicators
    m = len(indicators)
    ind_index = {c: k for k, c in enumerate(indicators)}
    i_inv, i_uniq = events.indicator_ids if events.indicator_ids is not None else _factorize(events.indicators)
    i_idx = np.array([ind_index[c] for c in i_uniq], dtype=int)[i_inv] if len(events) else np.empty(0, int)
    flat = np.bincount(t_idx * m + i_idx, weights=events.weights, minlength=len(target_codes) * m)
    values = flat.reshape(len(target_codes), m)
    kinds = [spec.node(c).kind or "score" for c in indicators]
    for k, kind in enumerate(kinds):
        if kind == "binary":
            values[:, k] = (values[:, k] > 0).astype(float)
        elif kind not in ("count",):
            values[:, k] = np.nan  # rates and scores do not come from events
    data = Dataset(codes=target_codes, columns=list(indicators), values=values, names=names,
                   source=events.source, synthetic=events.synthetic)
    return data, warnings


__all__ = ["EVENT_COLUMNS", "Events", "aggregate_events", "is_event_table", "read_events"]
