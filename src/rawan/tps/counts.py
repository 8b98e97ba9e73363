"""Counts of TPS in Bawaslu's reporting format, at every level, vectorised.

    counts = count_tps(checklist)
    counts.level("kabupaten_kota").indicators      # (kab/kota x indicator) numbers of TPS
    counts.region("15.01").rawan                   # number of TPS rawan in Kerinci
    counts.bands("15")                             # band of each indicator in Jambi
    counts.top("i05", level="kabupaten_kota", within="15", n=5)

Per region: the number of TPS where each indicator applies, of TPS where each variable applies, of
TPS rawan (the model's named rule: at least ``min_indicators`` indicators) and their share of the
region's TPS, and of TPS carrying at least k variables.  These are COUNTS, never a Bawaslu score: a
TPS meeting several indicators counts once under each of them (so per-indicator counts overlap and
must not be added up) and once in "TPS rawan".

The registry is sorted by desa code, and Kemendagri codes are fixed width, so every region at every
level is one contiguous block of TPS rows: each level is one ``numpy.add.reduceat`` of the level
below.  No per-TPS Python.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa

from ..engine.errors import Problem
from .messages import TpsError
from .model import BANDS, BandRule, TpsModel
from .tables import Checklist

LEVELS = ("desa_kelurahan", "kecamatan", "kabupaten_kota", "provinsi", "nasional")
PREFIX = {"kecamatan": 8, "kabupaten_kota": 5, "provinsi": 2}  # characters of the dotted desa code
NATION = "ID"  # the code of the one row of the nasional level
LEVEL_LABELS = {
    "desa_kelurahan": {"id": "Desa/kelurahan", "en": "Desa/kelurahan"},
    "kecamatan": {"id": "Kecamatan", "en": "Kecamatan"},
    "kabupaten_kota": {"id": "Kabupaten/kota", "en": "Kab/kota"},
    "provinsi": {"id": "Provinsi", "en": "Province"},
    "nasional": {"id": "Nasional", "en": "National"},
}


@dataclass
class TpsFlags:
    """What each TPS carries: variables met, number of indicators and variables, TPS rawan."""

    variables: np.ndarray  # bool (n_tps, n_variables)
    n_indicators: np.ndarray  # int (n_tps,)
    n_variables: np.ndarray  # int (n_tps,)
    rawan: np.ndarray  # bool (n_tps,)


def _bitmask(answers: np.ndarray) -> np.ndarray:
    """The yes answers of each TPS as one unsigned integer (bit j = indicator j), via packbits."""
    n, m = answers.shape
    width = 4 if m <= 32 else 8 if m <= 64 else None
    if width is None:  # a model of more than 64 indicators: no single-integer mask
        return None
    packed = np.packbits(answers, axis=1, bitorder="little")
    buf = np.zeros((n, width), dtype=np.uint8)
    buf[:, :packed.shape[1]] = packed
    return buf.view("<u4" if width == 4 else "<u8").ravel()


def tps_flags(checklist: Checklist) -> TpsFlags:
    """Per TPS: the variables it meets, its numbers of indicators and variables, and TPS rawan (vectorised:
    the answers packed into one integer per TPS, one AND per variable)."""
    model = checklist.model
    a = checklist.answers
    n_var = len(model.variables)
    mask = _bitmask(a)
    if mask is not None:
        var_masks = np.zeros(n_var, dtype=mask.dtype)
        for j, k in enumerate(model.variable_index):
            var_masks[k] |= mask.dtype.type(1) << mask.dtype.type(j)
        variables_t = (mask[None, :] & var_masks[:, None]) != 0  # (variables, TPS)
        n_ind = np.bitwise_count(mask).astype(np.int32) if hasattr(np, "bitwise_count") else \
            a.sum(axis=1, dtype=np.int32)
    else:
        variables_t = np.stack([a[:, model.variable_index == k].any(axis=1) for k in range(n_var)])
        n_ind = a.sum(axis=1, dtype=np.int32)
    n_vars = variables_t.sum(axis=0, dtype=np.int32)
    rawan = checklist.answered & (n_ind >= model.rules.tps_rawan.min_indicators)
    return TpsFlags(variables_t.T, n_ind, n_vars, rawan)


@dataclass
class LevelCounts:
    """The counts of every region of one level (rows in code order)."""

    level: str
    codes: list[str]
    n_tps: np.ndarray  # TPS in the registry
    n_reported: np.ndarray  # TPS with a checklist
    n_desa: np.ndarray  # desa/kelurahan with TPS in the registry
    n_desa_reported: np.ndarray  # desa/kelurahan with at least one checklist
    dpt: np.ndarray  # voters (DPT) of the region's TPS
    indicators: np.ndarray  # (regions, indicators): TPS where the indicator applies
    variables: np.ndarray  # (regions, variables): TPS where at least one indicator of the variable applies
    rawan: np.ndarray  # TPS rawan (the model's rule)
    at_least: np.ndarray  # (regions, variables): column k-1 = TPS carrying at least k variables

    def __len__(self) -> int:
        return len(self.codes)

    @property
    def share(self) -> np.ndarray:
        """TPS rawan / TPS in the registry (NaN for a region without TPS)."""
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(self.n_tps > 0, self.rawan / np.maximum(self.n_tps, 1), np.nan)

    def index(self, code: str) -> int:
        i = int(np.searchsorted(self.codes, code))
        if i >= len(self.codes) or self.codes[i] != code:
            raise TpsError(Problem("tps.unknown_region", {"code": code}))
        return i

    def select(self, within: str | None) -> np.ndarray:
        """Rows of the regions under ``within`` (a region code; None or the nation: all)."""
        if within is None or within == NATION:
            return np.arange(len(self.codes))
        lo = int(np.searchsorted(self.codes, within))
        hi = int(np.searchsorted(self.codes, within + "/"))  # '/' sorts right after '.'
        rows = np.arange(lo, hi)
        return np.array([r for r in rows if self.codes[r] == within or self.codes[r].startswith(within + ".")],
                        dtype=np.intp) if len(rows) else rows


@dataclass
class RegionCounts:
    """The counts of one region (a row of a :class:`LevelCounts`)."""

    level: str
    code: str
    n_tps: int
    n_reported: int
    n_desa: int
    n_desa_reported: int
    dpt: int
    indicators: np.ndarray
    variables: np.ndarray
    rawan: int
    at_least: np.ndarray

    @property
    def share(self) -> float:
        return self.rawan / self.n_tps if self.n_tps else float("nan")


def _sums(matrix: np.ndarray, starts: np.ndarray) -> np.ndarray:
    """Sums of the column blocks starting at ``starts`` (matrix: quantities x regions, C order)."""
    if not len(starts):
        return np.zeros((matrix.shape[0], 0), dtype=np.int64)
    return np.add.reduceat(matrix, starts, axis=1)


def _per_desa(pairs_of: np.ndarray, desa_of: np.ndarray, n_desa: int) -> np.ndarray:
    """(columns, desa) counts of the True cells of a (TPS, columns) bool matrix: one bincount."""
    rows, cols = np.nonzero(pairs_of)
    return np.bincount(cols * n_desa + desa_of[rows], minlength=pairs_of.shape[1] * n_desa).reshape(-1, n_desa)


class TpsCounts:
    """Counts of one election's checklists at every level (desa -> nation)."""

    def __init__(self, model: TpsModel, election: str, levels: dict[str, LevelCounts], synthetic: bool):
        self.model = model
        self.election = election
        self.levels = levels
        self.synthetic = synthetic

    def level(self, level: str) -> LevelCounts:
        if level not in self.levels:
            raise TpsError(Problem("tps.unknown_level", {"level": level, "known": ", ".join(LEVELS)}))
        return self.levels[level]

    def level_of(self, code: str) -> str:
        if code == NATION:
            return "nasional"
        return {1: "provinsi", 2: "kabupaten_kota", 3: "kecamatan", 4: "desa_kelurahan"}.get(code.count(".") + 1, "")

    def region(self, code: str) -> RegionCounts:
        lc = self.level(self.level_of(code) or "nasional")
        i = lc.index(code)
        return RegionCounts(lc.level, code, int(lc.n_tps[i]), int(lc.n_reported[i]), int(lc.n_desa[i]),
                            int(lc.n_desa_reported[i]), int(lc.dpt[i]), lc.indicators[i].copy(),
                            lc.variables[i].copy(), int(lc.rawan[i]), lc.at_least[i].copy())

    def bands(self, code: str, rule: BandRule | None = None) -> list[str | None]:
        """The reporting band of each indicator in region ``code`` (None: no TPS)."""
        return band_indicators(self.region(code).indicators, rule or self.model.rules.bands)

    def top(self, indicator: str, *, level: str = "kabupaten_kota", within: str | None = None,
            n: int = 5) -> list[tuple[str, int]]:
        """The regions of ``level`` (under ``within``) with the most TPS for ``indicator``: (code, count),
        largest first, ties by code; regions with no such TPS are left out."""
        j = self.model.indicator_codes.index(self.model.indicator(indicator).code)
        lc = self.level(level)
        rows = lc.select(within)
        vals = lc.indicators[rows, j]
        order = np.lexsort((rows, -vals))
        out = [(lc.codes[rows[k]], int(vals[k])) for k in order if vals[k] > 0]
        return out[:n]

    def to_table(self, level: str, *, within: str | None = None, regions=None, lang: str = "id") -> pa.Table:
        """One row per region of ``level`` (under ``within``): the counts as named columns.

        Columns: level, code, name (with a region list), n_tps, n_tps_reported, n_desa, n_desa_reported,
        dpt, tps_rawan, share_rawan (a share of TPS, 0-1), one column per indicator code (TPS where it
        applies), one per variable code, and vars_ge_1 ... (TPS carrying at least k variables).
        """
        lc = self.level(level)
        rows = lc.select(within)
        cols: dict[str, pa.Array] = {
            "level": pa.array([level] * len(rows), pa.string()),
            "code": pa.array([lc.codes[r] for r in rows], pa.string()),
        }
        if regions is not None:
            cols["name"] = pa.array([_name(regions, lc.codes[r], lang) for r in rows], pa.string())
        for name, arr in (("n_tps", lc.n_tps), ("n_tps_reported", lc.n_reported), ("n_desa", lc.n_desa),
                          ("n_desa_reported", lc.n_desa_reported), ("dpt", lc.dpt), ("tps_rawan", lc.rawan)):
            cols[name] = pa.array(arr[rows].astype(np.int64))
        cols["share_rawan"] = pa.array(lc.share[rows])
        for j, code in enumerate(self.model.indicator_codes):
            cols[code] = pa.array(lc.indicators[rows, j].astype(np.int64))
        for j, code in enumerate(self.model.variable_codes):
            cols[code] = pa.array(lc.variables[rows, j].astype(np.int64))
        for k in range(len(self.model.variables)):
            cols[f"vars_ge_{k + 1}"] = pa.array(lc.at_least[rows, k].astype(np.int64))
        return pa.table(cols)


