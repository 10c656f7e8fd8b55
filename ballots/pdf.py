"""Printable PDFs: the paper ballot and the minutes-ready result report (reportlab).

The Chinese font: a TrueType CJK font is embedded (subset) when one is found — `settings.ZHIBU_PDF_FONT`,
else WenQuanYi Zen Hei or Micro Hei where Debian installs them. Without one (a fresh machine, nothing
installed), reportlab's built-in Adobe CID font STSong-Light is used: it needs no file and every PDF
reader shows it with its own Song typeface, but it is referenced, not embedded.
Paper ballots carry no number or mark that could identify a voter.
"""

from __future__ import annotations

import io
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, PolyLine
from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
]
# The CJK fonts have no ✓ (U+2713): the mark is set in DejaVu Sans (fonts-dejavu-core, on every Debian),
# or drawn as two strokes where that font is missing.
MARK_FONT_CANDIDATES = ["/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"]


@cache
def cjk_font() -> str:
    """The registered font name: an embedded TrueType font if available, else the CID font."""
    configured = getattr(settings, "ZHIBU_PDF_FONT", "")
    for path in [configured, *FONT_CANDIDATES]:
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("ZhibuCJK", path, subfontIndex=0))
            except Exception:  # noqa: S112 — an unreadable font file falls back to the next one
                continue
            return "ZhibuCJK"
    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    return "STSong-Light"


@cache
def mark_font() -> str | None:
    for path in [getattr(settings, "ZHIBU_PDF_MARK_FONT", ""), *MARK_FONT_CANDIDATES]:
        if path and Path(path).is_file():
            try:
                pdfmetrics.registerFont(TTFont("ZhibuMark", path))
            except Exception:  # noqa: S112 — an unreadable font file falls back to the next one
                continue
            return "ZhibuMark"
    return None


def check_mark():
    """✓ for a table cell: the character in a font that has it, else a drawn tick (never a missing glyph)."""
    font = mark_font()
    if font:
        return Paragraph(
            f'<font name="{font}">\u2713</font>', ParagraphStyle("mark", fontSize=12, alignment=1)
        )
    tick = Drawing(12, 10)
    tick.add(PolyLine([1, 5, 4.5, 1, 11, 9], strokeWidth=1.6, strokeColor=colors.black))
    return tick


def _styles():
    font = cjk_font()
    return {
        "title": ParagraphStyle("title", fontName=font, fontSize=18, leading=24, alignment=1, spaceAfter=6),
        "sub": ParagraphStyle(
            "sub", fontName=font, fontSize=10.5, leading=15, alignment=1, textColor=colors.grey
        ),
        "body": ParagraphStyle("body", fontName=font, fontSize=10.5, leading=16),
        "cell": ParagraphStyle("cell", fontName=font, fontSize=11, leading=15),
        "big": ParagraphStyle("big", fontName=font, fontSize=13, leading=18),
    }


def _table(data, widths, *, header=True, big=False):
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("FONTNAME", (0, 0), (-1, -1), cjk_font()),
        ("FONTSIZE", (0, 0), (-1, -1), 13 if big else 10.5),
        ("GRID", (0, 0), (-1, -1), 0.6, colors.black),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
        ("TOPPADDING", (0, 0), (-1, -1), 8 if big else 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 8 if big else 4),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f2ebe3")))
    table.setStyle(TableStyle(style))
    return table


def _document(buffer, title: str):
    return SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        author="zhibu",
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=16 * mm,
    )


def ballot_pdf(poll) -> bytes:
    """The paper ballot: candidates in surname stroke order, three columns to mark, write-in lines."""
    s = _styles()
    options = list(poll.options.order_by("position", "pk"))
    story = [
        Paragraph(poll.title, s["title"]),
        Paragraph(f"{poll.meeting.organisation.name} · {poll.meeting.title}", s["sub"]),
        Spacer(1, 4 * mm),
    ]
    if poll.kind == "candidates":
        story.append(
            Paragraph(
                _(
                    "Mark ○ under 赞成 for a candidate you support, × under 不赞成 for one you do not; "
                    "leave 弃权 unmarked or mark it. At most %(seats)d votes in favour, write-ins included; "
                    "a ballot with more "
                    "is invalid. To vote for someone else, mark 不赞成 and write the name in a blank line. "
                    "Candidates are listed in surname stroke order."
                )
                % {"seats": poll.seats},
                s["body"],
            )
        )
    elif poll.kind == "motion":
        story.append(Paragraph(_("Mark ○ in one column for each item."), s["body"]))
    else:
        story.append(Paragraph(_("Mark ○ in one column for each line."), s["body"]))
    story.append(Spacer(1, 4 * mm))
    labels = [str(label) for _v, label in poll.choice_labels]
    header = [_("Candidate") if poll.kind == "candidates" else _("Item"), *labels]
    rows = [[Paragraph(o.label, s["big"]), *[""] * len(labels)] for o in options]
    write_in_rows = [
        [Paragraph(_("Write-in: ________"), s["cell"]), *[""] * len(labels)]
        for _i in range(poll.seats if poll.allow_write_in else 0)
    ]
    width = 174 * mm
    first = 70 * mm
    story.append(
        _table(
            [header, *rows, *write_in_rows], [first] + [(width - first) / len(labels)] * len(labels), big=True
        )
    )
    story.append(Spacer(1, 8 * mm))
    secrecy = _("Secret ballot: do not write your name on it.") if poll.is_secret else _("Named ballot.")
    story.append(Paragraph(secrecy + " " + _("Valid only with the scrutineers' stamp."), s["body"]))
    buffer = io.BytesIO()
    _document(buffer, poll.title).build(story)
    return buffer.getvalue()


