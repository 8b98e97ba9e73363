"""The edition's registry and checklists between the database and ``rawan.tps``'s Arrow tables.

``registry_of`` / ``checklist_of`` read the database into the package's ``Registry`` and
``Checklist`` (one query each, vectorised conversion), so every count, list, map and press release
of the web app is the package's own computation; ``store_registry`` writes a registry (and
optionally its answers) into an edition, all or nothing.
"""

from __future__ import annotations

import json

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connections, transaction

from ...tps.tables import Checklist, Registry
from .models import DesaReport, ReportStatus, TpsEdition, TpsStation
from .services import model_of

_FIELDS = ("desa_code", "number", "address", "dpt", "lat", "lon", "special", "version")


def _rows(tps: TpsEdition) -> list[tuple]:
    """The edition's TPS as plain tuples, straight from the database cursor: at national scale
    (~426,000 TPS) the ORM's per-row work costs more than the query itself."""
    qs = TpsStation.objects.filter(edition=tps).order_by("desa_code", "number").values_list(*_FIELDS)
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def registry_of(tps: TpsEdition, rows: list[tuple] | None = None) -> Registry:
    rows = _rows(tps) if rows is None else rows
    cols = list(zip(*rows)) if rows else [[] for _ in _FIELDS]
    n = len(rows)
    table = pa.table({
        "election": pa.array([tps.election] * n, pa.string()),
        "desa": pa.array(cols[0], pa.string()),
        "tps": pa.array(cols[1], pa.int32()),
        "address": pa.array(cols[2], pa.string()),
        "dpt": pa.array(cols[3], pa.int32()),
        "lat": pa.array(cols[4], pa.float64()),
        "lon": pa.array(cols[5], pa.float64()),
        "special": pa.array(np.asarray(cols[6], dtype=bool)),  # SQLite's cursor gives 0/1
        "synthetic": pa.array([tps.synthetic] * n, pa.bool_()),
    })
    return Registry.from_table(table, election=tps.election)


def checklist_of(tps: TpsEdition) -> Checklist:
    """Every saved checklist; a desa that reported "tidak ada" counts as answered with no yes.

    One query for the TPS (no JSON decoded), one for the answers and notes of the TPS with a yes
    (their JSON parsed by Arrow), vectorised placement into the registry's order."""
    rows = _rows(tps)
    reg = registry_of(tps, rows)
    model = model_of(tps.edition)
    pos = {c: j for j, c in enumerate(model.indicator_codes)}
    none_desa = list(DesaReport.objects.filter(edition=tps, status=ReportStatus.NONE)
                     .values_list("desa_code", flat=True))
    n = len(rows)
    answers = np.zeros((n, len(pos)), dtype=bool)
    answered = np.zeros(n, dtype=bool)
    if rows:
        cols = list(zip(*rows))
        at = reg.rows_of(pa.array(cols[0], pa.string()), np.asarray(cols[1], dtype=np.int64))
        saved = np.asarray(cols[7], dtype=np.int64) > 0
        if none_desa:
            saved |= pc.is_in(pa.array(cols[0], pa.string()),
                              value_set=pa.array(none_desa, pa.string())).to_numpy(zero_copy_only=False)
        answered[at] = saved
    yes = _yes_rows(tps)
    notes = _place_answers(yes, reg, model.indicator_codes, answers)
    return Checklist(model, reg, answers, answered, notes)


def _yes_rows(tps: TpsEdition) -> list[tuple]:
    """(desa, number, answers JSON text, notes JSON text) of the TPS with at least one yes, from the cursor:
    decoding the JSON row by row is most of the time at national scale, so it is left to Arrow."""
    qs = TpsStation.objects.filter(edition=tps).exclude(answers=[]).values_list("desa_code", "number", "answers",
                                                                                  "notes")
    sql, params = qs.query.sql_with_params()
    with connections[qs.db].cursor() as cur:
        cur.execute(sql, params)
        return cur.fetchall()


def _json_text(v) -> str:
    return v if isinstance(v, str) else json.dumps(v)  # a driver that decoded the JSON itself


