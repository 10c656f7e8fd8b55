"""The personas of tests/conftest.py, plus the people a proposal's course needs in branch a:

东街社区党支部 (branch a) ← sam: secretary; carl: organisation committee member (answers proposals);
                           dora: discipline committee member (纪检委员); alice, petra; mia, ned: members
"""

import datetime as dt

import pytest
from django.utils import translation

from branches import services as branch_services
from branches.models import Member
from motions import services
from tests.conftest import _persona


@pytest.fixture(autouse=True)
def english(client):
    """Chinese is the default language; these tests read the English messages (the e2e test reads Chinese)."""
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def carl(tree, sam):
    return _persona("carl", tree.a, role="organisation", name="陈组织", phone="13800000011")


@pytest.fixture
def dora(tree, sam):
    return _persona("dora", tree.a, role="discipline", name="杜纪检", phone="13800000012")


@pytest.fixture
def mia(tree):
    return _persona("mia", tree.a, name="米娅")


@pytest.fixture
def ned(tree):
    return _persona("ned", tree.a, name="倪德")


@pytest.fixture
def people(alice, sam, petra, bob, olga, victor, carl, dora, mia, ned):
    return dict(
        alice=alice,
        sam=sam,
        petra=petra,
        bob=bob,
        olga=olga,
        victor=victor,
        carl=carl,
        dora=dora,
        mia=mia,
        ned=ned,
    )


def member(user) -> Member:
    return Member.objects.get(user=user)


@pytest.fixture
def file_proposal():
    def make(
        user, *, title="修缮村道路灯", content="东街路灯损坏三处，夜间出行不便，建议尽快修复。", **kwargs
    ):
        return services.file_proposal(
            actor=user, proposer=member(user), title=title, content=content, **kwargs
        )

    return make


@pytest.fixture
def assigned_proposal(people, file_proposal):
    """alice's proposal, registered by sam and assigned to carl (the clock runs)."""

    def make(**kwargs):
        proposal = file_proposal(people["alice"], **kwargs)
        services.register_proposal(actor=people["sam"], proposal=proposal)
        services.assign_proposal(
            actor=people["sam"], proposal=proposal, responsible=member(people["carl"]), department="村委会"
        )
        return proposal

    return make


@pytest.fixture
def past_meeting(tree, sam):
    """A general meeting of branch a that has taken place (for oral answers)."""
    import time_machine
    from django.utils import timezone

    with time_machine.travel(timezone.now() - dt.timedelta(days=3)):
        meeting = branch_services.schedule_meeting(
            actor=sam,
            organisation=tree.a,
            kind="general",
            title="询问质询日会议",
            agenda="答复询问",
            starts_at=timezone.now() + dt.timedelta(days=1),
        )
    return meeting
