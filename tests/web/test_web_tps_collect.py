"""The PKD's saves, "tidak ada", conflicts, returns, the window, bulk accounts and the counts."""

from __future__ import annotations

import uuid

import pytest

pytestmark = pytest.mark.django_db

COL = "contoh-tps-pengumpulan-2026"
PUB = "contoh-tps-pilkada-2024-jambi"
A = "15.01.01.2001"


def _tps():
    from rawan.web.tps.models import TpsEdition

    return TpsEdition.objects.get(edition__slug=COL)


def post_save(client, number, base, sid=None, **answers):
    d = {"save_id": sid or str(uuid.uuid4()), "base_version": str(base)}
    for code, note in answers.items():
        d[f"a_{code}"] = "1"
        d[f"n_{code}"] = note
    return client.post(f"/tps/{COL}/desa/{A}/tps/{number}/", d, HTTP_ACCEPT="application/json")


def test_each_save_applied_once_and_stale_save_is_a_conflict(as_user):
    from rawan.web.audit.models import AuditEntry
    from rawan.web.tps.models import DesaReport, TpsSave, TpsStation

    pkd = as_user("pkd")
    sid = str(uuid.uuid4())
    r = post_save(pkd, 1, 0, sid, i02="pindahan 12 orang", i24="listrik padam")
    assert r.status_code == 200 and r.json()["outcome"] == "applied" and r.json()["version"] == 1
    st = TpsStation.objects.get(edition=_tps(), desa_code=A, number=1)
    assert st.answers == ["i02", "i24"] and st.notes == {"i02": "pindahan 12 orang", "i24": "listrik padam"}
    n_audit = AuditEntry.objects.count()
    # the same save again (its answer was lost on the way back): the same answer, nothing applied twice
    r2 = post_save(pkd, 1, 0, sid, i02="pindahan 12 orang", i24="listrik padam")
    assert r2.status_code == 200 and r2.json()["version"] == 1
    assert TpsSave.objects.filter(save_id=sid).count() == 1 and AuditEntry.objects.count() == n_audit
    # a note without a "ya" is dropped; the desa is now partly reported (1 of its TPS)
    r = post_save(pkd, 2, 0, i05="")
    assert r.json()["outcome"] == "applied"
    assert DesaReport.objects.get(edition=_tps(), desa_code=A).status == "sebagian"
    # another phone saves TPS 1 on version 1; then a save made on version 0 arrives: a conflict
    assert post_save(pkd, 1, 1, i03="tiga").json()["version"] == 2
    r = post_save(pkd, 1, 0, i07="kekerasan 2019")
    assert r.status_code == 409 and r.json()["outcome"] == "conflict" and r.json()["current"]["answers"] == ["i03"]
    st.refresh_from_db()
    assert st.answers == ["i03"] and st.version == 2  # the newer checklist is not overwritten
    conflict = TpsSave.objects.get(station=st, outcome="conflict")
    # the Panwascam sees both and chooses: take the conflicting one (a new version)
    page = as_user("panwascam").get(f"/tps/{COL}/pengawasan/").content.decode()
    assert f'data-conflict="{conflict.pk}"' in page and "Riwayat kekerasan" in page
    assert as_user("pkd").post(f"/tps/{COL}/konflik/{conflict.pk}/", {"choice": "take"}).status_code == 403
    assert as_user("panwascam").post(f"/tps/{COL}/konflik/{conflict.pk}/", {"choice": "take"}).status_code == 302
    st.refresh_from_db()
    assert st.answers == ["i07"] and st.version == 3
    conflict.refresh_from_db()
    assert conflict.outcome == "taken" and conflict.resolved_by.username == "panwascam.demo"
    # deciding again changes nothing
    as_user("panwascam").post(f"/tps/{COL}/konflik/{conflict.pk}/", {"choice": "keep"})
    st.refresh_from_db()
    assert st.version == 3


def test_invalid_checklist_saves_nothing(as_user):
    from rawan.web.tps.models import TpsSave

    r = post_save(as_user("pkd"), 1, 0, i02="x" * 501)
    assert r.status_code == 400 and "i02" in r.json()["error"] and "TPS 001" in r.json()["error"]
    r = as_user("pkd").post(f"/tps/{COL}/desa/{A}/tps/1/", {"base_version": "0", "a_i01": "1"})
    assert r.status_code == 400
    assert not TpsSave.objects.filter(station__desa_code=A).exists()


