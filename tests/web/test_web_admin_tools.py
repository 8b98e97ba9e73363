"""Admin and operator tools: delete a wrong event record, manage users, edit edition settings.

Exact status codes per named user, as in test_web_access.py.
"""

from __future__ import annotations

import datetime as dt

import pytest

pytestmark = pytest.mark.django_db

TRAIN = "contoh-latihan-2026"  # in data collection: Kerinci draft, Kota Jambi submitted
PUB = "contoh-ikp-2024-jambi"  # synthetic, published
ALL = ["admin", "op_kerinci", "op_kotajambi", "verifier", "viewer", None]


def _make_event(code="15.01", indicator="i01"):
    from rawan.web.editions.models import Edition
    from rawan.web.entry.models import EventRecord

    return EventRecord.objects.create(edition=Edition.objects.get(slug=TRAIN), region_code=code, indicator=indicator,
                                      severity="berat", weight=3.0, date=dt.date(2026, 3, 2), source="Laporan Panwascam")


def _delete_url(ev):
    return f"/e/{TRAIN}/entri/{ev.region_code}/kejadian/{ev.pk}/hapus/"


def test_delete_event_status_per_user(as_user):
    from rawan.web.entry.models import EventRecord

    got = {}
    for name in ALL:
        ev = _make_event()
        r = as_user(name).post(_delete_url(ev), {"reason": "salah input"})
        got[name] = r.status_code
        if name is None:
            assert "/masuk/" in r["Location"]
        assert EventRecord.objects.filter(pk=ev.pk).exists() == (name not in ("admin", "op_kerinci"))
    assert got == {"admin": 302, "op_kerinci": 302, "op_kotajambi": 404, "verifier": 403, "viewer": 403, None: 302}
    # GET is not allowed; an unknown event id is 404; an event of another region by this URL is 404
    ev = _make_event()
    assert as_user("op_kerinci").get(_delete_url(ev)).status_code == 405
    assert as_user("op_kerinci").post(f"/e/{TRAIN}/entri/15.01/kejadian/999999/hapus/").status_code == 404
    other = _make_event(code="15.71")
    assert as_user("op_kerinci").post(f"/e/{TRAIN}/entri/15.01/kejadian/{other.pk}/hapus/").status_code == 404
    assert EventRecord.objects.filter(pk=other.pk).exists()


def test_delete_event_needs_csrf(as_user):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rawan.web.entry.models import EventRecord

    c = Client(enforce_csrf_checks=True)
    c.force_login(get_user_model().objects.get(username="operator.kerinci"))
    ev = _make_event()
    assert c.post(_delete_url(ev)).status_code == 403
    assert EventRecord.objects.filter(pk=ev.pk).exists()


def test_delete_event_refused_when_not_editable(as_user):
    from rawan.web.entry.models import EventRecord, Submission

    ev = _make_event(code="15.71")  # Kota Jambi is submitted: not editable
    assert Submission.objects.get(edition__slug=TRAIN, region_code="15.71").status == "submitted"
    assert as_user("op_kotajambi").post(_delete_url(ev)).status_code == 403
    assert as_user("admin").post(_delete_url(ev)).status_code == 403
    assert EventRecord.objects.filter(pk=ev.pk).exists()


