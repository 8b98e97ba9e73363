"""The one smoke test of the installed entry point: the ``rawan`` console script and
``python -m rawan`` as real processes (every other CLI test calls ``rawan.cli.main`` in-process)."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import ROOT

pytestmark = pytest.mark.slow  # real processes: make test, not make quick
EXAMPLE_DATA = ROOT / "examples" / "contoh-mini-data.csv"


def test_installed_entry_point_and_python_m_rawan(tmp_path):
    script = Path(sys.executable).with_name("rawan")
    exe = str(script) if script.exists() else shutil.which("rawan")
    assert exe, "the rawan console script is not installed beside this Python (pip install -e .)"
    env = dict(os.environ, COLUMNS="120", RAWAN_LANG="id")
    out = tmp_path / "hasil.csv"
    p = subprocess.run([exe, "compute", "-m", "contoh-mini", "-d", str(EXAMPLE_DATA), "-o", str(out)],
                       capture_output=True, text=True, env=env, timeout=120)
    assert p.returncode == 0, p.stderr
    assert "DATA CONTOH" in p.stdout and out.read_text(encoding="utf-8").startswith("code,")
    p = subprocess.run([sys.executable, "-m", "rawan", "compute", "-m", "contoh-mini", "-d", str(EXAMPLE_DATA),
                        "-o", str(tmp_path / "hasil.txt"), "--lang", "en"], capture_output=True, text=True,
                       env=env, timeout=120)
    assert p.returncode == 2 and "Error:" in p.stderr and "hasil.txt" in p.stderr
