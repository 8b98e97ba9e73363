"""`pip install rawan` (no extras) runs the engine, intake and the CLI; a feature of an extra says which.

Each case runs in a fresh interpreter in which the optional packages cannot be imported (as after
installing the core alone); .ci/run also installs the core alone in a fresh virtualenv and runs the
engine tests there.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from rawan.extras import EXTRA_OF

pytestmark = pytest.mark.slow  # one interpreter per case

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

BLOCKER = """
import sys, importlib.abc
BLOCKED = {blocked!r}
class Blocker(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in BLOCKED:
            raise ModuleNotFoundError(f"No module named {{name!r}}", name=name)
        return None
sys.meta_path.insert(0, Blocker())
from rawan.cli import main
code = main({args!r})
loaded = sorted(m for m in BLOCKED if m in sys.modules)
assert not loaded, loaded
sys.exit(code)
"""


def run_core(args: list[str], tmp_path) -> subprocess.CompletedProcess:
    script = BLOCKER.format(blocked=sorted(EXTRA_OF), args=[str(a) for a in args])
    env = {"RAWAN_DATA_DIR": str(tmp_path / "userdata"), "RAWAN_LANG": "id", "COLUMNS": "200",
           "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)}
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path, env=env,
                          timeout=120)


def test_engine_intake_and_region_list_need_no_extra(tmp_path):
    data = EXAMPLES / "contoh-mini-data.csv"
    for args in (["--help"],
                 ["compute", "--model", "contoh-mini", "--data", data, "--out", tmp_path / "hasil.csv"],
                 ["explain", "--model", "contoh-mini", "--data", data, "--region", "15.02"],
                 ["model", "show", "ikp-2024", "--lang", "en"],
                 ["regions", "show", "15.01"],
                 ["template", "--model", "ikp-2024", "--level", "kabupaten_kota", "--out", tmp_path / "isian.xlsx"],
                 ["demo", "build", "--out", tmp_path / "demo"],
                 ["tps", "demo", "--out", tmp_path / "tps"],  # data, counts, XLSX list, release; no map/PDF
                 ["tps", "summary", "--published", "jambi-pilkada-2024"]):
        p = run_core(args, tmp_path)
        assert p.returncode == 0, (args, p.stdout, p.stderr)
    assert (tmp_path / "hasil.csv").is_file() and (tmp_path / "demo" / "hasil-kecamatan.csv").is_file()
    assert (tmp_path / "tps" / "daftar-periksa.parquet").is_file() and (tmp_path / "tps" / "jumlah-tps.csv").is_file()


def test_a_feature_of_an_extra_names_the_extra(tmp_path):
    p = run_core(["map", "--result", EXAMPLES / "contoh-mini-data.csv", "--column", "k1",
                  "--out", tmp_path / "peta.svg"], tmp_path)
    assert p.returncode == 2, (p.stdout, p.stderr)
    assert 'pip install "rawan[maps]"' in " ".join(p.stderr.split()) and "shapely" in p.stderr
    assert not (tmp_path / "peta.svg").exists()
    p = run_core(["--lang", "en", "serve"], tmp_path)
    assert p.returncode == 2 and 'pip install "rawan[web]"' in " ".join(p.stderr.split()), p.stderr
