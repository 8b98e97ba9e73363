"""The Panduan's screenshots retaken from a live demo (slow tier): the script of ``make panduan``
writes into a scratch folder and fails when an element the guide names is missing from its page.

Playwright drives Debian's chromium against ``rawan serve``; the committed pictures are not touched.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from rawan.web.panduan import screenshots, shots
from tests.web.ports import free_port

CHROMIUM = "/usr/bin/chromium"
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}"),
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="browser test runs in the SQLite pass"),
]


def test_screenshots_regenerate_and_every_named_element_is_on_its_page(tmp_path, capsys):
    out = tmp_path / "panduan"
    assert screenshots.main(["--out", str(out), "--port", str(free_port())]) == 0, capsys.readouterr().err
    made = sorted(p.name for p in out.glob("*.png"))
    assert made == sorted(f"{s.name}.png" for s in shots.SHOTS)
    assert made == sorted(p.name for p in shots.FOLDER.glob("*.png"))  # the committed set is complete
    for name in made:
        assert shots.png_size(out / name) == (1000, 640) and (out / name).stat().st_size < 60_000


def test_a_missing_element_fails_the_script(tmp_path, monkeypatch, capsys):
    broken = shots.Shot("kosong", None, "/", ("tidak-ada-di-halaman",), "x", "x")
    monkeypatch.setattr(screenshots, "SHOTS", (broken,))
    assert screenshots.main(["--out", str(tmp_path), "--port", str(free_port())]) == 1
    assert 'data-panduan="tidak-ada-di-halaman"' in capsys.readouterr().err
