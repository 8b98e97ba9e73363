"""The seeded Jambi demo: synthetic, reproducible, consistent across levels, marked DATA CONTOH."""

from __future__ import annotations

import csv

import numpy as np
import pytest

from rawan import demo
from rawan.engine import Dataset, compute, load_spec, read_data

from .test_cli import rawan


@pytest.fixture(scope="module")
def spec():
    return load_spec("ikp-2024")


def test_fresh_clone_builds_both_levels_from_the_shipped_list(spec, tmp_path, monkeypatch):
    monkeypatch.setenv("RAWAN_DATA_DIR", str(tmp_path / "empty-userdata"))  # nothing fetched, no ../shared
    monkeypatch.delenv("RAWAN_SHARED_DATA", raising=False)
    files = demo.build(spec, tmp_path / "out")
    assert [f.name for f in files] == ["jambi-kabkota.csv", "jambi-kecamatan.csv"]
    data = read_data(files[0], spec.tree.indicators)
    assert data.codes == [c for c, _ in demo.JAMBI_KABKOTA] and data.synthetic
    assert data.values.shape == (11, 61) and not np.isnan(data.values).any()
    assert len(read_data(files[1], spec.tree.indicators).codes) == 144


def test_built_in_kabkota_names_match_the_shipped_list():
    from rawan.regions import load_regions

    assert [(r.code, r.name) for r in load_regions(province="15").at_level("kabupaten_kota")] == demo.JAMBI_KABKOTA


def test_seeded_and_reproducible(spec):
    a = demo.generate(spec, seed=5)
    b = demo.generate(spec, seed=5)
    c = demo.generate(spec, seed=6)
    assert np.array_equal(a.kabkota_values, b.kabkota_values)
    assert not np.array_equal(a.kabkota_values, c.kabkota_values)


def test_jambi_demo_with_region_list(spec, jambi_data, tmp_path):
    files = demo.build(spec, tmp_path, regions=jambi_data)
    assert [f.name for f in files] == ["jambi-kabkota.csv", "jambi-kecamatan.csv"]
    kab = read_data(files[0], spec.tree.indicators)
    kec = read_data(files[1], spec.tree.indicators)
    assert len(kab.codes) == 11 and len(kec.codes) == 144
    assert kab.synthetic and kec.synthetic
    assert all(r["data_contoh"] == "DATA CONTOH" for r in csv.DictReader(open(files[1], encoding="utf-8")))
    # kecamatan values add up to their kab/kota (before the ~1 % blanked as unreported)
    d = demo.generate(spec, *demo.load_wilayah(jambi_data), missing_share=0.0)
    for k, kab_region in enumerate(d.kabkota):
        rows = [i for i, r in enumerate(d.kecamatan) if r.parent == kab_region.code]
        assert np.array_equal(d.kecamatan_values[rows].sum(axis=0), d.kabkota_values[k])
    blank = np.isnan(kec.values).mean()
    assert 0 < blank < 0.03
    r = compute(spec, kec)
    assert r.region_level == "kecamatan" and "ikp" in r.categories
    s = r.score("ikp")
    cats = r.categories["ikp"]
    # the model's stated cut-offs, not the table's mean +/- SD: a class means the same in any table
    assert r.reference.kind == "model"
    np.testing.assert_array_equal(cats.cutoffs, spec.category_rules("kecamatan")[0].params["cutoffs"])
    assert (cats.classes == 1).sum() == ((s >= cats.cutoffs[0]) & (s < cats.cutoffs[1])).sum() > 0
    nothing = np.all(np.nan_to_num(kec.values) == 0, axis=1)
    assert nothing.sum() > 0 and np.all(cats.classes[nothing] == 0)  # nothing recorded: rendah
    # a Kerinci-only table made from the same rows gives Kerinci's kecamatan the same scores and classes
    rows = [i for i, c in enumerate(kec.codes) if c.startswith("15.01.")]
    kerinci = Dataset(codes=[kec.codes[i] for i in rows], columns=kec.columns, values=kec.values[rows],
                      names=[kec.names[i] for i in rows], synthetic=True)
    alone = compute(spec, kerinci)
    part = r.restrict("15.01")
    assert part.codes == alone.codes and len(alone.codes) == 18
    assert np.array_equal(part.scores, alone.scores, equal_nan=True)
    assert np.array_equal(part.categories["ikp"].classes, alone.categories["ikp"].classes)


