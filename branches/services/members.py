"""Writes on members' records: adding and updating a member, linked households, liaisons."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from pypinyin import Style, lazy_pinyin

from .. import rules
from ..audit import diff, log_action
from ..models import Household, Liaison, Member, Organisation
from .errors import BranchError


def pinyin_key(name: str) -> str:
    """ "张三" → "zhangsan zs": full pinyin and initials, searched by `icontains`."""
    syllables = lazy_pinyin(name, errors="ignore")
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")
    return f"{''.join(syllables)} {''.join(initials)}".lower()


MEMBER_FIELDS = [
    "organisation",
    "group",
    "name",
    "id_number",
    "gender",
    "ethnicity",
    "birth_date",
    "education",
    "category",
    "joined_on",
    "full_on",
    "job",
    "phone",
    "address",
    "standing",
    "lost_contact",
    "migrant",
    "migrant_to",
    "rights_suspended",
    "is_delegate",
    "notes",
]


def _check_member(values: dict) -> None:
    if values.get("id_number") and not rules.id_number_is_valid(values["id_number"]):
        raise BranchError(_("The ID number is not valid."))
    joined, full = values.get("joined_on"), values.get("full_on")
    if values.get("category") == "full" and joined and full and full < joined:
        raise BranchError(_("A member becomes full after joining, not before."))
    if not values.get("migrant"):
        values["migrant_to"] = ""


@transaction.atomic
def add_member(*, actor, organisation: Organisation, name: str, category: str, **fields) -> Member:
    values = {"organisation": organisation, "name": name.strip(), "category": category, **fields}
    _check_member(values)
    for key in ("id_number", "phone"):
        if values.get(key) == "":
            values[key] = None
    member = Member(**values, name_pinyin=pinyin_key(values["name"]))
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise BranchError(_("A member with this ID number or phone number already exists.")) from exc
    log_action(
        actor, "member.add", member, changes={"name": [None, member.name], "category": [None, category]}
    )
    return member


@transaction.atomic
def update_member(*, actor, member: Member, **values) -> Member:
    values = {k: v for k, v in values.items() if k in MEMBER_FIELDS}
    for key in ("id_number", "phone"):
        if values.get(key) == "":
            values[key] = None
    merged = {name: getattr(member, name) for name in MEMBER_FIELDS} | values
    _check_member(merged)
    changes = diff(member, MEMBER_FIELDS, merged)
    if not changes:
        return member
    for name in changes:
        setattr(member, name, merged[name])
    member.name_pinyin = pinyin_key(member.name)
    try:
        with transaction.atomic():
            member.save()
    except IntegrityError as exc:
        raise BranchError(_("A member with this ID number or phone number already exists.")) from exc
    log_action(actor, "member.update", member, changes=changes)
    return member


@transaction.atomic
def add_household(*, actor, member: Member, head_name: str, address: str = "", phone: str = "") -> Household:
    if member.households.count() >= rules.rule("households_per_member_max"):
        raise BranchError(
            _("A member links at most %(n)d households.") % {"n": rules.rule("households_per_member_max")}
        )
    household = Household.objects.create(member=member, head_name=head_name, address=address, phone=phone)
    log_action(
        actor,
        "household.add",
        household,
        organisation=member.organisation,
        changes={"head_name": [None, head_name]},
    )
    return household


@transaction.atomic
def link_liaison(*, actor, upper: Member, lower: Member, kind: str) -> Liaison:
    if upper.pk == lower.pk:
        raise BranchError(_("A member cannot be linked to himself."))
    liaison, _created = Liaison.objects.get_or_create(upper=upper, lower=lower, defaults={"kind": kind})
    log_action(
        actor,
        "liaison.link",
        liaison,
        organisation=upper.organisation,
        changes={"upper": [None, str(upper)], "lower": [None, str(lower)]},
    )
    return liaison
