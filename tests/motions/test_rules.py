"""Pure rules: life-cycle tables, the traffic light in Python and SQL, thresholds, rating outcomes."""

import datetime as dt
import itertools

import pytest

from branches.models import AuditLog
from branches.states import TransitionError, transition
from motions import rules, states
from motions.models import Proposal
from motions.models.proposals import OPEN_STATES

D = dt.date

# --- life cycles as tables ------------------------------------------------------------------------

PROPOSAL_ALLOWED = {
    ("cosigning", "submitted"),
    ("submitted", "registered"),
    ("submitted", "not_accepted"),
    ("submitted", "forwarded"),
    ("forwarded", "registered"),
    ("forwarded", "not_accepted"),
    ("registered", "assigned"),
    ("assigned", "in_progress"),
    ("assigned", "answered"),
    ("in_progress", "answered"),
    ("answered", "closed"),
    ("answered", "reopened"),
    ("reopened", "answered"),
}
PROPOSAL_STATES = list(states.PROPOSAL.moves)


@pytest.mark.parametrize(("old", "new"), list(itertools.product(PROPOSAL_STATES, PROPOSAL_STATES)))
def test_the_proposal_table_allows_exactly_the_course_of_domain_4_2(old, new):
    assert states.PROPOSAL.allowed(old, new) == ((old, new) in PROPOSAL_ALLOWED)


INQUIRY_ALLOWED = {
    ("cosigning", "submitted"),
    ("submitted", "answered"),
    ("answered", "closed"),
    ("answered", "second_due"),
    ("answered", "escalated"),
    ("second_due", "answered"),
    ("escalated", "closed"),
}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(states.INQUIRY.moves, states.INQUIRY.moves)))
def test_the_inquiry_table(old, new):
    assert states.INQUIRY.allowed(old, new) == ((old, new) in INQUIRY_ALLOWED)


TOPIC_ALLOWED = {
    ("proposed", "accepted"),
    ("proposed", "rejected"),
    ("accepted", "scheduled"),
    ("scheduled", "concluded"),
    ("concluded", "closed"),
}


@pytest.mark.parametrize(("old", "new"), list(itertools.product(states.TOPIC.moves, states.TOPIC.moves)))
def test_the_first_deliberation_table(old, new):
    assert states.TOPIC.allowed(old, new) == ((old, new) in TOPIC_ALLOWED)


@pytest.mark.parametrize(("old", "new"), list(itertools.product(states.REPORT.moves, states.REPORT.moves)))
def test_the_report_table(old, new):
    allowed = {("received", "handling"), ("received", "concluded"), ("handling", "concluded")}
    assert states.REPORT.allowed(old, new) == ((old, new) in allowed)


def test_an_illegal_move_is_refused_and_nothing_is_written(assigned_proposal, people):
    proposal = assigned_proposal()
    before = AuditLog.objects.count()
    with pytest.raises(TransitionError):
        transition(proposal, states.PROPOSAL, "closed", actor=people["sam"], verb="proposal.close")
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"
    assert AuditLog.objects.count() == before


def test_the_status_column_has_a_database_check(assigned_proposal):
    from django.db import IntegrityError, transaction

    proposal = assigned_proposal()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status="lost")


def test_nothing_is_closed_without_an_answer_even_in_the_database(assigned_proposal):
    from django.db import IntegrityError, transaction

    proposal = assigned_proposal()
    with pytest.raises(IntegrityError), transaction.atomic():
        Proposal.objects.filter(pk=proposal.pk).update(status="closed")


# --- the traffic light ----------------------------------------------------------------------------

WAITING = ("cosigning", "submitted", "forwarded")
TODAY = D(2025, 3, 15)
CASES = [
    ("submitted", None, None, "waiting"),
    ("not_accepted", None, None, "done"),
    ("registered", D(2025, 3, 20), D(2025, 3, 16), "green"),
    ("assigned", D(2025, 3, 20), D(2025, 3, 15), "amber"),
    ("in_progress", D(2025, 3, 15), D(2025, 3, 10), "amber"),  # the last day is not yet overdue
    ("in_progress", D(2025, 3, 14), D(2025, 3, 9), "red"),
    ("reopened", D(2025, 3, 1), D(2025, 2, 24), "red"),
    ("answered", D(2025, 3, 1), D(2025, 2, 24), "done"),
    ("closed", D(2025, 3, 1), D(2025, 2, 24), "done"),
]


