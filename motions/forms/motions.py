"""Forms of motions and evaluations (crispy, Bootstrap 5). The services validate the domain; these only
parse the input."""

from __future__ import annotations

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Meeting, Member

from .models import Audience, Motion, MotionCategory, MotionStatus, OpinionChoice


class MotionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 5}))
    category = forms.ChoiceField(label=_("Category"), choices=MotionCategory.choices)
    four_two = forms.BooleanField(
        label=_("四议两公开 (village procedure)"),
        required=False,
        help_text=_("Village branches follow it by default."),
    )


class TextForm(forms.Form):
    text = forms.CharField(label=_("Text"), widget=forms.Textarea(attrs={"rows": 3}))


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
                organisation=organisation, kind="committee"
            )


class CirculateForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("General meeting"), queryset=Meeting.objects.none())
    materials = forms.CharField(label=_("Materials"), widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organisation=organisation, kind="general", status="scheduled"
            ).order_by("starts_at")


class MemberChoiceForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["member"].queryset = Member.objects.filter(
                organisation__path__startswith=organisation.path,
                is_active=True,
                category__in=["full", "probationary"],
            ).order_by("name_pinyin", "pk")


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


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), widget=forms.Textarea(attrs={"rows": 3}))
    percent = forms.IntegerField(label=_("Per cent done"), min_value=0, max_value=100, initial=0)


def _bootstrap(fields) -> None:
    """Filter forms render their bare widgets: give them Bootstrap's classes."""
    for field in fields.values():
        is_select = isinstance(field.widget, forms.Select)
        field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")


class MotionFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("State"), choices=MotionStatus.choices, empty_label=_("All"))
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=MotionCategory.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="created_at", lookup_expr="year")

    class Meta:
        model = Motion
        fields = ["status", "category", "year"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        _bootstrap(self.form.fields)


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
        _bootstrap(self.fields)


# --- evaluations ------------------------------------------------------------------------------------


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100)


class MeetingChoiceForm(forms.Form):
    meeting = forms.ModelChoiceField(label=_("Meeting"), queryset=Meeting.objects.none())

    def __init__(self, *args, organisation=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisation is not None:
            self.fields["meeting"].queryset = Meeting.objects.filter(
                organisation=organisation, status__in=["scheduled", "in_progress"]
            ).order_by("starts_at")


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
