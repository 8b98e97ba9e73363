"""One vocabulary: category order, labels, palette and the DATA CONTOH mark come from
rawan.vocabulary, everywhere (engine output, maps, charts, reports, CLI, web)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from rawan import vocabulary as V

SRC = Path(V.__file__).resolve().parent


def test_labels_as_bawaslu_prints_them():
    assert V.CATEGORY_ORDER == ("tinggi", "sedang", "rendah")
    assert [V.category_label(c) for c in V.CATEGORY_ORDER] == ["Rawan Tinggi", "Rawan Sedang", "Rawan Rendah"]
    assert V.category_label("tinggi", "en") == "High vulnerability"
    assert V.category_label("sedang", "id", short=True) == "Sedang" and V.category_label("rendah", "en", short=True) == "Low"
    assert V.category_label(None) == "Tidak ada data" and V.category_label(None, short=True) == "–"
    assert V.category_label("lain") == "lain" and V.category_label("tinggi", "fr") == "Rawan Tinggi"
    assert set(V.CATEGORY_LABELS) == set(V.CATEGORY_SHORT) == set(V.CATEGORY_COLOURS) == set(V.CATEGORY_ORDER)
    assert V.synthetic_note("en") == "DATA CONTOH — synthetic data, not Bawaslu data"
    assert V.is_synthetic_mark(" data contoh ") and not V.is_synthetic_mark("DATA")


def test_every_layer_uses_the_one_table():
    from rawan.cli import ui
    from rawan.engine import output, spec
    from rawan.engine.data import SYNTHETIC_MARK
    from rawan.regions import CATEGORY_COLOURS, palette
    from rawan.regions.maptext import TEXT
    from rawan.reports import robustness_chart, text
    from rawan.reports.maps import category_colours
    from rawan.web.editions.templatetags import rawan_tags

    assert spec.CATEGORY_LABELS is V.CATEGORY_LABELS
    assert CATEGORY_COLOURS is V.CATEGORY_COLOURS and palette.CATEGORY_ORDER is V.CATEGORY_ORDER
    assert category_colours() == robustness_chart.COLOURS == {**V.CATEGORY_COLOURS, None: V.NO_DATA_EFFECTIVE}
    assert SYNTHETIC_MARK == V.SYNTHETIC_MARK and output.SYNTHETIC_NOTE == V.synthetic_note("id")
    assert TEXT["en"]["no_data"] == "No data" and TEXT["id"]["synthetic"] == V.SYNTHETIC_MARK
    for lang in ("id", "en"):
        for c in (*V.CATEGORY_ORDER, None):
            assert text.category_name(lang, c) == V.category_label(c, lang)
            assert text.category_short(lang, c) == V.category_label(c, lang, short=True)
    ui.State.lang = "en"
    try:
        assert ui.cat_label("tinggi") == "High vulnerability" and ui.cat_label("sedang", short=True) == "Medium"
        assert ui.cat_label(None) == "-"
    finally:
        ui.State.lang = "id"
    assert rawan_tags.catlabel("tinggi") in ("Rawan Tinggi", "High vulnerability")
    assert rawan_tags.contoh_mark() == "DATA CONTOH"


def test_web_stylesheet_uses_the_palette():
    css = (SRC / "web" / "static" / "rawan" / "rawan.css").read_text(encoding="utf-8")
    for code, colour in V.CATEGORY_COLOURS.items():
        assert re.search(rf"--{code}:\s*{colour}\b", css, re.I), f"rawan.css --{code} is not {colour}"


def _string_constants(tree: ast.AST):
    docstrings = set()
    for node in ast.walk(tree):
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef)) and node.body:
            first = node.body[0]
            if isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant):
                docstrings.add(id(first.value))
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docstrings:
            yield node


def test_the_mark_is_written_once():
    copies = []
    for path in SRC.rglob("*.py"):
        if path.name == "vocabulary.py" or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        copies += [f"{path.relative_to(SRC)}:{n.lineno}" for n in _string_constants(tree)
                   if V.SYNTHETIC_MARK in n.value]
    for path in [*SRC.rglob("*.html"), *SRC.rglob("*.typ"), *SRC.rglob("*.js")]:
        if V.SYNTHETIC_MARK in path.read_text(encoding="utf-8"):
            copies.append(str(path.relative_to(SRC)))
    assert not copies, f"use rawan.vocabulary.SYNTHETIC_MARK / synthetic_note() instead of: {copies}"


def test_no_other_category_colour_or_label_tables():
    found = []
    for path in SRC.rglob("*.py"):
        if path.name in ("vocabulary.py",) or "migrations" in path.parts:
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Dict):
                keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
                vals = [v.value for v in node.values if isinstance(v, ast.Constant) and isinstance(v.value, str)]
                if {"tinggi", "sedang", "rendah"} <= keys and vals:
                    found.append(f"{path.relative_to(SRC)}:{node.lineno}")
    assert not found, f"category tables outside rawan.vocabulary: {found}"


def test_vocabulary_imports_nothing_of_rawan():
    tree = ast.parse(Path(V.__file__).read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            assert node.level == 0 and not (node.module or "").startswith("rawan"), ast.dump(node)
        if isinstance(node, ast.Import):
            assert not any(a.name.startswith("rawan") for a in node.names)


@pytest.mark.parametrize("lang", ["id", "en"])
def test_rank_interval_chart_draws_with_the_palette(lang, tmp_path):
    from rawan.engine import load_spec, read_data, uncertainty
    from rawan.reports.robustness_chart import write_rank_interval_chart

    from .conftest import ROOT

    spec = load_spec("contoh-mini")
    ua = uncertainty(spec, read_data(ROOT / "examples" / "contoh-mini-data.csv", spec.tree.indicators), runs=40,
                     seed=2024, region_level="kabupaten_kota")
    (svg,) = write_rank_interval_chart(ua, tmp_path / "ri.svg", lang=lang, top=10)
    text = svg.read_text(encoding="utf-8")
    used = {c for c in V.CATEGORY_COLOURS.values() if c.lower() in text.lower()}
    present = {V.CATEGORY_COLOURS[c] for c in set(ua.table["category"].dropna())}
    assert present and present <= used
    assert V.synthetic_note(lang) in text or V.SYNTHETIC_MARK in text


def test_the_mark_has_one_red():
    css = (SRC / "reports" / "templates" / "report.css").read_text(encoding="utf-8")
    assert re.search(rf"--red:\s*{V.SYNTHETIC_COLOUR}\b", css, re.I)
    for name in ("report.typ", "infographic.typ"):
        typ = (SRC / "reports" / "templates" / name).read_text(encoding="utf-8")
        assert "#let red = rgb(doc.mark_colour)" in typ, name
    from rawan.regions import render_map

    svg = render_map({"15.01": "tinggi"}, level="kabupaten_kota", synthetic=True, boundaries="tiles")
    assert f'fill="{V.SYNTHETIC_COLOUR}">{V.SYNTHETIC_MARK}</text>' in svg
