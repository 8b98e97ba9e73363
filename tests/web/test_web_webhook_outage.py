"""A receiver that is down: each delivery backs off, the server log gets one line when the outage
starts and one summary when it ends (never a line per attempt), the worker's console stays quiet,
the admins are told once; the demo's subscription (rawan demo's receiver) is disabled after a few
failures with a note on the admin page, and `rawan demo` enables it again when its receiver runs."""

from __future__ import annotations

import datetime as dt
import logging

import pytest
from django.contrib.auth import get_user_model
from django.test import TestCase
from django.utils import timezone

from rawan.web.warnings import delivery as D
from rawan.web.warnings.models import Delivery, DeliveryStatus, Notification, Organisation, Webhook
from tests.web.test_web_webhooks import SECRET, Receiver

PORT = 8272  # nothing listens here until a test starts its Receiver


def _hook(demo: bool = False) -> Webhook:
    Webhook.objects.all().delete()
    org = Organisation.objects.get(code="polda-jambi")
    return Webhook.objects.create(organisation=org, url=f"http://127.0.0.1:{PORT}/hook", secret=SECRET, demo=demo)


def _lines(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "rawan.web.warnings"]


def _attempt(pk: int) -> str:
    try:
        return D.send_delivery(pk)
    except D.DeliveryFailed:
        return "retry"


@pytest.mark.django_db
def test_an_outage_is_logged_once_then_summarised(tmp_path, caplog):
    caplog.set_level(logging.DEBUG, logger="rawan.web.warnings")
    hook = _hook()
    deliveries = [D.queue_webhooks("alert.raised", {"alert": k})[0] for k in range(3)]
    t0 = timezone.now()
    for _ in range(3):  # nine failed attempts (three per delivery), each delivery backing off
        assert [_attempt(d.pk) for d in deliveries] == ["retry"] * 3
    d0 = Delivery.objects.get(pk=deliveries[0].pk)
    assert d0.attempts == 3 and d0.next_attempt_at >= t0 + dt.timedelta(seconds=4 * D.BACKOFF_SECONDS - 1)
    [line] = _lines(caplog)
    assert line.startswith(f"webhook polda-jambi (http://127.0.0.1:{PORT}/hook) does not answer")
    assert "not logged again until it answers" in line
    hook.refresh_from_db()
    assert hook.failures == 9 and hook.failing_since is not None and hook.active
    rec = Receiver(tmp_path, PORT)
    try:
        assert [D.send_delivery(d.pk) for d in deliveries] == [DeliveryStatus.DELIVERED] * 3
    finally:
        rec.stop()
    lines = _lines(caplog)
    assert len(lines) == 2 and lines[1].startswith("webhook polda-jambi") and "answers again after 9 failed attempts" in lines[1]
    hook.refresh_from_db()
    assert hook.failing_since is None and hook.failures == 0
    # the next outage is logged again, once
    [d] = D.queue_webhooks("alert.raised", {"alert": 9})
    assert _attempt(d.pk) == _attempt(d.pk) == "retry"
    assert len(_lines(caplog)) == 3


@pytest.mark.django_db
def test_deliveries_failing_for_good_tell_the_admins_once_per_outage():
    _hook()
    deliveries = [D.queue_webhooks("alert.raised", {"alert": k})[0] for k in range(3)]
    Delivery.objects.filter(pk__in=[d.pk for d in deliveries]).update(attempts=D.MAX_ATTEMPTS - 1)
    before = Notification.objects.filter(kind="webhook.failed").count()
    assert [_attempt(d.pk) for d in deliveries] == [DeliveryStatus.FAILED] * 3
    admins = get_user_model().objects.filter(is_active=True, profile__role="admin").count()
    assert admins >= 1
    assert Notification.objects.filter(kind="webhook.failed").count() - before == admins  # not 3 per admin


