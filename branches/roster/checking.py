"""Checking a roster's rows, cell by cell and against the database as it is now, in three queries."""

from __future__ import annotations

import datetime as dt
import re

from django.utils import timezone

from .. import rules
from ..models import (
    Member,
    MemberCategory,
    Organisation,
    OrganisationKind,
    RosterImport,
    RosterImportStatus,
    Standing,
)
from ..rules import is_ascii_digits
from ..selectors import scope_for
from .columns import (
    CATEGORIES,
    GENDERS,
    INDEX,
    STANDINGS,
    TEMPLATE,
    TEXT_KEYS,
    YES_NO,
    Problem,
    Row,
    _problem,
)

_DATE_RE = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
# Excel keeps 15 significant digits: an ID number typed as a number comes back as 1.10101198001011e+17.
_NUMBER_RE = re.compile(r"\d(\.\d+)?[eE]\+?\d+")
# Chinese rosters pad two-character names to align them ("张　三"); the spaces are not part of the name.
_CJK_NAME_RE = re.compile(r"[\u3400-\u9fff\s]+")


def parse_date(text: str) -> dt.date:
    """2020-01-31, 2020/1/31, 2020.1.31 or 2020年1月31日; ValueError otherwise."""
    match = _DATE_RE.fullmatch(text)
    if match is None:
        raise ValueError(text)
    return dt.date(*(int(part) for part in match.groups()))


def _id_number_problem(value: str) -> str | None:
    if _NUMBER_RE.fullmatch(value):
        return "id_as_number"
    if (
        len(value) != 18
        or not is_ascii_digits(value[:17])
        or not (is_ascii_digits(value[17]) or value[17] == "X")
    ):
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
        elif not (len(phone) == 11 and is_ascii_digits(phone) and phone.startswith("1")):
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
