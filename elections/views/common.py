"""What the pages of 公推直选 share: the branch's members, and reading a step's form."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _

from branches.models import Member

from .. import forms as f
from ..models import Election
from ..services import ElectionError


def members_of(election: Election) -> QuerySet[Member]:
    """The active members of the electing organisation and the organisations under it, by pinyin."""
    return Member.objects.filter(
        organisation__path__startswith=election.organisation.path, is_active=True
    ).order_by("name_pinyin", "pk")


def read_form(form_class, request: HttpRequest, **kwargs) -> dict:
    """The cleaned data of a step's form, or an ElectionError that says which field is wrong and why."""
    form = form_class(request.POST, **kwargs)
    if not form.is_valid():
        errors = "; ".join(f"{k}: {' '.join(v)}" for k, v in form.errors.items())
        raise ElectionError(_("The form is incomplete: %(errors)s") % {"errors": errors})
    return form.cleaned_data


def member_of(election: Election, pk: int | None) -> Member | None:
    """The member chosen on a form, refused unless he belongs to the electing organisation."""
    if pk is None:
        return None
    member = members_of(election).filter(pk=pk).first()
    if member is None:
        raise ElectionError(_("Choose a member of the branch."))
    return member


def member_choices(election: Election) -> list[tuple[int, str]]:
    return list(members_of(election).values_list("pk", "name"))


def read_text(request: HttpRequest) -> str:
    return read_form(f.TextForm, request)["text"]
