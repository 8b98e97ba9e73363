"""Delivery of what happened to who needs it: the in-app inbox, e-mail (Django's e-mail framework:
SMTP from the environment, the console backend in the demo) and outgoing webhooks.

A webhook message is a :class:`Delivery` row written in the same transaction as what it reports,
then sent by a background job: a JSON POST whose body is signed with the organisation's secret
(``X-Rawan-Signature: sha256=<hex HMAC-SHA256 of the body>``) and carries a delivery id
(``X-Rawan-Delivery``, also in the body).  It is marked delivered only when the receiver answers
2xx; otherwise it is tried again later with back-off.  A worker killed midway leaves it pending, so
it is sent again: at least once, and the receiver drops duplicates by the delivery id.

A receiver that does not answer is an *outage* of its subscription (``Webhook.failing_since``):
the server log gets one line when it starts and one summary when it ends (the receiver answers
again, or the subscription is disabled), never a line per attempt; each delivery backs off
(2, 4, 8 ... s), and the admins are told once per outage when deliveries fail for good.  The demo's
subscription (``Webhook.demo``: ``rawan demo``'s local receiver) is disabled after
DEMO_MAX_FAILURES failed attempts in a row, with a note on the admin's organisations page, so a
server started without that receiver stops trying at once; ``rawan demo`` enables it again when it
starts its receiver (``warnings/demo.py``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import urllib.error
import urllib.request

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Delivery, DeliveryStatus, Notification, Webhook

log = logging.getLogger("rawan.web.warnings")

MAX_ATTEMPTS = 10
BACKOFF_SECONDS = 2  # 2, 4, 8, ... seconds between attempts, at most MAX_BACKOFF
MAX_BACKOFF = 3600
TIMEOUT = 10
LEASE_SECONDS = TIMEOUT + 5  # shorter than the job's lease: a retried job finds it free
DEMO_MAX_FAILURES = 3  # failed attempts in a row after which the demo's subscription is disabled
# kept as the subscription's note and the dropped deliveries' last error (technical, like the
# receiver's errors); the admin page says it in the reader's language
DEMO_NOTE = "demo webhook disabled: no receiver at {url} (`rawan demo` starts one and enables it again)"


# ---- inbox and e-mail ----------------------------------------------------------------------------

def notify(users, kind: str, title: str, body: str = "", url: str = "", *, email: bool = True,
           title_en: str = "", body_en: str = "") -> int:
    """One inbox message per user (active users only), shown in the reader's language (``title`` and
    ``body`` Indonesian, ``title_en`` and ``body_en`` English; an empty English text falls back to the
    Indonesian one); e-mail to those with an address, in both languages, sent after the caller's
    transaction commits.  Returns the number of messages."""
    users = [u for u in dict.fromkeys(users) if u is not None and u.is_active]
    Notification.objects.bulk_create([Notification(user=u, kind=kind, title=title[:300], body=body, url=url[:300],
                                                    title_en=title_en[:300], body_en=body_en)
                                      for u in users])
    addresses = sorted({u.email for u in users if u.email})
    if email and addresses:
        link = f"{settings.RAWAN_BASE_URL}{url}" if url else ""
        subject = f"{title} / {title_en}" if title_en and title_en != title else title
        both = body if not body_en or body_en == body else f"{body}\n{body_en}"
        text = "\n\n".join(x for x in (both, link) if x)
        transaction.on_commit(lambda: queue_email(subject, text, addresses))
    return len(users)


def queue_email(subject: str, text: str, addresses: list[str]) -> None:
    from . import jobs

    jobs.enqueue(jobs.send_email_task, subject, text, addresses, subject_key=f"email:{subject[:80]}")


def send_email(subject: str, text: str, addresses: list[str]) -> int:
    return send_mail(f"[rawan] {subject}"[:250], text, settings.DEFAULT_FROM_EMAIL, addresses, fail_silently=False)


# ---- webhooks ------------------------------------------------------------------------------------

def sign(secret: str, body: bytes) -> str:
    return "sha256=" + hmac.new(secret.encode("utf-8"), body, hashlib.sha256).hexdigest()


def verify_signature(secret: str, body: bytes, header: str) -> bool:
    """What a receiver does (documented in docs/early-warning.md): recompute and compare."""
    return hmac.compare_digest(sign(secret, body), header or "")


def queue_webhooks(kind: str, payload: dict, organisations=None) -> list[Delivery]:
    """A Delivery for every active webhook that wants ``kind`` (of ``organisations`` when given);
    each is handed to a background job once the caller's transaction commits."""
    hooks = Webhook.objects.select_related("organisation").filter(active=True)
    if organisations is not None:
        hooks = hooks.filter(organisation__in=list(organisations))
    now = timezone.now()
    out = [Delivery.objects.create(webhook=h, kind=kind, payload=payload, next_attempt_at=now)
           for h in hooks if h.wants(kind)]
    if out:
        ids = [d.pk for d in out]
        transaction.on_commit(lambda: _enqueue_deliveries(ids))
    return out


