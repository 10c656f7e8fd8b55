"""The boards: at most 5 queries whatever the number of items (10 and 1,000), the anonymous board cached
with a new publication showing within 30 s, the Atom feed, rich text sanitised, open meetings with the
sign-up to sit in."""

import datetime as dt
import re
import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from branches import services as branch_services
from openness import boardcache, richtext
from openness.models import DisclosureItem

from .conftest import draft, publish, through_review

# The cost of being signed in, the same on every page of the site: the session (read, and saved on every
# request with its savepoints), the user, his member record and roles (the scope), the unread count.
OVERHEAD = re.compile(
    r'^(SAVEPOINT|RELEASE SAVEPOINT)|FROM "django_session"|UPDATE "django_session"'
    r'|^SELECT .* FROM "branches_user"|FROM "branches_member" .*"branches_member"."user_id" = '
    r'|FROM "branches_role"|FROM "branches_notification"'
)


def board_queries(captured) -> list[str]:
    return [q["sql"] for q in captured.captured_queries if not OVERHEAD.search(q["sql"])]


def bulk_items(org, n: int, *, scope="society") -> None:
    """Published items straight into the table, for volume (the procedure is tested elsewhere)."""
    now = timezone.now()
    DisclosureItem.objects.bulk_create(
        DisclosureItem(
            organisation=org,
            category=("daily", "plans", "organisation")[i % 3],
            title=f"公开事项 {i}",
            body=f"<p>第 {i} 项</p>",
            scope=scope,
            status="published",
            published_at=now - dt.timedelta(minutes=i),
        )
        for i in range(n)
    )


@pytest.fixture
def private_cache(settings):
    """The real Redis, in a key space of this test alone: other test runs on the machine flush the shared
    test database (tests/conftest.py clears the cache before each test) and would evict what is measured."""
    location = re.sub(r"/\d+$", "/13", settings.CACHES["default"]["LOCATION"])
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": location,
            "KEY_PREFIX": f"openness-test-{uuid.uuid4().hex}",
        }
    }


@pytest.fixture
def meeting(tree, sam):
    return branch_services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="开放式党员大会",
        agenda="一、讨论年度计划\n二、征求意见",
        starts_at=timezone.now() + dt.timedelta(days=5),
        location="社区会议室",
        is_open=True,
    )


@pytest.mark.parametrize("n", [10, 1000])
def test_the_anonymous_board_needs_at_most_five_queries_whatever_the_number_of_items(
    client, tree, meeting, n
):
    bulk_items(tree.a, n)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("openness:public"))
    assert response.status_code == 200
    assert len(captured.captured_queries) <= 5, [q["sql"][:120] for q in captured.captured_queries]
    assert response.text.count('data-testid="board-item"') == min(n, 20)
    assert f"{n}" in response.text  # the count, from the paginator


