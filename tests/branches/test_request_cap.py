"""A request over ZHIBU_MAX_REQUEST_BYTES is refused from its declared length, before its body is read.

The attack replayed: an upload far larger than any attachment may be was read whole — into memory and a
temporary file — before the attachment's own size check said no.
"""

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse


class UnreadableBody:
    """A request body that fails the test if anything reads it."""

    def read(self, *args):
        raise AssertionError("the body was read")

    readline = read


def post_declaring(client, url: str, length, **extra):
    return client.generic(
        "POST",
        url,
        b"x",
        content_type="application/octet-stream",
        CONTENT_LENGTH=str(length),
        **{"wsgi.input": UnreadableBody()},
        **extra,
    )


def test_the_cap_lets_through_the_largest_attachment_and_its_form():
    largest = settings.ZHIBU_RULES["disclosure_attachment_max_bytes"]
    assert largest + 64 * 1024 < settings.ZHIBU_MAX_REQUEST_BYTES <= largest + 2 * 1024 * 1024
    assert settings.MIDDLEWARE.index(
        "branches.middleware.RequestSizeLimitMiddleware"
    ) < settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware")


def test_a_huge_declared_length_answers_413_without_reading_the_body(client, db):
    response = post_declaring(client, reverse("login"), 2 * 1024**3)
    assert response.status_code == 413
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert "请求超过本站可接收的上限 11.0 MB" in response.content.decode()


def test_the_refusal_speaks_the_browsers_language(client, db):
    response = post_declaring(client, reverse("login"), 2 * 1024**3, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 413
    assert "larger than 11.0 MB" in response.content.decode()


def test_a_body_without_a_declared_length_is_refused(client, db):
    response = client.generic(
        "POST",
        reverse("login"),
        HTTP_TRANSFER_ENCODING="chunked",
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 411


@pytest.mark.parametrize("length", ["-1", "12abc", "１２"])
def test_an_invalid_declared_length_is_refused(client, db, length):
    assert post_declaring(client, reverse("login"), length).status_code == 400


def test_a_request_within_the_cap_goes_through(client, alice):
    with override_settings(ZHIBU_MAX_REQUEST_BYTES=10_000):
        response = client.post(reverse("login"), {"username": "alice", "password": "pass-word-123"})
    assert response.status_code == 302


def test_an_upload_over_the_cap_never_reaches_the_attachment_check(client, tree, sam, settings):
    from openness.models import Attachment
    from tests.openness.conftest import draft
    from tests.openness.pdfs import plain_pdf

    item = draft(author=sam, org=tree.a, scope="internal")
    client.force_login(sam)
    url = reverse("openness:attachment_add", args=[item.pk])
    settings.ZHIBU_MAX_REQUEST_BYTES = 20_000
    big = plain_pdf() + b"%" * 30_000 + b"\n%%EOF\n"
    response = client.post(url, {"file": SimpleUploadedFile("big.pdf", big)})
    assert response.status_code == 413
    assert not Attachment.objects.exists()
    response = client.post(url, {"file": SimpleUploadedFile("small.pdf", plain_pdf())})
    assert response.status_code == 302 and Attachment.objects.count() == 1
