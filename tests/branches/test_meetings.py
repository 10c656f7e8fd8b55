import datetime as dt
import threading

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.urls import reverse
from django.utils import timezone, translation

from branches import reminders, services
from branches.models import Attendance, AuditLog, Meeting, Notification
from branches.notifications import LocmemSmsBackend, deliver_pending
from tests.conftest import member_of
from tests.factories import MemberFactory, UserFactory


@pytest.fixture
def meeting(tree, sam, alice, petra):
    return services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="党员大会",
        agenda="一、学习\n二、议事",
        starts_at=timezone.now() + dt.timedelta(hours=1),
        location="社区活动室",
    )


def checkin_url(meeting):
    """The link the projector's QR code carries right now."""
    return reverse("branches:checkin", args=[meeting.pk, services.signin_token(meeting)])


def test_the_roll_of_a_general_meeting_is_every_party_member_of_the_branch(meeting):
    names = set(meeting.attendances.values_list("member__name", flat=True))
    assert names == {"艾丽斯", "孙书记", "裴预备"}


def test_a_committee_meeting_expects_the_committee_only(tree, sam, alice):
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="committee",
        title="支委会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(days=2),
    )
    assert list(meeting.attendances.values_list("member__name", flat=True)) == ["孙书记"]


def test_a_member_signs_in_by_scanning_the_qr_code(client, meeting, alice):
    client.force_login(alice)
    page = client.get(checkin_url(meeting))
    assert page.status_code == 200
    response = client.post(checkin_url(meeting))
    assert response.status_code == 200
    assert 'data-testid="signed-in"' in response.content.decode()
    row = Attendance.objects.get(meeting=meeting, member=member_of(alice))
    assert (row.status, row.sign_in_method) == ("present", "self")
    assert row.signed_in_at is not None


def test_signing_in_twice_keeps_the_first_time(client, meeting, alice):
    client.force_login(alice)
    client.post(checkin_url(meeting))
    first = Attendance.objects.get(meeting=meeting, member=member_of(alice)).signed_in_at
    client.post(checkin_url(meeting))
    assert Attendance.objects.get(meeting=meeting, member=member_of(alice)).signed_in_at == first
    assert AuditLog.objects.filter(verb="attendance.sign_in").count() == 1


def test_a_wrong_token_is_refused_and_signs_nobody_in(client, meeting, alice):
    client.force_login(alice)
    assert client.post(reverse("branches:checkin", args=[meeting.pk, "forged-token"])).status_code == 400
    assert not Attendance.objects.filter(meeting=meeting, status="present").exists()


def test_a_member_of_another_branch_cannot_sign_in(client, meeting, bob):
    client.force_login(bob)
    response = client.post(checkin_url(meeting))
    assert response.status_code == 404
    assert not Attendance.objects.filter(meeting=meeting, status="present").exists()


def test_sign_in_is_closed_until_the_window_before_the_start(client, tree, sam, alice):
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="下周大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(days=3),
    )
    client.force_login(alice)
    assert client.post(checkin_url(meeting)).status_code == 400
    assert not Attendance.objects.filter(meeting=meeting, status="present").exists()


def test_sign_in_is_refused_after_the_meeting_closes(client, meeting, sam, alice):
    services.start_meeting(actor=sam, meeting=meeting)
    services.close_meeting(actor=sam, meeting=meeting)
    client.force_login(alice)
    assert client.post(checkin_url(meeting)).status_code == 400


def test_attendance_counts_expected_present_excused_and_excluded(client, tree, sam, alice, petra, olga):
    extra = [MemberFactory(organisation=tree.a) for _ in range(3)]
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )
    services.start_meeting(actor=sam, meeting=meeting)
    client.force_login(alice)
    client.post(checkin_url(meeting))
    client.force_login(sam)
    url = lambda m: reverse("branches:attendance_set", args=[meeting.pk, m.pk])  # noqa: E731
    client.post(url(member_of(sam)), {"status": "present"})
    client.post(url(extra[0]), {"status": "excused", "note": "出差"})
    client.post(url(extra[1]), {"status": "excluded", "exclusion_reason": "abroad"})  # asked for
    client.force_login(olga)  # the town committee consents
    client.post(reverse("branches:exclusion_consent", args=[meeting.pk, extra[1].pk]))
    client.force_login(sam)  # the meeting votes for it
    client.post(
        reverse("branches:exclusion_vote", args=[meeting.pk, extra[1].pk]), {"votes_for": 2, "votes_cast": 3}
    )
    response = client.get(reverse("branches:meeting", args=[meeting.pk]))
    figures = response.context["figures"]
    assert (figures.expected, figures.present, figures.excused, figures.excluded, figures.absent) == (
        5,
        2,
        1,
        1,
        2,
    )


