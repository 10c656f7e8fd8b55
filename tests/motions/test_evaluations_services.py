"""Democratic evaluation through the real services: the 优秀 cap, the anonymous rating poll, each member
told his grade; leadership verdicts and the consequences of a sequence of two evaluations; 民评官 and
双向述职; one-time invitations."""

import datetime as dt

import pytest

from ballots import services as engine
from branches import services as branch_services
from branches.models import Member, Notification
from motions import rules, services
from motions.models import Assessment, LeadershipTally
from motions.services import MotionError
from motions.services.evaluations import consequences_of, leadership_counts

from .motion_helpers import PASSPHRASES, make_branch, voters


@pytest.fixture
def branch(tree, sam, alice, petra):
    return make_branch(tree, sam, alice, petra)


def _running_meeting(org, actor, members):
    from django.utils import timezone

    meeting = branch_services.schedule_meeting(
        actor=actor,
        organisation=org,
        kind="life",
        title="组织生活会",
        agenda="民主评议",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    branch_services.start_meeting(actor=actor, meeting=meeting)
    for m in members:
        branch_services.sign_in(actor=actor, meeting=meeting, member=m, method="secretary")
    return meeting


def _run_rating_poll(poll, actor, scrutineers, ballots):
    """Seal, open, cast [(member, {option_pk: value})], close and count."""
    rows = [engine.add_scrutineer(actor=actor, poll=poll, member=m) for m in scrutineers]
    engine.seal_box(actor=actor, poll=poll, passphrases={s.pk: PASSPHRASES[i] for i, s in enumerate(rows)})
    engine.open_poll(actor=actor, poll=poll)
    for member, marks in ballots:
        engine.cast_ballot(
            user=member.user,
            poll=poll,
            marks={str(k): v for k, v in marks.items()},
            write_ins=[],
            idempotency_key=f"key-{poll.pk}-{member.pk}-0123456789abcdef",
        )
    engine.close_poll(actor=actor, poll=poll)
    engine.count_poll(actor=actor, poll=poll, passphrases={s.pk: PASSPHRASES[i] for i, s in enumerate(rows)})
    poll.refresh_from_db()


@pytest.mark.parametrize("members, cap", [(3, 1), (6, 2), (7, 2), (9, 3), (10, 3), (2, 0)])
def test_the_excellent_cap_is_a_third_rounded_down(members, cap):
    assert rules.excellent_cap(members) == cap


def test_member_evaluation_runs_to_each_member_told_his_grade(branch):
    sam = branch.sam
    evaluation = services.start_member_evaluation(actor=sam, organisation=branch.org, year=2026)
    members = [a.member for a in evaluation.assessments.select_related("member")]
    assert len(members) == 7  # 6 full members and petra (probationary members are evaluated too)
    alice = Member.objects.get(user=branch.alice)
    services.submit_self_assessment(actor=branch.alice, evaluation=evaluation, member=alice, text="认真学习")
    with pytest.raises(MotionError, match="second step"):
        services.submit_peer_review(
            actor=branch.alice, evaluation=evaluation, author=alice, subject=branch.extra[0], text="好"
        )
    services.advance_member_evaluation(actor=sam, evaluation=evaluation)
    services.submit_peer_review(
        actor=branch.alice, evaluation=evaluation, author=alice, subject=branch.extra[0], text="工作积极"
    )
    meeting = _running_meeting(branch.org, sam, branch.voting)
    poll = services.open_member_rating(actor=sam, evaluation=evaluation, meeting=meeting)
    assert poll.kind == "rating" and poll.is_secret and poll.options.count() == 7
    first = poll.options.order_by("position").first()
    _run_rating_poll(poll, sam, branch.voting[:2], [(m, {first.pk: "excellent"}) for m in branch.voting])
    evaluation.refresh_from_db()
    services.start_grading(actor=sam, evaluation=evaluation)
    grades = {m.pk: "qualified" for m in members}
    for m in members[:3]:
        grades[m.pk] = "excellent"  # 3 of 7: above the cap of 2
    with pytest.raises(MotionError, match="At most 2 of 7"):
        services.set_grades(actor=sam, evaluation=evaluation, grades=grades)
    assert not Assessment.objects.filter(evaluation=evaluation).exclude(grade="").exists()
    grades[members[2].pk] = "basically"
    services.set_grades(actor=sam, evaluation=evaluation, grades=grades)
    evaluation.refresh_from_db()
    services.conclude_member_evaluation(actor=sam, evaluation=evaluation)
    told = Notification.objects.filter(kind="evaluation.grade")
    assert told.count() == sum(1 for m in members if m.user_id)
    assert all(n.recipient.member.pk in grades for n in told)
    petra_note = told.get(recipient=branch.petra)
    assert Assessment.objects.get(
        evaluation=evaluation, member__user=branch.petra
    ).grade in petra_note.subject or ("Qualified" in petra_note.subject)


def test_grades_are_refused_before_the_rating(branch):
    evaluation = services.start_member_evaluation(actor=branch.sam, organisation=branch.org, year=2025)
    with pytest.raises(MotionError):
        services.set_grades(actor=branch.sam, evaluation=evaluation, grades={})


@pytest.fixture
def committee(branch):
    """sam (secretary) and two more committee members: 3 people to rate."""
    for member, kind in ((branch.extra[0], "organisation"), (branch.extra[1], "propaganda")):
        branch_services.assign_role(
            actor=None, member=member, organisation=branch.org, kind=kind, starts_on=dt.date(2024, 1, 1)
        )
    return [Member.objects.get(user=branch.sam), branch.extra[0], branch.extra[1]]


def _leadership(branch, committee, *, held_on, team, members):
    """A leadership evaluation whose polls give `team` and `members` ({member: value}) unanimously."""
    sam = branch.sam
    evaluation = services.start_leadership_evaluation(
        actor=sam,
        organisation=branch.org,
        period=f"{held_on.year} H{1 if held_on.month < 7 else 2}",
        held_on=held_on,
        report="班子述职报告",
    )
    services.add_question(
        actor=sam, evaluation=evaluation, asked_by="艾丽斯", question="路灯何时修好？", answer="本月"
    )
    meeting = _running_meeting(branch.org, sam, branch.voting)
    services.open_leadership_rating(actor=sam, evaluation=evaluation, meeting=meeting)
    evaluation.refresh_from_db()
    team_option = evaluation.team_poll.options.get()
    member_options = {o.member_id: o.pk for o in evaluation.member_poll.options.all()}
    voters_ = branch.voting[2:]  # scrutineers are the first two
    _run_rating_poll(
        evaluation.team_poll, sam, branch.voting[:2], [(m, {team_option.pk: team}) for m in voters_]
    )
    _run_rating_poll(
        evaluation.member_poll,
        sam,
        branch.voting[:2],
        [(m, {member_options[c.pk]: members.get(c.pk, "competent") for c in committee}) for m in voters_],
    )
    evaluation.refresh_from_db()
    services.conclude_leadership_evaluation(actor=sam, evaluation=evaluation)
    evaluation.refresh_from_db()
    branch_services.close_meeting(actor=sam, meeting=meeting)
    return evaluation


def test_the_consequences_of_a_sequence_of_two_leadership_evaluations(branch, committee):
    sam_m, org_m, prop_m = committee
    first = _leadership(
        branch,
        committee,
        held_on=dt.date(2026, 1, 10),
        team="not_adapted",
        members={org_m.pk: "basically_competent"},
    )
    assert first.verdicts["team"] == "not_adapted"
    table = [(c.target, c.action) for c in consequences_of(first)]
    assert table == [("team", "talk_secretary"), (str(org_m.pk), "talk_higher")]
    second = _leadership(
        branch,
        committee,
        held_on=dt.date(2026, 7, 10),
        team="not_adapted",
        members={prop_m.pk: "incompetent"},
    )
    table = [(c.target, c.action) for c in consequences_of(second)]
    assert table == [("team", "adjustment"), (str(prop_m.pk), "admonition")]


def test_team_basically_adapted_means_a_talk_with_the_secretary():
    assert [
        (c.target, c.action)
        for c in rules.leadership_consequences(
            {"team": "basically_adapted", "members": {}}, {"team": "not_adapted"}
        )
    ] == [("team", "talk_secretary")]
    # 不适应 after 基本适应 is not "twice in a row".
    assert [
        c.action
        for c in rules.leadership_consequences({"team": "not_adapted"}, {"team": "basically_adapted"})
    ] == ["talk_secretary"]


def test_a_verdict_is_the_most_frequent_value_and_a_tie_goes_to_the_worse():
    scale = ["adapted", "basically_adapted", "not_adapted"]
    assert rules.verdict({"adapted": 5, "basically_adapted": 3}, scale) == "adapted"
    assert rules.verdict({"adapted": 3, "not_adapted": 3}, scale) == "not_adapted"
    assert rules.verdict({}, scale) is None


def test_a_mass_representative_rates_once_through_his_invitation(branch, committee):
    sam = branch.sam
    evaluation = services.start_leadership_evaluation(
        actor=sam, organisation=branch.org, period="2026 上半年", held_on=dt.date(2026, 6, 30), report="述职"
    )
    _inv, token = services.invite_representative(actor=sam, evaluation=evaluation, name="群众代表王")
    meeting = _running_meeting(branch.org, sam, branch.voting)
    services.open_leadership_rating(actor=sam, evaluation=evaluation, meeting=meeting)
    evaluation.refresh_from_db()
    values = {"team": "adapted", str(committee[0].pk): "basically_competent"}
    with pytest.raises(MotionError, match="outside the scale"):
        services.rate_by_invitation(
            token=token, values={"team": "adapted", str(committee[0].pk): "excellent"}
        )
    services.rate_by_invitation(token=token, values=values)
    with pytest.raises(MotionError, match="already been used"):
        services.rate_by_invitation(token=token, values=values)
    with pytest.raises(MotionError, match="not valid"):
        services.rate_by_invitation(token="guess", values=values)
    assert LeadershipTally.objects.get(evaluation=evaluation, target=None).count == 1
    assert leadership_counts(evaluation)[str(committee[0].pk)] == {"basically_competent": 1}


def test_public_rating_of_a_leader_is_published(branch):
    sam = branch.sam
    leader = Member.objects.get(user=sam)
    rating = services.create_public_rating(
        actor=sam, organisation=branch.org, leader=leader, title="2026 民评官"
    )
    assert len(rating.dimensions) == 11 and rating.scale == ["good", "fair", "poor"]
    tokens = [services.invite_public_rater(actor=sam, rating=rating, name=f"村民{i}")[1] for i in range(3)]
    for i, token in enumerate(tokens):
        services.rate_by_invitation(token=token, values={"0": "good" if i < 2 else "poor", "1": "fair"})
    services.publish_public_rating(actor=sam, rating=rating)
    rating.refresh_from_db()
    assert rating.results["政治立场"] == {"good": 2, "fair": 0, "poor": 1}
    assert rating.results["工作作风"] == {"good": 0, "fair": 3, "poor": 0}
    with pytest.raises(MotionError, match="closed"):
        services.invite_public_rater(actor=sam, rating=rating, name="迟到者")


def test_two_way_reporting_records_both_audiences(branch):
    sam = branch.sam
    report = services.record_two_way_report(
        actor=sam,
        organisation=branch.org,
        secretary=Member.objects.get(user=sam),
        period="2026",
        to_higher="向上级党委述职",
        to_members="向本支部党员述职",
    )
    services.record_two_way_rating(
        actor=sam, report=report, audience="members", counts={"good": 5, "fair": 1}
    )
    assert {(r.audience, r.value): r.count for r in report.ratings.all()}[("members", "good")] == 5
    with pytest.raises(MotionError, match="outside the scale"):
        services.record_two_way_rating(actor=sam, report=report, audience="higher", counts={"excellent": 1})


def test_the_leadership_is_evaluated_every_six_months():
    from motions.services.evaluations import next_leadership_evaluation_due

    assert next_leadership_evaluation_due(dt.date(2026, 1, 31)) == dt.date(2026, 7, 31)


__all__ = ["voters"]


def test_concluding_a_leadership_evaluation_plans_the_next_one(branch, committee):
    from branches.models import Reminder

    evaluation = _leadership(branch, committee, held_on=dt.date(2026, 1, 10), team="adapted", members={})
    reminder = Reminder.objects.get(kind="leadership.next_due", object_id=evaluation.pk)
    assert "2026-07-10" in reminder.subject
    assert [u.username for u in reminder.recipients.all()] == ["sam"]


def test_entering_inspection_needs_half_satisfied():
    scale = ["good", "fair", "poor"]
    assert rules.satisfaction_reached({"good": 2, "poor": 2}, scale) is True  # exactly 50% is enough (≥)
    assert rules.satisfaction_reached({"good": 2, "fair": 1, "poor": 2}, scale) is False
    assert rules.satisfaction_reached({}, scale) is None
