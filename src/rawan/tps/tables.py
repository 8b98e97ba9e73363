"""The TPS registry and the checklists as Arrow tables, and their checked in-memory forms.

Two table schemas are the interchange format (files, the database, the web app):

- :data:`REGISTRY_SCHEMA` — one row per polling station of one election: ``election``, ``desa``
  (dotted Kemendagri desa/kelurahan code), ``tps`` (its number in the desa), ``address``, ``dpt``,
  optional ``lat``/``lon``, ``special`` (special-location TPS: prison, hospital, ...) and ``synthetic``
  (True = DATA CONTOH);
- :data:`CHECKLIST_SCHEMA` — one row per TPS and indicator: ``election``, ``desa``, ``tps``,
  ``indicator``, ``answer`` (yes/no) and ``note`` (the PKD's note for a yes).

:class:`Registry` holds a registry sorted by (desa, tps), so the TPS of every region are one
contiguous block; :class:`Checklist` holds the answers as a (TPS x indicator) boolean matrix aligned
with the registry.  Converting between them is vectorised (Arrow kernels and numpy, no per-row Python).
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from ..engine.errors import Problem
from .messages import TpsError
from .model import TpsModel

REGISTRY_SCHEMA = pa.schema([
    pa.field("election", pa.string(), nullable=False),
    pa.field("desa", pa.string(), nullable=False),
    pa.field("tps", pa.int32(), nullable=False),
    pa.field("address", pa.string()),
    pa.field("dpt", pa.int32(), nullable=False),
    pa.field("lat", pa.float64()),
    pa.field("lon", pa.float64()),
    pa.field("special", pa.bool_(), nullable=False),
    pa.field("synthetic", pa.bool_(), nullable=False),
])

CHECKLIST_SCHEMA = pa.schema([
    pa.field("election", pa.string(), nullable=False),
    pa.field("desa", pa.string(), nullable=False),
    pa.field("tps", pa.int32(), nullable=False),
    pa.field("indicator", pa.string(), nullable=False),
    pa.field("answer", pa.bool_(), nullable=False),
    pa.field("note", pa.string()),
])

MAX_TPS_NUMBER = 9999
DESA_PATTERN = r"^\d{2}\.\d{2}\.\d{2}\.\d{4}$"  # dotted Kemendagri desa/kelurahan code (fixed width)
_KEY = np.int64(MAX_TPS_NUMBER + 1)


def _conform(table: pa.Table, schema: pa.Schema, name: str) -> pa.Table:
    missing = [f.name for f in schema if f.name not in table.column_names
               and not f.nullable and f.name not in ("special", "synthetic")]
    if missing:
        raise TpsError(Problem("tps.table_columns", {"table": name, "missing": ", ".join(missing)}))
    cols = []
    n = table.num_rows
    for f in schema:
        if f.name in table.column_names:
            col = table.column(f.name)
            if col.type != f.type:
                col = col.cast(f.type)
        elif f.type == pa.bool_():
            col = pa.chunked_array([pa.array(np.zeros(n, dtype=bool))])
        else:
            col = pa.chunked_array([pa.nulls(n, type=f.type)])
        cols.append(col)
    return pa.Table.from_arrays(cols, schema=schema)


def tps_label(number: int) -> str:
    """'TPS 003' (KPU writes TPS numbers with three digits)."""
    return f"TPS {int(number):03d}"


@dataclass
class Registry:
    """A checked TPS registry of one election, sorted by (desa, tps)."""

    table: pa.Table
    election: str
    desa_codes: list[str] = field(repr=False)  # distinct desa codes, sorted
    desa_index: np.ndarray = field(repr=False)  # position in desa_codes of each TPS
    desa_starts: np.ndarray = field(repr=False)  # first TPS row of each desa

    @classmethod
    def from_table(cls, table: pa.Table, election: str | None = None) -> "Registry":
        """Check (one election, unique (desa, tps)) and sort; raises TpsError naming duplicates."""
        t = _conform(table, REGISTRY_SCHEMA, "registry")
        elections = pc.unique(t.column("election")).to_pylist()
        if election is None:
            election = elections[0] if elections else ""
        wrong = [e for e in elections if e != election]
        if wrong:
            raise TpsError(Problem("tps.election_mismatch", {"table": "registry", "found": wrong[0],
                                                              "expected": election}))
        bad = np.flatnonzero(~pc.match_substring_regex(t.column("desa"), DESA_PATTERN).to_numpy(zero_copy_only=False))
        if len(bad):
            raise TpsError([Problem("tps.registry_bad_desa", {"code": t.column("desa")[int(i)].as_py()})
                            for i in bad[:50]])
        tps_num = t.column("tps").to_numpy()
        bad = np.flatnonzero((tps_num < 1) | (tps_num > MAX_TPS_NUMBER))
        if len(bad):
            raise TpsError([Problem("tps.registry_bad_number", {"desa": t.column("desa")[int(i)].as_py(),
                                                                "tps": str(tps_num[i])}) for i in bad[:50]])
        t = t.sort_by([("desa", "ascending"), ("tps", "ascending")])
        enc = pc.dictionary_encode(t.column("desa")).combine_chunks()
        # sorted input: dictionary order is the sorted order of the distinct codes
        desa_codes = enc.dictionary.to_pylist()
        desa_index = enc.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        tps = t.column("tps").to_numpy()
        key = desa_index * _KEY + tps
        dup = np.flatnonzero(key[1:] == key[:-1])
        if len(dup):
            problems = []
            for i in dup[:50]:
                count = int(np.sum(key == key[i]))
                problems.append(Problem("tps.registry_duplicate", {"desa": desa_codes[desa_index[i]],
                                                                   "tps": tps_label(tps[i]), "count": count}))
            raise TpsError(problems)
        starts = np.flatnonzero(np.r_[True, desa_index[1:] != desa_index[:-1]]) if len(t) else np.empty(0, np.int64)
        return cls(table=t, election=election, desa_codes=desa_codes, desa_index=desa_index, desa_starts=starts)

    def __len__(self) -> int:
        return self.table.num_rows

    @property
    def keys(self) -> np.ndarray:
        """One int64 per TPS: desa position x 10000 + number (sorted, unique)."""
        return self.desa_index * _KEY + self.table.column("tps").to_numpy()

    def rows_of(self, desa: list[str] | np.ndarray | pa.Array, tps) -> np.ndarray:
        """Registry row of each (desa, tps) pair, -1 where the pair is not in the registry (vectorised)."""
        d = pa.array(desa, type=pa.string()) if not isinstance(desa, (pa.Array, pa.ChunkedArray)) else desa
        pos = pc.index_in(d, value_set=pa.array(self.desa_codes, type=pa.string())).fill_null(-1)
        if isinstance(pos, pa.ChunkedArray):
            pos = pos.combine_chunks()
        pos = pos.to_numpy(zero_copy_only=False).astype(np.int64)
        tps = np.asarray(tps, dtype=np.int64)
        key = pos * _KEY + tps
        keys = self.keys
        at = np.searchsorted(keys, key)
        at_c = np.minimum(at, max(len(keys) - 1, 0))
        found = (pos >= 0) & (tps > 0) & (len(keys) > 0) & (keys[at_c] == key) if len(keys) else np.zeros(len(key), bool)
        return np.where(found, at_c, -1)

    @property
    def synthetic(self) -> bool:
        return bool(pc.any(self.table.column("synthetic")).as_py() or False)

    def column(self, name: str) -> np.ndarray:
        return self.table.column(name).to_numpy(zero_copy_only=False)


def _rows_by_runs(registry: Registry, desa: pa.Array, tps: np.ndarray) -> np.ndarray:
    """:meth:`Registry.rows_of` looked up once per run of rows of the same TPS (a checklist table holds
    one row per indicator, usually together), then repeated over the run."""
    n = len(tps)
    if n == 0:
        return np.empty(0, dtype=np.int64)
    change = np.empty(n, dtype=bool)
    change[0] = True
    if n > 1:
        same_desa = pc.equal(desa.slice(1), desa.slice(0, n - 1)).fill_null(False).to_numpy(zero_copy_only=False)
        change[1:] = ~same_desa | (tps[1:] != tps[:-1])
    starts = np.flatnonzero(change)
    found = registry.rows_of(desa.take(pa.array(starts)), tps[starts])
    return np.repeat(found, np.diff(np.r_[starts, n]))


@dataclass
class Checklist:
    """The answers of one election's checklists, aligned with a :class:`Registry`.

    ``answers[i, j]``: TPS row ``i`` meets indicator ``j`` of the model; ``answered[i]``: the TPS has
    a checklist (a TPS without one counts in the registry totals, never as rawan); ``notes``: the
    notes of yes answers as an Arrow table (row, indicator position, note).
    """

    model: TpsModel
    registry: Registry
    answers: np.ndarray  # bool (n_tps, n_indicators)
    answered: np.ndarray  # bool (n_tps,)
    notes: pa.Table = field(default_factory=lambda: pa.table({"row": pa.array([], pa.int64()),
                                                              "indicator": pa.array([], pa.int16()),
                                                              "note": pa.array([], pa.string())}))

    @classmethod
    def empty(cls, model: TpsModel, registry: Registry) -> "Checklist":
        n = len(registry)
        return cls(model, registry, np.zeros((n, len(model.indicators)), dtype=bool), np.zeros(n, dtype=bool))

    @classmethod
    def from_table(cls, model: TpsModel, registry: Registry, table: pa.Table) -> "Checklist":
        """The answers of a :data:`CHECKLIST_SCHEMA` table (vectorised); TpsError for rows whose TPS is
        not in the registry, unknown indicators, other elections and repeated answers."""
        t = _conform(table, CHECKLIST_SCHEMA, "checklist")
        problems: list[Problem] = []
        elections = pc.unique(t.column("election")).to_pylist()
        wrong = [e for e in elections if e != registry.election]
        if wrong:
            raise TpsError(Problem("tps.election_mismatch", {"table": "checklist", "found": wrong[0],
                                                              "expected": registry.election}))
        ind = pc.index_in(t.column("indicator"), value_set=pa.array(model.indicator_codes))
        ind = ind.combine_chunks() if isinstance(ind, pa.ChunkedArray) else ind
        bad_ind = np.flatnonzero(ind.is_null().to_numpy(zero_copy_only=False))
        for i in bad_ind[:20]:
            problems.append(Problem("tps.unknown_indicator", {"code": t.column("indicator")[int(i)].as_py(),
                                                              "model": model.id,
                                                              "known": ", ".join(model.indicator_codes)}))
        rows = _rows_by_runs(registry, t.column("desa").combine_chunks(), t.column("tps").to_numpy())
        for i in np.flatnonzero(rows < 0)[:20]:
            problems.append(Problem("tps.checklist_unknown_tps", {"desa": t.column("desa")[int(i)].as_py(),
                                                                  "tps": tps_label(t.column("tps")[int(i)].as_py()),
                                                                  "election": registry.election}))
        if problems:
            raise TpsError(problems)
        j = ind.to_numpy(zero_copy_only=False).astype(np.int64)
        n_ind = len(model.indicators)
        cell = rows * n_ind + j
        n = len(registry)
        seen = np.bincount(cell, minlength=n * n_ind)  # answers per (TPS, indicator): more than one is an error
        if seen.max(initial=0) > 1:
            twice = np.flatnonzero(seen[cell] > 1)
            _, once = np.unique(cell[twice], return_index=True)  # one problem per (TPS, indicator)
            for i in twice[np.sort(once)][:20]:
                i = int(i)
                problems.append(Problem("tps.checklist_duplicate", {
                    "desa": t.column("desa")[i].as_py(), "tps": tps_label(t.column("tps")[i].as_py()),
                    "indicator": model.indicator_codes[j[i]]}))
            raise TpsError(problems)
        answers = np.zeros(n * n_ind, dtype=bool)
        answers[cell] = t.column("answer").to_numpy(zero_copy_only=False).astype(bool)
        answered = np.zeros(n, dtype=bool)
        answered[rows] = True
        note = t.column("note").combine_chunks()
        has = pc.and_(pc.is_valid(note), pc.not_equal(pc.utf8_length(pc.utf8_trim_whitespace(note.fill_null(""))), 0))
        has = has.to_numpy(zero_copy_only=False) & t.column("answer").to_numpy(zero_copy_only=False).astype(bool)
        k = np.flatnonzero(has)
        notes = pa.table({"row": pa.array(rows[k], pa.int64()), "indicator": pa.array(j[k].astype(np.int16)),
                          "note": note.take(pa.array(k))})
        return cls(model, registry, answers.reshape(n, n_ind), answered, notes)

    def to_table(self) -> pa.Table:
        """The answered TPS as a :data:`CHECKLIST_SCHEMA` table (one row per TPS and indicator)."""
        rows = np.flatnonzero(self.answered)
        n_ind = len(self.model.indicators)
        r = np.repeat(rows, n_ind)
        j = np.tile(np.arange(n_ind), len(rows))
        reg = self.registry.table
        note = np.full(len(r), None, dtype=object)
        if self.notes.num_rows:
            cell = self.notes.column("row").to_numpy() * n_ind + self.notes.column("indicator").to_numpy()
            where = np.searchsorted(r * n_ind + j, cell)
            note[where] = self.notes.column("note").to_numpy(zero_copy_only=False)
        return pa.table({
            "election": pa.array(np.full(len(r), self.registry.election, dtype=object), pa.string()),
            "desa": reg.column("desa").take(pa.array(r)),
            "tps": reg.column("tps").take(pa.array(r)),
            "indicator": pa.array(np.asarray(self.model.indicator_codes, dtype=object)[j], pa.string()),
            "answer": pa.array(self.answers[r, j]),
            "note": pa.array(note, pa.string()),
        }, schema=CHECKLIST_SCHEMA)

    def note_of(self, row: int, indicator: int) -> str | None:
        if not self.notes.num_rows:
            return None
        rr = self.notes.column("row").to_numpy()
        ii = self.notes.column("indicator").to_numpy()
        k = np.flatnonzero((rr == row) & (ii == indicator))
        return self.notes.column("note")[int(k[0])].as_py() if len(k) else None
