"""The background jobs of early warning: rule evaluation after a verification, e-mail, webhooks.

They run through rawan's task module (Django's Tasks API on the database queue, ``rawan worker``):
a job that raises is tried again with back-off, a worker that dies leaves its job to another once
the lease expires, and a job whose attempts are used up is a visible failure for the admin.
"""

from __future__ import annotations

from .. import tasks


@tasks.background(max_attempts=5, lease_seconds=120, retry_delay=5, label="Evaluasi aturan peringatan")
def evaluate_event_task(event_id: int) -> dict:
    from .services import evaluate_event

    alerts = evaluate_event(event_id)
    return {"alerts": len(alerts)}


# quiet: a receiver that is down is logged once per outage by delivery.py, not at every attempt
@tasks.background(max_attempts=10, lease_seconds=30, retry_delay=2, label="Webhook", quiet=True)  # 2, 4, 8 ... s
def deliver_webhook_task(delivery_id: int) -> dict:
    from .delivery import send_delivery

    return {"status": send_delivery(delivery_id)}  # raises DeliveryFailed: retried with back-off


@tasks.background(max_attempts=5, lease_seconds=60, retry_delay=30, label="E-mail")
def send_email_task(subject: str, text: str, addresses: list[str]) -> dict:
    from .delivery import send_email

    return {"sent": send_email(subject, text, addresses)}


def enqueue(task, *args, subject_key: str = "") -> None:
    """Queue the job for a worker (committed with the caller's transaction)."""
    tasks.enqueue(task, *args, subject=subject_key)
