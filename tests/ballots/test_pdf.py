"""The printable ballot and the result report: Chinese text, an embedded font, stroke order, no voter."""

import io

import pytest
from pypdf import PdfReader

from ballots import pdf, services
from ballots.selectors import result_rows

from .conftest import make_poll, option_ids, passphrases_of

pytestmark = pytest.mark.django_db


def _text(data: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def _fonts(data: bytes) -> list[dict]:
    fonts = []
    for page in PdfReader(io.BytesIO(data)).pages:
        for font in page["/Resources"]["/Font"].values():
            fonts.append(font.get_object())
    return fonts


def test_the_paper_ballot_lists_candidates_in_surname_stroke_order(meeting, sam, members):
    poll = make_poll(
        meeting,
        sam,
        options=[members["m3"], members["m4"], members["m2"], members["m1"]],
        seats=2,
        scrutineers=[members["m5"], members["alice"]],
        allow_write_in=True,
        open_=False,
    )
    data = pdf.ballot_pdf(poll)
    text = _text(data)
    positions = [text.index(name) for name in ("王一", "李二", "张三", "周四")]
    assert positions == sorted(positions)
    assert "赞成" in text and "不赞成" in text and "弃权" in text and "另选他人" in text


def test_the_chinese_font_is_embedded_when_a_truetype_font_is_available(meeting, sam, members):
    poll = make_poll(meeting, sam, kind="motion", options=["议题"], seal=False, open_=False)
    data = pdf.ballot_pdf(poll)
    if pdf.cjk_font() == "ZhibuCJK":
        embedded = [
            f for f in _fonts(data) if "/FontDescriptor" in f and "/FontFile2" in f["/FontDescriptor"]
        ]
        assert embedded  # the TrueType subset is inside the PDF
    else:  # a fresh machine without a TrueType CJK font: the built-in CID font, named for the reader
        assert any("STSong-Light" in str(f.get("/BaseFont")) for f in _fonts(data))


def test_the_report_has_the_summary_rule_values_counts_and_scrutineers(election, sam, members):
    o = option_ids(election)
    services.cast_ballot(
        user=members["alice"].user,
        poll=election,
        marks={o[0]: "for"},
        write_ins=[],
        idempotency_key="pdf-alice-0123456789",
    )
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    election.refresh_from_db()
    text = _text(pdf.report_pdf(election, result_rows(election), list(election.scrutineers.all()), []))
    for expected in ("应到", "实到", "4/5", "1/2", "网上", "纸质", "周四", "吴五", "王一"):
        assert expected in text
    assert "艾丽斯" not in text


def test_the_signed_mark_is_a_real_check_mark_in_the_report(election, sam, members):
    """The CJK font has no ✓ (U+2713): it is set in DejaVu Sans, or drawn where that font is missing."""
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    election.refresh_from_db()
    from ballots.models import Signature

    scrutineers = list(election.scrutineers.all())
    data = pdf.report_pdf(
        election, result_rows(election), scrutineers, list(Signature.objects.filter(poll=election))
    )
    if pdf.mark_font():
        assert "\u2713" in _text(data)
        assert any("DejaVuSans" in str(f.get("/BaseFont")) for f in _fonts(data))
    else:
        assert b" l\n" in b"".join(
            page.get_contents().get_data() for page in PdfReader(io.BytesIO(data)).pages
        )


def test_without_the_mark_font_the_tick_is_drawn(monkeypatch):
    from reportlab.graphics.shapes import Drawing

    monkeypatch.setattr(pdf, "mark_font", lambda: None)
    assert isinstance(pdf.check_mark(), Drawing)
