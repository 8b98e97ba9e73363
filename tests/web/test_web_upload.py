"""Excel/CSV upload through rawan.intake: all or nothing, problems named, scope enforced."""

from __future__ import annotations

import io

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"


@pytest.fixture
def template_csv(as_user, jambi_data):
    from rawan.engine import load_spec

    spec = load_spec("ikp-2024")
    header = ["kode", "nama", *spec.tree.indicators, "sumber"]

    def make(rows: dict[str, dict[str, str]], source="Rekap Panwascam") -> io.BytesIO:
        lines = [";".join(header)]
        for code, vals in rows.items():
            lines.append(";".join([code, "", *[vals.get(c, "") for c in spec.tree.indicators], source]))
        f = io.BytesIO(("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8"))
        f.name = "isian-kerinci.csv"
        return f

    return make


def test_template_download(as_user, jambi_data):
    r = as_user("op_kerinci").get(f"/e/{TRAIN}/entri/templat.xlsx")
    assert r.status_code == 200 and r.content[:2] == b"PK"
    assert as_user("viewer").get(f"/e/{TRAIN}/entri/templat.xlsx").status_code == 403
    assert as_user("verifier").get(f"/e/{TRAIN}/entri/templat.xlsx").status_code == 403


def _confirm(client, page: str):
    """Press "Apply the file" on the summary page."""
    import re

    sha = re.search(r'name="confirm" value="([0-9a-f]{64})"', page).group(1)
    name = re.search(r'name="file" value="([^"]+)"', page).group(1)
    return client.post(f"/e/{TRAIN}/entri/unggah/", {"confirm": sha, "file": name})


def test_upload_valid_file_becomes_a_draft_after_the_summary(as_user, template_csv, settings, tmp_path):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.entry.models import Submission

    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    op = as_user("op_kerinci")
    before = Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values
    r = op.post(f"/e/{TRAIN}/entri/unggah/", {"file": template_csv({"15.01": {"i01": "4", "i02": "12"}})})
    page = r.content.decode()
    assert r.status_code == 200 and "Periksa apa yang diubah berkas" in page and "Terapkan berkas" in page
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values == before  # not yet
    r = _confirm(op, page)
    assert r.status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    assert sub.status == "draft" and sub.values["i01"] == 4.0 and sub.values["i02"] == 12.0 and sub.values["i03"] is None
    assert sub.notes["i01"] == "Rekap Panwascam"
    e = AuditEntry.objects.filter(region_code="15.01", action="rawan.submission.imported").get()
    assert e.data["file"] == "isian-kerinci.csv" and len(e.data["sha256"]) == 64
    # the applied file is kept as evidence through the storage API, under its SHA-256
    import hashlib

    kept = tmp_path / e.data["stored"]
    assert e.data["stored"] == f"unggahan/{TRAIN}/{e.data['sha256']}.csv"
    assert hashlib.sha256(kept.read_bytes()).hexdigest() == e.data["sha256"]
    assert _confirm(op, page).status_code == 302  # a second click applies the same values: nothing new
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values == sub.values


def test_upload_keeps_source_notes_of_values_it_does_not_change(as_user, template_csv):
    from rawan.web.entry.models import Submission

    op = as_user("op_kerinci")
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    sub.values = {**sub.values, "i01": 2.0, "i02": 5.0, "i03": 1.0}
    sub.notes = {"i01": "BA Panwascam 12/3", "i02": "Laporan Polres", "i03": "Berita lokal"}
    sub.save()
    values = {c: ("" if v is None else f"{v:g}") for c, v in sub.values.items()}
    values.update(i02="6", i03="")  # i01 unchanged, i02 changed, i03 emptied
    r = op.post(f"/e/{TRAIN}/entri/unggah/", {"file": template_csv({"15.01": values}, source="Rekap 2026")})
    page = r.content.decode()
    assert r.status_code == 200
    assert "1 catatan sumber diganti" in page and "dikosongkan" in page
    assert _confirm(op, page).status_code == 302
    sub.refresh_from_db()
    assert sub.notes["i01"] == "BA Panwascam 12/3"  # kept: the file does not change i01
    assert sub.notes["i02"] == "Rekap 2026"  # replaced: the file changes i02
    assert "i03" not in sub.notes and sub.values["i03"] is None


