"""The audit log: append-only from the application, kept when its edition or user is deleted,
hash-chained so a change or removal behind the application's back is found; refused writes and
logins are in it."""

from __future__ import annotations

import pytest
from django.db import connection

from rawan.web.audit.models import AppendOnly, AuditEntry, log_action, verify_chain

pytestmark = pytest.mark.django_db
TRAIN = "contoh-latihan-2026"


def test_the_chain_of_a_working_installation_verifies(as_user):
    as_user("op_kerinci").post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "3", "n_i01": "BA", "action": "save"})
    as_user("admin").post(f"/e/{TRAIN}/kelola/aksi/", {"action": "status", "status": "verifikasi"})
    n, bad = verify_chain()
    assert bad is None and n == AuditEntry.objects.count() > 10


def test_the_application_never_changes_or_deletes_an_entry():
    e = log_action("rawan.user.login")
    e.data = {"x": 1}
    with pytest.raises(AppendOnly):
        e.save()
    with pytest.raises(AppendOnly):
        e.delete()
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=e.pk).update(action="x")
    with pytest.raises(AppendOnly):
        AuditEntry.objects.filter(pk=e.pk).delete()
    assert verify_chain()[1] is None


def _sql(query, *args):
    with connection.cursor() as c:
        c.execute(query.replace("{table}", AuditEntry._meta.db_table), args)


@pytest.mark.parametrize("tamper", ["change", "remove", "remove-last", "move-lane", "move-last-lane",
                                    "remove-lane-head"])
def test_tampering_behind_the_application_is_found(tamper, capsys):
    from rawan.cli import main
    from rawan.web.audit.models import AuditHead

    entries = [log_action("rawan.user.login_failed", data={"username": f"u{i}"}) for i in range(5)]
    if tamper == "change":
        _sql("UPDATE {table} SET username = %s WHERE id = %s", "someone-else", entries[2].pk)
    elif tamper == "remove":
        _sql("DELETE FROM {table} WHERE id = %s", entries[2].pk)
    elif tamper == "remove-last":
        _sql("DELETE FROM {table} WHERE id = %s", entries[4].pk)
    elif tamper == "move-lane":  # out of its chain into another one
        _sql("UPDATE {table} SET lane = %s WHERE id = %s", 7, entries[2].pk)
    elif tamper == "move-last-lane":
        _sql("UPDATE {table} SET lane = %s WHERE id = %s", 7, entries[4].pk)
    else:  # the lane's entries kept, its head row removed
        lane = entries[0].lane
        with connection.cursor() as c:
            c.execute(f"DELETE FROM {AuditHead._meta.db_table} WHERE id = %s", [lane + 1])
    _n, bad = verify_chain()
    assert bad is not None
    if tamper in ("change", "remove", "move-lane"):
        assert bad.pk == (entries[2].pk if tamper == "change" else entries[3].pk)
    assert main(["web", "audit-verify"]) == 1
    assert "RUSAK" in capsys.readouterr().out


def test_cli_verifies_an_intact_chain(capsys):
    from rawan.cli import main

    from rawan.web.audit.models import log_fingerprint

    assert main(["web", "audit-verify"]) in (0, None)
    out = capsys.readouterr().out
    before = log_fingerprint()
    assert "utuh" in out and before in out.replace("\n", "")
    log_action("rawan.user.login")  # any new entry, in any lane, changes the fingerprint
    assert log_fingerprint() != before


def test_deleting_an_edition_keeps_its_entries(as_user):
    from rawan.web.editions.models import Edition

    r = as_user("admin").post("/edisi/baru/", {"title": "Edisi Uji Hapus", "model": "ikp-2024",
                                               "level": "kabupaten_kota", "scope": "15"})
    assert r.status_code == 302
    ed = Edition.objects.get(title="Edisi Uji Hapus")
    pk, slug = ed.pk, ed.slug
    n = AuditEntry.objects.filter(edition_id=pk).count()
    assert n >= 1
    ed.delete()
    kept = AuditEntry.objects.filter(edition_id=pk)
    assert kept.count() == n and {e.edition_slug for e in kept} == {slug}
    assert verify_chain()[1] is None


def test_refused_writes_and_logins_are_logged(as_user):
    n = AuditEntry.objects.filter(action="rawan.request.refused").count()
    assert as_user("viewer").post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "1"}).status_code == 403
    assert as_user("op_kotajambi").post(f"/e/{TRAIN}/entri/15.01/", {"v_i01": "1"}).status_code == 404
    refused = AuditEntry.objects.filter(action="rawan.request.refused").order_by("-id")[:2]
    assert AuditEntry.objects.filter(action="rawan.request.refused").count() == n + 2
    assert {(e.username, e.data["status"]) for e in refused} == {("pemantau", 403), ("operator.kotajambi", 404)}
    as_user(None).post("/masuk/", {"username": "pemantau", "password": "salah"}, REMOTE_ADDR="203.0.113.9")
    last = AuditEntry.objects.filter(action="rawan.user.login_failed").order_by("-id").first()
    assert last.data == {"username": "pemantau", "address": "203.0.113.9"}
