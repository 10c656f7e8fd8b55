"""The attendance desk: 全部到会, then marks without reloads; its query count does not grow with the roll."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from branches.models import Attendance, AuditLog
from tests.conftest import member_of
from tests.factories import MemberFactory


@pytest.fixture
def meeting(tree, sam, alice, petra):
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="党员大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )
    return services.start_meeting(actor=sam, meeting=meeting)


def desk(meeting):
    return reverse("branches:meeting_desk", args=[meeting.pk])


def test_the_desk_costs_the_same_queries_for_3_and_40_members(client, tree, sam, django_assert_num_queries):
    small = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="小会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )
    client.force_login(sam)
    client.get(desk(small))  # warm caches
    with django_assert_num_queries(6) as few:
        assert client.get(desk(small)).status_code == 200
    for _ in range(40):
        MemberFactory(organisation=tree.a, category="full")
    big = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )
    with django_assert_num_queries(len(few.captured_queries)):
        response = client.get(desk(big))
    assert len(response.context["rows"]) > 40


def test_all_present_marks_everyone_not_signed_in_but_keeps_the_excused(client, meeting, sam, alice, petra):
    services.set_attendance(actor=sam, meeting=meeting, member=member_of(petra), status="excused")
    client.force_login(sam)
    response = client.post(reverse("branches:desk_all_present", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="desk"')  # the fragment, no page around it
    statuses = dict(meeting.attendances.values_list("member__name", "status"))
    assert statuses == {"艾丽斯": "present", "孙书记": "present", "裴预备": "excused"}
    assert Attendance.objects.filter(meeting=meeting, sign_in_method="secretary").count() == 2
    assert AuditLog.objects.filter(verb="attendance.all_present").count() == 1
    client.post(reverse("branches:desk_all_present", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert AuditLog.objects.filter(verb="attendance.all_present").count() == 1  # nothing left to mark


def test_a_mark_answers_the_fragment_with_the_new_figures(client, meeting, sam, alice):
    client.force_login(sam)
    address = reverse("branches:desk_mark", args=[meeting.pk, member_of(alice).pk])
    response = client.post(address, {"status": "present"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert response.context["figures"].present == 1
    response = client.post(address, {"status": "excused"}, HTTP_HX_REQUEST="true")
    assert response.context["figures"].present == 0
    assert response.context["figures"].excused == 1


def test_without_htmx_the_desk_redirects(client, meeting, sam, alice):
    client.force_login(sam)
    response = client.post(reverse("branches:desk_all_present", args=[meeting.pk]))
    assert response.status_code == 302 and response.url == desk(meeting)


@pytest.mark.parametrize("status", ["", "excluded", "bogus", "present\x00"])
def test_a_bad_mark_is_refused_without_writing(client, meeting, sam, alice, status):
    client.force_login(sam)
    address = reverse("branches:desk_mark", args=[meeting.pk, member_of(alice).pk])
    response = client.post(address, {"status": status}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    assert 'data-testid="desk-error"' in response.content.decode()
    assert Attendance.objects.get(meeting=meeting, member=member_of(alice)).status == "expected"


def test_a_mark_for_someone_not_on_the_roll_is_404(client, meeting, sam, bob):
    client.force_login(sam)
    address = reverse("branches:desk_mark", args=[meeting.pk, member_of(bob).pk])
    assert client.post(address, {"status": "present"}).status_code == 404


def test_a_closed_meeting_refuses_all_present(client, meeting, sam):
    services.close_meeting(actor=sam, meeting=meeting)
    client.force_login(sam)
    response = client.post(reverse("branches:desk_all_present", args=[meeting.pk]), HTTP_HX_REQUEST="true")
    assert 'data-testid="desk-error"' in response.content.decode()
    assert not meeting.attendances.filter(status="present").exists()


@pytest.mark.parametrize("name", ["meeting_desk", "desk_all_present"])
def test_the_desk_is_for_managers_only(client, meeting, alice, bob, name):
    address = reverse(f"branches:{name}", args=[meeting.pk])
    method = client.get if name == "meeting_desk" else client.post
    client.force_login(alice)
    assert method(address).status_code == 403
    client.force_login(bob)
    assert method(address).status_code == 404
    client.force_login(alice)
    wrong = client.post if name == "meeting_desk" else client.get
    assert wrong(address).status_code == 405
    client.logout()
    assert method(address).status_code == 302
    assert not meeting.attendances.filter(status="present").exists()


def test_members_cannot_mark_at_the_desk(client, meeting, alice, bob):
    address = reverse("branches:desk_mark", args=[meeting.pk, member_of(alice).pk])
    client.force_login(alice)
    assert client.post(address, {"status": "present"}).status_code == 403
    client.force_login(bob)
    assert client.post(address, {"status": "present"}).status_code == 404
    assert not meeting.attendances.filter(status="present").exists()
