"""TPS outputs in the web app: the police list (XLSX, PDF), maps, press-release draft and the API,
each equal to the edition's data."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db

PUB = "contoh-tps-pilkada-2024-jambi"
ALL = ["admin", "op_kerinci", "verifier", "viewer", "pkd", "panwascam", None]


def _rawan_in(prefix: str) -> int:
    from rawan.web.tps.models import TpsStation

    return TpsStation.objects.filter(edition__edition__slug=PUB, desa_code__startswith=prefix + ".").exclude(answers=[]).count()


def test_police_list_xlsx_has_one_row_per_tps_rawan(as_user):
    from openpyxl import load_workbook

    got = {n: as_user(n).get(f"/tps/{PUB}/unduh/daftar.xlsx?wilayah=15.72").status_code for n in ALL}
    assert got == {"admin": 200, "op_kerinci": 200, "verifier": 200, "viewer": 200, "pkd": 200, "panwascam": 200, None: 302}
    body = as_user("viewer").get(f"/tps/{PUB}/unduh/daftar.xlsx?wilayah=15.72").content
    ws = load_workbook(io.BytesIO(body)).active
    rows = [r for r in ws.iter_rows(values_only=True)]
    head = next(i for i, r in enumerate(rows) if r[0] == "No")
    data = [r for r in rows[head + 1:] if r[0] is not None]
    assert len(data) == _rawan_in("15.72") > 0
    assert any("DATA CONTOH" in str(r[0]) for r in rows[:head])
    # filtered by an indicator: only the TPS where it applies
    from rawan.web.tps.models import TpsStation

    n17 = sum(1 for a in TpsStation.objects.filter(edition__edition__slug=PUB, desa_code__startswith="15.72.")
              .values_list("answers", flat=True) if "i17" in a)
    body = as_user("viewer").get(f"/tps/{PUB}/unduh/daftar.xlsx?wilayah=15.72&indikator=i17").content
    rows = list(load_workbook(io.BytesIO(body)).active.iter_rows(values_only=True))
    head = next(i for i, r in enumerate(rows) if r[0] == "No")
    assert len([r for r in rows[head + 1:] if r[0] is not None]) == n17
    pdf = as_user("viewer").get(f"/tps/{PUB}/unduh/daftar.pdf?wilayah=15.72.01")
    assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
    assert as_user("viewer").get(f"/tps/{PUB}/unduh/daftar.xlsx?indikator=i99").status_code == 404
    assert as_user("viewer").get("/tps/tps-pilkada-2024-jambi/unduh/daftar.xlsx").status_code == 404  # results-only


def test_map_and_press_release(as_user):
    from rawan.reports.tps import fmt_int
    from rawan.web.tps.models import TpsStation

    page = as_user(None).get(f"/tps/{PUB}/peta/?tingkat=kecamatan&wilayah=15.01&nilai=persen&titik=1")
    assert page.status_code == 200 and "<svg" in page.content.decode() and "Persentase TPS rawan" in page.content.decode()
    svg = as_user(None).get(f"/tps/{PUB}/peta.svg?tingkat=kabupaten_kota")
    assert svg["Content-Type"].startswith("image/svg+xml") and b"Jumlah TPS rawan" in svg.content
    assert as_user(None).get(f"/tps/{PUB}/peta/?tingkat=provinsi").status_code == 404
    got = {n: as_user(n).get(f"/tps/{PUB}/siaran-pers/").status_code for n in ALL}
    assert got == {"admin": 200, "op_kerinci": 200, "verifier": 200, "viewer": 403, "pkd": 403, "panwascam": 200, None: 302}
    text = as_user("admin").get(f"/api/tps/editions/{PUB}/press-release").json()["markdown"]
    answers = TpsStation.objects.filter(edition__edition__slug=PUB).values_list("answers", flat=True)
    n05 = sum(1 for a in answers if "i05" in a)
    assert fmt_int(n05, "id") in text and "Jambi" in text  # every number from the data
    md = as_user("admin").get(f"/tps/{PUB}/siaran-pers/?wilayah=15.01&unduh=1")
    assert md["Content-Type"].startswith("text/markdown") and "Kerinci" in md.content.decode()


def test_api_counts_and_list(as_user):
    doc = as_user(None).get(f"/api/tps/editions/{PUB}/counts?level=kabupaten_kota").json()
    assert len(doc["rows"]) == 11 and doc["synthetic"] is True
    for r in doc["rows"]:
        assert r["tps_rawan"] == _rawan_in(r["code"])
    assert as_user(None).get(f"/api/tps/editions/{PUB}/list").status_code == 403
    lst = as_user("viewer").get(f"/api/tps/editions/{PUB}/list?wilayah=15.01.01").json()
    assert len(lst["rows"]) == _rawan_in("15.01.01") and lst["columns"][0] == "No"
