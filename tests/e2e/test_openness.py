"""党务公开 in the browser: a supervisor returns an item with a comment (desktop), a member reads the board on
her phone, an anonymous visitor sees only what is public — and the pages load nothing from elsewhere."""

import datetime as dt
import re
from urllib.parse import urlsplit

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from branches import services as branch_services
from openness import services
from openness.models import CatalogueEntry, DisclosureItem, ItemStatus, ReviewDecision
from tests.openness.conftest import ALL_CHECKS, draft, publish, restore_default_catalogue

from .helpers import log_in, screenshot

pytestmark = pytest.mark.e2e


@pytest.fixture(autouse=True)
def _default_catalogue(request):
    restore_default_catalogue(request)


TABLE = (
    "<p>2026年第一季度党费收缴情况如下：</p>"
    "<table><thead><tr><th>月份</th><th>应缴人数</th><th>实缴人数</th><th>金额（元）</th></tr></thead>"
    "<tbody><tr><td>1月</td><td>28</td><td>28</td><td>1,260.00</td></tr>"
    "<tr><td>2月</td><td>28</td><td>27</td><td>1,215.00</td></tr>"
    "<tr><td>3月</td><td>28</td><td>28</td><td>1,260.00</td></tr></tbody></table>"
)


def watch(page):
    """Collect requests to other origins and console errors (a CSP violation shows up there)."""
    seen = {"requests": [], "errors": []}
    page.on("request", lambda request: seen["requests"].append(request.url))
    page.on("console", lambda message: message.type == "error" and seen["errors"].append(message.text))
    return seen


def foreign(seen, live_server) -> list[str]:
    origin = urlsplit(live_server.url)[:2]
    return [u for u in seen["requests"] if not u.startswith(("data:", "blob:")) and urlsplit(u)[:2] != origin]


def fits(page) -> bool:
    return page.evaluate("document.scrollingElement.scrollWidth") <= page.viewport_size["width"]


@pytest.fixture
def board(tree, sam, olga, victor):
    """What the boards hold: items to society and party-internal, a notice, and an open meeting ahead."""
    public = publish(
        author=sam,
        reviewer=victor,
        approver=olga,
        org=tree.a,
        scope="society",
        category="daily",
        title="东街社区党支部2026年第一季度党费收缴情况",
        body=TABLE,
        catalogue_entry=CatalogueEntry.objects.get(key="dues.collection"),
        period="2026-Q1",
    )
    notice = publish(
        author=sam,
        reviewer=olga,
        approver=sam,
        org=tree.a,
        scope="internal",
        category="organisation",
        title="关于确定王芳同志为发展对象的公示",
        notice_working_days=5,
        body="<p>经支部委员会研究，拟确定王芳同志为发展对象，现予公示。如有异议，请在公示期内反映。</p>",
    )
    internal = publish(
        author=olga,
        reviewer=victor,
        approver=olga,
        org=tree.town,
        scope="internal",
        category="plans",
        title="城关镇党委2026年度党建工作要点",
        body="<h2>一、总体要求</h2><p>坚持以党的政治建设为统领……</p><ul><li>抓好支部标准化建设</li>"
        "<li>落实三会一课</li></ul>",
    )
    meeting = branch_services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="东街社区开放式党员大会",
        agenda="一、通报第一季度党费收缴情况\n二、讨论社区志愿服务计划",
        location="社区党群服务中心二楼",
        starts_at=timezone.now() + dt.timedelta(days=6),
        is_open=True,
    )
    return type("Board", (), dict(public=public, notice=notice, internal=internal, meeting=meeting))


