"""A member votes on her phone, sees 已投票 and her tracker; two scrutineers unseal; the result appears."""

import pytest
from playwright.sync_api import expect

from tests.ballots.conftest import PASSPHRASES, make_poll, sealed_count, start_meeting
from tests.factories import MemberFactory, UserFactory

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def election(tree, sam, alice):
    from branches.models import Member

    names = [("m1", "王一"), ("m2", "李二"), ("m3", "张三"), ("m4", "周四"), ("m5", "吴五")]
    extra = {u: MemberFactory(organisation=tree.a, name=n, user=UserFactory(username=u)) for u, n in names}
    meeting = start_meeting(tree.a, sam, sign_in=list(Member.objects.filter(organisation=tree.a)))
    return make_poll(
        meeting,
        sam,
        options=[extra["m3"], extra["m1"], extra["m2"]],
        seats=2,
        scrutineers=[extra["m4"], extra["m5"]],
        allow_write_in=True,
    )


def test_a_member_votes_on_her_phone_and_two_scrutineers_unseal_the_result(phone, desktop, election):
    log_in(phone, "13800000001")  # alice, by her mobile number
    phone.goto(f"/ballots/polls/{election.pk}/vote/")
    expect(phone.locator("h1")).to_have_text("选举支部委员")
    cards = phone.locator("fieldset[data-option]")
    expect(cards).to_have_count(3)
    expect(cards.nth(0)).to_have_attribute("data-option", "王一")  # surname stroke order: 王 李 张
    expect(cards.nth(2)).to_have_attribute("data-option", "张三")
    cards.nth(0).get_by_text("赞成", exact=True).tap()
    cards.nth(1).get_by_text("不赞成", exact=True).tap()
    cards.nth(2).get_by_text("弃权", exact=True).tap()  # every line marked: cast in one tap, nothing asked
    screenshot(phone, "phone-ballot-before-casting")
    box = phone.locator("[data-testid=cast]").bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300  # a large target for a thumb
    phone.locator("[data-testid=cast]").tap()
    voted = phone.locator("[data-testid=voted]")
    expect(voted).to_contain_text("已投票")
    tracker = phone.locator("[data-testid=tracker]").inner_text()
    assert len(tracker) == 19 and tracker.count("-") == 3
    screenshot(phone, "phone-ballot-voted-with-tracker")
    phone.reload()  # the browser re-posts the same form: one ballot, the same tracker
    expect(phone.locator("[data-testid=tracker]")).to_have_text(tracker)

    log_in(desktop, "sam")
    desktop.on("dialog", lambda dialog: dialog.accept())
    desktop.goto(f"/ballots/polls/{election.pk}/")
    expect(desktop.locator("[data-testid=turnout-voted]")).to_have_text("1")
    desktop.get_by_role("button", name="结束投票").click()
    expect(desktop.locator("[data-testid=poll-status]")).to_have_text("投票结束")
    desktop.locator("[data-testid=unseal-link]").click()
    desktop.locator("input[data-scrutineer='周四']").fill(PASSPHRASES[0])
    desktop.locator("input[data-scrutineer='吴五']").fill(PASSPHRASES[1])
    screenshot(desktop, "desktop-unseal-two-scrutineers")
    desktop.locator("[data-testid=unseal]").click()
    table = desktop.locator("[data-testid=result-table]")
    expect(table).to_be_visible()
    expect(table.locator("tr[data-option='王一']")).to_contain_text("1")
    expect(desktop.locator("[data-testid=valid]")).to_have_text("1")
    expect(desktop.locator("#result-chart")).to_be_visible()
    assert desktop.evaluate(
        "() => typeof Chart !== 'undefined' && Chart.getChart('result-chart') !== undefined"
    )
    screenshot(desktop, "desktop-result-after-unsealing")


def test_a_member_writes_in_another_member_by_typing_his_pinyin_on_her_phone(phone, election):
    from ballots.models import HasVoted

    log_in(phone, "13800000001")  # alice
    phone.goto(f"/ballots/polls/{election.pk}/vote/")
    cards = phone.locator("fieldset[data-option]")
    cards.nth(0).get_by_text("不赞成", exact=True).tap()  # against 王一, to write in someone else
    line = phone.locator("[data-testid=write-in]").first
    line.locator("input[name=find]").fill("zhousi")
    picked = line.locator("[data-testid=write-in-matches]")
    expect(picked).to_be_visible()
    expect(picked.locator("option:checked")).to_have_text("周四")  # the only match, chosen at once
    screenshot(phone, "phone-ballot-write-in-search")
    line.locator("input[name=find]").fill("nobody-zzz")
    expect(line).to_contain_text("不能另选")
    line.locator("input[name=find]").fill("zs")  # initials: 周四 and 张三 (a candidate: not offered)
    expect(picked.locator("option:checked")).to_have_text("周四")
    cards.nth(1).get_by_text("弃权", exact=True).tap()
    cards.nth(2).get_by_text("弃权", exact=True).tap()
    phone.locator("[data-testid=cast]").tap()
    expect(phone.locator("[data-testid=voted]")).to_contain_text("已投票")
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 1


def _no_sideways_scroll(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_an_empty_ballot_on_a_phone_is_asked_about_before_it_counts(phone, election):
    from ballots.models import HasVoted

    log_in(phone, "13800000001")  # alice
    phone.goto(f"/ballots/polls/{election.pk}/vote/")
    phone.locator("[data-testid=cast]").tap()  # nothing marked
    question = phone.locator("[data-testid=confirm-question]")
    expect(question).to_contain_text("您没有选择任何选项，将投出空白票，确定吗？")
    assert not HasVoted.objects.filter(poll=election).exists()
    assert _no_sideways_scroll(phone)
    screenshot(phone, "phone-ballot-blank-confirmation")
    phone.locator("[data-testid=confirm-cast]").tap()
    expect(phone.locator("[data-testid=voted]")).to_contain_text("已投票")
    assert HasVoted.objects.filter(poll=election).count() == sealed_count(election) == 1


def test_the_results_headline_reads_on_a_phone_without_sideways_scrolling(phone, election, sam):
    from ballots import services
    from branches.models import Member
    from tests.ballots.conftest import option_ids, passphrases_of

    o = option_ids(election)
    for i, member in enumerate(Member.objects.filter(organisation=election.organisation, user__isnull=False)):
        services.cast_ballot(
            user=member.user,
            poll=election,
            marks={o[0]: "for"},
            write_ins=[],
            idempotency_key=f"e2e-{i:02d}-0123456789",
        )
    services.close_poll(actor=sam, poll=election)
    services.count_poll(actor=sam, poll=election, passphrases=passphrases_of(election))
    election.refresh_from_db()
    services.publish_poll(actor=sam, poll=election)
    log_in(phone, "13800000001")  # alice, a member: she sees the published result
    phone.goto(f"/ballots/polls/{election.pk}/results/")
    headline = phone.locator("[data-testid=result-headline]")
    expect(headline).to_contain_text("应选2名")
    expect(headline).to_contain_text("王一：当选")
    box = headline.bounding_box()
    assert box["y"] < 844 and box["x"] >= 0 and box["x"] + box["width"] <= 390  # on the first screen
    assert _no_sideways_scroll(phone)
    screenshot(phone, "phone-results-headline", full_page=False)
