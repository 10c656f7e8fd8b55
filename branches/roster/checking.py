"""The roster file in the national column order (domain.md §1): read, check, preview, apply, export.

A roster is imported as a whole or not at all:

1. `preview_roster` reads the first sheet of the upload, checks every row and stores the cells as text
   (JSON-safe), the parsed values and every problem found, each naming its row and column. Problems are
   stored as codes and rendered by `describe()` in the reader's language.
2. `apply_roster` claims the import with a conditional UPDATE (a second submit finds it applied), checks the
   stored cells again against the database as it is now, and creates every member through
   `services.add_member`. Any problem raises `BranchError` and rolls back the whole transaction.

`export_roster` writes the same columns back, so an exported file can be imported again.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from dataclasses import dataclass
from typing import Any

import openpyxl
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.utils.datetime import from_excel

from . import rules
from .audit import log_action
from .models import (
    Gender,
    Member,
    MemberCategory,
    Organisation,
    OrganisationKind,
    RosterImport,
    RosterImportStatus,
    Standing,
)
from .selectors import member_list, scope_for
from .services import BranchError, add_member

# The national template: (header, key). The headers are the file format, never translated.
TEMPLATE = (
    ("姓名", "name"),
    ("所在党支部", "branch"),
    ("公民身份号码", "id_number"),
    ("性别", "gender"),
    ("民族", "ethnicity"),
    ("出生日期", "birth_date"),
    ("学历", "education"),
    ("人员类别", "category"),
    ("加入党组织日期", "joined_on"),
    ("转为正式党员日期", "full_on"),
    ("工作岗位", "job"),
    ("手机号码", "phone"),
    ("家庭住址", "address"),
    ("党籍状态", "standing"),
    ("是否失联", "lost_contact"),
    ("是否流动", "migrant"),
    ("流向", "migrant_to"),
    ("备注", "notes"),
)
COLUMNS = tuple(header for header, _key in TEMPLATE)
HEADER = {key: header for header, key in TEMPLATE}
INDEX = {key: i for i, (_header, key) in enumerate(TEMPLATE)}
DATE_KEYS = ("birth_date", "joined_on", "full_on")
TEXT_KEYS = ("name", "ethnicity", "education", "job", "address", "migrant_to")

MAX_ROWS = 5000
# An .xlsx is a zip: refuse archives that unpack to more than this before parsing them (zip bombs).
MAX_UNPACKED_BYTES = 64 * 1024 * 1024
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

GENDERS = {"男": Gender.MALE.value, "女": Gender.FEMALE.value}
CATEGORIES = {
    "正式党员": MemberCategory.FULL.value,
    "预备党员": MemberCategory.PROBATIONARY.value,
    "发展对象": MemberCategory.CANDIDATE.value,
    "入党积极分子": MemberCategory.ACTIVIST.value,
    "入党申请人": MemberCategory.APPLICANT.value,
}
STANDINGS = {"正常": Standing.NORMAL.value, "留党察看": Standing.PROBATION.value}
YES_NO = {"是": True, "否": False}

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Excel keeps 15 significant digits: an ID number typed as a number comes back as 1.10101198001011e+17.
_NUMBER_RE = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
# Chinese rosters pad two-character names to align them ("张　三"); the spaces are not part of the name.
_CJK_NAME_RE = re.compile(r"[\u3400-\u9fff\s]+")

MESSAGES = {
    # the file as a whole
    "unreadable": gettext_lazy(
        "This file cannot be read as an Excel workbook. Save it again in Excel as “Excel Workbook (.xlsx)”, "
        "without a password, and upload it again."
    ),
    "header": gettext_lazy(
        "The first row must hold the headers of the national roster template, in this order: %(expected)s."
    ),
    "too_many_rows": gettext_lazy("A roster holds at most %(max)d members; split the file."),
    "no_rows": gettext_lazy("The file holds no members below the header row."),
    # one cell
    "required": gettext_lazy("missing"),
    "too_long": gettext_lazy("longer than %(max)d characters"),
    "choice": gettext_lazy("“%(value)s” is not one of %(choices)s"),
    "date": gettext_lazy("“%(value)s” is not a date; write it as 2020-01-31, 2020/1/31 or 2020年1月31日"),
    "future": gettext_lazy("%(value)s is in the future"),
    "branch_unknown": gettext_lazy("“%(value)s” is not an organisation you manage within %(org)s"),
    "branch_ambiguous": gettext_lazy("several organisations within %(org)s are called “%(value)s”"),
    "id_as_number": gettext_lazy(
        "Excel stored the ID number as a number and dropped its last digits; format the column as text and "
        "type the number again"
    ),
    "id_format": gettext_lazy("an ID number has 18 characters: 17 digits, then a digit or X"),
    "id_birth_date": gettext_lazy("the date of birth in the ID number is not a real date"),
    "id_checksum": gettext_lazy("the check digit is not correct"),
    "id_taken": gettext_lazy("already belongs to a member in the system"),
    "id_repeated": gettext_lazy("the same ID number is in row %(other)d"),
    "phone_format": gettext_lazy("a mobile number has 11 digits and starts with 1"),
    "phone_taken": gettext_lazy("already belongs to a member in the system"),
    "phone_repeated": gettext_lazy("the same mobile number is in row %(other)d"),
    "full_on_missing": gettext_lazy("missing: a full member has the date he became full"),
    "full_on_early": gettext_lazy("earlier than the date of joining the party"),
    "destination_missing": gettext_lazy("missing: a migrant member has a destination"),
    "destination_not_migrant": gettext_lazy(
        "only a migrant member has a destination (“是否流动” is not “是”)"
    ),
}

Problem = dict[str, Any]  # {"row": int | None, "column": str | None, "code": str, "params": {...}}
Row = dict[str, Any]  # {"row": int, "cells": [str] * 18, "values": {...} | None}


def describe(problem: Problem) -> str:
    """The problem as a sentence in the current language, naming its row and column."""
    template = MESSAGES.get(problem["code"])
    text = str(template) % problem.get("params", {}) if template is not None else problem["code"]
    if problem.get("row") is None:
        return text
    return _("Row %(row)d, “%(column)s”: %(error)s") % {
        "row": problem["row"],
        "column": problem["column"],
        "error": text,
    }


def _problem(code: str, row: int | None = None, key: str | None = None, **params) -> Problem:
    return {"row": row, "column": HEADER[key] if key else None, "code": code, "params": params}


# --- Reading ------------------------------------------------------------------------------------------------


def _cell_text(value, key: str) -> str:
    """A cell as the text the secretary sees, whatever type Excel gave it."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int | float):
        if key in DATE_KEYS and 0 < value < 2958466:  # an Excel date serial without a date format
            return from_excel(value).date().isoformat()
        if isinstance(value, float) and key == "id_number":
            return f"{value:.15g}"
        if isinstance(value, float) and value.is_integer():
            return str(int(value))
        return str(value)
    return str(value).strip()


