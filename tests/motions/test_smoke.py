"""Every page of the app renders for the people who use it (a first line of defence for templates)."""

import pytest
from django.urls import reverse

from motions import services

from .conftest import member


@pytest.fixture
def world(people, assigned_proposal, past_meeting, tree):
    proposal = assigned_proposal()
    inquiry = services.file_inquiry(
        actor=people["alice"],
        author=member(people["alice"]),
        kind="ask",
        subject="党费使用",
        questions="今年党费如何使用？",
    )
    report = services.file_report(
        actor=people["mia"],
        reporter=member(people["mia"]),
        kind="accusation",
        content="某某收受礼品。",
        accused=member(people["sam"]),
    )
    topic = services.put_forward_topic(
        actor=people["sam"],
        organisation=tree.a,
        title="村集体收入分配",
        description="讨论分配方案",
        source="branch",
    )
    return dict(proposal=proposal, inquiry=inquiry, report=report, topic=topic)


@pytest.mark.parametrize("persona", ["alice", "sam", "carl", "dora", "olga", "victor"])
def test_the_pages_render(client, people, world, tree, persona):
    client.force_login(people[persona])
    urls = [
        reverse("motions:home"),
        reverse("motions:proposals"),
        reverse("motions:inquiries"),
        reverse("motions:topics"),
        reverse("motions:reports"),
        reverse("motions:proposal", args=[world["proposal"].pk]),
        reverse("motions:inquiry", args=[world["inquiry"].pk]),
        reverse("motions:topic", args=[world["topic"].pk]),
        reverse("motions:inquiry_days", args=[tree.a.pk]),
    ]
    if persona in ("alice", "sam", "carl", "dora"):
        urls += [
            reverse("motions:proposal_new"),
            reverse("motions:inquiry_new"),
            reverse("motions:report_new"),
        ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
