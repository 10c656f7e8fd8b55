"""公推直选 in the browser, the steps that used to dead-end: the secretary (desktop) sees a post left short
by the recommendation and recommends it again from the page; the notice waits for the board and then runs
on the board item's clock; the nominee table names each person's category."""

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from elections import services
from tests.elections.procedure_flow import fresh, members_by_username, publish_notice, to_inspection_state
from tests.elections.test_recommend_again import short_after_recommendation
from tests.factories import MemberFactory, UserFactory

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e
SHOTS = Path("/tmp/wt-c-shots")


def keep(page, name):
    SHOTS.mkdir(exist_ok=True)
    shutil.copy(screenshot(page, name), SHOTS / f"{name}.png")


@pytest.fixture
def by(tree, sam, alice, petra, olga, bob, victor):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def test_the_secretary_recommends_a_short_post_again_from_the_page(desktop, tree, sam, olga, by):
    election, _voters = short_after_recommendation(tree, sam, olga, by)
    log_in(desktop, "sam")
    desktop.goto(f"/elections/{election.pk}/")
    alert = desktop.locator("[data-testid=short-post]")
    expect(alert).to_contain_text("仅有3名初步人选")
    expect(alert).to_contain_text("预备人选须有4名")
    expect(desktop.locator("[data-testid=category]").first).to_have_text("正式党员")
    keep(desktop, "desktop-election-short-post")
    alert.get_by_role("button", name="重新推荐委员人选").click()
    expect(desktop.get_by_text("该职务将重新推荐")).to_be_visible()
    expect(desktop.get_by_role("button", name="准备民主推荐票")).to_be_visible()
    keep(desktop, "desktop-election-recommend-again")
    assert fresh(election).status == "recommendation"


def test_the_notice_waits_for_the_board_then_shows_its_clock(desktop, tree, sam, olga, by):
    election = to_inspection_state(tree, sam, olga, by)
    services.submit_pre_candidates(actor=sam, election=election)
    services.approve_pre_candidates(actor=olga, election=election)
    log_in(desktop, "sam")
    desktop.goto(f"/elections/{election.pk}/")
    expect(desktop.locator("[data-testid=notice-period]")).to_contain_text("待在党务公开栏发布")
    expect(desktop.get_by_text("公示尚未在公开栏发布")).to_be_visible()
    keep(desktop, "desktop-election-notice-unpublished")
    item = publish_notice(election, sam, olga)
    desktop.reload()
    ends = item.notice_ends_at.astimezone().strftime("%Y-%m-%d")
    expect(desktop.locator("[data-testid=notice-period]")).to_contain_text(ends[:4])
    expect(desktop.get_by_text("公示期尚未结束")).to_be_visible()
    keep(desktop, "desktop-election-notice-running")
