"""A motion's course through the real services and the real ballot engine: the steps and their
preconditions, the outcome judged on 应到, written opinions, the third vote, implementation, 四议两公开."""

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from branches import reminders
from branches import services as branch_services
from branches.models import AuditLog, Member, Notification, Reminder
from branches.outbox import DisclosureDraft
from motions import services
from motions.services import MotionError

from .motion_helpers import (
    cast,
    count_and_announce,
    draft,
    general_meeting,
    make_branch,
    run_vote,
    start_on_its_day,
    to_circulated,
    to_voting,
    voters,
)


@pytest.fixture
def branch(tree, sam, alice, petra):
    return make_branch(tree, sam, alice, petra)


@pytest.fixture
def meeting(branch):
    return general_meeting(branch.org, branch.sam)


def test_the_course_of_a_motion_ends_in_a_passed_vote_with_its_figures(branch, meeting):
    motion = draft(branch.org, branch.sam)
    assert motion.status == "draft" and motion.origin == "committee"
    to_circulated(motion, branch.sam, meeting)
    assert motion.status == "circulated"
    services.comment_on_motion(
        actor=branch.alice, motion=motion, member=branch.voting[1], text="建议租期两年"
    )
    services.record_hearing(actor=branch.sam, motion=motion, record="听证会：村民代表十人参加，无异议")
    assert motion.status == "heard"
    # 应到 6: 4 for passes (floor(6/2) + 1).
    vote = run_vote(motion, branch.sam, present=branch.voting, votes_for=4)
    motion.refresh_from_db()
    assert vote.passed is True and motion.status == "passed"
    assert (vote.expected, vote.present, vote.votes_for, vote.votes_against) == (6, 6, 4, 2)
    assert vote.rules["threshold"] == [1, 2] and vote.rules["quorum"] == [1, 2]
    assert vote.poll.status == "published"  # announced at once
    assert DisclosureDraft.objects.filter(kind="motion.resolution", object_id=str(motion.pk)).exists()
    verbs = set(
        AuditLog.objects.filter(object_id=str(motion.pk), content_type__model="motion").values_list(
            "verb", flat=True
        )
    )
    assert {
        "motion.create",
        "motion.committee",
        "motion.circulate",
        "motion.hearing",
        "motion.debate",
        "motion.put_to_vote",
        "motion.passed",
    } <= verbs


def test_it_fails_at_exactly_half_of_the_expected_through_the_engine(branch, meeting):
    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    vote = run_vote(motion, branch.sam, present=branch.voting, votes_for=3)
    motion.refresh_from_db()
    assert vote.passed is False and motion.status == "postponed"


def test_a_majority_of_those_present_fails_when_it_is_not_a_majority_of_the_expected(branch, meeting):
    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    present = branch.voting[:4]  # 4 of 6 present: quorum reached
    vote = run_vote(motion, branch.sam, present=present, votes_for=3)  # 3 of 4 present, not > 3 of 6
    assert (vote.expected, vote.present, vote.votes_for) == (6, 4, 3)
    assert vote.passed is False


def test_the_meeting_cannot_discuss_with_exactly_half_present(branch, meeting):
    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    start_on_its_day(meeting, branch.sam)
    for m in branch.voting[:3]:
        branch_services.sign_in(actor=branch.sam, meeting=meeting, member=m, method="secretary")
    with pytest.raises(MotionError, match="quorum is not reached: 3 of 6"):
        services.record_meeting_discussion(actor=branch.sam, motion=motion, discussion="讨论")
    branch_services.sign_in(actor=branch.sam, meeting=meeting, member=branch.voting[3], method="secretary")
    services.record_meeting_discussion(actor=branch.sam, motion=motion, discussion="讨论")
    assert motion.status == "debated"


def test_materials_go_out_at_least_three_days_before_the_meeting(branch):
    motion = draft(branch.org, branch.sam)
    services.record_committee_discussion(actor=branch.sam, motion=motion, present=1, decision="同意")
    soon = general_meeting(branch.org, branch.sam, days_ahead=2.99)
    with pytest.raises(MotionError, match="at least 3 days before"):
        services.circulate_materials(actor=branch.sam, motion=motion, meeting=soon, materials="材料")
    services.circulate_materials(
        actor=branch.sam,
        motion=motion,
        meeting=general_meeting(branch.org, branch.sam, days_ahead=3.01),
        materials="材料",
    )
    assert Notification.objects.filter(kind="motion.circulated", recipient=branch.alice).exists()


