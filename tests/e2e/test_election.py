"""公推直选 in the browser: a member on her phone reads the candidate pages, asks a question and votes; the
secretary and two scrutineers count the committee ballot and see the runoff offered for the last seat."""

import pytest
from playwright.sync_api import expect

from branches.models import Member
from elections import services
from elections.models import CandidateQuestion
from tests.elections.procedure_flow import (
    PASSPHRASES,
    candidacy,
    members_by_username,
    names,
    seal_and_open,
    to_candidates,
    to_meeting,
    vote,
)
from tests.factories import MemberFactory, UserFactory

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def ten(tree, sam, alice, petra, olga):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def ready_to_vote(tree, sam, olga, ten, election):
    election = to_meeting(tree, sam, olga, ten, present=10, election=election)
    services.confirm_quorum(actor=sam, election=election)
    services.elect_scrutineers(actor=sam, election=election, members=[ten["m7"], ten["m8"]], votes_for=9)
    services.adopt_election_rules(actor=sam, election=election, text="选举办法", votes_for=9)
    link = services.prepare_ballot(actor=sam, election=election, post="committee")
    return election, seal_and_open(link.poll, sam)


def test_a_member_on_her_phone_reads_the_candidates_asks_and_votes(phone, tree, sam, olga, ten):
    election = to_candidates(tree, sam, olga, ten)
    first = candidacy(election, ten["m1"].name)
    services.update_candidate_page(
        actor=ten["m1"].user,
        candidacy=first,
        cv="1980年生，社区工作十年。",
        record="连续三年优秀党员。",
        strengths="熟悉社区情况",
        weaknesses="年轻党员联系不够",
        pledge="我承诺：每周接待群众半天。",
    )

    log_in(phone, "13800000001")  # alice, by her mobile number
    phone.goto(f"/elections/elections/{election.pk}/")
    expect(phone.locator("[data-testid=timeline] li[data-state=current]")).to_have_attribute(
        "data-step", "candidates"
    )
    links = phone.locator("[data-testid=candidate-link]")
    expect(links).to_have_count(4)
    screenshot(phone, "phone-election-timeline")
    phone.locator("[data-testid=candidate-link]", has_text=ten["m1"].name).click()
    expect(phone.locator("[data-testid=candidate-name]")).to_have_text(ten["m1"].name)
    expect(phone.locator("[data-testid=pledge]")).to_contain_text("每周接待群众半天")
    phone.fill("textarea[name=text]", "您如何联系年轻党员？")
    ask = phone.locator("[data-testid=ask]")
    assert ask.bounding_box()["height"] >= 36
    ask.tap()
    expect(phone.locator("[data-testid=question]")).to_contain_text("您如何联系年轻党员？")
    screenshot(phone, "phone-candidate-page-question")
    question = CandidateQuestion.objects.get(candidacy=first)
    services.answer_question(actor=ten["m1"].user, question=question, answer="每月组织一次青年党员座谈。")
    phone.reload()
    expect(phone.locator("[data-testid=answer]")).to_contain_text("青年党员座谈")

    election, poll = ready_to_vote(tree, sam, olga, ten, election)
    phone.goto(f"/elections/elections/{election.pk}/")
    phone.locator("[data-testid=poll-link][data-purpose=election]").click()
    phone.locator("[data-testid=go-vote]").tap()
    cards = phone.locator("fieldset[data-option]")
    expect(cards).to_have_count(4)
    for i in range(3):
        cards.nth(i).get_by_text("赞成", exact=True).tap()
    cards.nth(3).get_by_text("弃权", exact=True).tap()  # every line marked: cast at once, nothing asked
    screenshot(phone, "phone-election-ballot")
    phone.locator("[data-testid=cast]").tap()
    expect(phone.locator("[data-testid=voted]")).to_contain_text("已投票")
    screenshot(phone, "phone-election-voted")


def test_the_secretary_and_two_scrutineers_count_and_see_the_runoff_offered(desktop, tree, sam, olga, ten):
    election = to_candidates(tree, sam, olga, ten)
    election, poll = ready_to_vote(tree, sam, olga, ten, election)
    voters = list(Member.objects.filter(organisation=tree.a, category="full").order_by("pk"))
    for i, member in enumerate(voters):  # m1 10, m2 8, m3 6, m4 6: a tie for the last seat, both over half
        choice = ["m1", "m3", "m4"] if i < 2 else ["m1", "m2", "m3"] if i < 6 else ["m1", "m2", "m4"]
        vote(poll, member, names(ten, *choice))

    log_in(desktop, "sam")
    desktop.on("dialog", lambda dialog: dialog.accept())
    desktop.goto(f"/ballots/polls/{poll.pk}/")
    desktop.get_by_role("button", name="结束投票").click()
    expect(desktop.locator("[data-testid=poll-status]")).to_have_text("投票结束")
    desktop.locator("[data-testid=unseal-link]").click()
    desktop.locator(f"input[data-scrutineer='{ten['m7'].name}']").fill(PASSPHRASES[0])
    desktop.locator(f"input[data-scrutineer='{ten['m8'].name}']").fill(PASSPHRASES[1])
    screenshot(desktop, "desktop-election-unseal")
    desktop.locator("[data-testid=unseal]").click()
    desktop.goto(f"/elections/elections/{election.pk}/")
    offered = desktop.locator("[data-testid=runoff-offered]")
    expect(offered).to_contain_text(ten["m3"].name)
    expect(offered).to_contain_text(ten["m4"].name)
    expect(desktop.locator("[data-testid=progress-committee]")).to_contain_text(ten["m1"].name)
    screenshot(desktop, "desktop-election-runoff-offered")
    desktop.locator("[data-testid=start-runoff]").click()
    expect(desktop.locator("h1")).to_contain_text(" · ")  # the runoff poll's page
    runoff = election.election_polls.filter(round_kind="runoff").get()
    assert sorted(runoff.poll.options.values_list("member_id", flat=True)) == sorted(
        [ten["m3"].pk, ten["m4"].pk]
    )
    assert runoff.seats == 1 and not runoff.poll.allow_write_in


def test_a_mass_representative_nominates_through_a_one_time_link_without_an_account(
    phone, tree, sam, olga, ten
):
    from elections.models import Candidacy
    from tests.elections.procedure_flow import new_election

    election = new_election(sam, tree.a, seats=3)
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    _invitation, token = services.invite(
        actor=sam, election=election, purpose="nominate", name="居民代表 钱阿姨"
    )
    phone.goto(f"/elections/invite/{token}/")
    expect(phone.locator("main")).to_contain_text("钱阿姨")
    phone.select_option("select[name=member]", str(ten["m2"].pk))
    phone.select_option("select[name=post]", "committee")
    phone.fill("textarea[name=reason]", "热心为群众办事")
    screenshot(phone, "phone-invitation-nominate")
    phone.get_by_role("button", name="提交").tap()
    expect(phone.locator("[data-testid=invitation-done]")).to_be_visible()
    assert Candidacy.objects.get(election=election, member=ten["m2"]).nominations.get().source == "mass"
    phone.goto(f"/elections/invite/{token}/")
    expect(phone.locator("[data-testid=invitation-error]")).to_be_visible()  # the link works once
