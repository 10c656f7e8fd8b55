"""Who sees what: the scope matrix of the issue, and the boundary `item_q` it rests on.

{anonymous, member of the organisation, member of a sibling organisation, member below it, supervisor, a
person in a defined range} × {society, party-internal, defined range, draft, returned}: exactly the
allowed cells answer 200 (and list the item on the board), everything else 404.
"""

import pytest
from django.urls import reverse

from branches.models import Member
from openness.models import DisclosureItem

from .conftest import draft, publish, returned

PERSONAS = ["anonymous", "tom", "sid", "alice", "victor", "rita"]
# item → visible for anonymous, member of the organisation (tom, of the town committee), member of a
# sibling organisation (sid, of the other town), member below it (alice, of branch a under the town),
# the supervisor of the town (victor), a person named in the defined range (rita, far away).
MATRIX = {
    "society": [True, True, True, True, True, True],
    "internal": [False, True, False, True, True, False],
    "range": [False, False, False, False, True, True],
    "draft": [False, False, False, False, True, False],
    "returned": [False, False, False, False, True, False],
}


@pytest.fixture
def items(tree, olga, victor, tom, sid, alice, rita):
    town = tree.town
    people = dict(olga=olga, victor=victor)
    made = {
        "society": publish(
            author=olga, reviewer=victor, approver=olga, org=town, scope="society", title="城关镇党委公开承诺"
        ),
        "internal": publish(
            author=olga,
            reviewer=victor,
            approver=olga,
            org=town,
            scope="internal",
            title="城关镇党委党费使用情况",
        ),
        "range": publish(
            author=olga,
            reviewer=victor,
            approver=olga,
            org=town,
            scope="range",
            range_members=[Member.objects.get(user=rita)],
            title="关于任同志组织关系的通知",
        ),
        "draft": draft(author=olga, org=town, scope="society", title="尚未审查的草稿"),
        "returned": returned(author=olga, reviewer=victor, org=town, scope="society", title="被退回的事项"),
    }
    return type(
        "Items",
        (),
        dict(made=made, people=people, users=dict(tom=tom, sid=sid, alice=alice, victor=victor, rita=rita)),
    )


@pytest.mark.parametrize("kind", MATRIX)
def test_exactly_the_allowed_cells_of_the_scope_matrix_are_visible(client, items, kind):
    item = items.made[kind]
    url = reverse("openness:item", args=[item.pk])
    for persona, allowed in zip(PERSONAS, MATRIX[kind], strict=True):
        client.logout()
        if persona != "anonymous":
            client.force_login(items.users[persona])
        status = client.get(url).status_code
        assert status == (200 if allowed else 404), f"{persona} on the {kind} item: {status}"


def test_the_boards_list_exactly_what_the_matrix_allows(client, items):
    current = {k for k in MATRIX if k in ("society", "internal", "range")}
    for index, persona in enumerate(PERSONAS):
        client.logout()
        if persona == "anonymous":
            response = client.get(reverse("openness:public"))
            listed = {i.pk for i in DisclosureItem.objects.all() if f'data-item="{i.pk}"' in response.text}
        else:
            client.force_login(items.users[persona])
            response = client.get(reverse("openness:board"))
            listed = {i.pk for i in response.context["page"]}
        expected = {items.made[k].pk for k in current if MATRIX[k][index]}
        assert listed == expected, persona


def test_a_probationary_member_reads_party_internal_items_but_an_applicant_does_not(
    client, tree, olga, victor, petra
):
    from tests.conftest import _persona

    applicant = _persona("andy", tree.a, category="applicant", name="安申请")
    item = publish(author=olga, reviewer=victor, approver=olga, org=tree.town, scope="internal")
    url = reverse("openness:item", args=[item.pk])
    client.force_login(petra)
    assert client.get(url).status_code == 200
    client.force_login(applicant)
    assert client.get(url).status_code == 404


def test_a_range_of_organisations_reaches_their_members_below_and_no_one_else(
    client, tree, sam, olga, victor, alice, bob
):
    item = publish(
        author=olga,
        reviewer=victor,
        approver=olga,
        org=tree.town,
        scope="range",
        range_organisations=[tree.a],
    )
    url = reverse("openness:item", args=[item.pk])
    client.force_login(alice)
    assert client.get(url).status_code == 200
    client.force_login(bob)
    assert client.get(url).status_code == 404


def test_the_secretary_of_a_branch_below_does_not_see_the_drafts_of_the_committee_above(
    client, tree, sam, olga, victor
):
    item = draft(author=olga, org=tree.town)
    client.force_login(sam)
    assert client.get(reverse("openness:item", args=[item.pk])).status_code == 404
    client.force_login(olga)
    assert client.get(reverse("openness:item", args=[item.pk])).status_code == 200


def test_a_supervisor_of_another_jurisdiction_sees_nothing_internal(client, tree, olga, victor):
    from tests.conftest import _persona

    other = _persona("wendy", tree.town2, role="supervisor", name="温监督")
    internal = publish(author=olga, reviewer=victor, approver=olga, org=tree.town, scope="internal")
    pending = draft(author=olga, org=tree.town)
    client.force_login(other)
    for item in (internal, pending):
        assert client.get(reverse("openness:item", args=[item.pk])).status_code == 404
