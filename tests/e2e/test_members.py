"""The secretary finds a member of his branch in the member list."""

import re

import pytest
from playwright.sync_api import expect

from tests.factories import MemberFactory

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


def test_the_secretary_logs_in_and_finds_a_member_by_pinyin_initials(desktop, tree, sam, alice, petra):
    for name in ["王伟", "李芳", "张娜"]:
        MemberFactory(organisation=tree.a, name=name)

    log_in(desktop, "sam")
    desktop.locator(f"a[href='/org/{tree.a.pk}/members/']").first.click()
    expect(desktop).to_have_url(re.compile(rf"/org/{tree.a.pk}/members/$"))

    table = desktop.locator("#member-table")
    for name in ["孙书记", "艾丽斯", "裴预备", "王伟", "李芳", "张娜"]:
        expect(table.get_by_role("link", name=name, exact=True)).to_be_visible()
    expect(table.locator("tbody tr")).to_have_count(6)

    desktop.fill("input[name=q]", "als")  # 艾丽斯 → ailisi, als
    with desktop.expect_navigation():
        desktop.locator("form[role=search] button[type=submit]").click()

    assert "q=als" in desktop.url
    expect(desktop.locator("input[name=q]")).to_have_value("als")
    expect(table.locator("tbody tr")).to_have_count(1)
    expect(table.get_by_role("link", name="艾丽斯", exact=True)).to_be_visible()
    expect(table).to_contain_text("13800000001")
    expect(table).not_to_contain_text("孙书记")
    screenshot(desktop, "desktop-member-list-searched-by-pinyin")
