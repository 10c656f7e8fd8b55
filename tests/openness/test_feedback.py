"""Feedback: comments and objections from those in scope, each handled and answered."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import Notification, Reminder, ReminderStatus
from openness import services
from openness.models import Feedback, FeedbackStatus
from openness.services.feedback import REPLY_REMINDER

from .conftest import draft, publish


@pytest.fixture
def item(tree, sam, olga):
    return publish(
        author=sam, reviewer=olga, approver=sam, org=tree.a, scope="internal", title="支部年度计划"
    )


def test_a_member_in_scope_comments_and_the_committee_answers(client, item, sam, alice):
    client.force_login(alice)
    response = client.post(
        reverse("openness:feedback_add", args=[item.pk]),
        {"kind": "comment", "body": "建议增加志愿服务内容。"},
    )
    assert response.status_code == 302
    feedback = Feedback.objects.get()
    assert feedback.author == alice and feedback.status == FeedbackStatus.OPEN
    assert feedback.reply_due_on is not None
    assert Notification.objects.filter(recipient=sam, kind="disclosure.feedback").exists()
    assert Reminder.objects.filter(kind=REPLY_REMINDER, object_id=feedback.pk, status="pending").count() == 1

    client.force_login(sam)
    response = client.post(
        reverse("openness:feedback_answer", args=[feedback.pk]), {"answer": "已采纳，列入计划。"}
    )
    assert response.status_code == 302
    feedback.refresh_from_db()
    assert feedback.status == FeedbackStatus.ANSWERED and feedback.answered_by == sam
    assert not Reminder.objects.filter(
        kind=REPLY_REMINDER, object_id=feedback.pk, status=ReminderStatus.PENDING
    ).exists()
    assert Notification.objects.filter(recipient=alice, kind="disclosure.feedback_answered").exists()

    client.force_login(alice)
    page = client.get(reverse("openness:item", args=[item.pk]))
    assert "已采纳，列入计划。" in page.text


def test_someone_out_of_scope_cannot_comment(client, item, bob):
    client.force_login(bob)
    response = client.post(reverse("openness:feedback_add", args=[item.pk]), {"kind": "comment", "body": "x"})
    assert response.status_code == 404
    assert not Feedback.objects.exists()


def test_an_anonymous_visitor_is_sent_to_log_in_to_comment(client, tree, sam, olga):
    public = publish(author=sam, reviewer=olga, approver=olga, org=tree.a, scope="society")
    response = client.post(
        reverse("openness:feedback_add", args=[public.pk]), {"kind": "comment", "body": "x"}
    )
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_draft_takes_no_feedback(tree, sam, alice):
    item = draft(author=sam, org=tree.a)
    with pytest.raises(services.DisclosureError):
        services.give_feedback(user=sam, item=item, kind="comment", body="x")


def test_others_see_how_much_was_answered_but_not_who_wrote_what(client, item, sam, alice, petra):
    feedback = services.give_feedback(user=alice, item=item, kind="objection", body="这一条我有异议。")
    services.answer_feedback(actor=sam, feedback=feedback, answer="已答复。")
    client.force_login(petra)
    page = client.get(reverse("openness:item", args=[item.pk]))
    assert "这一条我有异议。" not in page.text
    assert page.context["counts"] == {"comments": 0, "objections": 1, "open": 0, "answered": 1}
    client.force_login(sam)
    assert "这一条我有异议。" in client.get(reverse("openness:item", args=[item.pk])).text


def test_only_the_committee_answers(client, item, alice, petra, victor):
    feedback = services.give_feedback(user=alice, item=item, kind="comment", body="意见")
    url = reverse("openness:feedback_answer", args=[feedback.pk])
    client.force_login(petra)
    assert client.post(url, {"answer": "x"}).status_code == 404  # not his feedback: not shown to him
    client.force_login(alice)
    assert client.post(url, {"answer": "x"}).status_code == 403  # his own, but he does not answer
    client.force_login(victor)
    assert client.post(url, {"answer": "x"}).status_code == 403  # the supervisor reads, does not answer
    client.force_login(alice)
    assert client.get(url).status_code == 405


def test_an_answer_is_given_once(item, sam, alice):
    feedback = services.give_feedback(user=alice, item=item, kind="comment", body="意见")
    services.answer_feedback(actor=sam, feedback=feedback, answer="答复")
    from branches.states import TransitionError

    with pytest.raises(TransitionError):
        services.answer_feedback(actor=sam, feedback=feedback, answer="再答复")


def test_an_unanswered_feedback_reminds_the_committee_once_a_day(item, sam, alice, time_machine):
    from branches import reminders

    feedback = services.give_feedback(user=alice, item=item, kind="comment", body="意见")
    due = reminders.at_reminder_hour(feedback.reply_due_on)
    time_machine.move_to(due + dt.timedelta(minutes=1), tick=False)
    assert reminders.send_due_reminders() == 1
    assert reminders.send_due_reminders() == 0
    assert Notification.objects.filter(recipient=sam, kind=REPLY_REMINDER).count() == 1