def test_a_supervisor_returns_an_item_with_a_comment_on_a_desktop(
    desktop, live_server, tree, sam, olga, victor
):
    item = draft(
        author=sam,
        org=tree.a,
        scope="society",
        category="leadership",
        title="关于调整支部委员分工的公告",
        body="<p>经支部委员会研究，调整分工如下：……</p>",
    )
    services.submit_item(actor=sam, item=item, reviewer=olga)
    services.pass_secrecy_review(actor=olga, item=item, checks=ALL_CHECKS)
    seen = watch(desktop)

    log_in(desktop, "victor")
    desktop.goto("/open/review/")
    queue = desktop.locator("[data-testid=queue-approval]")
    expect(queue).to_contain_text("关于调整支部委员分工的公告")
    screenshot(desktop, "desktop-openness-review-queue")
    queue.get_by_role("link", name="关于调整支部委员分工的公告").click()
    expect(desktop.locator("[data-testid=item-title]")).to_have_text("关于调整支部委员分工的公告")
    expect(desktop.locator("[data-testid=approver]")).to_contain_text(
        "城关镇党委"
    )  # beyond the branch's authority

    form = desktop.locator("[data-testid=return-form]")
    form.locator("textarea[name=comment]").fill("委员分工涉及干部管理，请附支委会会议记录后再报。")
    with desktop.expect_navigation():
        form.locator("button[type=submit]").click()

    expect(desktop.locator("[data-testid=item-status]")).to_have_text(re.compile(".+"))
    expect(desktop.locator("[data-testid=review-comment]").last).to_have_text(
        "委员分工涉及干部管理，请附支委会会议记录后再报。"
    )
    item.refresh_from_db()
    assert item.status == ItemStatus.RETURNED
    review = item.reviews.order_by("pk").last()
    assert (review.decision, review.reviewer) == (ReviewDecision.RETURNED, victor)
    screenshot(desktop, "desktop-openness-supervisor-returned-item")

    log_in(desktop, "sam")
    desktop.goto(f"/open/items/{item.pk}/")
    expect(desktop.locator("[data-testid=review-comment]").last).to_contain_text("请附支委会会议记录")
    expect(desktop.locator("[data-testid=submit-form]")).to_be_visible()  # he corrects and submits again
    assert foreign(seen, live_server) == []
    assert seen["errors"] == []


def test_the_supervisor_sees_the_compliance_chart(desktop, live_server, tree, sam, olga, victor, board):
    dues = CatalogueEntry.objects.get(key="dues.collection")
    services.open_obligations()  # this quarter's, not yet due
    for org in (tree.a, tree.b):
        services.periodic_obligation(org, dues, "2026-Q3")  # due in October, never published: missing
    seen = watch(desktop)
    log_in(desktop, "victor")
    desktop.goto("/open/compliance/")
    expect(desktop.locator("[data-testid=compliance-table]")).to_contain_text(tree.a.name)
    canvas = desktop.locator("#compliance-chart")
    expect(canvas).to_be_visible()
    desktop.wait_for_function("document.getElementById('compliance-chart').getAttribute('width') > 0")
    screenshot(desktop, "desktop-openness-compliance")
    assert foreign(seen, live_server) == []
    assert seen["errors"] == []


def test_a_member_reads_the_board_on_her_phone(phone, live_server, alice, board):
    seen = watch(phone)
    log_in(phone, "13800000001")  # alice, by her mobile number
    phone.goto("/open/board/")
    items = phone.locator("[data-testid=board-item]")
    expect(items).to_have_count(3)  # the public one, the branch's notice, and the town's party-internal one
    expect(phone.locator("[data-testid=board-items]")).to_contain_text("城关镇党委2026年度党建工作要点")
    expect(phone.locator("[data-testid=open-meeting]")).to_contain_text("东街社区开放式党员大会")
    assert fits(phone), "the board scrolls sideways on a phone"
    screenshot(phone, "phone-openness-member-board")

    phone.get_by_role("link", name="关于确定王芳同志为发展对象的公示").tap()
    expect(phone.locator("[data-testid=notice]")).to_be_visible()
    expect(phone.locator("[data-testid=item-body]")).to_contain_text("拟确定王芳同志为发展对象")
    assert fits(phone)
    form = phone.locator("[data-testid=feedback-form]")
    form.locator("textarea[name=body]").fill("同意公示。")
    with phone.expect_navigation():
        form.locator("button[type=submit]").tap()
    expect(phone.locator("[data-testid=feedback-row]")).to_contain_text("同意公示。")
    screenshot(phone, "phone-openness-member-notice-commented")

    phone.goto(f"/open/items/{board.public.pk}/")
    expect(phone.locator("[data-testid=item-body] table")).to_be_visible()
    assert fits(phone), "a wide table must scroll inside its box, not the page"
    screenshot(phone, "phone-openness-member-item-with-table")
    assert foreign(seen, live_server) == []
    assert seen["errors"] == []


