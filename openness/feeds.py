"""The Atom feed of public items (society scope, on display): what the public board shows, for readers."""

from __future__ import annotations

from django.contrib.syndication.views import Feed
from django.urls import reverse, reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from . import selectors
from .models import DisclosureItem
from .richtext import sanitise


class PublicItemsFeed(Feed):
    feed_type = Atom1Feed
    title = _("Party-affairs disclosure — public items")
    subtitle = _("What the party organisations disclose to society.")
    link = reverse_lazy("openness:public")
    feed_url = reverse_lazy("openness:feed")

    def items(self):
        return selectors.board_items(None, public_only=True)[:50]

    def item_title(self, item: DisclosureItem) -> str:
        return item.title

    def item_description(self, item: DisclosureItem) -> str:
        return sanitise(item.body)

    def item_link(self, item: DisclosureItem) -> str:
        return reverse("openness:item", args=[item.pk])

    def item_guid(self, item: DisclosureItem) -> str:
        return f"zhibu-disclosure-{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: DisclosureItem):
        return item.published_at

    def item_updateddate(self, item: DisclosureItem):
        return item.completed_at or item.published_at

    def item_author_name(self, item: DisclosureItem) -> str:
        return item.organisation.name

    def item_categories(self, item: DisclosureItem):
        return [item.get_category_display()]
