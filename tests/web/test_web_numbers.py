"""One string, four entrances: the engine (a data file), intake (an import), the web entry form and
the entry API read the same text in the same locale as the same value, or refuse it with the same
named problem.  Generated numbers in every shape people type them, and random text."""

from __future__ import annotations

import csv
import json

import pytest
from hypothesis import HealthCheck, assume, given, settings, strategies as st
from tests.conftest import examples

pytestmark = pytest.mark.django_db

MODEL = """\
id: uji-angka
version: "1.0"
title: {id: Uji angka, en: Number test}
scale: {min: 0, max: 100}
assumptions:
  - code: uji
    text: {id: Model uji., en: A test model.}
methods:
  default:
    imputation: {method: none}
    normalisation: {method: minmax, lower: 0, upper: 100}
    aggregation: {method: arithmetic}
categories:
  - rule: fixed
    cutoffs: [30, 60]
    labels: [rendah, sedang, tinggi]
    assumption: uji
hierarchy:
  - code: indeks
    name: {id: Indeks, en: Index}
    type: aggregate
  - code: s1
    parent: indeks
    name: {id: Skor, en: Score}
    type: indicator
    kind: score
"""


@st.composite
def typed_numbers(draw):
    """A number written as a person might: dot or comma decimals, dot/comma/space thousands, a
    sign or Unicode minus, a percent sign, spaces around."""
    whole = draw(st.integers(0, 10**8))
    decimals = draw(st.text(alphabet="0123456789", max_size=4))
    group = draw(st.sampled_from(["", ".", ",", " "]))
    mark = draw(st.sampled_from([".", ","]))
    digits = str(whole)
    if group:
        parts = []
        while digits:
            parts.insert(0, digits[-3:])
            digits = digits[:-3]
        digits = group.join(parts)
    text = digits + (mark + decimals if decimals else "")
    text = draw(st.sampled_from(["", "-", "\u2212", "+"])) + text
    text += draw(st.sampled_from(["", "", "%", " %"]))
    return draw(st.sampled_from(["", " "])) + text + draw(st.sampled_from(["", " "]))


TEXTS = st.one_of(typed_numbers(), st.text(alphabet="0123456789.,- %e\u2212aN", max_size=10),
                  st.sampled_from(["", "NA", "-", "tidak ada data", "1.234", "1,234", "1.234,5", "50%"]))


@pytest.fixture
def entrances(as_user, tmp_path):
    """Four functions text -> ("value", float | None) or ("problem", kind), for a locale."""
    from django.contrib.auth import get_user_model

    from rawan.engine import DataError, read_data
    from rawan.intake import import_file
    from rawan.web.accounts.models import ApiToken
    from rawan.web.editions.models import Edition, Status
    from rawan.web.editions.services import freeze_model, spec_of
    from rawan.web.entry.models import Submission

    user = get_user_model().objects.get(username="operator.kerinci")
    token = ApiToken.issue(user)[1]
    web, api = as_user("op_kerinci"), as_user(None)
    editions = {}
    for loc in ("id", "en"):
        ed = Edition(slug=f"uji-angka-{loc}", title="Uji angka", status=Status.COLLECTING, synthetic=True,
                     level="kabupaten_kota", scope_code="15", regions=[["15.01", "Kabupaten Kerinci"]], locale=loc)
        freeze_model(ed, MODEL, "uji-angka")
        ed.save()
        editions[loc] = ed
    spec = spec_of(editions["id"])

    def csv_file(text):
        path = tmp_path / "d.csv"
        with open(path, "w", encoding="utf-8", newline="") as f:
            csv.writer(f, quoting=csv.QUOTE_ALL).writerows([["code", "s1"], ["15.01", text]])
        return path

    def engine(text, loc):
        try:
            d = read_data(csv_file(text), ["s1"], locale=loc)
        except DataError as e:
            return "problem", e.problems[0].key.split(".")[-1]
        v = float(d.values[0, 0])
        return "value", None if v != v else v

    def intake(text, loc):
        try:
            r = import_file(csv_file(text), spec, locale=loc)
        except DataError as e:
            return "problem", e.problems[0].key.split(".")[-1]
        v = float(r.dataset.values[0, 0])
        return "value", None if v != v else v

    def stored(loc):
        return Submission.objects.get(edition=editions[loc], region_code="15.01").values.get("s1")

    def form(text, loc):
        r = web.post(f"/e/uji-angka-{loc}/entri/15.01/", {"v_s1": text, "action": "save"})
        if r.status_code == 400:
            return "problem", "not_a_number"  # the model's only way to refuse a score: not a number
        assert r.status_code == 302, r.status_code
        return "value", stored(loc)

    def rest(text, loc):
        r = api.put(f"/api/editions/uji-angka-{loc}/entries/15.01", json.dumps({"values": {"s1": text}, "notes": {}}),
                    content_type="application/json", HTTP_AUTHORIZATION=f"Bearer {token}")
        if r.status_code == 400:
            assert "s1" in json.loads(r.content)["fields"]
            return "problem", "not_a_number"
        assert r.status_code == 200, r.content
        return "value", json.loads(r.content)["values"]["s1"]

    return engine, intake, form, rest


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS, loc=st.sampled_from(["id", "en"]))
def test_same_text_same_locale_same_value_at_every_entrance(entrances, text, loc):
    from rawan.engine.numbers import NumberError, parse_number

    engine, intake, form, rest = entrances
    try:
        x = parse_number(text, loc)
        want = ("value", x)
    except NumberError as e:
        want = ("problem", e.kind)
    assume(want[0] == "problem" or want[1] is None or abs(want[1]) <= 1e12)  # the model's bounds: below
    got = {name: f(text, loc) for name, f in zip(("engine", "intake", "form", "api"), entrances)}
    from rawan.engine.pipeline import VALUE_MAX

    if want[0] == "value" and want[1] is not None and abs(want[1]) > VALUE_MAX:
        # read as the same number everywhere, and refused by the model's bound wherever it is checked
        # (the engine refuses it at compute; the form and API fixtures name every 400 "not_a_number")
        assert got["engine"] == want and got["intake"] == ("problem", "out_of_range"), (text, got)
        assert got["form"] == got["api"] == ("problem", "not_a_number"), (text, got)
        return
    assert set(got.values()) == {want}, (text, loc, got)