def test_an_anonymous_visitor_sees_only_public_items(phone, live_server, board):
    seen = watch(phone)
    response = phone.goto("/open/", wait_until="networkidle")
    assert response.status == 200
    assert "default-src 'self'" in response.headers.get("content-security-policy", "")
    items = phone.locator("[data-testid=board-item]")
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("东街社区党支部2026年第一季度党费收缴情况")
    body = phone.locator("main")
    expect(body).not_to_contain_text("发展对象的公示")
    expect(body).not_to_contain_text("党建工作要点")
    meeting = phone.locator("[data-testid=open-meeting]")
    expect(meeting).to_contain_text("东街社区开放式党员大会")
    expect(meeting.locator("a")).to_have_attribute(
        "href", re.compile(r"^/accounts/login/\?next=/meetings/\d+/$")
    )
    assert fits(phone), "the public board scrolls sideways on a phone"
    screenshot(phone, "phone-openness-public-board")

    items.first.locator("a").tap()
    expect(phone.locator("[data-testid=item-body] table")).to_be_visible()
    assert fits(phone)
    screenshot(phone, "phone-openness-public-item")

    assert foreign(seen, live_server) == []
    assert seen["errors"] == []

    for hidden in (board.notice, board.internal):
        assert phone.goto(f"/open/items/{hidden.pk}/").status == 404
    feed = phone.request.get(f"{live_server.url}/open/feed.atom")
    assert feed.ok and "党费收缴情况" in feed.text() and "发展对象" not in feed.text()


def test_a_secretary_drafts_an_item_with_a_table_and_a_pdf_and_submits_it(
    desktop, live_server, tree, sam, olga
):
    from tests.openness.test_attachments import PDF

    seen = watch(desktop)
    log_in(desktop, "sam")
    desktop.goto("/open/manage/")
    screenshot(desktop, "desktop-openness-workbench-empty")
    desktop.locator(f"a[href='/open/org/{tree.a.pk}/new/']").click()
    desktop.fill("input[name=title]", "东街社区党支部2026年第三季度党费收缴情况")
    desktop.select_option("select[name=category]", "daily")
    body = desktop.locator("textarea[name=body]")
    body.fill("<p>第三季度党费收缴情况如下：</p>\n")
    body.press("End")
    desktop.locator("[data-insert=table]").click()  # the toolbar inserts a table skeleton at the cursor
    assert "<table>" in body.input_value()
    desktop.check("input[name=scope][value=internal]")
    screenshot(desktop, "desktop-openness-item-form")
    with desktop.expect_navigation():
        desktop.locator("[data-testid=item-form] button[type=submit]").click()

    expect(desktop.locator("[data-testid=item-title]")).to_have_text(
        "东街社区党支部2026年第三季度党费收缴情况"
    )
    desktop.set_input_files(
        "input[name=file]", files=[{"name": "三季度明细.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    with desktop.expect_navigation():
        desktop.locator("#attachments button[type=submit]").click()
    expect(desktop.locator("[data-testid=attachment]")).to_have_text("三季度明细.pdf")

    form = desktop.locator("[data-testid=submit-form]")
    form.locator("select[name=reviewer]").select_option(label="欧干部")
    with desktop.expect_navigation():
        form.locator("button[type=submit]").click()
    item = DisclosureItem.objects.get(title="东街社区党支部2026年第三季度党费收缴情况")
    assert (item.status, item.reviewer, item.approver_organisation) == (ItemStatus.REVIEW, olga, tree.a)
    assert "<table" in item.body and item.attachments.count() == 1
    expect(desktop.locator("[data-testid=item-status]")).to_be_visible()
    screenshot(desktop, "desktop-openness-item-submitted")
    assert foreign(seen, live_server) == []
    assert seen["errors"] == []
