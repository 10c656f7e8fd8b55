"""Results, the list of trackers, and the PDFs."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from .. import pdf
from ..models import NamedVote, PollStatus, Signature
from ..selectors import chart_data, get_poll_for, result_rows, trackers


def _result_access(request: HttpRequest, pk: int):
    access = get_poll_for(request, pk)
    if not hasattr(access.poll, "result"):
        raise Http404
    if not access.results_visible:
        # Nobody sees a result before the count, and only organisers before publication.
        raise PermissionDenied
    return access


@login_required
@require_GET
def results(request: HttpRequest, pk: int) -> HttpResponse:
    access = _result_access(request, pk)
    poll = access.poll
    table = result_rows(poll)
    named = []
    if access.named_votes_visible:
        named = list(
            NamedVote.objects.filter(poll=poll).select_related("member").order_by("member__name_pinyin")
        )
        labels = {str(o.pk): o.label for o in poll.options.all()}
        choice_labels = dict(poll.choice_labels)
        named = [
            (
                v.member.name,
                [(labels.get(o, o), choice_labels.get(c, c)) for o, c in v.content.get("c", {}).items()],
            )
            for v in named
        ]
    return render(
        request,
        "ballots/results.html",
        {
            "poll": poll,
            "access": access,
            "table": table,
            "chart": chart_data(poll, table),
            "named": named,
            "choices": poll.choice_labels,
            "signatures": Signature.objects.filter(poll=poll)
            .select_related("scrutineer__member")
            .order_by("purpose", "pk"),
        },
    )


@login_required
@require_GET
def tracker_list(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_poll_for(request, pk)
    if access.poll.status != PollStatus.PUBLISHED:
        raise PermissionDenied
    search = request.GET.get("q", "")[:40]
    return render(
        request,
        "ballots/trackers.html",
        {"poll": access.poll, "trackers": trackers(access.poll, search), "q": search},
    )


@login_required
@require_GET
def ballot_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_poll_for(request, pk, manage=True).poll
    response = HttpResponse(pdf.ballot_pdf(poll), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="ballot-{poll.pk}.pdf"'
    return response


@login_required
@require_GET
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    access = _result_access(request, pk)
    poll = access.poll
    scrutineers = list(poll.scrutineers.select_related("member"))
    signatures = list(Signature.objects.filter(poll=poll, purpose="count"))
    response = HttpResponse(
        pdf.report_pdf(poll, result_rows(poll), scrutineers, signatures), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'inline; filename="result-{poll.pk}.pdf"'
    return response
