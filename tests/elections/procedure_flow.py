"""Building blocks of the 公推直选 tests: each step through the real services, so no test reaches a state the
procedure could not reach. Used by the end-to-end test, the gate tables, the views and the browser tests."""

from __future__ import annotations

import datetime as dt
import secrets

import time_machine
from django.utils import timezone

from ballots import services as engine
from ballots.models import Poll
from branches import services as branch_services
from branches.models import Member
from elections import services
from elections.models import Candidacy, Election, ElectionPoll
from tests.factories import MemberFactory, UserFactory

PASSPHRASES = ["scrutineer-one", "scrutineer-two", "scrutineer-three"]


def branch_of_40(tree, sam, alice) -> list[Member]:
    """The branch of 40 full members: sam, alice and 38 more with logins (m00 … m37)."""
    for i in range(38):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i:02d}"))
    return list(Member.objects.filter(organisation=tree.a, category="full").order_by("pk"))


def members_by_username(org) -> dict[str, Member]:
    return {
        m.user.username: m
        for m in Member.objects.filter(organisation=org).select_related("user")
        if m.user_id
    }


def new_election(sam, org, *, seats=5, deputy_seats=0, mode="direct") -> Election:
    return services.draft_election(
        actor=sam,
        organisation=org,
        title="东街社区党支部换届选举",
        committee_seats=seats,
        deputy_seats=deputy_seats,
        mode=mode,
        request_text="支部委员会任期届满，申请换届。",
        timetable="九月提名，十月选举。",
    )


def approved(sam, olga, org, **kwargs) -> Election:
    election = new_election(sam, org, **kwargs)
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election, comment="同意")
    services.open_nomination(actor=sam, election=election, procedure="公推直选：程序、条件和时间安排")
    return election


def nominate_all(election, sam, by_name: dict[str, Member], committee: list[str], secretary: list[str]):
    """Organisation recommendations for everyone named (the other sources are exercised separately)."""
    for username in committee:
        services.nominate(
            actor=sam, election=election, member=by_name[username], post="committee", source="organisation"
        )
    for username in secretary:
        services.nominate(
            actor=sam, election=election, member=by_name[username], post="secretary", source="organisation"
        )


def review_all(election, olga):
    services.close_nomination(actor=olga, election=election)
    for c in election.candidacies.select_related("member"):
        if c.member.category == "full":
            services.review_candidacy(actor=olga, candidacy=c, qualified=True)
        else:
            services.review_candidacy(actor=olga, candidacy=c, qualified=False, reason="预备党员没有被选举权")
    services.complete_review(actor=olga, election=election)


def start_meeting(org, sam, members, *, starts_in=dt.timedelta(hours=1)):
    meeting = branch_services.schedule_meeting(
        actor=sam,
        organisation=org,
        kind="general",
        title="支部党员大会",
        agenda="民主推荐",
        starts_at=timezone.now() + starts_in,
    )
    meeting = branch_services.start_meeting(actor=sam, meeting=meeting)
    for m in members:
        branch_services.sign_in(actor=sam, meeting=meeting, member=m, method="secretary")
    return meeting


def seal_and_open(poll: Poll, sam) -> Poll:
    scrutineers = list(poll.scrutineers.order_by("pk"))
    engine.seal_box(
        actor=sam, poll=poll, passphrases={s.pk: PASSPHRASES[i] for i, s in enumerate(scrutineers)}
    )
    engine.open_poll(actor=sam, poll=poll)
    poll.refresh_from_db()
    return poll


def vote(poll: Poll, member: Member, names_for: list[str], *, write_ins=()):
    options = {o.member.name: str(o.pk) for o in poll.options.select_related("member")}
    engine.cast_ballot(
        user=member.user,
        poll=poll,
        marks={options[n]: "for" for n in names_for},
        write_ins=[str(w.pk) for w in write_ins],
        idempotency_key=secrets.token_urlsafe(24),
    )


def passphrases(poll: Poll, n: int = 2) -> dict[int, str]:
    return {s.pk: PASSPHRASES[i] for i, s in enumerate(poll.scrutineers.order_by("pk")[:n])}


def close_and_count(poll: Poll, sam):
    engine.close_poll(actor=sam, poll=poll)
    return engine.count_poll(actor=sam, poll=poll, passphrases=passphrases(poll))


