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


def test_upload_valid_file_becomes_a_draft(as_user, template_csv):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.entry.models import Submission

    r = as_user("op_kerinci").post(f"/e/{TRAIN}/entri/unggah/", {"file": template_csv({"15.01": {"i01": "4", "i02": "12"}})})
    assert r.status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    assert sub.status == "draft" and sub.values["i01"] == 4.0 and sub.values["i02"] == 12.0 and sub.values["i03"] is None
    assert sub.notes["i01"] == "Rekap Panwascam"
    e = AuditEntry.objects.filter(region_code="15.01", action="rawan.submission.imported").get()
    assert e.data["file"] == "isian-kerinci.csv" and len(e.data["sha256"]) == 64


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
