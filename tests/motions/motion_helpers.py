"""Motions built through the real services, step by step, and voted through the real ballot engine.

Branch a (东街社区党支部): sam (secretary, the committee of one), alice, petra (probationary, never votes),
and `extra` more full members with logins (v0, v1, …). The general meeting is scheduled 4 days ahead
(materials must go out 3 days before), then started on its day for the vote (`start_on_its_day`: a meeting
starts on its scheduled day, and the 3 days count to its real start).
"""

from __future__ import annotations

import datetime as dt
import itertools

import time_machine
from django.utils import timezone

from ballots import services as engine
from branches import services as branch_services
from branches.models import Member
from motions import services
from tests.factories import MemberFactory, UserFactory

PASSPHRASES = ["scrutineer-one", "scrutineer-two", "scrutineer-three"]
_seq = itertools.count(1)


def voters(org, n: int, prefix: str = "v") -> list[Member]:
    tag = next(_seq)
    return [
        MemberFactory(
            organisation=org, name=f"党员{prefix}{tag}-{i}", user=UserFactory(username=f"{prefix}{tag}x{i}")
        )
        for i in range(n)
    ]


def general_meeting(org, actor, *, days_ahead: float = 4):
    return branch_services.schedule_meeting(
        actor=actor,
        organisation=org,
        kind="general",
        title="支部党员大会",
        agenda="票决",
        location="二楼",
        starts_at=timezone.now() + dt.timedelta(days=days_ahead),
    )


def draft(org, actor, *, category="major_affairs", title="村集体资产租赁方案", **kwargs):
    return services.create_motion(
        actor=actor,
        organisation=org,
        title=title,
        text="拟将村集体闲置厂房对外公开租赁，租期三年。",
        category=category,
        **kwargs,
    )


def to_circulated(motion, actor, meeting):
    if motion.status in ("draft", "postponed"):
        services.record_committee_discussion(
            actor=actor, motion=motion, present=1, decision="同意提交党员大会票决"
        )
    if motion.four_two and not motion.joint_deliberation:
        services.record_joint_deliberation(actor=actor, motion=motion, text="两委联席会议商议同意")
    return services.circulate_materials(
        actor=actor, motion=motion, meeting=meeting, materials="租赁方案全文及测算"
    )


def start_on_its_day(meeting, actor):
    """Start the general meeting at its scheduled time (the clock moved there for the start alone)."""
    with time_machine.travel(meeting.starts_at, tick=False):
        return branch_services.start_meeting(actor=actor, meeting=meeting)


def sign_in(meeting, actor, members):
    for m in members:
        branch_services.sign_in(actor=actor, meeting=meeting, member=m, method="secretary")


def to_voting(motion, actor, *, present, secrecy="secret"):
    """Start the meeting (if needed), sign in `present`, record the discussion, put to the vote, name two
    scrutineers among those present, seal and open the poll. Returns the MotionVote."""
    meeting = motion.meeting
    meeting.refresh_from_db()
    if meeting.status == "scheduled":
        start_on_its_day(meeting, actor)
    sign_in(meeting, actor, present)
    motion.refresh_from_db()
    if motion.status in ("circulated", "heard"):
        services.record_meeting_discussion(actor=actor, motion=motion, discussion="与会党员充分讨论")
    vote = services.put_to_vote(actor=actor, motion=motion, secrecy=secrecy)
    poll = vote.poll
    scrutineers = [engine.add_scrutineer(actor=actor, poll=poll, member=m) for m in present[:2]]
    engine.seal_box(
        actor=actor, poll=poll, passphrases={s.pk: PASSPHRASES[i] for i, s in enumerate(scrutineers)}
    )
    engine.open_poll(actor=actor, poll=poll)
    vote.poll.refresh_from_db()
    return vote


def cast(vote, members_and_choices):
    poll = vote.poll
    option = str(poll.options.get().pk)
    for member, choice in members_and_choices:
        engine.cast_ballot(
            user=member.user,
            poll=poll,
            marks={option: choice} if choice else {},
            write_ins=[],
            idempotency_key=f"key-{poll.pk}-{member.pk}-0123456789abcdef",
        )


def count_and_announce(vote, actor):
    poll = vote.poll
    engine.close_poll(actor=actor, poll=poll)
    passphrases = {s.pk: PASSPHRASES[i] for i, s in enumerate(poll.scrutineers.order_by("pk")[:2])}
    engine.count_poll(actor=actor, poll=poll, passphrases=passphrases)
    return services.announce_outcome(actor=actor, motion=vote.motion)


def run_vote(motion, actor, *, present, votes_for, against=None, secrecy="secret"):
    """A whole vote: `votes_for` of `present` vote for, the rest (or `against`) against."""
    vote = to_voting(motion, actor, present=present, secrecy=secrecy)
    choices = [(m, "for") for m in present[:votes_for]]
    rest = present[votes_for:]
    choices += [(m, "against") for m in (rest if against is None else rest[:against])]
    cast(vote, choices)
    return count_and_announce(vote, actor)


def make_branch(tree, sam, alice, petra):
    """sam, alice (full), petra (probationary) and 4 more full members: 应到 6 voting members."""
    extra = voters(tree.a, 4)
    return type(
        "Branch",
        (),
        dict(
            org=tree.a,
            sam=sam,
            alice=alice,
            petra=petra,
            voting=[Member.objects.get(user=sam), Member.objects.get(user=alice), *extra],
            extra=extra,
        ),
    )
