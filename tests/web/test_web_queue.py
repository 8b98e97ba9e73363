"""The data-entry list as a work queue (filters, counts, sort, bulk approve/return with one
comment), the entry page's progress and section index, verifier actions at the top, and the event
form keeping what was typed."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"


def _submit_all(codes):
    from rawan.web.entry.models import Submission

    Submission.objects.filter(edition__slug=TRAIN, region_code__in=codes).update(status="submitted")


def test_queue_counts_filters_and_sorts(as_user):
    page = as_user("verifier").get(f"/e/{TRAIN}/entri/").content.decode()
    # demo: Kerinci a draft, Kota Jambi submitted, the other 9 verified
    assert re.search(r"Semua <strong>11</strong>", page) and re.search(r"Diajukan <strong>1</strong>", page)
    assert re.search(r"Terverifikasi <strong>9</strong>", page)
    only = as_user("verifier").get(f"/e/{TRAIN}/entri/?status=submitted").content.decode()
    assert "Kota Jambi" in only and "Kerinci" not in only and "Menampilkan 1 dari 11 wilayah" in only
    found = as_user("verifier").get(f"/e/{TRAIN}/entri/?q=batang").content.decode()
    assert "Batanghari" in found and "Kota Jambi" not in found
    by_status = as_user("verifier").get(f"/e/{TRAIN}/entri/?sort=status").content.decode()
    assert by_status.index("Kota Jambi") < by_status.index("Kerinci") < by_status.index("Batanghari")
    desc = as_user("verifier").get(f"/e/{TRAIN}/entri/?sort=code&order=desc").content.decode()
    assert desc.index("15.72") < desc.index("15.01")
    # operators see only their own regions, and no bulk verification
    op = as_user("op_kerinci").get(f"/e/{TRAIN}/entri/").content.decode()
    assert "Semua <strong>1</strong>" in op and 'name="region"' not in op


def test_bulk_approve_with_one_comment(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.entry.models import Submission

    _submit_all(["15.02", "15.03", "15.04"])
    v = as_user("verifier")
    page = v.get(f"/e/{TRAIN}/entri/?status=submitted").content.decode()
    assert page.count('name="region"') == 4  # Kota Jambi + the three
    r = v.post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02", "15.03", "15.04"], "action": "approve",
                                                 "comment": "Sesuai rekap", "back": "status=submitted"})
    assert r.status_code == 302 and r["Location"] == f"/e/{TRAIN}/entri/?status=submitted"
    assert set(Submission.objects.filter(edition__slug=TRAIN, region_code__in=["15.02", "15.03", "15.04"])
               .values_list("status", flat=True)) == {"verified"}
    logged = AuditEntry.objects.filter(edition__slug=TRAIN, action="rawan.submission.approved",
                                       data__reason="Sesuai rekap")
    assert sorted(e.region_code for e in logged) == ["15.02", "15.03", "15.04"]
    assert all(e.data["old"] == "submitted" and e.data["bulk"] == 3 for e in logged)
    # a second click: nothing is waiting any more, each is skipped and named
    v.post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02"], "action": "approve"})
    msg = v.get(f"/e/{TRAIN}/entri/").content.decode()
    assert "Dilewati" in msg and "(15.02)" in msg
    assert logged.count() == 3


def test_bulk_return_without_comment_keeps_the_selection_and_says_why(as_user):
    from rawan.web.entry.models import Submission

    _submit_all(["15.02", "15.03"])
    r = as_user("verifier").post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02", "15.03"], "action": "return",
                                                                   "comment": "  ", "status": "submitted"})
    page = r.content.decode()
    assert r.status_code == 400 and "Pengembalian memerlukan komentar" in page
    assert re.search(r'value="15.02" id="t_15.02" data-tick checked', page)
    assert re.search(r'value="15.03" id="t_15.03" data-tick checked', page)
    assert 'value="15.71" id="t_15.71" data-tick aria' in page  # not ticked before: still not ticked
    assert set(Submission.objects.filter(edition__slug=TRAIN, region_code__in=["15.02", "15.03"])
               .values_list("status", flat=True)) == {"submitted"}
    r = as_user("verifier").post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02"], "action": "return",
                                                                   "comment": "i05 tidak wajar"})
    assert r.status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.02")
    assert (sub.status, sub.comment) == ("returned", "i05 tidak wajar")


def test_bulk_verification_is_for_verifiers_in_scope(as_user):
    _submit_all(["15.02"])
    assert as_user("op_kerinci").post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02"],
                                                                        "action": "approve"}).status_code == 403
    assert as_user("viewer").post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02"],
                                                                    "action": "approve"}).status_code == 403
    assert as_user(None).post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["15.02"]}).status_code == 302
    r = as_user("verifier").post(f"/e/{TRAIN}/entri/verifikasi/", {"region": ["99.99"], "action": "approve"})
    assert r.status_code == 400  # not a region of the edition: nothing ticked


def test_entry_page_shows_progress_sections_and_verifier_actions_first(as_user):
    from rawan.web.entry.models import Submission

    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.71")  # submitted in the demo
    n = sum(1 for v in sub.values.values() if v is not None)
    page = as_user("verifier").get(f"/e/{TRAIN}/entri/15.71/").content.decode()
    assert re.search(rf"<strong data-filled-count>{n}</strong> dari 61 terisi", page)
    assert page.index('id="verifikasi"') < page.index('class="entry"')  # actions before the 61 fields
    assert page.count('<a href="#d_') == 4  # one link per dimension
    assert 'data-needs-comment="comment"' in page and "entry.js" in page


def test_return_without_comment_keeps_the_position_and_says_why(as_user):
    v = as_user("verifier")
    r = v.post(f"/e/{TRAIN}/entri/15.71/verifikasi/", {"action": "return", "comment": ""})
    assert r.status_code == 302 and r["Location"] == f"/e/{TRAIN}/entri/15.71/#verifikasi"
    page = v.get(r["Location"]).content.decode()
    assert 'id="comment-error"' in page and "Tidak ada yang dikembalikan" in page
    assert v.get(f"/e/{TRAIN}/entri/15.71/").content.decode().count('id="comment-error"') == 0  # said once


def test_event_form_keeps_what_was_typed_after_an_error(as_user):
    op = as_user("op_kerinci")
    typed = {"e_indicator": "i07", "e_severity": "berat", "e_date": "", "e_place": "15.01.02",
             "e_source": "Laporan PTPS 14", "e_description": "Intimidasi pemilih di TPS 3"}
    r = op.post(f"/e/{TRAIN}/entri/15.01/kejadian/", typed)
    assert r.status_code == 302 and r["Location"].endswith("#event-form")
    page = op.get(r["Location"]).content.decode()
    assert 'value="i07" selected' in page and 'value="berat" selected' in page
    assert 'value="15.01.02"' in page and 'value="Laporan PTPS 14"' in page
    assert "Intimidasi pemilih di TPS 3</textarea>" in page and "Isi tanggal kejadian" in page


def test_home_cards_show_edition_dates(as_user):
    page = as_user("admin").get("/").content.decode()
    assert re.search(r"Terbit \d{1,2} \w+ \d{4}", page) and re.search(r"Dibuat \d{1,2} \w+ \d{4}", page)
