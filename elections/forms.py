"""Forms of the 公推直选 pages; each validates one action's input before the service judges it."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import RoleKind

from .models import ElectionMode, InvitationPurpose, ObserverKind, Post, Rating

DUTIES = [(k, RoleKind(k).label) for k in ("organisation", "propaganda", "discipline", "committee_member")]


class ElectionForm(forms.Form):
    title = forms.CharField(label=_("title"), max_length=200)
    mode = forms.ChoiceField(label=_("mode"), choices=ElectionMode.choices, initial=ElectionMode.DIRECT)
    committee_seats = forms.IntegerField(label=_("committee seats"), min_value=1, max_value=7, initial=5)
    deputy_seats = forms.IntegerField(label=_("deputy secretary seats"), min_value=0, max_value=1, initial=0)
    request_text = forms.CharField(label=_("request (换届请示)"), widget=forms.Textarea(attrs={"rows": 4}))
    timetable = forms.CharField(
        label=_("timetable"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TextForm(forms.Form):
    text = forms.CharField(required=False, max_length=10000)


class RequiredTextForm(forms.Form):
    text = forms.CharField(max_length=10000)


class NominationForm(forms.Form):
    member = forms.IntegerField()
    post = forms.ChoiceField(choices=Post.choices)
    reason = forms.CharField(required=False, max_length=2000)


class OpenNominationForm(forms.Form):
    procedure = forms.CharField(max_length=10000)
    timetable = forms.CharField(required=False, max_length=10000)
    mobilisation_at = forms.DateTimeField(required=False)


class InviteForm(forms.Form):
    purpose = forms.ChoiceField(choices=InvitationPurpose.choices)
    name = forms.CharField(max_length=100)


class MembersVotesForm(forms.Form):
    members = forms.TypedMultipleChoiceField(coerce=int, choices=[])
    votes_for = forms.IntegerField(min_value=0)

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["members"].choices = list(member_choices)


class RecommendationForm(forms.Form):
    meeting = forms.IntegerField()
    scrutineers = forms.TypedMultipleChoiceField(coerce=int, choices=[])

    def __init__(self, *args, member_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["scrutineers"].choices = list(member_choices)


class ChooseForm(forms.Form):
    candidacies = forms.TypedMultipleChoiceField(coerce=int, choices=[], required=False)

    def __init__(self, *args, candidacy_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["candidacies"].choices = list(candidacy_choices)


class MeetingForm(forms.Form):
    starts_at = forms.DateTimeField()
    location = forms.CharField(required=False, max_length=200)


class ReportsForm(forms.Form):
    work_report = forms.CharField(max_length=50000)
    dues_report = forms.CharField(max_length=50000)


class ObserverForm(forms.Form):
    name = forms.CharField(max_length=100)
    kind = forms.ChoiceField(choices=ObserverKind.choices)


class AdoptForm(forms.Form):
    text = forms.CharField(max_length=20000)
    votes_for = forms.IntegerField(min_value=0)


class VotesForm(forms.Form):
    votes_for = forms.IntegerField(min_value=0)


class PostForm(forms.Form):
    post = forms.ChoiceField(choices=Post.choices)


class AnnounceForm(forms.Form):
    secretary = forms.IntegerField(required=False)
    deputy = forms.IntegerField(required=False)


class DutyForm(forms.Form):
    member = forms.IntegerField()
    duty = forms.ChoiceField(choices=DUTIES)


class OfficeForm(forms.Form):
    starts_on = forms.DateField(required=False)


class RatingForm(forms.Form):
    rating = forms.ChoiceField(choices=Rating.choices, widget=forms.RadioSelect)


class ReviewForm(forms.Form):
    qualified = forms.BooleanField(required=False)
    reason = forms.CharField(required=False, max_length=2000)


class ObjectionAnswerForm(forms.Form):
    answer = forms.CharField(max_length=5000)
    upheld = forms.BooleanField(required=False)


class CandidatePageForm(forms.Form):
    cv = forms.CharField(
        label=_("curriculum vitae"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    record = forms.CharField(label=_("record"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    strengths = forms.CharField(
        label=_("strengths"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    weaknesses = forms.CharField(
        label=_("weaknesses"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    pledge = forms.CharField(
        label=_("responsibility pledge (任职承诺)"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