def _enqueue_deliveries(ids: list[int]) -> None:
    from . import jobs

    for pk in ids:
        jobs.enqueue(jobs.deliver_webhook_task, pk, subject_key=f"webhook:{pk}")


def body_of(d: Delivery) -> bytes:
    doc = {"delivery_id": str(d.delivery_id), "kind": d.kind, "organisation": d.webhook.organisation.code,
           "created_at": d.created_at.astimezone(dt.timezone.utc).isoformat(), "data": d.payload}
    return json.dumps(doc, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


class DeliveryFailed(Exception):
    """The receiver did not take the message (it will be tried again)."""


def _lease(pk: int) -> Delivery | None:
    """The delivery, leased to this process for LEASE_SECONDS; None when delivered, failed, or
    leased by another sender that is still alive."""
    now = timezone.now()
    with transaction.atomic():
        d = Delivery.objects.select_for_update().select_related("webhook__organisation").filter(pk=pk).first()
        if d is None or d.status != DeliveryStatus.PENDING:
            return None
        if d.leased_until is not None and d.leased_until > now:
            return None
        d.leased_until = now + dt.timedelta(seconds=LEASE_SECONDS)
        d.attempts += 1
        d.save(update_fields=["leased_until", "attempts"])
    return d


def send_delivery(pk: int) -> str:
    """Send one delivery now.  Returns its status; raises DeliveryFailed when the receiver did not
    take it and it will be tried again (so a background job retries it)."""
    d = _lease(pk)
    if d is None:
        cur = Delivery.objects.filter(pk=pk).values_list("status", flat=True).first()
        if cur == DeliveryStatus.PENDING:  # another sender holds it right now: try again later
            raise DeliveryFailed(f"delivery {pk} is being sent by another worker")
        return cur or "missing"
    if not d.webhook.active:  # disabled (or the demo's, switched off) since it was queued: not sent
        Delivery.objects.filter(pk=pk).update(status=DeliveryStatus.FAILED, leased_until=None,
                                              last_error=d.webhook.note or "webhook disabled")
        return DeliveryStatus.FAILED
    body = body_of(d)
    req = urllib.request.Request(d.webhook.url, data=body, method="POST", headers={
        "Content-Type": "application/json", "User-Agent": "rawan-webhook/1",
        "X-Rawan-Delivery": str(d.delivery_id), "X-Rawan-Event": d.kind,
        "X-Rawan-Signature": sign(d.webhook.secret, body)})
    error = ""
    try:
        with urllib.request.urlopen(req, timeout=TIMEOUT) as resp:  # noqa: S310 (the admin's URL)
            code = resp.status
    except urllib.error.HTTPError as e:
        code, error = e.code, f"HTTP {e.code}"
    except (urllib.error.URLError, OSError, TimeoutError) as e:
        code, error = 0, str(getattr(e, "reason", e))[:500]
    now = timezone.now()
    if 200 <= code < 300:
        Delivery.objects.filter(pk=pk).update(status=DeliveryStatus.DELIVERED, delivered_at=now, leased_until=None,
                                              last_error="")
        _answered(d.webhook_id)
        return DeliveryStatus.DELIVERED
    error = error or f"HTTP {code}"
    hook, since, disabled = _failed_attempt(d.webhook_id, error)
    failed = d.attempts >= MAX_ATTEMPTS or disabled
    wait = min(MAX_BACKOFF, BACKOFF_SECONDS * 2 ** (d.attempts - 1))
    Delivery.objects.filter(pk=pk).update(
        status=DeliveryStatus.FAILED if failed else DeliveryStatus.PENDING, leased_until=None,
        last_error=hook.note if disabled else error, next_attempt_at=now + dt.timedelta(seconds=wait))
    if disabled:
        return DeliveryStatus.FAILED
    if failed:
        if not hook.demo and not (Delivery.objects.filter(webhook_id=hook.pk, status=DeliveryStatus.FAILED,
                                                          next_attempt_at__gte=since).exclude(pk=pk).exists()):
            _tell_admins_of_failure(d, error)  # the first delivery of this outage to fail for good
        return DeliveryStatus.FAILED
    raise DeliveryFailed(f"{d.webhook.url}: {error}")


def _where(hook: Webhook) -> str:
    return f"{hook.organisation.code} ({hook.url})"


def _failed_attempt(hook_id: int, error: str) -> tuple[Webhook, dt.datetime, bool]:
    """Count a failed attempt against the subscription (under its row lock: several workers may
    fail at once); returns it, the start of its outage, and whether it was disabled now."""
    now = timezone.now()
    dropped = 0
    with transaction.atomic():
        hook = Webhook.objects.select_for_update().select_related("organisation").get(pk=hook_id)
        first = hook.failing_since is None
        if first:
            hook.failing_since, hook.failures = now, 0
        hook.failures += 1
        disable = hook.demo and hook.active and hook.failures >= DEMO_MAX_FAILURES
        if disable:
            hook.active = False
            hook.note = DEMO_NOTE.format(url=hook.url)[:300]
        hook.save(update_fields=["failing_since", "failures", "active", "note"])
        if disable:  # what still waits for it will not be sent: failed, with the note, at once
            dropped = Delivery.objects.filter(webhook=hook, status=DeliveryStatus.PENDING).update(
                status=DeliveryStatus.FAILED, last_error=hook.note, leased_until=None)
    if first:
        log.warning("webhook %s does not answer (%s): deliveries retried with back-off, not logged again "
                    "until it answers", _where(hook), error)
    if disable:
        log.warning("demo webhook %s disabled after %d failed attempts since %s: no receiver "
                    "(`rawan demo` starts one and enables it again); %d waiting deliveries dropped",
                    _where(hook), hook.failures, hook.failing_since.isoformat(timespec="seconds"), dropped)
    return hook, hook.failing_since, disable


def _answered(hook_id: int) -> None:
    """The receiver took a message: the end of its outage, if there was one (summarised once)."""
    with transaction.atomic():
        hook = (Webhook.objects.select_for_update().select_related("organisation")
                .filter(pk=hook_id, failing_since__isnull=False).first())
        if hook is None:
            return
        since, n = hook.failing_since, hook.failures
        hook.failing_since, hook.failures = None, 0
        hook.save(update_fields=["failing_since", "failures"])
    log.warning("webhook %s answers again after %d failed attempts since %s", _where(hook), n,
                since.isoformat(timespec="seconds"))


def _tell_admins_of_failure(d: Delivery, error: str) -> None:
    from django.contrib.auth import get_user_model

    admins = get_user_model().objects.filter(is_active=True, profile__role="admin")
    notify(admins, "webhook.failed", f"Webhook gagal: {d.webhook.organisation.name}",
           f"{d.webhook.url}\n{d.kind} {d.delivery_id}\n{error}\n(satu pesan per gangguan)", "/kotak-masuk/",
           email=True, title_en=f"Webhook failed: {d.webhook.organisation.name}",
           body_en=f"{d.webhook.url}\n{d.kind} {d.delivery_id}\n{error}\n(one message per outage)")


def deliver_due(limit: int = 100) -> int:
    """Send every pending delivery whose time has come (a sweep: what a job that died left
    behind is picked up here too).  Returns how many were delivered."""
    now = timezone.now()
    ids = list(Delivery.objects.filter(status=DeliveryStatus.PENDING, next_attempt_at__lte=now)
               .exclude(leased_until__gt=now).order_by("next_attempt_at", "id").values_list("pk", flat=True)[:limit])
    done = 0
    for pk in ids:
        try:
            done += send_delivery(pk) == DeliveryStatus.DELIVERED
        except DeliveryFailed:  # logged once per outage by send_delivery
            continue
    return done
