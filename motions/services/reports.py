"""The confidential channel (检举 / 控告): a report of misconduct goes to the discipline officers of the
organisation concerned and above, never to the person accused; the reporter is named to nobody but them.
Its audit entries name no organisation, so that no branch's audit page lists them (`log_confidential`)."""

from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from branches import reminders
from branches.models import Member

from .. import selectors, states
from ..models import Inquiry, InquiryStatus, MisconductReport, ReportKind, ReportStatus
from .common import MotionError, clean_text, log_confidential, require_party_member, tell


def _url(report: MisconductReport) -> str:
    return reverse("motions:report", args=[report.pk])


@transaction.atomic
def file_report(
    *,
    actor,
    reporter: Member,
    kind: str,
    content: str,
    accused: Member | None = None,
    accused_description: str = "",
) -> MisconductReport:
    """检举 / 控告: to the discipline officers of the organisation concerned and above, never to the person
    accused; the reporter is named to nobody but them."""
    require_party_member(reporter)
    content = clean_text(content)
    if kind not in ReportKind.values:
        raise MotionError(_("Unknown kind of report."))
    if not content:
        raise MotionError(_("A report needs the facts."))
    if accused is not None and accused.pk == reporter.pk:
        raise MotionError(_("A report concerns somebody else."))
    organisation = accused.organisation if accused is not None else reporter.organisation
    report = MisconductReport.objects.create(
        organisation=organisation,
        kind=kind,
        reporter=reporter,
        accused=accused,
        accused_description=clean_text(accused_description)[:120],
        content=content,
    )
    _received(report)
    return report


def _received(report: MisconductReport) -> None:
    log_confidential(None, "report.file", report, changes={"status": [None, report.status]})
    url = _url(report)
    tell(
        selectors.discipline_officers(report.organisation, excluding=report.accused),
        kind="report.filed",
        url=url,
        subject=_("A confidential report was filed: %(report)s") % {"report": report},
    )
    tell(
        [report.reporter.user],
        kind="report.received",
        url=url,
        subject=_("Your report was received by the discipline officers: %(report)s") % {"report": report},
    )


@transaction.atomic
def move_inquiry_to_confidential_channel(*, actor, inquiry: Inquiry) -> MisconductReport:
    """An inquiry that is really a report of misconduct leaves the inquiries: it becomes a report that only
    discipline officers see (the person it names, if any, is the person concerned); the inquiry is
    gone."""
    if inquiry.status == InquiryStatus.CLOSED:
        raise MotionError(_("A closed inquiry stays where it is."))
    report = MisconductReport.objects.create(
        organisation=inquiry.organisation,
        kind=ReportKind.ACCUSATION,
        reporter=inquiry.author,
        accused=inquiry.target,
        content=f"{inquiry.subject}\n\n{inquiry.questions}",
    )
    reminders.cancel(inquiry)
    log_confidential(actor, "inquiry.to_confidential_channel", inquiry)
    inquiry.delete()
    _received(report)
    return report


@transaction.atomic
def take_up_report(*, actor, report: MisconductReport) -> MisconductReport:
    # Not `transition()`: its audit entry would name the organisation, and so appear on its audit page.
    if not states.REPORT.allowed(report.status, ReportStatus.HANDLING):
        raise MotionError(_("This report is already being handled."))
    if (
        MisconductReport.objects.filter(pk=report.pk, status=report.status).update(
            status=ReportStatus.HANDLING
        )
        != 1
    ):
        raise MotionError(_("Someone else changed this at the same moment; reload the page."))
    log_confidential(
        actor, "report.take_up", report, changes={"status": [report.status, ReportStatus.HANDLING]}
    )
    report.status = ReportStatus.HANDLING
    return report


@transaction.atomic
def conclude_report(*, actor, report: MisconductReport, conclusion: str) -> MisconductReport:
    conclusion = clean_text(conclusion)
    if not conclusion:
        raise MotionError(_("The conclusion needs its text."))
    updated = MisconductReport.objects.filter(
        pk=report.pk, status__in=[ReportStatus.RECEIVED, ReportStatus.HANDLING]
    ).update(status=ReportStatus.CONCLUDED, conclusion=conclusion, concluded_at=timezone.now())
    if updated != 1:
        raise MotionError(_("This report is already concluded."))
    old = report.status
    report.refresh_from_db()
    log_confidential(actor, "report.conclude", report, changes={"status": [old, report.status]})
    tell(
        [report.reporter.user],
        kind="report.concluded",
        url=_url(report),
        subject=_("Your report is concluded: %(report)s") % {"report": report},
    )
    return report
