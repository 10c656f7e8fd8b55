"""Forms of democratic evaluation: member evaluation, the leadership's report and questions, one-time
invitations, 民评官 and 双向述职."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from ..models import Audience
from .common import MemberChoiceForm


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class PeerReviewForm(MemberChoiceForm):
    text = forms.CharField(label=_("Assessment"), widget=forms.Textarea(attrs={"rows": 3}))


class LeadershipForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=40, help_text=_("e.g. 2026 上半年"))
    held_on = forms.DateField(label=_("Held on"), widget=forms.DateInput(attrs={"type": "date"}))
    report = forms.CharField(label=_("Report (述职)"), widget=forms.Textarea(attrs={"rows": 5}))


class QuestionForm(forms.Form):
    asked_by = forms.CharField(label=_("Asked by"), max_length=60)
    question = forms.CharField(label=_("Question"), widget=forms.Textarea(attrs={"rows": 2}))
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class NameForm(forms.Form):
    name = forms.CharField(label=_("Name of the person invited"), max_length=60)


class PublicRatingForm(MemberChoiceForm):
    title = forms.CharField(label=_("Title"), max_length=200)


class TwoWayForm(forms.Form):
    period = forms.CharField(label=_("Period"), max_length=40)
    to_higher = forms.CharField(
        label=_("Report to the higher committee"), widget=forms.Textarea(attrs={"rows": 4})
    )
    to_members = forms.CharField(label=_("Report to the members"), widget=forms.Textarea(attrs={"rows": 4}))


class TwoWayRatingForm(forms.Form):
    audience = forms.ChoiceField(label=_("Rated by"), choices=Audience.choices)
    good = forms.IntegerField(label="好", min_value=0, initial=0)
    fair = forms.IntegerField(label="中", min_value=0, initial=0)
    poor = forms.IntegerField(label="差", min_value=0, initial=0)
