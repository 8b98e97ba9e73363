"""An edition's source text in the page's language (Edition.source / source_en): English pages show the
English text; where there is none they show the Indonesian one and say it is Indonesian only."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

EN = {"HTTP_COOKIE": "django_language=en"}  # the language cookie the language switch sets
ID = {"HTTP_COOKIE": "django_language=id"}


def _source_section(page: str) -> str:
    start = page.index('<section class="source"')
    return page[start:page.index("</section>", start)]


@pytest.mark.parametrize("slug", ["pilkada-2024-jambi", "ikp-2024-jambi", "ikp-2024-provinsi", "contoh-ikp-2024-jambi"])
def test_demo_and_real_editions_have_both_texts(slug):
    from rawan.web.editions.models import Edition

    ed = Edition.objects.get(slug=slug)
    assert ed.source and ed.source_en and ed.source != ed.source_en


def test_source_paragraph_follows_the_page_language(as_user):
    c = as_user(None)
    en = _source_section(c.get("/e/pilkada-2024-jambi/", **EN).content.decode())
    assert "launch of the Pilkada Serentak 2024 vulnerability mapping" in en and "peluncuran" not in en
    assert "Indonesian only" not in en
    id_ = _source_section(c.get("/e/pilkada-2024-jambi/", **ID).content.decode())
    assert "peluncuran Pemetaan Kerawanan Pilkada 2024" in id_ and "launch of" not in id_
    assert "Hanya tersedia" not in id_


def test_without_english_text_the_page_says_so(as_user):
    from rawan.web.editions.models import Edition

    Edition.objects.filter(slug="ikp-2024-jambi").update(source_en="")  # no edition file shipped for it
    c = as_user(None)
    en = _source_section(c.get("/e/ikp-2024-jambi/", **EN).content.decode())
    assert "Available in Indonesian only:" in en and '<span lang="id">Bawaslu RI, Indeks Kerawanan Pemilu' in en
    id_ = _source_section(c.get("/e/ikp-2024-jambi/", **ID).content.decode())
    assert "Hanya tersedia" not in id_ and "diluncurkan" in id_


def test_source_file_of_the_downloads_in_both_languages(as_user):
    c = as_user(None)
    text = c.get("/e/ikp-2024-jambi/unduh/sumber.txt", **EN).content.decode()
    assert "Election Vulnerability Index" in text and "diluncurkan" not in text
    assert "diluncurkan 16 Desember 2022" in c.get("/e/ikp-2024-jambi/unduh/sumber.txt", **ID).content.decode()


def test_api_gives_both_texts(as_user):
    body = as_user(None).get("/api/editions/pilkada-2024-jambi").json()
    assert body["source"].startswith("Bawaslu Provinsi Jambi, peluncuran")
    assert body["source_en"].startswith("Bawaslu Provinsi Jambi, launch")


def test_admin_edits_both_texts_in_the_settings_form(as_user):
    from rawan.web.editions.models import Edition, Status

    ed = Edition.objects.filter(status__in=[Status.DRAFT, Status.COLLECTING, Status.VERIFYING],
                                tps__isnull=True).first()
    admin = as_user("admin")
    form = admin.get(f"/e/{ed.slug}/kelola/pengaturan/").content.decode()
    assert 'name="source"' in form and 'name="source_en"' in form
    data = {"title": ed.title, "title_en": ed.title_en, "source": "Sumber uji, 2026.", "source_en": "Test source, 2026.",
            "window_start": "", "window_end": "", "previous": ed.previous.slug if ed.previous_id else "",
            "reference": ed.reference.slug if ed.reference_id else ""}
    assert admin.post(f"/e/{ed.slug}/kelola/pengaturan/", data).status_code == 302
    ed.refresh_from_db()
    assert (ed.source, ed.source_en) == ("Sumber uji, 2026.", "Test source, 2026.")
    assert ed.source_in("en") == ("Test source, 2026.", "en") and ed.source_in("id") == ("Sumber uji, 2026.", "id")


def test_tps_edition_page_source_in_english(as_user):
    admin = as_user("admin")
    page = admin.get("/tps/contoh-tps-pilkada-2024-jambi/", **EN).content.decode()
    assert "TPS and checklist answers made by a seeded random generator" in page and "bukan data KPU" not in page
    page = admin.get("/tps/contoh-tps-pilkada-2024-jambi/", **ID).content.decode()
    assert "bukan data KPU" in page


def test_bilingual_province_note_in_the_page_language(as_user):
    """A result note written "Indonesian / English" shows one half: numbers with the page's decimal mark."""
    c = as_user(None)
    en = c.get("/e/pilkada-2024-jambi/", **EN).content.decode()
    assert "Jambi Ekspres: 41.63" in en and "41,63" not in en
    id_ = c.get("/e/pilkada-2024-jambi/", **ID).content.decode()
    assert "Jambi Ekspres: 41,63" in id_ and "41.63;" not in id_
