"""A member signs in to a meeting on her phone by the QR code's link; the secretary sees her present."""

import datetime as dt
from pathlib import Path

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from branches import services
from branches.models import Attendance
from tests.conftest import member_of

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def meeting(tree, sam, alice):
    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="七月支部党员大会",
        agenda="一、学习传达上级精神\n二、讨论发展党员工作",
        location="社区党群服务中心二楼",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    return services.start_meeting(actor=sam, meeting=meeting)


def test_a_member_signs_in_on_her_phone_and_the_secretary_sees_her_present(new_page, phone, desktop, meeting):
    log_in(phone, "13800000001")  # alice logs in with her mobile number
    phone.goto(f"/meetings/{meeting.pk}/checkin/{services.signin_token(meeting)}/")  # what the QR code opens
    expect(phone.locator("h1")).to_have_text("七月支部党员大会")

    button = phone.locator("main form button[type=submit]")
    expect(button).to_be_visible()
    screenshot(phone, "phone-checkin-before-tap")
    button.tap()
    expect(phone.locator("[data-testid=signed-in]")).to_be_visible()
    screenshot(phone, "phone-checkin-signed-in")

    log_in(desktop, "sam")
    desktop.goto(f"/meetings/{meeting.pk}/")
    expect(desktop.locator("[data-testid=present]")).to_have_text("1")
    expect(desktop.locator("[data-testid=expected]")).to_have_text("2")
    expect(desktop.locator("tr[data-member='艾丽斯']")).to_contain_text(":")  # the sign-in time
    screenshot(desktop, "desktop-meeting-secretary-sees-present")


def test_the_secretary_sees_the_sign_in_qr_code(desktop, meeting):
    log_in(desktop, "sam")
    desktop.goto(f"/meetings/{meeting.pk}/")
    qr = desktop.locator("img.zb-qr-img")
    expect(qr).to_be_visible()
    assert qr.evaluate("img => img.complete && img.naturalWidth > 0"), "the QR code image did not load"


def test_an_exclusion_from_the_expected_count_goes_up_for_consent_and_back_to_the_meeting(
    new_page, desktop, meeting, alice, olga
):
    log_in(desktop, "sam")
    desktop.goto(f"/meetings/{meeting.pk}/")
    row = desktop.locator("tr[data-member='艾丽斯']")
    row.locator("select[name=status]").select_option("excluded")
    row.locator("select[name=exclusion_reason]").select_option("bedridden")
    row.locator("button[type=submit]").click()
    row = desktop.locator("tr[data-member='艾丽斯']")
    expect(row.locator("[data-testid=exclusion-pending]")).to_contain_text("待上级党组织同意")
    expect(desktop.locator("[data-testid=expected]")).to_have_text("2")  # nothing changes yet

    officer = new_page(viewport={"width": 1366, "height": 900})
    log_in(officer, "olga")
    officer.goto(f"/meetings/{meeting.pk}/")
    officer.locator("tr[data-member='艾丽斯'] [data-testid=exclusion-consent]").click()
    expect(officer.locator("tr[data-member='艾丽斯']")).to_contain_text("上级已同意，待会议表决")

    desktop.reload()
    vote = desktop.locator("tr[data-member='艾丽斯'] [data-testid=exclusion-vote]")
    vote.locator("input[name=votes_for]").fill("2")
    vote.locator("input[name=votes_cast]").fill("2")
    screenshot(desktop, "desktop-meeting-exclusion-vote")
    vote.locator("button[type=submit]").click()
    expect(desktop.locator("[data-testid=expected]")).to_have_text("1")
    expect(desktop.locator("[data-testid=excluded]")).to_have_text("1")
    expect(desktop.locator("tr[data-member='艾丽斯']")).to_contain_text("会议表决 2 票中赞成 2 票")


SHOTS = Path("/tmp/wta-shots")


def shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


def test_a_member_scans_the_projector_code_during_the_window_on_her_phone(desktop, phone, meeting):
    log_in(desktop, "sam")
    desktop.goto(f"/meetings/{meeting.pk}/projector/")
    code = desktop.locator("[data-testid=projector-code]")
    expect(code.locator("img.zb-projector-qr")).to_be_visible()
    assert code.locator("img").evaluate("img => img.complete && img.naturalWidth > 0")
    shot(desktop, "projector")

    log_in(phone, "13800000001")
    phone.goto(f"/meetings/{meeting.pk}/checkin/{services.signin_token(meeting)}/")  # the scanned link
    phone.locator("main form button[type=submit]").tap()
    expect(phone.locator("[data-testid=signed-in]")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    shot(phone, "phone-scanned-signed-in")


def test_a_remote_click_without_the_current_code_is_refused(phone, meeting, alice):
    log_in(phone, "13800000001")
    phone.goto(f"/meetings/{meeting.pk}/")
    expect(phone.locator("[data-testid=scan-hint]")).to_be_visible()
    expect(phone.locator("a[href*='/checkin/']")).to_have_count(0)  # no button signs in from afar
    shot(phone, "phone-meeting-no-sign-in-button")

    stale = services.signin_token(meeting, window=1)  # a code of long ago
    phone.goto(f"/meetings/{meeting.pk}/checkin/{stale}/")
    expect(phone.locator("[data-testid=checkin-error]")).to_contain_text("已过期")
    expect(phone.locator("main form button[type=submit]")).to_have_count(0)
    shot(phone, "phone-checkin-stale-code-refused")
    assert Attendance.objects.get(meeting=meeting, member=member_of(alice)).status == "expected"


def test_the_secretary_marks_all_present_then_one_excused_without_a_reload(desktop, meeting):
    log_in(desktop, "sam")
    desktop.goto(f"/meetings/{meeting.pk}/desk/")
    desktop.evaluate("window.zbNoReload = true")
    expect(desktop.locator("[data-testid=present]")).to_have_text("0")
    desktop.locator("[data-testid=all-present]").click()
    expect(desktop.locator("[data-testid=present]")).to_have_text("2")
    desktop.locator("tr[data-member='艾丽斯'] button[data-mark=excused]").click()
    expect(desktop.locator("tr[data-member='艾丽斯']")).to_have_attribute("data-status", "excused")
    expect(desktop.locator("[data-testid=present]")).to_have_text("1")
    assert desktop.evaluate("window.zbNoReload === true"), "the page reloaded"
    shot(desktop, "desktop-desk-all-present")
