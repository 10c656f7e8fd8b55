"""`manage.py seed_motions`: believable motions and evaluations on top of `seed_demo`, through the services.

In the demo branch (城关镇东街社区党支部):
- a motion passed by a general meeting — committee discussion, materials three days ahead with a member's
  opinion, the meeting's discussion, a secret ballot through the engine (two members online, the others on
  paper, entered twice and accepted by the scrutineers), the outcome announced — and its implementation
  (responsible person, a milestone, progress);
- a motion whose materials are out for opinions before next week's general meeting;
- this year's member evaluation (self-assessment), the half-year leadership evaluation (report, a
  question), a published 民评官 of the secretary, and the secretary's two-way report.
Idempotent: if the first motion exists, nothing is added.
"""

from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from ballots import services as engine
from branches import services as branch_services
from branches.models import Meeting, Member, Organisation
from branches.rules import voting_rights_q
from branches.selectors import committee_of
from motions import services
from motions.models import Motion

BRANCH = "城关镇东街社区党支部"
FIRST_TITLE = "老旧小区加装电梯补助方案"
PASSPHRASES = ["监票人甲的口令-2026", "监票人乙的口令-2026"]


class Command(BaseCommand):
    help = "Add demo motions (one passed and being implemented, one out for opinions) and evaluations."

    def handle(self, *args, **options) -> None:
        users = {
            u.username: u
            for u in get_user_model().objects.filter(username__in=["shuji", "dangyuan", "ganbu", "jiancha"])
        }
        branch = Organisation.objects.filter(name=BRANCH).first()
        if branch is None or len(users) < 4:
            raise CommandError("Run `manage.py seed_demo` first.")
        if Motion.objects.filter(organisation=branch, title=FIRST_TITLE).exists():
            self.stdout.write("The demo motions exist already; nothing added.")
            return
        with transaction.atomic():
            self.build(branch, users)
        self.stdout.write(self.style.SUCCESS("Demo motions and evaluations added."))

    def _meeting(self, branch, shuji, *, days: float, title: str):
        return branch_services.schedule_meeting(
            actor=shuji,
            organisation=branch,
            kind="general",
            title=title,
            agenda="票决",
            location="社区党群服务中心",
            starts_at=timezone.now() + dt.timedelta(days=days),
        )

    def build(self, branch: Organisation, users: dict) -> None:
        shuji, dangyuan, ganbu = users["shuji"], users["dangyuan"], users["ganbu"]
        committee = len({r.member_id for r in committee_of(branch)})
        motion = services.create_motion(
            actor=shuji,
            organisation=branch,
            title=FIRST_TITLE,
            category="major_affairs",
            text="对辖区内6栋老旧住宅加装电梯，社区集体收入补助每台3万元，其余由业主按楼层分摊。",
        )
        services.record_committee_discussion(
            actor=shuji, motion=motion, present=committee, decision="同意提交党员大会票决"
        )
        meeting = self._meeting(branch, shuji, days=3.5, title="党员大会（票决加装电梯补助方案）")
        services.circulate_materials(
            actor=shuji, motion=motion, meeting=meeting, materials="补助方案、测算表、居民意见汇总"
        )
        services.comment_on_motion(
            actor=dangyuan, motion=motion, member=dangyuan.member, text="建议优先安排有行动不便老人的楼栋。"
        )
        # Demo history: the materials went out four days ago and the meeting is today (a meeting starts on
        # its day, and the 3 days count to its real start); the clock of a seed cannot wait for it.
        Motion.objects.filter(pk=motion.pk).update(circulated_at=timezone.now() - dt.timedelta(days=4))
        Meeting.objects.filter(pk=meeting.pk).update(starts_at=timezone.now())
        meeting.refresh_from_db()
        branch_services.start_meeting(actor=shuji, meeting=meeting)
        voters = list(Member.objects.filter(voting_rights_q(), attendances__meeting=meeting).order_by("pk"))
        present = voters[: len(voters) * 4 // 5]  # four in five come
        for m in present:
            branch_services.sign_in(actor=shuji, meeting=meeting, member=m, method="secretary")
        motion.refresh_from_db()
        services.record_meeting_discussion(
            actor=shuji, motion=motion, discussion="与会党员逐栋讨论了补助标准。"
        )
        vote = services.put_to_vote(actor=shuji, motion=motion)
        poll = vote.poll
        online = [m for m in present if m.user_id in (shuji.pk, dangyuan.pk)]
        paper = [m for m in present if m not in online]
        scrutineers = [engine.add_scrutineer(actor=shuji, poll=poll, member=m) for m in paper[:2]]
        keys = {s.pk: PASSPHRASES[i] for i, s in enumerate(scrutineers)}
        engine.seal_box(actor=shuji, poll=poll, passphrases=keys)
        engine.open_poll(actor=shuji, poll=poll)
        option = str(poll.options.get().pk)
        for m in online:
            engine.cast_ballot(
                user=m.user,
                poll=poll,
                marks={option: "for"},
                write_ins=[],
                idempotency_key=f"seed-{poll.pk}-{m.pk}-0123456789",
            )
        for m in paper:
            engine.issue_paper_ballot(actor=shuji, poll=poll, member=m)
        engine.close_poll(actor=shuji, poll=poll)
        against, abstain = 2, 1
        totals = {option: {"for": len(paper) - against - abstain, "against": against, "abstain": abstain}}
        for entry, counter in ((1, shuji), (2, ganbu)):
            engine.enter_paper_count(
                actor=counter,
                poll=poll,
                entry=entry,
                returned=len(paper),
                invalid=0,
                blank=0,
                totals=totals,
                write_ins={},
            )
        engine.accept_paper_count(actor=shuji, poll=poll, passphrases=keys)
        engine.count_poll(actor=shuji, poll=poll, passphrases=keys)
        services.announce_outcome(actor=shuji, motion=motion)
        motion.refresh_from_db()
        branch_services.close_meeting(actor=shuji, meeting=meeting)
        services.assign_implementation(actor=shuji, motion=motion, responsible=dangyuan.member)
        today = timezone.localdate()
        services.add_milestone(
            actor=shuji, motion=motion, title="完成6栋楼业主意见征询", due_on=today + dt.timedelta(days=20)
        )
        services.add_milestone(
            actor=shuji, motion=motion, title="首批2台电梯开工", due_on=today + dt.timedelta(days=75)
        )
        services.record_motion_progress(
            actor=shuji, motion=motion, text="已完成3栋楼的业主意见征询，同意率均超过三分之二。", percent=25
        )

        second = services.create_motion(
            actor=shuji,
            organisation=branch,
            title="社区党群服务中心夜间开放方案",
            category="major_affairs",
            text="工作日晚7点至9点开放党群服务中心阅览室和活动室，由党员志愿者轮值。",
        )
        services.record_committee_discussion(
            actor=shuji, motion=second, present=committee, decision="同意征求党员意见"
        )
        services.circulate_materials(
            actor=shuji,
            motion=second,
            meeting=self._meeting(branch, shuji, days=8, title="党员大会（第四季度）"),
            materials="开放时间、轮值安排、安全预案",
        )

        year = today.year
        services.start_member_evaluation(actor=shuji, organisation=branch, year=year)
        leadership = services.start_leadership_evaluation(
            actor=shuji,
            organisation=branch,
            period=f"{year} {'上半年' if today.month <= 6 else '下半年'}",
            held_on=today,
            report="班子半年来抓党建、办实事、落实票决事项的情况。",
        )
        services.add_question(
            actor=shuji,
            evaluation=leadership,
            asked_by="李秀兰",
            question="电梯补助何时到位？",
            answer="首批补助在开工后一个月内拨付。",
        )
        rating = services.create_public_rating(
            actor=shuji, organisation=branch, leader=shuji.member, title=f"{year} 年度民评官·社区书记"
        )
        for i, values in enumerate(
            [
                {"0": "good", "1": "good", "3": "good"},
                {"0": "good", "1": "fair", "3": "good"},
                {"0": "fair", "1": "good", "3": "poor"},
            ]
        ):
            _inv, token = services.invite_public_rater(actor=shuji, rating=rating, name=f"居民代表{i + 1}")
            services.rate_by_invitation(token=token, values=values)
        services.publish_public_rating(actor=shuji, rating=rating)
        services.record_two_way_report(
            actor=shuji,
            organisation=branch,
            secretary=shuji.member,
            period=str(year),
            to_higher="向城关镇党委述职：支部建设、票决事项落实情况。",
            to_members="向本支部党员述职：年度工作和下一步打算。",
        )
