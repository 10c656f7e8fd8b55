"""Rich text of disclosures: sanitised with nh3 (ammonia) on every write and again when rendered.

Allowed: paragraphs, headings, emphasis, lists, block quotes, tables and links (http, https, mailto). No
images (attachments carry them), no style attributes (the CSP forbids inline styles anyway), no scripts.
"""

from __future__ import annotations

import nh3
from django.utils.html import escape, linebreaks

TAGS = {
    "p",
    "br",
    "hr",
    "h2",
    "h3",
    "h4",
    "strong",
    "b",
    "em",
    "i",
    "u",
    "s",
    "sub",
    "sup",
    "small",
    "ul",
    "ol",
    "li",
    "blockquote",
    "a",
    "table",
    "caption",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "th",
    "td",
}
ATTRIBUTES = {
    "a": {"href", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "ol": {"start"},
}

_cleaner = nh3.Cleaner(
    tags=TAGS,
    attributes=ATTRIBUTES,
    url_schemes={"http", "https", "mailto"},
    link_rel="noopener noreferrer nofollow",
    clean_content_tags={
        "script",
        "style",
        "iframe",
        "object",
        "embed",
        "template",
        "noscript",
        "textarea",
        "select",
    },
    # Tables get Bootstrap's look from a class the author cannot set.
    set_tag_attribute_values={"table": {"class": "table table-sm table-bordered"}},
    strip_comments=True,
)


def sanitise(html: str) -> str:
    return _cleaner.clean(html or "").strip()


def from_text_or_html(value: str) -> str:
    """Outbox bodies may be plain text or HTML: plain text becomes paragraphs, HTML is sanitised."""
    if nh3.is_html(value or ""):
        return sanitise(value)
    return sanitise(linebreaks(escape(value or "")))