def test_demo_cli(jambi_data, tmp_path):
    code, stdout, stderr = rawan("demo", "build", "--out", tmp_path, "--regions", jambi_data)
    assert code == 0, stderr
    assert "DATA CONTOH" in stdout
    assert (tmp_path / "hasil-kabkota.csv").exists() and (tmp_path / "hasil-kecamatan.csv").exists()
    rows = list(csv.DictReader(open(tmp_path / "hasil-kabkota.csv", encoding="utf-8")))
    assert len(rows) == 11 and all("DATA CONTOH" in r["catatan"] for r in rows)


def test_desa_values_add_up_to_their_kecamatan_and_leave_upper_levels_unchanged(spec):
    kab, kec = demo.load_wilayah()
    desa = demo.load_desa()
    plain = demo.generate(spec, kab, kec)
    d = demo.generate(spec, kab, kec, desa=desa)
    assert np.array_equal(plain.kecamatan_values, d.kecamatan_values, equal_nan=True)
    assert d.desa_values.shape == (len(desa), len(d.indicators)) == (1585, 61)
    assert 0 < np.isnan(d.desa_values).mean() < 0.03
    full = demo.generate(spec, kab, kec, desa=desa, missing_share=0.0)
    parent = np.array([r.parent for r in full.desa])
    for k, kecamatan in enumerate(full.kecamatan):
        rows = parent == kecamatan.code
        assert rows.any() and np.array_equal(full.desa_values[rows].sum(axis=0), full.kecamatan_values[k])


def test_demo_no_serve_names_the_serve_command_with_the_worker_and_the_port_given(monkeypatch, tmp_path):
    """``rawan demo --no-serve --port N`` ends with the command that serves what it loaded: the
    port given (not 8000) and the task worker (reports, robustness, alerts run in it)."""
    import rawan.cli.demo as demo_cli

    from .conftest import run_rawan

    ran = []
    monkeypatch.setattr(demo_cli, "_run", lambda *a: ran.append(a))  # the steps are tested on their own
    code, out, err = run_rawan("demo", "--no-serve", "--port", "8450", "--out", tmp_path)
    assert code == 0, err
    assert ran[-1] == ("web", "load-demo")
    assert "rawan serve --worker --port 8450" in out and "http://127.0.0.1:8450/" in out and ":8000" not in out
    code, out, _ = run_rawan("demo", "--no-serve", "--out", tmp_path, lang="en")
    assert "Start the server and the task worker with: rawan serve --worker (then open http://127.0.0.1:8000/)" in out


def test_served_port_is_the_base_url_of_alert_links_unless_set(monkeypatch, tmp_path):
    """``rawan serve --port 8450`` (and ``rawan demo --port 8450``) mailed alert links to :8000:
    RAWAN_BASE_URL now follows the address served, for the server and the worker it starts,
    unless the operator set it (or the address is a wildcard)."""
    import os

    import rawan.cli.demo as demo_cli
    from rawan.cli.web import default_base_url
    import rawan.web.tasks as tasks

    from .conftest import run_rawan

    monkeypatch.delenv("RAWAN_BASE_URL", raising=False)
    default_base_url("0.0.0.0", 8450)
    assert "RAWAN_BASE_URL" not in os.environ
    default_base_url("127.0.0.1", 8450)
    assert os.environ["RAWAN_BASE_URL"] == "http://127.0.0.1:8450"
    monkeypatch.setenv("RAWAN_BASE_URL", "https://rawan.contoh.invalid")
    default_base_url("127.0.0.1", 8450)
    assert os.environ["RAWAN_BASE_URL"] == "https://rawan.contoh.invalid"

    monkeypatch.delenv("RAWAN_BASE_URL", raising=False)
    seen = {}
    monkeypatch.setattr(demo_cli, "_run", lambda *a: None)
    class Proc:
        pid = 0

    def fake_worker():
        seen["url"] = os.environ.get("RAWAN_BASE_URL")
        return Proc()

    monkeypatch.setattr(demo_cli, "start_worker", fake_worker)
    monkeypatch.setattr(demo_cli, "start_webhook_receiver", lambda out: None)
    monkeypatch.setattr(tasks, "stop_worker", lambda p: None)
    code, _out, err = run_rawan("demo", "--port", "8451", "--out", tmp_path)
    assert code == 0, err
    assert seen["url"] == "http://127.0.0.1:8451"
