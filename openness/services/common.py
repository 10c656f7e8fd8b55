"""What every step of an item's services shares: the row lock, the acting user, the link to its page."""

from __future__ import annotations

from django.urls import reverse

from ..models import DisclosureItem


def item_url(item: DisclosureItem) -> str:
    return reverse("openness:item", args=[item.pk])


def acting_user(actor):
    """The user to record as author; None for the beat and the outbox (no one logged in)."""
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def lock_item(item: DisclosureItem) -> DisclosureItem:
    """The item again, locked for the transaction: every write decides on the row as it is now."""
    return DisclosureItem.objects.select_for_update().select_related("organisation").get(pk=item.pk)