def _check_archive(uploaded_file) -> None:
    try:
        with zipfile.ZipFile(uploaded_file) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, EOFError, ValueError) as exc:
        raise BranchError(str(MESSAGES["unreadable"])) from exc
    if unpacked > MAX_UNPACKED_BYTES:
        raise BranchError(str(MESSAGES["unreadable"]))
    uploaded_file.seek(0)


def read_sheet(uploaded_file) -> tuple[list[str] | None, list[Row]]:
    """The header row and the non-blank rows below it, from the first sheet; at most MAX_ROWS + 1 rows.

    Raises BranchError if the file is not a readable .xlsx.
    """
    _check_archive(uploaded_file)
    width = len(TEMPLATE)
    keys = [key for _header, key in TEMPLATE] + ["extra"]
    header: list[str] | None = None
    rows: list[Row] = []
    try:
        workbook = openpyxl.load_workbook(uploaded_file, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            # Trust the cells, not the size the file declares: a wrong declaration would pad or cut rows.
            sheet.reset_dimensions()
            # One column more than the template, so that an extra header column is noticed.
            for number, values in enumerate(sheet.iter_rows(max_col=width + 1, values_only=True), start=1):
                cells = [_cell_text(value, key) for value, key in zip(values, keys, strict=False)]
                cells += [""] * (width + 1 - len(cells))
                if number == 1:
                    header = cells
                elif any(cells[:width]):  # blank rows (trailing ones above all) are not members
                    rows.append({"row": number, "cells": cells[:width]})
                    if len(rows) > MAX_ROWS:
                        break
        finally:
            workbook.close()
    except BranchError:
        raise
    except Exception as exc:  # openpyxl reports a malformed workbook through a dozen exception types
        raise BranchError(str(MESSAGES["unreadable"])) from exc
    return header, rows


def check_file(header: list[str] | None, rows: list[Row]) -> list[Problem]:
    """Problems of the file as a whole; with one of these the rows are not checked."""
    if header is None or tuple(header[: len(COLUMNS)]) != COLUMNS or any(header[len(COLUMNS) :]):
        return [_problem("header", expected="、".join(COLUMNS))]
    if len(rows) > MAX_ROWS:
        return [_problem("too_many_rows", max=MAX_ROWS)]
    if not rows:
        return [_problem("no_rows")]
    return []


# --- Checking rows ------------------------------------------------------------------------------------------


def parse_date(text: str) -> dt.date:
    """2020-01-31, 2020/1/31, 2020.1.31 or 2020年1月31日; ValueError otherwise."""
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return dt.date(*(int(part) for part in match.groups()))


def _id_number_problem(value: str) -> str | None:
    if _NUMBER_RE.fullmatch(value):
        return "id_as_number"
    if len(value) != 18 or not value[:17].isdigit() or not (value[17].isdigit() or value[17] == "X"):
        return "id_format"
    try:
        dt.date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        return "id_birth_date"
    return None if rules.id_number_is_valid(value) else "id_checksum"


class _RowChecker:
    """Checks rows in file order, remembering what earlier rows used; three queries for the whole file."""

    def __init__(self, rows: list[Row], *, actor, organisation: Organisation):
        scope = scope_for(actor)
        self.organisation = organisation
        self.branches: dict[str, list[int]] = {}
        for org in Organisation.objects.subtree_of(organisation).exclude(kind=OrganisationKind.GROUP):
            if scope.can_manage(org):
                self.branches.setdefault(org.name.strip(), []).append(org.pk)
        ids = {_normal_id(row["cells"][INDEX["id_number"]]) for row in rows} - {""}
        phones = {_normal_phone(row["cells"][INDEX["phone"]]) for row in rows} - {""}
        # Older records may hold a lower-case x; compare in upper case.
        ids_or_lower = ids | {i.lower() for i in ids}
        taken = Member.objects.filter(id_number__in=ids_or_lower).values_list("id_number", flat=True)
        self.taken_ids = {i.upper() for i in taken}
        self.taken_phones = set(Member.objects.filter(phone__in=phones).values_list("phone", flat=True))
        self.seen_ids: dict[str, int] = {}
        self.seen_phones: dict[str, int] = {}
        self.today = timezone.localdate()
        self.max_lengths = {key: Member._meta.get_field(key).max_length for key in TEXT_KEYS}

    def check(self, row: Row) -> tuple[dict | None, list[Problem]]:
        number, cells = row["row"], row["cells"]
        text = {key: cells[i] for i, (_header, key) in enumerate(TEMPLATE)}
        problems: list[Problem] = []

        def problem(key: str, code: str, **params) -> None:
            problems.append(_problem(code, number, key, **params))

        def choice(key: str, mapping: dict, default=None):
            value = text[key]
            if value == "" and default is not None:
                return default
            if value not in mapping:
                if value == "":
                    problem(key, "required")
                else:
                    problem(key, "choice", value=value, choices="、".join(mapping))
            return mapping.get(value, default)

        def date(key: str) -> dt.date | None:
            if not text[key]:
                return None
            try:
                value = parse_date(text[key])
            except ValueError:
                problem(key, "date", value=text[key])
                return None
            if value > self.today:
                problem(key, "future", value=value.isoformat())
            return value

        name = text["name"]
        if _CJK_NAME_RE.fullmatch(name):
            name = "".join(name.split())
        if not name:
            problem("name", "required")
        for key in TEXT_KEYS:
            if len(text[key]) > self.max_lengths[key]:
                problem(key, "too_long", max=self.max_lengths[key])

        organisation_id = None
        branch = text["branch"]
        matches = self.branches.get(branch, [])
        if not branch:
            problem("branch", "required")
        elif not matches:
            problem("branch", "branch_unknown", value=branch, org=self.organisation.name)
        elif len(matches) > 1:
            problem("branch", "branch_ambiguous", value=branch, org=self.organisation.name)
        else:
            organisation_id = matches[0]

        id_number = _normal_id(text["id_number"])
        if not id_number:
            problem("id_number", "required")
        elif code := _id_number_problem(id_number):
            problem("id_number", code)
        elif id_number in self.taken_ids:
            problem("id_number", "id_taken")
        elif id_number in self.seen_ids:
            problem("id_number", "id_repeated", other=self.seen_ids[id_number])
        else:
            self.seen_ids[id_number] = number

        phone = _normal_phone(text["phone"])
        if not phone:
            pass  # the mobile number is optional
        elif not (len(phone) == 11 and phone.isdigit() and phone.startswith("1")):
            problem("phone", "phone_format")
        elif phone in self.taken_phones:
            problem("phone", "phone_taken")
        elif phone in self.seen_phones:
            problem("phone", "phone_repeated", other=self.seen_phones[phone])
        else:
            self.seen_phones[phone] = number

        gender = choice("gender", GENDERS, default="")
        birth_date = date("birth_date")
        category = choice("category", CATEGORIES)
        joined_on = date("joined_on")
        full_on = date("full_on")
        if category == MemberCategory.FULL and not text["full_on"]:
            problem("full_on", "full_on_missing")
        if joined_on and full_on and full_on < joined_on:
            problem("full_on", "full_on_early")
        standing = choice("standing", STANDINGS, default=Standing.NORMAL.value)
        lost_contact = choice("lost_contact", YES_NO, default=False)
        migrant = choice("migrant", YES_NO, default=False)
        if migrant and not text["migrant_to"]:
            problem("migrant_to", "destination_missing")
        if text["migrant_to"] and not migrant and text["migrant"] in ("", "否"):
            problem("migrant_to", "destination_not_migrant")

        if problems:
            return None, problems
        values = {
            "organisation_id": organisation_id,
            "name": name,
            "id_number": id_number,
            "gender": gender,
            "ethnicity": text["ethnicity"],
            "birth_date": birth_date and birth_date.isoformat(),
            "education": text["education"],
            "category": category,
            "joined_on": joined_on and joined_on.isoformat(),
            "full_on": full_on and full_on.isoformat(),
            "job": text["job"],
            "phone": phone or None,
            "address": text["address"],
            "standing": standing,
            "lost_contact": lost_contact,
            "migrant": migrant,
            "migrant_to": text["migrant_to"],
            "notes": text["notes"],
        }
        return values, []


def _normal_id(value: str) -> str:
    return value.strip().upper()


def _normal_phone(value: str) -> str:
    return re.sub(r"[\s-]", "", value)


def check_rows(rows: list[Row], *, actor, organisation: Organisation) -> tuple[list[Row], list[Problem]]:
    """Every row checked: (rows with their parsed values, or None where a row has problems; all problems)."""
    checker = _RowChecker(rows, actor=actor, organisation=organisation)
    checked: list[Row] = []
    problems: list[Problem] = []
    for row in rows:
        values, row_problems = checker.check(row)
        checked.append({"row": row["row"], "cells": row["cells"], "values": values})
        problems.extend(row_problems)
    return checked, problems


def current_problems(roster_import: RosterImport, *, actor) -> list[Problem]:
    """The problems as they stand now: members may have been added since the upload."""
    if roster_import.status == RosterImportStatus.APPLIED or not roster_import.rows:
        return roster_import.errors
    return check_rows(roster_import.rows, actor=actor, organisation=roster_import.organisation)[1]


# --- Preview and apply --------------------------------------------------------------------------------------


@transaction.atomic
def preview_roster(*, actor, organisation: Organisation, uploaded_file) -> RosterImport:
    """Read and check an upload and store the result; raises BranchError if the file cannot be read."""
    header, rows = read_sheet(uploaded_file)
    problems = check_file(header, rows)
    if problems:
        rows = []
    else:
        rows, problems = check_rows(rows, actor=actor, organisation=organisation)
    return RosterImport.objects.create(
        organisation=organisation,
        uploaded_by=actor,
        file_name=(uploaded_file.name or "")[-200:],
        rows=rows,
        errors=problems,
    )


@transaction.atomic
def apply_roster(*, actor, roster_import: RosterImport) -> int:
    """Create every member of a checked roster, or none; returns how many were created."""
    # Claim first: a concurrent second submit waits on this row and then finds it applied.
    now = timezone.now()
    claimed = RosterImport.objects.filter(pk=roster_import.pk, status=RosterImportStatus.PREVIEWED).update(
        status=RosterImportStatus.APPLIED, applied_at=now
    )
    if not claimed:
        raise BranchError(_("This roster has already been imported."))
    if not roster_import.rows:
        raise BranchError(_("This file cannot be imported; correct it and upload it again."))
    organisation = roster_import.organisation
    rows, problems = check_rows(roster_import.rows, actor=actor, organisation=organisation)
    if problems:
        raise BranchError(
            ngettext(
                "The roster has %(count)d problem; nothing was imported.",
                "The roster has %(count)d problems; nothing was imported.",
                len(problems),
            )
            % {"count": len(problems)}
        )
    branches = Organisation.objects.in_bulk({row["values"]["organisation_id"] for row in rows})
    for row in rows:
        values = dict(row["values"])
        for key in DATE_KEYS:
            values[key] = values[key] and dt.date.fromisoformat(values[key])
        try:
            add_member(
                actor=actor,
                organisation=branches[values.pop("organisation_id")],
                name=values.pop("name"),
                category=values.pop("category"),
                **values,
            )
        except BranchError as exc:
            # A member added by someone else since the check above; nothing of this file is kept.
            raise BranchError(_("Row %(row)d: %(error)s") % {"row": row["row"], "error": exc}) from exc
    roster_import.status, roster_import.applied_at = RosterImportStatus.APPLIED, now
    log_action(
        actor,
        "roster.apply",
        roster_import,
        organisation=organisation,
        changes={
            "status": [RosterImportStatus.PREVIEWED, RosterImportStatus.APPLIED],
            "file": roster_import.file_name,
            "members": len(rows),
        },
    )
    return len(rows)


# --- Showing a preview --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewCell:
    text: str
    has_problem: bool


@dataclass(frozen=True)
class PreviewRow:
    number: int
    cells: list[PreviewCell]
    messages: list[str]


def preview_rows(rows: list[Row], problems: list[Problem]) -> list[PreviewRow]:
    """The rows as the preview table shows them: valid ID numbers masked, the cells with a problem marked."""
    by_row: dict[int, list[Problem]] = {}
    for problem in problems:
        if problem.get("row") is not None:
            by_row.setdefault(problem["row"], []).append(problem)
    id_index = INDEX["id_number"]
    table = []
    for row in rows:
        row_problems = by_row.get(row["row"], [])
        marked = {p["column"] for p in row_problems}
        cells = [PreviewCell(text, COLUMNS[i] in marked) for i, text in enumerate(row["cells"])]
        id_text = row["cells"][id_index]
        if rules.id_number_is_valid(id_text.upper()):
            # A real ID number is masked as in every list; a mistyped one is shown so it can be found.
            cells[id_index] = PreviewCell(rules.mask_id_number(id_text), cells[id_index].has_problem)
        table.append(PreviewRow(row["row"], cells, [describe(p) for p in row_problems]))
    return table


# --- Export -------------------------------------------------------------------------------------------------


_CATEGORY_LABELS = {value: label for label, value in CATEGORIES.items()}


def _export_values(member: Member) -> list:
    return [
        member.name,
        member.organisation.name,
        member.id_number or "",
        {"M": "男", "F": "女"}.get(member.gender, ""),
        member.ethnicity,
        member.birth_date,
        member.education,
        _CATEGORY_LABELS.get(member.category, member.category),
        member.joined_on,
        member.full_on,
        member.job,
        member.phone or "",
        member.address,
        "留党察看" if member.standing == Standing.PROBATION else "正常",
        "是" if member.lost_contact else "否",
        "是" if member.migrant else "否",
        member.migrant_to,
        member.notes,
    ]


def _export_cell(sheet, value) -> WriteOnlyCell:
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        # Text stays text: "=…" would otherwise become a formula, "#N/A" an error value, and a long ID
        # number a rounded float.
        cell.data_type = "s"
    return cell


EXPORT_WIDTHS = (10, 20, 21, 6, 8, 12, 10, 12, 14, 16, 16, 13, 24, 10, 9, 9, 16, 20)


def export_roster(org: Organisation) -> bytes:
    """The active members of `org`'s subtree in the national template, with full ID numbers; one query."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("党员花名册")
    for i, width in enumerate(EXPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([_export_cell(sheet, header) for header in COLUMNS])
    for member in member_list(org):
        sheet.append([_export_cell(sheet, value) for value in _export_values(member)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def purge_stale_previews(older_than: dt.timedelta = dt.timedelta(days=2)) -> int:
    """Delete previews never imported: they hold full ID numbers that no member record needs."""
    cutoff = timezone.now() - older_than
    deleted, _per_model = RosterImport.objects.filter(
        status=RosterImportStatus.PREVIEWED, created_at__lt=cutoff
    ).delete()
    return deleted
