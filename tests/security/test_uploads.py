"""Uploads, driven through every upload URL the crawl found (a page's form with a file field), as the persona
it was shown to: hostile PDFs built here with pypdf (tests/openness/pdfs.py packs what pypdf will not write:
names spelt with #xx escapes, objects inside a compressed object stream) and files that do not parse are
refused, answered without a 5xx, and write nothing; a file of the right kind is accepted (the refusals are
about the content). Every URL that takes a POST answers a request declaring a body over
ZHIBU_MAX_REQUEST_BYTES with 413 without reading it; an attachment whose file is gone answers 404.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from pypdf.generic import NameObject

from openness.models import Attachment
from tests.branches.test_roster import member_row, xlsx_bytes
from tests.openness import pdfs

from .fetching import STATS, fetch
from .routes import routes

ROUTES = routes()


def _javascript_page_action() -> bytes:
    writer = pdfs.one_page()
    writer.pages[0][NameObject("/AA")] = pdfs.action("/JavaScript", JS="app.alert(1)")
    return pdfs.written(writer)


CASES = {
    "javascript-open-action": lambda: pdfs.with_open_action(pdfs.action("/JavaScript", JS="app.alert(1)")),
    "javascript-name-escaped": pdfs.escaped_javascript_on_open,  # /S /J#61vaScript
    "javascript-in-object-stream": lambda: pdfs.in_object_stream(
        open_action=b"<< /S /JavaScript /JS (app.alert\\(1\\)) >>"
    ),
    "javascript-loose-in-object-stream": lambda: pdfs.in_object_stream(
        loose=b"<< /Names [(x) << /S /JavaScript /JS (app.alert\\(1\\)) >>] >>"
    ),
    "launch": lambda: pdfs.with_open_action(pdfs.action("/Launch", F="cmd.exe")),
    "launch-in-object-stream": lambda: pdfs.in_object_stream(open_action=b"<< /S /Launch /F (cmd.exe) >>"),
    "open-action-uri": lambda: pdfs.with_open_action(pdfs.action("/URI", URI="https://example.org/")),
    "additional-action": pdfs.with_additional_action,
    "additional-action-javascript": _javascript_page_action,
    "embedded-file": pdfs.with_attachment,
    "does-not-parse": lambda: b"%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >>\n%%EOF\n",
    "cut-short": lambda: pdfs.plain_pdf()[:200],
    "not-a-pdf": lambda: b"MZ\x90\x00\x03 an executable under a PDF's name",
}


def upload_forms(crawl):
    """The first form with a file field of each URL."""
    return [
        next(f for f in forms if f.has_file)
        for forms in crawl.forms.values()
        if any(f.has_file for f in forms)
    ]


def post_file(world, form, name: str, data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fields = {f.name: f.value or (f.options[0] if f.options else "") for f in form.fields if f.type != "file"}
    files = {f.name: SimpleUploadedFile(name, data) for f in form.fields if f.type == "file"}
    STATS.upload_cases += 1
    return fetch(
        world.clients[form.persona], form.persona, "POST", form.action, fields | files, multipart=True
    )


def test_the_crawl_found_the_upload_urls(crawl):
    names = {route.id for route in ROUTES for form in crawl.forms.get(route.id, []) if form.has_file}
    assert {"openness:attachment_add", "branches:roster_upload"} <= names, names


@pytest.mark.parametrize("case", list(CASES))
def test_a_hostile_or_broken_file_is_refused_and_nothing_is_written(world, crawl, case):
    data = CASES[case]()
    failures = []
    for form in upload_forms(crawl):
        for name in ("附件.pdf", "花名册.xlsx"):
            outcome = post_file(world, form, name, data)
            if outcome.status >= 500:
                failures.append(f"5xx: {outcome.describe()}")
            elif not outcome.refused:
                failures.append(f"accepted: {outcome.describe()} ({outcome.messages})")
            elif outcome.written:
                failures.append(f"write on refusal: {outcome.describe()} wrote {outcome.written}")
    assert not failures, "\n".join(failures)


def test_a_plain_file_of_the_right_kind_is_accepted_by_each_upload_url(world, crawl):
    """Without this, a form that refused everything (or was never reached) would pass the test above."""
    good = [("附件.pdf", pdfs.plain_pdf()), ("花名册.xlsx", xlsx_bytes([member_row(world.orgs["a"].name)]))]
    refused = []
    for form in upload_forms(crawl):
        outcomes = [post_file(world, form, name, data) for name, data in good]
        if not any(not o.refused and o.written for o in outcomes):
            refused.append(f"{form.action} as {form.persona}: {[(o.status, o.messages) for o in outcomes]}")
    assert not refused, "no file was accepted:\n" + "\n".join(refused)


def test_a_request_over_the_size_limit_is_refused_with_413_before_it_is_read(world, crawl):
    """The declared length is over the cap and the body one byte: reading it would fail (the test client's
    payload refuses to read past its end), so a 413 shows nothing read it."""
    declared = str(settings.ZHIBU_MAX_REQUEST_BYTES + 1)
    failures = []
    for route in ROUTES:
        if not crawl.takes_post(route):
            continue
        posts = crawl.outcomes(route, method="POST")
        persona, path = next((o.persona, o.path) for o in posts if o.status != 405 and not o.to_login)
        outcome = fetch(world.clients[persona], persona, "POST", path, "x", CONTENT_LENGTH=declared)
        STATS.upload_cases += 1
        if outcome.status != 413 or outcome.written:
            failures.append(f"{outcome.describe()} wrote {outcome.written}")
    assert not failures, "\n".join(failures)


def test_an_attachment_whose_file_is_gone_answers_404(world):
    attachment = Attachment.objects.filter(item__organisation=world.orgs["a"]).order_by("pk").first()
    where = Path(attachment.file.path)
    url = f"/open/attachments/{attachment.pk}/"
    assert fetch(world.clients["sam"], "sam", "GET", url).status == 200
    hidden = where.with_name(where.name + ".away")
    where.rename(hidden)
    try:
        outcome = fetch(world.clients["sam"], "sam", "GET", url)
    finally:
        hidden.rename(where)
    STATS.upload_cases += 1
    assert outcome.status == 404, outcome.describe()