def test_an_exclusion_without_a_reason_is_refused_and_changes_nothing(client, meeting, sam, alice):
    client.force_login(sam)
    response = client.post(
        reverse("branches:attendance_set", args=[meeting.pk, member_of(alice).pk]),
        {"status": "excluded"},
        follow=True,
    )
    assert response.status_code == 200
    assert "reason" in response.content.decode() or "原因" in response.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=member_of(alice)).status == "expected"


def test_a_malformed_attendance_post_is_refused_without_500(client, meeting, sam, alice):
    client.force_login(sam)
    response = client.post(
        reverse("branches:attendance_set", args=[meeting.pk, member_of(alice).pk]), {"status": "<script>"}
    )
    assert response.status_code == 302
    assert Attendance.objects.get(meeting=meeting, member=member_of(alice)).status == "expected"


def test_attendance_of_someone_not_on_the_roll_is_404(client, meeting, sam, bob):
    client.force_login(sam)
    assert (
        client.post(
            reverse("branches:attendance_set", args=[meeting.pk, member_of(bob).pk]), {"status": "present"}
        ).status_code
        == 404
    )


@pytest.mark.parametrize(
    ("moves", "allowed"),
    [
        (["in_progress"], True),
        (["cancelled"], True),
        (["in_progress", "closed"], True),
        (["closed"], False),
        (["in_progress", "cancelled"], False),
        (["cancelled", "in_progress"], False),
        (["in_progress", "closed", "in_progress"], False),
    ],
)
def test_the_meeting_life_cycle(meeting, sam, moves, allowed):
    from branches.states import MEETING, TransitionError, transition

    def run():
        for new in moves:
            transition(meeting, MEETING, new, actor=sam, verb=f"meeting.{new}")

    if allowed:
        run()
        assert Meeting.objects.get(pk=meeting.pk).status == moves[-1]
    else:
        with pytest.raises(TransitionError):
            run()


def test_a_stale_transition_is_refused(meeting, sam):
    from branches.states import TransitionError

    stale = Meeting.objects.get(pk=meeting.pk)
    services.start_meeting(actor=sam, meeting=meeting)
    with pytest.raises(TransitionError):
        services.cancel_meeting(actor=sam, meeting=stale)
    assert Meeting.objects.get(pk=meeting.pk).status == "in_progress"


def _general_meeting(tree, sam, starts, title="季度大会"):
    return services.schedule_meeting(
        actor=sam, organisation=tree.a, kind="general", title=title, agenda="议题", starts_at=starts
    )


def test_the_notice_goes_out_a_week_ahead_once(tree, sam, alice, petra):
    LocmemSmsBackend.outbox.clear()
    starts = timezone.now() + dt.timedelta(days=20)
    meeting = _general_meeting(tree, sam, starts)
    assert reminders.run() == {"reminders": 0, "digests": 0}
    with time_machine.travel(starts - dt.timedelta(days=7, minutes=1)):
        assert reminders.run() == {"reminders": 0, "digests": 0}  # not a minute early
    with time_machine.travel(starts - dt.timedelta(days=7, minutes=-1)):
        assert reminders.run() == {"reminders": 1, "digests": 0}  # its e-mail does not wait for the digest
        assert reminders.run() == {"reminders": 0, "digests": 0}  # a rerun sends nothing twice
        deliver_pending()
        deliver_pending()
    assert Notification.objects.filter(kind="meeting.notice").count() == 3
    assert len(mail.outbox) == 3  # alice, sam, petra each once
    when = timezone.localtime(starts).strftime("%Y-%m-%d %H:%M")
    assert {m.subject for m in mail.outbox} == {f"会议通知：季度大会，{when}"}
    assert mail.outbox[0].body == f"议题\n\n{reverse('branches:meeting', args=[meeting.pk])}"
    assert len(LocmemSmsBackend.outbox) == 2  # only alice and sam have phones
    assert reminders.for_object(meeting).get().status == "sent"


def test_a_meeting_scheduled_within_a_week_is_noticed_at_once(tree, sam, alice):
    _general_meeting(tree, sam, timezone.now() + dt.timedelta(days=2), title="临时大会")
    assert reminders.send_due_reminders() == 1


def test_the_notice_is_in_the_site_language_whatever_the_secretarys(tree, sam, alice):
    with translation.override("en"):
        meeting = _general_meeting(tree, sam, timezone.now() + dt.timedelta(days=2))
    assert reminders.for_object(meeting).get().subject.startswith("会议通知：季度大会")


