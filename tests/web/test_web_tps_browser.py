"""The PKD's checklists on a phone with the network cut (Playwright, Debian's chromium, a phone
viewport, against a real `rawan serve`): saves made offline wait in IndexedDB, are listed on the
page, and are sent when the network returns; afterwards every answer is on the server exactly once.
A save made on a version someone else changed meanwhile shows the conflict instead of overwriting;
the PKD dismisses the notice once read, and the conflict stays on the server for the Panwascam.
"""

from __future__ import annotations

import os
import signal
import sqlite3
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
COL = "contoh-tps-pengumpulan-2026"
A = "15.01.01.2001"
PHONE = {"width": 390, "height": 844}
PNG = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d49444154789c"
                    "63f8cfc0f01f0005000201a5d3b1e70000000049454e44ae426082")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not Path(CHROMIUM).exists(), reason=f"needs Debian's chromium at {CHROMIUM}"),
    pytest.mark.skipif(bool(os.environ.get("DATABASE_URL")), reason="browser test runs in the SQLite pass"),
]


class Server:
    """A real `rawan serve` that the test can stop and start again on the same port: the network cut.

    Playwright's ``set_offline`` alone is not a cut: Chromium does not apply it to a page's service
    worker, and a save made "offline" reached the server in CI. With the server stopped, nothing can.
    """

    def __init__(self, env: dict, port: int):
        self.env, self.port, self.proc = env, port, None
        self.base = f"http://localhost:{port}"

    def start(self):
        self.proc = subprocess.Popen([sys.executable, "-m", "rawan", "serve", "--port", str(self.port)],
                                     env=self.env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and self.proc.poll() is None:
            try:
                urllib.request.urlopen(self.base + "/", timeout=2)
                return
            except OSError:
                time.sleep(0.2)
        self.proc.kill()
        pytest.fail("server did not start: " + self.proc.stderr.read().decode()[-2000:])

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=10)


@pytest.fixture(scope="module")
def server(tmp_path_factory, loaded_demo):
    data = tmp_path_factory.mktemp("rawan-tps-browser")
    env = loaded_demo.copy(data)  # `rawan web load-demo` once per session (tests/web/conftest.py)
    passwords = loaded_demo.passwords
    # "localhost": a secure context, where browsers run service workers (HTTPS in the field)
    srv = Server(env, free_port())
    srv.start()
    yield srv, passwords, data
    srv.stop()


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _login(browser, base, username, password, nxt):
    ctx = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = ctx.new_page()
    page.goto(f"{base}/masuk/?next={nxt}")
    page.get_by_label("Nama pengguna").fill(username)
    page.get_by_label("Kata sandi").fill(password)
    page.get_by_role("button", name="Masuk").click()
    page.wait_for_url(f"{base}{nxt}")
    return ctx, page


