"""The organiser's pages: prepare (options, seats, scrutineers), seal, open, close, the paper desk and
count, unseal with passphrases, publish, void and a new round."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from branches.models import Attendance, Member
from branches.rules import voting_rights_q
from branches.selectors import get_meeting_for

from .. import rules, services
from ..forms import (
    OptionForm,
    PaperIssueForm,
    PollForm,
    ScrutineerForm,
    VoidForm,
    passphrases_from,
    read_paper_count,
    seal_passphrases,
)
from ..models import PaperCount, Poll, PollOption, PollStatus, Scrutineer
from ..selectors import desk_rows, get_poll_for, managed_meetings, polls_for, turnout, voter_status
from ..services.counting import paper_comparison
from ..states import POLL
from .common import flash_step


@login_required
@require_GET
def poll_list(request: HttpRequest) -> HttpResponse:
    polls = list(polls_for(request.user)[:100])
    return render(
        request, "ballots/poll_list.html", {"polls": polls, "meetings": managed_meetings(request.user)}
    )


@login_required
@require_http_methods(["GET", "POST"])
def poll_new(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = get_meeting_for(request, pk, manage=True)
    form = PollForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            poll = services.create_poll(
                actor=request.user,
                meeting=meeting,
                title=data["title"],
                kind=data["kind"],
                secrecy=data["secrecy"],
                seats=data["seats"],
                allow_write_in=data["allow_write_in"],
                scale=data["scale"],
                rule_preset=data["rule_preset"] or None,
            )
        except services.BallotError as exc:
            form.add_error(None, str(exc))
        else:
            return redirect("ballots:poll", pk=poll.pk)
    return render(request, "ballots/poll_form.html", {"form": form, "meeting": meeting})


def _candidate_members(poll):
    return Member.objects.filter(
        voting_rights_q(), organisation__path__startswith=poll.organisation.path
    ).order_by("name_pinyin", "pk")


def _meeting_members(poll):
    return Member.objects.filter(
        pk__in=Attendance.objects.filter(meeting_id=poll.meeting_id).values("member_id")
    ).order_by("name_pinyin", "pk")


@never_cache
@login_required
@require_GET
def poll_detail(request: HttpRequest, pk: int) -> HttpResponse:
    access = get_poll_for(request, pk)
    poll = access.poll
    context = {
        "poll": poll,
        "access": access,
        "options": list(poll.options.select_related("member").order_by("position", "pk")),
        "status": voter_status(poll, access.scope.member),
        "next_states": POLL.next_states(poll.status),
    }
    if access.can_manage:
        context.update(
            {
                "scrutineers": list(poll.scrutineers.select_related("member")),
                "turnout": turnout(poll),
                "issues": rules.blocking_issues(poll) if poll.status == PollStatus.DRAFT else [],
                "option_form": OptionForm(members=_candidate_members(poll)),
                "scrutineer_form": ScrutineerForm(members=_meeting_members(poll)),
                "void_form": VoidForm(),
                "paper_entries": list(PaperCount.objects.filter(poll=poll).order_by("entry")),
            }
        )
    return render(request, "ballots/poll_detail.html", context)


@never_cache
@login_required
@require_GET
def poll_turnout(request: HttpRequest, pk: int) -> HttpResponse:
    """The live number (htmx polls this fragment); organisers only."""
    access = get_poll_for(request, pk, manage=True)
    return render(
        request,
        "ballots/poll_detail.html#turnout",
        {"poll": access.poll, "turnout": turnout(access.poll), "access": access},
    )


def _back(poll) -> HttpResponse:
    return redirect("ballots:poll", pk=poll.pk)


def poll_step(*, via: QuerySet | None = None):
    """An organiser's action posted from the poll page: the poll is fetched for a manager, the step runs
    (`step(request, poll)`, or with the row of `via` when the URL names an option or a scrutineer), its
    message or refusal is flashed, and the page goes back to the poll."""

    def decorate(step: Callable[[HttpRequest, Any], str | None]):
        @login_required
        @require_POST
        @wraps(step)
        def view(request: HttpRequest, pk: int) -> HttpResponse:
            row = get_object_or_404(via, pk=pk) if via is not None else None
            poll = get_poll_for(request, row.poll_id if row else pk, manage=True).poll
            flash_step(request, lambda: step(request, row or poll))
            return _back(poll)

        return view

    return decorate


@poll_step()
def option_add(request: HttpRequest, poll: Poll) -> None:
    form = OptionForm(request.POST, members=_candidate_members(poll))
    if not form.is_valid():
        raise services.BallotError(_("Choose a member or enter a label."))
    data = form.cleaned_data
    services.add_option(actor=request.user, poll=poll, label=data["label"], member=data["member"])


@poll_step(via=PollOption.objects.select_related("poll"))
def option_remove(request: HttpRequest, option: PollOption) -> None:
    services.remove_option(actor=request.user, option=option)


@poll_step()
def scrutineer_add(request: HttpRequest, poll: Poll) -> None:
    form = ScrutineerForm(request.POST, members=_meeting_members(poll))
    if not form.is_valid():
        raise services.BallotError(_("Choose a member of the meeting."))
    services.add_scrutineer(actor=request.user, poll=poll, member=form.cleaned_data["member"])


@poll_step(via=Scrutineer.objects.select_related("poll", "member"))
def scrutineer_remove(request: HttpRequest, scrutineer: Scrutineer) -> None:
    services.remove_scrutineer(actor=request.user, scrutineer=scrutineer)


def _passphrase_page(
    request: HttpRequest,
    poll: Poll,
    template: str,
    *,
    submit: Callable[..., object],
    success: str,
    then: str,
    read: Callable[..., dict[int, str]] = passphrases_from,
    context: Callable[[], dict] = dict,
) -> HttpResponse:
    """A page where the scrutineers type their passphrases (seal, accept the paper count, unseal). A POST
    calls `submit` with them and goes on to `then` with `success`; a refusal shows the page again with the
    error, status 400."""
    scrutineers = list(poll.scrutineers.select_related("member"))
    error = None
    if request.method == "POST":
        try:
            submit(actor=request.user, poll=poll, passphrases=read(request.POST, scrutineers))
        except services.BallotError as exc:
            error = str(exc)
        else:
            messages.success(request, success)
            return redirect(then, pk=poll.pk)
    return render(
        request,
        template,
        {
            "poll": poll,
            "scrutineers": scrutineers,
            "error": error,
            "k": poll.rules["shamir_threshold"],
            **context(),
        },
        status=400 if error else 200,
    )


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def seal(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_poll_for(request, pk, manage=True).poll
    return _passphrase_page(
        request,
        poll,
        "ballots/seal.html",
        submit=services.seal_box,
        read=seal_passphrases,
        success=_("The ballot box is sealed. Each scrutineer must remember his passphrase."),
        then="ballots:poll",
    )


@poll_step()
def poll_open(request: HttpRequest, poll: Poll) -> str:
    services.open_poll(actor=request.user, poll=poll)
    return _("Voting is open.")


@poll_step()
def poll_close(request: HttpRequest, poll: Poll) -> str:
    services.close_poll(actor=request.user, poll=poll)
    return _("Voting is closed.")


@poll_step()
def poll_publish(request: HttpRequest, poll: Poll) -> str:
    services.publish_poll(actor=request.user, poll=poll)
    return _("The result is published.")


@poll_step()
def poll_void(request: HttpRequest, poll: Poll) -> None:
    form = VoidForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    services.void_poll(actor=request.user, poll=poll, reason=reason)


@login_required
@require_POST
def poll_new_round(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_poll_for(request, pk, manage=True).poll
    try:
        successor = services.new_round(actor=request.user, poll=poll)
    except services.BallotError as exc:
        messages.error(request, str(exc))
        return _back(poll)
    return redirect("ballots:poll", pk=successor.pk)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def desk(request: HttpRequest, pk: int) -> HttpResponse:
    """The paper desk: who is present, who voted online, who took a paper ballot; issue one."""
    poll = get_poll_for(request, pk, manage=True).poll
    rows = desk_rows(poll)
    waiting = Member.objects.filter(
        pk__in=[r["member"].pk for r in rows if r["present"] and not r["channel"]]
    )
    form = PaperIssueForm(request.POST or None, members=waiting.order_by("name_pinyin", "pk"))
    if request.method == "POST":
        if form.is_valid():
            try:
                services.issue_paper_ballot(
                    actor=request.user,
                    poll=poll,
                    member=form.cleaned_data["member"],
                    assisted=form.cleaned_data["assisted"],
                )
            except services.BallotError as exc:
                messages.error(request, str(exc))
            else:
                messages.success(
                    request, _("Paper ballot issued to %(name)s.") % {"name": form.cleaned_data["member"]}
                )
        else:
            messages.error(request, _("Choose a member who is present and has not voted."))
        return redirect("ballots:desk", pk=poll.pk)
    return render(
        request, "ballots/desk.html", {"poll": poll, "rows": rows, "form": form, "turnout": turnout(poll)}
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def paper_entry(request: HttpRequest, pk: int, entry: int) -> HttpResponse:
    poll = get_poll_for(request, pk, manage=True).poll
    if entry not in (1, 2):
        raise Http404
    options = list(poll.options.order_by("position", "pk"))
    existing = PaperCount.objects.filter(poll=poll, entry=entry).first()
    error = None
    if request.method == "POST":
        try:
            figures = read_paper_count(request.POST, poll, options)
            services.enter_paper_count(actor=request.user, poll=poll, entry=entry, **figures)
        except services.BallotError as exc:
            error = str(exc)
        else:
            messages.success(request, _("Entry %(n)d of the paper count is saved.") % {"n": entry})
            return redirect("ballots:paper_accept", pk=poll.pk)
    return render(
        request,
        "ballots/paper_entry.html",
        {
            "poll": poll,
            "entry": entry,
            "options": options,
            "choices": poll.choice_labels,
            "existing": existing,
            "error": error,
            "eligible": list(services.eligible_write_ins(poll)) if poll.allow_write_in else [],
            "write_in_rows": range(5) if poll.allow_write_in else [],
        },
        status=400 if error else 200,
    )


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def paper_accept(request: HttpRequest, pk: int) -> HttpResponse:
    poll = get_poll_for(request, pk, manage=True).poll
    entries, differences = paper_comparison(poll)
    return _passphrase_page(
        request,
        poll,
        "ballots/paper_accept.html",
        submit=services.accept_paper_count,
        success=_("The paper count is accepted and signed by the scrutineers."),
        then="ballots:poll",
        context=lambda: {"entries": entries, "differences": _differences_shown(poll, differences)},
    )


def _differences_shown(poll, differences) -> list[tuple[str, object, object]]:
    """The fields where the two entries differ, named for the page: option and choice, write-in, totals."""
    labels = {str(o.pk): o.label for o in poll.options.all()}
    choice_labels = dict(poll.choice_labels)
    shown = []
    for field, first, second in differences:
        if ":" in field and not field.startswith("w:"):
            option_id, choice = field.split(":", 1)
            field = f"{labels.get(option_id, option_id)} · {choice_labels.get(choice, choice)}"
        elif field.startswith("w:"):
            member = Member.objects.filter(pk=field[2:]).first()
            field = _("Write-in: %(name)s") % {"name": member.name if member else field[2:]}
        else:
            field = {
                "returned": _("Ballots returned"),
                "invalid": _("Invalid"),
                "blank": _("Blank"),
                "void_write_ins": _("Void write-ins (not eligible)"),
            }[field]
        shown.append((field, first, second))
    return shown


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def unseal(request: HttpRequest, pk: int) -> HttpResponse:
    """k scrutineers type their passphrases; the box opens, is counted, and its key is destroyed."""
    poll = get_poll_for(request, pk, manage=True).poll
    return _passphrase_page(
        request,
        poll,
        "ballots/unseal.html",
        submit=services.count_poll,
        success=_("The ballot box is unsealed and counted."),
        then="ballots:results",
    )
