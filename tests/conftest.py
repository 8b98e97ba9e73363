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