def _name(regions, code: str, lang: str) -> str:
    if code == NATION:
        return "Indonesia"
    try:
        return regions.get(code).name
    except Exception:
        return ""


def band_indicators(counts: np.ndarray, rule: BandRule) -> list[str | None]:
    """The band of each count under ``rule`` (see :class:`rawan.tps.model.BandRule`); None for 0."""
    c = np.asarray(counts, dtype=np.int64)
    out: list[str | None] = [None] * len(c)
    if not len(c) or c.max() <= 0:
        return out
    if rule.method == "share_of_max":
        mx = float(c.max())
        a, b = rule.cuts
        for j, v in enumerate(c):
            if v > 0:
                out[j] = BANDS[0] if v >= a * mx else BANDS[1] if v >= b * mx else BANDS[2]
        return out
    order = np.lexsort((np.arange(len(c)), -c))
    n1, n2 = rule.counts
    k = 0
    for j in order:
        if c[j] <= 0:
            break
        out[j] = BANDS[0] if k < n1 else BANDS[1] if k < n1 + n2 else BANDS[2]
        k += 1
    return out


def count_tps(checklist: Checklist, flags: TpsFlags | None = None) -> TpsCounts:
    """Counts at every level, from the checklist and its registry (see the module docstring).

    Per desa, each quantity is one ``bincount`` over the TPS (the yes cells only, for the indicators and
    variables); each level above is one ``reduceat`` of the desa sums, whose codes sort into blocks.
    """
    model, reg = checklist.model, checklist.registry
    flags = flags or tps_flags(checklist)
    n_ind, n_var = len(model.indicators), len(model.variables)
    n = len(reg)
    nd = len(reg.desa_codes)
    d = reg.desa_index
    ind = _per_desa(checklist.answers, d, nd)  # (indicators, desa)
    var = _per_desa(flags.variables, d, nd)  # (variables, desa)
    hist = np.bincount(flags.n_variables * nd + d, minlength=(n_var + 1) * nd).reshape(n_var + 1, nd)
    at_least = np.cumsum(hist[::-1], axis=0)[::-1][1:]  # row k-1: TPS with at least k variables
    rawan = np.bincount(d[flags.rawan], minlength=nd)
    reported = np.bincount(d[checklist.answered], minlength=nd)
    n_tps = np.diff(np.r_[reg.desa_starts, n]) if nd else np.zeros(0, np.int64)
    dpt = _sums(reg.table.column("dpt").to_numpy(zero_copy_only=False).astype(np.int64)[None, :], reg.desa_starts)[0] \
        if nd else np.zeros(0, np.int64)
    # one (quantities x desa) matrix: indicators | variables | at least k | rawan, TPS, reported, DPT, desa,
    # desa reported
    c = n_ind + 2 * n_var
    desa = np.empty((c + 6, nd), dtype=np.int64)
    desa[:n_ind], desa[n_ind:n_ind + n_var], desa[n_ind + n_var:c] = ind, var, at_least
    desa[c], desa[c + 1], desa[c + 2], desa[c + 3] = rawan, n_tps, reported, dpt
    desa[c + 4], desa[c + 5] = 1, reported > 0
    codes = np.asarray(reg.desa_codes, dtype="<U13")
    levels: dict[str, LevelCounts] = {}

    def make(level: str, codes_: list[str], mat: np.ndarray) -> LevelCounts:
        t = mat.T  # regions x quantities (a view)
        return LevelCounts(level, codes_, t[:, c + 1], t[:, c + 2], t[:, c + 4], t[:, c + 5], t[:, c + 3],
                           t[:, :n_ind], t[:, n_ind:n_ind + n_var], t[:, c], t[:, n_ind + n_var:c])

    levels["desa_kelurahan"] = make("desa_kelurahan", list(reg.desa_codes), desa)
    for level in ("kecamatan", "kabupaten_kota", "provinsi"):
        prefix = codes.astype(f"<U{PREFIX[level]}")  # truncating cast: the code one level up, all at once
        starts = np.flatnonzero(np.r_[True, prefix[1:] != prefix[:-1]]) if len(prefix) else np.empty(0, np.intp)
        levels[level] = make(level, prefix[starts].tolist(), _sums(desa, starts))
    levels["nasional"] = make("nasional", [NATION], desa.sum(axis=1, keepdims=True))
    return TpsCounts(model, reg.election, levels, reg.synthetic)
