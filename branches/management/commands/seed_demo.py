"""`manage.py seed_demo`: a believable county of party branches, built through the services.

    青山县委 (county committee)                      ← jiancha: supervisor
      ├ 青山县纪委监委机关党支部, 青山县第一中学党支部
      ├ 城关镇党委                                   ← ganbu: officer (member of 城关镇机关党支部)
      │   ├ 城关镇东街社区党支部 (the demo branch, two party groups)  ← shuji, dangyuan, yubei
      │   └ 城关镇西街社区党支部, 城关镇机关党支部, 青山电子科技有限公司党支部
      └ 河口镇党委
          └ 河口镇河口村党支部 (one party group), 河口镇柳树湾村党支部

About 400 members with committees and terms, households and liaisons in the demo branch, a general meeting
in progress there and an open committee meeting next week. The names, ID numbers and phones come from a
fixed random seed, so every run builds the same people. Everything is written through `branches.services`,
in one transaction: either the whole county is there or none of it. Run twice, the second run adds nothing.
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

from branches import services
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
from branches.rules import add_months, id_number_check_char

COUNTY_NAME = "青山县委"
DEMO_PASSWORD = "zhibu-demo-2026"

# The persona logins (usernames), one per role of domain.md §7.
SECRETARY = "shuji"
MEMBER = "dangyuan"
PROBATIONARY = "yubei"
OFFICER = "ganbu"
SUPERVISOR = "jiancha"

# (username, name, gender, mobile phone — members also log in with it, what the account shows).
ACCOUNTS = (
    (SECRETARY, "周建华", "M", "13900000001", "城关镇东街社区党支部 书记"),
    (MEMBER, "李秀兰", "F", "13900000002", "城关镇东街社区党支部 党员"),
    (PROBATIONARY, "陈思远", "M", "13900000003", "城关镇东街社区党支部 预备党员"),
    (OFFICER, "王志刚", "M", "13900000004", "城关镇党委 组织干事（上级党委）"),
    (SUPERVISOR, "刘文清", "F", "13900000005", "青山县委 纪检监督员"),
)

SEED = 20260701


class BranchSpec(NamedTuple):
    key: str
    name: str
    parent: str  # "county", "chengguan" or "hekou"
    unit_type: str
    size: int  # members of every category; sizes keep each branch at 50 full members or fewer
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
PERSONA_BRANCH = {SECRETARY: "dongjie", MEMBER: "dongjie", PROBATIONARY: "dongjie", OFFICER: "jiguan"}
PERSONA_BRANCH[SUPERVISOR] = "jiwei"

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
)
MALE_GIVEN = "伟强磊军勇杰涛明超华平刚辉健斌波鹏飞宇浩俊峰建国志文武海林永春东亮兵成庆德全华旭晨"
FEMALE_GIVEN = "芳娜敏静丽艳娟霞秀英兰玲燕萍红梅琴云莉倩婷雪慧颖佳欣丹凤洁桂珍琳瑶"
REGION_CODES = ("360825", "360825", "360825", "360826", "360821")
PHONE_PREFIXES = "130 131 133 135 136 137 138 139 150 151 152 157 158 159 177 180 181 186 187 188 189 199".split()
MIGRANT_DESTINATIONS = "广东省东莞市 浙江省宁波市 上海市浦东新区 江苏省苏州市 福建省厦门市 广东省深圳市".split()
JOBS = {
    UnitType.VILLAGE: "农民 种植户 养殖户 村医 个体户 村民小组长 外出务工 退休教师".split(),
    UnitType.COMMUNITY: "社区工作者 退休职工 个体经营者 网格员 物业管理员 退休干部 志愿者".split(),
    UnitType.ENTERPRISE: "工程师 技术员 车间主任 质检员 销售经理 财务 生产班组长".split(),
    UnitType.INSTITUTION: "语文教师 数学教师 英语教师 班主任 教务处主任 后勤职工 物理教师".split(),
    UnitType.ORGAN: "科员 副科长 科长 办公室主任 四级主任科员 一级科员 驾驶员".split(),
}
EDUCATION = ("初中", "高中", "中专", "大专", "大学本科", "研究生")


class Command(BaseCommand):
    help = "Build believable demo data (青山县委, ~400 members, persona logins) through the services."

    def handle(self, *args, **options) -> None:
        if Organisation.objects.filter(name=COUNTY_NAME, parent__isnull=True).exists():
            self.stdout.write(f"The demo data is already present ({COUNTY_NAME}); nothing added.")
            self._print_accounts()
            return
        taken = list(
            get_user_model()
            .objects.filter(username__in=[a[0] for a in ACCOUNTS])
            .values_list("username", flat=True)
        )
        if taken:
            raise CommandError(
                f"{COUNTY_NAME} is missing but these usernames exist already: {', '.join(taken)}."
            )
        started = time.monotonic()
        with transaction.atomic():
            counts = DemoCounty().build()
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data built in {time.monotonic() - started:.1f} s: {counts['organisations']} organisations, "
                f"{counts['members']} members, {counts['meetings']} meetings."
            )
        )
        self._print_accounts()

    def _print_accounts(self) -> None:
        self.stdout.write(
            f"Demo accounts (password {DEMO_PASSWORD}; the phone number works as the username):"
        )
        for username, name, _gender, phone, role in ACCOUNTS:
            self.stdout.write(f"  {username:<9} {phone}  {name}  {role}")


class DemoCounty:
    """The builder: one instance per run, holding the random generator and what was made so far."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)  # noqa: S311 — demo data, not secrets
        self.today = timezone.localdate()
        self.id_numbers: set[str] = set()
        self.phones: set[str] = {a[3] for a in ACCOUNTS}
        self.orgs: dict[str, Organisation] = {}
        self.members: dict[str, list[Member]] = {}
        self.users = {}
        self.meetings = 0

    def build(self) -> dict[str, int]:
        self._organisations()
        self._users()
        for key, _name, _parent, unit_type, size, _groups, _term, place in BRANCHES:
            self._members(key, unit_type, size, place)
        self._roles()
        self._contacts()
        self._meetings()
        return {
            "organisations": len(self.orgs),
            "members": sum(len(m) for m in self.members.values()),
            "meetings": self.meetings,
        }

    # --- the tree --------------------------------------------------------------------------------------------

    def _organisations(self) -> None:
        create = services.create_organisation
        self.orgs["county"] = create(
            actor=None, name=COUNTY_NAME, kind=OrganisationKind.COMMITTEE, unit_type=UnitType.ORGAN
        )
        for key, name in (("chengguan", "城关镇党委"), ("hekou", "河口镇党委")):
            self.orgs[key] = create(
                actor=None,
                name=name,
                kind=OrganisationKind.COMMITTEE,
                unit_type=UnitType.ORGAN,
                parent=self.orgs["county"],
            )
        for key, name, parent, unit_type, _size, groups, term_starts, _place in BRANCHES:
            branch = create(
                actor=None,
                name=name,
                kind=OrganisationKind.BRANCH,
                unit_type=unit_type,
                parent=self.orgs[parent],
            )
            self.orgs[key] = branch
            for i, group in enumerate(groups):
                self.orgs[f"{key}.{i}"] = create(
                    actor=None,
                    name=f"{name}{group}",
                    kind=OrganisationKind.GROUP,
                    unit_type=unit_type,
                    parent=branch,
                )
            services.start_term(actor=None, organisation=branch, starts_on=term_starts)

    def _users(self) -> None:
        # One hash for the five logins: hashing is deliberately slow, and the password is the same.
        password = make_password(DEMO_PASSWORD)
        User = get_user_model()
        for username, _name, _gender, _phone, _role in ACCOUNTS:
            self.users[username] = User.objects.create(
                username=username, password=password, email=f"{username}@demo.zhibu.local"
            )

    # --- members ---------------------------------------------------------------------------------------------

    def _members(self, key: str, unit_type: str, size: int, place: str) -> None:
        branch = self.orgs[key]
        groups = [org for k, org in self.orgs.items() if k.startswith(f"{key}.")]
        personas = [a for a in ACCOUNTS if PERSONA_BRANCH[a[0]] == key]
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
        for username, name, gender, phone, _role in personas:
            category = "probationary" if username == PROBATIONARY else "full"
            categories.remove(category)
            made.append(
                self._add(
                    branch,
                    unit_type,
                    place,
                    category,
                    groups,
                    len(made),
                    name=name,
                    gender=gender,
                    phone=phone,
                    user=self.users[username],
                )
            )
        for category in categories:
            made.append(self._add(branch, unit_type, place, category, groups, len(made)))
        self.members[key] = made

    def _add(
        self,
        branch,
        unit_type,
        place,
        category,
        groups,
        index,
        *,
        name=None,
        gender=None,
        phone=None,
        user=None,
    ) -> Member:
        rng = self.rng
        village = unit_type == UnitType.VILLAGE
        gender = gender or ("M" if rng.random() < (0.62 if village else 0.5) else "F")
        name = name or self._name(gender)
        age = {"full": rng.randint(26, 84 if village else 72), "probationary": rng.randint(23, 38)}.get(
            category, rng.randint(20, 34)
        )
        birth = self.today - dt.timedelta(days=365 * age + rng.randint(0, 364))
        joined_on = full_on = None
        if category == "full":
            join_age = rng.randint(19, min(age - 1, 45))
            joined_on = max(
                birth + dt.timedelta(days=365 * join_age + rng.randint(0, 300)), dt.date(1960, 7, 1)
            )
            joined_on = min(joined_on, self.today - dt.timedelta(days=400))
            full_on = add_months(joined_on, 12)
        elif category == "probationary":
            joined_on = self.today - dt.timedelta(days=rng.randint(30, 330))
        flags = self._flags(village, category, user is not None, unit_type)
        if phone is None and not (village and age > 70 and rng.random() < 0.5):
            phone = self._phone()
        return services.add_member(
            actor=None,
            organisation=branch,
            name=name,
            category=category,
            user=user,
            group=groups[index % len(groups)] if groups else None,
            id_number=self._id_number(birth, gender),
            gender=gender,
            ethnicity="汉族" if rng.random() < 0.94 else rng.choice(("回族", "畲族", "苗族", "土家族")),
            birth_date=birth,
            education=self._education(age, unit_type),
            joined_on=joined_on,
            full_on=full_on,
            job=rng.choice(JOBS[unit_type]),
            phone=phone,
            address=self._address(village, place),
            **flags,
        )

    def _flags(self, village: bool, category: str, persona: bool, unit_type: str) -> dict:
        """Migrant, lost-contact and sanctioned members: the cases the roll and the meetings must handle."""
        rng = self.rng
        if persona or category != "full":
            return {}
        roll = rng.random()
        if roll < (0.08 if village else 0.03):
            destination = rng.choice(MIGRANT_DESTINATIONS)
            return {
                "migrant": True,
                "migrant_to": destination,
                "notes": f"{self.today.year - rng.randint(1, 4)}年起在{destination}务工，组织关系未转出。",
            }
        if village and roll > 0.985:
            return {"lost_contact": True, "notes": "多次电话联系未果，已报镇党委。"}
        if unit_type in (UnitType.VILLAGE, UnitType.ENTERPRISE) and 0.5 < roll < 0.515:
            return {"standing": "probation", "notes": "受到留党察看一年处分。"}
        return {}

    def _name(self, gender: str) -> str:
        given = MALE_GIVEN if gender == "M" else FEMALE_GIVEN
        length = 1 if self.rng.random() < 0.3 else 2
        return self.rng.choice(SURNAMES) + "".join(self.rng.choice(given) for _ in range(length))

    def _id_number(self, birth: dt.date, gender: str) -> str:
        # GB 11643: region, birth date, a sequence whose last digit is odd for men, the check character.
        while True:
            seq = self.rng.randrange(0, 1000)
            if (seq % 2 == 1) != (gender == "M"):
                seq = (seq + 1) % 1000
            first17 = f"{self.rng.choice(REGION_CODES)}{birth:%Y%m%d}{seq:03d}"
            number = first17 + id_number_check_char(first17)
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
        if age > 60:
            return self.rng.choice(EDUCATION[:3])
        return self.rng.choice(EDUCATION[1:5])

    def _address(self, village: bool, place: str) -> str:
        if village:
            return f"{place}{self.rng.randint(1, 9)}组{self.rng.randint(1, 60)}号"
        return f"{place}{self.rng.randint(1, 120)}号{self.rng.randint(1, 12)}栋{self.rng.randint(1, 6)}0{self.rng.randint(1, 4)}室"

    # --- committees, officer and supervisor ------------------------------------------------------------------

    def _roles(self) -> None:
        for key, _name, _parent, _unit, _size, _groups, term_starts, _place in BRANCHES:
            branch = self.orgs[key]
            eligible = [m for m in self.members[key] if self._may_serve(m)]
            secretary = next((m for m in eligible if m.user_id == self.users[SECRETARY].pk), None)
            kinds = [RoleKind.ORGANISATION, RoleKind.PROPAGANDA, RoleKind.DISCIPLINE]
            if len(eligible) >= 40:
                kinds.insert(0, RoleKind.DEPUTY_SECRETARY)
            others = [m for m in eligible if m is not secretary]
            secretary = secretary or others.pop(0)
            for kind, member in zip([RoleKind.SECRETARY, *kinds], [secretary, *others], strict=False):
                services.assign_role(
                    actor=None, member=member, organisation=branch, kind=kind, starts_on=term_starts
                )
        services.assign_role(
            actor=None,
            member=self._persona(OFFICER),
            organisation=self.orgs["chengguan"],
            kind=RoleKind.OFFICER,
            starts_on=dt.date(2023, 3, 1),
        )
        services.assign_role(
            actor=None,
            member=self._persona(SUPERVISOR),
            organisation=self.orgs["county"],
            kind=RoleKind.SUPERVISOR,
            starts_on=dt.date(2024, 1, 1),
        )

    def _may_serve(self, member: Member) -> bool:
        """Full members in good standing, at home, under 68; the other personas keep their one role."""
        if member.user_id is not None:
            return member.user_id == self.users[SECRETARY].pk
        return (
            member.category == "full"
            and member.standing == "normal"
            and not member.migrant
            and not member.lost_contact
            and member.birth_date.year >= self.today.year - 68
        )

    def _persona(self, username: str) -> Member:
        user = self.users[username]
        return next(m for ms in self.members.values() for m in ms if m.user_id == user.pk)

    # --- 党员联户 and 三联 in the demo branch and the village ------------------------------------------------------

    def _contacts(self) -> None:
        for key in ("dongjie", "hekoucun"):
            branch = self.orgs[key]
            place = next(b[7] for b in BRANCHES if b[0] == key)
            committee = list(Member.objects.filter(roles__organisation=branch).distinct().order_by("pk"))
            linkers = committee + ([self._persona(MEMBER)] if key == "dongjie" else [])
            for member in linkers:
                for _ in range(self.rng.randint(3, 5)):
                    services.add_household(
                        actor=None,
                        member=member,
                        head_name=self._name(self.rng.choice("MF")),
                        address=self._address(key == "hekoucun", place),
                        phone=self._phone(),
                    )
            # 三联: committee members link delegates, each delegate links a few members.
            committee_ids = {m.pk for m in committee}
            rest = [m for m in self.members[key] if m.pk not in committee_ids and m.category == "full"]
            delegates, rest = rest[:4], rest[4:]
            for i, delegate in enumerate(delegates):
                services.update_member(actor=None, member=delegate, is_delegate=True)
                services.link_liaison(
                    actor=None,
                    upper=committee[i % len(committee)],
                    lower=delegate,
                    kind=LiaisonKind.COMMITTEE_TO_DELEGATE,
                )
                for lower in rest[i * 4 : (i + 1) * 4]:
                    services.link_liaison(
                        actor=None, upper=delegate, lower=lower, kind=LiaisonKind.DELEGATE_TO_MEMBER
                    )

    # --- meetings --------------------------------------------------------------------------------------------------

    def _meetings(self) -> None:
        branch = self.orgs["dongjie"]
        secretary = self.users[SECRETARY]
        now = timezone.now()
        tz = timezone.get_current_timezone()
        quarter = (self.today.month - 1) // 3 + 1
        # A general meeting that is under way: scheduled a minute ahead (the service accepts only the future)
        # and started at once, as a secretary opens the sign-in when members arrive.
        general = services.schedule_meeting(
            actor=secretary,
            organisation=branch,
            kind=MeetingKind.GENERAL,
            title=f"{self.today.year}年第{quarter}季度党员大会",
            agenda="1. 学习传达上级会议精神\n2. 通报本季度支部工作和党费收缴情况\n3. 讨论东街老旧小区加装电梯方案\n"
            "4. 推荐入党积极分子",
            starts_at=now + dt.timedelta(minutes=1),
            location="东街社区党群服务中心二楼会议室",
        )
        services.start_meeting(actor=secretary, meeting=general)
        for attendance in general.attendances.select_related("member").order_by("member__name_pinyin"):
            member = attendance.member
            if member.migrant:
                services.set_attendance(
                    actor=secretary,
                    meeting=general,
                    member=member,
                    status=AttendanceStatus.EXCUSED,
                    note="外出务工，已电话告知并书面征求意见",
                )
            elif member.user_id:  # the persona logins scanned the meeting's QR code themselves
                services.sign_in(actor=member.user, meeting=general, member=member, method=SignInMethod.SELF)
            elif not member.lost_contact and self.rng.random() < 0.7:
                services.sign_in(
                    actor=secretary, meeting=general, member=member, method=SignInMethod.SECRETARY
                )
        # Next week: an open committee meeting (三会开放) that members of other branches may ask to sit in on.
        services.schedule_meeting(
            actor=secretary,
            organisation=branch,
            kind=MeetingKind.COMMITTEE,
            is_open=True,
            title="支部委员会会议（开放）：研究社区停车难问题",
            agenda="1. 听取网格员关于停车难问题的调研情况\n2. 研究东街停车位划线和错时停车方案\n3. 确定提交党员大会讨论的事项",
            starts_at=dt.datetime.combine(self.today + dt.timedelta(days=7), dt.time(19, 30), tzinfo=tz),
            location="东街社区党群服务中心一楼议事厅",
        )
        services.schedule_meeting(
            actor=None,
            organisation=self.orgs["yizhong"],
            kind=MeetingKind.LECTURE,
            title="专题党课：教育家精神与立德树人",
            agenda="1. 书记讲党课\n2. 交流研讨",
            starts_at=dt.datetime.combine(self.today + dt.timedelta(days=12), dt.time(16, 0), tzinfo=tz),
            location="第一中学行政楼三楼会议室",
        )
        self.meetings = 3