def test_tidak_ada_differs_from_belum(as_user):
    from rawan.web.tps.models import DesaReport

    pkd = as_user("pkd")
    rep = DesaReport.objects.get(edition=_tps(), desa_code=A)
    assert rep.status == "belum"
    page = pkd.get(f"/tps/{COL}/desa/{A}/").content.decode()
    assert 'data-panduan="tps-tidak-ada"' in page and "Tidak ada kerawanan di desa ini" in page
    # refused while a TPS has a "ya"
    post_save(pkd, 3, 0, i19="banjir")
    pkd.post(f"/tps/{COL}/desa/{A}/tidak-ada/")
    rep.refresh_from_db()
    assert rep.status == "sebagian"
    post_save(pkd, 3, 1)  # TPS 3 cleared
    r = pkd.post(f"/tps/{COL}/desa/{A}/tidak-ada/", follow=True)
    rep.refresh_from_db()
    assert rep.status == "tidak_ada" and "Tercatat: tidak ada kerawanan" in r.content.decode()
    prog = as_user("panwascam").get(f"/api/tps/editions/{COL}/progress").json()["total"]
    assert prog["tidak_ada"] >= 1 and prog["belum"] + prog["tidak_ada"] + prog["lapor"] + prog["sebagian"] + prog["kembali"] == prog["n"]


def test_return_with_comment(as_user):
    from rawan.web.tps.models import DesaReport

    pkd, pw = as_user("pkd"), as_user("panwascam")
    url = f"/tps/{COL}/desa/{A}/kembalikan/"
    pw.post(url, {"comment": "belum lapor"})  # nothing reported yet: nothing to return
    assert DesaReport.objects.get(edition=_tps(), desa_code=A).status == "belum"
    post_save(pkd, 1, 0, i02="dua")
    pw.post(url, {"comment": ""})
    assert DesaReport.objects.get(edition=_tps(), desa_code=A).status == "sebagian"  # a comment is required
    pw.post(url, {"comment": "TPS 002 belum diisi, periksa lagi"})
    rep = DesaReport.objects.get(edition=_tps(), desa_code=A)
    assert rep.status == "kembali" and rep.comment.startswith("TPS 002")
    assert "TPS 002 belum diisi, periksa lagi" in pkd.get(f"/tps/{COL}/desa/{A}/").content.decode()
    post_save(pkd, 2, 0)  # the PKD saves again: the report is no longer "returned"
    assert DesaReport.objects.get(edition=_tps(), desa_code=A).status == "sebagian"


def test_window_open_and_close(as_user):
    admin, pkd = as_user("admin"), as_user("pkd")
    assert admin.post(f"/tps/{COL}/pengawasan/jendela/", {"action": "close"}).status_code == 302
    assert post_save(pkd, 1, 0).status_code == 403
    assert 'data-panduan="tps-simpan"' not in pkd.get(f"/tps/{COL}/desa/{A}/tps/1/").content.decode()
    assert admin.post(f"/tps/{COL}/pengawasan/jendela/", {"action": "open", "start": "2026-01-01",
                                                          "end": "2099-12-31"}).status_code == 302
    assert post_save(pkd, 1, 0).status_code == 200
    admin.post(f"/tps/{COL}/pengawasan/jendela/", {"action": "open", "start": "2099-01-01", "end": "2099-01-06"})
    assert post_save(pkd, 1, 1).status_code == 403  # the window has not started


def test_pages_under_100_kb(as_user):
    from pathlib import Path

    import rawan.web

    static = Path(rawan.web.__file__).parent / "static" / "rawan"
    assets = sum((static / f).stat().st_size for f in ("rawan.css", "tps.js", "tps-sw.js"))
    pkd = as_user("pkd")
    for url in (f"/tps/{COL}/desa/{A}/", f"/tps/{COL}/desa/{A}/tps/1/"):
        body = pkd.get(url).content
        assert len(body) + assets < 100_000, (url, len(body), assets)