def test_a_cancelled_meeting_is_not_noticed(tree, sam, alice):
    starts = timezone.now() + dt.timedelta(days=20)
    meeting = _general_meeting(tree, sam, starts)
    services.cancel_meeting(actor=sam, meeting=meeting)
    with time_machine.travel(starts - dt.timedelta(days=6)):
        assert reminders.run() == {"reminders": 0, "digests": 0}
    assert not Notification.objects.filter(kind="meeting.notice").exists()
    assert reminders.for_object(meeting).get().status == "cancelled"


def test_a_meeting_begun_before_the_beat_ran_is_not_noticed(meeting, sam):
    services.start_meeting(actor=sam, meeting=meeting)  # its notice was due at once, the beat had not run
    assert reminders.run() == {"reminders": 0, "digests": 0}
    assert not Notification.objects.filter(kind="meeting.notice").exists()


def test_planning_the_notice_again_for_a_moved_meeting_moves_it(tree, sam, alice):
    starts = timezone.now() + dt.timedelta(days=20)
    meeting = _general_meeting(tree, sam, starts)
    meeting.starts_at = starts + dt.timedelta(days=10)
    meeting.save(update_fields=["starts_at"])
    services.plan_meeting_notice(meeting)
    pending = reminders.pending_for(meeting).get()
    assert pending.due_at == meeting.starts_at - dt.timedelta(days=7)
    when = timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")
    assert pending.subject == f"会议通知：季度大会，{when}"
    with time_machine.travel(starts - dt.timedelta(days=6)):
        assert reminders.run()["reminders"] == 0  # not at the old moment
    with time_machine.travel(meeting.starts_at - dt.timedelta(days=6)):
        assert reminders.run()["reminders"] == 1
    assert Notification.objects.filter(kind="meeting.notice").count() == 2  # sam and alice, once


def test_the_notice_goes_to_a_member_who_got_his_account_after_the_meeting_was_scheduled(tree, sam):
    meeting = _general_meeting(tree, sam, timezone.now() + dt.timedelta(days=20))
    late = MemberFactory(organisation=tree.a, category="full", user=None, name="晚到")
    Attendance.objects.create(meeting=meeting, member=late)  # on the roll, without an account yet
    late.user = UserFactory(username="late")
    late.save(update_fields=["user"])
    with time_machine.travel(meeting.starts_at - dt.timedelta(days=6)):
        reminders.run()
    assert set(Notification.objects.values_list("recipient__username", flat=True)) == {"sam", "late"}


@pytest.mark.django_db(transaction=True)
def test_two_beat_runs_at_once_send_one_notice(tree, sam, alice, petra, monkeypatch):
    LocmemSmsBackend.outbox.clear()
    starts = timezone.now() + dt.timedelta(days=20)
    _general_meeting(tree, sam, starts)
    real_fire = reminders._fire

    def slow_fire(*args, **kwargs):
        threading.Event().wait(0.3)  # the first run holds its claim while the second one looks
        return real_fire(*args, **kwargs)

    monkeypatch.setattr(reminders, "_fire", slow_fire)
    barrier = threading.Barrier(2)
    results, errors = [], []

    def beat():
        try:
            barrier.wait(timeout=10)
            results.append(reminders.run()["reminders"])
        except Exception as exc:  # reported by the test
            errors.append(exc)
        finally:
            connection.close()

    with time_machine.travel(starts - dt.timedelta(days=6), tick=False):
        threads = [threading.Thread(target=beat) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=30)
        deliver_pending()
        deliver_pending()
    assert not errors, errors
    assert sorted(results) == [0, 1]
    assert Notification.objects.filter(kind="meeting.notice").count() == 3
    assert len(mail.outbox) == 3
    assert len(LocmemSmsBackend.outbox) == 2


