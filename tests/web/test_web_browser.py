"""Browser test with Playwright driving Debian's chromium against the real server (`rawan serve`).

Operator enters an invalid value, sees the error, fixes it, submits; the verifier approves; the
admin publishes; an anonymous visitor opens the map, clicks a region and lands on its page.
Screenshots are kept in test-artifacts/web/ (git-ignored).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.web.ports import free_port

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--no-first-run"]
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "web"
TRAIN = "contoh-latihan-2026"

pytestmark = [
    pytest.mark.slow,  # a browser and a server process: make test, not make quick
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}"),
    # the server under test gets its own SQLite file; with DATABASE_URL set (the PostgreSQL pass of
    # `make test`) it would load the demo into that real database, so it runs in the SQLite pass only
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="browser test runs in the SQLite pass"),
]


@pytest.fixture(scope="module")
def server(tmp_path_factory, loaded_demo):
    data = tmp_path_factory.mktemp("rawan-browser")
    env = loaded_demo.copy(data)  # `rawan web load-demo` once per session (tests/web/conftest.py)
    passwords = loaded_demo.passwords
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 240  # the server loads the map boundaries before it listens
    while time.monotonic() < deadline and proc.poll() is None:
        try:
            urllib.request.urlopen(base + "/", timeout=2)
            break
        except OSError:
            time.sleep(0.2)
    else:
        proc.kill()
        pytest.fail("server did not start: " + proc.stderr.read().decode()[-2000:])
    yield base, passwords, env
    proc.send_signal(signal.SIGTERM)
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _login(browser, base, username, password, nxt, viewport=(1200, 900)):
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    page = ctx.new_page()
    page.goto(f"{base}/masuk/?next={nxt}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}{nxt}")
    return ctx, page


def test_operator_verifier_admin_public(server, browser):
    base, pw, _ = server
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    form = f"/e/{TRAIN}/entri/15.01/"

    # operator of Kerinci, on a phone-sized screen; first a spreadsheet with a mistake
    ctx, page = _login(browser, base, "operator.kerinci", pw["operator.kerinci"], form, viewport=(390, 844))
    page.goto(f"{base}/e/{TRAIN}/entri/unggah/")
    bad = ARTIFACTS / "isian-kerinci.csv"
    header = ";".join(["kode", "nama"] + [f"i{k:02d}" for k in range(1, 62)] + ["sumber"])
    row = ";".join(["15.01", "Kabupaten Kerinci", "dua"] + ["1"] * 60 + ["Rekap Panwascam"])
    bad.write_text(f"{header}\r\n{row}\r\n", encoding="utf-8-sig")
    page.set_input_files("#file", str(bad))
    page.get_by_role("button", name="Unggah").click()
    summary = page.locator("#errors").inner_text()
    assert "isian-kerinci.csv" in summary and "dua" in summary
    page.screenshot(path=str(ARTIFACTS / "0-operator-upload-error.png"), full_page=True)
    page.goto(f"{base}{form}")
    field = page.locator("#v_i01")
    count = page.locator("#progress [data-filled-count]")
    field.fill("")
    empty = int(count.inner_text())
    field.fill("tiga")
    assert int(count.inner_text()) == empty + 1 and "dari 61 terisi" in page.locator("#progress").inner_text()
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    # before submitting: a warning naming the values without a source (and any empty ones)
    gaps = page.locator("#presubmit")
    assert gaps.is_visible() and "nilai tanpa sumber:" in gaps.inner_text()
    page.screenshot(path=str(ARTIFACTS / "1-operator-presubmit.png"))
    page.get_by_role("button", name="Tetap ajukan").click()
    error = page.locator("#e_i01")
    assert "“tiga” bukan angka" in error.inner_text()
    assert page.locator("#errors").is_visible()
    page.screenshot(path=str(ARTIFACTS / "1-operator-error.png"))
    page.locator("#v_i01").fill("3")
    page.locator("#n_i01").fill("Berita acara Panwascam")
    page.get_by_role("button", name="Ajukan untuk verifikasi").click()
    page.get_by_role("button", name="Tetap ajukan").click()
    assert "Diajukan untuk verifikasi." in page.locator(".messages").inner_text()
    assert page.locator("#v_i01").input_value() == "3"
    page.screenshot(path=str(ARTIFACTS / "2-operator-submitted.png"))
    ctx.close()

    # verifier approves Kerinci and Kota Jambi
    ctx, page = _login(browser, base, "verifikator", pw["verifikator"], form)
    # the verifier's buttons are on screen without scrolling; "return" without a comment is stopped
    assert page.get_by_role("button", name="Setujui").is_visible()
    assert page.get_by_role("button", name="Setujui").bounding_box()["y"] < 900
    page.get_by_role("button", name="Kembalikan dengan catatan").click()
    assert page.url.endswith(form) and page.evaluate("document.activeElement.id") == "comment"
    assert "Tulis apa yang harus diperbaiki" in page.locator("#comment-needed").inner_text()
    page.screenshot(path=str(ARTIFACTS / "3-verifier-form-top.png"))
    page.get_by_role("button", name="Setujui").click()
    assert "Disetujui." in page.locator(".messages").inner_text()
    # the rest from the queue: filter "Diajukan", tick all, approve with one comment
    page.goto(f"{base}/e/{TRAIN}/entri/?status=submitted")
    page.locator("[data-tick-all]").check()
    page.locator("#bulk-comment").fill("Sesuai berita acara")
    page.get_by_role("button", name="Setujui yang dicentang").click()
    assert "Disetujui: 1 wilayah." in page.locator(".messages").inner_text()
    page.goto(f"{base}/e/{TRAIN}/entri/")
    page.screenshot(path=str(ARTIFACTS / "3-verifier-list.png"), full_page=True)
    assert page.locator("table.queue .sub-verified").count() == 11
    ctx.close()

    # the province admin moves the edition to verification and publishes it
    ctx, page = _login(browser, base, "admin.provinsi", pw["admin.provinsi"], f"/e/{TRAIN}/kelola/")
    page.get_by_role("button", name="Pindah ke “Verifikasi”").click()
    page.get_by_role("link", name="Terbitkan…").click()  # a confirmation page first
    assert "Terbitkan edisi ini?" in page.locator("h1").inner_text()
    page.get_by_role("button", name="Ya, terbitkan").click()
    assert "Edisi diterbitkan." in page.locator(".messages").inner_text()
    page.screenshot(path=str(ARTIFACTS / "4-admin-published.png"), full_page=True)
    ctx.close()

    # anonymous visitor: map -> click Kerinci -> region page
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    page.goto(f"{base}/e/{TRAIN}/")
    assert page.locator(".contoh").inner_text().startswith("DATA CONTOH")
    page.screenshot(path=str(ARTIFACTS / "5-public-map.png"), full_page=True)
    page.locator('figure.map [data-code="15.01"]').click()
    page.wait_for_url(f"{base}/e/{TRAIN}/wilayah/15.01/")
    assert "Kerinci" in page.locator("h1").inner_text()
    assert page.locator("text=Pendorong utama").count() == 1
    page.screenshot(path=str(ARTIFACTS / "6-public-region.png"), full_page=True)
    # keyboard: the map regions are focusable links
    page.goto(f"{base}/e/{TRAIN}/")
    page.locator('figure.map [data-code="15.71"]').focus()
    # a visible focus outline drawn in screen pixels above the neighbours (WCAG 2.4.7)
    width = page.evaluate("getComputedStyle(document.querySelector('figure.map .hl-focus')).strokeWidth")
    assert float(width.rstrip("px")) >= 2
    page.locator('figure.map').screenshot(path=str(ARTIFACTS / "5-public-map-focus.png"))
    page.keyboard.press("Enter")
    page.wait_for_url(f"{base}/e/{TRAIN}/wilayah/15.71/")
    ctx.close()


def test_cli_load_demo_once_and_create_user(server):
    base, _, env = server
    again = subprocess.run([sys.executable, "-m", "rawan", "web", "load-demo"], env=env, capture_output=True,
                           text=True, timeout=120)
    assert again.returncode == 0 and "sudah dimuat" in again.stdout and "operator.kerinci" not in again.stdout
    made = subprocess.run([sys.executable, "-m", "rawan", "web", "create-user", "operator.bungo", "--role", "operator",
                           "--region", "15.08"], env=env, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0 and "operator.bungo" in made.stdout
    bad = subprocess.run([sys.executable, "-m", "rawan", "web", "create-user", "x", "--role", "operator"], env=env,
                         capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2 and "--region" in bad.stdout + bad.stderr


def test_https_mode_behind_a_proxy(server):
    """RAWAN_HTTPS=1: plain HTTP is redirected; the proxy's X-Forwarded-Proto: https is trusted."""
    import http.client

    _, _, env = server
    env = {**env, "RAWAN_HTTPS": "1", "RAWAN_ALLOWED_HOSTS": "127.0.0.1"}
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(port)], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
                c.request("GET", "/")
                plain = c.getresponse()
                plain.read()
                break
            except OSError:
                assert time.monotonic() < deadline and proc.poll() is None, "server did not start"
                time.sleep(0.2)
        assert plain.status == 301 and plain.getheader("Location").startswith("https://")
        c.request("GET", "/e/pilkada-2024-jambi/", headers={"X-Forwarded-Proto": "https"})
        secure = c.getresponse()
        secure.read()
        assert secure.status == 200 and "max-age=31536000" in secure.getheader("Strict-Transport-Security")
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=10)


