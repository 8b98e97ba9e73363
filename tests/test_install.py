"""A wheel installed in a fresh virtualenv, with no ../shared anywhere, draws real Jambi maps.

(The smoke test of the installed entry point of this checkout is tests/test_cli_entry.py.)

Slow tier: these start processes and install packages (from the machine's package index or pip's
cache; nothing else is downloaded).
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.slow


def _env(tmp_path: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("RAWAN_", "PYTHON", "VIRTUAL_ENV"))}
    env.update(RAWAN_DATA_DIR=str(tmp_path / "userdata"), RAWAN_LANG="id", COLUMNS="200")
    return env


def test_wheel_in_a_fresh_venv_draws_real_jambi_maps_without_shared(tmp_path):
    dist = tmp_path / "dist"
    build = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(dist), str(ROOT)],
                           capture_output=True, text=True, env=_env(tmp_path), cwd=tmp_path, timeout=600)
    assert build.returncode == 0, build.stderr
    wheel = next(dist.glob("rawan-*.whl"))
    assert wheel.stat().st_size < 5_000_000  # the shipped region data is compact

    work = tmp_path / "elsewhere" / "project"  # no ../shared next to it, no source tree around it
    work.mkdir(parents=True)
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    py = env_dir / "bin" / "python"
    inst = subprocess.run([str(py), "-m", "pip", "install", "--quiet", f"{wheel}[maps]"], capture_output=True,
                          text=True, env=_env(tmp_path), cwd=work, timeout=900)
    assert inst.returncode == 0, inst.stderr
    where = subprocess.run([str(py), "-c", "import rawan, sys; print(rawan.__file__)"], capture_output=True,
                           text=True, env=_env(tmp_path), cwd=work, timeout=120)
    assert str(env_dir) in where.stdout and str(ROOT) not in where.stdout  # the installed copy, not the tree

    rawan = env_dir / "bin" / "rawan"

    def run(*args):
        p = subprocess.run([str(rawan), *map(str, args)], capture_output=True, text=True, env=_env(tmp_path),
                           cwd=work, timeout=300)
        assert p.returncode == 0, (args, p.stdout, p.stderr)
        return p.stdout

    run("demo", "build", "--out", "demo")  # both levels: the kecamatan list is shipped
    assert (work / "demo" / "hasil-kecamatan.csv").is_file()
    run("map", "--result", "demo/hasil-kabkota.csv", "--out", "kabkota.svg")
    svg = (work / "kabkota.svg").read_text(encoding="utf-8")
    assert svg.count("<path data-code=") == 11 and "<rect data-code=" not in svg and "Peta petak" not in svg
    assert 'data-name="Kabupaten Kerinci"' in svg
    run("map", "--result", "demo/hasil-kecamatan.csv", "--column", "index", "--parent", "15.01", "--out", "kerinci.svg")
    svg = (work / "kerinci.svg").read_text(encoding="utf-8")
    assert svg.count("<path data-code=") == 18 and "Peta petak" not in svg
    out = run("regions", "show", "--province", "32")
    assert "Jawa Barat" in out
    # the published editions ship with the package: the national IKP 2024 province map, Papua's split
    run("map", "--result", "ikp-2024-provinsi", "--out", "indonesia.svg")
    svg = (work / "indonesia.svg").read_text(encoding="utf-8")
    assert "Tidak ada skor terpisah (4)" in svg and svg.count('data-value="tinggi"') == 5
