"""A member files a proposal on her phone; the secretary registers it and the responsible person answers on
a desktop; the member rates the answer on her phone; the board shows it, with its chart."""

import re

import pytest
from playwright.sync_api import expect

from motions.models import Proposal
from tests.motions.conftest import member

from .conftest import DESKTOP
from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture
def people(tree, alice, sam, olga):
    from tests.conftest import _persona

    carl = _persona("carl", tree.a, role="organisation", name="陈组织", phone="13800000011")
    return dict(alice=alice, sam=sam, carl=carl, olga=olga)


def test_a_member_files_on_her_phone_the_responsible_person_answers_on_a_desktop_and_she_rates_it(
    phone, desktop, new_page, people
):
    console_errors = []
    for page in (phone, desktop):
        page.on("console", lambda message: message.type == "error" and console_errors.append(message.text))

    # 1. alice, on her phone, files a proposal from the app's page.
    log_in(phone, "13800000001")
    phone.goto("/motions/")
    phone.locator("main [data-testid=file-proposal]").first.tap()
    expect(phone).to_have_url(re.compile(r"/motions/proposals/new/$"))
    phone.fill("input[name=title]", "修缮东街路灯")
    phone.fill("textarea[name=content]", "东街三处路灯损坏，夜间老人出行不便，建议尽快修复并定期巡查。")
    screenshot(phone, "phone-proposal-form")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").tap()
    match = re.search(r"/motions/proposals/(\d+)/$", phone.url)
    assert match, phone.url
    proposal = Proposal.objects.get(pk=int(match.group(1)))
    assert (proposal.status, proposal.proposer, proposal.title) == (
        "submitted",
        member(people["alice"]),
        "修缮东街路灯",
    )
    expect(phone.locator("[data-testid=proposal-content]")).to_contain_text("东街三处路灯损坏")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= phone.viewport_size["width"]
    screenshot(phone, "phone-proposal-filed")

    # 2. sam, the secretary, registers it (the clock starts) and names carl responsible.
    log_in(desktop, "sam")
    desktop.goto(f"/motions/proposals/{proposal.pk}/")
    with desktop.expect_navigation():
        desktop.locator("[data-testid=register]").click()
    desktop.select_option(
        "[data-testid=assign-form] select[name=responsible]", str(member(people["carl"]).pk)
    )
    desktop.fill("[data-testid=assign-form] input[name=department]", "社区居委会")
    with desktop.expect_navigation():
        desktop.locator("[data-testid=assign-form] button[type=submit]").click()
    expect(desktop.locator("[data-testid=proposal-responsible]")).to_have_text("陈组织")
    proposal.refresh_from_db()
    assert proposal.status == "assigned" and proposal.due_on is not None

    # 3. carl, the responsible person, answers on his desktop — with reasons.
    carl = new_page(**DESKTOP)
    carl.on("console", lambda message: message.type == "error" and console_errors.append(message.text))
    log_in(carl, "carl")
    carl.goto(f"/motions/proposals/{proposal.pk}/")
    answer = carl.locator("[data-testid=answer-form]")
    answer.locator("input[name=outcome][value=adopted]").check()
    answer.locator("textarea[name=reasons]").fill("已联系供电所，三处路灯本周内修复；社区每月巡查一次。")
    screenshot(carl, "desktop-proposal-answer-form")
    with carl.expect_navigation():
        answer.locator("button[type=submit]").click()
    expect(carl.locator("[data-testid=proposal-answer]")).to_contain_text("三处路灯本周内修复")
    screenshot(carl, "desktop-proposal-answered")
    assert Proposal.objects.get(pk=proposal.pk).status == "answered"

    # 4. alice rates the answer on her phone; the proposal closes.
    phone.goto(f"/motions/proposals/{proposal.pk}/")
    rate = phone.locator("[data-testid=rate-form]")
    expect(rate).to_be_visible()
    rate.locator("input[name=rating][value=satisfied]").check()
    screenshot(phone, "phone-proposal-rate")
    with phone.expect_navigation():
        rate.locator("button[type=submit]").tap()
    expect(phone.locator("[data-testid=proposal-rating]")).to_be_visible()
    proposal.refresh_from_db()
    assert proposal.status == "closed"
    assert proposal.answers.get().rating == "satisfied"
    screenshot(phone, "phone-proposal-rated")

    # 5. The board: the whole course is public, with the per-branch rates and their chart.
    desktop.goto("/motions/proposals/", wait_until="networkidle")
    expect(desktop.locator(f"#proposal-table tr[data-proposal='{proposal.pk}']")).to_contain_text("陈组织")
    chart = desktop.locator("#proposal-rates-chart")
    expect(chart).to_be_visible()
    assert chart.evaluate("canvas => canvas.width > 0 && canvas.height > 0")
    assert desktop.evaluate("() => !!window.Chart && Object.keys(window.Chart.instances).length === 1")
    screenshot(desktop, "desktop-proposal-board")
    phone.goto("/motions/proposals/", wait_until="networkidle")
    assert phone.evaluate("document.scrollingElement.scrollWidth") <= phone.viewport_size["width"]
    screenshot(phone, "phone-proposal-board")
    assert console_errors == []  # a CSP violation (inline script or style) would show up here