def test_bulk_accounts_from_csv(as_user, client):
    from django.contrib.auth import get_user_model
    from django.core.files.uploadedfile import SimpleUploadedFile

    User = get_user_model()
    admin = as_user("admin")
    bad = "kode_desa;nama\n15.01.01.2002;Siti\n15.01.01.2002;Ali\n15.99.99.9999;X\n15.01.01.2001;Y\n"
    r = admin.post("/pengguna/massal/", {"file": SimpleUploadedFile("pkd.csv", bad.encode())})
    text = r.content.decode()
    assert r.status_code == 400
    assert "pkd.csv, baris 3" in text and "pkd.csv, baris 4, kolom kode_desa" in text and "15.99.99.9999" in text
    assert "15.01.01.2001 sudah punya akun PKD" in text  # the demo's pkd.demo
    assert not User.objects.filter(username__startswith="pkd.150101").exists()  # nothing half-written
    good = "kode_desa,nama\n15.01.01.2002,Siti\n15.01.01.2003,Ali\n15.01.02.2001,Budi\n"
    r = admin.post("/pengguna/massal/", {"file": SimpleUploadedFile("pkd.csv", good.encode())})
    text = r.content.decode()
    assert r.status_code == 200 and text.count("<code>pkd.") == 3
    import re

    pw = re.search(r"<code>pkd\.1501012002</code></td><td><code>([^<]+)</code>", text).group(1)
    assert User.objects.get(username="pkd.1501012002").profile.region_code == "15.01.01.2002"
    # the one-time password logs in once, and the first page asks for the user's own password
    r = client.post("/masuk/", {"username": "pkd.1501012002", "password": pw, "next": f"/tps/{COL}/"})
    assert r.status_code == 302
    assert client.get(f"/tps/{COL}/").url == "/akun/kata-sandi-baru/"
    r = client.post("/akun/kata-sandi-baru/", {"new_password1": "kata-sandi-PKD-2026", "new_password2": "kata-sandi-PKD-2026"})
    assert r.status_code == 302
    assert client.get(f"/tps/{COL}/desa/15.01.01.2002/").status_code == 200
    assert client.get(f"/tps/{COL}/desa/{A}/").status_code == 404
    client.post("/keluar/")
    assert client.post("/masuk/", {"username": "pkd.1501012002", "password": pw}).status_code == 401  # used
    assert client.post("/masuk/", {"username": "pkd.1501012002", "password": "kata-sandi-PKD-2026"}).status_code == 302
    assert as_user("op_kerinci").get("/pengguna/massal/").status_code == 403


