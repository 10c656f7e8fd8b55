"""The member's ballot page: phone-first, one screen, a clear 已投票 confirmation with his tracker."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_GET, require_http_methods

from branches.filters import member_search_q

from .. import ballotbox, services
from ..forms import read_ballot
from ..models import PollStatus
from ..selectors import get_poll_for, voter_status


def _ballot_context(request: HttpRequest, access, **extra) -> dict:
    poll = access.poll
    member = access.scope.member
    status = voter_status(poll, member)
    options = list(poll.options.order_by("position", "pk"))
    write_in_rows = []
    if poll.allow_write_in:
        write_in_rows = list(range(poll.seats))
    return {
        "poll": poll,
        "access": access,
        "status": status,
        "options": options,
        "choices": poll.choice_labels,
        "write_in_rows": write_in_rows,
        "key": ballotbox.new_idempotency_key(),
        "can_vote": poll.status == PollStatus.OPEN
        and status.on_roll
        and status.present
        and not status.voted_channel,
        **extra,
    }


@sensitive_post_parameters()
@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def vote(request: HttpRequest, pk: int) -> HttpResponse:
    if request.method == "POST":
        # The cast checks more than the page does (on the roll, present, not voted), in the query that reads
        # the poll: the page's access check runs only when the cast refuses, to answer 404 where the poll is
        # not to be seen at all. Everyone in a meeting votes within the same minute; this path stays short.
        try:
            posted = read_ballot(request.POST)
            result = services.cast_ballot(
                user=request.user,
                poll=pk,
                marks=posted.marks,
                write_ins=posted.write_ins,
                idempotency_key=posted.key,
                assisted=posted.assisted,
                unmarked_confirmed=posted.confirmed,
            )
        except services.BallotUnconfirmed as exc:
            # Asked on the server, so it holds without JavaScript: the same page with the marks kept, the
            # question and a button that re-posts them with confirm=1 under the same idempotency key.
            access = get_poll_for(request, pk)
            context = _ballot_context(
                request,
                access,
                question=str(exc),
                blank=exc.blank,
                key=posted.key,
                marked=dict(posted.marks),
                kept_write_ins=posted.write_ins,
                assisted=posted.assisted,
            )
            return render(request, "ballots/vote.html", context)
        except services.BallotError as exc:
            access = get_poll_for(request, pk)
            context = _ballot_context(request, access, error=str(exc))
            return render(request, "ballots/vote.html", context, status=400)
        # Rendered, not redirected: a reload re-posts the same key and shows the same confirmation.
        return render(request, "ballots/vote_done.html", {"poll": result.poll, "result": result})
    return render(request, "ballots/vote.html", _ballot_context(request, get_poll_for(request, pk)))


WRITE_IN_MATCHES = 20


@never_cache
@login_required
@require_GET
def write_in_search(request: HttpRequest, pk: int) -> HttpResponse:
    """另选他人: the eligible members matching what the voter typed (name, pinyin or initials), to pick from.

    The ballot page offers a search per write-in line rather than every member of the branch in a list: a
    general branch has hundreds, and the page is opened by all of them at once on their phones."""
    access = get_poll_for(request, pk)
    if not access.poll.allow_write_in:
        raise Http404
    query = request.GET.get("find", "").strip()[:40]
    matches = []
    if query:  # one more than shown, to know whether more match
        matches = list(
            services.eligible_write_ins(access.poll)
            .filter(member_search_q(query))
            .select_related("group")
            .only("pk", "name", "group__name")[: WRITE_IN_MATCHES + 1]
        )
    return render(
        request,
        "ballots/_write_in_matches.html",
        {"matches": matches[:WRITE_IN_MATCHES], "query": query, "more": len(matches) > WRITE_IN_MATCHES},
    )
