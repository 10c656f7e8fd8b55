"""Forms of first deliberation (首议): the topic, its review and meeting, written notices, groups, the
conclusion and the satisfaction surveys."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import DateTimeInput
from branches.models import Member

from ..models import SurveyAudience, TopicSource, WrittenNoticeChannel


class TopicForm(forms.Form):
    title = forms.CharField(label=_("Topic"), max_length=200)
    description = forms.CharField(label=_("Description"), widget=forms.Textarea(attrs={"rows": 5}))
    source = forms.ChoiceField(label=_("Put forward by"), choices=TopicSource.choices)
    supporters = forms.IntegerField(label=_("Supporters"), min_value=0, required=False)
    base = forms.IntegerField(
        label=_("Out of (all villagers or representatives)"), min_value=1, required=False
    )


class TopicReviewForm(forms.Form):
    accept = forms.TypedChoiceField(
        label=_("Decision"),
        choices=[("1", _("Take it up")), ("0", _("Do not take it up"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(
        label=_("Note (required when not taken up)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class TopicMeetingForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Meeting starts"), widget=DateTimeInput())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)


class WrittenNoticeForm(forms.Form):
    member = forms.ModelChoiceField(label=_("Member"), queryset=Member.objects.none())
    channel = forms.ChoiceField(label=_("Told"), choices=WrittenNoticeChannel.choices)
    opinion = forms.CharField(
        label=_("Opinion collected"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = members


class GroupForm(forms.Form):
    name = forms.CharField(label=_("Group"), max_length=60)
    leader = forms.ModelChoiceField(label=_("Leader"), queryset=Member.objects.none())
    recorder = forms.ModelChoiceField(label=_("Recorder"), queryset=Member.objects.none())

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = members
        self.fields["recorder"].queryset = members


class GroupRecordForm(forms.Form):
    record = forms.CharField(
        label=_("Record of the discussion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class TopicConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    decision = forms.CharField(label=_("Decision"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class SurveyForm(forms.Form):
    audience = forms.ChoiceField(label=_("Among"), choices=SurveyAudience.choices)
    satisfied = forms.IntegerField(label=_("Satisfied"), min_value=0)
    basically = forms.IntegerField(label=_("Basically satisfied"), min_value=0)
    dissatisfied = forms.IntegerField(label=_("Dissatisfied"), min_value=0)
