"""Import a KPU-style TPS list (CSV or XLSX) into a :class:`~rawan.tps.tables.Registry`: all or nothing.

Columns (headers matched without case; the first word of a header counts, so "TPS (nomor)" is TPS):

- the desa/kelurahan: a ``kode_desa`` column of Kemendagri codes (preferred), or the four name columns
  ``provinsi``, ``kabupaten`` (kab/kota), ``kecamatan``, ``kelurahan`` (desa) matched through the region
  list with spelling variants ("KAB. TANJAB TIMUR" = Tanjung Jabung Timur, "Batang Hari" = Batanghari);
- ``tps`` (number: 3, 003 or "TPS 003") and ``dpt`` (a whole number) — required;
- optional ``alamat``, ``lintang``/``bujur`` (both or neither; decimal point or comma) and
  ``lokasi_khusus`` (ya/tidak).

The header row need not be the first: title rows, a date line and empty rows above it (as in KPU's
exports) are skipped; the header is the first of the first 20 rows that has the TPS and DPT columns and the
code or the four name columns (:func:`is_header_row`).
Every problem names file, sheet, row and column (as the spreadsheet shows them, title rows counted); names that match no
region are listed once each, with the row where they first appear.  Checks are vectorised: each
distinct value (code, name combination, number) is checked once and mapped back to its rows.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.codes import normalise_code
from ..engine.errors import Problem
from ..intake.api import file_sha256
from ..intake.checks import Collector, cell_text, find_column, header_key, header_token
from ..intake.events import _factorize
from ..intake.limits import DEFAULT_LIMITS, Limits
from ..intake.table import HEADER_SEARCH_ROWS, RawTable, check_size, empty_mask, read_raw
from ..vocabulary import SYNTHETIC_MARK
from .messages import TpsError
from .model import TpsModel
from .tables import DESA_PATTERN, MAX_TPS_NUMBER, Registry

CODE_HEADERS = ("kode_desa", "kode desa", "kode_kelurahan", "kode kelurahan", "kode_wilayah", "kode wilayah", "kode")
NAME_HEADERS = {
    "provinsi": ("provinsi", "prov", "nama_provinsi", "nama provinsi"),
    "kabupaten_kota": ("kabupaten", "kabupaten/kota", "kab/kota", "kabupaten_kota", "kab", "kota", "nama_kabupaten"),
    "kecamatan": ("kecamatan", "kec", "nama_kecamatan", "nama kecamatan"),
    "desa_kelurahan": ("kelurahan", "desa", "kelurahan/desa", "desa/kelurahan", "desa_kelurahan", "nama_kelurahan",
                       "nama desa", "nama_desa"),
}
NAME_LEVELS = tuple(NAME_HEADERS)
TPS_HEADERS = ("tps", "no_tps", "nomor_tps", "no tps", "nomor tps", "no.", "nomor")
DPT_HEADERS = ("dpt", "jumlah_dpt", "jumlah dpt", "jml_dpt", "jml dpt", "pemilih")
ADDRESS_HEADERS = ("alamat", "alamat_tps", "alamat tps", "lokasi")
LAT_HEADERS = ("lintang", "latitude", "lat")
LON_HEADERS = ("bujur", "longitude", "lon", "lng")
SPECIAL_HEADERS = ("lokasi_khusus", "tps_lokasi_khusus", "lokasi khusus", "khusus")
YES = {"ya", "y", "yes", "1", "true", "benar", "khusus"}
NO = {"tidak", "t", "tdk", "no", "n", "0", "false", "", "bukan"}
LEVEL_WORDS = {"provinsi": {"id": "provinsi", "en": "province"},
               "kabupaten_kota": {"id": "kabupaten/kota", "en": "kab/kota"},
               "kecamatan": {"id": "kecamatan", "en": "kecamatan"},
               "desa_kelurahan": {"id": "desa/kelurahan", "en": "desa/kelurahan"}}
LAT_RANGE, LON_RANGE = (-11.5, 6.5), (94.5, 141.5)  # Indonesia, with a margin


@dataclass
class RegistryImport:
    registry: Registry
    file: str
    sha256: str
    rows: int
    matched_by: str  # "kode" or "nama"
    warnings: list[Problem] = field(default_factory=list)


def _col(table: RawTable, headers) -> int | None:
    """The column of the first accepted header, in the order ``headers`` lists them: a KPU list's running
    number ("No.") is the TPS number only when no column is called TPS."""
    for h in headers:
        j = find_column(table, (h,))
        if j is not None:
            return j
    return None


def is_header_row(cells: list[str]) -> bool:
    """Whether a row is the list's column header: a TPS and a DPT column, and the desa code column or
    all four region name columns (any accepted spelling).  KPU's exports often put a title, a date line
    and empty rows above it; the first row passing this test within the first rows is the header."""
    keys = {header_key(c) for c in cells if c} | {header_token(c) for c in cells if c}

    def has(names) -> bool:
        return not keys.isdisjoint(names)

    return has(TPS_HEADERS) and has(DPT_HEADERS) and (
        has(CODE_HEADERS) or all(has(NAME_HEADERS[lv]) for lv in NAME_LEVELS))


def _strings(col: np.ndarray) -> pa.Array:
    """Cells as trimmed text (spreadsheet numbers without '.0'), empty string for empty cells."""
    try:
        arr = pa.array(col, type=pa.string())
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        arr = pa.array([cell_text(v) for v in col], type=pa.string())
    return pc.utf8_trim_whitespace(arr.fill_null(""))


def _tps_number(v) -> int | None:
    s = cell_text(v).upper().replace("TPS", "").strip().lstrip("-").strip()
    if s.isdigit():
        n = int(s)
        return n if 1 <= n <= MAX_TPS_NUMBER else None
    return None


def _whole(v) -> int | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, np.integer)):
        return int(v) if v >= 0 else None
    if isinstance(v, float):
        return int(v) if v == v and v.is_integer() and v >= 0 else None
    s = cell_text(v)
    return int(s) if s.isdigit() else None


class _Resolver:
    """Name combinations -> desa codes through ``regions.find`` (one lookup per distinct name and parent)."""

    def __init__(self, regions):
        self.regions = regions
        self.memo: dict[tuple, list] = {}

    def find(self, name: str, level: str, parent: str | None) -> list[str]:
        key = (name, level, parent)
        if key not in self.memo:
            self.memo[key] = [r.code for r in self.regions.find(name, level=level, parent=parent)]
        return self.memo[key]

    def suggest(self, name: str, level: str, parent: str | None, lang: str) -> str:
        hits = [r for r in self.regions.suggest(name, level=level, n=5)
                if parent is None or r.code.startswith(parent + ".")][:3]
        return Problem("tps.did_you_mean", {"names": ", ".join(r.name for r in hits)}).render(lang) if hits else ""


def _resolve_names(table: RawTable, cols: dict[str, int], regions, col: Collector, lang: str
                   ) -> tuple[np.ndarray, dict]:
    """Desa code of each row from the four name columns ("" where unmatched); unmatched names listed."""
    n = len(table.rows)
    texts = [_strings(table.columns[cols[lv]]) for lv in NAME_LEVELS]
    combo = pc.binary_join_element_wise(*texts, "\x1f")
    inv, uniq = _factorize(np.asarray(combo.to_numpy(zero_copy_only=False), dtype=object))
    first_row = np.full(len(uniq), n, dtype=np.int64)
    np.minimum.at(first_row, inv, np.arange(n))
    res = _Resolver(regions)
    code_u = np.full(len(uniq), "", dtype=object)
    unmatched: dict[tuple, int] = {}  # (level, name, parent) -> first row index
    for k, key in enumerate(uniq):
        names = str(key).split("\x1f")
        parent = None
        for lv, name in zip(NAME_LEVELS, names):
            j = cols[lv]
            i = int(first_row[k])
            if not name:
                col.cell("tps.empty_cell", j, i, "", expected=f"isi nama {LEVEL_WORDS[lv]['id']}")
                parent = None
                break
            hits = res.find(name, lv, parent)
            if len(hits) == 1:
                parent = hits[0]
                continue
            if not hits:
                where = (lv, name, parent)
                if where not in unmatched:
                    unmatched[where] = i
                    under = f" ({parent})" if parent else ""
                    col.cell("tps.unmatched_name", j, i, name, level=LEVEL_WORDS[lv][lang], under=under,
                             hint=res.suggest(name, lv, parent, lang))
            else:
                col.cell("tps.ambiguous_name", j, i, name, level=LEVEL_WORDS[lv][lang], codes=", ".join(hits))
            parent = None
            break
        if parent is not None and parent.count(".") == 3:
            code_u[k] = parent
    if unmatched:
        row_word = "baris" if lang == "id" else "row"
        shown = [f"{LEVEL_WORDS[lv][lang]} '{name}' ({row_word} {table.rows[i]})" for (lv, name, _), i in
                 sorted(unmatched.items(), key=lambda x: x[1])]
        col.add("tps.unmatched_summary", {"file": table.file, "sheet": table.sheet, "count": len(unmatched),
                                          "names": "; ".join(shown[:50]) + (" ..." if len(shown) > 50 else "")})
    return code_u[inv], unmatched


def _resolve_codes(table: RawTable, j: int, regions, col: Collector) -> np.ndarray:
    inv, uniq = _factorize(table.columns[j])
    first_row = np.full(len(uniq), len(table.rows), dtype=np.int64)
    np.minimum.at(first_row, inv, np.arange(len(table.rows)))
    code_u = np.full(len(uniq), "", dtype=object)
    import re

    desa = re.compile(DESA_PATTERN)
    bad = {"tps.empty_cell": [], "tps.bad_desa_code": [], "tps.unknown_desa": []}
    for k, v in enumerate(uniq):
        text = cell_text(v)
        code = normalise_code(text) if text else None
        if not text:
            bad["tps.empty_cell"].append(k)
        elif code is None or not desa.match(code):
            bad["tps.bad_desa_code"].append(k)
        elif regions is not None and code not in regions:
            bad["tps.unknown_desa"].append(k)
        else:
            code_u[k] = code
    for key, ids in bad.items():
        if not ids:
            continue
        for i in np.flatnonzero(np.isin(inv, np.asarray(ids))):
            extra = {"expected": "isi kode desa/kelurahan"} if key == "tps.empty_cell" else \
                {"hint": ""} if key == "tps.unknown_desa" else {}
            col.cell(key, j, int(i), table.columns[j][i], **extra)
    return code_u[inv]


def _by_distinct(table: RawTable, j: int, parse, col: Collector, key: str, **extra) -> np.ndarray:
    """``parse`` applied to each distinct cell value; ``key`` problem at every row whose value fails."""
    inv, uniq = _factorize(table.columns[j])
    vals = [parse(v) for v in uniq]
    bad = [k for k, v in enumerate(vals) if v is None]
    for i in np.flatnonzero(np.isin(inv, np.asarray(bad, dtype=np.intp))) if bad else []:
        v = table.columns[j][i]
        if not cell_text(v):
            col.cell("tps.empty_cell", j, int(i), v, expected=extra.get("expected", "isi sel ini"))
        else:
            col.cell(key, j, int(i), v, **{k: x for k, x in extra.items() if k != "expected"})
    return np.array([-1 if v is None else v for v in vals], dtype=np.int64)[inv] if len(uniq) else np.empty(0, np.int64)


def _coordinates(table: RawTable, j: int, what: str, rng: tuple[float, float], col: Collector) -> np.ndarray:
    text = _strings(table.columns[j])
    empty = pc.equal(text, "").to_numpy(zero_copy_only=False)
    ok = pc.match_substring_regex(text, r"^-?\d{1,3}([.,]\d+)?$").to_numpy(zero_copy_only=False)
    vals = np.full(len(text), np.nan)
    good = ok & ~empty
    if good.any():
        num = pc.cast(pc.replace_substring(pc.filter(text, pa.array(good)), ",", "."), pa.float64())
        vals[good] = num.to_numpy(zero_copy_only=False)
    out_of = good & ((vals < rng[0]) | (vals > rng[1]))
    for i in np.flatnonzero((~ok & ~empty) | out_of):
        col.cell("tps.bad_coordinate", j, int(i), table.columns[j][i], what=what,
                 expected=f"angka desimal {rng[0]:g} sampai {rng[1]:g}")
    vals[out_of] = np.nan
    return vals


def read_registry(table: RawTable, model: TpsModel, regions, *, lang: str = "id",
                  cap: int = DEFAULT_LIMITS.max_problems_per_kind) -> tuple[pa.Table | None, list[Problem], str]:
    """(registry table or None, problems incl. warnings, "kode"/"nama") of a raw table."""
    col = Collector(table, cap)
    for p in table.problems:
        col.add(p.key, p.params, severity=p.severity)
    where = {"file": table.file, "sheet": table.sheet}
    j_code = _col(table, CODE_HEADERS)
    names = {lv: _col(table, NAME_HEADERS[lv]) for lv in NAME_LEVELS}
    j_tps, j_dpt = _col(table, TPS_HEADERS), _col(table, DPT_HEADERS)
    if not table.header_found and j_code is None and j_tps is None and j_dpt is None \
            and all(j is None for j in names.values()):  # the first row is no header at all (a title?)
        col.add("tps.header_not_found", {**where, "rows": HEADER_SEARCH_ROWS})
        return None, col.finish(), ""
    if j_code is None and any(j is None for j in names.values()):
        col.add("tps.no_region_column", where)
    for j, name, acc in ((j_tps, "tps", TPS_HEADERS), (j_dpt, "dpt", DPT_HEADERS)):
        if j is None:
            col.add("tps.missing_column", {**where, "column": name, "accepted": ", ".join(acc[:4])})
    if col.errors:
        return None, col.finish(), ""
    n = len(table.rows)
    if n == 0:
        col.add("tps.no_rows", where)
        return None, col.finish(), ""
    if j_code is not None:
        desa, matched_by = _resolve_codes(table, j_code, regions, col), "kode"
    else:
        desa, _ = _resolve_names(table, names, regions, col, lang)
        matched_by = "nama"
    tps = _by_distinct(table, j_tps, _tps_number, col, "tps.bad_tps_number", expected="isi nomor TPS")
    dpt = _by_distinct(table, j_dpt, _whole, col, "tps.bad_dpt", expected="isi jumlah DPT")
    limit = model.election.max_voters_per_tps
    if limit:
        for i in np.flatnonzero(dpt > limit)[:cap]:
            col.add("tps.dpt_over_limit", {**table.place(j_dpt, table.rows[i]), "value": int(dpt[i]), "limit": limit},
                    column="dpt", severity="warning")
    j_lat, j_lon = _col(table, LAT_HEADERS), _col(table, LON_HEADERS)
    lat = _coordinates(table, j_lat, "lintang", LAT_RANGE, col) if j_lat is not None else np.full(n, np.nan)
    lon = _coordinates(table, j_lon, "bujur", LON_RANGE, col) if j_lon is not None else np.full(n, np.nan)
    if j_lat is not None and j_lon is not None:
        half = np.isnan(lat) != np.isnan(lon)
        for i in np.flatnonzero(half & ~empty_mask(table.columns[j_lat]) | half & ~empty_mask(table.columns[j_lon])):
            col.cell("tps.half_coordinate", j_lat if not np.isnan(lat[i]) else j_lon, int(i), "")
    j_sp = _col(table, SPECIAL_HEADERS)
    special = np.zeros(n, dtype=bool)
    if j_sp is not None:
        sp = _by_distinct(table, j_sp, lambda v: 1 if cell_text(v).lower() in YES else
                          0 if cell_text(v).lower() in NO else None, col, "tps.bad_flag", expected="ya atau tidak")
        special = sp == 1
    j_addr = _col(table, ADDRESS_HEADERS)
    address = _strings(table.columns[j_addr]) if j_addr is not None else pa.nulls(n, pa.string())
    # duplicates among the rows whose desa and number are good
    good = (desa != "") & (tps > 0)
    if good.any():
        idx = np.flatnonzero(good)
        key = pc.binary_join_element_wise(pa.array(desa[idx], pa.string()),
                                          pa.array(tps[idx].astype(str)), "/")
        kinv, _ = _factorize(np.asarray(key.to_numpy(zero_copy_only=False), dtype=object))
        order = np.argsort(kinv, kind="stable")
        sk = kinv[order]
        starts = np.r_[True, sk[1:] != sk[:-1]]
        first_of_group = order[starts]
        group = np.cumsum(starts) - 1
        for p in np.flatnonzero(~starts)[:cap]:
            i = int(idx[order[p]])
            first = int(idx[first_of_group[group[p]]])
            col.cell("tps.duplicate_tps", j_tps, i, table.columns[j_tps][i], tps=f"{tps[i]:03d}", desa=desa[i],
                     first=int(table.rows[first]))
    problems = col.finish()
    if any(p.severity == "error" for p in problems):
        return None, problems, matched_by
    synthetic = np.zeros(n, dtype=bool)
    for jj, h in enumerate(table.header):
        if h.strip().lower() == "data_contoh":
            synthetic = pc.equal(pc.utf8_upper(_strings(table.columns[jj])), SYNTHETIC_MARK).to_numpy(zero_copy_only=False)
    out = pa.table({
        "election": pa.array(np.full(n, model.election.code, dtype=object), pa.string()),
        "desa": pa.array(desa, pa.string()),
        "tps": pa.array(tps.astype(np.int32)),
        "address": address,
        "dpt": pa.array(dpt.astype(np.int32)),
        "lat": pa.array(lat, from_pandas=True),
        "lon": pa.array(lon, from_pandas=True),
        "special": pa.array(special),
        "synthetic": pa.array(synthetic),
    })
    return out, problems, matched_by


def import_registry(path: Path | str, model: TpsModel, regions, *, name: str | None = None,
                    limits: Limits | None = None, lang: str = "id") -> RegistryImport:
    """Read, check and return the whole registry, or raise TpsError with every problem (nothing kept)."""
    path = Path(path)
    limits = limits or DEFAULT_LIMITS
    check_size(path, limits)
    table = read_raw(path, limits, header=is_header_row)
    if name:
        table.file = name
    data, problems, matched_by = read_registry(table, model, regions, lang=lang, cap=limits.max_problems_per_kind)
    errors = [p for p in problems if p.severity == "error"]
    if errors or data is None:
        raise TpsError(errors or problems)
    return RegistryImport(Registry.from_table(data, election=model.election.code), name or path.name,
                          file_sha256(path), len(table.rows), matched_by,
                          [p for p in problems if p.severity != "error"])


def registry_frame(registry: Registry, regions=None):
    """The registry as a pandas frame with the KPU-style Indonesian headers (for CSV/XLSX export)."""
    import pandas as pd

    t = registry.table
    df = pd.DataFrame({
        "kode_desa": t.column("desa").to_pylist(),
        "tps": t.column("tps").to_numpy(),
        "alamat": t.column("address").to_pylist(),
        "dpt": t.column("dpt").to_numpy(),
        "lintang": t.column("lat").to_numpy(zero_copy_only=False),
        "bujur": t.column("lon").to_numpy(zero_copy_only=False),
        "lokasi_khusus": np.where(t.column("special").to_numpy(zero_copy_only=False), "ya", "tidak"),
    })
    if registry.synthetic:
        df["data_contoh"] = np.where(t.column("synthetic").to_numpy(zero_copy_only=False), SYNTHETIC_MARK, "")
    return df