@settings(max_examples=examples(60), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=TEXTS)
def test_plain_files_without_a_locale_agree(entrances, text):
    """Files without a declared locale (engine and intake): "1.234" is the same named problem in both."""
    from rawan.engine.pipeline import VALUE_MAX

    engine, intake, _, _ = entrances
    read = engine(text, None)
    if read[0] == "value" and read[1] is not None and abs(read[1]) > VALUE_MAX:  # the model's bound
        assert intake(text, None) == ("problem", "out_of_range"), text
        return
    assert read == intake(text, None), text


def test_edition_locale_decides_at_the_form_and_api(entrances):
    engine, intake, form, rest = entrances
    assert form("1.234", "id") == rest("1.234", "id") == engine("1.234", "id") == ("value", 1234.0)
    assert form("1.234", "en") == rest("1.234", "en") == intake("1.234", "en") == ("value", 1.234)
    assert engine("1.234", None) == intake("1.234", None) == ("problem", "ambiguous_number")
    # a JSON number is a number, never re-read as text in the edition's locale
    assert rest(12.345, "id") == ("value", 12.345)


def test_values_past_the_models_bounds_are_refused_alike(entrances):
    """A number that parses but lies outside the engine's bounds for a score (+-1e12) is refused by
    intake, the form and the API alike; the engine's data reader leaves range checks to compute()."""
    engine, intake, form, rest = entrances
    assert engine("1e13", "en") == ("value", 1e13)
    assert intake("1e13", "en") == ("problem", "out_of_range")
    assert form("1e13", "en")[0] == rest("1e13", "en")[0] == "problem"


def test_every_download_serves_the_bundles_result_table(as_user):
    """CSV, XLSX, GeoJSON and the API carry the columns of the bundle's results.csv; the CSV download
    of a published computed edition is that file byte for byte, and its numbers read back unchanged."""
    import io
    import zipfile

    from openpyxl import load_workbook

    from rawan.engine.data import read_csv_columns
    from rawan.engine.numbers import parse_numbers

    slug = "contoh-ikp-2024-jambi"
    c = as_user(None)
    z = c.get(f"/e/{slug}/unduh/bundel.zip")
    assert z.status_code == 200
    bundle = zipfile.ZipFile(io.BytesIO(z.content))
    results = bundle.read("results.csv")
    header = results.decode().splitlines()[0].split(",")
    assert c.get(f"/e/{slug}/unduh/hasil.csv").content == results
    ws = load_workbook(io.BytesIO(c.get(f"/e/{slug}/unduh/hasil.xlsx").content))["hasil"]
    assert [x.value for x in ws[1]] == header
    api = json.loads(c.get(f"/api/editions/{slug}/results").content)["table"]
    assert api["columns"] == header and len(api["rows"]) == len(results.decode().splitlines()) - 1
    raw = read_csv_columns(results, "results.csv")
    idx = header.index(header[2])
    back = parse_numbers(raw.columns[idx], None)
    assert back.ok and back.values.tolist() == [row[idx] for row in api["rows"]]
    geo = c.get(f"/e/{slug}/unduh/hasil.geojson")
    assert geo.status_code == 200
    props = json.loads(geo.content)["features"][0]["properties"]
    assert list(props) == header
