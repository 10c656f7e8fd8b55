"""Every protected view of the app for every persona: allowed, hidden (404), forbidden (403), wrong
method (405)."""

import pytest
from django.urls import reverse

from branches.models import AuditLog
from motions import services

from .conftest import member

PERSONAS = ["alice", "sam", "petra", "bob", "olga", "victor", "carl"]


@pytest.fixture
def world(people, assigned_proposal, tree):
    proposal = assigned_proposal()
    inquiry = services.file_inquiry(
        actor=people["alice"],
        author=member(people["alice"]),
        kind="ask",
        subject="党费",
        questions="党费怎么用？",
    )
    topic = services.put_forward_topic(
        actor=people["sam"], organisation=tree.a, title="集体收入分配", description="讨论", source="branch"
    )
    return dict(proposal=proposal, inquiry=inquiry, topic=topic, tree=tree)


def page(world, name):
    t, p, i, topic = world["tree"], world["proposal"], world["inquiry"], world["topic"]
    return {
        "proposal": reverse("motions:proposal", args=[p.pk]),
        "inquiry": reverse("motions:inquiry", args=[i.pk]),
        "topic": reverse("motions:topic", args=[topic.pk]),
        "board_a": reverse("motions:proposals") + f"?org={t.a.pk}",
        "board_c": reverse("motions:proposals") + f"?org={t.c.pk}",
        "inquiries_a": reverse("motions:inquiries") + f"?org={t.a.pk}",
        "record_a": reverse("motions:proposal_record", args=[t.a.pk]),
        "topic_new_a": reverse("motions:topic_new", args=[t.a.pk]),
        "inquiry_days_a": reverse("motions:inquiry_days", args=[t.a.pk]),
        "proposal_export": reverse("motions:proposal_export"),
        "inquiry_export": reverse("motions:inquiry_export"),
        "proposal_new": reverse("motions:proposal_new"),
        "home": reverse("motions:home"),
    }[name]


# page → expected status for alice, sam, petra, bob, olga, victor, carl
GET_MATRIX = {
    "proposal": [200, 200, 200, 404, 200, 200, 200],
    "inquiry": [200, 200, 200, 404, 200, 200, 200],
    "topic": [200, 200, 200, 404, 200, 200, 200],
    "board_a": [200, 200, 200, 404, 200, 200, 200],
    "board_c": [404, 404, 404, 404, 404, 404, 404],
    "inquiries_a": [200, 200, 200, 404, 200, 200, 200],
    "record_a": [403, 200, 403, 404, 200, 403, 200],
    "topic_new_a": [403, 200, 403, 404, 200, 403, 200],
    "inquiry_days_a": [200, 200, 200, 404, 200, 200, 200],
    "proposal_export": [403, 200, 403, 403, 200, 200, 200],
    "inquiry_export": [403, 200, 403, 403, 200, 200, 200],
    "proposal_new": [200, 200, 200, 200, 200, 200, 200],
    "home": [200, 200, 200, 200, 200, 200, 200],
}


@pytest.mark.parametrize("name", GET_MATRIX)
def test_each_persona_gets_exactly_what_the_tree_allows(client, people, world, name):
    url = page(world, name)
    for persona, expected in zip(PERSONAS, GET_MATRIX[name], strict=True):
        client.force_login(people[persona])
        assert client.get(url).status_code == expected, f"{persona} on {name}"


@pytest.mark.parametrize("name", GET_MATRIX)
def test_an_anonymous_visitor_is_sent_to_log_in(client, world, name):
    response = client.get(page(world, name))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_a_member_of_another_branch_does_not_see_the_proposal_on_the_board(client, people, world):
    client.force_login(people["bob"])
    assert world["proposal"].title not in client.get(reverse("motions:proposals")).content.decode()


# --- actions --------------------------------------------------------------------------------------


def submitted(people, **_):
    return services.file_proposal(
        actor=people["alice"], proposer=member(people["alice"]), title="修路", content="修路"
    )


def assigned(people, assigned_proposal, **_):
    return assigned_proposal()


def answered(people, assigned_proposal, **_):
    proposal = assigned_proposal()
    services.answer_proposal(actor=people["carl"], proposal=proposal, outcome="adopted", reasons="已修复")
    return proposal


ACTIONS = {
    # action: (state builder, POST data, expected for alice, sam, petra, bob, olga, victor, carl)
    "proposal_register": (submitted, {}, [403, 302, 403, 404, 302, 403, 302]),
    "proposal_decline": (
        submitted,
        {"decline-reason": "不属于支部职责"},
        [403, 302, 403, 404, 302, 403, 302],
    ),
    "proposal_answer": (
        assigned,
        {"outcome": "adopted", "reasons": "已修复"},
        [403, 302, 403, 404, 302, 403, 302],
    ),
    "proposal_progress": (assigned, {"text": "已联系"}, [403, 302, 403, 404, 302, 403, 302]),
    "proposal_extend": (assigned, {"days": 3, "reason": "等待拨款"}, [403, 302, 403, 404, 302, 403, 302]),
    "proposal_rate": (answered, {"rating": "satisfied"}, [302, 403, 403, 404, 403, 403, 403]),
}


@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("action", ACTIONS)
def test_each_persona_may_take_exactly_his_actions(client, people, assigned_proposal, action, persona):
    build, data, expected = ACTIONS[action]
    proposal = build(people=people, assigned_proposal=assigned_proposal)
    audit = AuditLog.objects.filter(object_id=str(proposal.pk), content_type__model="proposal")
    before = audit.count()
    client.force_login(people[persona])
    response = client.post(reverse(f"motions:{action}", args=[proposal.pk]), data)
    wanted = expected[PERSONAS.index(persona)]
    assert response.status_code == wanted, response.content.decode()[:500]
    assert (audit.count() > before) == (wanted == 302), "written iff allowed"


@pytest.mark.parametrize("action", ACTIONS)
def test_an_action_answers_get_with_405(client, people, world, action):
    client.force_login(people["sam"])
    assert client.get(reverse(f"motions:{action}", args=[world["proposal"].pk])).status_code == 405


@pytest.mark.parametrize("name", ["proposal", "inquiry", "topic"])
def test_a_page_answers_post_with_405(client, people, world, name):
    client.force_login(people["sam"])
    assert client.post(page(world, name)).status_code == 405


def test_the_inquiry_actions_follow_the_same_rules(client, people, world):
    inquiry = world["inquiry"]
    url = reverse("motions:inquiry_answer", args=[inquiry.pk])
    data = {"mode": "written", "text": "用于教育"}
    for persona, expected in [("bob", 404), ("alice", 403), ("victor", 403), ("sam", 302)]:
        client.force_login(people[persona])
        assert client.post(url, data).status_code == expected, persona
    rate = reverse("motions:inquiry_rate", args=[inquiry.pk])
    for persona, expected in [("bob", 404), ("sam", 403), ("alice", 302)]:
        client.force_login(people[persona])
        assert client.post(rate, {"satisfied": "1"}).status_code == expected, persona


def test_the_topic_actions_are_the_committees(client, people, world):
    url = reverse("motions:topic_review", args=[world["topic"].pk])
    for persona, expected in [("bob", 404), ("alice", 403), ("victor", 403), ("sam", 302)]:
        client.force_login(people[persona])
        assert client.post(url, {"accept": "1"}).status_code == expected, persona
