"""The edition's registry and checklists between the database and ``rawan.tps``'s Arrow tables.

``registry_of`` / ``checklist_of`` read the database into the package's ``Registry`` and
``Checklist`` (one query each, vectorised conversion), so every count, list, map and press release
of the web app is the package's own computation; ``store_registry`` writes a registry (and
optionally its answers) into an edition, all or nothing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from django.db import connections, transaction

from ...tps.tables import Checklist, Registry
from .models import DesaReport, ReportStatus, TpsEdition, TpsStation
from .services import model_of

_FIELDS = ("desa_code", "number", "address", "dpt", "lat", "lon", "special", "version")
_TYPES = (pa.string(), pa.int64(), pa.string(), pa.int32(), pa.float64(), pa.float64(), pa.bool_(), pa.int64())


def _query_table(qs, types) -> pa.Table:
    """The rows of a ``values_list`` query as an Arrow table, without the ORM's per-row work (at national
    scale, ~426,000 TPS, it costs more than the query): PostgreSQL streams them with ``COPY ... TO STDOUT``
    into Arrow's CSV reader; SQLite's cursor hands over tuples.  JSON columns come as their text."""
    import pyarrow.csv as pacsv

    names = [f"c{k}" for k in range(len(types))]
    sql, params = qs.query.sql_with_params()
    conn = connections[qs.db]
    with conn.cursor() as cur:
        if conn.vendor == "postgresql":
            with cur.copy(f"COPY ({sql}) TO STDOUT WITH (FORMAT csv)", params) as copy:
                data = b"".join(bytes(chunk) for chunk in copy)
            if data:
                return pacsv.read_csv(pa.BufferReader(data), read_options=pacsv.ReadOptions(column_names=names),
                                      parse_options=pacsv.ParseOptions(newlines_in_values=True),
                                      convert_options=pacsv.ConvertOptions(
                                          column_types=dict(zip(names, types)), true_values=["t"], false_values=["f"],
                                          strings_can_be_null=True, quoted_strings_can_be_null=False))
            rows = []
        else:
            cur.execute(sql, params)
            rows = cur.fetchall()
    cols = list(zip(*rows)) if rows else [[] for _ in names]
    return pa.table({n: pa.array(np.asarray(c, dtype=bool)) if t == pa.bool_() else pa.array(c, t)  # SQLite: 0/1
                     for n, c, t in zip(names, cols, types)})


def _stations(tps: TpsEdition) -> pa.Table:
    return _query_table(TpsStation.objects.filter(edition=tps).order_by("desa_code", "number").values_list(*_FIELDS),
                        _TYPES)


def registry_of(tps: TpsEdition, rows: pa.Table | None = None) -> Registry:
    t = _stations(tps) if rows is None else rows
    n = t.num_rows
    table = pa.table({
        "election": pa.array([tps.election] * n, pa.string()),
        "desa": t.column(0),
        "tps": t.column(1).cast(pa.int32()),
        "address": t.column(2).fill_null(""),
        "dpt": t.column(3),
        "lat": t.column(4),
        "lon": t.column(5),
        "special": t.column(6),
        "synthetic": pa.array([tps.synthetic] * n, pa.bool_()),
    })
    return Registry.from_table(table, election=tps.election)


def checklist_of(tps: TpsEdition) -> Checklist:
    """Every saved checklist; a desa that reported "tidak ada" counts as answered with no yes.

    One query for the TPS (no JSON decoded), one for the answers and notes of the TPS with a yes
    (their JSON parsed by Arrow), vectorised placement into the registry's order."""
    rows = _stations(tps)
    reg = registry_of(tps, rows)
    model = model_of(tps.edition)
    none_desa = list(DesaReport.objects.filter(edition=tps, status=ReportStatus.NONE)
                     .values_list("desa_code", flat=True))
    n = rows.num_rows
    answers = np.zeros((n, len(model.indicator_codes)), dtype=bool)
    answered = np.zeros(n, dtype=bool)
    if n:
        desa = rows.column(0).combine_chunks()
        at = reg.rows_of(desa, rows.column(1).to_numpy())
        saved = rows.column(7).to_numpy() > 0
        if none_desa:
            saved |= pc.is_in(desa, value_set=pa.array(none_desa, pa.string())).to_numpy(zero_copy_only=False)
        answered[at] = saved
    yes = _query_table(TpsStation.objects.filter(edition=tps).exclude(answers=[])
                       .values_list("desa_code", "number", "answers", "notes"),
                       (pa.string(), pa.int64(), pa.string(), pa.string()))
    notes = _place_answers(yes, reg, model.indicator_codes, answers)
    return Checklist(model, reg, answers, answered, notes)


def _place_answers(yes: pa.Table, reg: Registry, codes: list[str], answers: np.ndarray) -> pa.Table:
    """Set ``answers`` from the yes rows (desa, number, answers JSON, notes JSON) and return the notes
    table (row, indicator, note), vectorised: the rows' JSON becomes one newline-delimited JSON document
    that Arrow's reader parses in C."""
    empty = pa.table({"row": pa.array([], pa.int64()), "indicator": pa.array([], pa.int16()),
                      "note": pa.array([], pa.string())})
    if not yes.num_rows:
        return empty
    import pyarrow.json as pj

    at = reg.rows_of(yes.column(0).combine_chunks(), yes.column(1).to_numpy())
    lines = pc.binary_join_element_wise('{"a":', yes.column(2).fill_null("[]"), ',"n":', yes.column(3).fill_null("{}"),
                                        "}", "")
    doc = "\n".join(lines.to_pylist()).encode("utf-8")
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
