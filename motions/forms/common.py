"""What the forms of several sub-domains share: member lists, a co-signer's answer, a text, a member or a
meeting of the organisation, and Bootstrap's classes on bare widgets."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from branches.models import PARTY_MEMBER_CATEGORIES, Meeting, MeetingStatus, Member

from ..selectors import party_members


def any_party_member() -> QuerySet[Member]:
    """What a co-signer field validates against: any party member on the roll, so that the service can refuse
    a member of another branch with a clear message rather than "not one of the available choices"."""
    return Member.objects.filter(is_active=True, category__in=PARTY_MEMBER_CATEGORIES)


def bootstrap_widgets(fields) -> None:
    """Forms and filters that render their bare widgets: give them Bootstrap's classes."""
    for field in fields.values():
        is_select = isinstance(field.widget, forms.Select)
        field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


class CosignForm(forms.Form):
    confirm = forms.TypedChoiceField(
        choices=[("1", _("Confirm")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


class MemberChoiceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["member"].queryset = party_members(organisation).order_by("name_pinyin", "pk")


class MeetingChoiceForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organisation=organisation, status__in=[MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS]
            ).order_by("starts_at")
