"""Attachments: PDFs and images recognised by their content, size-limited, stored outside the media folder,
served only to those in scope."""

import io
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from openness import services
from openness.models import Attachment

from . import pdfs
from .conftest import draft, publish, through_review

PDF = pdfs.plain_pdf()  # one blank A4 page, written by pypdf


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (40, 20), (164, 22, 26)).save(buffer, "PNG")
    return buffer.getvalue()


def upload(name: str, data: bytes, content_type: str = "application/octet-stream"):
    return SimpleUploadedFile(name, data, content_type=content_type)


@pytest.fixture
def item(tree, sam):
    return draft(author=sam, org=tree.a, scope="internal")


def test_a_pdf_and_an_image_are_accepted_by_their_content(item, sam):
    pdf = services.add_attachment(actor=sam, item=item, upload=upload("党费明细.pdf", PDF, "text/plain"))
    image = services.add_attachment(actor=sam, item=item, upload=upload("照片.bin", png_bytes()))
    assert (pdf.content_type, image.content_type) == ("application/pdf", "image/png")
    assert pdf.original_name == "党费明细.pdf"


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("fake.pdf", b"<html><script>alert(1)</script></html>"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"not really a png"),
        ("drawing.svg", b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'),
        ("active.pdf", pdfs.with_open_action(pdfs.action("/JavaScript", JS="app.alert(1)"))),
        ("cut.pdf", PDF[:40]),
        ("empty.pdf", b""),
    ],
)
def test_anything_else_is_refused(item, sam, name, data):
    with pytest.raises(services.DisclosureError):
        services.add_attachment(actor=sam, item=item, upload=upload(name, data, "application/pdf"))
    assert not Attachment.objects.exists()


def test_a_file_over_the_size_limit_is_refused(item, sam, settings):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "disclosure_attachment_max_bytes": 1000}
    with pytest.raises(services.DisclosureError):
        services.add_attachment(
            actor=sam, item=item, upload=upload("big.pdf", PDF + b"%" * 2000 + b"\n%%EOF")
        )


def test_files_live_outside_the_media_folder_under_random_names(item, sam):
    att = services.add_attachment(actor=sam, item=item, upload=upload("名单.pdf", PDF))
    path = Path(att.file.path)
    assert not path.is_relative_to(Path(settings.MEDIA_ROOT))
    assert "名单" not in path.name
    assert path.read_bytes() == PDF


def test_attachments_are_served_only_to_those_in_scope(client, tree, sam, olga, alice, bob):
    item = draft(author=sam, org=tree.a, scope="internal")
    att = services.add_attachment(actor=sam, item=item, upload=upload("明细.pdf", PDF))
    url = reverse("openness:attachment", args=[att.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 404  # a draft: not yet for the members
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=sam, item=item)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "private" in response["Cache-Control"]
    client.force_login(bob)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 404


def test_an_attachment_whose_file_is_gone_answers_404_not_500(client, tree, sam, olga, alice):
    item = draft(author=sam, org=tree.a, scope="internal")
    att = services.add_attachment(actor=sam, item=item, upload=upload("明细.pdf", PDF))
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=sam, item=item)
    att.file.storage.delete(att.file.name)  # restored without the files, or cleaned by hand
    client.force_login(alice)
    assert client.get(reverse("openness:attachment", args=[att.pk])).status_code == 404


def test_a_public_image_is_shown_inline_to_anyone(client, tree, sam, olga):
    item = draft(author=sam, org=tree.a, scope="society")
    att = services.add_attachment(actor=sam, item=item, upload=upload("现场.png", png_bytes()))
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=olga, item=item)
    response = client.get(reverse("openness:attachment", args=[att.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response["Content-Disposition"].startswith("inline")
    assert (
        f'src="{reverse("openness:attachment", args=[att.pk])}"'
        in client.get(reverse("openness:item", args=[item.pk])).text
    )


def test_no_attachment_is_added_or_removed_once_the_item_is_reviewed(tree, sam, olga):
    item = publish(author=sam, reviewer=olga, approver=sam, org=tree.a)
    with pytest.raises(services.DisclosureError):
        services.add_attachment(actor=sam, item=item, upload=upload("late.pdf", PDF))


def test_a_correction_keeps_the_files_and_may_change_them(tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    services.add_attachment(actor=sam, item=item, upload=upload("v1.pdf", PDF))
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=sam, item=item)
    v2 = services.start_correction(actor=sam, item=item, note="换附件")
    copied = v2.attachments.get()
    assert copied.file.name == item.attachments.get().file.name
    services.remove_attachment(actor=sam, attachment=copied)
    assert Path(item.attachments.get().file.path).exists()  # still the published version's file


def test_upload_through_the_page(client, item, sam):
    client.force_login(sam)
    response = client.post(reverse("openness:attachment_add", args=[item.pk]), {"file": upload("a.pdf", PDF)})
    assert response.status_code == 302
    assert item.attachments.count() == 1
    response = client.post(
        reverse("openness:attachment_add", args=[item.pk]),
        {"file": upload("evil.pdf", b"MZ\x90\x00")},
        follow=True,
    )
    assert item.attachments.count() == 1
    assert list(response.context["messages"])