def test_the_committee_needs_its_quorum_and_a_decision(branch, tree):
    motion = draft(branch.org, branch.sam)
    with pytest.raises(MotionError, match="decision"):
        services.record_committee_discussion(actor=branch.sam, motion=motion, present=1, decision=" ")
    with pytest.raises(MotionError, match="quorum"):
        services.record_committee_discussion(actor=branch.sam, motion=motion, present=0, decision="同意")


def test_one_item_at_a_time(branch, meeting):
    first, second = (
        draft(branch.org, branch.sam, title="议题一"),
        draft(branch.org, branch.sam, title="议题二"),
    )
    to_circulated(first, branch.sam, meeting)
    to_circulated(second, branch.sam, meeting)
    to_voting(first, branch.sam, present=branch.voting)
    services.record_meeting_discussion(actor=branch.sam, motion=second, discussion="讨论")
    with pytest.raises(MotionError, match="one item at a time"):
        services.put_to_vote(actor=branch.sam, motion=second)


def test_a_named_ballot_only_where_the_rules_allow_it(branch, meeting, settings):
    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    start_on_its_day(meeting, branch.sam)
    for m in branch.voting:
        branch_services.sign_in(actor=branch.sam, meeting=meeting, member=m, method="secretary")
    services.record_meeting_discussion(actor=branch.sam, motion=motion, discussion="讨论")
    with pytest.raises(MotionError, match="secret ballot"):
        services.put_to_vote(actor=branch.sam, motion=motion, secrecy="named")
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "motion_named_ballot_categories": ["major_affairs"]}
    vote = services.put_to_vote(actor=branch.sam, motion=motion, secrecy="named")
    assert vote.poll.secrecy == "named"


def test_written_opinions_of_absentees_count_for_admission(branch, meeting):
    motion = draft(branch.org, branch.sam, category="admission", title="接收张某为预备党员")
    to_circulated(motion, branch.sam, meeting)
    absent = branch.voting[4:]  # two absentees hand in written opinions
    for m in absent:
        services.record_written_opinion(actor=branch.sam, motion=motion, member=m, choice="for")
    present = branch.voting[:4]
    vote = run_vote(motion, branch.sam, present=present, votes_for=2)  # 2 + 2 written = 4 > 3
    assert (vote.votes_for, vote.written_for, vote.expected) == (2, 2, 6)
    assert vote.passed is True


def test_a_written_opinion_of_a_member_who_came_after_all_does_not_count(branch, meeting):
    motion = draft(branch.org, branch.sam, category="conversion", title="预备党员转正")
    to_circulated(motion, branch.sam, meeting)
    services.record_written_opinion(actor=branch.sam, motion=motion, member=branch.voting[3], choice="for")
    vote = run_vote(
        motion, branch.sam, present=branch.voting[:4], votes_for=3
    )  # voting[3] came and voted against
    assert vote.written_for == 0 and vote.passed is False


def test_written_opinions_are_refused_for_other_matters(branch, meeting):
    motion = draft(branch.org, branch.sam, category="collective_income")
    to_circulated(motion, branch.sam, meeting)
    with pytest.raises(MotionError, match="only for admission and conversion"):
        services.record_written_opinion(
            actor=branch.sam, motion=motion, member=branch.voting[5], choice="for"
        )


def test_a_probationary_member_hands_in_no_written_opinion(branch, meeting):
    motion = draft(branch.org, branch.sam, category="admission")
    to_circulated(motion, branch.sam, meeting)
    with pytest.raises(MotionError, match="no vote"):
        services.record_written_opinion(
            actor=branch.sam, motion=motion, member=Member.objects.get(user=branch.petra), choice="for"
        )