PUBLIC_SHOTS = ARTIFACTS / "public"


def test_print_keeps_the_badges_and_drops_the_header(server, browser):
    """Print emulation: the category badges keep their colour and text, the header and the
    navigation are not printed, the map fits the A4 width; a PDF print is made for a look."""
    base, _, _ = server
    PUBLIC_SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": 1200, "height": 900})
    page = ctx.new_page()
    page.goto(base + "/e/pilkada-2024-jambi/peringkat/")
    page.emulate_media(media="print")
    badge = page.locator("table.ranking .cat-tinggi").first
    assert badge.is_visible() and badge.inner_text().strip() == "Rawan Tinggi"
    style = badge.evaluate("e => { const s = getComputedStyle(e); return [s.backgroundColor, "
                           "s.printColorAdjust || s.webkitPrintColorAdjust, s.display]; }")
    assert style[0] == "rgb(178, 24, 43)" and style[1] == "exact" and style[2] != "none"
    assert not page.locator("header.top").is_visible()
    assert not page.locator("nav.tabs").is_visible()
    page.pdf(path=str(PUBLIC_SHOTS / "ranking-print.pdf"), format="A4", print_background=False)
    page.goto(base + "/e/pilkada-2024-jambi/")
    page.emulate_media(media="print")
    width = page.locator("figure.map svg").evaluate("e => e.getBoundingClientRect().width")
    assert 0 < width <= 1200
    page.pdf(path=str(PUBLIC_SHOTS / "map-print.pdf"), format="A4")
    ctx.close()


