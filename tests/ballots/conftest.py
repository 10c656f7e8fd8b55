"""Fixtures of the ballot engine: a branch meeting under way, and polls built through the real services.

东街社区党支部 (tree.a): sam (secretary), alice, petra (probationary), and 孙/李/周/吴/郑 (m1–m5, full
members with logins). All full members and petra are signed in, so the roll is 7 and all 7 are present.
"""

import datetime as dt

import pytest
from django.utils import timezone

from ballots import services
from branches import services as branch_services
from tests.factories import MemberFactory, UserFactory

PASSPHRASES = ["scrutineer-one", "scrutineer-two", "scrutineer-three"]
EXTRA = [("m1", "王一"), ("m2", "李二"), ("m3", "张三"), ("m4", "周四"), ("m5", "吴五")]


@pytest.fixture
def members(tree, sam, alice, petra):
    """name → Member for the personas of branch a and five more full members."""
    from branches.models import Member

    for username, name in EXTRA:
        MemberFactory(organisation=tree.a, name=name, user=UserFactory(username=username))
    return {m.user.username if m.user else m.name: m for m in Member.objects.filter(organisation=tree.a)}


def start_meeting(org, actor, *, kind="general", sign_in=None):
    meeting = branch_services.schedule_meeting(
        actor=actor,
        organisation=org,
        kind=kind,
        title="支部党员大会",
        agenda="选举",
        location="二楼",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    meeting = branch_services.start_meeting(actor=actor, meeting=meeting)
    for member in sign_in or []:
        branch_services.sign_in(actor=actor, meeting=meeting, member=member, method="secretary")
    return meeting


@pytest.fixture
def meeting(tree, sam, members):
    return start_meeting(tree.a, sam, sign_in=list(members.values()))


def make_poll(
    meeting,
    actor,
    *,
    kind="candidates",
    options=(),
    seats=1,
    scrutineers=(),
    seal=True,
    open_=True,
    secrecy="secret",
    allow_write_in=False,
    scale=None,
    **kwargs,
):
    poll = services.create_poll(
        actor=actor,
        meeting=meeting,
        title="选举支部委员",
        kind=kind,
        secrecy=secrecy,
        seats=seats,
        allow_write_in=allow_write_in,
        scale=scale,
        **kwargs,
    )
    for option in options:
        if isinstance(option, str):
            services.add_option(actor=actor, poll=poll, label=option)
        else:
            services.add_option(actor=actor, poll=poll, member=option)
    scrutineer_rows = [services.add_scrutineer(actor=actor, poll=poll, member=m) for m in scrutineers]
    if seal and scrutineer_rows:
        services.seal_box(
            actor=actor, poll=poll, passphrases={s.pk: PASSPHRASES[i] for i, s in enumerate(scrutineer_rows)}
        )
    if open_:
        services.open_poll(actor=actor, poll=poll)
    poll.refresh_from_db()
    return poll


def passphrases_of(poll, n=2):
    return {s.pk: PASSPHRASES[i] for i, s in enumerate(poll.scrutineers.order_by("pk")[:n])}


@pytest.fixture
def election(meeting, sam, members):
    """2 seats, candidates 王一 李二 张三 with write-ins; scrutineers 周四 and 吴五; open."""
    return make_poll(
        meeting,
        sam,
        options=[members["m1"], members["m2"], members["m3"]],
        seats=2,
        scrutineers=[members["m4"], members["m5"]],
        allow_write_in=True,
    )


@pytest.fixture
def motion(meeting, sam, members):
    return make_poll(
        meeting,
        sam,
        kind="motion",
        options=["关于接收预备党员的决议"],
        scrutineers=[members["m4"], members["m5"]],
    )


def option_ids(poll):
    return [str(pk) for pk in poll.options.order_by("position").values_list("pk", flat=True)]


def crowd(org, n, prefix="voter"):
    """n more full members of `org`, each with a login."""
    return [
        MemberFactory(organisation=org, name=f"群众{prefix}{i}", user=UserFactory(username=f"{prefix}{i}"))
        for i in range(n)
    ]


def sealed_count(poll) -> int:
    """The poll's sealed ballots wherever they are: in the box, or in the inbox waiting for the mixer."""
    from ballots.models import Ballot, BallotInbox

    return Ballot.objects.filter(poll=poll).count() + BallotInbox.objects.filter(poll=poll).count()
