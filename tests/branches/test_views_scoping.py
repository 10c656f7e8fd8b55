"""Every protected page for every persona: allowed, hidden (404), forbidden (403), wrong method (405)."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from branches import services
from tests.conftest import member_of

PERSONAS = ["alice", "sam", "petra", "bob", "olga", "victor"]


@pytest.fixture
def world(request, tree, alice, sam, petra, bob, olga, victor):
    meeting = services.schedule_meeting(
        actor=None,
        organisation=tree.a,
        kind="general",
        title="第三季度党员大会",
        agenda="学习",
        starts_at=timezone.now() + dt.timedelta(days=10),
    )
    users = dict(alice=alice, sam=sam, petra=petra, bob=bob, olga=olga, victor=victor)
    return type("World", (), dict(tree=tree, meeting=meeting, users=users))


def url_for(world, name):
    t, m = world.tree, world.meeting
    alice_member = member_of(world.users["alice"])
    return {
        "org_a": reverse("branches:organisation", args=[t.a.pk]),
        "org_c": reverse("branches:organisation", args=[t.c.pk]),
        "members_a": reverse("branches:members", args=[t.a.pk]),
        "members_c": reverse("branches:members", args=[t.c.pk]),
        "member_alice": reverse("branches:member", args=[alice_member.pk]),
        "member_alice_edit": reverse("branches:member_edit", args=[alice_member.pk]),
        "member_add_a": reverse("branches:member_add", args=[t.a.pk]),
        "tree": reverse("branches:tree"),
        "meeting_new_a": reverse("branches:meeting_new", args=[t.a.pk]),
        "meeting": reverse("branches:meeting", args=[m.pk]),
        "meeting_qr": reverse("branches:meeting_qr", args=[m.pk]),
        "audit_a": reverse("branches:audit", args=[t.a.pk]),
        "roster_export_a": reverse("branches:roster_export", args=[t.a.pk]),
    }[name]


# page → expected status for alice, sam, petra, bob, olga, victor
GET_MATRIX = {
    "org_a": [200, 200, 200, 404, 200, 200],
    "org_c": [404, 404, 404, 404, 404, 404],
    "members_a": [403, 200, 403, 404, 200, 200],
    "members_c": [404, 404, 404, 404, 404, 404],
    "member_alice": [200, 200, 404, 404, 200, 200],
    "member_alice_edit": [403, 200, 404, 404, 200, 403],
    "member_add_a": [403, 200, 403, 404, 200, 403],
    "tree": [403, 200, 403, 403, 200, 200],
    "meeting_new_a": [403, 200, 403, 404, 200, 403],
    "meeting": [200, 200, 200, 404, 200, 200],
    "meeting_qr": [403, 200, 403, 404, 200, 403],
    "audit_a": [403, 200, 403, 404, 200, 200],
}


@pytest.mark.parametrize("page", GET_MATRIX)
def test_each_persona_gets_exactly_what_the_tree_allows(client, world, page):
    url = url_for(world, page)
    for persona, expected in zip(PERSONAS, GET_MATRIX[page], strict=True):
        client.force_login(world.users[persona])
        assert client.get(url).status_code == expected, f"{persona} on {page}"


@pytest.mark.parametrize("page", [*GET_MATRIX, "roster_export_a"])
def test_an_anonymous_visitor_is_sent_to_log_in(client, world, page):
    response = client.get(url_for(world, page))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_member_sees_his_own_record_through_me(client, world):
    client.force_login(world.users["alice"])
    response = client.get(reverse("branches:me"), follow=True)
    assert response.status_code == 200
    assert "艾丽斯" in response.content.decode()


POST_ONLY = [
    ("branches:meeting_action", lambda w: [w.meeting.pk, "start"]),
    ("branches:role_assign", lambda w: [w.tree.a.pk]),
    ("branches:minutes", lambda w: [w.meeting.pk]),
    ("branches:inbox_read", lambda w: []),
]


@pytest.mark.parametrize(("name", "args"), POST_ONLY)
def test_actions_refuse_get_with_405(client, world, name, args):
    client.force_login(world.users["sam"])
    assert client.get(reverse(name, args=args(world))).status_code == 405


@pytest.mark.parametrize(
    ("persona", "expected", "started"),
    [
        ("sam", 302, True),
        ("olga", 302, True),
        ("victor", 403, False),
        ("alice", 403, False),
        ("bob", 404, False),
    ],
)
def test_only_managers_start_a_meeting(client, world, persona, expected, started):
    client.force_login(world.users[persona])
    response = client.post(
        reverse("branches:meeting_action", args=[world.meeting.pk, "start"]), {"urgent_reason": "紧急事项"}
    )
    assert response.status_code == expected
    world.meeting.refresh_from_db()
    assert (world.meeting.status == "in_progress") is started


def test_an_unknown_meeting_action_is_404(client, world):
    client.force_login(world.users["sam"])
    assert (
        client.post(reverse("branches:meeting_action", args=[world.meeting.pk, "delete"])).status_code == 404
    )


@pytest.mark.parametrize(
    ("persona", "expected", "assigned"),
    [("sam", 302, True), ("victor", 403, False), ("alice", 403, False), ("bob", 404, False)],
)
def test_only_managers_assign_roles(client, world, persona, expected, assigned):
    alice_member = member_of(world.users["alice"])
    client.force_login(world.users[persona])
    response = client.post(
        reverse("branches:role_assign", args=[world.tree.a.pk]),
        {"member": alice_member.pk, "kind": "propaganda", "starts_on": "2026-01-01"},
    )
    assert response.status_code == expected
    assert alice_member.roles.filter(kind="propaganda").exists() is assigned


def test_a_secretary_cannot_act_on_a_sibling_branch(client, world):
    bob_member = member_of(world.users["bob"])
    client.force_login(world.users["sam"])
    assert client.get(reverse("branches:member", args=[bob_member.pk])).status_code == 404
    assert (
        client.post(
            reverse("branches:role_assign", args=[world.tree.b.pk]),
            {"member": bob_member.pk, "kind": "secretary", "starts_on": "2026-01-01"},
        ).status_code
        == 404
    )
    assert not bob_member.roles.exists()


def test_visible_to_is_the_boundary_of_organisation_and_member_lists(world):
    from branches.models import Member, Organisation

    t = world.tree
    names = lambda qs: set(qs.values_list("name", flat=True))  # noqa: E731
    assert names(Organisation.objects.visible_to(world.users["olga"])) == {
        "示范县委",
        "城关镇党委",
        "东街社区党支部",
        "西街社区党支部",
    }
    assert names(Organisation.objects.visible_to(world.users["alice"])) == {
        "示范县委",
        "城关镇党委",
        "东街社区党支部",
    }
    assert names(Organisation.objects.visible_to(world.users["sam"])) == {
        "示范县委",
        "城关镇党委",
        "东街社区党支部",
    }
    assert t.c.name not in names(Organisation.objects.visible_to(world.users["victor"]))
    assert names(Member.objects.visible_to(world.users["alice"])) == {"艾丽斯"}
    assert names(Member.objects.visible_to(world.users["bob"])) == {"鲍勃"}
    assert names(Member.objects.visible_to(world.users["sam"])) == {"艾丽斯", "孙书记", "裴预备"}
    assert {"艾丽斯", "鲍勃", "欧干部", "魏监督"} <= names(Member.objects.visible_to(world.users["victor"]))
    from django.contrib.auth.models import AnonymousUser

    assert not Organisation.objects.visible_to(AnonymousUser()).exists()
    assert not Member.objects.visible_to(AnonymousUser()).exists()


def test_an_ended_role_no_longer_grants_anything(client, world):
    sam_member = member_of(world.users["sam"])
    role = sam_member.roles.get()
    services.end_role(actor=None, role=role, ends_on=timezone.localdate() - dt.timedelta(days=1))
    client.force_login(world.users["sam"])
    assert client.get(reverse("branches:members", args=[world.tree.a.pk])).status_code == 403
