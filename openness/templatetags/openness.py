"""Template helpers of the openness app."""

from django import template
from django.utils.safestring import mark_safe

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
def status_badge(status: str) -> str:
    return _STATUS_BADGES.get(status, "text-bg-secondary")
