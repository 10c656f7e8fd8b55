"""`manage.py seed_demo`: a believable county of party branches, built through the services.

    青山县委 (county committee)                      ← jiancha: supervisor
      ├ 青山县纪委监委机关党支部, 青山县第一中学党支部
      ├ 城关镇党委                                   ← ganbu: officer (a member of 城关镇机关党支部)
      │   ├ 城关镇东街社区党支部 (the demo branch, two party groups)  ← shuji, dangyuan, yubei
      │   └ 城关镇西街社区党支部, 城关镇机关党支部, 青山电子科技有限公司党支部
      └ 河口镇党委
          └ 河口镇河口村党支部 (one party group), 河口镇柳树湾村党支部

400 members with committees and terms; households and liaisons in the demo branch and a village; a general
meeting in progress in the demo branch and an open committee meeting there next week. Names, ID numbers and
phones come from a fixed random seed, so every run builds the same people. Everything is written through
`branches.services`, in one transaction: either the whole county is there or none of it. If the county
exists already, the command adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from branches import rules, services
from branches.models import (
    AttendanceStatus,
    LiaisonKind,
    MeetingKind,
    Member,
    Organisation,
    OrganisationKind,
    RoleKind,
    SignInMethod,
    UnitType,
)

COUNTY_NAME = "青山县委"
DEMO_PASSWORD = "zhibu-demo-2026"

# The persona logins, one per role of domain.md §7.
SECRETARY = "shuji"
MEMBER = "dangyuan"
PROBATIONARY = "yubei"
OFFICER = "ganbu"
SUPERVISOR = "jiancha"


class Persona(NamedTuple):
    username: str
    name: str
    gender: str
    phone: str  # members also log in with their phone number
    branch: str  # key in BRANCHES
    title: str


ACCOUNTS = (
    Persona(SECRETARY, "周建华", "M", "13900000001", "dongjie", "城关镇东街社区党支部 书记"),
    Persona(MEMBER, "李秀兰", "F", "13900000002", "dongjie", "城关镇东街社区党支部 党员"),
    Persona(PROBATIONARY, "陈思远", "M", "13900000003", "dongjie", "城关镇东街社区党支部 预备党员"),
    Persona(OFFICER, "王志刚", "M", "13900000004", "jiguan", "城关镇党委 组织干事（上级党委）"),
    Persona(SUPERVISOR, "刘文清", "F", "13900000005", "jiwei", "青山县委 纪检监督员"),
)


class BranchSpec(NamedTuple):
    key: str
    name: str
    parent: str  # "county", "chengguan" or "hekou"
    unit_type: str
    size: int  # members of every category; no branch gets more than 50 full members (the rule set warns)
    groups: tuple[str, ...]  # party groups
    term_starts: dt.date
    place: str  # street or village, for addresses


BRANCHES = (
    BranchSpec("dongjie", "城关镇东街社区党支部", "chengguan", UnitType.COMMUNITY, 58,
               ("第一党小组", "第二党小组"), dt.date(2022, 4, 15), "城关镇东街"),
    BranchSpec("xijie", "城关镇西街社区党支部", "chengguan", UnitType.COMMUNITY, 52,
               (), dt.date(2023, 5, 10), "城关镇西街"),
    BranchSpec("jiguan", "城关镇机关党支部", "chengguan", UnitType.ORGAN, 40,
               (), dt.date(2024, 3, 12), "城关镇人民路"),
    BranchSpec("dianzi", "青山电子科技有限公司党支部", "chengguan", UnitType.ENTERPRISE, 46,
               (), dt.date(2025, 1, 8), "城关镇工业园区"),
    BranchSpec("hekoucun", "河口镇河口村党支部", "hekou", UnitType.VILLAGE, 58,
               ("第一党小组",), dt.date(2022, 9, 1), "河口镇河口村"),
    BranchSpec("liushuwan", "河口镇柳树湾村党支部", "hekou", UnitType.VILLAGE, 50,
               (), dt.date(2022, 9, 1), "河口镇柳树湾村"),
    BranchSpec("jiwei", "青山县纪委监委机关党支部", "county", UnitType.ORGAN, 40,
               (), dt.date(2024, 6, 18), "城关镇府前路"),
    BranchSpec("yizhong", "青山县第一中学党支部", "county", UnitType.INSTITUTION, 56,
               (), dt.date(2023, 9, 1), "城关镇学府路"),
)  # fmt: skip

SEED = 20260701
SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
MALE_GIVEN = "伟强磊军勇杰涛明超华平刚辉健斌波鹏飞宇浩俊峰建国志文武海林永春东亮兵成庆德全旭晨"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀英兰玲燕萍红梅琴云莉倩婷雪慧颖佳欣丹凤洁桂珍琳瑶"
REGION_CODES = ("360825", "360825", "360825", "360826", "360821")  # mostly born in the county
PHONE_PREFIXES = ("130", "131", "133", "135", "136", "137", "138", "139", "150", "151", "152", "157", "158",
                  "159", "177", "180", "181", "186", "187", "188", "189")  # fmt: skip
MIGRANT_DESTINATIONS = ("广东省东莞市", "浙江省宁波市", "上海市浦东新区", "江苏省苏州市", "福建省厦门市",
                        "广东省深圳市")  # fmt: skip
JOBS = {
    UnitType.VILLAGE: ("农民", "种植户", "养殖户", "村医", "个体户", "村民小组长", "外出务工", "退休教师"),
    UnitType.COMMUNITY: ("社区工作者", "退休职工", "个体经营者", "网格员", "物业管理员", "退休干部"),
    UnitType.ENTERPRISE: ("工程师", "技术员", "车间主任", "质检员", "销售经理", "财务", "生产班组长"),
    UnitType.INSTITUTION: ("语文教师", "数学教师", "英语教师", "班主任", "教务处主任", "后勤职工"),
    UnitType.ORGAN: ("科员", "副科长", "科长", "办公室主任", "四级主任科员", "一级科员", "驾驶员"),
}  # fmt: skip
# Members the roll and the meetings must handle, placed so that every run has them (domain.md §1).
SPECIAL_CASES = {
    "dongjie": ("lost_contact",),
    "hekoucun": ("lost_contact", "probation"),
    "liushuwan": ("lost_contact",),
    "dianzi": ("probation", "rights_suspended"),
}
EDUCATION = ("初中", "高中", "中专", "大专", "大学本科", "研究生")


class Command(BaseCommand):
    help = "Build believable demo data (青山县委, 400 members, persona logins) through the services."

    def handle(self, *args, **options) -> None:
        if Organisation.objects.filter(name=COUNTY_NAME, parent__isnull=True).exists():
            self.stdout.write(f"The demo data is already present ({COUNTY_NAME}); nothing added.")
            self.print_accounts()
            return
        usernames = [p.username for p in ACCOUNTS]
        taken = list(
            get_user_model().objects.filter(username__in=usernames).values_list("username", flat=True)
        )
        if taken:
            raise CommandError(
                f"{COUNTY_NAME} is missing, but these logins exist already: {', '.join(taken)}."
            )
        started = time.monotonic()
        with transaction.atomic():
            built = DemoCounty().build()
        self.stdout.write(
            self.style.SUCCESS(f"Demo data built in {time.monotonic() - started:.1f} s: {built}."),
        )
        self.print_accounts()

    def print_accounts(self) -> None:
        self.stdout.write(f"Demo logins, password {DEMO_PASSWORD} (the phone number works as the username):")
        for p in ACCOUNTS:
            self.stdout.write(f"  {p.username:<9} {p.phone}  {p.name}  {p.title}")


class DemoCounty:
    """One run of the builder: the random generator, and what it has made so far."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
        self.today = timezone.localdate()
        self.id_numbers: set[str] = set()
        self.phones: set[str] = {p.phone for p in ACCOUNTS}
        self.orgs: dict[str, Organisation] = {}
        self.groups: dict[str, list[Organisation]] = {}
        self.members: dict[str, list[Member]] = {}
        self.users: dict = {}
        self.meetings = 0

    def build(self) -> str:
        self._organisations()
        self._users()
        for spec in BRANCHES:
            self._members(spec)
        self._roles()
        for key in ("dongjie", "hekoucun"):
            self._contacts(key)
        self._meetings()
        organisations = Organisation.objects.subtree_of(self.orgs["county"]).count()
        members = sum(len(m) for m in self.members.values())
        return f"{organisations} organisations, {members} members, {self.meetings} meetings"

    # --- the tree ------------------------------------------------------------------------------------------

    def _organisation(self, name: str, kind: str, parent: str | None, unit_type: str) -> Organisation:
        return services.create_organisation(
            actor=None, name=name, kind=kind, unit_type=unit_type, parent=self.orgs.get(parent or "")
        )

    def _organisations(self) -> None:
        committee = OrganisationKind.COMMITTEE
        self.orgs["county"] = self._organisation(COUNTY_NAME, committee, None, UnitType.ORGAN)
        self.orgs["chengguan"] = self._organisation("城关镇党委", committee, "county", UnitType.ORGAN)
        self.orgs["hekou"] = self._organisation("河口镇党委", committee, "county", UnitType.ORGAN)
        for spec in BRANCHES:
            branch = self._organisation(spec.name, OrganisationKind.BRANCH, spec.parent, spec.unit_type)
            self.orgs[spec.key] = branch
            self.groups[spec.key] = [
                services.create_organisation(
                    actor=None, name=f"{spec.name}{group}", kind=OrganisationKind.GROUP,
                    unit_type=spec.unit_type, parent=branch,
                )
                for group in spec.groups
            ]  # fmt: skip
            services.start_term(actor=None, organisation=branch, starts_on=spec.term_starts)

    def _users(self) -> None:
        # One hash for the five logins: hashing is slow by design, and the password is the same.
        password = make_password(DEMO_PASSWORD)
        User = get_user_model()
        for p in ACCOUNTS:
            self.users[p.username] = User.objects.create(
                username=p.username, password=password, email=f"{p.username}@demo.zhibu.local"
            )

    # --- members -------------------------------------------------------------------------------------------

    def _members(self, spec: BranchSpec) -> None:
        size = spec.size
        # Mostly full members; a few probationary members, and the pipeline before membership.
        categories = (
            ["probationary"] * max(2, size // 12)
            + ["activist"] * max(1, size // 25)
            + ["applicant"] * (size // 30)
            + ["candidate"] * (1 if size > 40 else 0)
        )
        categories += ["full"] * (size - len(categories))
        self.rng.shuffle(categories)
        made: list[Member] = []
        for p in ACCOUNTS:
            if p.branch == spec.key:
                category = "probationary" if p.username == PROBATIONARY else "full"
                categories.remove(category)
                user = self.users[p.username]
                made.append(self._member(spec, category, len(made), p.name, p.gender, p.phone, user))
        cases = list(SPECIAL_CASES.get(spec.key, ()))
        for category in categories:
            case = cases.pop() if cases and category == "full" else ""
            made.append(self._member(spec, category, len(made), case=case))
        self.members[spec.key] = made

    def _member(
        self, spec: BranchSpec, category: str, index: int, name: str = "", gender: str = "", phone: str = "",
        user=None, case: str = "",
    ) -> Member:  # fmt: skip
        rng = self.rng
        village = spec.unit_type == UnitType.VILLAGE
        gender = gender or ("M" if rng.random() < (0.62 if village else 0.5) else "F")
        if category == "full":
            age = rng.randint(26, 84 if village else 72)
        elif category == "probationary":
            age = rng.randint(23, 38)
        else:
            age = rng.randint(19, 34)
        birth = self.today - dt.timedelta(days=365 * age + rng.randint(0, 364))
        joined_on = full_on = None
        if category == "full":
            joined_on = birth + dt.timedelta(
                days=365 * rng.randint(19, min(age - 1, 45)) + rng.randint(0, 300)
            )
            joined_on = min(joined_on, self.today - dt.timedelta(days=400))
            full_on = rules.add_months(joined_on, 12)
        elif category == "probationary":
            joined_on = self.today - dt.timedelta(days=rng.randint(30, 330))
        if not phone and not (village and age > 70 and rng.random() < 0.5):
            phone = self._phone()  # half the oldest villagers have no mobile phone
        groups = self.groups[spec.key]
        return services.add_member(
            actor=None,
            organisation=self.orgs[spec.key],
            name=name or self._name(gender),
            category=category,
            user=user,
            group=groups[index % len(groups)] if groups else None,
            id_number=self._id_number(birth, gender),
            gender=gender,
            ethnicity="汉族" if rng.random() < 0.94 else rng.choice(("回族", "畲族", "苗族", "土家族")),
            birth_date=birth,
            education=self._education(age, spec.unit_type),
            joined_on=joined_on,
            full_on=full_on,
            job=rng.choice(JOBS[spec.unit_type]),
            phone=phone or None,
            address=self._address(spec),
            **({} if user or category != "full" else self._status(spec, case)),
        )

    def _status(self, spec: BranchSpec, case: str) -> dict:
        """Migrants by chance (more in villages), and the cases of SPECIAL_CASES where they are placed."""
        if case == "lost_contact":
            return {"lost_contact": True, "notes": "多次电话联系未果，已报镇党委。"}
        if case == "probation":
            return {"standing": "probation", "notes": "受到留党察看一年处分。"}
        if case == "rights_suspended":
            return {"rights_suspended": True, "notes": "因涉嫌违法被依法留置，党员权利中止。"}
        if self.rng.random() < (0.08 if spec.unit_type == UnitType.VILLAGE else 0.03):
            to = self.rng.choice(MIGRANT_DESTINATIONS)
            since = self.today.year - self.rng.randint(1, 4)
            return {"migrant": True, "migrant_to": to, "notes": f"{since}年起在{to}务工，组织关系未转出。"}
        return {}

    def _name(self, gender: str) -> str:
        given = MALE_GIVEN if gender == "M" else FEMALE_GIVEN
        length = 1 if self.rng.random() < 0.3 else 2
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(given) for _ in range(length))

    def _id_number(self, birth: dt.date, gender: str) -> str:
        # GB 11643: region, date of birth, a sequence number odd for men and even for women, check character.
        while True:
            seq = self.rng.randrange(0, 999, 2) + (1 if gender == "M" else 0)
            first17 = f"{self.rng.choice(REGION_CODES)}{birth:%Y%m%d}{seq:03d}"
            number = first17 + rules.id_number_check_char(first17)
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def _phone(self) -> str:
        while True:
            phone = self.rng.choice(PHONE_PREFIXES) + f"{self.rng.randrange(10**8):08d}"
            if phone not in self.phones:
                self.phones.add(phone)
                return phone

    def _education(self, age: int, unit_type: str) -> str:
        if unit_type in (UnitType.INSTITUTION, UnitType.ORGAN):
            return self.rng.choice(EDUCATION[3:])
        return self.rng.choice(EDUCATION[:3] if age > 60 else EDUCATION[1:5])

    def _address(self, spec: BranchSpec) -> str:
        r = self.rng.randint
        if spec.unit_type == UnitType.VILLAGE:
            return f"{spec.place}{r(1, 9)}组{r(1, 60)}号"
        return f"{spec.place}{r(1, 120)}号{r(1, 12)}栋{r(1, 6)}0{r(1, 4)}室"

    # --- committees, the officer and the supervisor --------------------------------------------------------

    def _roles(self) -> None:
        secretary_user = self.users[SECRETARY]
        for spec in BRANCHES:
            eligible = [m for m in self.members[spec.key] if self._may_serve(m)]
            secretary = next((m for m in eligible if m.user_id == secretary_user.pk), None)
            others = [m for m in eligible if m is not secretary]
            secretary = secretary or others.pop(0)
            kinds = [RoleKind.ORGANISATION, RoleKind.PROPAGANDA, RoleKind.DISCIPLINE]
            if len(eligible) >= 30:
                kinds.insert(0, RoleKind.DEPUTY_SECRETARY)
            for kind, member in zip([RoleKind.SECRETARY, *kinds], [secretary, *others], strict=False):
                services.assign_role(
                    actor=None,
                    member=member,
                    organisation=self.orgs[spec.key],
                    kind=kind,
                    starts_on=spec.term_starts,
                )
        services.assign_role(
            actor=None, member=self._persona(OFFICER), organisation=self.orgs["chengguan"],
            kind=RoleKind.OFFICER, starts_on=dt.date(2023, 3, 1),
        )  # fmt: skip
        services.assign_role(
            actor=None, member=self._persona(SUPERVISOR), organisation=self.orgs["county"],
            kind=RoleKind.SUPERVISOR, starts_on=dt.date(2024, 1, 1),
        )  # fmt: skip

    def _may_serve(self, member: Member) -> bool:
        """Members with voting rights, at home, under 68; the other personas keep their one role."""
        if member.user_id is not None:
            return member.user_id == self.users[SECRETARY].pk
        return (
            rules.has_voting_rights(member)
            and not member.migrant
            and not member.lost_contact
            and member.birth_date.year >= self.today.year - 68
        )

    def _persona(self, username: str) -> Member:
        user = self.users[username]
        return next(m for ms in self.members.values() for m in ms if m.user_id == user.pk)

    # --- 党员联户 and 三联 ---------------------------------------------------------------------------------

    def _contacts(self, key: str) -> None:
        spec = next(s for s in BRANCHES if s.key == key)
        committee = list(Member.objects.filter(roles__organisation=self.orgs[key]).distinct().order_by("pk"))
        linkers = committee + ([self._persona(MEMBER)] if key == "dongjie" else [])
        for member in linkers:
            for _ in range(self.rng.randint(3, 5)):
                services.add_household(
                    actor=None, member=member, head_name=self._name(self.rng.choice("MF")),
                    address=self._address(spec), phone=self._phone(),
                )  # fmt: skip
        # Committee members link delegates; each delegate links four members.
        in_committee = {m.pk for m in committee}
        rest = [m for m in self.members[key] if m.pk not in in_committee and self._may_serve(m)]
        delegates, rest = rest[:4], rest[4:]
        for i, delegate in enumerate(delegates):
            services.update_member(actor=None, member=delegate, is_delegate=True)
            services.link_liaison(
                actor=None, upper=committee[i % len(committee)], lower=delegate,
                kind=LiaisonKind.COMMITTEE_TO_DELEGATE,
            )  # fmt: skip
            for lower in rest[i * 4 : (i + 1) * 4]:
                services.link_liaison(
                    actor=None, upper=delegate, lower=lower, kind=LiaisonKind.DELEGATE_TO_MEMBER
                )

    # --- meetings ------------------------------------------------------------------------------------------

    def _meetings(self) -> None:
        branch = self.orgs["dongjie"]
        secretary = self.users[SECRETARY]
        tz = timezone.get_current_timezone()
        quarter = (self.today.month - 1) // 3 + 1
        # A general meeting under way: the service schedules only in the future, so it is set a minute ahead
        # and started at once, as a secretary opens the sign-in when the members arrive.
        general = services.schedule_meeting(
            actor=secretary,
            organisation=branch,
            kind=MeetingKind.GENERAL,
            title=f"{self.today.year}年第{quarter}季度党员大会",
            agenda="1. 学习传达上级会议精神\n2. 通报本季度支部工作和党费收缴情况\n"
            "3. 讨论东街老旧小区加装电梯方案\n4. 推荐入党积极分子",
            starts_at=timezone.now() + dt.timedelta(minutes=1),
            location="东街社区党群服务中心二楼会议室",
        )
        services.start_meeting(actor=secretary, meeting=general)
        for attendance in general.attendances.select_related("member__user").order_by("member__name_pinyin"):
            member = attendance.member
            if member.migrant:
                services.set_attendance(
                    actor=secretary, meeting=general, member=member, status=AttendanceStatus.EXCUSED,
                    note="外出务工，已电话告知会议内容并书面征求意见",
                )  # fmt: skip
            elif member.user_id == self.users[MEMBER].pk or member.lost_contact:
                continue  # `dangyuan` is left to try signing in with his phone (README, demo accounts)
            elif member.user_id:  # the other persona logins scanned the meeting's QR code themselves
                services.sign_in(actor=member.user, meeting=general, member=member, method=SignInMethod.SELF)
            elif (roll := self.rng.random()) < 0.7:
                services.sign_in(
                    actor=secretary, meeting=general, member=member, method=SignInMethod.SECRETARY
                )
            elif roll < 0.8:
                services.set_attendance(
                    actor=secretary, meeting=general, member=member, status=AttendanceStatus.EXCUSED,
                    note=self.rng.choice(("因病请假", "在外地照顾家人", "单位值班")),
                )  # fmt: skip
        # Next week: an open committee meeting (三会开放) that members of other branches may ask to sit in on.
        services.schedule_meeting(
            actor=secretary,
            organisation=branch,
            kind=MeetingKind.COMMITTEE,
            is_open=True,
            title="支部委员会会议（开放）：研究社区停车难问题",
            agenda="1. 听取网格员关于停车难问题的调研情况\n2. 研究东街停车位划线和错时停车方案\n"
            "3. 确定提交党员大会讨论的事项",
            starts_at=dt.datetime.combine(self.today + dt.timedelta(days=7), dt.time(19, 30), tzinfo=tz),
            location="东街社区党群服务中心一楼议事厅",
        )
        services.schedule_meeting(
            actor=None,
            organisation=self.orgs["yizhong"],
            kind=MeetingKind.LECTURE,
            title="专题党课：弘扬教育家精神，落实立德树人根本任务",
            agenda="1. 支部书记讲党课\n2. 党员交流研讨",
            starts_at=dt.datetime.combine(self.today + dt.timedelta(days=12), dt.time(16, 0), tzinfo=tz),
            location="第一中学行政楼三楼会议室",
        )
        self.meetings = 3
