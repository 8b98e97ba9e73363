"""Shared fixtures: the ../shared folder (skipped with a reason when absent) and a small example."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = (ROOT / ".." / "shared").resolve()
EXAMPLE_MODEL = ROOT / "src" / "rawan" / "models" / "contoh-mini.yaml"


def need_shared(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs {path} (the ../shared folder of the rawan workspace); "
                    "absent in a fresh clone, always present in CI")
    return path


@pytest.fixture
def shared_data() -> Path:
    return need_shared(SHARED / "data")


@pytest.fixture
def coinr_dir() -> Path:
    return need_shared(SHARED / "peer" / "coinr")


@pytest.fixture(scope="session")
def jambi_boundaries():
    """The Jambi boundary set built once from ../shared/data/jambi-desa.geojson (rawan.regions)."""
    from rawan.regions import import_boundaries, load_regions

    data = need_shared(SHARED / "data")
    return import_boundaries(data / "jambi-desa.geojson", regions=load_regions(data)).boundaries


@pytest.fixture
def rawan_cli(monkeypatch, capsys):
    """The rawan command run in-process as a user runs it: ``run(*args, cwd=None)`` gives
    (exit code, stdout, stderr). One smoke test (tests/test_cli_entry.py) runs the installed one."""
    from rawan.cli import main

    monkeypatch.setenv("COLUMNS", "120")
    monkeypatch.delenv("RAWAN_LANG", raising=False)

    def run(*args, cwd=None):
        if cwd is not None:
            monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return code, out, err

    return run
