"""Forms of motions voted by ballot (票决) and of their statistics. The services validate the domain; these
only parse the input."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Meeting, MeetingKind, MeetingStatus

from ..models import MotionCategory, OpinionChoice
from .common import MemberChoiceForm, bootstrap_widgets


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=MotionCategory.choices)
    four_two = forms.BooleanField(
        label=_("四议两公开 (village procedure)"),
        required=False,
        help_text=_("Village branches follow it by default."),
    )


class CommitteeForm(forms.Form):
    present = forms.IntegerField(
        label=_("Committee members present"),
        min_value=0,
        required=False,
        help_text=_("Not needed when the committee meeting is chosen: its sign-in sheet counts."),
    )
    decision = forms.CharField(label=_("The committee's decision"), widget=forms.Textarea(attrs={"rows": 3}))
    meeting = forms.ModelChoiceField(
        label=_("Committee meeting"), queryset=Meeting.objects.none(), required=False
    )

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organisation=organisation, kind=MeetingKind.COMMITTEE
            )


class CirculateForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("General meeting"), queryset=Meeting.objects.none())
    materials = forms.CharField(label=_("Materials"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organisation=organisation, kind=MeetingKind.GENERAL, status=MeetingStatus.SCHEDULED
            ).order_by("starts_at")


class WrittenOpinionForm(MemberChoiceForm):
    choice = forms.ChoiceField(label=_("Opinion"), choices=OpinionChoice.choices)
    handed_in_on = forms.DateField(label=_("Handed in on"), widget=forms.DateInput(attrs={"type": "date"}))


class VoteForm(forms.Form):
    secrecy = forms.ChoiceField(
        label=_("Ballot"),
        choices=[("secret", _("Secret ballot")), ("named", _("Named ballot"))],
        initial="secret",
    )


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=_("Due on"), widget=forms.DateInput(attrs={"type": "date"}))


class MotionProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Per cent done"), min_value=0, max_value=100, initial=0)


class PeriodForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), required=False, min_value=2000, max_value=2100)
    half = forms.TypedChoiceField(
        label=_("Half-year"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[("", _("Whole year")), (1, _("First half")), (2, _("Second half"))],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self.fields)
