"""Helper process for test_web_webhook_worker.py: works on the database named by the environment
(the worker tests' own SQLite file or PostgreSQL database), never the test run's.

    python -m tests.web.webhook_worker_cli setup PORT N SECRET   -> JSON list of delivery ids
    python -m tests.web.webhook_worker_cli status                -> JSON {delivery id: [status, attempts]}
"""

from __future__ import annotations

import json
import os
import sys


def main(argv: list[str]) -> int:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rawan.web.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction

    from rawan.web.warnings.delivery import queue_webhooks
    from rawan.web.warnings.models import Delivery, Organisation, Webhook

    if argv[0] == "setup":
        port, n, secret = int(argv[1]), int(argv[2]), argv[3]
        call_command("migrate", verbosity=0)
        call_command("createcachetable", verbosity=0)
        org, _ = Organisation.objects.get_or_create(code="polda-uji", defaults={"name": "Polda uji", "kind": "polri"})
        Webhook.objects.filter(organisation=org).delete()
        Webhook.objects.create(organisation=org, url=f"http://127.0.0.1:{port}/hook", secret=secret)
        ids = []
        for k in range(n):
            with transaction.atomic():  # one alert each, queued as a job when it commits
                ids += [str(d.delivery_id) for d in queue_webhooks("alert.raised", {"alert": k, "region": "15.71"})]
        print(json.dumps(ids))
    elif argv[0] == "status":
        print(json.dumps({str(d.delivery_id): [d.status, d.attempts] for d in Delivery.objects.all()}))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
