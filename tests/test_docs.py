"""Docs agree with the code: every method, every model field, the CLI reference, every link."""

from __future__ import annotations

import re

import pytest

from rawan.engine import methods as M
from rawan.engine.spec import CategoryRule, Node, Spec

from .conftest import ROOT

DOCS = ROOT / "docs"
STEP_PAGES = {"imputation": "02-imputation.md", "normalisation": "03-normalisation.md",
              "aggregation": "04-aggregation.md", "classification": "05-classification.md"}


@pytest.mark.parametrize("step", M.STEPS)
def test_every_method_documented_with_its_parameters(step):
    page = (DOCS / "pipeline" / STEP_PAGES[step]).read_text(encoding="utf-8")
    for name, method in M.REGISTRY[step].items():
        assert f"### `{name}`" in page, f"{name} missing from {STEP_PAGES[step]}"
        section = page.split(f"### `{name}`", 1)[1].split("\n### ", 1)[0]
        for param in method.params:
            assert f"`{param}`" in section, f"parameter {param} of {name} undocumented"


def test_every_model_field_documented():
    page = (DOCS / "model-format.md").read_text(encoding="utf-8")
    for model in (Spec, Node, CategoryRule):
        for field in model.model_fields:
            if field == "level":  # only from COINr iMeta tables, documented there as `Level`
                assert "`Level`" in page
                continue
            assert re.search(rf"\b{field}\b", page), f"{model.__name__}.{field} undocumented"


def test_cli_reference_is_current():
    from rawan.cli.reference import render

    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), \
        "docs/cli.md is stale: run  python -m rawan.cli.reference > docs/cli.md"


def test_relative_links_resolve():
    pages = [ROOT / "README.md", *DOCS.rglob("*.md"), *(ROOT / "src" / "rawan" / "models").glob("*.md")]
    for page in pages:
        for target in re.findall(r"\]\(([^)#\s]+)", page.read_text(encoding="utf-8")):
            if "://" in target:
                continue
            assert (page.parent / target).exists(), f"{page.relative_to(ROOT)} links to missing {target}"


def test_glossary_lists_the_words_users_see():
    text = (DOCS / "glossary.md").read_text(encoding="utf-8")
    for word in ("rawan tinggi", "kerawanan", "indikator", "dimensi", "kelengkapan", "peringkat", "TPS",
                 "data contoh", "kode wilayah"):
        assert word.lower() in text.lower(), word


def test_results_page_example_is_real_output():
    from rawan.engine import compute, load_spec, output, read_data

    spec = load_spec("contoh-mini")
    csv = output.to_csv(compute(spec, read_data(ROOT / "examples" / "contoh-mini-data.csv",
                                                spec.tree.indicators)))
    page = (DOCS / "pipeline" / "08-results-and-recipe.md").read_text(encoding="utf-8")
    for line in csv.splitlines():
        assert line.split(',"DATA CONTOH')[0] in page, line


def test_cli_reference_lists_every_command():
    import typer

    from rawan.cli import app
    from rawan.cli.reference import COMMANDS

    def walk(cmd, prefix):
        yield prefix
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            yield from walk(sub, [*prefix, name])

    found = sorted(walk(typer.main.get_command(app), []))
    assert sorted(COMMANDS) == found