def test_the_third_vote_after_two_failures_is_refused_then_allowed_with_a_reason(branch):
    motion = draft(branch.org, branch.sam)
    for _n in range(2):
        meeting = general_meeting(branch.org, branch.sam)
        to_circulated(motion, branch.sam, meeting)
        run_vote(motion, branch.sam, present=branch.voting, votes_for=2)
        motion.refresh_from_db()
        assert motion.status == "postponed"
        branch_services.close_meeting(actor=branch.sam, meeting=meeting)
    meeting = general_meeting(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    with pytest.raises(MotionError, match="failed 2 times in a row"):
        to_voting(motion, branch.sam, present=branch.voting)
    motion.refresh_from_db()
    assert motion.status == "debated"
    services.record_revote_reason(actor=branch.sam, motion=motion, reason="方案已按党员意见作重大修改")
    vote = services.put_to_vote(actor=branch.sam, motion=motion)
    assert vote.number == 3
    assert AuditLog.objects.filter(verb="motion.revote_reason", object_id=str(motion.pk)).exists()


def test_a_reason_is_refused_before_two_failures(branch, meeting):
    motion = draft(branch.org, branch.sam)
    with pytest.raises(MotionError, match="only after two failures"):
        services.record_revote_reason(actor=branch.sam, motion=motion, reason="理由")


def test_implementation_with_milestones_reminds_when_overdue_and_discloses_the_result(branch, meeting):
    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    run_vote(motion, branch.sam, present=branch.voting, votes_for=6)
    motion.refresh_from_db()
    alice = Member.objects.get(user=branch.alice)
    services.assign_implementation(actor=branch.sam, motion=motion, responsible=alice)
    due = timezone.localdate() + dt.timedelta(days=10)
    milestone = services.add_milestone(actor=branch.sam, motion=motion, title="签订租赁合同", due_on=due)
    done = services.add_milestone(actor=branch.sam, motion=motion, title="公开招租", due_on=due)
    services.complete_milestone(actor=branch.sam, milestone=done)
    services.record_motion_progress(actor=branch.sam, motion=motion, text="已发布招租公告", percent=30)
    with time_machine.travel(timezone.now() + dt.timedelta(days=12)):
        assert reminders.send_due_reminders() == 1
        assert reminders.send_due_reminders() == 0  # twice: one reminder, not two
    notes = Notification.objects.filter(kind="motion.milestone_overdue")
    assert {n.recipient.username for n in notes} == {"alice", "sam"}
    assert "签订租赁合同" in notes.first().subject
    assert not Reminder.objects.filter(
        object_id=done.pk, status="pending", kind="motion.milestone_overdue"
    ).exists()
    services.record_reserved_opinion(
        actor=branch.alice, motion=motion, member=alice, text="我认为租期过长，但坚决执行"
    )
    services.record_implementation_result(actor=branch.sam, motion=motion, result="合同已签订，年租金八万元")
    assert motion.status == "implemented"
    assert DisclosureDraft.objects.filter(kind="motion.result", object_id=str(motion.pk)).exists()
    assert not Reminder.objects.filter(object_id=milestone.pk, status="pending").exists()


def test_a_motion_from_a_proposal_tells_the_proposer(branch, file_proposal):
    proposal = file_proposal(branch.alice)
    motion = draft(branch.org, branch.sam, source_proposal=proposal)
    assert motion.origin == "proposal" and list(proposal.motions.all()) == [motion]
    assert Notification.objects.filter(kind="motion.from_proposal", recipient=branch.alice).exists()


def test_four_two_needs_two_thirds_and_discloses_twice(tree, sam):
    org = tree.c  # 河口村党支部, a village branch
    secretary = voters(org, 1, prefix="s")[0]
    branch_services.assign_role(
        actor=None, member=secretary, organisation=org, kind="secretary", starts_on=dt.date(2024, 1, 1)
    )
    actor = secretary.user
    members = [secretary, *voters(org, 5)]  # 应到 6
    motion = draft(org, actor)
    assert motion.four_two
    services.record_committee_discussion(actor=actor, motion=motion, present=1, decision="支部提议")
    meeting = general_meeting(org, actor)
    with pytest.raises(MotionError, match="two committees"):
        services.circulate_materials(actor=actor, motion=motion, meeting=meeting, materials="材料")
    to_circulated(motion, actor, meeting)
    start_on_its_day(meeting, actor)
    for m in members[:3]:
        branch_services.sign_in(actor=actor, meeting=meeting, member=m, method="secretary")
    with pytest.raises(MotionError, match="3 of 6"):  # > 1/2 would do; ≥ 2/3 is needed
        services.record_meeting_discussion(actor=actor, motion=motion, discussion="审议")
    vote = to_voting(motion, actor, present=members[:4])
    assert vote.poll.rules["quorum"] == [2, 3] and vote.poll.rules["quorum_inclusive"] is True
    cast(vote, [(m, "for") for m in members[:4]])
    vote = count_and_announce(vote, actor)
    assert vote.passed
    motion.refresh_from_db()
    # The resolution is disclosed after the villagers' meeting resolves.
    assert not DisclosureDraft.objects.filter(kind="motion.resolution").exists()
    with pytest.raises(MotionError, match="villagers"):
        services.record_implementation_result(actor=actor, motion=motion, result="完成")
    services.record_villagers_resolution(actor=actor, motion=motion, text="村民代表会议表决通过")
    services.record_implementation_result(actor=actor, motion=motion, result="完成")
    kinds = set(DisclosureDraft.objects.filter(object_id=str(motion.pk)).values_list("kind", flat=True))
    assert kinds == {"motion.resolution", "motion.result"}


def test_a_void_round_is_followed_by_its_new_round(branch, meeting):
    from ballots import services as engine

    motion = draft(branch.org, branch.sam)
    to_circulated(motion, branch.sam, meeting)
    vote = to_voting(motion, branch.sam, present=branch.voting)
    engine.void_poll(actor=branch.sam, poll=vote.poll, reason="选票印制错误")
    with pytest.raises(MotionError, match="void"):
        services.announce_outcome(actor=branch.sam, motion=motion)
    successor = engine.new_round(actor=branch.sam, poll=vote.poll)
    from .motion_helpers import PASSPHRASES

    engine.seal_box(
        actor=branch.sam,
        poll=successor,
        passphrases={s.pk: PASSPHRASES[i] for i, s in enumerate(successor.scrutineers.order_by("pk"))},
    )
    engine.open_poll(actor=branch.sam, poll=successor)
    vote.poll = successor
    cast(vote, [(m, "for") for m in branch.voting])
    vote = count_and_announce(vote, branch.sam)
    assert vote.poll == successor and vote.passed and vote.votes_for == 6


def test_the_committee_meetings_sign_in_sheet_gives_its_quorum(branch):
    from django.utils import timezone

    org_member = branch.extra[0]
    branch_services.assign_role(
        actor=None,
        member=org_member,
        organisation=branch.org,
        kind="organisation",
        starts_on=dt.date(2024, 1, 1),
    )
    for member, kind in ((branch.extra[1], "propaganda"), (branch.extra[2], "discipline")):
        branch_services.assign_role(
            actor=None, member=member, organisation=branch.org, kind=kind, starts_on=dt.date(2024, 1, 1)
        )
    meeting = branch_services.schedule_meeting(
        actor=branch.sam,
        organisation=branch.org,
        kind="committee",
        title="支委会",
        agenda="研究",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    branch_services.start_meeting(actor=branch.sam, meeting=meeting)
    branch_services.sign_in(actor=branch.sam, meeting=meeting, member=org_member, method="secretary")
    motion = draft(branch.org, branch.sam)
    with pytest.raises(MotionError, match="1 of 4 present"):  # the number typed in does not count
        services.record_committee_discussion(
            actor=branch.sam, motion=motion, present=4, decision="同意", meeting=meeting
        )
    branch_services.sign_in(
        actor=branch.sam, meeting=meeting, member=Member.objects.get(user=branch.sam), method="secretary"
    )
    services.record_committee_discussion(actor=branch.sam, motion=motion, decision="同意", meeting=meeting)
    assert (motion.committee_present, motion.committee_size) == (2, 4)  # exactly 1/2 is enough


def test_the_outcome_is_told_once_to_each_member_and_to_the_proposer(branch, meeting, file_proposal):
    proposal = file_proposal(branch.alice)
    motion = draft(branch.org, branch.sam, source_proposal=proposal)
    to_circulated(motion, branch.sam, meeting)
    run_vote(motion, branch.sam, present=branch.voting, votes_for=6)
    assert Notification.objects.filter(kind="motion.outcome", recipient=branch.alice).count() == 1
    assert Notification.objects.filter(kind="motion.outcome", recipient=branch.petra).count() == 1
