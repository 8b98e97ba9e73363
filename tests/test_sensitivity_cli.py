"""rawan robustness end to end, as a user runs it (in-process through ``main``)."""

from __future__ import annotations

import csv
import json

import numpy as np

from .conftest import ROOT, run_rawan

EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


def rawan(*args, lang="id"):
    return run_rawan(*args, lang=lang)


def test_robustness_writes_tables_chart_and_audit(tmp_path):
    out = tmp_path / "rob"
    code, stdout, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "--out", out,
                                 "--runs", 300, "--seed", 4, "--sensitivity", 32, "--level", "kabupaten_kota")
    assert code == 0, stderr
    assert "DATA CONTOH" in stdout and "Bertahan" in stdout and "S1" in stdout
    for name in ("robustness-regions.csv", "robustness-plan.csv", "rank-intervals.svg", "rank-intervals.png",
                 "audit-indicators.csv", "audit-aggregates.csv", "audit-correlations.csv", "sensitivity.csv",
                 "robustness.json", "robustness.xlsx", "leave-one-out.csv", "sensitivity-regions.csv"):
        assert (out / name).exists(), name
    assert not list(out.glob("*.tmp"))
    rows = list(csv.DictReader(open(out / "robustness-regions.csv", encoding="utf-8")))
    assert rows[0]["code"] == "15.03" and rows[0]["rank"] == "1"
    assert all(r["catatan"].startswith("DATA CONTOH") for r in rows)
    assert abs(sum(float(rows[0][f"share_{c}"]) for c in ("rendah", "sedang", "tinggi")) - 1) < 1e-12
    meta = json.loads((out / "robustness.json").read_text(encoding="utf-8"))
    assert meta["runs"] == 300 and meta["seed"] == 4 and meta["synthetic"]
    assert meta["recipe"]["model"] == "contoh-mini"
    svg = (out / "rank-intervals.svg").read_text(encoding="utf-8")
    assert "DATA CONTOH" in svg and "Sarolangun" in svg


def test_plan_written_is_replayed_exactly(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    assert rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", a, "--runs", 50,
                 "--normalisation", "nominal;zscore(mean=50, sd=10)", "--leave-one-out")[0] == 0
    code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", b,
                            "--plan", a / "robustness-plan.csv")
    assert code == 0, stderr
    ta = list(csv.DictReader(open(a / "robustness-regions.csv", encoding="utf-8")))
    tb = list(csv.DictReader(open(b / "robustness-regions.csv", encoding="utf-8")))
    assert ta == tb
    plan = list(csv.DictReader(open(a / "robustness-plan.csv", encoding="utf-8")))
    assert {r["normalisation"] for r in plan} == {"nominal", "zscore(mean=50, sd=10)"}
    assert any(r["leave_out"] for r in plan)


def test_bad_plan_names_row_and_column(tmp_path):
    plan = tmp_path / "plan.csv"
    plan.write_text("run,normalisation,k1\n1,minmax,1\n2,minmax,-3\n", encoding="utf-8")
    code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", tmp_path / "o",
                            "--plan", plan, lang="en")
    assert code == 2
    assert "plan.csv" in stderr and "row 3" in stderr and "'k1'" in stderr
    assert not (tmp_path / "o").exists()


def test_zero_spread_gives_full_stability(tmp_path):
    out = tmp_path / "z"
    code, stdout, _ = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", out, "--runs", 20,
                            "--spread", 0, "--normalisation", "nominal")
    assert code == 0
    rows = list(csv.DictReader(open(out / "robustness-regions.csv", encoding="utf-8")))
    assert all(float(r["class_stability"]) == 1.0 for r in rows)
    assert all(r["rank_p05"] == r["rank_p95"] == r["rank"] for r in rows)
    assert np.isclose(json.loads((out / "robustness.json").read_text())["mean_abs_rank_shift"], 0.0)


def test_class_stability_maps(tmp_path):
    out = tmp_path / "m"
    code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", out, "--runs", 200,
                            "--level", "kabupaten_kota")
    assert code == 0, stderr
    svg = (out / "class-stability.svg").read_text(encoding="utf-8")
    assert "DATA CONTOH" in svg and "15.02" in svg  # Merangin: sedang in ~40% of runs, marked
    assert "bertahan" in svg.lower()
    assert (out / "class-instability-share.svg").exists()


def test_an_error_writes_nothing(tmp_path):
    out = tmp_path / "none"
    code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", out, "--runs", 50,
                            "--dirichlet", 30, "--sensitivity", 16, lang="en")
    assert code == 2 and "Dirichlet" in stderr
    assert not out.exists()


def test_workbook_holds_every_table(tmp_path):
    import openpyxl

    out = tmp_path / "x"
    assert rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", out, "--runs", 100,
                 "--sensitivity", 16, "--target", "rank:15.02")[0] == 0
    wb = openpyxl.load_workbook(out / "robustness.xlsx", read_only=True)
    assert wb.sheetnames == ["wilayah", "audit_indikator", "audit_agregat", "audit_korelasi",
                             "tanpa_satu_indikator", "sensitivitas", "sensitivitas_wilayah", "resep"]
    header = [c.value for c in next(wb["wilayah"].iter_rows(max_row=1))]
    assert header[:4] == ["code", "name", "score", "rank"] and header[-1] == "catatan"
    meta = json.loads((out / "robustness.json").read_text(encoding="utf-8"))
    assert meta["sensitivity"]["target"] == "rank:15.02"


def test_first_order_estimator_can_be_chosen(tmp_path):
    tables = {}
    for est in ("saltelli2010", "jansen"):
        out = tmp_path / est
        code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", out, "--runs", 50,
                                "--sensitivity", 64, "--first-order", est, "--level", "kabupaten_kota")
        assert code == 0, stderr
        tables[est] = list(csv.DictReader(open(out / "sensitivity.csv", encoding="utf-8")))
    first = [k for k in tables["jansen"][0] if k.lower() in ("s1", "first_order")][0]
    total = [k for k in tables["jansen"][0] if k.lower() in ("st", "total_order")][0]
    assert [r[total] for r in tables["jansen"]] == [r[total] for r in tables["saltelli2010"]]  # Jansen in both
    assert [r[first] for r in tables["jansen"]] != [r[first] for r in tables["saltelli2010"]]
    code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", tmp_path / "bad",
                            "--runs", 50, "--sensitivity", 16, "--first-order", "sobol", lang="en")
    assert code == 2 and "--first-order" in stderr and not (tmp_path / "bad").exists()


def test_all_weights_as_one_uncertain_input(tmp_path):
    out = tmp_path / "all"
    code, _, stderr = rawan("robustness", "-m", "contoh-mini", "-d", EXAMPLE_DATA, "-o", out, "--runs", 20,
                            "--sensitivity", 16, "--weight-groups", "all", "--level", "kabupaten_kota")
    assert code == 0, stderr
    rows = list(csv.DictReader(open(out / "sensitivity.csv", encoding="utf-8")))
    names = {r[next(iter(r))] for r in rows}
    assert "weights" in names and not any(n.startswith("weights_L") for n in names)
