"""Attachments are PDFs and images, recognised by their content — never by the name or the browser's word.

A file is accepted when its bytes are what they claim: a PDF that pypdf parses, ending in its trailer,
with no active content anywhere in it (see `_pdf_activity`), or an image Pillow can open and verify as
PNG, JPEG, GIF or WebP. The detected type is the one served later, with `X-Content-Type-Options: nosniff`;
SVG is refused (it can carry script).
"""

from __future__ import annotations

import io
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .rules import rule

_IMAGE_TYPES = {"PNG": "image/png", "JPEG": "image/jpeg", "GIF": "image/gif", "WEBP": "image/webp"}

# Active content a disclosure never needs; PDF viewers run it. Names are compared as pypdf decodes them
# (`/J#61vaScript` is `/JavaScript`), as dictionary keys and as values alike, in every object of the file.
_PDF_ACTIVE_NAMES = frozenset(
    {
        "/JavaScript",  # the document's script name tree, and /S /JavaScript actions
        "/JS",  # the script of an action
        "/AA",  # additional actions: run on opening a page or the document, on focusing a field, ...
        "/Launch",  # starts a program or opens a file
        "/GoToR",  # opens another file (a file:// or \\\\host path leaks the reader's credentials)
        "/GoToE",  # opens an embedded file
        "/SubmitForm",  # sends form data to an address
        "/ImportData",  # loads form data from a file
        "/EmbeddedFile",  # an embedded file's stream
        "/EmbeddedFiles",  # the document's name tree of embedded files
        "/EF",  # a file specification's embedded file
        "/FileAttachment",  # an annotation carrying a file
        "/RichMedia",  # Flash and video with their own scripting
        "/XFA",  # XML forms, with their own scripting
    }
)
# Links (/URI actions) stay allowed: a disclosure cites laws and pages on the web, and the reader asks
# before opening one. Only these schemes, so `javascript:` or `file:` never reach a viewer.
_PDF_URI_SCHEMES = ("http://", "https://", "mailto:")


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
        _check_pdf(data)
        return Detected("application/pdf", size)
    return Detected(_image_type(upload), size)


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF that does not parse, that needs a password to open, or that carries active content."""
    from pypdf import PasswordType, PdfReader
    from pypdf.generic import DictionaryObject

    if b"%%EOF" not in data[-2048:]:
        raise AttachmentRefused(_("The PDF file is incomplete."))
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and reader.decrypt("") == PasswordType.NOT_DECRYPTED:
            raise AttachmentRefused(
                _("The PDF file is protected by a password; export it again without one.")
            )
        # pypdf reads past what it cannot parse; a file without its catalogue or a page did not parse.
        if not isinstance(reader.trailer["/Root"].get_object(), DictionaryObject) or not len(reader.pages):
            raise ValueError("no catalogue or no page")
        active = _pdf_activity(reader)
    except AttachmentRefused:
        raise
    except Exception as exc:  # a hostile file can make any parser raise anything; unreadable is refused
        raise AttachmentRefused(_("The PDF file is incomplete.")) from exc
    if active:
        raise AttachmentRefused(
            _("The PDF file contains scripts or embedded files; export it again as plain PDF.")
        )


def _pdf_activity(reader) -> str | None:
    """The first active name found in any object of the document, or None.

    Every object is visited once, iteratively (no recursion to exhaust): the trailer, every entry of the
    cross-reference tables and streams — including the objects stored compressed inside object streams —
    and everything reachable from them. Objects pypdf read from an object stream without an entry naming
    them are visited too: it parses a whole stream at once and keeps what it read. Refused: any name of
    _PDF_ACTIVE_NAMES; an /OpenAction that is an action (a dictionary with /S) rather than a destination;
    a /URI outside _PDF_URI_SCHEMES.
    """
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    seen: set[tuple[int, int]] = set()
    stack: list = [reader.trailer]
    stack += [IndirectObject(num, gen, reader) for gen, entries in reader.xref.items() for num in entries]
    stack += [IndirectObject(num, 0, reader) for num in reader.xref_objStm]
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            obj = reader.get_object(obj)
        if isinstance(obj, DictionaryObject):
            for key, value in obj.items():
                if key in _PDF_ACTIVE_NAMES:
                    return key
                if key == "/OpenAction" and _is_action(value.get_object()):
                    return key
                if key == "/URI" and not _safe_uri(value.get_object()):
                    return key
                stack.append(value)
        elif isinstance(obj, ArrayObject):
            stack.extend(obj)
        elif isinstance(obj, NameObject) and obj in _PDF_ACTIVE_NAMES:
            return obj
        if not stack:
            stack = [
                IndirectObject(num, gen, reader)
                for gen, num in list(reader.resolved_objects)
                if (num, gen) not in seen
            ]
    return None


def _is_action(value) -> bool:
    """An action dictionary names its type in /S; a destination is an array (or a name, or a string)."""
    from pypdf.generic import DictionaryObject

    return isinstance(value, DictionaryObject) and "/S" in value


def _safe_uri(value) -> bool:
    from pypdf.generic import ByteStringObject, TextStringObject

    if isinstance(value, ByteStringObject):
        value = value.decode("latin-1")
    elif not isinstance(value, TextStringObject | str):
        return True  # not a link's address (the catalogue's /URI dictionary holds a /Base)
    # Viewers drop control characters and spaces inside a scheme ("java\tscript:"); so does the check.
    text = "".join(ch for ch in str(value) if ch > " ").lower()
    return text.startswith(_PDF_URI_SCHEMES)


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