def test_a_meeting_in_the_past_is_refused(client, tree, sam):
    client.force_login(sam)
    response = client.post(
        reverse("branches:meeting_new", args=[tree.a.pk]),
        {
            "kind": "general",
            "title": "过去的会",
            "agenda": "议题",
            "starts_at": "2020-01-01T09:00",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["starts_at"]
    assert not Meeting.objects.exists()


def test_an_open_meeting_takes_requests_to_sit_in(client, tree, sam, bob):
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="开放式党员大会",
        agenda="公开议题",
        starts_at=timezone.now() + dt.timedelta(days=9),
        is_open=True,
    )
    client.force_login(bob)
    assert client.get(reverse("branches:meeting", args=[meeting.pk])).status_code == 200
    client.post(reverse("branches:sit_in", args=[meeting.pk]), {"reason": "学习经验"})
    sit_in = meeting.sit_in_requests.get()
    client.force_login(sam)
    client.post(reverse("branches:sit_in_decide", args=[sit_in.pk]), {"approve": "1"})
    sit_in.refresh_from_db()
    assert sit_in.status == "approved"
    assert Notification.objects.filter(recipient=bob, kind="meeting.sit_in").exists()


def test_the_qr_code_is_an_svg_of_the_checkin_url(client, meeting, sam):
    client.force_login(sam)
    response = client.get(reverse("branches:meeting_qr", args=[meeting.pk]))
    assert response["Content-Type"] == "image/svg+xml"
    assert response.content.startswith(b"<svg")


def _exclusion_urls(meeting, member):
    args = [meeting.pk, member.pk]
    return (
        reverse("branches:attendance_set", args=args),
        reverse("branches:exclusion_consent", args=args),
        reverse("branches:exclusion_vote", args=args),
    )


def _row(meeting, member):
    return Attendance.objects.get(meeting=meeting, member=member)


def test_an_exclusion_from_the_expected_count_takes_the_higher_consent_and_the_meetings_vote(
    client, meeting, sam, alice, olga
):
    target = member_of(alice)
    ask, consent, vote = _exclusion_urls(meeting, target)
    figures = lambda: client.get(reverse("branches:meeting", args=[meeting.pk])).context["figures"]  # noqa: E731
    client.force_login(sam)
    before = figures().expected
    client.post(ask, {"status": "excluded", "exclusion_reason": "bedridden"})
    assert _row(meeting, target).exclusion_pending and figures().expected == before  # asked, not yet decided
    page = client.get(reverse("branches:meeting", args=[meeting.pk])).content.decode()
    assert "待上级党组织同意" in page and 'data-testid="exclusion-consent"' not in page  # the branch cannot
    assert client.post(consent).status_code == 403  # nor by posting
    response = client.post(vote, {"votes_for": 3, "votes_cast": 3}, follow=True)
    assert "上级党组织尚未同意" in response.content.decode()
    assert _row(meeting, target).status == "expected"
    assert Notification.objects.filter(recipient=olga, kind="attendance.exclusion_request").exists()

    client.force_login(olga)
    page = client.get(reverse("branches:meeting", args=[meeting.pk])).content.decode()
    assert 'data-testid="exclusion-consent"' in page
    client.post(consent)
    assert _row(meeting, target).exclusion_consented_by == olga

    client.force_login(sam)
    response = client.post(vote, {"votes_for": 4, "votes_cast": 3}, follow=True)  # does not add up
    assert "表决数字有误" in response.content.decode() and _row(meeting, target).status == "expected"
    client.post(vote, {"votes_for": 2, "votes_cast": 3})
    row = _row(meeting, target)
    assert row.status == "excluded" and (row.exclusion_votes_for, row.exclusion_votes_cast) == (2, 3)
    assert figures().expected == before - 1 and figures().excluded == 1
    verbs = list(
        AuditLog.objects.filter(verb__startswith="attendance.exclusion").values_list("verb", flat=True)
    )
    assert sorted(verbs) == [
        "attendance.exclusion_consent",
        "attendance.exclusion_request",
        "attendance.exclusion_vote",
    ]


def test_an_exclusion_the_meeting_votes_down_leaves_the_member_expected(client, meeting, sam, alice, olga):
    target = member_of(alice)
    services.request_exclusion(actor=sam, meeting=meeting, member=target, reason="away")
    services.consent_to_exclusion(actor=olga, meeting=meeting, member=target)
    services.record_exclusion_vote(actor=sam, meeting=meeting, member=target, votes_for=1, votes_cast=2)
    row = _row(meeting, target)
    assert row.status == "expected" and not row.exclusion_pending and row.exclusion_consented_at is None


def test_a_present_member_is_not_left_out_of_the_expected_count(meeting, sam, alice):
    services.start_meeting(actor=sam, meeting=meeting)
    services.sign_in(actor=sam, meeting=meeting, member=member_of(alice), method="secretary")
    with pytest.raises(services.BranchError, match="已到会|present"):
        services.request_exclusion(actor=sam, meeting=meeting, member=member_of(alice), reason="illness")


@pytest.mark.parametrize("persona", ["bob", "alice", "victor"])
def test_only_organisers_decide_exclusions(client, meeting, alice, persona, request):
    """Another branch: 404; a member or a supervisor: 403; nothing changes."""
    user = request.getfixturevalue(persona)
    target = member_of(alice)
    client.force_login(user)
    expected = 404 if persona == "bob" else 403
    for url in _exclusion_urls(meeting, target)[1:]:
        assert client.post(url, {"votes_for": 1, "votes_cast": 1}).status_code == expected
        assert client.get(url).status_code == 405
    assert _row(meeting, target).status == "expected" and not _row(meeting, target).exclusion_pending
