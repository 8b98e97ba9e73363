"""Webhooks against a real local HTTP receiver: the signature verifies, a receiver that is down gets
the message once it is back, every message carries a delivery id the receiver counts once."""

from __future__ import annotations

import datetime as dt
import json
import threading

import pytest
from django.utils import timezone

from rawan.web.warnings import delivery as D
from rawan.web.warnings.models import Delivery, DeliveryStatus, Organisation, Webhook
from rawan.web.warnings.receiver import serve

PORT = 8271
SECRET = "rahasia-uji-" + "a" * 20


@pytest.fixture
def hook(db):
    Webhook.objects.all().delete()
    org = Organisation.objects.get(code="polda-jambi")
    return Webhook.objects.create(organisation=org, url=f"http://127.0.0.1:{PORT}/hook", secret=SECRET)


class Receiver:
    def __init__(self, tmp_path, port=PORT):
        self.out = tmp_path / "got.jsonl"
        self.server = serve(port, SECRET, str(self.out))
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def records(self):
        return [json.loads(x) for x in self.out.read_text().splitlines()] if self.out.exists() else []

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


def test_signed_delivery_reaches_the_receiver(hook, tmp_path, django_capture_on_commit_callbacks, empty_queue):
    from rawan.web.tasks import run_pending

    rec = Receiver(tmp_path)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            [d] = D.queue_webhooks("alert.raised", {"alert": 1, "region": "15.71"})
        assert run_pending() == 1  # the delivery is a background job (rawan worker)
        d.refresh_from_db()
        assert d.status == DeliveryStatus.DELIVERED and d.attempts == 1
        [r] = rec.records()
        assert r["signature_ok"] and not r["duplicate"] and r["delivery"] == str(d.delivery_id)
        assert r["body"]["data"] == {"alert": 1, "region": "15.71"} and r["body"]["organisation"] == "polda-jambi"
        assert r["body"]["delivery_id"] == str(d.delivery_id) and r["event"] == "alert.raised"
        # the signature is over the exact body: verify_signature agrees, and a changed body fails
        body = D.body_of(d)
        assert D.verify_signature(SECRET, body, D.sign(SECRET, body))
        assert not D.verify_signature(SECRET, body + b" ", D.sign(SECRET, body))
        # a receiver with another secret refuses it (401) and it stays pending
        hook.secret = "another"
        hook.save()
        [d2] = D.queue_webhooks("alert.raised", {"alert": 2})
        with pytest.raises(D.DeliveryFailed):
            D.send_delivery(d2.pk)
        d2.refresh_from_db()
        assert d2.status == DeliveryStatus.PENDING and d2.last_error == "HTTP 401"
        assert not rec.records()[-1]["signature_ok"]
    finally:
        rec.stop()


def test_receiver_down_then_up_gets_it_with_back_off(hook, tmp_path):
    [d] = D.queue_webhooks("alert.raised", {"alert": 3})
    t0 = timezone.now()
    with pytest.raises(D.DeliveryFailed):
        D.send_delivery(d.pk)  # nobody listens
    d.refresh_from_db()
    assert d.status == DeliveryStatus.PENDING and d.attempts == 1
    assert d.next_attempt_at >= t0 + dt.timedelta(seconds=D.BACKOFF_SECONDS)
    assert D.deliver_due() == 0  # not due yet
    Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
    with pytest.raises(D.DeliveryFailed):
        D.send_delivery(d.pk)
    d.refresh_from_db()
    assert d.attempts == 2 and d.next_attempt_at >= timezone.now() + dt.timedelta(seconds=2 * D.BACKOFF_SECONDS - 1)
    rec = Receiver(tmp_path)
    try:
        Delivery.objects.filter(pk=d.pk).update(next_attempt_at=timezone.now())
        assert D.deliver_due() == 1
        d.refresh_from_db()
        assert d.status == DeliveryStatus.DELIVERED and d.attempts == 3
        assert [r["delivery"] for r in rec.records()] == [str(d.delivery_id)]
        assert D.send_delivery(d.pk) == DeliveryStatus.DELIVERED  # sending it again sends nothing
        assert len(rec.records()) == 1
    finally:
        rec.stop()


def test_attempts_used_up_fail_visibly(hook):
    [d] = D.queue_webhooks("alert.raised", {"alert": 4})
    Delivery.objects.filter(pk=d.pk).update(attempts=D.MAX_ATTEMPTS - 1)
    assert D.send_delivery(d.pk) == DeliveryStatus.FAILED
    from rawan.web.warnings.models import Notification

    assert Notification.objects.filter(kind="webhook.failed", user__username="admin.provinsi").exists()


def test_receiver_counts_a_delivery_sent_twice_once(hook, tmp_path):
    """A sender killed after the receiver took the message sends it again: same delivery id."""
    rec = Receiver(tmp_path)
    try:
        [d] = D.queue_webhooks("alert.raised", {"alert": 5})
        D.send_delivery(d.pk)
        Delivery.objects.filter(pk=d.pk).update(status=DeliveryStatus.PENDING)  # as if the ack was lost
        D.send_delivery(d.pk)
        got = rec.records()
        assert [r["delivery"] for r in got] == [str(d.delivery_id)] * 2
        assert [r["duplicate"] for r in got] == [False, True]
    finally:
        rec.stop()


def test_admin_manages_organisations_and_webhooks(as_user, db):
    from rawan.web.audit.models import AuditEntry

    admin = as_user("admin")
    assert as_user("verifier").get("/organisasi/").status_code == 403
    assert as_user("viewer").post("/organisasi/", {"action": "add"}).status_code == 403
    r = admin.post("/organisasi/", {"action": "add", "code": "Polres Kerinci", "name": "Polres Kerinci",
                                    "kind": "polri"})
    assert not Organisation.objects.filter(name="Polres Kerinci").exists()
    admin.post("/organisasi/", {"action": "add", "code": "polres-kerinci", "name": "Polres Kerinci", "kind": "polri",
                                "region": "15.01"})
    org = Organisation.objects.get(code="polres-kerinci")
    r = admin.post("/organisasi/", {"action": "webhook", "org": org.pk, "url": "https://penerima.contoh/rawan"})
    hook = Webhook.objects.get(organisation=org)
    assert r.status_code == 200 and hook.secret in r.content.decode() and r["Cache-Control"] == "no-store"
    assert hook.secret not in admin.get("/organisasi/").content.decode()  # shown once
    admin.post("/organisasi/", {"action": "webhook", "org": org.pk, "url": "ftp://x"})
    assert Webhook.objects.get(organisation=org).url == "https://penerima.contoh/rawan"
    assert AuditEntry.objects.filter(action="rawan.webhook.changed").count() >= 2
    # a failed delivery can be sent again from the page
    d = Delivery.objects.create(webhook=hook, kind="alert.raised", payload={}, status=DeliveryStatus.FAILED,
                                attempts=10, next_attempt_at=timezone.now())
    admin.post("/organisasi/", {"action": "retry", "delivery": d.pk})
    d.refresh_from_db()
    assert (d.status, d.attempts) == (DeliveryStatus.PENDING, 0)
    admin.post("/organisasi/", {"action": "remove", "org": org.pk})
    assert not Webhook.objects.filter(organisation=org).exists()
