"""Take the Panduan's screenshots from a freshly loaded demo: ``make panduan``.

    python -m rawan.web.panduan.screenshots [--out DIR] [--port N]

Loads the web demo into a scratch data directory, starts ``rawan serve`` on it, and drives Debian's
chromium (Playwright, ``executable_path=/usr/bin/chromium``; no browser is downloaded) through every
shot of :mod:`rawan.web.panduan.shots`: log in as the shot's user, open the page, check that every
``data-panduan`` element the shot names is on it, outline the focused one, take a 1000-pixel-wide
picture and store it as a small palette PNG.  Exit code 1, naming each shot and element, when an
element is missing: the page and the guide no longer agree.  Without ``--out`` the pictures replace
the committed ones in ``static/rawan/panduan/`` (package data); the slow test tier writes them to a
scratch folder instead.  Playwright and Pillow come with ``.[all,test]``.
"""

from __future__ import annotations

import argparse
import io
import os
import re
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from .shots import FOLDER, SHOTS, Shot

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run", "--font-render-hinting=none"]
WIDTH, HEIGHT = 1000, 640
COLOURS = 64  # palette size: screenshots of forms and tables lose nothing visible, and stay small


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def small_png(raw: bytes) -> bytes:
    """A palette PNG (COLOURS colours, optimised) of a screenshot."""
    from PIL import Image

    img = Image.open(io.BytesIO(raw)).convert("RGB")
    pal = img.quantize(colors=COLOURS, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
    out = io.BytesIO()
    pal.save(out, format="PNG", optimize=True)
    return out.getvalue()


def start_demo(data: Path, port: int) -> tuple[subprocess.Popen, dict[str, str], str]:
    """Load the demo into ``data`` and serve it; the passwords printed once are returned."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(RAWAN_DATA_DIR=str(data), RAWAN_SECRET_KEY="panduan-shots-" + "q7" * 30, RAWAN_LANG="id")
    out = subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo", "--reset"], env=env,
                         capture_output=True, text=True, timeout=600, check=True).stdout
    passwords = dict(re.findall(r"^\s+([a-z.]+)\s+(\S+)$", out, re.M))
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(base + "/api/health", timeout=2)
            return proc, passwords, base
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError("rawan serve did not start: " + proc.stderr.read().decode()[-2000:])


def take(shots: tuple[Shot, ...], base: str, passwords: dict[str, str], out: Path) -> list[str]:
    """Every shot into ``out``; returns the problems (missing elements, failed logins)."""
    from playwright.sync_api import sync_playwright

    problems: list[str] = []
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        contexts: dict[str | None, object] = {}
        try:
            for shot in shots:
                ctx = contexts.get(shot.user)
                if ctx is None:
                    ctx = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="id-ID",
                                              device_scale_factor=1)
                    if shot.user is not None:
                        page = ctx.new_page()
                        page.goto(base + "/masuk/")
                        page.fill("#username", shot.user)
                        page.fill("#password", passwords.get(shot.user, ""))
                        page.click("form.login button")
                        page.wait_for_load_state()
                        if "/masuk/" in page.url:
                            problems.append(f"{shot.name}: could not log in as {shot.user}")
                        page.close()
                    contexts[shot.user] = ctx
                page = ctx.new_page()
                page.goto(base + shot.path)
                for action, selector, value in shot.steps:
                    if action == "fill":
                        page.locator(selector).first.fill(value)
                    else:
                        page.locator(selector).first.click()
                        page.wait_for_load_state()
                missing = [r for r in shot.refs if page.locator(f'[data-panduan="{r}"]').count() == 0]
                problems += [f"{shot.name}: {base}{shot.path} has no element data-panduan=\"{r}\"" for r in missing]
                if shot.focus and shot.focus not in missing:
                    el = page.locator(f'[data-panduan="{shot.focus}"]').first
                    el.scroll_into_view_if_needed()
                    page.evaluate("() => window.scrollBy(0, -120)")
                    el.evaluate("e => { e.style.outline = '3px solid #d6336c'; e.style.outlineOffset = '3px'; }")
                (out / f"{shot.name}.png").write_bytes(small_png(page.screenshot(full_page=False)))
                page.close()
        finally:
            browser.close()
    return problems


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=FOLDER, help="folder for the PNGs (default: the committed ones)")
    ap.add_argument("--port", type=int, default=0, help="port of the scratch server (default: a free one)")
    ap.add_argument("--only", nargs="*", default=None, help="names of the shots to take (default: all)")
    a = ap.parse_args(argv)
    shots = tuple(s for s in SHOTS if not a.only or s.name in a.only)
    with tempfile.TemporaryDirectory(prefix="rawan-panduan-") as tmp:
        proc, passwords, base = start_demo(Path(tmp), a.port or _free_port())
        try:
            problems = take(shots, base, passwords, a.out)
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    for line in problems:
        print(line, file=sys.stderr)
    total = sum((a.out / f"{s.name}.png").stat().st_size for s in shots if (a.out / f"{s.name}.png").exists())
    print(f"{len(shots)} screenshots in {a.out} ({total // 1024} KB), {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