def report_pdf(poll, table: dict, scrutineers: list, signatures: list) -> bytes:
    """The result report for the minutes: summary, rule values, per-channel counts, scrutineers' names."""
    s = _styles()
    result = table["result"]
    rules_ = result.rules
    story = [
        Paragraph(_("Result of the vote: %(title)s") % {"title": poll.title}, s["title"]),
        Paragraph(
            f"{poll.meeting.organisation.name} · {poll.meeting.title} · "
            f"{timezone.localtime(result.counted_at):%Y-%m-%d %H:%M}",
            s["sub"],
        ),
        Spacer(1, 5 * mm),
    ]
    sentences = table.get("sentences") or []
    if sentences:  # the outcome in words first, as on the results page
        story.append(Paragraph(sentences[0], s["big"]))
        story += [Paragraph(line, s["body"]) for line in sentences[1:]]
        story.append(Spacer(1, 4 * mm))
    summary = [
        [_("Expected (应到)"), result.expected, _("Present (实到)"), result.present],
        [_("Voted"), result.voters, _("Ballots returned"), result.returned],
        [_("Valid"), result.valid, _("Invalid"), result.invalid],
        [_("Blank"), result.blank, _("Round"), poll.round_no],
    ]
    story += [_table(summary, [40 * mm, 47 * mm, 40 * mm, 47 * mm], header=False), Spacer(1, 4 * mm)]
    rule_lines = [
        _("Rule set: %(preset)s") % {"preset": poll.get_rule_preset_display()},
        _("Quorum: present %(q)s of expected")
        % {"q": _fraction(rules_["quorum"], rules_["quorum_inclusive"])},
    ]
    if rules_.get("threshold"):
        base = (
            _("electors present") if rules_["threshold_base"] == "present" else _("members expected (应到)")
        )
        rule_lines.append(
            _("Threshold: for %(t)s of %(base)s") % {"t": _fraction(rules_["threshold"], False), "base": base}
        )
    rule_lines.append(_("Scrutineers needed to unseal: %(k)d") % {"k": rules_["shamir_threshold"]})
    story += [Paragraph("；".join(str(x) for x in rule_lines), s["body"]), Spacer(1, 4 * mm)]
    choice_labels = poll.choice_labels
    header = [_("Option")]
    for _value, label in choice_labels:
        header += [f"{label}\n{_('online')}", f"{label}\n{_('paper')}", f"{label}\n{_('total')}"]
    header.append(_("Outcome"))
    data = [header]
    for row in table["rows"]:
        line = [Paragraph(row["label"] + (" " + _("(write-in)") if row.get("write_in") else ""), s["cell"])]
        for value, _label in choice_labels:
            line += [row["online"].get(value, 0), row["paper"].get(value, 0), row["total"].get(value, 0)]
        line.append(_outcome_text(row))
        data.append(line)
    n = len(choice_labels) * 3
    story += [_table(data, [42 * mm] + [(132 * mm - 24 * mm) / n] * n + [24 * mm]), Spacer(1, 4 * mm)]
    outcome = table["outcome"]
    if outcome.get("tied"):
        story.append(
            Paragraph(
                _("A tie at the cut-off: %(n)d seat(s) go to a runoff among the tied.")
                % {"n": outcome["tie_seats"]},
                s["body"],
            )
        )
    if outcome.get("shortfall"):
        story.append(
            Paragraph(
                _("%(n)d seat(s) not filled: fewer were elected than seats.") % {"n": outcome["shortfall"]},
                s["body"],
            )
        )
    if result.void_required:
        story.append(
            Paragraph(_("More ballots were returned than members voted: the round is void."), s["body"])
        )
    story.append(Spacer(1, 8 * mm))
    signed = {sig.scrutineer_id for sig in signatures}
    sign_rows = [[_("Scrutineer"), _("Signed with passphrase"), _("Signature")]]
    sign_rows += [[sc.member.name, check_mark() if sc.pk in signed else "", ""] for sc in scrutineers]
    story.append(_table(sign_rows, [50 * mm, 50 * mm, 74 * mm]))
    buffer = io.BytesIO()
    _document(buffer, poll.title).build(story)
    return buffer.getvalue()


def _fraction(fraction, inclusive: bool) -> str:
    return f"{'≥' if inclusive else '>'} {fraction[0]}/{fraction[1]}"


def _outcome_text(row) -> str:
    if row.get("elected"):
        return _("elected")
    if row.get("tied"):
        return _("tie")
    if row.get("passed") is True:
        return _("passed")
    if row.get("passed") is False:
        return _("not passed")
    return ""
