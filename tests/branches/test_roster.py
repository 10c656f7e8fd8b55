"""The roster file: import (preview, then all or nothing), export, and who may do which.

Files are built in memory with openpyxl, in the national column order of `branches.roster.COLUMNS`.
"""

import datetime as dt
import io
import itertools
import zipfile

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from branches import roster
from branches.models import AuditLog, Member, RosterImport
from branches.roster import COLUMNS, TEMPLATE, apply_roster, importing, preview_roster, reading
from branches.services import BranchError
from tests.factories import MemberFactory, make_id_number

_phones = itertools.count(1)
_births = itertools.count(0)


def new_id_number(gender: str = "M") -> str:
    # A birth date of its own, so the numbers never meet those the factories make.
    return make_id_number(dt.date(1985, 3, 12) + dt.timedelta(days=next(_births)), gender)


def new_phone() -> str:
    return f"1390000{next(_phones):04d}"


def member_row(branch: str = "东街社区党支部", **values) -> list:
    """A correct row of a full member; `values` (keyed as in roster.TEMPLATE) override single cells."""
    row = {
        "name": "张三",
        "branch": branch,
        "id_number": new_id_number(),
        "gender": "男",
        "ethnicity": "汉族",
        "birth_date": dt.datetime(1985, 3, 12),  # an Excel date cell
        "education": "大学本科",
        "category": "正式党员",
        "joined_on": "2010-07-01",
        "full_on": "2011/7/1",
        "job": "社区网格员",
        "phone": new_phone(),
        "address": "东街 1 号",
        "standing": "正常",
        "lost_contact": "否",
        "migrant": "否",
        "migrant_to": "",
        "notes": "",
    } | values
    return [row[key] for _header, key in TEMPLATE]


def xlsx_bytes(rows: list[list], header=COLUMNS) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    if header is not None:
        sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(rows: list[list], header=COLUMNS, name: str = "花名册.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, xlsx_bytes(rows, header), content_type=roster.XLSX_CONTENT_TYPE)


def preview(actor, org, rows, **kwargs) -> RosterImport:
    return preview_roster(actor=actor, organisation=org, uploaded_file=upload(rows, **kwargs))


def codes(roster_import: RosterImport) -> list[tuple[int | None, str | None, str]]:
    return [(p["row"], p["column"], p["code"]) for p in roster_import.errors]


def read_xlsx(content: bytes) -> list[tuple]:
    workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook.worksheets[0].iter_rows(values_only=True))
    workbook.close()
    return rows


# --- A correct file -----------------------------------------------------------------------------------------


