"""Event records: validation and aggregation to indicator values (sum of severity weights)."""

from __future__ import annotations

import numpy as np
import pytest

from rawan.engine import DataError, load_spec
from rawan.intake import import_file, validate_file

from .intake_helpers import TinyRegions, write_csv, write_xlsx

EH = ["kode_wilayah", "indikator", "tingkat", "tanggal", "sumber", "uraian"]
EVENTS = [
    ["15.01.01.2001", "i01", "berat", "2024-11-20", "laporan pengawas desa", "bentrok"],
    ["15.01.01", "i01", "ringan", "21/11/2024", "media lokal", ""],
    ["15.01.02.2001", "i01", "Sedang", "2024-11-22", "polres", ""],
    ["15.01.02", "i05", "2", "2024-11-22", "polres", "intimidasi"],
    ["15.02", "i05", "ringan", "2024-11-23", "media", ""],
]


@pytest.fixture(scope="module")
def ikp():
    return load_spec("ikp-2024")


def test_events_aggregate_to_sum_of_severity_weights(tmp_path, ikp):
    r = import_file(write_csv(tmp_path / "e.csv", EH, EVENTS[:4]), ikp, regions=TinyRegions(), level="kecamatan")
    d = r.dataset
    assert r.provenance.kind == "kejadian" and r.provenance.events == 4 and r.provenance.level == "kecamatan"
    assert d.codes == ["15.01.01", "15.01.02"]  # every kecamatan of the list, with or without events
    i01, i05 = d.columns.index("i01"), d.columns.index("i05")
    # 15.01.01: berat (3) at a desa + ringan (1) at the kecamatan itself; 15.01.02: sedang (2)
    assert d.values[:, i01].tolist() == [4.0, 2.0]
    assert d.values[:, i05].tolist() == [0.0, 2.0]  # "2" = the second level (sedang)
    assert np.nansum(d.values) == 8.0


def test_events_at_kabkota_with_zeros_for_regions_without_events(tmp_path, ikp):
    r = import_file(write_csv(tmp_path / "e.csv", EH, EVENTS), ikp, regions=TinyRegions(), level="kabupaten_kota")
    d = r.dataset
    assert d.codes == ["15.01", "15.02", "15.03"]
    assert d.values[:, d.columns.index("i01")].tolist() == [6.0, 0.0, 0.0]
    assert d.values[:, d.columns.index("i05")].tolist() == [2.0, 1.0, 0.0]
    assert d.names[0] == "Kabupaten Kerinci"


def test_default_level_is_the_coarsest_and_no_list_warns(tmp_path, ikp):
    r = import_file(write_csv(tmp_path / "e.csv", EH, EVENTS), ikp)
    assert r.provenance.level == "kabupaten_kota" and r.dataset.codes == ["15.01", "15.02"]
    assert [w.key for w in r.warnings] == ["intake.no_regions_given"]


def test_event_above_the_level_is_refused(tmp_path, ikp):
    with pytest.raises(DataError) as e:
        import_file(write_csv(tmp_path / "e.csv", EH, EVENTS), ikp, regions=TinyRegions(), level="kecamatan")
    (p,) = e.value.problems
    assert p.key == "intake.level_above" and p.params["row"] == 6 and p.params["value"] == "15.02"
    assert p.params["column"] == "A"


def test_event_problems_all_named(tmp_path, ikp):
    rows = [list(r) for r in EVENTS]
    rows[0][1] = "i99"
    rows[1][2] = "parah"
    rows[2][3] = "31/02/2024"
    rows[3][4] = ""
    rows[4][0] = "15.09"
    probs = validate_file(write_xlsx(tmp_path / "e.xlsx", EH, rows), ikp, regions=TinyRegions())
    got = {p.key: p.params for p in probs}
    assert set(got) == {"intake.unknown_indicator", "intake.unknown_severity", "intake.bad_date",
                        "intake.empty_value", "intake.unknown_region"}
    assert (got["intake.unknown_indicator"]["row"], got["intake.unknown_indicator"]["column"]) == (2, "B")
    assert got["intake.unknown_severity"]["expected"] == "ringan, sedang, berat"
    assert got["intake.bad_date"]["value"] == "31/02/2024"
    assert (got["intake.empty_value"]["row"], got["intake.empty_value"]["header"]) == (5, "sumber")
    assert got["intake.unknown_region"]["row"] == 6


def test_missing_event_column(tmp_path, ikp):
    probs = validate_file(write_csv(tmp_path / "e.csv", EH[:3], [r[:3] for r in EVENTS]), ikp)
    assert sorted(p.params["column"] for p in probs) == ["sumber", "tanggal"]


def test_events_need_count_or_binary_indicators(tmp_path):
    spec = load_spec("contoh-mini")  # p3 is a rate
    rows = [["15.01", "p3", "1", "2024-01-01", "x", ""], ["15.01", "k1", "1", "2024-01-01", "x", ""]]
    probs = validate_file(write_csv(tmp_path / "e.csv", EH, rows), spec)
    assert [p.key for p in probs] == ["intake.indicator_not_event"]
    rows.pop(0)
    d = import_file(write_csv(tmp_path / "f.csv", EH, rows), spec).dataset
    assert d.values[0, d.columns.index("k1")] == 1.0  # without severity levels every event weighs 1
    assert np.isnan(d.values[0, d.columns.index("p3")])


def test_excel_dates_and_binary_indicators(tmp_path):
    import datetime as dt

    spec = load_spec("contoh-mini")  # p2 is binary: any event -> 1
    rows = [["15.01", "p2", 1, dt.date(2024, 11, 27), "x", ""], ["15.01", "p2", 1, dt.date(2024, 11, 28), "x", ""]]
    d = import_file(write_xlsx(tmp_path / "e.xlsx", EH, rows), spec).dataset
    assert d.values[0, d.columns.index("p2")] == 1.0
