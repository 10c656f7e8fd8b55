"""Exporting a roster in the national template, so that an exported file can be imported again."""

from __future__ import annotations

import io

import openpyxl
from openpyxl.utils import get_column_letter

from ..exports import xlsx_cell
from ..models import Member, Organisation, Standing
from ..selectors import member_list
from .columns import CATEGORIES, COLUMNS

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


EXPORT_WIDTHS = (10, 20, 21, 6, 8, 12, 10, 12, 14, 16, 16, 13, 24, 10, 9, 9, 16, 20)


def export_roster(org: Organisation) -> bytes:
    """The active members of `org`'s subtree in the national template, with full ID numbers; one query."""
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("党员花名册")
    for i, width in enumerate(EXPORT_WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(sheet, header) for header in COLUMNS])
    for member in member_list(org):
        sheet.append([xlsx_cell(sheet, value) for value in _export_values(member)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
