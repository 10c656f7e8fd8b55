"""The work queue and the audit log in the browser: 请投票 on a member's phone, a proposal with its days
left on the secretary's desktop, the audit log in Chinese sentences."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from motions import services as motion_services
from tests.ballots.conftest import EXTRA, make_poll, start_meeting
from tests.conftest import member_of
from tests.factories import MemberFactory, UserFactory

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e

SHOTS = Path("/tmp/wtd-shots")


def _shot(page, name):
    SHOTS.mkdir(exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)
    screenshot(page, name)


def test_a_member_sees_please_vote_on_his_phone(phone, tree, sam, alice):
    voters = [member_of(sam), member_of(alice)]
    voters += [MemberFactory(organisation=tree.a, name=n, user=UserFactory(username=u)) for u, n in EXTRA]
    meeting = start_meeting(tree.a, sam, sign_in=voters)
    poll = make_poll(meeting, sam, kind="motion", options=["关于发展党员的决议"], scrutineers=voters[-2:])

    log_in(phone, "alice")
    phone.goto("/")
    queue = phone.locator("main .work-queue")
    expect(queue.get_by_role("link", name="请投票")).to_have_attribute(
        "href", f"/ballots/polls/{poll.pk}/vote/"
    )
    expect(phone.locator("nav .badge.text-bg-danger")).to_have_text("1")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= phone.viewport_size["width"]
    _shot(phone, "phone-home-please-vote")


def test_the_secretary_sees_a_proposal_with_its_days_left_on_a_desktop(desktop, sam, alice):
    proposal = motion_services.file_proposal(
        actor=alice,
        proposer=member_of(alice),
        title="修缮东街路灯",
        content="东街三处路灯损坏，夜间出行不便。",
    )
    motion_services.register_proposal(actor=sam, proposal=proposal)

    log_in(desktop, "sam")
    desktop.goto("/")
    row = desktop.locator("main .work-queue li", has_text="修缮东街路灯")
    expect(row.get_by_role("link", name="答复提议")).to_be_visible()
    expect(row).to_contain_text("还剩")
    _shot(desktop, "desktop-home-proposal-days-left")

    desktop.goto("/meetings/")
    expect(desktop.get_by_role("link", name="新建会议")).to_be_visible()

    desktop.goto(f"/org/{member_of(sam).organisation_id}/audit/")
    expect(desktop.locator("main .audit-sentence").first).to_contain_text("孙书记登记受理了提议")
    expect(desktop.locator("main")).not_to_contain_text("proposal.register")
    _shot(desktop, "desktop-audit-log")
