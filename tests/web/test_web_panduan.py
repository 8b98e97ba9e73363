"""The Panduan (user guide) inside the app: every chapter in both languages, every link resolving,
every button or page a chapter names still present in the templates, every page's Bantuan link
landing on the right chapter and section, and the users' glossary agreeing with docs/glossary.md.

The screenshots themselves are retaken from a live demo in tests/web/test_web_panduan_shots.py
(slow tier)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urldefrag, urlsplit

import pytest
from django.urls import get_resolver

from rawan.web.panduan import chapters, glossary, shots

ROOT = Path(__file__).resolve().parents[2]
TEMPLATES = ROOT / "src" / "rawan" / "web" / "templates"
GUIDE = TEMPLATES / "rawan" / "panduan"
UI_REF = re.compile(r'{%\s*ui\s+"([a-z0-9-]+)"\s*%}')
SHOT_REF = re.compile(r'{%\s*shot\s+"([a-z0-9-]+)"\s*%}')
ATTR = re.compile(r'data-panduan="([a-z0-9-]+)"')


def _page_templates() -> list[Path]:
    """The app's own templates (the guide's templates do not count as a place a button exists)."""
    return [p for p in TEMPLATES.rglob("*.html") if GUIDE not in p.parents]


def _attributes() -> set[str]:
    return {m for p in _page_templates() for m in ATTR.findall(p.read_text(encoding="utf-8"))}


def _guide_templates() -> list[Path]:
    return sorted(GUIDE.rglob("*.html"))


def test_every_button_or_page_a_chapter_names_exists_in_a_template():
    present = _attributes()
    named = {(p.relative_to(GUIDE).as_posix(), ref) for p in _guide_templates()
             for ref in UI_REF.findall(p.read_text(encoding="utf-8"))}
    assert len(named) > 60
    missing = sorted(f"{page}: data-panduan=\"{ref}\"" for page, ref in named if ref not in present)
    assert not missing, "the guide names elements no template has any more: " + ", ".join(missing)
    for s in shots.SHOTS:  # and what each screenshot must find on its page
        assert set(s.refs) <= present and (not s.focus or s.focus in s.refs), s.name


def test_the_reference_check_catches_a_removed_attribute(tmp_path):
    page = (TEMPLATES / "rawan" / "entry_form.html").read_text(encoding="utf-8")
    assert 'data-panduan="kirim-isian"' in page
    without = ATTR.findall(page.replace('data-panduan="kirim-isian"', ""))
    assert "kirim-isian" not in without  # the scan above would then report the operator chapter


def test_each_chapter_in_both_languages_with_the_same_sections():
    for c in chapters.CHAPTERS:
        ids = {}
        for lang in ("id", "en"):
            text = (GUIDE / lang / f"{c.slug}.html").read_text(encoding="utf-8")
            ids[lang] = re.findall(r'<h2 id="([a-z0-9-]+)"', text)
            assert ids[lang], (c.slug, lang)
            for section in set(c.pages.values()):  # every page's Bantuan target exists
                assert f'id="{section}"' in text, (c.slug, lang, section)
            assert sorted(SHOT_REF.findall(text)) == sorted(SHOT_REF.findall(
                (GUIDE / "id" / f"{c.slug}.html").read_text(encoding="utf-8")))
        assert ids["id"] == ids["en"], c.slug
    names = {k for k in get_resolver().reverse_dict if isinstance(k, str)}  # included URL confs too
    for c in chapters.CHAPTERS:
        assert set(c.pages) <= names, set(c.pages) - names


def test_every_screenshot_is_shown_committed_and_small():
    shown = {n for p in _guide_templates() for n in SHOT_REF.findall(p.read_text(encoding="utf-8"))}
    assert shown == set(shots.BY_NAME), (shown ^ set(shots.BY_NAME))
    for s in shots.SHOTS:
        png = shots.FOLDER / f"{s.name}.png"
        width, height = shots.png_size(png)
        assert (width, height) == (1000, 640) and png.stat().st_size < 60_000, (s.name, width, png.stat().st_size)
    # package data: the wheel ships them
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"web/static/**/*"' in pyproject


class _Links(HTMLParser):
    def __init__(self):
        super().__init__()
        self.links: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if a.get("id"):
            self.ids.add(a["id"])
        for key in ("href", "src"):
            if a.get(key) and tag in ("a", "img", "link", "script"):
                self.links.append(a[key])


def _parse(html: str) -> _Links:
    p = _Links()
    p.feed(html)
    return p


@pytest.mark.parametrize("lang", ["id", "en"])
def test_every_link_in_the_guide_resolves(as_user, lang):
    c = as_user(None)
    c.cookies["django_language"] = lang
    todo, seen, pages = ["/panduan/"], set(), {}
    while todo:  # every page of the guide, following its own links
        url = todo.pop()
        if url in seen:
            continue
        seen.add(url)
        r = c.get(url)
        assert r.status_code == 200, (lang, url, r.status_code)
        pages[url] = _parse(r.content.decode("utf-8"))
        for link in pages[url].links:
            path = urldefrag(link)[0]
            if path.startswith("/panduan/") and path not in seen:
                todo.append(path)
    assert {"/panduan/", "/panduan/istilah/"} | {f"/panduan/{ch.slug}/" for ch in chapters.CHAPTERS} <= seen
    checked = 0
    for url, parsed in pages.items():
        for link in parsed.links:
            if urlsplit(link).scheme or link.startswith("//"):
                continue
            path, frag = urldefrag(link)
            path = path or url
            r = c.get(path)
            assert r.status_code in (200, 302), (lang, url, link, r.status_code)  # 302: the login page
            if frag and path in pages:
                assert frag in pages[path].ids, (lang, url, link)
            checked += 1
    assert checked > 100


def test_chapters_are_in_the_language_of_the_switch(as_user):
    c = as_user(None)
    assert "Mengisi formulir" in c.get("/panduan/operator/").content.decode()
    c.cookies["django_language"] = "en"
    page = c.get("/panduan/operator/").content.decode()
    assert "Filling in the form" in page and "Mengisi formulir" not in page
    assert c.get("/panduan/tidak-ada/").status_code == 404


@pytest.mark.parametrize("user,path,chapter,section", [
    ("admin", "/e/contoh-latihan-2026/kelola/", "admin", "status"),
    ("admin", "/pengguna/", "admin", "pengguna"),
    ("admin", "/kotak-masuk/", "admin", "peringatan"),
    ("verifier", "/kotak-masuk/", "verifikator", "kejadian-terbit"),
    ("op_kerinci", "/e/contoh-latihan-2026/entri/15.01/", "operator", "formulir"),
    ("op_kerinci", "/e/contoh-latihan-2026/entri/unggah/", "operator", "unggah"),
    ("verifier", "/e/contoh-latihan-2026/entri/", "verifikator", "antrean"),
    ("verifier", "/e/contoh-latihan-2026/entri/15.71/", "verifikator", "periksa"),
    ("viewer", "/e/contoh-ikp-2024-jambi/peringkat/", "pemantau", "peringkat"),
    ("viewer", "/e/contoh-ikp-2024-jambi/wilayah/15.01/", "pemantau", "wilayah"),
    ("pkd", "/tps/contoh-tps-pengumpulan-2026/desa/15.01.01.2001/", "pengawas-desa", "desa"),
    ("pkd", "/tps/contoh-tps-pengumpulan-2026/desa/15.01.01.2001/tps/1/", "pengawas-desa", "daftar-periksa"),
    ("panwascam", "/tps/contoh-tps-pengumpulan-2026/pengawasan/", "pengawas-desa", "pengawasan"),
    ("admin", "/tps/contoh-tps-pengumpulan-2026/pengawasan/", "admin", "tps"),
    (None, "/e/contoh-ikp-2024-jambi/", "jurnalis", "kategori"),
    (None, "/", "jurnalis", "mulai"),
])
def test_each_page_links_to_its_chapter_for_the_role(as_user, user, path, chapter, section):
    r = as_user(user).get(path)
    assert r.status_code == 200
    help_link = re.search(r'<a href="([^"]+)" data-panduan="bantuan">', r.content.decode())
    assert help_link and help_link.group(1) == f"/panduan/{chapter}/#{section}"
    target = as_user(user).get(f"/panduan/{chapter}/").content.decode()
    assert f'id="{section}"' in target


def test_glossary_agrees_with_docs_glossary():
    rows = {}
    for line in (ROOT / "docs" / "glossary.md").read_text(encoding="utf-8").splitlines():
        cells = [x.strip() for x in line.strip().strip("|").split("|")]
        if line.startswith("|") and len(cells) >= 2:
            rows[cells[0]] = cells[1].lower()
    words = {"IKP", "kerawanan", "rawan tinggi/sedang/rendah", "dimensi", "indikator", "TPS rawan", "PKD",
             "Panwascam", "mitigasi", "DATA CONTOH", "asumsi"}
    assert len(glossary.TERMS) == len(words)
    for t in glossary.TERMS:
        assert t.doc in rows, f"docs/glossary.md has no row {t.doc!r}"
        assert t.en_word.split(" (")[0].lower() in rows[t.doc], (t.slug, rows[t.doc])  # the same English word
        assert t.id_text and t.en_text and t.id_text != t.en_text


def test_glossary_page_and_the_words_linked_from_the_pages(as_user):
    c = as_user(None)
    page = c.get("/panduan/istilah/").content.decode()
    ids = _parse(page).ids
    assert {t.slug for t in glossary.TERMS} <= ids
    assert "Segala hal yang berpotensi mengganggu" in page
    region = c.get("/e/contoh-ikp-2024-jambi/wilayah/15.01/").content.decode()
    for slug in ("dimensi", "indikator", "asumsi", "data-contoh"):
        assert f'href="/panduan/istilah/#{slug}"' in region, slug
    assert 'href="/panduan/istilah/#kategori"' in c.get("/e/contoh-ikp-2024-jambi/").content.decode()
    assert 'href="/panduan/istilah/#kerawanan"' in c.get("/").content.decode()
    assert 'href="/panduan/istilah/#kategori"' in c.get("/e/contoh-ikp-2024-jambi/peringkat/").content.decode()
    assert 'href="/panduan/istilah/#mitigasi"' in as_user("admin").get("/e/contoh-ikp-2024-jambi/mitigasi/").content.decode()
    tps = as_user("panwascam").get("/tps/contoh-tps-pengumpulan-2026/pengawasan/").content.decode()
    assert 'href="/panduan/istilah/#pkd"' in tps and 'href="/panduan/istilah/#panwascam"' in tps
    assert 'href="/panduan/istilah/#tps-rawan"' in c.get("/tps/contoh-tps-pilkada-2024-jambi/").content.decode()
    c.cookies["django_language"] = "en"
    assert "Anything that may disrupt" in c.get("/panduan/istilah/").content.decode()
