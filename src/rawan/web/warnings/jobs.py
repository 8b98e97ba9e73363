"""The background jobs of early warning: rule evaluation after a verification, e-mail, webhooks.

They run through rawan's task module (Django's Tasks API, ``rawan worker``) when it is installed;
without it (a web process alone) they run at once in the process that asks, after its transaction
has committed, and a webhook that fails is left pending for :func:`delivery.deliver_due`.
"""

from __future__ import annotations

import logging

log = logging.getLogger("rawan.web.warnings")

try:  # the task module of the worker
    from .. import tasks as _tasks
except ImportError:  # pragma: no cover - exercised only without the task module
    _tasks = None


def _plain(func):
    func.module_path = f"{func.__module__}.{func.__name__}"
    return func


def _background(**options):
    if _tasks is None:
        return _plain
    return _tasks.background(**options)


@_background(max_attempts=5, lease_seconds=120, retry_delay=5, label="Evaluasi aturan peringatan")
def evaluate_event_task(event_id: int) -> dict:
    from .services import evaluate_event

    alerts = evaluate_event(event_id)
    return {"alerts": len(alerts)}


@_background(max_attempts=10, lease_seconds=30, retry_delay=2, label="Webhook")  # 2, 4, 8 ... s
def deliver_webhook_task(delivery_id: int) -> dict:
    from .delivery import send_delivery

    return {"status": send_delivery(delivery_id)}  # raises DeliveryFailed: retried with back-off


@_background(max_attempts=5, lease_seconds=60, retry_delay=30, label="E-mail")
def send_email_task(subject: str, text: str, addresses: list[str]) -> dict:
    from .delivery import send_email

    return {"sent": send_email(subject, text, addresses)}


@_background(max_attempts=3, lease_seconds=300, retry_delay=30, label="Kirim ulang webhook tertunda")
def deliver_due_task() -> dict:
    from .delivery import deliver_due

    return {"delivered": deliver_due()}


def run_or_enqueue(task, *args, subject_key: str = "") -> None:
    """Queue the job for a worker; without the task module, run it now (errors are logged: what
    failed stays pending where the job keeps state, e.g. a webhook delivery)."""
    if _tasks is not None:
        _tasks.enqueue(task, *args, subject=subject_key)
        return
    from .delivery import DeliveryFailed

    try:
        task(*args)
    except DeliveryFailed as e:  # left pending; deliver_due() sends it again
        log.info("%s: %s", task.module_path, e)
    except Exception as e:  # noqa: BLE001 - logged; the delivery row keeps the retry state
        log.warning("%s failed: %s", task.module_path, e)
