"""The national roster template: its columns, the values its cells take, and the problems a file can have."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from ..models import Gender, MemberCategory, Standing

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
