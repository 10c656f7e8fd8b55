"""Forms of inquiries (询问 / 质询), inquiry days and the confidential channel."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput
from branches.models import Member

from ..models import AnswerMode, InquiryKind, ReportKind
from .common import MemberChoiceField, any_party_member


class InquiryForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=InquiryKind.choices, widget=forms.RadioSelect, initial=InquiryKind.ASK
    )
    target = forms.ModelChoiceField(
        label=_("Addressed to"),
        queryset=Member.objects.none(),
        required=False,
        help_text=_("A committee member; required for a formal challenge."),
    )
    subject = forms.CharField(label=_("Subject"), max_length=200, required=False)
    questions = forms.CharField(
        label=_("Questions"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    cosigners = MemberChoiceField(
        label=_("Co-signers (formal challenge)"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
    )

    def __init__(self, *args, committee, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["target"].queryset = committee
        self.fields["cosigners"].queryset = any_party_member()
        self.fields["cosigners"].widget.choices = [(m.pk, m.name) for m in members]


class ReportForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=ReportKind.choices, widget=forms.RadioSelect, initial=ReportKind.ACCUSATION
    )
    accused = forms.ModelChoiceField(
        label=_("Person concerned"), queryset=Member.objects.none(), required=False
    )
    accused_description = forms.CharField(
        label=_("Person concerned (if not listed)"), max_length=120, required=False
    )
    content = forms.CharField(label=_("Facts"), required=False, widget=forms.Textarea(attrs={"rows": 6}))

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["accused"].queryset = members


class InquiryAnswerForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("How it was answered"),
        choices=AnswerMode.choices,
        widget=forms.RadioSelect,
        initial=AnswerMode.WRITTEN,
    )
    meeting = forms.ModelChoiceField(label=_("Meeting (oral answer)"), queryset=None, required=False)
    text = forms.CharField(label=_("Answer"), required=False, widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, meetings, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["meeting"].queryset = meetings


class InquiryRatingForm(forms.Form):
    satisfied = forms.TypedChoiceField(
        label=_("Are you satisfied with the answer?"),
        choices=[("1", _("Satisfied")), ("0", _("Dissatisfied"))],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class InquiryAssignForm(forms.Form):
    responsible = forms.ModelChoiceField(label=_("Answered by"), queryset=Member.objects.none())

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = committee


class ResolutionForm(forms.Form):
    resolution = forms.CharField(
        label=_("Resolution"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )


class InquiryDayForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    receiver = forms.ModelChoiceField(label=_("Received by"), queryset=Member.objects.none())
    location = forms.CharField(label=_("Location"), max_length=200, required=False)

    def __init__(self, *args, committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receiver"].queryset = committee


class ConclusionForm(forms.Form):
    conclusion = forms.CharField(
        label=_("Conclusion"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
