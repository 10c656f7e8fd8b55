"""Inquiries: asking, formal challenges with co-signers, answers, the signers' verdict and escalation."""

import datetime as dt

import pytest
from django.utils import timezone

from branches.models import Notification
from motions import services
from motions.models import Inquiry, InquiryAnswer, InquiryDay
from motions.services import MotionError

from .conftest import member


def ask(people, who="alice", **kwargs):
    values = {"kind": "ask", "subject": "党费使用情况", "questions": "今年的党费用在了哪些方面？"} | kwargs
    return services.file_inquiry(actor=people[who], author=member(people[who]), **values)


def test_a_member_asks_and_the_secretary_answers_within_the_limit(people):
    inquiry = ask(people)
    assert (inquiry.status, inquiry.responsible, inquiry.limit_days) == (
        "submitted",
        member(people["sam"]),
        15,
    )
    assert inquiry.due_on == timezone.localdate() + dt.timedelta(days=15)
    assert Notification.objects.filter(recipient=people["sam"], kind="inquiry.submitted").exists()
    services.answer_inquiry(actor=people["sam"], inquiry=inquiry, mode="written", text="用于党员教育和慰问。")
    services.rate_inquiry(actor=people["alice"], inquiry=inquiry, satisfied=True)
    inquiry.refresh_from_db()
    assert inquiry.status == "closed"
    answer = InquiryAnswer.objects.get()
    assert (answer.signer_name, answer.on_time) == ("孙书记", True)


def test_an_inquiry_without_questions_is_refused(people):
    with pytest.raises(MotionError, match="needs its questions"):
        ask(people, questions="  ")
    assert not Inquiry.objects.exists()


def test_questions_are_put_to_a_committee_member(people):
    with pytest.raises(MotionError, match="not one"):
        ask(people, target=member(people["mia"]))


def test_a_formal_challenge_names_its_target_and_needs_three_co_signers(people):
    with pytest.raises(MotionError, match="names the committee member"):
        ask(people, kind="challenge", cosigners=[member(people[p]) for p in ("mia", "ned", "petra")])
    with pytest.raises(MotionError, match="at least 3 co-signers"):
        ask(people, kind="challenge", target=member(people["carl"]), cosigners=[member(people["mia"])])
    with pytest.raises(MotionError, match="asker's branch"):
        ask(
            people,
            kind="challenge",
            target=member(people["carl"]),
            cosigners=[member(people[p]) for p in ("mia", "ned", "bob")],
        )
    assert not Inquiry.objects.exists()


def test_a_challenge_goes_to_its_target_once_enough_co_signers_confirm(people):
    challenge = ask(
        people,
        kind="challenge",
        target=member(people["carl"]),
        cosigners=[member(people[p]) for p in ("mia", "ned", "petra")],
    )
    assert challenge.status == "cosigning" and challenge.due_on is None
    for p in ("mia", "ned", "petra"):
        services.cosign_inquiry(actor=people[p], inquiry=challenge, member=member(people[p]), confirm=True)
    challenge.refresh_from_db()
    assert (challenge.status, challenge.kind, challenge.responsible) == (
        "submitted",
        "challenge",
        member(people["carl"]),
    )


def test_a_challenge_without_enough_confirmations_goes_on_as_an_ordinary_inquiry(people):
    challenge = ask(
        people,
        kind="challenge",
        target=member(people["carl"]),
        cosigners=[member(people[p]) for p in ("mia", "ned", "petra")],
    )
    services.cosign_inquiry(
        actor=people["mia"], inquiry=challenge, member=member(people["mia"]), confirm=True
    )
    services.cosign_inquiry(
        actor=people["ned"], inquiry=challenge, member=member(people["ned"]), confirm=False
    )
    services.cosign_inquiry(
        actor=people["petra"], inquiry=challenge, member=member(people["petra"]), confirm=True
    )
    challenge.refresh_from_db()
    assert (challenge.status, challenge.kind) == ("submitted", "ask")
    assert Notification.objects.filter(recipient=people["alice"], kind="inquiry.downgraded").exists()


@pytest.fixture
def answered_challenge(people):
    challenge = ask(
        people,
        kind="challenge",
        target=member(people["carl"]),
        cosigners=[member(people[p]) for p in ("mia", "ned", "petra")],
    )
    for p in ("mia", "ned", "petra"):
        services.cosign_inquiry(actor=people[p], inquiry=challenge, member=member(people[p]), confirm=True)
    services.answer_inquiry(actor=people["carl"], inquiry=challenge, mode="written", text="集体收入已公示。")
    return challenge


def test_more_than_half_of_the_signers_dissatisfied_require_a_second_answer_then_escalation(
    answered_challenge, people
):
    challenge = answered_challenge
    for p, ok in (("alice", False), ("mia", False), ("ned", True)):
        services.rate_inquiry(actor=people[p], inquiry=challenge, satisfied=ok)
    assert Inquiry.objects.get(pk=challenge.pk).status == "answered"  # 2 of 4: not more than half
    services.rate_inquiry(actor=people["petra"], inquiry=challenge, satisfied=False)
    challenge.refresh_from_db()
    assert challenge.status == "second_due"
    services.answer_inquiry(
        actor=people["carl"], inquiry=challenge, mode="written", text="补充说明账目明细。"
    )
    for p in ("alice", "mia", "petra"):
        services.rate_inquiry(actor=people[p], inquiry=challenge, satisfied=False)
    challenge.refresh_from_db()
    assert challenge.status == "escalated"
    assert Notification.objects.filter(recipient=people["olga"], kind="inquiry.escalated").exists()
    services.resolve_escalated_inquiry(
        actor=people["olga"], inquiry=challenge, resolution="镇党委约谈，责令整改。"
    )
    assert Inquiry.objects.get(pk=challenge.pk).status == "closed"


def test_only_signers_rate_and_each_once(answered_challenge, people):
    with pytest.raises(MotionError, match="Only the signers"):
        services.rate_inquiry(actor=people["sam"], inquiry=answered_challenge, satisfied=True)
    services.rate_inquiry(actor=people["mia"], inquiry=answered_challenge, satisfied=True)
    with pytest.raises(MotionError, match="already rated"):
        services.rate_inquiry(actor=people["mia"], inquiry=answered_challenge, satisfied=False)


def test_an_oral_answer_names_a_meeting_that_took_place(people, past_meeting):
    inquiry = ask(people)
    with pytest.raises(MotionError, match="names the meeting"):
        services.answer_inquiry(actor=people["sam"], inquiry=inquiry, mode="oral", text="会上作了答复。")
    with pytest.raises(MotionError, match="needs its text"):
        services.answer_inquiry(actor=people["sam"], inquiry=inquiry, mode="written", text="")
    services.answer_inquiry(
        actor=people["sam"], inquiry=inquiry, mode="oral", text="会上作了答复。", meeting=past_meeting
    )
    assert InquiryAnswer.objects.get().meeting == past_meeting


def test_inquiry_days_list_the_committee_member_who_receives_questions(people, tree):
    day = timezone.localdate() + dt.timedelta(days=7)
    services.add_inquiry_day(
        actor=people["sam"], organisation=tree.a, date=day, receiver=member(people["carl"])
    )
    with pytest.raises(MotionError, match="not one"):
        services.add_inquiry_day(
            actor=people["sam"], organisation=tree.a, date=day, receiver=member(people["mia"])
        )
    assert list(InquiryDay.objects.values_list("receiver__name", flat=True)) == ["陈组织"]
