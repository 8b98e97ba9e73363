"""Shared fixtures: the Jambi data (from the data shipped with rawan and tests/data) and a small example.

Nothing here needs the workspace's ../shared folder: the region list and boundaries are the ones
shipped in ``rawan/data/``, the source GeoJSON files and COINr's example are in ``tests/data/``.
"""

from __future__ import annotations

import gzip
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import settings

# Property tests draw the same examples on every run (CI must not turn red by chance);
# RAWAN_HYPOTHESIS=random explores new examples while working on a property. No deadline: tests never
# assert wall-clock times (benchmarks measure them), and a loaded 2-core machine is slow by moments.
# `make quick` runs profile "quick": the same fixed examples, a quarter as many (examples() below).
settings.register_profile("ci", derandomize=True, database=None, deadline=None)
settings.register_profile("quick", derandomize=True, database=None, deadline=None, max_examples=25)
settings.register_profile("random", deadline=None)
HYPOTHESIS_PROFILE = os.environ.get("RAWAN_HYPOTHESIS", "ci")
settings.load_profile(HYPOTHESIS_PROFILE)


def examples(n: int) -> int:
    """A property test's number of examples: ``n`` (profiles ci and random: make test, CI), a quarter
    of it and at least 10 in the quick tier's profile (make quick)."""
    return max(10, n // 4) if HYPOTHESIS_PROFILE == "quick" else n

ROOT = Path(__file__).resolve().parents[1]
TEST_DATA = ROOT / "tests" / "data"
EXAMPLE_MODEL = ROOT / "src" / "rawan" / "models" / "contoh-mini.yaml"


def _own_user_data_dir() -> None:
    """The default region list and boundaries are the shipped ones, whatever the machine holds: a
    user data directory of the developer's own or $RAWAN_SHARED_DATA must not leak into tests.

    Run when this file is imported, before tests/web/conftest.py sets Django up (its settings read
    the folder once). Under ``pytest -n`` each worker process gets a folder of its own (the one the
    controller made is in the environment the workers inherit)."""
    import tempfile

    os.environ.pop("RAWAN_SHARED_DATA", None)
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if worker:  # a worker starts with COLUMNS=80 LINES=24 set; rich would fix its consoles at 80 columns
        os.environ.pop("COLUMNS", None)
        os.environ.pop("LINES", None)
    if "RAWAN_DATA_DIR" not in os.environ:
        os.environ["RAWAN_DATA_DIR"] = tempfile.mkdtemp(prefix="rawan-test-data-")
    elif worker and not os.environ["RAWAN_DATA_DIR"].endswith(f"-{worker}"):
        os.environ["RAWAN_DATA_DIR"] = tempfile.mkdtemp(prefix="rawan-test-data-", suffix=f"-{worker}")


_own_user_data_dir()


@pytest.fixture(scope="session")
def jambi_data(tmp_path_factory) -> Path:
    """A folder laid out like the workspace's shared/data for Jambi: jambi-wilayah.csv (written from
    the shipped list), batas-wilayah.npz (the shipped Jambi store), the kab/kota and kecamatan GeoJSON."""
    from rawan.regions.defaults import SHIPPED_DIR

    d = tmp_path_factory.mktemp("jambi-data")
    # the Jambi rows of the shipped national list are jambi-wilayah.csv, except that the province
    # row there says has_boundary=no (no province polygon upstream)
    with gzip.open(SHIPPED_DIR / "wilayah-indonesia.csv.gz", "rt", encoding="utf-8", newline="") as f:
        lines = f.read().splitlines(keepends=True)
    rows = [line for line in lines[1:] if line.startswith("15")]
    rows[0] = rows[0].replace(",yes", ",no")
    (d / "jambi-wilayah.csv").write_text("".join(lines[:1] + rows), encoding="utf-8", newline="")
    shutil.copyfile(SHIPPED_DIR / "batas-15.npz", d / "batas-wilayah.npz")
    for name in ("jambi-kabkota.geojson", "jambi-kecamatan.geojson"):
        shutil.copyfile(TEST_DATA / name, d / name)
    return d


@pytest.fixture
def coinr_dir() -> Path:
    return TEST_DATA / "coinr"


@pytest.fixture(scope="session")
def jambi_boundaries():
    """The Jambi boundary set shipped with rawan (built from the desa layer by rawan.regions.package_data)."""
    from rawan.regions import load_boundaries

    return load_boundaries(province="15")


def run_rawan(*args, lang: str = "id", cwd=None) -> tuple[int, str, str]:
    """The rawan command run in-process as a user runs it (``main([...])``, 120 columns, messages
    in ``lang``): (exit code, stdout, stderr). tests/test_cli_entry.py runs the installed one."""
    import contextlib
    import io
    import os

    from rawan.cli import main

    out, err = io.StringIO(), io.StringIO()
    saved = {k: os.environ.get(k) for k in ("COLUMNS", "RAWAN_LANG")}
    here = os.getcwd()
    os.environ.update(COLUMNS="120", RAWAN_LANG=lang)
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            code = main([str(a) for a in args])
    finally:
        os.chdir(here)
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def rawan_cli():
    """:func:`run_rawan` as a fixture."""
    return run_rawan


@pytest.fixture(autouse=True)
def _quick_tier_stays_in_process(request, monkeypatch):
    """`make quick` is every in-process test: a test that starts a process must be marked slow."""
    if request.node.get_closest_marker("slow") is not None:
        return
    import multiprocessing.process
    import subprocess

    def refuse(*args, **kwargs):
        raise AssertionError(f"{request.node.nodeid} starts a process: mark it @pytest.mark.slow "
                             "(the slow tier, docs/development.md)")

    monkeypatch.setattr(subprocess.Popen, "_execute_child", refuse)
    monkeypatch.setattr(multiprocessing.process.BaseProcess, "start", refuse)
