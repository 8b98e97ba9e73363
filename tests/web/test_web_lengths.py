"""Over-long text: refused with a message naming the field, never stored (SQLite stored it,
PostgreSQL answered 500); the model guard makes any save the views missed fail on both alike."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"
URL = f"/e/{TRAIN}/entri/15.01/"


def test_model_guard_refuses_over_long_fields_on_every_database():
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import EventRecord
    from rawan.web.lengths import FieldTooLong

    ed = Edition.objects.get(slug=TRAIN)
    ed.title = "x" * 301
    with pytest.raises(FieldTooLong, match="Edition.title: 301 characters, at most 300"):
        ed.save()
    assert Edition.objects.get(slug=TRAIN).title != "x" * 301
    with pytest.raises(FieldTooLong, match="place_code"):
        EventRecord.objects.create(edition=Edition.objects.get(slug=TRAIN), region_code="15.01",
                                   place_code="15.01." + "9" * 100, indicator="i01", severity="berat", weight=1,
                                   date="2026-01-01", source="x")


def test_event_with_over_long_place_or_source_is_refused_with_a_message(as_user):
    from rawan.web.entry.models import EventRecord

    op = as_user("op_kerinci")
    base = {"e_indicator": "i01", "e_severity": "berat", "e_date": "2026-03-02", "e_source": "Laporan"}
    n = EventRecord.objects.count()
    r = op.post(URL + "kejadian/", {**base, "e_place": "15.01." + "1" * 1000}, follow=True)
    assert r.status_code == 200 and "Tempat harus berupa kode wilayah" in r.content.decode()
    r = op.post(URL + "kejadian/", {**base, "e_place": "15.01.01", "e_source": "s" * 501}, follow=True)
    assert r.status_code == 200 and "Sumber: paling banyak 500 karakter (sekarang 501)" in r.content.decode()
    r = op.post(URL + "kejadian/", {**base, "e_place": "15.01.01", "e_description": "d" * 2001}, follow=True)
    assert "Uraian: paling banyak 2000 karakter" in r.content.decode()
    assert EventRecord.objects.count() == n


def test_over_long_source_note_is_an_error_not_cut(as_user):
    from rawan.web.entry.models import Submission

    before = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    r = as_user("op_kerinci").post(URL, {"v_i01": "2", "n_i01": "n" * 1001, "action": "save"})
    assert r.status_code == 400 and "Catatan sumber sepanjang 1001 karakter; paling banyak 1000." in r.content.decode()
    after = Submission.objects.get(pk=before.pk)
    assert (after.values, after.notes) == (before.values, before.notes)


def test_model_file_with_an_over_long_name_is_a_form_error(as_user):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rawan.engine.spec import resolve_model_path

    f = SimpleUploadedFile("m" * 120 + ".yaml", resolve_model_path("ikp-2024").read_bytes())
    r = as_user("admin").post("/edisi/baru/", {"title": "Uji", "model_file": f, "level": "kabupaten_kota",
                                               "scope": "15"})
    assert r.status_code == 400 and "Nama berkas terlalu panjang" in r.content.decode()
