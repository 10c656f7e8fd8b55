"""Attachments are PDFs and images, recognised by their content — never by the name or the browser's word.

A file is accepted when its bytes are what they claim: a PDF header and trailer (and no embedded
JavaScript), or an image Pillow can open and verify as PNG, JPEG, GIF or WebP. The detected type is the
one served later, with `X-Content-Type-Options: nosniff`; SVG is refused (it can carry script).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .rules import rule

_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}
# Active content a disclosure never needs; PDF viewers run it.
_PDF_ACTIVE = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")


class AttachmentRefused(ValueError):
    """The message says why, for the person who uploaded it."""


@dataclass(frozen=True)
class Detected:
    content_type: str
    size: int


def detect(upload) -> Detected:
    """Read the upload and say what it is, or raise AttachmentRefused."""
    size = upload.size
    limit = rule("disclosure_attachment_max_bytes")
    if size is None or size > limit:
        raise AttachmentRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": round(limit / (1024 * 1024), 1)}
        )
    if size == 0:
        raise AttachmentRefused(_("The file is empty."))
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    if data.startswith(b"%PDF-"):
        if b"%%EOF" not in data[-2048:]:
            raise AttachmentRefused(_("The PDF file is incomplete."))
        if _PDF_ACTIVE.search(data):
            raise AttachmentRefused(
                _("The PDF file contains scripts or embedded files; export it again as plain PDF.")
            )
        return Detected("application/pdf", size)
    return Detected(_image_type(upload), size)


def _image_type(upload) -> str:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(upload) as image:
            kind = image.format
            image.verify()  # the whole stream parses; a truncated or forged file fails here
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise AttachmentRefused(
            _("Only PDF files and images (PNG, JPEG, GIF, WebP) can be attached.")
        ) from exc
    finally:
        upload.seek(0)
    if kind not in _IMAGE_TYPES:
        raise AttachmentRefused(_("Only PDF files and images (PNG, JPEG, GIF, WebP) can be attached."))
    return _IMAGE_TYPES[kind]
