"""Life cycles as explicit tables, and the one `transition()` that applies them.

Other apps declare their own tables with `Lifecycle` and call `transition()`; the move is a conditional
UPDATE (`WHERE pk = … AND status = current`), so two concurrent moves cannot both succeed, and it is
audited in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models, transaction
from django.utils.translation import gettext as _

from .audit import log_action


class TransitionError(Exception):
    """An illegal or stale move; the message is for the user."""


@dataclass(frozen=True)
class Lifecycle:
    moves: dict[str, frozenset[str]]
    field: str = "status"

    def allowed(self, current: str, new: str) -> bool:
        return new in self.moves.get(current, frozenset())

    def next_states(self, current: str) -> frozenset[str]:
        return self.moves.get(current, frozenset())


def transition(
    obj: models.Model, lifecycle: Lifecycle, new: str, *, actor, verb: str, organisation=None, **extra
):
    """Move `obj` to `new`, or raise TransitionError. Extra fields are written in the same UPDATE."""
    field = lifecycle.field
    current = getattr(obj, field)
    if not lifecycle.allowed(current, new):
        choices = dict(obj._meta.get_field(field).choices or [])
        raise TransitionError(
            _("Cannot move from “%(old)s” to “%(new)s”.")
            % {"old": choices.get(current, current), "new": choices.get(new, new)}
        )
    with transaction.atomic():
        updated = type(obj).objects.filter(pk=obj.pk, **{field: current}).update(**{field: new}, **extra)
        if updated != 1:
            raise TransitionError(_("Someone else changed this at the same moment; reload the page."))
        setattr(obj, field, new)
        for name, value in extra.items():
            setattr(obj, name, value)
        log_action(actor, verb, obj, organisation=organisation, changes={field: [current, new]})
    return obj


MEETING = Lifecycle(
    moves={
        "scheduled": frozenset({"in_progress", "cancelled"}),
        "in_progress": frozenset({"closed"}),
        "closed": frozenset(),
        "cancelled": frozenset(),
    }
)
