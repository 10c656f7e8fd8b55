"""Forms of the motions app (crispy, Bootstrap 5). They check the shape of the input; the services check
the rules and raise `MotionError`, which the views show as a form error."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from branches.forms import DateInput, DateTimeInput
from branches.models import Member

from .models import (
    AnswerMode,
    InquiryKind,
    Outcome,
    ReportKind,
    Satisfaction,
    SurveyAudience,
    TopicSource,
    WrittenNoticeChannel,
)


class MemberChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Member) -> str:
        return obj.name


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
        # The list offers the proposer's branch; any party member validates, so that the service can refuse a
        # member of another branch with a clear message rather than "not one of the available choices".
        self.fields["cosigners"].queryset = Member.objects.filter(
            is_active=True, category__in=["full", "probationary"]
        )
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


class CosignForm(forms.Form):
    confirm = forms.TypedChoiceField(
        choices=[("1", _("Confirm")), ("0", _("Decline"))], coerce=lambda v: v == "1"
    )


# --- inquiries ------------------------------------------------------------------------------------


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
        self.fields["cosigners"].queryset = Member.objects.filter(
            is_active=True, category__in=["full", "probationary"]
        )
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


# --- first deliberation ---------------------------------------------------------------------------


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