@pytest.mark.parametrize(("status", "due_on", "warn_on", "light"), CASES)
def test_the_traffic_light(status, due_on, warn_on, light):
    assert (
        rules.traffic_light(status, due_on, warn_on, TODAY, open_states=OPEN_STATES, waiting_states=WAITING)
        == light
    )


def test_the_sql_traffic_light_agrees_with_python(tree, alice):
    from branches.models import Member

    proposer = Member.objects.get(user=alice)
    rows = []
    for status, due_on, warn_on, _light in CASES:
        fields = {"due_on": due_on, "warn_on": warn_on}
        if due_on is not None:
            fields["registered_at"] = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        if status in ("assigned", "in_progress", "reopened", "answered", "closed"):
            fields["responsible"] = proposer
        if status == "closed":
            fields["first_answered_at"] = dt.datetime(2025, 3, 1, tzinfo=dt.UTC)
        if status == "not_accepted":
            fields["decision_reason"] = "不属于支部职责"
        rows.append(
            Proposal.objects.create(
                organisation=tree.a,
                handled_by=tree.a,
                proposer=proposer,
                title=status,
                content="内容",
                status=status,
                **fields,
            )
        )
    lights = dict(
        Proposal.objects.annotate(
            light=rules.traffic_light_sql(TODAY, open_states=OPEN_STATES, waiting_states=WAITING)
        ).values_list("pk", "light")
    )
    for row in rows:
        assert lights[row.pk] == rules.traffic_light(
            row.status, row.due_on, row.warn_on, TODAY, open_states=OPEN_STATES, waiting_states=WAITING
        ), row.status


# --- thresholds and outcomes ----------------------------------------------------------------------


@pytest.mark.parametrize(("members", "needed"), [(5, 3), (30, 3), (31, 4), (45, 5), (100, 10)])
def test_a_challenge_needs_max_3_or_10_percent_of_the_members_as_co_signers(members, needed):
    assert rules.challenge_cosigners_required(members) == needed


@pytest.mark.parametrize(
    ("signers", "rated", "dissatisfied", "round_", "outcome"),
    [
        (1, 1, 0, 1, "closed"),
        (1, 1, 1, 1, "second_due"),
        (1, 1, 1, 2, "escalated"),
        (4, 2, 2, 1, None),  # half is not more than half; two still to rate
        (4, 3, 2, 1, None),
        (4, 4, 2, 1, "closed"),
        (4, 3, 3, 1, "second_due"),
        (5, 3, 3, 2, "escalated"),
    ],
)
def test_more_than_half_of_the_signers_dissatisfied_means_a_second_answer_then_escalation(
    signers, rated, dissatisfied, round_, outcome
):
    assert (
        rules.inquiry_after_rating(
            signers=signers, rated=rated, dissatisfied=dissatisfied, answer_round=round_
        )
        == outcome
    )


@pytest.mark.parametrize(
    ("rating", "reopened", "outcome"),
    [
        ("satisfied", 0, "closed"),
        ("basically", 0, "closed"),
        ("dissatisfied", 0, "reopened"),
        ("dissatisfied", 1, "closed"),
    ],
)
def test_dissatisfied_reopens_a_proposal_once(rating, reopened, outcome):
    assert rules.proposal_after_rating(rating, reopened) == outcome


@pytest.mark.parametrize(
    ("source", "supporters", "base", "ok"),
    [
        ("branch", None, None, True),
        ("village_committee", None, None, True),
        ("villagers", 120, 1200, True),
        ("villagers", 119, 1200, False),
        ("villagers", 50, None, False),
        ("representatives", 8, 40, True),
        ("representatives", 7, 40, False),
        ("members", 10, None, True),
        ("members", 9, None, False),
    ],
)
def test_who_may_put_a_topic_forward(source, supporters, base, ok):
    assert (rules.topic_threshold_issues(source, supporters, base) == []) == ok


def test_reminder_days_keep_their_distance_from_a_moved_deadline():
    deadline = rules.moved_deadline(D(2025, 3, 23), limit_days=15, working_days=False, reminder_days=[10, 14])
    assert deadline.reminder_days == (D(2025, 3, 18), D(2025, 3, 22))
    assert deadline.warn_on == D(2025, 3, 18)
