"""Structure warnings only where they apply, and a committee listed in rank order (书记, 副书记, members)."""

import datetime as dt

import pytest
from django.urls import reverse

from branches import services
from branches.selectors import committee_of
from tests.conftest import MemberFactory, _persona


@pytest.fixture
def committee(tree):
    """Branch a's committee, the roles given in the wrong order on purpose."""
    made = {}
    for kind, name in [
        ("committee_member", "阿委员"),
        ("propaganda", "白宣传"),
        ("deputy_secretary", "蔡副书记"),
        ("organisation", "丁组织"),
        ("secretary", "赵书记"),
    ]:
        member = MemberFactory(organisation=tree.a, name=name, category="full")
        services.assign_role(
            actor=None, member=member, organisation=tree.a, kind=kind, starts_on=dt.date(2024, 1, 1)
        )
        made[kind] = member
    return made


def test_the_committee_is_listed_secretary_deputy_then_members(tree, committee):
    kinds = [role.kind for role in committee_of(tree.a)]
    assert kinds[:2] == ["secretary", "deputy_secretary"]
    assert set(kinds[2:]) == {"organisation", "propaganda", "committee_member"}


def test_the_organisation_page_lists_the_secretary_first(client, tree, committee, olga):
    client.force_login(olga)
    html = client.get(reverse("branches:organisation", args=[tree.a.pk])).content.decode()
    assert html.index("赵书记") < html.index("蔡副书记") < html.index("阿委员")


def test_a_county_committee_shows_no_branch_size_warning(client, tree):
    officer = _persona("cora", tree.county, role="secretary", name="曹县委书记")
    client.force_login(officer)
    page = client.get(reverse("branches:organisation", args=[tree.county.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    html = page.content.decode()
    # One full member in the county committee's own roll: a branch would be told it needs three.
    assert "full members" not in html
    assert "deputy secretary;" not in html


def test_a_branch_still_gets_its_size_warning(client, tree, sam):
    client.force_login(sam)
    html = client.get(reverse("branches:organisation", args=[tree.a.pk]), HTTP_ACCEPT_LANGUAGE="en").content
    assert "at least 3 full members" in html.decode()
