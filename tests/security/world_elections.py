"""公推直选 in the harness's world: one election per branch at a time, each taken through the real services
as tests/elections/procedure_flow.py takes it — a's with its candidates fixed (candidate pages, questions, a
mass representative's link), b's pre-candidates on notice (an objection), c's request submitted.
"""

from __future__ import annotations

import datetime as dt
import secrets
from typing import TYPE_CHECKING

import time_machine
from django.utils import timezone

from ballots import services as engine
from branches import services as branch_services
from elections import services
from tests.ballots.conftest import passphrases_of
from tests.elections.procedure_flow import publish_notice

from . import world as base  # the module (URGENT): world.py imports this one at its top

if TYPE_CHECKING:
    from .world import Branch, World


def _draft(world: World, br: Branch, what: str):
    cn, k = world.canaries, br.key
    return services.draft_election(
        actor=br.secretary,
        organisation=br.org,
        title=cn.mint(f"int:{k}", f"election {what}") + " 换届选举",
        committee_seats=3,
        mode="standard",
        request_text=cn.mint(f"int:{k}", f"request of the election {what}"),
        timetable="九月提名，十月选举。",
    )


def election_requested(world: World, br: Branch):
    election = _draft(world, br, "requested")
    services.submit_request(actor=br.secretary, election=election)


def _to_notice(world: World, br: Branch, what: str):
    sec, officer, k = br.secretary, br.officer, br.key
    election = _draft(world, br, what)
    services.submit_request(actor=sec, election=election)
    services.approve_request(actor=officer, election=election, comment="同意")
    services.open_nomination(actor=sec, election=election, procedure="程序")
    for i in range(1, 7):
        services.nominate(
            actor=sec, election=election, member=br.m(f"{k}{i}"), post="committee", source="organisation"
        )
    services.close_nomination(actor=officer, election=election)
    for c in election.candidacies.all():
        services.review_candidacy(actor=officer, candidacy=c, qualified=True)
    services.complete_review(actor=officer, election=election)
    voters = br.voting
    meeting = branch_services.schedule_meeting(
        actor=sec,
        organisation=br.org,
        kind="general",
        title="民主推荐大会",
        agenda="民主推荐",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    branch_services.start_meeting(actor=sec, meeting=meeting, urgent_reason=base.URGENT)
    for m in voters:
        branch_services.sign_in(actor=sec, meeting=meeting, member=m, method="secretary")
    links = services.prepare_recommendation(
        actor=sec, election=election, meeting=meeting, scrutineers=[br.m(f"{k}7"), br.m(f"{k}8")]
    )
    for link in links:
        poll = link.poll
        engine.seal_box(actor=sec, poll=poll, passphrases=passphrases_of(poll, n=poll.scrutineers.count()))
        engine.open_poll(actor=sec, poll=poll)
        options = {o.member.name: str(o.pk) for o in poll.options.select_related("member")}
        chosen = [br.m(f"{k}{i}").name for i in range(1, 6)]
        for voter in voters:
            engine.cast_ballot(
                user=voter.user,
                poll=poll,
                marks={options[n]: "for" for n in chosen if n in options},
                write_ins=[],
                idempotency_key=secrets.token_urlsafe(24),
            )
        engine.close_poll(actor=sec, poll=poll)
        engine.count_poll(actor=sec, poll=poll, passphrases=passphrases_of(poll))
    services.close_recommendation(actor=sec, election=election)
    for c in election.candidacies.filter(stage="preliminary"):
        services.record_inspection(
            actor=sec, candidacy=c, note=world.canaries.mint(f"mgr:{k}", "inspection note") + " 考察合格"
        )
    pre = [br.m(f"{k}{i}").name for i in range(1, 5)]
    ids = [c.pk for c in election.candidacies.filter(stage="preliminary") if c.member.name in pre]
    services.choose_pre_candidates(actor=sec, election=election, candidacy_ids=ids)
    services.submit_pre_candidates(actor=sec, election=election)
    services.approve_pre_candidates(actor=officer, election=election)
    publish_notice(election, sec, officer)  # through the board: reviewed by victor, approved by the officer
    election.refresh_from_db()
    return election


def election_to_candidates(world: World, br: Branch):
    cn, k, sec = world.canaries, br.key, br.secretary
    election = _to_notice(world, br, "with candidates")
    with time_machine.travel(timezone.now() + dt.timedelta(days=30)):
        services.end_due_notices()
    election.refresh_from_db()
    services.fix_candidates(
        actor=sec, election=election, deliberation_note=cn.mint(f"int:{k}", "deliberation")
    )
    candidacy = election.candidacies.filter(stage="candidate").select_related("member__user").first()
    services.update_candidate_page(
        actor=candidacy.member.user, candidacy=candidacy, pledge=cn.mint(f"int:{k}", "candidate's pledge")
    )
    asker = br.m(f"{k}6")
    question = services.ask_question(
        actor=asker.user, candidacy=candidacy, text=cn.mint(f"int:{k}", "question")
    )
    del question
    _inv, token = services.invite(actor=sec, election=election, purpose="evaluate_mass", name="群众代表甲")
    world.tokens.setdefault("elections:invitation", []).append(
        (token, frozenset({election.title.split()[0]}))
    )


def election_on_notice(world: World, br: Branch):
    cn, k = world.canaries, br.key
    election = _to_notice(world, br, "on notice")
    candidacy = election.candidacies.filter(stage="pre_candidate").select_related("member").first()
    raiser = br.m(f"{k}6")
    services.raise_objection(
        actor=raiser.user, candidacy=candidacy, text=cn.mint(f"own:{k}:{k}6", "objection") + " 反映问题"
    )
