"""The 15-day clock of a proposal runs from its submission (domain.md §4.2), not from the day the secretary
registers it: registering late does not buy time, and the member sees his deadline on his proposal page at
once."""

import datetime as dt

import time_machine
from django.urls import reverse

from branches import reminders
from motions import services
from motions.models import Proposal

from .conftest import member
from .test_deadlines import SHANGHAI, D, moment


def test_a_submitted_proposal_has_its_deadline_at_once(people, file_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        proposal = file_proposal(people["alice"])
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert (proposal.due_on, proposal.limit_days, proposal.limit_working_days) == (D(2025, 3, 18), 15, False)


def test_registering_a_week_later_keeps_the_deadline_of_the_submission(people, file_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        proposal = file_proposal(people["alice"])
    with time_machine.travel(moment(D(2025, 3, 10), 9), tick=False):
        services.register_proposal(actor=people["sam"], proposal=proposal)
    proposal.refresh_from_db()
    assert proposal.status == "registered"
    assert proposal.due_on == D(2025, 3, 18)


def test_a_joint_proposal_starts_its_clock_when_it_is_submitted(people, file_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        proposal = file_proposal(people["alice"], cosigners=[member(people["mia"])])
    assert Proposal.objects.get(pk=proposal.pk).due_on is None  # the co-signers are still answering
    with time_machine.travel(moment(D(2025, 3, 5), 9), tick=False):
        services.submit_proposal(actor=people["alice"], proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).due_on == D(2025, 3, 20)


def test_an_unregistered_proposal_reminds_the_committee_and_shows_overdue(people, file_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        proposal = file_proposal(people["alice"])
    planned = sorted((r.due_at.astimezone(SHANGHAI).date(), r.kind) for r in reminders.pending_for(proposal))
    assert (D(2025, 3, 13), "proposal.due_soon") in planned
    assert (D(2025, 3, 18), "proposal.due_today") in planned
    from motions import rules
    from motions.models.proposals import CLOCK_STATES, WAITING_STATES

    light = rules.traffic_light(
        "submitted",
        D(2025, 3, 18),
        D(2025, 3, 13),
        D(2025, 3, 19),
        open_states=CLOCK_STATES,
        waiting_states=WAITING_STATES,
    )
    assert light == rules.RED


def test_not_accepting_stops_the_clock_s_reminders(people, file_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        proposal = file_proposal(people["alice"])
        services.decline_proposal(actor=people["sam"], proposal=proposal, reason="不属于本支部职责范围。")
    assert list(reminders.pending_for(proposal)) == []


def test_the_member_sees_his_deadline_on_his_proposal_page_before_registration(client, people, file_proposal):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        proposal = file_proposal(people["alice"])
        client.force_login(people["alice"])
        page = client.get(reverse("motions:proposal", args=[proposal.pk]))
    assert page.status_code == 200
    assert "2025-03-18" in page.content.decode()


def test_the_deadline_counts_from_a_submission_on_a_saturday(people, file_proposal):
    with time_machine.travel(dt.datetime(2025, 3, 8, 20, 0, tzinfo=SHANGHAI), tick=False):
        proposal = file_proposal(people["alice"])
    assert Proposal.objects.get(pk=proposal.pk).due_on == D(2025, 3, 23)
