"""Over-long text never reaches the database: SQLite would store it, PostgreSQL would fail with a
500.  Views check their fields and answer with a message naming the field; this guard, run before
every save of a rawan model, makes any field the views missed fail the same way on both
databases (``FieldTooLong``) instead of being stored on one and crashing on the other."""

from __future__ import annotations

from django.db import models
from django.db.models.signals import pre_save

APPS = {"accounts", "audit", "editions", "entry"}


class FieldTooLong(ValueError):
    def __init__(self, model: str, field: str, length: int, limit: int):
        super().__init__(f"{model}.{field}: {length} characters, at most {limit}")
        self.field, self.length, self.limit = field, length, limit


def too_long(instance) -> list[tuple[str, int, int]]:
    """(field, length, limit) of every CharField of ``instance`` over its max_length."""
    out = []
    for f in instance._meta.concrete_fields:
        if isinstance(f, models.CharField) and f.max_length:
            v = getattr(instance, f.attname)
            if isinstance(v, str) and len(v) > f.max_length:
                out.append((f.name, len(v), f.max_length))
    return out


def _guard(sender, instance, **kwargs):
    if sender._meta.app_label in APPS:
        bad = too_long(instance)
        if bad:
            raise FieldTooLong(sender.__name__, *bad[0])


def connect() -> None:
    pre_save.connect(_guard, dispatch_uid="rawan.lengths")
