"""The web app: the region page states the reference, warns about misleading rules, shows effective
weights; an edition covering part of another is computed against that edition's frozen reference."""

from __future__ import annotations

import csv
import io
import json
import zipfile

PUB = "contoh-ikp-2024-jambi"


def test_region_page_shows_reference_and_effective_weights(as_user):
    page = as_user(None).get(f"/e/{PUB}/wilayah/15.01/").content.decode()
    assert "Bobot efektif setiap indikator dalam indeks (1,64%–1,64%; bobot ditetapkan per indikator)" in page
    assert "konstanta model" in page  # what the scale and class were computed against
    for url in (f"/e/{PUB}/", f"/e/{PUB}/peringkat/"):  # said on every page of the edition
        assert "konstanta model" in as_user(None).get(url).content.decode(), url
    en = as_user(None)
    en.cookies["django_language"] = "en"
    page_en = en.get(f"/e/{PUB}/wilayah/15.01/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "1.64%" in page_en or "1,64%" in page_en


def test_part_edition_is_computed_against_the_whole_editions_reference(as_user, tmp_path):
    from rawan.cli import main
    from rawan.web.editions import services
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import Submission

    whole = Edition.objects.get(slug=PUB)
    full = services.result_of(whole)
    part = Edition.objects.create(
        slug="bagian-kerinci-merangin", title="Bagian: Kerinci dan Merangin", synthetic=True,
        model_id=whole.model_id, model_yaml=whole.model_yaml, model_sha256=whole.model_sha256,
        level=whole.level, scope_code="15", regions=[r for r in whole.regions if r[0] in ("15.01", "15.02")],
        status="verifikasi", reference=whole)
    for code in ("15.01", "15.02"):
        i = full.region(code)
        Submission.objects.create(edition=part, region_code=code, status="verified",
                                  values={c: (None if v != v else float(v))
                                          for c, v in zip(full.indicators, full.data.values[i])})
    services.compute_preview(part)
    part.refresh_from_db()
    assert json.loads(part.reference_json)["n_regions"] == len(full.codes)
    for row in part.results.all():
        i = full.region(row.region_code)
        assert row.category == full.category(row.region_code)
        assert row.score == round(float(full.score("ikp")[i]), 6)  # stored to 6 decimals
    # the region page gives the rank within the reference beside the rank within the edition
    adm = as_user("admin")
    page = adm.get(f"/e/{part.slug}/wilayah/15.02/").content.decode()
    rank = int(full.rank()[full.region("15.02")])
    assert f"Peringkat {rank} dari {len(full.codes)} dalam referensi" in page
    assert "referensi tersimpan" in page
    # the published bundle carries the reference and reproduces with rawan compute --reference
    services.publish(part)
    part.refresh_from_db()
    files = zipfile.ZipFile(io.BytesIO(bytes(part.bundle)))
    files.extractall(tmp_path)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert "--reference reference.json" in manifest["reproduce"]
    out = tmp_path / "again.csv"
    assert main(["compute", "--model", str(tmp_path / "model.yaml"), "--data", str(tmp_path / "data.csv"),
                 "--level", manifest["level"], "--reference", str(tmp_path / "reference.json"),
                 "--out", str(out)]) in (0, None)
    assert out.read_bytes() == (tmp_path / "results.csv").read_bytes()
    rows = list(csv.DictReader(io.StringIO(out.read_text())))
    assert {r["code"] for r in rows} == {"15.01", "15.02"} and "rank_reference" in rows[0]


def test_reference_edition_must_share_model_and_level(as_user):
    from rawan.web.editions.models import Edition

    adm = as_user("admin")
    r = adm.post("/edisi/baru/", {"title": "Uji referensi", "model": "contoh-mini", "level": "kabupaten_kota",
                                  "scope": "15", "reference": PUB})
    assert r.status_code == 400
    assert "Edisi referensi harus memakai model dan tingkat yang sama." in r.content.decode()
    assert not Edition.objects.filter(title="Uji referensi").exists()


def test_kecamatan_edition_of_one_kabupaten_classes_as_the_province_wide_book(as_user, jambi_data):
    """The issue's case: Kerinci's kecamatan in a web edition of Kerinci alone get the classes of the
    province-wide kecamatan book made from the same rows (model constants: goalposts, fixed cut-offs)."""
    from rawan import demo
    from rawan.engine import Dataset, compute, load_spec
    from rawan.web.editions import services
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import Submission

    spec = load_spec("ikp-2024")
    kab, kec = demo.load_wilayah(jambi_data)
    d = demo.generate(spec, kab, kec)
    codes = [r.code for r in d.kecamatan]
    province = compute(spec, Dataset(codes=codes, columns=d.indicators, values=d.kecamatan_values,
                                     names=[r.name for r in d.kecamatan]))
    from rawan.engine.spec import resolve_model_path

    text = resolve_model_path("ikp-2024").read_text(encoding="utf-8")
    ed = Edition(slug="kecamatan-kerinci", title="Kecamatan Kerinci", synthetic=True, level="kecamatan",
                 scope_code="15.01", status="verifikasi",
                 regions=[[r.code, r.name] for r in d.kecamatan if r.parent == "15.01"])
    services.freeze_model(ed, text, "ikp-2024")
    ed.save()
    for i, r in enumerate(d.kecamatan):
        if r.parent == "15.01":
            Submission.objects.create(edition=ed, region_code=r.code, status="verified",
                                      values={c: (None if v != v else float(v))
                                              for c, v in zip(d.indicators, d.kecamatan_values[i])})
    services.compute_preview(ed)
    rows = list(ed.results.all())
    assert len(rows) == 18
    for row in rows:
        assert row.category == province.category(row.region_code), row.region_code
        assert row.score == round(float(province.score("ikp")[province.region(row.region_code)]), 6)
    nothing = [r.code for i, r in enumerate(d.kecamatan)
               if r.parent == "15.01" and all(v == 0 or v != v for v in d.kecamatan_values[i])]
    assert all(row.category == "rendah" for row in rows if row.region_code in nothing)