def test_delete_event_logged_values_unchanged(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.entry.models import Submission

    op = as_user("op_kerinci")
    url = f"/e/{TRAIN}/entri/15.01/"
    ev = _make_event()
    assert op.post(url + "kejadian/terapkan/").status_code == 302
    sub = Submission.objects.get(edition__slug=TRAIN, region_code="15.01")
    filled = sub.values["i01"]
    page = op.get(url).content.decode()
    assert f'action="{_delete_url(ev)}"' in page and 'for="del_reason_%d"' % ev.pk in page
    assert "Isi nilai indikator dari kejadian" in page
    r = op.post(_delete_url(ev), {"reason": "tanggal salah"}, follow=True)
    assert r.status_code == 200
    assert "Kejadian dihapus" in r.content.decode()
    sub.refresh_from_db()
    assert sub.values["i01"] == filled  # not silently changed
    entry = AuditEntry.objects.filter(action="rawan.event.deleted").latest("id")
    assert entry.region_code == "15.01" and entry.username == "operator.kerinci"
    assert entry.data["old"]["id"] == ev.pk and entry.data["old"]["indicator"] == "i01"
    assert entry.data["old"]["source"] == "Laporan Panwascam" and entry.data["new"] == "deleted"
    assert entry.data["reason"] == "tanggal salah"
    audit = op.get(url + "audit/")
    assert audit.status_code == 200 and "Catatan kejadian dihapus" in audit.content.decode()


# --- user management (/pengguna/) ------------------------------------------------------------------

def _act(client, username, action):
    return client.post(f"/pengguna/{username}/aksi/", {"action": action})


def test_user_actions_admin_only(as_user):
    from django.contrib.auth import get_user_model

    got = {name: _act(as_user(name), "pemantau", "deactivate").status_code for name in ALL if name != "admin"}
    assert got == {"op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    got = {name: _act(as_user(name), "pemantau", "reset").status_code for name in ALL if name != "admin"}
    assert got == {"op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    assert get_user_model().objects.get(username="pemantau").is_active
    assert {name: as_user(name).get("/pengguna/").status_code for name in ALL} == {
        "admin": 200, "op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    admin = as_user("admin")
    assert admin.get("/pengguna/pemantau/aksi/").status_code == 405
    assert _act(admin, "nobody.here", "deactivate").status_code == 404
    assert _act(admin, "pemantau", "explode").status_code == 400


def test_deactivate_blocks_login_and_tokens(as_user):
    from django.contrib.auth import get_user_model
    from django.test import Client

    from rawan.web.accounts.models import ApiToken
    from rawan.web.audit.models import AuditEntry

    User = get_user_model()
    op = User.objects.get(username="operator.kerinci")
    op.set_password("lama-rahasia-123")
    op.save()
    _tok, token = ApiToken.issue(op, "laptop")
    api = Client()
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}
    assert api.get(f"/api/editions/{TRAIN}", **auth).status_code == 200
    session = as_user("op_kerinci")
    assert session.get(f"/e/{TRAIN}/entri/15.01/").status_code == 200

    admin = as_user("admin")
    r = _act(admin, "operator.kerinci", "deactivate")
    assert r.status_code == 302 and r["Location"] == "/pengguna/"
    assert not User.objects.get(username="operator.kerinci").is_active
    assert api.get(f"/api/editions/{TRAIN}", **auth).status_code == 401
    assert session.get(f"/e/{TRAIN}/entri/15.01/").status_code == 302  # session no longer valid
    login = Client().post("/masuk/", {"username": "operator.kerinci", "password": "lama-rahasia-123"})
    assert login.status_code == 401
    page = admin.get("/pengguna/").content.decode()
    assert "nonaktif" in page and "Aktifkan kembali operator.kerinci" in page
    e = AuditEntry.objects.filter(action="rawan.user.deactivated").latest("id")
    assert e.username == "admin.provinsi" and e.data == {"username": "operator.kerinci", "old": {"active": True},
                                                           "new": {"active": False}}

    assert _act(admin, "operator.kerinci", "activate").status_code == 302
    assert User.objects.get(username="operator.kerinci").is_active
    assert api.get(f"/api/editions/{TRAIN}", **auth).status_code == 200
    assert Client().post("/masuk/", {"username": "operator.kerinci", "password": "lama-rahasia-123"}).status_code == 302
    assert AuditEntry.objects.filter(action="rawan.user.reactivated", data__username="operator.kerinci").exists()


def test_admin_cannot_deactivate_self(as_user):
    from django.contrib.auth import get_user_model

    r = _act(as_user("admin"), "admin.provinsi", "deactivate")
    assert r.status_code == 400
    assert "Anda tidak dapat menonaktifkan akun Anda sendiri." in r.content.decode()
    assert get_user_model().objects.get(username="admin.provinsi").is_active


def test_reset_password_shown_once(as_user):
    import re

    from django.test import Client

    from rawan.web.audit.models import AuditEntry

    admin = as_user("admin")
    r = _act(admin, "verifikator", "reset")
    assert r.status_code == 302 and r["Location"] == "/pengguna/"  # POST/redirect/GET: a reload repeats nothing
    r = admin.get("/pengguna/")
    assert r.status_code == 200 and r["Cache-Control"].startswith("max-age=0")
    html = r.content.decode()
    m = re.search(r"<strong>verifikator</strong>: <code>([^<]+)</code>", html)
    assert m and len(m.group(1)) == 16  # secrets.token_urlsafe(12), as for a new user
    password = m.group(1)
    assert password not in admin.get("/pengguna/").content.decode()  # shown once: a reload no longer shows it
    assert AuditEntry.objects.filter(action="rawan.user.password_reset").count() == 1  # and did not reset again
    assert Client().post("/masuk/", {"username": "verifikator", "password": password}).status_code == 302
    e = AuditEntry.objects.filter(action="rawan.user.password_reset").latest("id")
    assert e.username == "admin.provinsi" and e.data == {"username": "verifikator"}
    assert password not in str(e.data)


# --- edition settings (/e/<slug>/kelola/pengaturan/) ------------------------------------------------

def _settings(client, slug=TRAIN, **kw):
    data = {"title": "Latihan IKP 2026 (diubah)", "title_en": "Training 2026", "window_start": "2026-01-01",
            "window_end": "2026-12-31", "previous": "", **kw}
    return client.post(f"/e/{slug}/kelola/pengaturan/", data)


def test_edition_settings_admin_only(as_user):
    from rawan.web.editions.models import Edition

    url = f"/e/{TRAIN}/kelola/pengaturan/"
    assert {name: as_user(name).get(url).status_code for name in ALL} == {
        "admin": 200, "op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    got = {name: _settings(as_user(name)).status_code for name in ALL if name != "admin"}
    assert got == {"op_kerinci": 403, "op_kotajambi": 403, "verifier": 403, "viewer": 403, None: 302}
    assert Edition.objects.get(slug=TRAIN).title != "Latihan IKP 2026 (diubah)"
    assert as_user("admin").get("/e/no-such-edition/kelola/pengaturan/").status_code == 404


def test_edition_settings_saved_and_logged(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.editions.models import Edition

    admin = as_user("admin")
    before = Edition.objects.get(slug=TRAIN)
    page = admin.get(f"/e/{TRAIN}/kelola/pengaturan/").content.decode()
    assert "tidak dapat diubah setelah edisi dibuat" in page
    assert 'name="model"' not in page and 'name="level"' not in page and 'name="scope"' not in page
    assert '<label for="id_title">Judul</label>' in page
    assert before.previous.slug == PUB
    r = _settings(admin, previous="")
    assert r.status_code == 302 and r["Location"] == f"/e/{TRAIN}/kelola/"
    ed = Edition.objects.get(slug=TRAIN)
    assert ed.title == "Latihan IKP 2026 (diubah)" and ed.title_en == "Training 2026"
    assert str(ed.window_start) == "2026-01-01" and str(ed.window_end) == "2026-12-31"
    assert ed.previous is None
    assert (ed.model_sha256, ed.level, ed.scope_code, ed.regions) == (before.model_sha256, before.level,
                                                                       before.scope_code, before.regions)
    e = AuditEntry.objects.filter(action="rawan.edition.settings", edition=ed).latest("id")
    assert e.username == "admin.provinsi"
    assert e.data["old"]["title"] == before.title and e.data["new"]["title"] == "Latihan IKP 2026 (diubah)"
    assert e.data["old"]["previous"] == PUB and e.data["new"]["previous"] == ""
    assert e.data["new"]["window_end"] == "2026-12-31"
    # saving again without change logs nothing
    n = AuditEntry.objects.filter(action="rawan.edition.settings").count()
    assert _settings(admin, previous="").status_code == 302
    assert AuditEntry.objects.filter(action="rawan.edition.settings").count() == n


def test_window_in_the_past_closes_entry_and_says_so(as_user):
    # accepted (an admin may close collection early, or record a past exercise), but said plainly
    admin = as_user("admin")
    op = as_user("op_kerinci")
    entry = f"/e/{TRAIN}/entri/15.01/"
    assert op.get(entry).status_code == 200 and "Simpan draf" in op.get(entry).content.decode()
    r = _settings(admin, window_start="2020-01-01", window_end="2020-02-01")
    assert r.status_code == 302
    page = admin.get(r["Location"]).content.decode()
    assert "Hari ini di luar masa pengumpulan" in page
    assert "tertutup hari ini: operator tidak dapat mengisi data" in page
    assert "Simpan draf" not in op.get(entry).content.decode()
    assert op.post(entry, {"action": "save"}).status_code == 403
    r = _settings(admin, window_start="2020-01-01", window_end="2099-12-31")
    page = admin.get(r["Location"]).content.decode()
    assert "terbuka hari ini" in page and "Hari ini di luar" not in page


def test_edition_settings_validated_like_creation(as_user):
    from rawan.web.editions.models import Edition

    admin = as_user("admin")
    before = Edition.objects.get(slug=TRAIN)
    r = _settings(admin, window_start="2026-12-31", window_end="2026-01-01")
    assert r.status_code == 400 and "Pengumpulan tidak dapat berakhir sebelum dimulai." in r.content.decode()
    assert _settings(admin, title="").status_code == 400
    assert _settings(admin, previous=TRAIN).status_code == 400  # itself: not a choice
    assert _settings(admin, previous="no-such-edition").status_code == 400
    ed = Edition.objects.get(slug=TRAIN)
    assert (ed.title, ed.window_end, ed.previous_id) == (before.title, before.window_end, before.previous_id)
    # a loop through a previous edition is refused: PUB compared with TRAIN, then TRAIN with PUB
    pub = Edition.objects.get(slug=PUB)
    pub.previous = ed
    pub.save()
    r = _settings(admin, previous=PUB)
    assert r.status_code == 400 and "tidak dapat dibandingkan" in r.content.decode()


def test_published_edition_settings_frozen(as_user):
    from rawan.web.editions.models import Edition

    admin = as_user("admin")
    before = Edition.objects.get(slug=PUB)
    page = admin.get(f"/e/{PUB}/kelola/pengaturan/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "DATA CONTOH" in html and "Tingkat: Kab/kota di provinsi" in html
    assert "pengaturannya dibekukan" in html and "<form method=\"post\" class=\"card\">" not in html
    r = _settings(admin, slug=PUB)
    assert r.status_code == 403 and "pengaturannya dibekukan" in r.content.decode()
    assert Edition.objects.get(slug=PUB).title == before.title


@pytest.mark.slow
def test_cli_set_password_and_deactivate(tmp_path):
    """`rawan web set-password USER` / `rawan web deactivate USER [--reactivate]` on a fresh SQLite."""
    import os
    import re
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(RAWAN_DATA_DIR=str(tmp_path), RAWAN_SECRET_KEY="cli-test-" + "q7" * 30, RAWAN_LANG="id", COLUMNS="200")

    def run(*args):
        return subprocess.run([sys.executable, "-m", "rawan", "web", *args], env=env, capture_output=True,
                              text=True, timeout=120)

    made = run("create-user", "pengamat.kpu", "--role", "viewer")
    assert made.returncode == 0, made.stderr
    first = re.search(r"\):\s+(\S+)", made.stdout).group(1)
    reset = run("set-password", "pengamat.kpu")
    assert reset.returncode == 0 and "Kata sandi baru untuk pengamat.kpu" in reset.stdout
    second = re.search(r"\):\s+(\S+)", reset.stdout).group(1)
    assert len(second) == 16 and second != first
    off = run("deactivate", "pengamat.kpu")
    assert off.returncode == 0 and "dinonaktifkan" in off.stdout
    assert "tidak ada yang berubah" in run("deactivate", "pengamat.kpu").stdout
    assert "dapat masuk lagi" in run("deactivate", "pengamat.kpu", "--reactivate").stdout
    missing = run("set-password", "tidak.ada")
    assert missing.returncode == 2 and "Pengguna tidak.ada tidak ada." in missing.stdout + missing.stderr
    # the database agrees: active again, the last password works, three actions in the audit log
    check = subprocess.run([sys.executable, "-c", (
        "from rawan.web import setup; setup()\n"
        "from django.contrib.auth import get_user_model\n"
        "from rawan.web.audit.models import AuditEntry\n"
        "u = get_user_model().objects.get(username='pengamat.kpu')\n"
        f"print(u.is_active, u.check_password({second!r}), "
        "sorted(AuditEntry.objects.filter(data__username='pengamat.kpu').values_list('action', flat=True)))")],
        env=env, capture_output=True, text=True, timeout=120)
    assert check.stdout.strip() == ("True True ['rawan.user.created', 'rawan.user.deactivated', "
                                    "'rawan.user.password_reset', 'rawan.user.reactivated']"), check.stderr