def recommend_by_members(election, sam, voters, scrutineers, choices: dict[str, list[str]]):
    """The recommendation meeting: voters all present; `choices` post → names each voter marks."""
    meeting = start_meeting(election.organisation, sam, voters)
    links = services.prepare_recommendation(
        actor=sam, election=election, meeting=meeting, scrutineers=scrutineers
    )
    for link in links:
        poll = seal_and_open(link.poll, sam)
        for member in voters:
            vote(poll, member, choices[link.post])
        close_and_count(poll, sam)
    return links


def to_inspection(election, sam, pre: dict[str, list[str]]):
    services.close_recommendation(actor=sam, election=election)
    for c in election.candidacies.filter(stage="preliminary"):
        services.record_inspection(actor=sam, candidacy=c, note="考察合格")
    ids = [
        c.pk
        for c in election.candidacies.filter(stage="preliminary").select_related("member")
        if c.member.name in pre.get(c.post, [])
    ]
    services.choose_pre_candidates(actor=sam, election=election, candidacy_ids=ids)


def candidacy(election, name, post="committee") -> Candidacy:
    return Candidacy.objects.select_related("member").get(election=election, member__name=name, post=post)


def ballot_link(election, post="committee", n=-1) -> ElectionPoll:
    return list(election.election_polls.filter(purpose="election", post=post).select_related("poll"))[n]


def fresh(election) -> Election:
    return Election.objects.get(pk=election.pk)


def names(by, *usernames):
    return [by[u].name for u in usernames]


def to_inspection_state(tree, sam, olga, by, *, seats=3, mode="standard", pre=("m1", "m2", "m3", "m4")):
    election = new_election(sam, tree.a, seats=seats, mode=mode)
    services.submit_request(actor=sam, election=election)
    services.approve_request(actor=olga, election=election)
    services.open_nomination(actor=sam, election=election, procedure="程序")
    for u in ("m1", "m2", "m3", "m4", "m5", "m6"):
        services.nominate(actor=sam, election=election, member=by[u], post="committee", source="organisation")
    review_all(election, olga)
    voters = [m for m in by.values() if m.category == "full"]
    recommend_by_members(
        election, sam, voters, [by["m7"], by["m8"]], {"committee": names(by, "m1", "m2", "m3", "m4", "m5")}
    )
    to_inspection(election, sam, {"committee": names(by, *pre)})
    return fresh(election)


def publish_notice(election, sam, olga):
    """The candidates' notice through the board by the real openness services: the outbox row becomes an
    item, passes the secrecy review (the town's supervisor) and is approved by the town (olga) — published at
    once, starting the 公示."""
    from django.contrib.auth import get_user_model

    from branches.outbox import DisclosureDraft
    from openness import rules as openness_rules
    from openness import services as openness
    from openness.services.intake import consume_draft
    from tests.conftest import _persona

    # The reviewer is the town's supervisor, the approver the town's officer: two people, as the rule asks.
    reviewer = get_user_model().objects.filter(username="victor").first() or _persona(
        "victor", election.organisation.parent, role="supervisor", name="魏监督"
    )
    draft = DisclosureDraft.objects.get(kind="election.candidates", object_id=str(election.pk))
    item = consume_draft(draft.pk)
    openness.submit_item(actor=sam, item=item, reviewer=reviewer)
    openness.pass_secrecy_review(
        actor=reviewer, item=item, checks={name: True for name in openness_rules.SECRECY_CHECKS}
    )
    item.refresh_from_db()
    openness.approve_item(actor=olga, item=item)
    item.refresh_from_db()
    return item


def to_notice(tree, sam, olga, by, **kwargs):
    election = to_inspection_state(tree, sam, olga, by, **kwargs)
    services.submit_pre_candidates(actor=sam, election=election)
    services.approve_pre_candidates(actor=olga, election=election)
    publish_notice(election, sam, olga)
    return fresh(election)


def end_notice(election):
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        assert services.end_due_notices() == 1
    return fresh(election)


def to_candidates(tree, sam, olga, by):
    election = end_notice(to_notice(tree, sam, olga, by))
    services.fix_candidates(actor=sam, election=election)
    return fresh(election)


def to_meeting(tree, sam, olga, by, present: int, election=None):
    election = election or to_candidates(tree, sam, olga, by)
    meeting = services.schedule_election_meeting(
        actor=sam, election=election, starts_at=timezone.now() + dt.timedelta(hours=1)
    )
    services.attach_reports(actor=sam, election=election, work_report="报告", dues_report="党费")
    services.start_election_meeting(actor=sam, election=election)
    full = list(Member.objects.filter(organisation=tree.a, category="full").order_by("pk"))
    for m in full[:present]:
        branch_services.sign_in(actor=sam, meeting=meeting, member=m, method="secretary")
    return fresh(election)
