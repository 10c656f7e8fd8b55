"""Fixed personas (healthchecks style) on a small tree:

县委 county (committee)          ← olga: higher-committee officer; victor: supervisor
  └ 城关镇党委 town (committee)
      ├ 东街社区党支部 branch_a  ← sam: secretary; alice: member; petra: probationary
      └ 西街社区党支部 branch_b  ← bob: member of another branch
  └ 河口镇党委 town2
      └ 河口村党支部 branch_c
"""

import datetime as dt

import pytest
from django.core.cache import cache

from branches import services
from branches.models import Member, Organisation
from tests.factories import MemberFactory, OrganisationFactory, UserFactory


def clear_cache() -> None:
    """Empty this run's part of the cache (its key prefix), not the whole Redis database: another test run
    on the machine keeps its keys."""
    client = cache._cache.get_client(write=True)
    keys = list(client.scan_iter(match=cache.make_key("*"), count=1000))
    if keys:
        client.delete(*keys)


@pytest.fixture(autouse=True)
def _clear_cache():
    clear_cache()
    yield


@pytest.fixture(autouse=True, scope="session")
def _leave_no_cache_keys_behind():
    yield
    clear_cache()  # the run's prefix is its own: nobody else would ever clear these keys


@pytest.fixture
def tree(db):
    county = OrganisationFactory(name="示范县委", kind="committee", unit_type="organ")
    town = OrganisationFactory(name="城关镇党委", kind="committee", unit_type="organ", parent=county)
    town2 = OrganisationFactory(name="河口镇党委", kind="committee", unit_type="organ", parent=county)
    branch_a = OrganisationFactory(name="东街社区党支部", parent=town, unit_type="community")
    branch_b = OrganisationFactory(name="西街社区党支部", parent=town, unit_type="community")
    branch_c = OrganisationFactory(name="河口村党支部", parent=town2, unit_type="village")
    return type("Tree", (), dict(county=county, town=town, town2=town2, a=branch_a, b=branch_b, c=branch_c))


def _persona(username, org, *, category="full", role=None, role_org=None, name=None, phone=None):
    user = UserFactory(username=username)
    member = MemberFactory(organisation=org, category=category, user=user, name=name or username, phone=phone)
    if role:
        services.assign_role(
            actor=None, member=member, organisation=role_org or org, kind=role, starts_on=dt.date(2024, 1, 1)
        )
    return user


@pytest.fixture
def alice(tree):
    return _persona("alice", tree.a, name="艾丽斯", phone="13800000001")


@pytest.fixture
def sam(tree):
    return _persona("sam", tree.a, role="secretary", name="孙书记", phone="13800000002")


@pytest.fixture
def petra(tree):
    return _persona("petra", tree.a, category="probationary", name="裴预备")


@pytest.fixture
def bob(tree):
    return _persona("bob", tree.b, name="鲍勃")


@pytest.fixture
def olga(tree):
    """An officer of the town committee: acts on branches a and b, not c."""
    return _persona("olga", tree.town, role="officer", name="欧干部")


@pytest.fixture
def victor(tree):
    """A supervisor of the town committee's jurisdiction."""
    return _persona("victor", tree.town, role="supervisor", name="魏监督")


@pytest.fixture
def client_for(client):
    def login(user):
        client.force_login(user)
        return client

    return login


def member_of(user) -> Member:
    return Member.objects.get(user=user)


__all__ = ["Organisation", "member_of"]
