"""The audit log: every state change, in the transaction that makes it. Never ballot content."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models


def _organisation_of(obj: models.Model):
    from .models import Organisation

    if isinstance(obj, Organisation):
        return obj
    return getattr(obj, "organisation", None)


def log_action(
    actor, verb: str, obj: models.Model, *, organisation=None, changes: dict[str, Any] | None = None
):
    from .models import AuditLog

    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return AuditLog.objects.create(
        actor=actor,
        verb=verb,
        content_type=ContentType.objects.get_for_model(obj),
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        organisation=organisation or _organisation_of(obj),
        changes=_jsonable(changes or {}),
    )


def _jsonable(value):
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, models.Model):
        return str(value)
    return str(value)


def diff(instance: models.Model, fields: list[str], new_values: dict[str, Any]) -> dict[str, list]:
    """{field: [old, new]} for the fields whose value changes."""
    return {
        name: [getattr(instance, name), new_values[name]]
        for name in fields
        if name in new_values and getattr(instance, name) != new_values[name]
    }