def test_template_lists_only_the_operators_regions_with_current_values(as_user, jambi_data, tmp_path):
    import openpyxl

    from rawan.web.entry.models import Submission

    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    sub.values = {**sub.values, "i01": 7.0}
    sub.notes = {c: "Rekap Panwascam" for c, v in sub.values.items() if v is not None}
    sub.save()
    r = as_user("op_kerinci").get(f"/e/{TRAIN}/entri/templat.xlsx")
    path = tmp_path / "t.xlsx"
    path.write_bytes(r.content)
    ws = openpyxl.load_workbook(path)["Data"]
    rows = [[c.value for c in row] for row in ws.iter_rows(min_row=2) if row[0].value]
    assert [r[0] for r in rows] == ["15.01"]
    header = [str(c.value).split(" ")[0] for c in ws[1]]
    assert rows[0][header.index("i01")] == 7 and rows[0][header.index("sumber")] == "Rekap Panwascam"
    admin = tmp_path / "a.xlsx"
    admin.write_bytes(as_user("admin").get(f"/e/{TRAIN}/entri/templat.xlsx").content)
    assert openpyxl.load_workbook(admin)["Data"].max_row == 12  # the admin: all 11 kab/kota


def test_upload_bad_value_saves_nothing_and_names_the_place(as_user, template_csv):
    from rawan.web.entry.models import Submission

    before = Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values
    r = as_user("op_kerinci").post(f"/e/{TRAIN}/entri/unggah/", {"file": template_csv({"15.01": {"i01": "-3", "i05": "banyak"}})})
    assert r.status_code == 400
    page = r.content.decode()
    assert "isian-kerinci.csv" in page and "banyak" in page and "i05" in page
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values == before


def test_upload_outside_scope_or_submitted_is_refused(as_user, template_csv):
    from rawan.web.entry.models import Submission

    before = Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values
    r = as_user("op_kerinci").post(f"/e/{TRAIN}/entri/unggah/",
                                   {"file": template_csv({"15.01": {"i01": "17"}, "15.02": {"i01": "2"}})})
    assert r.status_code == 400 and "15.02" in r.content.decode()
    # one round: a bad value and a region outside the scope are listed together
    r = as_user("op_kerinci").post(f"/e/{TRAIN}/entri/unggah/",
                                   {"file": template_csv({"15.01": {"i05": "banyak"}, "15.02": {"i01": "2"}})})
    page = r.content.decode()
    assert r.status_code == 400 and "banyak" in page and "wilayah 15.02 di luar wilayah" in page
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.01").values == before
    r = as_user("op_kotajambi").post(f"/e/{TRAIN}/entri/unggah/", {"file": template_csv({"15.71": {"i01": "1"}})})
    assert r.status_code == 400  # Kota Jambi is already submitted
    assert as_user("viewer").post(f"/e/{TRAIN}/entri/unggah/", {"file": template_csv({})}).status_code == 403


def test_long_problem_lists_are_capped(as_user, jambi_data):
    f = io.BytesIO("kode;nama;i01\r\n15.01;Kerinci;1\r\n".encode("utf-8"))
    f.name = "sebagian.csv"
    r = as_user("op_kerinci").post(f"/e/{TRAIN}/entri/unggah/", {"file": f})
    page = r.content.decode()
    assert r.status_code == 400 and "masalah lainnya" in page and "rawan validate" in page
    assert page.count("<li>sebagian.csv") + page.count("<li>Berkas sebagian.csv") <= 25
