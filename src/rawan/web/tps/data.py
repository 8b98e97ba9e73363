"""The edition's registry and checklists between the database and ``rawan.tps``'s Arrow tables.

``registry_of`` / ``checklist_of`` read the database into the package's ``Registry`` and
``Checklist`` (one query each, vectorised conversion), so every count, list, map and press release
of the web app is the package's own computation; ``store_registry`` writes a registry (and
optionally its answers) into an edition, all or nothing.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from django.db import transaction

from ...tps.tables import Checklist, Registry
from .models import DesaReport, ReportStatus, TpsEdition, TpsStation
from .services import model_of

_FIELDS = ("desa_code", "number", "address", "dpt", "lat", "lon", "special", "answers", "notes", "version")


def _rows(tps: TpsEdition) -> list[tuple]:
    return list(TpsStation.objects.filter(edition=tps).order_by("desa_code", "number").values_list(*_FIELDS))


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
        "special": pa.array(cols[6], pa.bool_()),
        "synthetic": pa.array([tps.synthetic] * n, pa.bool_()),
    })
    return Registry.from_table(table, election=tps.election)


def checklist_of(tps: TpsEdition) -> Checklist:
    """Every saved checklist; a desa that reported "tidak ada" counts as answered with no yes."""
    rows = _rows(tps)
    reg = registry_of(tps, rows)
    model = model_of(tps.edition)
    pos = {c: j for j, c in enumerate(model.indicator_codes)}
    none_desa = set(DesaReport.objects.filter(edition=tps, status=ReportStatus.NONE).values_list("desa_code", flat=True))
    answers = np.zeros((len(rows), len(pos)), dtype=bool)
    answered = np.zeros(len(rows), dtype=bool)
    note_rows, note_ind, note_text = [], [], []
    at = reg.rows_of([r[0] for r in rows], np.array([r[1] for r in rows], dtype=np.int64)) if rows else []
    for r, k in zip(rows, at):  # k: the TPS's row in the registry (its own order)
        answered[k] = r[9] > 0 or r[0] in none_desa
        for code in r[7]:
            answers[k, pos[code]] = True
            if r[8].get(code):
                note_rows.append(k), note_ind.append(pos[code]), note_text.append(r[8][code])
    notes = pa.table({"row": pa.array(note_rows, pa.int64()), "indicator": pa.array(note_ind, pa.int16()),
                      "note": pa.array(note_text, pa.string())})
    return Checklist(model, reg, answers, answered, notes)


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
