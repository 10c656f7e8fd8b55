"""Template helpers of the openness app."""

import html
import re

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from ..richtext import sanitise

register = template.Library()

_STATUS_BADGES = {
    "draft": "text-bg-secondary",
    "review": "text-bg-warning",
    "approval": "text-bg-warning",
    "returned": "text-bg-danger",
    "scheduled": "text-bg-info",
    "published": "text-bg-success",
    "completed": "text-bg-success",
    "corrected": "text-bg-dark",
    "expired": "text-bg-light border",
    "archived": "text-bg-light border",
}


@register.filter
def clean_html(value: str) -> str:
    """Sanitised again at render time: stored bodies are clean, and this keeps them so whatever wrote them."""
    return mark_safe(sanitise(value))  # noqa: S308 — nh3 output


@register.filter
def period(value: str) -> str:
    """ "2026-Q3" as 2026年第三季度 (openness.rules.period_display)."""
    from ..rules import period_display

    return period_display(value)


@register.filter
def status_badge(status: str) -> str:
    return _STATUS_BADGES.get(status, "text-bg-secondary")


_BREAKS = re.compile(r"<\s*/?\s*(p|br|li|td|th|tr|h[1-6]|div|blockquote|caption)\b[^>]*>", re.I)
_TAGS = re.compile(r"<[^>]+>")
_SPACE = re.compile(r"\s+")


@register.filter
def excerpt(value: str, length: int = 140) -> str:
    """Plain text for a list: blocks and table cells separated by spaces, entities decoded (autoescaped again
    when rendered), cut at `length` characters."""
    text = _SPACE.sub(" ", html.unescape(_TAGS.sub("", _BREAKS.sub(" ", value or "")))).strip()
    return text if len(text) <= length else text[: length - 1].rstrip() + "…"


VERBS = {
    "disclosure.create": _("drafted"),
    "disclosure.edit": _("edited"),
    "disclosure.attach": _("attached a file"),
    "disclosure.detach": _("removed a file"),
    "disclosure.submit": _("submitted it for the secrecy review"),
    "disclosure.secrecy_passed": _("passed the secrecy review"),
    "disclosure.return": _("returned it with comments"),
    "disclosure.approve": _("approved"),
    "disclosure.publish": _("published"),
    "disclosure.corrected": _("superseded it by a correction"),
    "disclosure.correction_started": _("started a correction"),
    "disclosure.notice_completed": _("completed the notice"),
    "disclosure.expire": _("took it off display"),
    "disclosure.archive": _("archived"),
    "disclosure.discard": _("discarded the draft"),
}


@register.filter
def verb_label(verb: str) -> str:
    return VERBS.get(verb, verb)


@register.filter
def status_label(value) -> str:
    from ..models import ItemStatus

    if value in ItemStatus.values:
        return ItemStatus(value).label
    return "—" if value is None else str(value)
