"""The web app serves the book (PDF, HTML) and the infographic of the real, results-only editions
(today's 404), built from their published rows and sources as ``rawan report`` builds them."""

from __future__ import annotations

import io

import pytest

REAL = "pilkada-2024-jambi"
KNOWN = "ikp-2024-jambi"  # the IKP 2024 scores known for Jambi: not a shipped file, read from its rows
PILKADA = [("Kabupaten Sarolangun", "26,05"), ("Kota Jambi", "22,3"), ("Kabupaten Tanjung Jabung Barat", "20,73"),
           ("Kabupaten Merangin", "15,19"), ("Kabupaten Batanghari", "15"), ("Kabupaten Tebo", "10"),
           ("Kabupaten Muaro Jambi", "6,91"), ("Kota Sungai Penuh", "6,51"), ("Kabupaten Kerinci", "6,32"),
           ("Kabupaten Tanjung Jabung Timur", "6,32"), ("Kabupaten Bungo", "2,3")]


@pytest.fixture
def media(settings, tmp_path):
    settings.STORAGES = {**settings.STORAGES, "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(tmp_path)}}}
    return tmp_path


def _pdf_text(data: bytes) -> str:
    from pypdf import PdfReader

    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(io.BytesIO(data)).pages)


@pytest.mark.django_db
def test_real_edition_pdf_names_every_kabkota_with_its_published_class(client, media, built):
    assert client.get(f"/e/{REAL}/unduh/laporan.pdf").status_code == 202  # queued for a worker
    r = built(client, f"/e/{REAL}/unduh/laporan.pdf")
    assert r.status_code == 200 and r["Content-Type"] == "application/pdf"
    body = b"".join(r.streaming_content)
    assert body[:5] == b"%PDF-"
    text = _pdf_text(body)
    for name, score in PILKADA:
        short = name.replace("Kabupaten ", "").replace("Kota ", "")
        assert short in text, name
        assert score in text, (name, score)
    assert "Rawan Tinggi" in text and "Bawaslu Provinsi Jambi" in text
    assert "41,63" in text and "41,36" in text  # both province figures, with their sources
    # kept through the storage API; again from there, with its ETag
    assert list(media.rglob("*.pdf"))
    again = client.get(f"/e/{REAL}/unduh/laporan.pdf")
    assert again["ETag"] == r["ETag"]
    assert client.get(f"/e/{REAL}/unduh/laporan.pdf", HTTP_IF_NONE_MATCH=r["ETag"]).status_code == 304


@pytest.mark.django_db
def test_real_edition_html_book_and_infographic(client, media, built):
    html = b"".join(built(client, f"/e/{REAL}/unduh/laporan.html").streaming_content).decode()
    assert "Sarolangun" in html and "26,05" in html and "DATA CONTOH" not in html
    r = built(client, f"/e/{REAL}/unduh/infografik.png")
    assert r.status_code == 200 and r["Content-Type"] == "image/png"
    assert b"".join(r.streaming_content)[:8] == b"\x89PNG\r\n\x1a\n"
    page = client.get(f"/e/{REAL}/").content.decode()
    for f in ("laporan.pdf", "laporan.html", "infografik.png"):
        assert f"/e/{REAL}/unduh/{f}" in page


@pytest.mark.django_db
def test_results_only_edition_without_a_shipped_file_gets_a_book_from_its_rows(client, media, built):
    body = b"".join(built(client, f"/e/{KNOWN}/unduh/laporan.pdf").streaming_content)
    text = _pdf_text(body)
    assert "Batanghari" in text and "61,18" in text and "Sungai Penuh" in text


@pytest.mark.django_db
def test_unpublished_editions_have_no_book(client, media):
    assert client.get("/e/contoh-latihan-2026/unduh/laporan.pdf").status_code == 404
    assert client.get("/e/contoh-latihan-2026/unduh/infografik.png").status_code == 404
    assert client.get(f"/e/{REAL}/unduh/laporan.docx").status_code == 404


NATIONAL = "ikp-2024-provinsi"


@pytest.mark.django_db
def test_national_province_edition_is_listed_with_its_map(client, media, built):
    import re

    home = client.get("/").content.decode()
    assert f'href="/e/{NATIONAL}/"' in home
    page = client.get(f"/e/{NATIONAL}/").content.decode()
    svg = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    drawn = set(re.findall(r'data-code="(\d{2})"', svg))
    assert len(drawn) == 38  # the 34 scored provinces and the four created in 2022
    assert "Tidak ada skor terpisah" in svg  # what the hatch of the four new provinces means
    assert "Rawan Tinggi: 5" in page and "Rawan Sedang: 21" in page and "Rawan Rendah: 8" in page
    assert "DATA CONTOH" not in page
    text = _pdf_text(b"".join(built(client, f"/e/{NATIONAL}/unduh/laporan.pdf").streaming_content))
    assert "88,95" in text and "Papua" in text
    r = client.get(f"/e/{NATIONAL}/unduh/peta.png")
    assert r.status_code == 200 and r.content[:4] == b"\x89PNG"
