"""The proposal services: each step of the course, and bad input refused with a clear error, nothing
written."""

import pytest
from django.core import mail

from branches.models import AuditLog, Household, Notification
from branches.notifications import deliver_pending
from motions import services
from motions.models import Proposal, ProposalAnswer, ProposalCosigner, ProposalExtension, ProposalProgress
from motions.services import MotionError

from .conftest import member


def counts():
    return (
        Proposal.objects.count(),
        ProposalCosigner.objects.count(),
        ProposalAnswer.objects.count(),
        ProposalProgress.objects.count(),
        ProposalExtension.objects.count(),
        AuditLog.objects.count(),
    )


@pytest.fixture
def nothing_written():
    """Assert that the block writes nothing."""

    class Guard:
        def __enter__(self):
            self.before = counts()

        def __exit__(self, *exc):
            assert counts() == self.before

    return Guard


# --- bad input ------------------------------------------------------------------------------------


def test_a_proposal_with_no_text_is_refused(people, nothing_written):
    with nothing_written(), pytest.raises(MotionError, match="needs its text"):
        services.file_proposal(
            actor=people["alice"], proposer=member(people["alice"]), title="路灯", content="   \n "
        )


def test_co_signers_from_another_branch_are_refused(people, nothing_written):
    with nothing_written(), pytest.raises(MotionError, match="proposer's branch; 1 of those named"):
        services.file_proposal(
            actor=people["alice"],
            proposer=member(people["alice"]),
            title="路灯",
            content="修路灯",
            cosigners=[member(people["mia"]), member(people["bob"])],
        )


def test_an_answer_without_reasons_is_refused(assigned_proposal, people, nothing_written):
    proposal = assigned_proposal()
    with nothing_written(), pytest.raises(MotionError, match="always gives its reasons"):
        services.answer_proposal(actor=people["carl"], proposal=proposal, outcome="not_adopted", reasons=" ")
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"


def test_a_rating_by_someone_who_is_not_the_proposer_is_refused(assigned_proposal, people, nothing_written):
    proposal = assigned_proposal()
    services.answer_proposal(actor=people["carl"], proposal=proposal, outcome="adopted", reasons="已修复。")
    for intruder in ("sam", "mia", "carl"):
        with nothing_written(), pytest.raises(MotionError, match="Only the proposer"):
            services.rate_answer(actor=people[intruder], proposal=proposal, rating="satisfied")
    assert ProposalAnswer.objects.get().rating == ""


def test_not_accepting_needs_a_reason(people, file_proposal, nothing_written):
    proposal = file_proposal(people["alice"])
    with nothing_written(), pytest.raises(MotionError, match="written reason"):
        services.decline_proposal(actor=people["sam"], proposal=proposal, reason="")


def test_an_extension_needs_a_reason_and_a_sensible_length(assigned_proposal, people, nothing_written):
    proposal = assigned_proposal()
    with nothing_written(), pytest.raises(MotionError, match="needs a reason"):
        services.extend_proposal(actor=people["sam"], proposal=proposal, days=5, reason="")
    with nothing_written(), pytest.raises(MotionError, match="from 1 to 15"):
        services.extend_proposal(actor=people["sam"], proposal=proposal, days=40, reason="太忙")


def test_a_responsible_person_outside_the_committee_handling_it_is_refused(
    people, file_proposal, nothing_written
):
    proposal = file_proposal(people["alice"])
    services.register_proposal(actor=people["sam"], proposal=proposal)
    with nothing_written(), pytest.raises(MotionError, match="must belong to"):
        services.assign_proposal(actor=people["sam"], proposal=proposal, responsible=member(people["bob"]))


def test_an_applicant_cannot_propose(tree, nothing_written):
    from tests.factories import MemberFactory

    applicant = MemberFactory(organisation=tree.a, category="applicant", name="申请人")
    with nothing_written(), pytest.raises(MotionError, match="party members"):
        services.file_proposal(actor=None, proposer=applicant, title="t", content="内容")


def test_the_household_must_be_one_the_proposer_links(people, file_proposal, nothing_written):
    other = Household.objects.create(member=member(people["mia"]), head_name="王大爷")
    with nothing_written(), pytest.raises(MotionError, match="household"):
        file_proposal(people["alice"], household=other)


# --- the course -----------------------------------------------------------------------------------