def test_only_the_embed_view_can_be_framed(server, browser):
    base, _, _ = server
    ctx = browser.new_context(viewport={"width": 900, "height": 900})
    page = ctx.new_page()
    frames = {"embed": "/e/pilkada-2024-jambi/sematkan/", "map": "/e/pilkada-2024-jambi/",
              "home": "/", "region": "/e/pilkada-2024-jambi/wilayah/15.03/"}
    page.goto(base + "/api/health")  # any page of the site; the frames below are added to it
    page.set_content("".join(f'<iframe name="{k}" src="{base}{u}" width="800" height="700"></iframe>'
                             for k, u in frames.items()))
    page.wait_for_timeout(1500)
    loaded = {f.name: f for f in page.frames if f.name}
    assert loaded["embed"].url == base + frames["embed"]
    assert loaded["embed"].locator("svg [data-code]").count() == 11
    for name in ("map", "home", "region"):  # refused by the browser: its error page, none of ours
        f = loaded.get(name)
        assert f is None or f.url.startswith("chrome-error:") or f.locator("svg [data-code]").count() == 0, name
        assert f is None or f.locator("header.top").count() == 0, name
    page.screenshot(path=str(PUBLIC_SHOTS / "embed-framed.png"))
    ctx.close()


@pytest.mark.parametrize("viewport", [(1200, 900), (390, 844)], ids=["desktop", "phone"])
def test_public_pages_screenshots(server, browser, viewport):
    """The journalist's path on a desktop and a phone: home, map, ranking (search, filter, sort
    without script), region page, comparison; screenshots kept for a look."""
    base, _, _ = server
    PUBLIC_SHOTS.mkdir(parents=True, exist_ok=True)
    ctx = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, java_script_enabled=False)
    page = ctx.new_page()
    tag = f"{viewport[0]}"
    for name, url in [("home", "/"), ("map", "/e/pilkada-2024-jambi/"),
                      ("ranking", "/e/contoh-ikp-2024-jambi/peringkat/?urut=skor&arah=naik"),
                      ("ranking-filter", "/e/pilkada-2024-jambi/peringkat/?kategori=sedang&q=kab"),
                      ("region", "/e/contoh-ikp-2024-jambi/wilayah/15.01/"),
                      ("compare", "/bandingkan/?a=pilkada-2024-jambi&b=contoh-ikp-2024-jambi"),
                      ("embed", "/e/pilkada-2024-jambi/sematkan/")]:
        r = page.goto(base + url)
        assert r.status == 200, url
        page.screenshot(path=str(PUBLIC_SHOTS / f"{name}-{tag}.png"), full_page=True)
        # nothing wider than the screen but the tables' own scroll box
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, (url, overflow)
    ctx.close()
