"""The national IKP 2024 province edition, loaded into the web demo from the published edition shipped
with rawan (rawan.web.demo.edition_from_published): 34 provinces as published on a map of Indonesia."""

from __future__ import annotations

import re

import pytest

pytestmark = pytest.mark.django_db


def test_national_edition_rows_as_published():
    from rawan.web.editions.models import Edition

    ed = Edition.objects.get(slug="ikp-2024-provinsi")
    assert ed.results_only and ed.level == "provinsi" and not ed.synthetic
    rows = list(ed.results.filter(level="provinsi"))
    assert len(rows) == 34
    cats = [r.category for r in rows]
    assert (cats.count("tinggi"), cats.count("sedang"), cats.count("rendah")) == (5, 21, 8)
    assert {r.region_code: r.score for r in rows}["15"] == 12.03
    assert "Bawaslu RI" in ed.source and "2022" in ed.scale_note_en + ed.source


def test_national_edition_page_draws_indonesia(as_user):
    page = as_user(None).get("/e/ikp-2024-provinsi/").content.decode()
    assert len(set(re.findall(r'data-code="(\d\d)"', page))) == 38  # every province of today, 4 without a score
    assert page.count('data-value="tinggi"') == 5
