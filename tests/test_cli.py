"""The rawan command end to end, as a user runs it (in-process through ``main``, real exit codes;
tests/test_cli_entry.py runs the installed entry point)."""

from __future__ import annotations

import csv
import json

import pytest

from .conftest import ROOT, run_rawan

EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


def rawan(*args, cwd=None):
    return run_rawan(*args, cwd=cwd)


def test_compute_writes_csv_json_xlsx(tmp_path):
    for suffix in ("csv", "json", "xlsx"):
        out = tmp_path / f"hasil.{suffix}"
        code, stdout, stderr = rawan("compute", "--model", "contoh-mini", "--data", EXAMPLE_DATA, "--out", out)
        assert code == 0, stderr
        assert out.exists() and "DATA CONTOH" in stdout
        assert "bertumpu pada 2 asumsi model rawan" in stdout and "example-only" not in stdout
    rows = list(csv.DictReader(open(tmp_path / "hasil.csv", encoding="utf-8")))
    assert rows[0]["code"] == "15.03" and rows[0]["rank"] == "1" and rows[0]["category"] == "tinggi"
    doc = json.loads((tmp_path / "hasil.json").read_text(encoding="utf-8"))
    assert doc["synthetic"] and doc["regions"][0]["code"] == "15.03"


def test_compute_show_prints_ranking(tmp_path):
    code, stdout, _ = rawan("compute", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", tmp_path / "r.csv",
                            "--show")
    assert code == 0
    assert "Sarolangun" in stdout and "Tinggi" in stdout and "88,54" in stdout  # decimal comma in id
    code, stdout, _ = rawan("compute", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", tmp_path / "r.csv",
                            "--show", "--lang", "en")
    assert "High" in stdout and "88.54" in stdout


def test_errors_are_sentences_exit_2_no_traceback(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,k1,k2,p1,p2,p3\n15.01,1,dua,0,1,50\n", encoding="utf-8")
    code, stdout, stderr = rawan("compute", "-m", "contoh-mini", "-d", bad, "-o", tmp_path / "o.csv")
    assert code == 2
    assert "Traceback" not in stderr
    assert "baris 2, kolom C (k2)" in stderr and "'dua'" in stderr
    assert not (tmp_path / "o.csv").exists()  # nothing half-written
    code, _, stderr = rawan("compute", "-m", "contoh-mini", "-d", bad, "-o", tmp_path / "o.csv", "--lang", "en")
    assert code == 2 and "row 2, column C (k2)" in stderr
    code, _, stderr = rawan("compute", "-m", "nothing", "-d", bad, "-o", tmp_path / "o.csv")
    assert code == 2 and "tidak dikenal" in stderr
    code, _, stderr = rawan("compute", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", tmp_path / "o.txt")
    assert code == 2 and "o.txt" in stderr


def test_missing_indicator_column(tmp_path):
    bad = tmp_path / "bad.csv"
    bad.write_text("code,k1\n15.01,1\n", encoding="utf-8")
    code, _, stderr = rawan("compute", "-m", "contoh-mini", "-d", bad, "-o", tmp_path / "o.csv")
    assert code == 2 and stderr.count("Kesalahan") == 5 and "'c1'" in stderr and "bad.csv" in stderr


def _flat(text: str) -> str:
    """Printed text as one line: Rich wraps long lines, and a tree's wrapped lines carry its rules."""
    import re

    return " ".join(re.sub(r"[│├└─]", " ", text).split())


def test_model_check_and_show(tmp_path):
    code, stdout, _ = rawan("model", "check", "ikp-2024")
    assert code == 0 and "61 indikator" in stdout
    code, stdout, _ = rawan("model", "check", "contoh-mini", "--data", EXAMPLE_DATA)
    assert code == 0 and "5 wilayah" in stdout
    broken = tmp_path / "m.yaml"
    broken.write_text("id: x\ntitle: X\nhierarchy:\n"
                      "  - {code: r, name: R, type: aggregate}\n"
                      "  - {code: a, parent: r, name: A, type: indicator, weight: 0}\n"
                      "  - {code: a, parent: q, name: A, type: indicator}\n", encoding="utf-8")
    code, _, stderr = rawan("model", "check", broken)
    assert code == 2
    assert "'a'" in stderr and "'q'" in stderr and "lebih dari 0" in stderr
    code, stdout, _ = rawan("model", "show", "contoh-mini", "--lang", "en")
    flat = _flat(stdout)
    assert code == 0 and "(code kontestasi)" in flat and "weight 2" in flat
    assert "reversed direction (higher value = less vulnerable)" in flat
    assert "Everything in this model is an invented example" in flat and "example-only" not in flat


@pytest.mark.parametrize("model", ["ikp-2024", "ikp-2024-per-dpt", "ikp-2024-jumlah-indikator", "contoh-mini"])
def test_model_show_speaks_words_not_codes(model):
    """Assumptions in the model's own sentences and methods in words, in the chosen language; codes
    only where a user types them (a node's code, marked as a code)."""
    import re

    from rawan.engine import load_spec

    spec = load_spec(model)
    for lang, other in (("id", "en"), ("en", "id")):
        code, stdout, _ = rawan("model", "show", model, "--lang", lang)
        assert code == 0
        flat = _flat(stdout)
        for a in spec.assumptions:
            assert a.code not in flat, (lang, a.code)
            assert " ".join(a.text.get(lang).split()) in flat
        assert not re.search(r"\b(arithmetic|geometric|count|binary)\b" if lang == "id" else
                             r"\b(hitungan|bobot|rata-rata)\b", flat), lang
        ind = spec.tree.indicators[0]
        assert f"({'kode' if lang == 'id' else 'code'} {ind})" in flat


def test_explain(tmp_path):
    code, stdout, err = rawan("explain", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-r", "15.02")
    assert code == 0, err
    assert "Merangin" in stdout and "Rawan Sedang" in stdout and "Naik ke Rawan Tinggi" in stdout
    code, _, stderr = rawan("explain", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-r", "15.99")
    assert code == 2 and "'15.99'" in stderr


def test_help_lists_commands():
    code, stdout, _ = rawan("--help")
    assert code == 0
    for cmd in ("compute", "explain", "model", "demo"):
        assert cmd in stdout


def test_debug_shows_traceback_for_internal_errors(tmp_path, monkeypatch):
    from rawan import cli, engine

    def boom(*a, **k):
        raise ZeroDivisionError("x")

    monkeypatch.setattr(engine, "load_spec", boom)
    assert cli.main(["model", "show", "contoh-mini"]) == 1
    with pytest.raises(ZeroDivisionError):
        cli.main(["model", "show", "contoh-mini", "--debug"])
    cli.State.debug = False
