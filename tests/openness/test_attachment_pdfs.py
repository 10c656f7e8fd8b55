"""PDF attachments are parsed, not grepped: active content is found in every object of the file — names
decoded, objects inside compressed object streams included — and a file that does not parse is refused.

Each refused file replays an attack that got past the old byte pattern (or would have).
"""

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from openness import services
from openness.files import AttachmentRefused, detect
from openness.models import Attachment

from . import pdfs
from .conftest import draft

ACTIVE = "PDF 文件含有脚本或嵌入文件，请重新导出为普通 PDF。"
INCOMPLETE = "PDF 文件不完整。"


@pytest.fixture
def item(tree, sam):
    return draft(author=sam, org=tree.a, scope="internal")


def attach(item, sam, data: bytes, name: str = "附件.pdf"):
    return services.add_attachment(
        actor=sam, item=item, upload=SimpleUploadedFile(name, data, content_type="application/pdf")
    )


def refusal(item, sam, data: bytes) -> str:
    with pytest.raises(services.DisclosureError) as refused:
        attach(item, sam, data)
    assert not Attachment.objects.exists()
    return str(refused.value)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(pdfs.escaped_javascript_on_open, id="javascript-named-with-an-escape"),
        pytest.param(
            lambda: pdfs.in_object_stream(open_action=b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"),
            id="javascript-open-action-in-an-object-stream",
        ),
        pytest.param(
            lambda: pdfs.in_object_stream(
                loose=b"<< /Names [(x) << /S /JavaScript /JS (app.alert\\(1\\)) >>] >>"
            ),
            id="javascript-reachable-only-inside-an-object-stream",
        ),
        pytest.param(
            lambda: pdfs.in_object_stream(open_action=b"<< /S /Launch /F (cmd.exe) >>"),
            id="launch-in-an-object-stream",
        ),
        pytest.param(pdfs.with_attachment, id="embedded-file"),
        pytest.param(pdfs.with_additional_action, id="additional-action"),
        pytest.param(
            lambda: pdfs.with_open_action(pdfs.action("/URI", URI="https://example.org/")),
            id="open-action-that-is-an-action",
        ),
        pytest.param(
            lambda: pdfs.with_open_action(pdfs.action("/SubmitForm", F="https://example.org/collect")),
            id="submit-form",
        ),
        pytest.param(lambda: pdfs.with_link("javascript:app.alert(1)"), id="javascript-link"),
        pytest.param(lambda: pdfs.with_link("JAVA\tSCRIPT:app.alert(1)"), id="javascript-link-disguised"),
        pytest.param(lambda: pdfs.with_link("file:///C:/Windows/System32/cmd.exe"), id="file-link"),
    ],
)
def test_a_pdf_with_active_content_is_refused(item, sam, build):
    data = build()
    assert data.startswith(b"%PDF-") and b"%%EOF" in data[-32:]
    with translation.override("zh-hans"):
        assert refusal(item, sam, data) == ACTIVE


def test_the_old_byte_pattern_finds_nothing_in_the_hidden_forms():
    """Why a parser: the pattern the check used to be finds no active name in these files' bytes."""
    old_pattern = re.compile(rb"/(JavaScript|JS|Launch|EmbeddedFile|RichMedia|XFA)\b")
    hidden = [
        pdfs.escaped_javascript_on_open(),
        pdfs.in_object_stream(open_action=b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"),
        pdfs.in_object_stream(open_action=b"<< /S /Launch /F (cmd.exe) >>"),
        pdfs.with_additional_action(),
        pdfs.with_link("javascript:app.alert(1)"),
    ]
    assert not any(old_pattern.search(data) for data in hidden)


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(lambda: pdfs.plain_pdf()[: len(pdfs.plain_pdf()) // 2], id="truncated"),
        pytest.param(
            lambda: pdfs.plain_pdf()[: len(pdfs.plain_pdf()) // 2] + b"\n%%EOF\n", id="truncated-with-an-end"
        ),
        pytest.param(lambda: b"%PDF-1.7\n" + bytes(range(256)) * 8 + b"\n%%EOF\n", id="garbage"),
        pytest.param(
            lambda: pdfs.in_object_stream(open_action=b"[3 0 R /Fit]").replace(
                b"/FlateDecode", b"/LZWDecode"
            ),
            id="object-stream-that-does-not-decode",
        ),
    ],
)
def test_a_pdf_that_does_not_parse_is_refused(item, sam, build):
    with translation.override("zh-hans"):
        assert refusal(item, sam, build()) == INCOMPLETE


def test_a_pdf_that_needs_a_password_to_open_is_refused(item, sam):
    with translation.override("zh-hans"):
        assert (
            refusal(item, sam, pdfs.encrypted(user_password="secret"))
            == "PDF 文件设有密码，请去掉密码后重新导出。"
        )


@pytest.mark.parametrize(
    "build",
    [
        pytest.param(pdfs.plain_pdf, id="plain-one-page"),
        # Links to web pages are allowed: disclosures cite laws and notices online, and readers ask first.
        pytest.param(lambda: pdfs.with_link("https://www.12371.cn/"), id="link-to-a-web-page"),
        pytest.param(lambda: pdfs.with_link("mailto:dangwei@example.org"), id="mail-link"),
        pytest.param(pdfs.with_destination_on_open, id="opens-at-a-page"),
        pytest.param(lambda: pdfs.in_object_stream(open_action=b"[3 0 R /Fit]"), id="object-streams"),
        pytest.param(lambda: pdfs.encrypted(user_password=""), id="protected-from-editing-only"),
    ],
)
def test_a_benign_pdf_is_accepted(item, sam, build):
    att = attach(item, sam, build())
    assert att.content_type == "application/pdf"


def test_detect_says_why_in_english_too():
    upload = SimpleUploadedFile("a.pdf", pdfs.escaped_javascript_on_open())
    with translation.override("en"), pytest.raises(AttachmentRefused, match="scripts or embedded files"):
        detect(upload)