def test_a_joint_proposal_waits_for_its_co_signers_then_goes_to_the_committee(people, file_proposal):
    proposal = file_proposal(people["alice"], cosigners=[member(people["mia"]), member(people["ned"])])
    assert proposal.status == "cosigning"
    assert Notification.objects.filter(kind="proposal.cosign").count() == 2
    services.cosign_proposal(
        actor=people["mia"], proposal=proposal, member=member(people["mia"]), confirm=True
    )
    assert Proposal.objects.get(pk=proposal.pk).status == "cosigning"
    with pytest.raises(MotionError, match="already answered"):
        services.cosign_proposal(
            actor=people["mia"], proposal=proposal, member=member(people["mia"]), confirm=True
        )
    services.cosign_proposal(
        actor=people["ned"], proposal=proposal, member=member(people["ned"]), confirm=False
    )
    proposal.refresh_from_db()
    assert proposal.status == "submitted"
    assert Notification.objects.filter(kind="proposal.submitted", recipient=people["sam"]).exists()
    assert sorted(proposal.cosigners.values_list("status", flat=True)) == ["confirmed", "declined"]


def test_the_proposer_may_submit_without_waiting_for_the_co_signers(people, file_proposal):
    proposal = file_proposal(people["alice"], cosigners=[member(people["mia"])])
    services.submit_proposal(actor=people["alice"], proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == "submitted"
    assert not proposal.cosigners.exists()


def test_a_secretary_records_an_oral_proposal_from_a_household(people):
    household = Household.objects.create(member=member(people["alice"]), head_name="李大妈")
    proposal = services.file_proposal(
        actor=people["sam"],
        proposer=member(people["alice"]),
        title="",
        content="李大妈反映：小区垃圾清运不及时。",
        household=household,
        channel="oral",
    )
    assert (proposal.channel, proposal.recorded_by, proposal.title) == (
        "oral",
        people["sam"],
        "李大妈反映：小区垃圾清运不及时。",
    )


def test_forwarding_hands_it_to_the_higher_committee(people, file_proposal, tree):
    proposal = file_proposal(people["alice"])
    services.forward_proposal(actor=people["sam"], proposal=proposal, reason="涉及镇级道路，需镇党委协调")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.handled_by) == ("forwarded", tree.town)
    services.register_proposal(actor=people["olga"], proposal=proposal)
    assert Proposal.objects.get(pk=proposal.pk).status == "registered"


def test_the_full_course_to_a_satisfied_close(assigned_proposal, people):
    proposal = assigned_proposal()
    services.record_progress(actor=people["carl"], proposal=proposal, text="已联系电力所。")
    assert Proposal.objects.get(pk=proposal.pk).status == "in_progress"
    services.answer_proposal(
        actor=people["carl"], proposal=proposal, outcome="adopted", reasons="三处路灯已修复。"
    )
    services.rate_answer(actor=people["alice"], proposal=proposal, rating="satisfied")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.answered_on_time) == ("closed", True)
    verbs = list(
        AuditLog.objects.filter(object_id=str(proposal.pk), content_type__model="proposal")
        .order_by("pk")
        .values_list("verb", flat=True)
    )
    assert verbs == [
        "proposal.file",
        "proposal.register",
        "proposal.assign",
        "proposal.start",
        "proposal.progress",
        "proposal.answer",
        "proposal.rate_close",
    ]
    deliver_pending()
    assert any(
        "请" in m.subject or "rate" in m.subject.lower() for m in mail.outbox if m.to == ["alice@example.cn"]
    )


def test_dissatisfied_twice_closes_it_after_the_second_answer(assigned_proposal, people):
    proposal = assigned_proposal()
    services.answer_proposal(
        actor=people["carl"], proposal=proposal, outcome="not_adopted", reasons="经费不足。"
    )
    services.rate_answer(actor=people["alice"], proposal=proposal, rating="dissatisfied")
    services.answer_proposal(actor=people["carl"], proposal=proposal, outcome="partly", reasons="先修一处。")
    services.rate_answer(actor=people["alice"], proposal=proposal, rating="dissatisfied")
    proposal.refresh_from_db()
    assert (proposal.status, proposal.reopen_count) == ("closed", 1)
    assert list(proposal.answers.values_list("round", "rating")) == [(1, "dissatisfied"), (2, "dissatisfied")]


def test_two_committee_members_registering_at_once_register_it_once(people, file_proposal):
    proposal = file_proposal(people["alice"])
    stale = Proposal.objects.get(pk=proposal.pk)
    services.register_proposal(actor=people["sam"], proposal=proposal)
    with pytest.raises(MotionError):
        services.register_proposal(actor=people["olga"], proposal=stale)
    assert AuditLog.objects.filter(verb="proposal.register").count() == 1