@pytest.mark.django_db
def test_the_demo_subscription_is_disabled_after_a_few_failures_with_a_note(as_user, caplog):
    caplog.set_level(logging.DEBUG, logger="rawan.web.warnings")
    hook = _hook(demo=True)
    deliveries = [D.queue_webhooks("alert.raised", {"alert": k})[0] for k in range(4)]
    before = Notification.objects.filter(kind="webhook.failed").count()
    outcomes = [_attempt(d.pk) for d in deliveries]
    assert outcomes == ["retry"] * (D.DEMO_MAX_FAILURES - 1) + [DeliveryStatus.FAILED] * (5 - D.DEMO_MAX_FAILURES)
    hook.refresh_from_db()
    assert not hook.active and "`rawan demo`" in hook.note and hook.failures == D.DEMO_MAX_FAILURES
    # everything that waited for it is failed with the note, and nothing new is queued for it
    assert set(Delivery.objects.filter(webhook=hook).values_list("status", flat=True)) == {DeliveryStatus.FAILED}
    assert D.queue_webhooks("alert.raised", {"alert": 99}) == []
    assert D.send_delivery(deliveries[0].pk) == DeliveryStatus.FAILED  # a retried job: no request, no line
    lines = _lines(caplog)
    assert len(lines) == 2 and "does not answer" in lines[0]
    assert lines[1].startswith("demo webhook polda-jambi") and f"disabled after {D.DEMO_MAX_FAILURES} failed" in lines[1]
    assert Notification.objects.filter(kind="webhook.failed").count() == before  # no inbox or e-mail storm
    # the admin's page says so, and the admin can enable it again
    admin = as_user("admin")
    page = admin.get("/organisasi/").content.decode()
    assert "data-webhook-note" in page and "Webhook contoh dinonaktifkan" in page and "Aktifkan lagi" in page
    admin.cookies["django_language"] = "en"
    page = admin.get("/organisasi/").content.decode()
    assert "Demo webhook disabled: its receiver" in page and "Webhook contoh" not in page and "Enable again" in page
    admin.cookies["django_language"] = "id"
    admin.post("/organisasi/", {"action": "enable", "org": hook.organisation_id})
    hook.refresh_from_db()
    assert hook.active and hook.note == "" and hook.failing_since is None


@pytest.mark.django_db
def test_rawan_demo_enables_its_subscription_and_sends_what_was_dropped(django_capture_on_commit_callbacks,
                                                                         empty_queue, tmp_path):
    from rawan.web.tasks import run_pending
    from rawan.web.warnings.demo import enable_demo_webhooks

    hook = _hook(demo=True)
    deliveries = [D.queue_webhooks("alert.raised", {"alert": k})[0] for k in range(D.DEMO_MAX_FAILURES)]
    for d in deliveries:
        _attempt(d.pk)
    hook.refresh_from_db()
    assert not hook.active
    rec = Receiver(tmp_path, PORT)  # what `rawan demo` starts before it enables the subscription
    try:
        with django_capture_on_commit_callbacks(execute=True):
            assert enable_demo_webhooks() == D.DEMO_MAX_FAILURES
        hook.refresh_from_db()
        assert hook.active and hook.note == "" and hook.failures == 0
        assert run_pending() == D.DEMO_MAX_FAILURES
        assert {r["delivery"] for r in rec.records()} == {str(d.delivery_id) for d in deliveries}
    finally:
        rec.stop()


@pytest.mark.django_db
def test_the_loaded_demo_subscription_is_a_demo_one():
    from rawan.web.warnings.demo import DEMO_WEBHOOK

    assert list(Webhook.objects.filter(url=DEMO_WEBHOOK).values_list("demo", flat=True)) == [True]


@pytest.mark.django_db
def test_webhook_jobs_do_not_fill_the_worker_console(empty_queue):
    """The worker prints each job's start and retry; webhook deliveries (many small jobs, logged once
    per outage by delivery.py) are quiet."""
    from rawan.web.tasks.worker import Worker

    _hook()
    said = []
    with TestCase.captureOnCommitCallbacks(execute=True):
        D.queue_webhooks("alert.raised", {"alert": 1})
    Worker(worker_id="console", interval=0, heartbeat=False,
           say=lambda event, **kw: said.append(event)).run(until_empty=True)
    d = Delivery.objects.get()
    assert d.attempts == 1 and d.status == DeliveryStatus.PENDING  # it ran, failed and will be retried
    assert said == []