@pytest.mark.parametrize("n", [10, 1000])
def test_the_member_board_needs_at_most_five_queries_of_its_own(client, tree, alice, meeting, n):
    bulk_items(tree.a, n // 2, scope="society")
    bulk_items(tree.town, n - n // 2, scope="internal")
    client.force_login(alice)
    client.get(reverse("openness:board"))  # warm the content types and translations
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("openness:board") + "?category=daily")
    own = board_queries(captured)
    assert len(own) <= 5, own
    assert len(captured.captured_queries) - len(own) <= 8  # the sign-in overhead of every page
    assert response.context["page"].paginator.count == len([i for i in range(n // 2) if i % 3 == 0]) + len(
        [i for i in range(n - n // 2) if i % 3 == 0]
    )


def test_board_queries_are_the_same_for_10_and_1000_items(client, tree, victor):
    client.force_login(victor)
    counts = []
    for n in (10, 990):
        bulk_items(tree.a, n)
        client.get(reverse("openness:board"))
        with CaptureQueriesContext(connection) as captured:
            client.get(reverse("openness:board"))
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_the_anonymous_board_is_served_from_the_cache(client, tree, private_cache):
    bulk_items(tree.a, 3)
    client.get(reverse("openness:public"))
    with CaptureQueriesContext(connection) as captured:
        response = client.get(reverse("openness:public"))
    assert len(captured.captured_queries) == 0
    assert response.text.count('data-testid="board-item"') == 3


def test_a_newly_published_item_shows_on_the_cached_board_at_once(
    private_cache, client, tree, sam, olga, django_capture_on_commit_callbacks
):
    client.get(reverse("openness:public"))  # cached, empty
    with django_capture_on_commit_callbacks(execute=True):
        item = publish(
            author=sam, reviewer=olga, approver=olga, org=tree.a, scope="society", title="新公开事项"
        )
    assert f'data-item="{item.pk}"' in client.get(reverse("openness:public")).text


def test_a_change_that_bypassed_the_services_shows_within_thirty_seconds(
    client, tree, time_machine, private_cache
):
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC), tick=False)
    client.get(reverse("openness:public"))  # cached, empty
    bulk_items(tree.a, 1)  # no bump of the board version
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, 29, tzinfo=dt.UTC), tick=False)
    assert 'data-testid="board-item"' not in client.get(reverse("openness:public")).text  # still cached
    time_machine.move_to(dt.datetime(2026, 3, 2, 9, 0, 31, tzinfo=dt.UTC), tick=False)
    assert 'data-testid="board-item"' in client.get(reverse("openness:public")).text


def test_the_cache_key_follows_the_board_version(db, django_capture_on_commit_callbacks):
    before = boardcache.key("public", "zh-hans")
    with django_capture_on_commit_callbacks(execute=True):
        boardcache.bump()
    assert boardcache.key("public", "zh-hans") != before


def test_the_public_board_filters_and_searches(client, tree, sam, olga):
    publish(
        author=sam,
        reviewer=olga,
        approver=olga,
        org=tree.a,
        scope="society",
        title="党费收缴",
        category="daily",
    )
    publish(
        author=sam,
        reviewer=olga,
        approver=olga,
        org=tree.a,
        scope="society",
        title="年度计划",
        category="plans",
    )
    text = client.get(reverse("openness:public") + "?category=plans").text
    assert "年度计划" in text and "党费收缴" not in text
    text = client.get(reverse("openness:public") + "?q=党费").text
    assert "党费收缴" in text and "年度计划" not in text
    text = client.get(reverse("openness:public") + f"?organisation={tree.b.pk}").text
    assert "党费收缴" not in text


def test_the_board_shows_open_meetings_with_the_sign_up_to_sit_in(client, tree, bob, meeting):
    text = client.get(reverse("openness:public")).text
    assert "开放式党员大会" in text and "二、征求意见" in text
    assert f"{reverse('login')}?next={reverse('branches:meeting', args=[meeting.pk])}" in text
    client.force_login(bob)
    text = client.get(reverse("openness:board")).text
    assert reverse("branches:meeting", args=[meeting.pk]) in text
    response = client.post(reverse("branches:sit_in", args=[meeting.pk]), {"reason": "学习"})
    assert response.status_code == 302
    assert meeting.sit_in_requests.filter(applicant=bob).exists()


def test_the_atom_feed_lists_public_items_only(client, tree, sam, olga, victor):
    public = publish(
        author=sam, reviewer=victor, approver=olga, org=tree.a, scope="society", title="公开的事项"
    )
    publish(author=sam, reviewer=olga, approver=sam, org=tree.a, scope="internal", title="党内的事项")
    draft(author=sam, org=tree.a, scope="society", title="草稿事项")
    response = client.get(reverse("openness:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    text = response.content.decode()
    assert "公开的事项" in text and "党内的事项" not in text and "草稿事项" not in text
    assert reverse("openness:item", args=[public.pk]) in text


def test_rich_text_is_sanitised_on_write_and_on_render(client, tree, sam, olga):
    evil = (
        '<p onclick="steal()">正文<script>alert(1)</script><a href="javascript:alert(1)">链接</a></p>'
        '<table style="x"><tr><td colspan="2">一</td></tr></table><img src=x onerror=alert(1)>'
        '<iframe src="https://evil.example"></iframe>'
    )
    item = publish(author=sam, reviewer=olga, approver=olga, org=tree.a, scope="society", body=evil)
    assert "script" not in item.body and "onclick" not in item.body and "javascript:" not in item.body
    assert "<img" not in item.body and "iframe" not in item.body and "style=" not in item.body
    assert '<td colspan="2">一</td>' in item.body
    assert '<table class="table table-sm table-bordered">' in item.body
    body = client.get(reverse("openness:item", args=[item.pk])).text
    assert "alert(1)" not in body and "steal()" not in body


def test_the_render_filter_cleans_a_body_written_around_the_services():
    assert richtext.sanitise("<p>x</p><script>alert(1)</script>") == "<p>x</p>"
    assert richtext.from_text_or_html("第一行\n第二行 <b") == "<p>第一行<br>第二行 &lt;b</p>"


def test_pages_carry_no_inline_script_or_style(client, tree, sam, olga, meeting):
    item = publish(author=sam, reviewer=olga, approver=olga, org=tree.a, scope="society")
    client.force_login(sam)
    for url in (
        reverse("openness:public"),
        reverse("openness:board"),
        reverse("openness:item", args=[item.pk]),
        reverse("openness:manage"),
        reverse("openness:compliance"),
        reverse("openness:item_new", args=[tree.a.pk]),
    ):
        text = client.get(url).text
        assert not re.search(
            r"<script(?![^>]*\bsrc=)[^>]*>(?!\s*</script>)", text.replace('type="application/json"', "")
        ), url
        assert " style=" not in text, url


def test_a_pending_item_page_is_never_cached_by_the_browser(client, tree, sam, olga):
    item = draft(author=sam, org=tree.a)
    through_review(item, author=sam, reviewer=olga)
    client.force_login(sam)
    assert "no-store" in client.get(reverse("openness:item", args=[item.pk]))["Cache-Control"]


def test_the_public_board_answers_when_the_cache_server_is_down(client, tree, settings):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    bulk_items(tree.a, 2)
    response = client.get(reverse("openness:public"))
    assert response.status_code == 200
    assert response.text.count('data-testid="board-item"') == 2


def test_the_board_shows_how_many_attachments_an_item_has(client, tree, sam, olga):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from openness import services

    from .test_attachments import PDF

    item = draft(author=sam, org=tree.a, scope="society")
    services.add_attachment(actor=sam, item=item, upload=SimpleUploadedFile("a.pdf", PDF))
    services.add_attachment(actor=sam, item=item, upload=SimpleUploadedFile("b.pdf", PDF))
    through_review(item, author=sam, reviewer=olga)
    services.approve_item(actor=olga, item=item)
    client.force_login(sam)
    [listed] = client.get(reverse("openness:board")).context["page"]
    assert listed.attachment_count == 2