def _place_answers(yes: list[tuple], reg: Registry, codes: list[str], answers: np.ndarray) -> pa.Table:
    """Set ``answers`` from the yes rows and return the notes table (row, indicator, note), vectorised:
    the rows' JSON becomes one newline-delimited JSON document that Arrow's reader parses in C."""
    empty = pa.table({"row": pa.array([], pa.int64()), "indicator": pa.array([], pa.int16()),
                      "note": pa.array([], pa.string())})
    if not yes:
        return empty
    import pyarrow.json as pj

    at = reg.rows_of([r[0] for r in yes], np.fromiter((r[1] for r in yes), dtype=np.int64, count=len(yes)))
    doc = "\n".join(f'{{"a":{_json_text(r[2])},"n":{_json_text(r[3])}}}' for r in yes).encode("utf-8")
    schema = pa.schema([("a", pa.list_(pa.string())), ("n", pa.struct([(c, pa.string()) for c in codes]))])
    table = pj.read_json(pa.BufferReader(doc), parse_options=pj.ParseOptions(
        explicit_schema=schema, unexpected_field_behavior="ignore", newlines_in_values=True))
    a = table.column("a").combine_chunks()
    parent = pc.list_parent_indices(a).to_numpy(zero_copy_only=False)
    ind = pc.index_in(pc.list_flatten(a), value_set=pa.array(codes, pa.string()))
    ok = ind.is_valid().to_numpy(zero_copy_only=False)
    ind = ind.fill_null(0).to_numpy(zero_copy_only=False).astype(np.int64)
    answers[at[parent[ok]], ind[ok]] = True
    n = table.column("n").combine_chunks()
    rows, inds, texts = [], [], []
    for j, code in enumerate(codes):  # a note counts only beside a yes, as the page shows it
        text = n.field(code)
        has = pc.and_(text.is_valid(), pc.not_equal(text.fill_null(""), "")).to_numpy(zero_copy_only=False)
        has &= answers[at, j]
        k = np.flatnonzero(has)
        if len(k):
            rows.append(at[k]), inds.append(np.full(len(k), j)), texts.append(text.take(pa.array(k)))
    if not rows:
        return empty
    return pa.table({"row": pa.array(np.concatenate(rows), pa.int64()),
                     "indicator": pa.array(np.concatenate(inds), pa.int16()),
                     "note": pa.concat_arrays(texts).cast(pa.string())})


def store_registry(tps: TpsEdition, registry: Registry, desa_names: dict[str, str],
                   checklist: Checklist | None = None) -> int:
    """Write the registry's TPS (and the answers of ``checklist``, as version 1) and one report row
    per desa; all or nothing.  Returns the number of TPS."""
    t = registry.table
    desa = t.column("desa").to_pylist()
    number = t.column("tps").to_pylist()
    address = t.column("address").to_pylist()
    dpt = t.column("dpt").to_pylist()
    lat = t.column("lat").to_pylist()
    lon = t.column("lon").to_pylist()
    special = t.column("special").to_pylist()
    codes = checklist.model.indicator_codes if checklist is not None else []
    stations = []
    for k in range(len(desa)):
        st = TpsStation(edition=tps, desa_code=desa[k], kecamatan_code=desa[k][:8], kabkota_code=desa[k][:5],
                        number=number[k], address=address[k] or "", dpt=dpt[k], special=bool(special[k]),
                        lat=None if lat[k] is None or lat[k] != lat[k] else lat[k],
                        lon=None if lon[k] is None or lon[k] != lon[k] else lon[k])
        if checklist is not None and checklist.answered[k]:
            yes = np.flatnonzero(checklist.answers[k])
            st.answers = [codes[j] for j in yes]
            st.notes = {codes[j]: n for j in yes if (n := checklist.note_of(k, int(j)))}
            st.version = 1
        stations.append(st)
    reports = [DesaReport(edition=tps, desa_code=c, desa_name=desa_names.get(c, c), kecamatan_code=c[:8],
                          kabkota_code=c[:5]) for c in sorted(set(desa))]
    with transaction.atomic():
        TpsStation.objects.bulk_create(stations, batch_size=2000)
        DesaReport.objects.bulk_create(reports, batch_size=2000)
    return len(stations)