def test_a_correct_file_of_three_rows_previews_without_problems_and_imports_three_members(
    tree, sam, client_for
):
    client = client_for(sam)
    rows = [
        member_row(name="张三", id_number=new_id_number(), phone="13912345678"),
        member_row(
            name="李　梅",
            gender="女",
            id_number=new_id_number("F"),
            category="预备党员",
            full_on="",
            joined_on="2024年3月5日",
            phone="",
            migrant="是",
            migrant_to="广东省深圳市",
            lost_contact="否",
        ),
        member_row(
            name="王五",
            category="入党积极分子",
            joined_on="",
            full_on="",
            standing="",
            migrant="",
            lost_contact="",
            notes="联系三户",
        ),
    ]
    ids = [row[2] for row in rows]

    response = client.post(reverse("branches:roster_upload", args=[tree.a.pk]), {"file": upload(rows)})

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("branches:roster_preview", args=[roster_import.pk])
    assert roster_import.errors == []
    assert [row["row"] for row in roster_import.rows] == [2, 3, 4]
    assert roster_import.rows[0]["values"]["birth_date"] == "1985-03-12"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert b'id="roster-apply"' in page.content
    assert ids[0].encode() not in page.content  # ID numbers are masked in the preview

    response = client.post(reverse("branches:roster_apply", args=[roster_import.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("branches:members", args=[tree.a.pk])
    zhang, li, wang = (Member.objects.get(id_number=i) for i in ids)
    assert (zhang.name, zhang.name_pinyin, zhang.organisation, zhang.category) == (
        "张三",
        "zhangsan zs",
        tree.a,
        "full",
    )
    assert (zhang.gender, zhang.birth_date, zhang.phone) == ("M", dt.date(1985, 3, 12), "13912345678")
    assert (zhang.joined_on, zhang.full_on, zhang.education, zhang.job) == (
        dt.date(2010, 7, 1),
        dt.date(2011, 7, 1),
        "大学本科",
        "社区网格员",
    )
    assert (li.name, li.name_pinyin, li.gender, li.category) == ("李梅", "limei lm", "F", "probationary")
    assert (li.joined_on, li.full_on, li.phone) == (dt.date(2024, 3, 5), None, None)
    assert (li.migrant, li.migrant_to, li.lost_contact) == (True, "广东省深圳市", False)
    assert (wang.category, wang.standing, wang.migrant, wang.notes) == (
        "activist",
        "normal",
        False,
        "联系三户",
    )
    roster_import.refresh_from_db()
    assert roster_import.status == "applied"
    assert roster_import.applied_at is not None
    entry = AuditLog.objects.get(verb="roster.apply")
    assert (entry.actor, entry.organisation, entry.changes["members"]) == (sam, tree.a, 3)


def test_an_officer_above_imports_members_into_the_branches_named_in_the_file(tree, olga):
    roster_import = preview(
        olga, tree.town, [member_row(branch="东街社区党支部"), member_row(branch="西街社区党支部")]
    )

    assert apply_roster(actor=olga, roster_import=roster_import) == 2

    assert sorted(m.organisation.name for m in Member.objects.filter(user=None)) == [
        "东街社区党支部",
        "西街社区党支部",
    ]


# --- Problems -----------------------------------------------------------------------------------------------


def test_a_file_with_three_bad_rows_among_good_ones_writes_nothing_and_names_each_problem(
    tree, sam, client_for
):
    client = client_for(sam)
    good_id = new_id_number()
    bad_checksum = good_id[:17] + ("0" if good_id[17] != "0" else "1")
    rows = [
        member_row(),
        member_row(id_number=bad_checksum),
        member_row(),
        member_row(branch="不存在的党支部"),
        member_row(phone="1390000"),
        member_row(),
    ]
    before = Member.objects.count()

    client.post(reverse("branches:roster_upload", args=[tree.a.pk]), {"file": upload(rows)})
    roster_import = RosterImport.objects.get()

    assert codes(roster_import) == [
        (3, "公民身份号码", "id_checksum"),
        (5, "所在党支部", "branch_unknown"),
        (6, "手机号码", "phone_format"),
    ]
    with translation.override("en"):
        assert [roster.describe(p) for p in roster_import.errors] == [
            "Row 3, “公民身份号码”: the check digit is not correct",
            "Row 5, “所在党支部”: “不存在的党支部” is not an organisation you manage within 东街社区党支部",
            "Row 6, “手机号码”: a mobile number has 11 digits and starts with 1",
        ]
    page = client.get(reverse("branches:roster_preview", args=[roster_import.pk]))
    assert b'id="roster-apply"' not in page.content
    assert page.content.count(b"table-danger") == 3
    assert bad_checksum.encode() in page.content  # shown as typed, so it can be found and corrected

    response = client.post(reverse("branches:roster_apply", args=[roster_import.pk]))

    assert response.status_code == 302
    assert Member.objects.count() == before
    roster_import.refresh_from_db()
    assert roster_import.status == "previewed"
    assert not AuditLog.objects.filter(verb="roster.apply").exists()


@pytest.mark.parametrize(
    ("cells", "column", "code"),
    [
        ({"name": ""}, "姓名", "required"),
        ({"name": "张" * 61}, "姓名", "too_long"),
        ({"branch": ""}, "所在党支部", "required"),
        ({"branch": "河口村党支部"}, "所在党支部", "branch_unknown"),  # a branch outside the upload's subtree
        ({"id_number": ""}, "公民身份号码", "required"),
        ({"id_number": "11010119850312"}, "公民身份号码", "id_format"),
        ({"id_number": 1.10101198503120e17}, "公民身份号码", "id_as_number"),
        ({"id_number": "110101198502300014"}, "公民身份号码", "id_birth_date"),
        ({"gender": "M"}, "性别", "choice"),
        ({"birth_date": "1985-13-01"}, "出生日期", "date"),
        ({"birth_date": "85年3月"}, "出生日期", "date"),
        ({"joined_on": "2999-01-01", "full_on": "", "category": "预备党员"}, "加入党组织日期", "future"),
        ({"category": ""}, "人员类别", "required"),
        ({"category": "党员"}, "人员类别", "choice"),
        ({"full_on": ""}, "转为正式党员日期", "full_on_missing"),
        ({"joined_on": "2012-01-01", "full_on": "2011-01-01"}, "转为正式党员日期", "full_on_early"),
        ({"phone": "23912345678"}, "手机号码", "phone_format"),
        ({"standing": "开除"}, "党籍状态", "choice"),
        ({"lost_contact": "Y"}, "是否失联", "choice"),
        ({"migrant": "是", "migrant_to": ""}, "流向", "destination_missing"),
        ({"migrant": "否", "migrant_to": "北京"}, "流向", "destination_not_migrant"),
    ],
)
def test_each_kind_of_bad_cell_is_one_problem_naming_its_row_and_column(tree, sam, cells, column, code):
    roster_import = preview(sam, tree.a, [member_row(), member_row(**cells)])

    assert codes(roster_import) == [(3, column, code)]
    assert roster_import.rows[1]["values"] is None


def test_the_preview_shows_a_mistyped_id_number_but_masks_a_real_one(tree, sam, client_for):
    real = new_id_number()
    roster_import = preview(sam, tree.a, [member_row(id_number=real), member_row(id_number="11010119850312")])

    page = client_for(sam).get(reverse("branches:roster_preview", args=[roster_import.pk]))

    assert real.encode() not in page.content
    assert real[:6].encode() + b"********" + real[-4:].encode() in page.content
    assert b"11010119850312" in page.content


def test_an_id_number_or_phone_used_twice_in_the_file_is_a_problem_on_the_second_row(tree, sam):
    id_number, phone = new_id_number(), new_phone()

    roster_import = preview(
        sam,
        tree.a,
        [
            member_row(id_number=id_number),
            member_row(phone=phone),
            member_row(id_number=id_number.lower(), phone=phone),
        ],
    )

    assert codes(roster_import) == [(4, "公民身份号码", "id_repeated"), (4, "手机号码", "phone_repeated")]
    assert roster_import.errors[0]["params"] == {"other": 2}


def test_an_id_number_or_phone_of_an_existing_member_is_a_problem(tree, sam, bob):
    existing = MemberFactory(organisation=tree.b, phone="13911112222")

    roster_import = preview(sam, tree.a, [member_row(id_number=existing.id_number, phone="13911112222")])

    assert codes(roster_import) == [(2, "公民身份号码", "id_taken"), (2, "手机号码", "phone_taken")]


@pytest.mark.parametrize(
    ("text", "date"),
    [
        ("2020-01-31", dt.date(2020, 1, 31)),
        ("2020/1/31", dt.date(2020, 1, 31)),
        ("2020年1月31日", dt.date(2020, 1, 31)),
        ("2020.01.31", dt.date(2020, 1, 31)),
    ],
)
def test_dates_are_read_from_text_in_the_usual_ways(text, date):
    assert roster.parse_date(text) == date


def test_dates_are_read_from_excel_dates_and_date_serials(tree, sam):
    roster_import = preview(
        sam,
        tree.a,
        [member_row(birth_date=dt.date(1985, 3, 12), joined_on=40360, full_on=dt.datetime(2011, 7, 1))],
    )

    values = roster_import.rows[0]["values"]
    assert (values["birth_date"], values["joined_on"], values["full_on"]) == (
        "1985-03-12",
        "2010-07-01",
        "2011-07-01",
    )


@pytest.mark.parametrize(
    "header",
    [
        [column for column in COLUMNS if column != "民族"],
        [*COLUMNS[:3], COLUMNS[4], COLUMNS[3], *COLUMNS[5:]],
        [*COLUMNS, "籍贯"],
        ["党员信息采集表"],
        None,
    ],
    ids=["a-column-missing", "two-columns-swapped", "an-extra-column", "a-title-row", "no-header"],
)
def test_a_wrong_or_missing_header_row_is_one_problem_and_nothing_to_import(tree, sam, header):
    roster_import = preview(sam, tree.a, [member_row(), member_row()], header=header)

    assert codes(roster_import) == [(None, None, "header")]
    assert roster_import.rows == []
    with pytest.raises(BranchError):
        apply_roster(actor=sam, roster_import=roster_import)
    assert not Member.objects.filter(user=None).exists()


def test_empty_rows_are_ignored_and_rows_keep_their_numbers(tree, sam):
    rows = [member_row(), [None] * len(COLUMNS), member_row(), ["", "  ", None], [], [None] * len(COLUMNS)]

    roster_import = preview(sam, tree.a, rows)

    assert roster_import.errors == []
    assert [row["row"] for row in roster_import.rows] == [2, 4]


def test_a_header_without_members_is_one_problem(tree, sam):
    assert codes(preview(sam, tree.a, [])) == [(None, None, "no_rows")]


def test_a_roster_longer_than_the_cap_is_refused_as_a_whole(tree, sam, monkeypatch):
    monkeypatch.setattr(reading, "MAX_ROWS", 3)

    roster_import = preview(sam, tree.a, [member_row() for _ in range(4)])

    assert codes(roster_import) == [(None, None, "too_many_rows")]
    assert roster_import.rows == []


def _zip_without_workbook() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.csv", "姓名,所在党支部\n张三,东街社区党支部\n".encode()),
        ("roster.xlsx", b"this is not a zip archive at all"),
        ("roster.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600),  # an old .xls, or a locked file
        ("roster.xlsx", _zip_without_workbook()),
        ("roster.xlsx", xlsx_bytes([member_row()])[:500]),  # cut short
        ("roster.xlsx", b""),
    ],
    ids=["csv", "random-bytes", "ole-file", "zip-without-workbook", "truncated", "empty"],
)
def test_an_unreadable_upload_is_a_form_error_not_a_server_error(tree, sam, client_for, name, content):
    response = client_for(sam).post(
        reverse("branches:roster_upload", args=[tree.a.pk]), {"file": SimpleUploadedFile(name, content)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["file"]
    assert b"is-invalid" in response.content
    assert not RosterImport.objects.exists()


# --- Applying -----------------------------------------------------------------------------------------------


def test_applying_twice_is_refused_the_second_time_and_adds_no_duplicates(tree, sam, client_for):
    client = client_for(sam)
    roster_import = preview(sam, tree.a, [member_row(), member_row(), member_row()])
    url = reverse("branches:roster_apply", args=[roster_import.pk])

    first = client.post(url, follow=True)
    second = client.post(url, follow=True)

    assert first.request["PATH_INFO"] == reverse("branches:members", args=[tree.a.pk])
    assert second.request["PATH_INFO"] == reverse("branches:roster_preview", args=[roster_import.pk])
    assert [m.level_tag for m in second.context["messages"]] == ["error"]
    assert Member.objects.filter(user=None).count() == 3
    assert AuditLog.objects.filter(verb="roster.apply").count() == 1
    with translation.override("en"), pytest.raises(BranchError, match="already been imported"):
        apply_roster(actor=sam, roster_import=roster_import)
    assert Member.objects.filter(user=None).count() == 3


def test_the_rows_are_checked_again_when_applied(tree, sam, client_for):
    row = member_row()
    roster_import = preview(sam, tree.a, [member_row(), row])
    assert roster_import.errors == []
    # Meanwhile someone records the same person by hand.
    MemberFactory(organisation=tree.b, id_number=row[2])

    with pytest.raises(BranchError):
        apply_roster(actor=sam, roster_import=roster_import)

    assert Member.objects.filter(organisation=tree.a, user=None).count() == 0
    roster_import.refresh_from_db()
    assert roster_import.status == "previewed"
    # The preview shows the problem as it stands now, not as it stood at the upload.
    page = client_for(sam).get(reverse("branches:roster_preview", args=[roster_import.pk]))
    assert b'id="roster-apply"' not in page.content
    assert [p["code"] for p in roster.current_problems(roster_import, actor=sam)] == ["id_taken"]
    assert len(page.context["problems"]) == 1


def test_a_failure_while_creating_members_keeps_none_of_them(tree, sam, monkeypatch):
    roster_import = preview(sam, tree.a, [member_row(), member_row(), member_row()])
    calls = itertools.count()
    real_add_member = importing.add_member

    def add_member_failing_on_the_third(**kwargs):
        if next(calls) == 2:
            raise BranchError("A member with this ID number or phone number already exists.")
        return real_add_member(**kwargs)

    monkeypatch.setattr(importing, "add_member", add_member_failing_on_the_third)

    with translation.override("en"), pytest.raises(BranchError, match="^Row 4: "):
        apply_roster(actor=sam, roster_import=roster_import)

    assert not Member.objects.filter(user=None).exists()
    roster_import.refresh_from_db()
    assert roster_import.status == "previewed"


# --- Export -------------------------------------------------------------------------------------------------


def test_the_export_lists_the_active_members_of_the_subtree_with_full_id_numbers(tree, olga, client_for):
    in_a = MemberFactory(
        organisation=tree.a,
        name="张三",
        notes='=HYPERLINK("http://x")',
        migrant=True,
        migrant_to="上海",
        full_on=dt.date(2011, 7, 1),
        phone="13900001111",
    )
    in_b = MemberFactory(organisation=tree.b, name="李四", category="probationary", gender="F")
    gone = MemberFactory(organisation=tree.a, name="王五")
    Member.objects.filter(pk=gone.pk).update(is_active=False)  # no service takes a member off the roll yet
    MemberFactory(organisation=tree.c, name="赵六")  # outside the town

    response = client_for(olga).get(reverse("branches:roster_export", args=[tree.town.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == roster.XLSX_CONTENT_TYPE
    assert "no-store" in response["Cache-Control"]
    rows = read_xlsx(response.content)
    assert rows[0] == COLUMNS
    by_name = {row[0]: row for row in rows[1:]}
    assert set(by_name) == {"张三", "李四", "欧干部"}
    zhang = by_name["张三"]
    assert zhang[:4] == ("张三", "东街社区党支部", in_a.id_number, "男")
    assert (zhang[7], zhang[9], zhang[11], zhang[15], zhang[16]) == (
        "正式党员",
        dt.datetime(2011, 7, 1),
        "13900001111",
        "是",
        "上海",
    )
    assert zhang[17] == '=HYPERLINK("http://x")'  # text, not a formula
    assert by_name["李四"][1:4] == ("西街社区党支部", in_b.id_number, "女")
    assert by_name["李四"][7] == "预备党员"
    cell = openpyxl.load_workbook(io.BytesIO(response.content)).worksheets[0]["R2"]
    assert cell.data_type in ("s", "inlineStr")


def test_the_export_is_named_after_the_organisation_and_the_day(tree, sam, client_for, time_machine):
    time_machine.move_to(dt.datetime(2025, 6, 1, 9, 0, tzinfo=dt.UTC))

    response = client_for(sam).get(reverse("branches:roster_export", args=[tree.a.pk]))

    disposition = response["Content-Disposition"]
    assert disposition.startswith(
        f"attachment; filename=\"roster-{tree.a.pk}-2025-06-01.xlsx\"; filename*=UTF-8''"
    )
    assert "%E4%B8%9C%E8%A1%97" in disposition  # 东街, percent-encoded


def test_an_exported_roster_imported_into_another_branch_shows_every_id_number_as_taken(
    tree, sam, olga, alice, client_for
):
    MemberFactory(
        organisation=tree.a,
        category="probationary",
        gender="F",
        birth_date=dt.date(1990, 2, 3),
        migrant=True,
        migrant_to="杭州",
        lost_contact=True,
        standing="probation",
        phone="13977770000",
    )
    exported = client_for(sam).get(reverse("branches:roster_export", args=[tree.a.pk])).content
    exported_rows = len(read_xlsx(exported)) - 1

    client = client_for(olga)
    response = client.post(
        reverse("branches:roster_upload", args=[tree.b.pk]),
        {"file": SimpleUploadedFile("export.xlsx", exported)},
    )

    roster_import = RosterImport.objects.get()
    assert response.status_code == 302
    problems = codes(roster_import)
    assert {row for row, column, code in problems if code == "id_taken"} == set(range(2, exported_rows + 2))
    # Nothing else is wrong: every other cell of the export reads back.
    assert {code for _row, _column, code in problems} <= {"id_taken", "phone_taken", "branch_unknown"}
    page = client.get(response["Location"])
    assert b'id="roster-apply"' not in page.content


@pytest.mark.parametrize("members", [1, 30])
def test_the_export_takes_the_same_number_of_queries_for_1_or_30_members(
    tree, victor, client_for, django_assert_num_queries, members
):
    MemberFactory.create_batch(members, organisation=tree.b)
    client = client_for(victor)

    # user, scope (member, roles), organisation, members, the audit entry (the session comes from the
    # cache); the first request after the login pushes the session's expiry forward (3)
    with django_assert_num_queries(9):
        response = client.get(reverse("branches:roster_export", args=[tree.b.pk]))

    assert len(read_xlsx(response.content)) == members + 1


# --- Who may do what ----------------------------------------------------------------------------------------


@pytest.fixture
def sams_import(tree, sam):
    return preview(sam, tree.a, [member_row()])


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sam", 200), ("olga", 200), ("alice", 403), ("victor", 403), ("bob", 404)],
)
def test_only_managers_of_the_branch_may_open_the_upload_page(tree, request, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("branches:roster_upload", args=[tree.a.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("victor", 403), ("bob", 404)])
def test_others_may_not_upload_a_roster(tree, request, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))

    response = client.post(
        reverse("branches:roster_upload", args=[tree.a.pk]), {"file": upload([member_row()])}
    )

    assert response.status_code == status
    assert not RosterImport.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sam", 200), ("olga", 200), ("alice", 403), ("victor", 403), ("bob", 404)],
)
def test_an_import_is_seen_only_by_the_managers_of_its_organisation(
    sams_import, request, client_for, persona, status
):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("branches:roster_preview", args=[sams_import.pk])).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("alice", 403), ("victor", 403), ("bob", 404)])
def test_others_may_not_apply_an_import(sams_import, request, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))

    assert client.post(reverse("branches:roster_apply", args=[sams_import.pk])).status_code == status
    assert not Member.objects.filter(user=None).exists()


def test_an_officer_above_may_apply_an_import_of_a_branch(sams_import, olga, client_for):
    client_for(olga).post(reverse("branches:roster_apply", args=[sams_import.pk]))

    assert Member.objects.filter(user=None).count() == 1


@pytest.mark.parametrize(
    ("persona", "status"),
    [("sam", 200), ("olga", 200), ("victor", 200), ("alice", 403), ("bob", 404)],
)
def test_managers_and_supervisors_may_export_the_roster(tree, request, client_for, persona, status):
    client = client_for(request.getfixturevalue(persona))

    assert client.get(reverse("branches:roster_export", args=[tree.a.pk])).status_code == status


def test_a_missing_import_answers_404(sam, client_for):
    assert client_for(sam).get(reverse("branches:roster_preview", args=[999999])).status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(tree, client):
    response = client.get(reverse("branches:roster_upload", args=[tree.a.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize(
    ("method", "name", "status"),
    [
        ("get", "roster_apply", 405),
        ("post", "roster_preview", 405),
        ("post", "roster_export", 405),
        ("put", "roster_upload", 405),
    ],
)
def test_wrong_methods_are_refused(sams_import, sam, client_for, method, name, status):
    pk = sams_import.pk if name in ("roster_apply", "roster_preview") else sams_import.organisation_id
    client = client_for(sam)

    assert getattr(client, method)(reverse(f"branches:{name}", args=[pk])).status_code == status
    assert not Member.objects.filter(user=None).exists()


def test_the_export_is_recorded_in_the_audit_log(client, tree, sam, alice):
    from branches.models import AuditLog

    client.force_login(sam)
    client.get(reverse("branches:roster_export", args=[tree.a.pk]))
    assert AuditLog.objects.filter(verb="roster.export", actor=sam, organisation=tree.a).exists()


def test_previews_never_imported_are_purged_after_two_days(tree, sam):
    import datetime as dt

    import time_machine

    from branches.models import RosterImport
    from branches.roster import purge_stale_previews

    RosterImport.objects.create(organisation=tree.a, uploaded_by=sam, file_name="a.xlsx", rows=[{"x": 1}])
    assert purge_stale_previews() == 0
    with time_machine.travel(dt.timedelta(days=3)):
        assert purge_stale_previews() == 1
    assert not RosterImport.objects.exists()


def test_a_meeting_scheduled_before_a_roster_import_expects_the_new_members(tree, sam, olga):
    from django.utils import timezone

    from branches import services

    meeting = services.schedule_meeting(
        actor=sam,
        organisation=tree.a,
        kind="general",
        title="下周大会",
        agenda="议题",
        starts_at=timezone.now() + dt.timedelta(days=5),
    )
    before = meeting.attendances.count()
    roster_import = preview(
        olga, tree.town, [member_row(), member_row(name="李四"), member_row(branch="西街社区党支部")]
    )
    assert apply_roster(actor=olga, roster_import=roster_import) == 3
    # The two full members of 东街 join 应到 of the meeting already scheduled; 西街's member does not.
    assert meeting.attendances.count() == before + 2
