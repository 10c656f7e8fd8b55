"""Forms of a proposal's course (crispy, Bootstrap 5). They check the shape of the input; the services check
the rules and raise `MotionError`, which the views show as a form error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.models import Member

from ..models import Outcome, Satisfaction
from .common import MemberChoiceField, any_party_member


class ProposalForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("A few words; taken from the text if left empty."),
    )
    content = forms.CharField(
        label=_("Your proposal"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What should be done, and why."),
    )
    household = forms.ModelChoiceField(
        label=_("From the household"),
        queryset=None,
        required=False,
        help_text=_("If a household you keep in contact with raised it."),
    )
    cosigners = MemberChoiceField(
        label=_("Co-signers (joint proposal)"),
        queryset=Member.objects.none(),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 6}),
        help_text=_("Each co-signer confirms it before it goes to the committee."),
    )

    def __init__(self, *args, proposer: Member | None, cosigner_choices, **kwargs):
        super().__init__(*args, **kwargs)
        if proposer is not None and proposer.households.exists():
            self.fields["household"].queryset = proposer.households.all()
        else:
            del self.fields["household"]
        # The list offers the proposer's branch; any party member validates (see `any_party_member`).
        self.fields["cosigners"].queryset = any_party_member()
        self.fields["cosigners"].widget.choices = [(m.pk, m.name) for m in cosigner_choices]


class OralProposalForm(ProposalForm):
    """The secretary records a proposal made orally: he names the member who made it."""

    proposer = forms.ModelChoiceField(label=_("Proposed by"), queryset=Member.objects.none())

    field_order = ["proposer", "title", "content", "cosigners"]

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, proposer=None, **kwargs)
        self.fields["proposer"].queryset = members


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AssignForm(forms.Form):
    responsible = forms.ModelChoiceField(label=_("Responsible person"), queryset=Member.objects.none())
    department = forms.CharField(label=_("Responsible department"), max_length=100, required=False)

    def __init__(self, *args, members, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["responsible"].queryset = members


class ProgressForm(forms.Form):
    text = forms.CharField(label=_("Progress"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class AnswerForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=Outcome.choices, widget=forms.RadioSelect)
    reasons = forms.CharField(
        label=_("Reasons"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Always give the reasons; if it cannot be done yet, the explanation is the answer."),
    )


class ExtendForm(forms.Form):
    days = forms.IntegerField(label=_("Extend by (days)"), min_value=1, max_value=365)
    reason = forms.CharField(
        label=_("Reason (told to the proposer)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RatingForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Your rating of the answer"), choices=Satisfaction.choices, widget=forms.RadioSelect
    )
