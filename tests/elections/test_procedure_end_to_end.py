"""A complete 公推直选 in a branch of 40 full members, through the real services, from the request to the new
committee in office: nominations from all four sources → qualification review → democratic recommendation
(members through the engine, mass representatives through one-time links) → inspection → approval → notice
across the National Day holiday (time moved with time-machine) → an objection answered → candidates fixed →
the election meeting with online and paper ballots, a runoff for the last committee seat, the 书记 ballot →
result sheet → filing → approval → roles changed in branches."""

import datetime as dt
import zoneinfo

import pytest
import time_machine

from ballots import services as engine
from branches import reminders
from branches.models import CommitteeTerm, Reminder, Role
from branches.outbox import DisclosureDraft
from elections import selectors, services
from elections.models import ElectedMember, EvaluationTally, Nomination

from .procedure_flow import (
    branch_of_40,
    candidacy,
    close_and_count,
    fresh,
    members_by_username,
    passphrases,
    publish_notice,
    recommend_by_members,
    seal_and_open,
    to_inspection,
    vote,
)

SHANGHAI = zoneinfo.ZoneInfo("Asia/Shanghai")


def at(*args):
    return dt.datetime(*args, tzinfo=SHANGHAI)


@pytest.mark.django_db(transaction=False)
def test_a_complete_public_nomination_direct_election_puts_the_new_committee_in_office(
    tree, sam, alice, petra, olga, victor
):
    with time_machine.travel(at(2025, 9, 15, 9, 0), tick=True) as traveller:
        everyone = branch_of_40(tree, sam, alice)
        assert len(everyone) == 40
        by = members_by_username(tree.a)
        name = {u: m.name for u, m in by.items()}
        a, b, c, d, e, f, g, h = (f"m{i:02d}" for i in range(8))  # the nominees

        # 1. Request, approved by the higher committee; 2. mobilisation: procedure and timetable published.
        election = services.draft_election(
            actor=sam,
            organisation=tree.a,
            title="东街社区党支部换届选举",
            committee_seats=5,
            request_text="支部委员会任期届满，申请换届。",
            mode="direct",
        )
        services.submit_request(actor=sam, election=election)
        services.approve_request(actor=olga, election=election, comment="同意换届")
        services.open_nomination(actor=sam, election=election, procedure="公推直选：程序、条件和时间安排")

        # 3. Nomination from the four sources, each naming the post.
        for u in (a, b, c):
            services.nominate(
                actor=sam, election=election, member=by[u], post="committee", source="organisation"
            )
        services.nominate(actor=sam, election=election, member=by[a], post="secretary", source="organisation")
        for u in (d, e, f):
            services.nominate(actor=alice, election=election, member=by[u], post="committee", source="member")
        services.nominate(
            actor=by["m20"].user, election=election, member=by[b], post="secretary", source="member"
        )
        with pytest.raises(engine.BallotError, match="正式党员|full members"):  # 预备党员 do not stand
            services.nominate(
                actor=alice, election=election, member=by["petra"], post="committee", source="member"
            )
        invitation, token = services.invite(
            actor=sam, election=election, purpose="nominate", name="居民代表 钱阿姨"
        )
        services.nominate(
            actor=None,
            election=election,
            member=by[g],
            post="committee",
            source="mass",
            invitation=services.invitation_for(token),
        )
        with pytest.raises(engine.BallotError, match="已经使用|already been used"):
            services.invitation_for(token)  # single use
        services.nominate(actor=by[h].user, election=election, member=by[h], post="committee", source="self")
        assert set(
            Nomination.objects.filter(candidacy__election=election).values_list("source", flat=True)
        ) == {"organisation", "member", "mass", "self"}

        # 4. Qualification review by the higher committee.
        services.close_nomination(actor=sam, election=election)
        for cand in election.candidacies.select_related("member"):
            if cand.member.category == "full":
                services.review_candidacy(actor=olga, candidacy=cand, qualified=True)
            else:
                services.review_candidacy(
                    actor=olga, candidacy=cand, qualified=False, reason="预备党员没有被选举权"
                )
        services.complete_review(actor=olga, election=election)

        # 5. Democratic recommendation: 40 members through the engine, 3 mass representatives by link.
        traveller.move_to(at(2025, 9, 22, 9, 0))
        scrutineers = [by["m30"], by["m31"]]
        committee_marks = [name[u] for u in (a, b, c, d, e, f, g)]  # 7 = 5 + ceil(40 % × 5)
        recommend_by_members(
            election,
            sam,
            everyone,
            scrutineers,
            {"committee": committee_marks, "secretary": [name[a], name[b]]},
        )
        for i in range(3):
            _inv, token = services.invite(
                actor=sam, election=election, purpose="recommend", name=f"群众代表{i}"
            )
            services.recommend_by_invitation(
                invitation=services.invitation_for(token),
                choices={"committee": [candidacy(election, name[u]).pk for u in (a, b, c, d, e, f)]},
            )
        to_inspection(
            election,
            sam,
            {"committee": [name[u] for u in (a, b, c, d, e, f)], "secretary": [name[a], name[b]]},
        )
        election = fresh(election)
        assert election.recommendation_result["posts"]["committee"]["target"] == 7
        assert candidacy(election, name[h]).stage == "qualified"  # h ranked 8th: not preliminary
        assert candidacy(election, name[g]).stage == "preliminary"
        services.submit_pre_candidates(actor=sam, election=election)

        # 6–7. Approved on Friday 26 September; the notice runs 7 working days across National Day.
        traveller.move_to(at(2025, 9, 26, 10, 0))
        services.approve_pre_candidates(actor=olga, election=election, comment="同意公示")
        election = fresh(election)
        assert election.status == "notice"
        assert election.notice_ends_at is None  # the clock waits for the board
        publish_notice(election, sam, olga)
        election = fresh(election)
        assert election.notice_ends_at == at(
            2025, 10, 14, 0, 0
        )  # 28/9 (调休), 29, 30, 9/10, 10, 11 (调休), 13
        objection = services.raise_objection(
            actor=by["m25"].user, candidacy=candidacy(election, name[c]), text="反映问题"
        )
        traveller.move_to(at(2025, 10, 13, 23, 0))
        assert services.end_due_notices() == 0  # not over yet
        with pytest.raises(engine.BallotError):
            services.fix_candidates(actor=sam, election=election)
        services.answer_objection(actor=sam, objection=objection, answer="经核实，反映的问题不属实。")
        traveller.move_to(at(2025, 10, 14, 0, 1))
        assert services.end_due_notices() == 1
        assert services.end_due_notices() == 0  # the beat runs twice: the notice ends once
        assert fresh(election).status == "notice_over"

        # 8. Candidates fixed; candidate pages; a member asks, the candidate answers.
        services.fix_candidates(actor=sam, election=election, deliberation_note="党员酝酿讨论")
        election = fresh(election)
        page = candidacy(election, name[a])
        services.update_candidate_page(
            actor=by[a].user,
            candidacy=page,
            cv="简历",
            record="表现",
            strengths="优点",
            weaknesses="不足",
            pledge="任职承诺",
        )
        question = services.ask_question(actor=alice, candidacy=page, text="您如何联系群众？")
        services.answer_question(actor=by[a].user, question=question, answer="每周走访。")

        # 9. The election meeting: reports, observers, roll call (38 of 40), scrutineers, rules.
        meeting = services.schedule_election_meeting(
            actor=sam, election=election, starts_at=at(2025, 10, 20, 9, 0)
        )
        services.attach_reports(
            actor=sam, election=election, work_report="工作报告", dues_report="党费收缴情况报告"
        )
        services.add_observer(actor=sam, election=election, name="区党代表 周某", kind="delegate")
        traveller.move_to(at(2025, 10, 20, 8, 30))
        services.start_election_meeting(actor=sam, election=election)
        absent = {by["m36"].pk, by["m37"].pk}
        present = [m for m in everyone if m.pk not in absent]
        from branches import services as branch_services

        for m in present:
            branch_services.sign_in(actor=sam, meeting=meeting, member=m, method="secretary")
        services.confirm_quorum(actor=sam, election=election)
        services.elect_scrutineers(actor=sam, election=election, members=[by["m30"], by["m31"]], votes_for=36)
        services.adopt_election_rules(actor=sam, election=election, text="选举办法（草案）", votes_for=37)

        # 10–11. The committee ballot: 6 candidates for 5 seats; online and paper; a tie for the last seat.
        link = services.prepare_ballot(actor=sam, election=election, post="committee")
        poll = seal_and_open(link.poll, sam)
        voters = [m for m in present]
        abcd = [name[u] for u in (a, b, c, d)]
        for i, member in enumerate(voters[:36]):
            vote(poll, member, abcd + [name[e] if i < 18 else name[f]])
        options = {o.member.name: str(o.pk) for o in poll.options.select_related("member")}
        for member in voters[36:]:  # two paper ballots: A B C E F
            engine.issue_paper_ballot(actor=sam, poll=poll, member=member)
        engine.close_poll(actor=sam, poll=poll)
        paper = {
            options[n]: {"for": 2, "against": 0, "abstain": 0}
            if n != name[d]
            else {"for": 0, "against": 0, "abstain": 2}
            for n in options
        }
        for entry, counter in ((1, sam), (2, alice)):
            engine.enter_paper_count(
                actor=counter,
                poll=poll,
                entry=entry,
                returned=2,
                invalid=0,
                blank=0,
                totals=paper,
                write_ins={},
            )
        engine.accept_paper_count(actor=sam, poll=poll, passphrases=passphrases(poll))
        engine.count_poll(actor=sam, poll=poll, passphrases=passphrases(poll))
        progress = selectors.progress_of(election, "committee")
        assert progress.next_step == "runoff"
        assert sorted(progress.tied) == sorted([by[e].pk, by[f].pk])
        assert len(progress.elected) == 4 and progress.open_seats == 1
        with pytest.raises(engine.BallotError):
            services.announce_results(actor=sam, election=election)

        # The runoff among the tied only.
        runoff = services.start_runoff(actor=sam, election=election, post="committee")
        assert runoff.seats == 1 and runoff.poll.options.count() == 2 and not runoff.poll.allow_write_in
        poll = seal_and_open(runoff.poll, sam)
        for i, member in enumerate(voters):
            vote(poll, member, [name[e] if i < 25 else name[f]])
        close_and_count(poll, sam)
        progress = selectors.progress_of(election, "committee")
        assert progress.done and by[e].pk in progress.elected and by[f].pk not in progress.elected

        # The 书记 ballot among the elected committee members: competitive, 2 for 1.
        sec = services.prepare_ballot(actor=sam, election=election, post="secretary")
        assert sec.poll.options.count() == 2
        poll = seal_and_open(sec.poll, sam)
        for i, member in enumerate(voters):
            vote(poll, member, [name[a] if i < 30 else name[b]])
        close_and_count(poll, sam)

        # 12. Result sheet signed and announced; filed; the 书记 approved; only then the roles change.
        services.announce_results(actor=sam, election=election)
        election = fresh(election)
        assert election.status == "counted"
        sheet = election.result_sheet
        assert sheet["rules"]["election_quorum"] == [4, 5] and sheet["rules"]["election_threshold"] == [1, 2]
        assert [r["kind"] for r in sheet["posts"]["committee"]["rounds"]] == ["first", "runoff"]
        assert all(len(r["signed_by"]) >= 2 for r in sheet["posts"]["committee"]["rounds"])
        assert set(
            ElectedMember.objects.filter(election=election, post="committee").values_list(
                "member__user__username", flat=True
            )
        ) == {a, b, c, d, e}
        with pytest.raises(engine.BallotError):
            services.take_office(actor=sam, election=election)  # not approved
        assert Role.objects.current().get(organisation=tree.a, kind="secretary").member.user == sam
        services.set_duty(actor=sam, election=election, member=by[b], duty="organisation")
        services.file_results(actor=sam, election=election)
        with pytest.raises(engine.BallotError):
            services.take_office(actor=sam, election=election)  # filed, not yet approved
        services.confirm_results(actor=olga, election=election, comment="同意")

        # 13. Three-way evaluation of the outgoing committee.
        services.evaluate_as_member(actor=alice, election=election, rating="good")
        for purpose in ("evaluate_mass", "evaluate_employer"):
            _inv, token = services.invite(actor=sam, election=election, purpose=purpose, name="代表")
            services.evaluate_by_invitation(invitation=services.invitation_for(token), rating="fair")
        assert EvaluationTally.objects.filter(election=election).count() == 3

        traveller.move_to(at(2025, 10, 27, 9, 0))
        services.take_office(actor=olga, election=election, starts_on=dt.date(2025, 10, 27))
        election = fresh(election)
        assert election.status == "in_office"
        current = {
            (r.member.user.username, r.kind) for r in Role.objects.current().filter(organisation=tree.a)
        }
        assert current == {
            (a, "secretary"),
            (b, "organisation"),
            (c, "committee_member"),
            (d, "committee_member"),
            (e, "committee_member"),
        }
        assert Role.objects.get(member__user=sam, organisation=tree.a, kind="secretary").ends_on == dt.date(
            2025, 10, 26
        )
        term = CommitteeTerm.objects.get(organisation=tree.a)
        assert term == election.term and term.ends_on == dt.date(2030, 10, 27)  # a community: 5 years
        assert Reminder.objects.filter(kind="term.end", object_id=term.pk, status="pending").exists()
        assert set(
            DisclosureDraft.objects.filter(object_id=str(election.pk)).values_list("kind", flat=True)
        ) >= {"election.procedure", "election.nominees", "election.candidates", "election.results"}
        results = DisclosureDraft.objects.get(object_id=str(election.pk), kind="election.results")
        assert "当选，赞成" in results.body or "elected," in results.body  # each round in the engine's words
        assert not reminders.pending_for(election).filter(kind="election.step").exists()
