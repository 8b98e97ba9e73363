"""The admin's page of organisations (roles.md) and their webhooks: add an organisation, set or
remove its webhook (the secret is shown once), see recent deliveries and send a failed one again."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ..access import require_admin
from ..audit.models import log_action
from .models import Delivery, DeliveryStatus, Organisation, OrganisationKind, Webhook, new_secret

_CODE = re.compile(r"^[a-z0-9][a-z0-9-]{1,58}$")


@login_required
def organisations(request):
    require_admin(request.user)
    secret_shown = None
    if request.method == "POST":
        p = request.POST
        action = p.get("action", "")
        if action == "add":
            code, name, kind = p.get("code", "").strip().lower(), p.get("name", "").strip(), p.get("kind", "")
            errors = []
            if not _CODE.match(code):
                errors.append(_("The code uses lower-case letters, digits and '-' (e.g. polda-jambi)."))
            elif Organisation.objects.filter(code=code).exists():
                errors.append(_("The code %(code)s is already used.") % {"code": code})
            if not name or len(name) > 200:
                errors.append(_("Give the organisation's name (at most 200 characters)."))
            if kind not in OrganisationKind.values:
                errors.append(_("Choose the kind of organisation."))
            for e in errors:
                messages.error(request, e)
            if not errors:
                org = Organisation.objects.create(code=code, name=name, kind=kind,
                                                  region_code=p.get("region", "").strip()[:20])
                log_action("rawan.webhook.changed", user=request.user,
                           data={"organisation": org.code, "new": "created", "name": name, "kind": kind})
                messages.success(request, _("Organisation added."))
        elif action in ("webhook", "remove") and p.get("org", "").isdigit():
            org = Organisation.objects.filter(pk=int(p["org"])).first()
            if org is not None:
                with transaction.atomic():
                    old = list(org.webhooks.values_list("url", flat=True))
                    org.webhooks.all().delete()
                    url = p.get("url", "").strip()
                    if action == "webhook":
                        from django.core.exceptions import ValidationError
                        from django.core.validators import URLValidator

                        try:
                            URLValidator(schemes=["http", "https"])(url)
                        except ValidationError:
                            messages.error(request, _("The webhook address must be an http(s) URL."))
                            transaction.set_rollback(True)
                            return redirect("organisations")
                        hook = Webhook.objects.create(organisation=org, url=url[:500], secret=new_secret())
                        secret_shown = (org, hook.secret)
                    log_action("rawan.webhook.changed", user=request.user,
                               data={"organisation": org.code, "old": old, "new": url if action == "webhook" else ""})
                if secret_shown is None:
                    messages.success(request, _("Webhook removed."))
        elif action == "enable" and p.get("org", "").isdigit():
            with transaction.atomic():
                n = Webhook.objects.filter(organisation_id=int(p["org"]), active=False).update(
                    active=True, note="", failing_since=None, failures=0)
                if n:
                    org = Organisation.objects.get(pk=int(p["org"]))
                    log_action("rawan.webhook.changed", user=request.user,
                               data={"organisation": org.code, "new": "enabled"})
                    messages.success(request, _("Webhook enabled again."))
        elif action == "retry" and p.get("delivery", "").isdigit():
            n = Delivery.objects.filter(pk=int(p["delivery"]), status=DeliveryStatus.FAILED).update(
                status=DeliveryStatus.PENDING, attempts=0, next_attempt_at=timezone.now(), leased_until=None)
            if n:
                from . import jobs

                pk = int(p["delivery"])
                transaction.on_commit(lambda: jobs.enqueue(jobs.deliver_webhook_task, pk,
                                                                  subject_key=f"webhook:{pk}"))
                messages.success(request, _("The delivery will be sent again."))
        if secret_shown is None:
            return redirect("organisations")
    orgs = Organisation.objects.prefetch_related("webhooks")
    recent = Delivery.objects.select_related("webhook__organisation").order_by("-created_at", "-id")[:50]
    response = render(request, "rawan/warnings/organisations.html", {
        "orgs": orgs, "kinds": OrganisationKind.choices, "recent": recent, "secret_shown": secret_shown,
        "failed": Delivery.objects.filter(status=DeliveryStatus.FAILED).count()})
    response["Cache-Control"] = "no-store"  # the secret is on this page once
    return response