def _until(page, expression: str, ok, timeout: float = 60):
    """Poll ``expression`` in the page (page.wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while True:
        value = page.evaluate(expression)
        if ok(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{expression} -> {value!r}")
        time.sleep(0.2)


# how many saves the phone keeps (IndexedDB "rawan-tps", store "outbox", tps.js)
OUTBOX_COUNT = ("new Promise(ok => { const r = indexedDB.open('rawan-tps', 1); r.onerror = () => ok(null); "
                "r.onsuccess = () => { const q = r.result.transaction('outbox').objectStore('outbox').count(); "
                "q.onsuccess = () => ok(q.result); q.onerror = () => ok(null); }; })")


def _eventually(read, ok, timeout: float = 60):
    """Poll ``read()`` until ``ok`` holds (a form posted by a click is saved when its answer comes)."""
    deadline = time.monotonic() + timeout
    while True:
        value = read()
        if ok(value):
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"{read} -> {value!r}")
        time.sleep(0.2)


def _db(data: Path):
    return sqlite3.connect(str(data / "rawan.sqlite3"), timeout=30)


def _station(data, number):
    with _db(data) as db:
        return db.execute("SELECT s.id, s.answers, s.notes, s.version, s.photo FROM tps_tpsstation s "
                          "JOIN editions_edition e ON e.id = s.edition_id "
                          "WHERE e.slug = ? AND s.desa_code = ? AND s.number = ?", (COL, A, number)).fetchone()


def _saves(data, station_id):
    with _db(data) as db:
        return db.execute("SELECT save_id, outcome, answers, base_version, version FROM tps_tpssave "
                          "WHERE station_id = ? ORDER BY id", (station_id,)).fetchall()


def _shown(page, selector: str) -> None:
    """Wait until tps.js has unhidden ``selector``: it draws from the phone's store (IndexedDB)
    after the page has loaded, so what it shows is polled for, never read at once."""
    _until(page, f"!document.querySelector('{selector}').hidden", lambda shown: shown is True)


def _fill(page, base, number, answers: dict, photo: Path | None = None, waiting: bool = False):
    page.goto(f"{base}/tps/{COL}/desa/{A}/tps/{number}/")
    if waiting:  # answers of this TPS wait on the phone: tps.js puts them in the form first
        _shown(page, "#tps-pending-here")
    for box in page.locator("input[type=checkbox]").all():
        box.uncheck()
    for code, note in answers.items():
        page.locator(f"#a_{code}").check()
        page.locator(f"input[name=n_{code}]").fill(note)
    if photo is not None:
        page.set_input_files("#photo", str(photo))
    page.get_by_role("button", name="Simpan TPS ini").click()
    page.wait_for_url(f"{base}/tps/{COL}/desa/{A}/")


def test_offline_saves_arrive_once_and_stale_save_is_a_conflict(server, browser):
    srv, pw, data = server
    base = srv.base
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    desa = f"/tps/{COL}/desa/{A}/"
    ctx, page = _login(browser, base, "pkd.demo", pw["pkd.demo"], desa)
    assert "Tidak ada kerawanan di desa ini" in page.content()
    # the service worker takes the pages in hand; the desa page then keeps every TPS page on the phone
    page.evaluate("navigator.serviceWorker.ready.then(() => true)")
    page.reload()
    n_tps = page.locator("[data-tps-link]").count()
    assert n_tps == 7
    _until(page, "caches.open('rawan-tps-1').then(c => c.keys())"
                 ".then(k => k.filter(r => /\\/tps\\/\\d+\\/$/.test(r.url)).length)", lambda k: k >= n_tps)

    # the network goes away: three TPS saved, TPS 2 twice (the second answer builds on the first)
    ctx.set_offline(True)  # the phone knows it is offline (navigator.onLine) ...
    srv.stop()  # ... and nothing gets through
    photo = ARTIFACTS / "foto-tps.png"
    photo.write_bytes(PNG)
    _fill(page, base, 1, {"i02": "12 pemilih pindahan", "i24": "listrik sering padam"})
    _fill(page, base, 2, {"i05": "3 pemilih disabilitas"})
    pending = page.locator("#tps-pending li")
    _until(page, "document.querySelectorAll('#tps-pending li').length", lambda n: n == 2)
    assert "menunggu dikirim" in pending.first.inner_text()
    _fill(page, base, 2, {"i05": "4 pemilih disabilitas", "i25": "tidak ada sinyal"}, waiting=True)
    _fill(page, base, 3, {"i17": "jalan rusak, 2 jam jalan kaki"}, photo=photo)
    _until(page, "document.querySelectorAll('#tps-pending li').length", lambda n: n == 4)
    _shown(page, "#tps-offline")
    assert page.locator("#tps-offline").is_visible()
    page.screenshot(path=str(ARTIFACTS / "tps-1-offline-pending.png"), full_page=True)
    # the checklist of a TPS waiting to be sent shows what waits
    page.goto(f"{base}/tps/{COL}/desa/{A}/tps/2/")
    _shown(page, "#tps-pending-here")
    assert page.locator("#tps-pending-here").is_visible()
    assert page.locator("#a_i25").is_checked() and page.locator("input[name=n_i05]").input_value() == "4 pemilih disabilitas"
    assert _station(data, 1)[3] == 0  # nothing reached the server

    # the network returns: everything is sent, once
    page.goto(f"{base}{desa}")
    srv.start()
    ctx.set_offline(False)
    _until(page, "document.querySelector('#tps-pending').hidden", lambda hidden: hidden is True)
    # the page drawn offline marks the TPS that just reached the server
    _until(page, "document.querySelectorAll('.tpslist .tag-ok').length", lambda n: n == 3)
    page.screenshot(path=str(ARTIFACTS / "tps-2-sent.png"), full_page=True)
    s1, s2, s3 = _station(data, 1), _station(data, 2), _station(data, 3)
    assert (s1[1], s1[3]) == ('["i02", "i24"]', 1) and "listrik sering padam" in s1[2]
    assert (s2[1], s2[3]) == ('["i05", "i25"]', 2) and "4 pemilih disabilitas" in s2[2]
    assert s3[1] == '["i17"]' and s3[4].startswith(f"tps/{COL}/{A}/003/")
    assert [r[1] for r in _saves(data, s1[0])] == ["applied"]
    assert [(r[1], r[3], r[4]) for r in _saves(data, s2[0])] == [("applied", 0, 1), ("applied", 1, 2)]
    assert len(_saves(data, s3[0])) == 1
    # sending again (a reload, the button) sends nothing more
    page.reload()
    page.wait_for_timeout(500)
    assert len(_saves(data, s1[0])) + len(_saves(data, s2[0])) + len(_saves(data, s3[0])) == 4

    # a stale save: the PKD opens TPS 4, the admin changes it meanwhile, the PKD saves: a conflict
    page.goto(f"{base}/tps/{COL}/desa/{A}/tps/4/")
    actx, apage = _login(browser, base, "admin.provinsi", pw["admin.provinsi"], f"/tps/{COL}/desa/{A}/tps/4/")
    apage.locator("#a_i19").check()
    apage.locator("input[name=n_i19]").fill("banjir tahunan")
    apage.get_by_role("button", name="Simpan TPS ini").click()
    apage.wait_for_url(f"{base}/tps/{COL}/desa/{A}/")
    actx.close()
    page.locator("#a_i07").check()
    page.locator("input[name=n_i07]").fill("keributan 2020")
    page.get_by_role("button", name="Simpan TPS ini").click()
    page.wait_for_url(f"{base}{desa}")
    conflict = page.locator("#tps-pending li[data-state=conflict]")
    conflict.wait_for()
    assert "Konflik" in conflict.inner_text() and "TPS 004" in conflict.inner_text()
    page.screenshot(path=str(ARTIFACTS / "tps-3-conflict.png"), full_page=True)
    s4 = _station(data, 4)
    assert s4[1] == '["i19"]' and s4[3] == 1  # the newer checklist was not overwritten
    assert [r[1] for r in _saves(data, s4[0])] == ["applied", "conflict"]
    # the PKD has read the notice and dismisses it: gone from the phone (also after a reload), while
    # the conflict stays on the server for the Panwascam (below)
    assert page.locator("#tps-pending li[data-state=waiting] button").count() == 0  # nothing waiting can go
    conflict.get_by_role("button", name="Tutup pemberitahuan TPS 004").click()
    _until(page, "document.querySelectorAll('#tps-pending li').length", lambda n: n == 0)
    assert page.locator("#tps-pending").is_hidden()
    page.reload()
    assert _until(page, OUTBOX_COUNT, lambda n: n is not None) == 0
    assert page.locator("#tps-pending li").count() == 0
    assert [r[1] for r in _saves(data, s4[0])] == ["applied", "conflict"]
    ctx.close()

    # the Panwascam sees both and chooses
    pctx, ppage = _login(browser, base, "panwascam.demo", pw["panwascam.demo"], f"/tps/{COL}/pengawasan/")
    box = ppage.locator(".conflict")
    assert box.count() == 1 and "Riwayat kekerasan" in box.inner_text()
    ppage.screenshot(path=str(ARTIFACTS / "tps-4-supervisor-conflict.png"), full_page=True)
    box.get_by_role("button", name="Ambil simpanan yang berkonflik").click()
    _eventually(lambda: _station(data, 4)[1], lambda answers: answers == '["i07"]')
    pctx.close()
