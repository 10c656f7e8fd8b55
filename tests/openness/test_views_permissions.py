"""Every openness page for every persona: allowed, hidden (404), forbidden (403), wrong method (405)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from openness import services
from openness.models import Feedback

from .conftest import ALL_CHECKS, draft, publish
from .test_attachments import PDF

PERSONAS = ["anonymous", "alice", "sam", "petra", "bob", "olga", "victor"]
LOGIN = "login"  # sent to the login page


@pytest.fixture
def world(tree, alice, sam, petra, bob, olga, victor):
    internal = draft(author=sam, org=tree.a, scope="internal", title="支部党内事项")
    # The attachment is added before the review, as a person would.
    services.add_attachment(actor=sam, item=internal, upload=SimpleUploadedFile("明细.pdf", PDF))
    services.submit_item(actor=sam, item=internal, reviewer=olga)
    services.pass_secrecy_review(actor=olga, item=internal, checks=ALL_CHECKS)
    services.approve_item(actor=sam, item=internal)
    internal.refresh_from_db()
    society = publish(
        author=sam, reviewer=victor, approver=olga, org=tree.a, scope="society", title="向社会公开"
    )
    pending = draft(author=sam, org=tree.a, title="草稿")
    in_review = draft(author=sam, org=tree.a, title="审查中")
    services.submit_item(actor=sam, item=in_review, reviewer=olga)
    feedback = services.give_feedback(user=alice, item=internal, kind="comment", body="意见")
    users = dict(alice=alice, sam=sam, petra=petra, bob=bob, olga=olga, victor=victor)
    return type(
        "World",
        (),
        dict(
            tree=tree,
            internal=internal,
            society=society,
            pending=pending,
            in_review=in_review,
            feedback=feedback,
            users=users,
            attachment=internal.attachments.get(),
        ),
    )


def url_for(w, name):
    return {
        "public": reverse("openness:public"),
        "feed": reverse("openness:feed"),
        "board": reverse("openness:board"),
        "item_society": reverse("openness:item", args=[w.society.pk]),
        "item_internal": reverse("openness:item", args=[w.internal.pk]),
        "item_draft": reverse("openness:item", args=[w.pending.pk]),
        "item_in_review": reverse("openness:item", args=[w.in_review.pk]),
        "edit_draft": reverse("openness:item_edit", args=[w.pending.pk]),
        "edit_published": reverse("openness:item_edit", args=[w.internal.pk]),
        "new_a": reverse("openness:item_new", args=[w.tree.a.pk]),
        "new_c": reverse("openness:item_new", args=[w.tree.c.pk]),
        "attachment": reverse("openness:attachment", args=[w.attachment.pk]),
        "manage": reverse("openness:manage"),
        "review": reverse("openness:review"),
        "catalogue": reverse("openness:catalogue"),
        "compliance": reverse("openness:compliance"),
        "compliance_export": reverse("openness:compliance_export"),
    }[name]


# page → expected status for anonymous, alice, sam, petra, bob, olga, victor
GET_MATRIX = {
    "public": [200, 200, 200, 200, 200, 200, 200],
    "feed": [200, 200, 200, 200, 200, 200, 200],
    "board": [LOGIN, 200, 200, 200, 200, 200, 200],
    "item_society": [200, 200, 200, 200, 200, 200, 200],
    "item_internal": [404, 200, 200, 200, 404, 200, 200],
    "item_draft": [404, 404, 200, 404, 404, 200, 200],
    "item_in_review": [404, 404, 200, 404, 404, 200, 200],
    "edit_draft": [LOGIN, 404, 200, 404, 404, 200, 403],
    "edit_published": [LOGIN, 403, 302, 403, 404, 302, 403],  # 302: refused, back to the item (correct it)
    "new_a": [LOGIN, 403, 200, 403, 404, 200, 403],
    "new_c": [LOGIN, 404, 404, 404, 404, 404, 404],
    "attachment": [404, 200, 200, 200, 404, 200, 200],
    "manage": [LOGIN, 403, 200, 403, 403, 200, 200],
    "review": [LOGIN, 403, 200, 403, 403, 200, 200],
    "catalogue": [LOGIN, 403, 200, 403, 403, 200, 200],
    "compliance": [LOGIN, 403, 200, 403, 403, 200, 200],
    "compliance_export": [LOGIN, 403, 200, 403, 403, 200, 200],
}


def get_as(client, world, persona, url):
    client.logout()
    if persona != "anonymous":
        client.force_login(world.users[persona])
    response = client.get(url)
    if response.status_code == 302 and response["Location"].startswith(reverse("login")):
        return LOGIN
    return response.status_code


@pytest.mark.parametrize("page", GET_MATRIX)
def test_each_persona_gets_exactly_what_the_scope_allows(client, world, page):
    url = url_for(world, page)
    for persona, expected in zip(PERSONAS, GET_MATRIX[page], strict=True):
        assert get_as(client, world, persona, url) == expected, f"{persona} on {page}"


# action → (url, data, expected for alice, sam, petra, bob, olga, victor);
# 302 = done, or refused by the service with a message
def post_matrix(w):
    item = w.internal.pk
    return {
        "submit_draft": (
            reverse("openness:item_submit", args=[w.pending.pk]),
            {"reviewer": ""},
            [404, 302, 404, 404, 302, 403],
        ),
        "secrecy_in_review": (
            reverse("openness:item_secrecy", args=[w.in_review.pk]),
            {"comment": "x"},
            [404, 403, 404, 404, 302, 403],
        ),
        "approve_published": (
            reverse("openness:item_approve", args=[item]),
            {},
            [403, 403, 403, 404, 403, 403],
        ),
        "return_published": (
            reverse("openness:item_return", args=[item]),
            {"comment": "x"},
            [403, 403, 403, 404, 403, 403],
        ),
        "correct_published": (
            reverse("openness:item_correct", args=[item]),
            {"note": ""},
            [403, 302, 403, 404, 302, 403],
        ),
        "archive_published": (
            reverse("openness:item_archive", args=[item]),
            {},
            [403, 302, 403, 404, 302, 403],
        ),
        "attach_to_draft": (
            reverse("openness:attachment_add", args=[w.pending.pk]),
            {},
            [404, 302, 404, 404, 302, 403],
        ),
        "detach_from_published": (
            reverse("openness:attachment_delete", args=[w.attachment.pk]),
            {},
            [403, 302, 403, 404, 302, 403],
        ),
        "feedback_internal": (
            reverse("openness:feedback_add", args=[item]),
            {"kind": "comment", "body": ""},
            [302, 302, 302, 404, 302, 302],
        ),
        "answer_feedback": (
            reverse("openness:feedback_answer", args=[w.feedback.pk]),
            {"answer": ""},
            [403, 302, 404, 404, 302, 403],
        ),
    }


def test_each_action_is_allowed_hidden_or_forbidden_per_persona(client, world):
    for action, (url, data, expected) in post_matrix(world).items():
        for persona, status in zip(PERSONAS[1:], expected, strict=True):
            client.force_login(world.users[persona])
            got = client.post(url, data).status_code
            assert got == status, f"{persona} on {action}: {got}"


def test_a_draft_is_discarded_by_its_managers_only(client, world):
    url = reverse("openness:item_discard", args=[world.pending.pk])
    for persona, status in [
        ("alice", 404),
        ("petra", 404),
        ("bob", 404),
        ("victor", 403),
        ("olga", 302),
        ("sam", 404),
    ]:  # gone once olga discarded it
        client.force_login(world.users[persona])
        assert client.post(url).status_code == status, persona


def test_actions_send_an_anonymous_visitor_to_log_in(client, world):
    for action, (url, data, _expected) in post_matrix(world).items():
        response = client.post(url, data)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login")), action


def test_actions_answer_405_to_a_get(client, world):
    client.force_login(world.users["sam"])
    for action, (url, _data, _expected) in post_matrix(world).items():
        assert client.get(url).status_code == 405, action


@pytest.mark.parametrize(
    "page", ["public", "feed", "item_society", "attachment", "board", "manage", "compliance"]
)
def test_reading_pages_answer_405_to_a_post(client, world, page):
    client.force_login(world.users["olga"])
    assert client.post(url_for(world, page)).status_code == 405


def test_nothing_changed_through_the_refused_actions(client, world):
    test_each_action_is_allowed_hidden_or_forbidden_per_persona(client, world)
    world.internal.refresh_from_db()
    assert world.internal.status == "published"
    assert world.internal.attachments.count() == 1
    assert Feedback.objects.count() == 1  # empty bodies are refused by the form
