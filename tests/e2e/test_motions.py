"""A member votes on a motion on her phone; the secretary announces the outcome and records the
implementation's progress on the desktop; the statistics board draws its chart."""

import pytest
from playwright.sync_api import expect

from branches.models import Member
from motions.models import Motion
from tests.motions.motion_helpers import (
    PASSPHRASES,
    cast,
    draft,
    general_meeting,
    make_branch,
    to_circulated,
    to_voting,
)

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def vote(tree, sam, alice, petra):
    branch = make_branch(tree, sam, alice, petra)
    motion = draft(branch.org, sam, title="村集体厂房公开租赁方案")
    to_circulated(motion, sam, general_meeting(branch.org, sam))
    # The scrutineers are the first two present; alice (voting[1]) is one of them and still votes.
    vote = to_voting(motion, sam, present=branch.voting)
    vote.branch = branch
    return vote


def test_a_member_votes_on_her_phone_and_the_secretary_records_progress(phone, desktop, vote):
    motion = vote.motion
    log_in(phone, "13800000001")  # alice, by her mobile number
    phone.goto(f"/motions/motions/{motion.pk}/")
    expect(phone.locator("[data-testid=motion-title]")).to_have_text("村集体厂房公开租赁方案")
    link = phone.locator("[data-testid=vote-link]")
    box = link.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a large target for a thumb
    screenshot(phone, "phone-motion-voting")
    link.tap()
    expect(phone.locator("h1")).to_contain_text("村集体厂房公开租赁方案")
    phone.locator("fieldset[data-option]").first.get_by_text("赞成", exact=True).tap()
    screenshot(phone, "phone-motion-ballot-before-casting")
    phone.locator("[data-testid=cast]").tap()
    expect(phone.locator("[data-testid=voted]")).to_contain_text("已投票")
    screenshot(phone, "phone-motion-ballot-voted")

    # Four more of the six vote for (5 > 6/2), then the secretary closes and unseals on the engine's pages.
    others = [m for m in vote.branch.voting if m.user.username != "alice"]
    cast(vote, [(m, "for") for m in others[:4]])
    log_in(desktop, "sam")
    desktop.on("dialog", lambda dialog: dialog.accept())
    desktop.goto(f"/motions/motions/{motion.pk}/")
    desktop.locator("[data-testid=poll-link]").click()
    desktop.get_by_role("button", name="结束投票").click()
    desktop.locator("[data-testid=unseal-link]").click()
    scrutineers = list(vote.poll.scrutineers.select_related("member").order_by("pk"))
    for i, s in enumerate(scrutineers[:2]):
        desktop.locator(f"input[data-scrutineer='{s.member.name}']").fill(PASSPHRASES[i])
    desktop.locator("[data-testid=unseal]").click()
    expect(desktop.locator("[data-testid=result-table]")).to_be_visible()

    desktop.goto(f"/motions/motions/{motion.pk}/")
    desktop.locator("[data-testid=announce]").click()
    expect(desktop.locator("[data-testid=vote-outcome]")).to_have_text("通过")
    expect(desktop.locator("[data-testid=vote-expected]")).to_have_text("6")
    expect(desktop.locator("[data-testid=vote-present]")).to_have_text("6")
    expect(desktop.locator("[data-testid=vote-for]")).to_have_text("5")
    screenshot(desktop, "desktop-motion-passed")

    alice = Member.objects.get(user__username="alice")
    assign = desktop.locator("[data-testid=form-assign]")
    assign.locator("select").select_option(str(alice.pk))
    assign.locator("button[type=submit]").click()
    expect(desktop.locator("[data-testid=responsible]")).to_have_text("艾丽斯")
    milestone = desktop.locator("[data-testid=form-milestone]")
    milestone.locator("input[name=title]").fill("签订租赁合同")
    milestone.locator("input[name=due_on]").fill("2030-06-30")
    milestone.locator("button[type=submit]").click()
    expect(desktop.locator("[data-testid=milestone]")).to_contain_text("签订租赁合同")
    progress = desktop.locator("[data-testid=form-progress]")
    progress.locator("textarea[name=text]").fill("已发布招租公告，三家企业报名")
    progress.locator("input[name=percent]").fill("40")
    progress.locator("button[type=submit]").click()
    expect(desktop.locator("[data-testid=progress-entry]").first).to_contain_text("三家企业报名")
    expect(desktop.locator("[data-testid=progress-bar]")).to_have_text("40%")
    bar = desktop.locator("[data-testid=progress-bar]").bounding_box()
    track = desktop.locator(".progress").bounding_box()
    assert 0.35 < bar["width"] / track["width"] < 0.45  # the width comes from the stylesheet, not style=
    screenshot(desktop, "desktop-motion-implementation-progress")
    assert Motion.objects.get(pk=motion.pk).progress.get().percent == 40

    desktop.goto("/motions/motions/statistics/")
    expect(desktop.locator("#motion-statistics")).to_contain_text("东街社区党支部")
    assert desktop.evaluate(
        "() => typeof Chart !== 'undefined' && Chart.getChart('motion-statistics-chart') !== undefined"
    )
    screenshot(desktop, "desktop-motion-statistics")


def test_an_invited_representative_rates_the_leadership_on_his_phone(phone, desktop, tree, sam, alice, petra):
    import datetime as dt

    from motions import services
    from tests.motions.test_evaluations_services import _running_meeting

    branch = make_branch(tree, sam, alice, petra)
    evaluation = services.start_leadership_evaluation(
        actor=sam,
        organisation=branch.org,
        period="2026 上半年",
        held_on=dt.date(2026, 6, 30),
        report="上半年班子抓党建、促发展工作情况",
    )
    _inv, token = services.invite_representative(actor=sam, evaluation=evaluation, name="群众代表王大伯")
    services.open_leadership_rating(
        actor=sam, evaluation=evaluation, meeting=_running_meeting(branch.org, sam, branch.voting)
    )
    phone.goto(f"/motions/rate/{token}/")  # no account: the link is the key
    expect(phone.locator("fieldset")).to_have_count(2)  # the team and the secretary (the committee of one)
    phone.get_by_text("基本适应", exact=True).tap()
    phone.get_by_text("称职", exact=True).tap()
    screenshot(phone, "phone-representative-rating")
    phone.get_by_role("button", name="提交评价").tap()
    expect(phone.locator("[data-testid=rated]")).to_be_visible()
    phone.goto(f"/motions/rate/{token}/")
    expect(phone.locator(".alert-info")).to_contain_text("已使用")

    log_in(desktop, "sam")
    desktop.goto(f"/motions/evaluations/leadership/{evaluation.pk}/")
    expect(desktop.locator("#leadership-ratings")).to_contain_text("基本适应 1")
    screenshot(desktop, "desktop-leadership-evaluation")
