"""Presence that cannot be faked from afar: the rotating sign-in code, the sign-in window, the projector
view, the online meeting's presence rule."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from branches import rules, services
from branches.models import Attendance, AuditLog
from tests.conftest import member_of


@pytest.fixture
def meeting(tree, sam, alice, petra):
    return services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="党员大会",
        agenda="一、学习",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )


def url(meeting, token):
    return reverse("branches:checkin", args=[meeting.pk, token])


def present(meeting, user) -> bool:
    return Attendance.objects.get(meeting=meeting, member=member_of(user)).status == "present"


def test_a_member_signs_in_with_the_current_code(client, meeting, alice):
    client.force_login(alice)
    response = client.post(url(meeting, services.signin_token(meeting)))
    assert response.status_code == 200
    assert present(meeting, alice)


def test_the_code_of_the_previous_window_is_still_accepted(client, meeting, alice, settings):
    token = services.signin_token(meeting)
    client.force_login(alice)
    with time_machine.travel(
        timezone.now() + dt.timedelta(seconds=settings.ZHIBU_RULES["signin_token_seconds"])
    ):
        assert client.post(url(meeting, token)).status_code == 200
    assert present(meeting, alice)


def test_an_expired_code_is_refused(client, meeting, alice, settings):
    token = services.signin_token(meeting)
    client.force_login(alice)
    later = timezone.now() + dt.timedelta(seconds=2 * settings.ZHIBU_RULES["signin_token_seconds"] + 1)
    with time_machine.travel(later):
        response = client.post(url(meeting, token))
    assert response.status_code == 400
    assert "已过期" in response.content.decode()
    assert not present(meeting, alice)


def test_the_code_of_another_meeting_is_refused(client, tree, sam, meeting, alice):
    other = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="另一次大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=40),
    )
    client.force_login(alice)
    assert client.post(url(meeting, services.signin_token(other))).status_code == 400
    assert not present(meeting, alice)


@pytest.mark.parametrize("token", ["", "x", "123", "999999999999999999.abc", "１２３.abc", "-1.abc"])
def test_a_remote_sign_in_without_a_valid_code_is_refused(client, meeting, alice, token):
    client.force_login(alice)
    if token:
        response = client.post(url(meeting, token))
        assert response.status_code == 400
    else:
        # No code at all: there is no address to post to any more (the old 签到 button is gone).
        response = client.post(f"/meetings/{meeting.pk}/checkin/")
        assert response.status_code == 404
    assert not present(meeting, alice)
    assert not AuditLog.objects.filter(verb="attendance.sign_in").exists()


def test_the_meeting_page_offers_no_sign_in_button_to_a_member(client, meeting, alice):
    client.force_login(alice)
    page = client.get(reverse("branches:meeting", args=[meeting.pk])).content.decode()
    assert "/checkin/" not in page
    assert meeting.checkin_token not in page
    assert 'data-testid="scan-hint"' in page


def test_sign_in_outside_the_window_is_refused(client, tree, sam, alice, settings):
    minutes = settings.ZHIBU_RULES["signin_opens_minutes_before"]
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="晚些的大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=minutes + 10),
    )
    client.force_login(alice)
    response = client.post(url(meeting, services.signin_token(meeting)))
    assert response.status_code == 400
    assert not present(meeting, alice)
    with time_machine.travel(timezone.now() + dt.timedelta(minutes=11)):
        assert client.post(url(meeting, services.signin_token(meeting))).status_code == 200
    assert present(meeting, alice)


def test_sign_in_closes_with_the_meeting(client, meeting, sam, alice):
    services.start_meeting(actor=sam, meeting=meeting)
    services.close_meeting(actor=sam, meeting=meeting)
    client.force_login(alice)
    assert client.post(url(meeting, services.signin_token(meeting))).status_code == 400
    assert not present(meeting, alice)


def test_the_window_is_a_rule_value(meeting, settings):
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "signin_opens_minutes_before": 10}
    assert not rules.checkin_is_open(meeting, timezone.now())
    settings.ZHIBU_RULES = {**settings.ZHIBU_RULES, "signin_opens_minutes_before": 60}
    assert rules.checkin_is_open(meeting, timezone.now())


def test_the_projector_page_refreshes_its_code_by_itself(client, meeting, sam, settings):
    client.force_login(sam)
    page = client.get(reverse("branches:meeting_projector", args=[meeting.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'hx-trigger="every ' in html and "htmx.min.js" in html
    assert "<script>" not in html and "style=" not in html  # CSP: nothing inline
    first = page.context["window"]
    later = timezone.now() + dt.timedelta(seconds=settings.ZHIBU_RULES["signin_token_seconds"])
    with time_machine.travel(later):
        fragment = client.get(
            reverse("branches:meeting_projector", args=[meeting.pk]), HTTP_HX_REQUEST="true"
        )
    body = fragment.content.decode()
    assert fragment.status_code == 200
    assert body.lstrip().startswith('<div id="projector-code"')  # the fragment alone
    assert f'data-window="{first + 1}"' in body
    assert f"?w={first + 1}" in body


def test_the_qr_code_carries_the_current_code(client, meeting, sam):
    client.force_login(sam)
    response = client.get(reverse("branches:meeting_qr", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.parametrize("name", ["meeting_projector", "meeting_qr"])
def test_the_projector_and_the_code_are_for_managers_only(client, meeting, alice, bob, olga, name):
    address = reverse(f"branches:{name}", args=[meeting.pk])
    client.force_login(alice)
    assert client.get(address).status_code == 403
    client.force_login(bob)
    assert client.get(address).status_code == 404
    client.force_login(olga)  # the town committee manages the branch below
    assert client.get(address).status_code == 200
    client.logout()
    assert client.get(address).status_code == 302
    client.force_login(alice)
    assert client.post(address).status_code == 405


def test_an_outsider_gets_404_on_the_sign_in_page(client, meeting, bob):
    client.force_login(bob)
    assert client.post(url(meeting, services.signin_token(meeting))).status_code == 404


# --- online meetings ------------------------------------------------------------------------------------------


@pytest.fixture
def committee_meeting(tree, sam):
    return services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="committee",
        title="支委会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(minutes=30),
    )


def test_the_secretary_declares_an_online_meeting_and_its_rule_is_on_the_minutes(
    client, committee_meeting, sam
):
    client.force_login(sam)
    response = client.post(
        reverse("branches:meeting_online", args=[committee_meeting.pk]),
        {"presence_rule": "全程开启摄像头，点名应答"},
    )
    assert response.status_code == 302
    committee_meeting.refresh_from_db()
    assert committee_meeting.is_online
    assert AuditLog.objects.filter(verb="meeting.declare_online").count() == 1
    page = client.get(reverse("branches:meeting", args=[committee_meeting.pk])).content.decode()
    assert 'data-testid="presence-rule"' in page and "全程开启摄像头，点名应答" in page


def test_a_general_meeting_cannot_be_online_where_the_rules_do_not_allow_it(client, meeting, sam):
    client.force_login(sam)
    client.post(reverse("branches:meeting_online", args=[meeting.pk]), {"presence_rule": "视频"})
    meeting.refresh_from_db()
    assert not meeting.is_online


def test_an_online_meeting_needs_its_presence_rule(client, committee_meeting, sam):
    client.force_login(sam)
    response = client.post(
        reverse("branches:meeting_online", args=[committee_meeting.pk]), {"presence_rule": " "}
    )
    assert response.status_code == 302
    committee_meeting.refresh_from_db()
    assert not committee_meeting.is_online


def test_only_managers_declare_an_online_meeting(client, committee_meeting, alice, bob):
    address = reverse("branches:meeting_online", args=[committee_meeting.pk])
    client.force_login(alice)
    assert client.post(address, {"presence_rule": "视频"}).status_code == 403
    client.force_login(bob)
    assert client.post(address, {"presence_rule": "视频"}).status_code == 404
    assert client.get(address).status_code == 405
    committee_meeting.refresh_from_db()
    assert not committee_meeting.is_online