def test_counts_equal_an_independent_count(as_user):
    """The published edition's counts (page, CSV, API) equal a plain count over the database rows."""
    import csv
    import io
    from collections import Counter

    from rawan.web.tps.models import DesaReport, TpsEdition, TpsStation

    tps = TpsEdition.objects.get(edition__slug=PUB)
    per_kab = Counter()
    rawan_kab = Counter()
    for kab, answers in TpsStation.objects.filter(edition=tps).values_list("kabkota_code", "answers"):
        for a in answers:
            per_kab[(kab, a)] += 1
        rawan_kab[kab] += bool(answers)
    body = as_user(None).get(f"/tps/{PUB}/unduh/rekap.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    rows = [r for r in rows if (r["code"] or "").startswith("15.")]  # the last line: the DATA CONTOH note
    assert len(rows) == 11
    for r in rows:
        assert int(r["tps_rawan"]) == rawan_kab[r["code"]]
        for code in ("i01", "i05", "i23", "i25"):
            assert int(r[code]) == per_kab[(r["code"], code)], (r["code"], code)
    doc = as_user(None).get(f"/api/tps/editions/{PUB}/results").json()["counts"]
    total = Counter(a for ans in TpsStation.objects.filter(edition=tps).values_list("answers", flat=True) for a in ans)
    got = {row["code"]: row["n"] for g in doc["groups"] for row in g["rows"]}
    assert got == {k: v for k, v in total.items() if v}
    assert doc["rawan"] == sum(rawan_kab.values()) and doc["n_tps"] == TpsStation.objects.filter(edition=tps).count()
    # bands: every counted indicator is in exactly one band, larger counts never in a lower band
    order = {"paling_banyak": 0, "banyak": 1, "tidak_banyak": 2}
    flat = sorted(((order[g["band"]], -row["n"]) for g in doc["groups"] for row in g["rows"]))
    assert [n for _, n in flat] == sorted(n for _, n in flat)
    assert DesaReport.objects.filter(edition=tps, status="belum").count() == 0
    page = as_user(None).get(f"/tps/{PUB}/").content.decode()
    assert "DATA CONTOH" in page and "Paling banyak terjadi" in page


def test_bulk_accounts_from_the_command_line(tmp_path, db, capsys):
    """`rawan web create-users`: the web's bulk creation from a terminal, all or nothing, the one-time
    passwords in a printable HTML list that logs each user in once."""
    import re

    from django.contrib.auth import authenticate, get_user_model

    from rawan.cli import main
    from rawan.web.audit.models import AuditEntry

    User = get_user_model()
    bad = tmp_path / "pkd-salah.csv"
    bad.write_text("kode_desa;nama\n15.01.01.2005;Siti\n15.01.01.2005;Ali\n15.99.99.9999;X\n15.01.01.2001;Y\n",
                   encoding="utf-8")
    out = tmp_path / "daftar-pkd.html"
    assert main(["web", "create-users", str(bad), "--out", str(out), "--user", "admin.provinsi"]) == 2
    err = capsys.readouterr().err
    assert "Tidak ada akun yang dibuat" in err
    assert "pkd-salah.csv, baris 3" in err and "pkd-salah.csv, baris 4, kolom kode_desa" in err and "15.99.99.9999" in err
    assert "15.01.01.2001 sudah punya akun PKD" in err
    assert not out.exists() and not User.objects.filter(username="pkd.1501012005").exists()
    good = tmp_path / "pkd.csv"
    good.write_text("kode_desa,nama,peran\n15.01.01.2005,Siti,\n15.01.01.2006,Ali,pkd\n15.01.02,Budi,panwascam\n",
                    encoding="utf-8")
    assert main(["web", "create-users", str(good), "-o", str(out), "--user", "admin.provinsi"]) in (0, None)
    assert "3 akun dibuat" in capsys.readouterr().out
    html = out.read_text(encoding="utf-8")
    assert oct(out.stat().st_mode & 0o777) == "0o600"  # it holds passwords
    assert html.count("<code>pkd.") == 2 and "<code>panwascam.150102</code>" in html and "<script" not in html
    assert "http" not in html.replace('xmlns', '')  # nothing fetched when printed
    pw = re.search(r"<code>pkd\.1501012005</code></td><td><code>([^<]+)</code>", html).group(1)
    assert User.objects.get(username="panwascam.150102").profile.region_code == "15.01.02"
    assert authenticate(None, username="pkd.1501012005", password=pw).username == "pkd.1501012005"
    assert authenticate(None, username="pkd.1501012005", password=pw) is None  # once
    entry = AuditEntry.objects.filter(action="rawan.tps.users").order_by("-id").first()
    assert entry.user.username == "admin.provinsi" and entry.data["created"] == 3
    # the same file again: every user exists already, nothing created, the list is not overwritten
    assert main(["web", "create-users", str(good), "-o", str(tmp_path / "lagi.html")]) == 2
    assert "pkd.1501012005 sudah ada" in capsys.readouterr().err and not (tmp_path / "lagi.html").exists()
    # a list that cannot be written leaves no account behind; a wrong suffix is refused before anything
    again = tmp_path / "pkd2.csv"
    again.write_text("kode_desa\n15.01.01.2011\n", encoding="utf-8")
    assert main(["web", "create-users", str(again), "-o", str(tmp_path / "daftar.pdf")]) == 2
    assert main(["web", "create-users", str(again), "-o", str(tmp_path / "tidak-ada" / "d.html")]) == 2
    (tmp_path / "sebuah-folder.html").mkdir()
    assert main(["web", "create-users", str(again), "-o", str(tmp_path / "sebuah-folder.html")]) not in (0, None)
    assert not User.objects.filter(username="pkd.1501012011").exists()


def test_checklist_links_back_to_the_desa_by_its_name(as_user):
    from rawan.web.tps.models import DesaReport

    name = DesaReport.objects.get(edition=_tps(), desa_code=A).desa_name
    assert name and name != A
    pkd = as_user("pkd")
    page = pkd.get(f"/tps/{COL}/desa/{A}/tps/1/").content.decode()
    assert f"← Kembali ke {name}</a>" in page and f"← {A}</a>" not in page
    pkd.cookies["django_language"] = "en"
    assert f"← Back to {name}</a>" in pkd.get(f"/tps/{COL}/desa/{A}/tps/1/").content.decode()


def test_checklists_read_back_from_the_database_exactly_as_stored(db):
    """``checklist_of`` (one query for the TPS, one for the yes answers, their JSON parsed by Arrow) gives
    back what ``store_registry`` wrote: the same answers, answered flags and notes (quotes, newlines and
    non-ASCII text in them), a "tidak ada" desa answered with no yes, a note beside a "no" left out."""
    import numpy as np

    from rawan.demo.tps import synthetic_checklist, synthetic_registry
    from rawan.regions import load_regions
    from rawan.tps import count_tps
    from rawan.web.editions.models import Edition, Status
    from rawan.web.tps.data import checklist_of, store_registry
    from rawan.web.tps.models import DesaReport, ReportStatus, TpsEdition, TpsStation
    from rawan.web.tps.services import freeze_tps_model

    desa = load_regions(province="15").at_level("desa_kelurahan", parent="15.02")
    reg = synthetic_registry([d.code for d in desa], [d.name for d in desa], n_tps=900, election="pilkada-2024",
                             seed=7)
    ed = Edition(slug="uji-baca-tps", title="DATA CONTOH", status=Status.PUBLISHED, level="desa_kelurahan",
                 scope_code="15", regions=[], synthetic=True)
    model = freeze_tps_model(ed, "tps-pilkada-2024")
    ed.save()
    cl = synthetic_checklist(model, reg, seed=7, reported_share=0.8)
    tps = TpsEdition.objects.create(edition=ed, election=model.election.code)
    store_registry(tps, reg, {}, cl)
    codes = model.indicator_codes
    yes_row = int(np.flatnonzero(cl.answers.any(axis=1))[0])
    j = int(np.flatnonzero(cl.answers[yes_row])[0])
    no_j = int(np.flatnonzero(~cl.answers[yes_row])[0])
    d, n = reg.desa_codes[reg.desa_index[yes_row]], int(reg.table.column("tps")[yes_row].as_py())
    st = TpsStation.objects.get(edition=tps, desa_code=d, number=n)
    odd = 'jalan "Sudirman",\nbaris dua; é ü — 100%'
    st.notes = {**st.notes, codes[j]: odd, codes[no_j]: "catatan tanpa ya"}
    st.save()
    silent = next(c for c in reg.desa_codes if not cl.answered[reg.desa_index == reg.desa_codes.index(c)].any())
    DesaReport.objects.filter(edition=tps, desa_code=silent).update(status=ReportStatus.NONE)

    got = checklist_of(tps)
    order = got.registry.rows_of(list(np.asarray(reg.desa_codes, dtype=object)[reg.desa_index]),
                                 reg.table.column("tps").to_numpy())
    assert (got.answers[order] == cl.answers).all()
    expected_answered = cl.answered | (np.asarray(reg.desa_codes, dtype=object)[reg.desa_index] == silent)
    assert (got.answered[order] == expected_answered).all()
    assert got.note_of(int(order[yes_row]), j) == odd
    assert got.note_of(int(order[yes_row]), no_j) is None
    stored = {(int(order[r]), i): t for r, i, t in zip(cl.notes.column("row").to_pylist(),
                                                       cl.notes.column("indicator").to_pylist(),
                                                       cl.notes.column("note").to_pylist())}
    stored[(int(order[yes_row]), j)] = odd
    read = {(r, i): t for r, i, t in zip(got.notes.column("row").to_pylist(), got.notes.column("indicator").to_pylist(),
                                         got.notes.column("note").to_pylist())}
    assert read == stored
    assert count_tps(got).region("ID").rawan == count_tps(cl).region("ID").rawan
