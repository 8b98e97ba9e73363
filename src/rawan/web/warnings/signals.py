"""An edition copies the rules shipped beside its model when it is created, and freezes them
(audit-logged) when it leaves draft."""

from __future__ import annotations

from django.db.models.signals import post_save
from django.dispatch import receiver

from ..editions.models import Edition, Status


@receiver(post_save, sender=Edition, dispatch_uid="rawan.warnings.edition_rules")
def edition_saved(sender, instance: Edition, created: bool, raw: bool = False, **kwargs):
    if raw or instance.results_only or not instance.model_id:
        return
    from ...tps.model import TPS_MODEL_PREFIX

    if instance.model_id.startswith(TPS_MODEL_PREFIX):  # a TPS edition (rawan.web.tps): no IKP rules
        return
    from .services import copy_rules, freeze_rules

    if created or instance.status == Status.DRAFT:  # the model may be frozen after the first save
        copy_rules(instance, frozen=created and instance.status != Status.DRAFT)
    if not created and instance.status != Status.DRAFT:  # it left draft: frozen, and that is logged
        freeze_rules(instance)
