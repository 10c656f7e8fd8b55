"""PDF files for the attachment tests, built with pypdf — and, where pypdf's writer cannot produce the
attack (a name written with #xx escapes, objects compressed into an object stream), patched or packed by hand
so that the bytes are exactly what a hostile uploader would send."""

import io
import zlib

from pypdf import PdfWriter
from pypdf.annotations import Link
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject


def written(writer: PdfWriter) -> bytes:
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def one_page() -> PdfWriter:
    writer = PdfWriter()
    writer.add_blank_page(595, 842)  # A4
    return writer


def plain_pdf() -> bytes:
    return written(one_page())


def action(kind: str, **entries: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject(kind),
            **{NameObject(f"/{key}"): TextStringObject(value) for key, value in entries.items()},
        }
    )


def with_link(url: str) -> bytes:
    writer = one_page()
    writer.add_annotation(page_number=0, annotation=Link(rect=(72, 700, 300, 720), url=url))
    return written(writer)


def with_open_action(value) -> bytes:
    writer = one_page()
    writer._root_object[NameObject("/OpenAction")] = value
    return written(writer)


def with_destination_on_open() -> bytes:
    """/OpenAction as a destination (show page 1, whole page): where the reader opens, not an action."""
    writer = one_page()
    writer._root_object[NameObject("/OpenAction")] = ArrayObject(
        [writer.pages[0].indirect_reference, NameObject("/Fit")]
    )
    return written(writer)


def escaped_javascript_on_open() -> bytes:
    """/OpenAction << /S /J#61vaScript /J#53 (…) >>: `#61` is `a` and `#53` is `S`, so a viewer runs it as
    /S /JavaScript /JS (…), while the bytes never spell either name.

    pypdf writes names plainly, so placeholders of the escaped names' lengths are written and then replaced
    in the bytes: every offset of the cross-reference table stays right.
    """
    escapes = {b"/XXXXXXXXXXXX": b"/J#61vaScript", b"/YYYY": b"/J#53"}
    placeholder_s, placeholder_js = (name.decode() for name in escapes)
    data = with_open_action(
        DictionaryObject(
            {
                NameObject("/S"): NameObject(placeholder_s),
                NameObject(placeholder_js): TextStringObject("app.alert(document.cookie)"),
            }
        )
    )
    for placeholder, escaped in escapes.items():
        assert len(placeholder) == len(escaped) and data.count(placeholder) == 1
        data = data.replace(placeholder, escaped)
    return data


def with_additional_action() -> bytes:
    """A page with /AA: an action run when the page is opened (here only a link, yet run unasked)."""
    writer = one_page()
    writer.pages[0][NameObject("/AA")] = DictionaryObject(
        {NameObject("/O"): action("/URI", URI="https://example.org/tracker")}
    )
    return written(writer)


def with_attachment() -> bytes:
    writer = one_page()
    writer.add_attachment("readme.exe", b"MZ\x90\x00 not a disclosure")
    return written(writer)


def in_object_stream(*, open_action: bytes | None = None, loose: bytes | None = None) -> bytes:
    """A PDF 1.5 file whose objects are all compressed into one object stream (FlateDecode), indexed by a
    compressed cross-reference stream: none of its names appears in the file's bytes.

    open_action: the catalogue's /OpenAction (object 4). loose: object 4 anyway, reachable from nothing but
    the cross-reference stream — still an object of the document.
    """
    catalogue = b"<< /Type /Catalog /Pages 2 0 R" + (b" /OpenAction 4 0 R" if open_action else b"") + b" >>"
    objects = [
        catalogue,
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << >> >>",
        open_action or loose or b"null",
    ]
    index, body = [], b""
    for number, obj in enumerate(objects, start=1):
        index.append(b"%d %d" % (number, len(body)))
        body += obj + b"\n"
    header = b" ".join(index) + b"\n"
    packed = zlib.compress(header + body)

    out = bytearray(b"%PDF-1.5\n%\xe2\xe3\xcf\xd3\n")
    stream_at = len(out)
    out += b"5 0 obj\n<< /Type /ObjStm /N %d /First %d /Filter /FlateDecode /Length %d >>\nstream\n" % (
        len(objects),
        len(header),
        len(packed),
    )
    out += packed + b"\nendstream\nendobj\n"
    xref_at = len(out)
    # Cross-reference stream rows (/W [1 4 2]): type, then the offset or the object stream, then the
    # generation or the index in the object stream.
    rows = [b"\x00" + (0).to_bytes(4, "big") + (65535).to_bytes(2, "big")]
    rows += [b"\x02" + (5).to_bytes(4, "big") + i.to_bytes(2, "big") for i in range(len(objects))]
    rows += [b"\x01" + at.to_bytes(4, "big") + (0).to_bytes(2, "big") for at in (stream_at, xref_at)]
    xref = zlib.compress(b"".join(rows))
    out += (
        b"6 0 obj\n<< /Type /XRef /Size 7 /W [1 4 2] /Root 1 0 R /Filter /FlateDecode /Length %d >>\n"
        % len(xref)
    )
    out += b"stream\n" + xref + b"\nendstream\nendobj\n"
    out += b"startxref\n%d\n%%%%EOF\n" % xref_at
    return bytes(out)


def encrypted(*, user_password: str) -> bytes:
    writer = one_page()
    writer.encrypt(user_password=user_password, owner_password="owner-secret", algorithm="AES-128")
    return written(writer)
