from __future__ import annotations

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from . import rules
from .models import (
    AttendanceStatus,
    ExclusionReason,
    LiaisonKind,
    Meeting,
    MeetingKind,
    Member,
    RoleKind,
)
from .services.members import MEMBER_FIELDS


class LoginForm(AuthenticationForm):
    username = forms.CharField(
        label=_("Mobile phone or username"),
        max_length=150,
        widget=forms.TextInput(attrs={"autofocus": True, "autocomplete": "username", "inputmode": "text"}),
    )

    error_messages = {
        "invalid_login": _(
            "The phone number or username and the password do not match. Both are case-sensitive."
        ),
        "inactive": _("This account is inactive."),
    }


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%dT%H:%M", **kwargs)


class MemberForm(forms.ModelForm):
    class Meta:
        model = Member
        # the record as the services write it (services.members), less where the member sits
        fields = [f for f in MEMBER_FIELDS if f not in ("organisation", "group")]
        widgets = {
            "birth_date": DateInput(),
            "joined_on": DateInput(),
            "full_on": DateInput(),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        # A person's name is 姓名 and his category 人员类别 (the models' "name" and "category" are shared
        # with organisations and motions, where they read 名称 and 类别).
        labels = {"name": pgettext_lazy("person", "Name"), "category": pgettext_lazy("person", "Category")}

    def clean_id_number(self):
        value = (self.cleaned_data.get("id_number") or "").strip().upper()
        if value and not rules.id_number_is_valid(value):
            raise forms.ValidationError(
                _("The ID number is not valid: 18 characters with a correct check digit.")
            )
        return value or None

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not (len(value) == 11 and rules.is_ascii_digits(value) and value.startswith("1")):
            raise forms.ValidationError(_("A mobile number has 11 digits and starts with 1."))
        return value or None

    def clean(self):
        data = super().clean()
        if data.get("migrant") and not data.get("migrant_to"):
            self.add_error("migrant_to", _("Give the destination of a migrant member."))
        if data.get("category") == "full" and not data.get("full_on"):
            self.add_error("full_on", _("A full member has the date he became full."))
        return data


class HouseholdForm(forms.Form):
    head_name = forms.CharField(label=_("Head of household"), max_length=60)
    address = forms.CharField(label=_("Address"), max_length=200, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=20, required=False)


class LiaisonForm(forms.Form):
    lower = forms.ModelChoiceField(label=_("Linked member"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Kind"), choices=LiaisonKind.choices)


class RoleForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    kind = forms.ChoiceField(label=_("Role"), choices=RoleKind.choices)
    starts_on = forms.DateField(label=_("From"), widget=DateInput(), initial=timezone.localdate)
    ends_on = forms.DateField(label=_("Until"), widget=DateInput(), required=False)

    def __init__(self, *args, members=None, **kwargs):
        super().__init__(*args, **kwargs)
        if members is not None:
            self.fields["member"].queryset = members

    def clean(self):
        data = super().clean()
        if data.get("ends_on") and data.get("starts_on") and data["ends_on"] < data["starts_on"]:
            self.add_error("ends_on", _("A role cannot end before it starts."))
        return data


class MeetingForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ["kind", "title", "starts_at", "location", "agenda", "is_open"]
        widgets = {"starts_at": DateTimeInput(), "agenda": forms.Textarea(attrs={"rows": 5})}

    def clean_starts_at(self):
        value = self.cleaned_data["starts_at"]
        if value <= timezone.now():
            raise forms.ValidationError(_("A meeting is scheduled in the future."))
        return value


MeetingForm.base_fields["kind"].choices = MeetingKind.choices


class AttendanceForm(forms.Form):
    status = forms.ChoiceField(choices=AttendanceStatus.choices)
    exclusion_reason = forms.ChoiceField(
        choices=[("", "—"), *ExclusionReason.choices], required=False, label=_("Reason")
    )
    note = forms.CharField(max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("status") == AttendanceStatus.EXCLUDED and not data.get("exclusion_reason"):
            self.add_error("exclusion_reason", _("An exclusion from the expected count needs a reason."))
        return data


class ExclusionVoteForm(forms.Form):
    votes_for = forms.IntegerField(min_value=0, max_value=100_000, label=_("Votes for"))
    votes_cast = forms.IntegerField(min_value=1, max_value=100_000, label=_("Votes cast"))


class MinutesForm(forms.Form):
    minutes = forms.CharField(label=_("Minutes"), widget=forms.Textarea(attrs={"rows": 8}), max_length=50000)


class SitInForm(forms.Form):
    reason = forms.CharField(label=_("Why you would like to sit in"), max_length=300, required=False)


class RosterUploadForm(forms.Form):
    file = forms.FileField(label=_("Roster (.xlsx)"))

    def clean_file(self):
        f = self.cleaned_data["file"]
        if not f.name.lower().endswith(".xlsx"):
            raise forms.ValidationError(_("Upload an Excel file (.xlsx)."))
        if f.size > 5 * 1024 * 1024:
            raise forms.ValidationError(_("The file is larger than 5 MB."))
        return f


class StartMeetingForm(forms.Form):
    urgent_reason = forms.CharField(
        label=_("Reason for the urgent start"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Needed only to start before the scheduled day."),
    )


class OnlineMeetingForm(forms.Form):
    presence_rule = forms.CharField(
        label=_("How presence is established"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: camera on at the roll call, and the member answers by name."),
    )
