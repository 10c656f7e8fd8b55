"""Forms of the openness app (crispy, Bootstrap 5). They validate input; services decide and write."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Member, Organisation
from branches.outbox import DisclosureScope

from . import rules
from .models import (
    ENTRY_FIELDS,
    BoardCategory,
    CatalogueEntry,
    DisclosureItem,
    FeedbackKind,
    Frequency,
    TimingKind,
)
from .services.catalogue import entries_for


class DateInput(forms.DateInput):
    input_type = "date"


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def format_value(self, value):
        if hasattr(value, "strftime"):
            from django.utils import timezone

            if timezone.is_aware(value):
                value = timezone.localtime(value)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value


class ItemForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    category = forms.ChoiceField(label=_("Board category"), choices=BoardCategory.choices)
    body = forms.CharField(
        label=_("Content"),
        widget=forms.Textarea(attrs={"rows": 12, "data-richtext": ""}),
        help_text=_("Paragraphs, lists, tables and links are kept (simple HTML); anything else is removed."),
    )
    scope = forms.ChoiceField(label=_("Scope"), choices=DisclosureScope.choices, widget=forms.RadioSelect)
    range_organisations = forms.ModelMultipleChoiceField(
        label=_("Organisations in range"),
        queryset=Organisation.objects.none(),
        required=False,
        help_text=_("Their members, and the members of the organisations below them."),
    )
    range_members = forms.ModelMultipleChoiceField(
        label=_("People in range"),
        queryset=Member.objects.none(),
        required=False,
    )
    timing = forms.ChoiceField(label=_("Timing"), choices=TimingKind.choices)
    catalogue_entry = forms.ModelChoiceField(
        label=_("Catalogue entry it fulfils"),
        queryset=CatalogueEntry.objects.none(),
        required=False,
        empty_label=_("None (not in the catalogue)"),
    )
    period = forms.CharField(
        label=_("Period"),
        max_length=30,
        required=False,
        help_text=_("For example 2026-Q1, 2026-03 or 2026; empty: the current period."),
    )
    notice_working_days = forms.IntegerField(
        label=_("Public notice (working days)"),
        min_value=1,
        max_value=60,
        required=False,
        help_text=_("Empty: not a notice. A notice completes by itself after its last working day."),
    )
    publish_at = forms.DateTimeField(
        label=_("Publish at"),
        required=False,
        widget=DateTimeInput,
        help_text=_("Empty: as soon as it is approved."),
    )
    expires_on = forms.DateField(label=_("On display until"), required=False, widget=DateInput)
    beyond_authority = forms.BooleanField(
        label=_("Beyond our authority: the higher committee approves"), required=False
    )

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.organisation = organisation
        self.fields["range_organisations"].queryset = Organisation.objects.filter(
            Q(path__startswith=organisation.path) | Q(path__in=organisation.ancestor_paths())
        ).order_by("path")
        self.fields["range_members"].queryset = (
            Member.objects.active()
            .filter(organisation__path__startswith=_top(organisation).path)
            .select_related("organisation")
            .order_by("organisation__path", "name_pinyin")
        )
        self.fields["range_members"].label_from_instance = lambda m: f"{m.name} · {m.organisation.name}"
        self.fields["catalogue_entry"].queryset = entries_for(organisation).order_by("category", "key")

    @classmethod
    def initial_for(cls, item: DisclosureItem) -> dict:
        return {
            "title": item.title,
            "category": item.category,
            "body": item.body,
            "scope": item.scope,
            "range_organisations": list(item.range_organisations.all()),
            "range_members": list(item.range_members.all()),
            "timing": item.timing,
            "catalogue_entry": item.obligation.entry if item.obligation_id else None,
            "period": item.period,
            "notice_working_days": item.notice_working_days,
            "publish_at": item.publish_at,
            "expires_on": item.expires_on,
            "beyond_authority": item.beyond_authority,
        }

    def clean(self):
        data = super().clean()
        entry, period = data.get("catalogue_entry"), data.get("period")
        if (
            entry is not None
            and entry.is_periodic
            and period
            and not rules.period_is_valid(period, entry.frequency)
        ):
            self.add_error(
                "period",
                _("Not a period of this entry (e.g. %(example)s).")
                % {"example": {"monthly": "2026-03", "quarterly": "2026-Q1"}.get(entry.frequency, "2026")},
            )
        if data.get("scope") == DisclosureScope.RANGE and not (
            data.get("range_organisations") or data.get("range_members")
        ):
            self.add_error("range_members", _("A defined range names at least one organisation or person."))
        return data


def _top(org: Organisation) -> Organisation:
    """The people a defined range may name: those of the organisation's parent subtree (siblings too)."""
    return org.parent if org.parent_id else org


class SubmitForm(forms.Form):
    reviewer = forms.ChoiceField(label=_("Secrecy reviewer"))

    def __init__(self, *args, reviewers: list, **kwargs):
        super().__init__(*args, **kwargs)
        self.reviewers = {str(u.pk): u for u in reviewers}
        self.fields["reviewer"].choices = [("", "—")] + [(str(u.pk), u.display_name) for u in reviewers]

    def clean_reviewer(self):
        value = self.cleaned_data["reviewer"]
        if value not in self.reviewers:
            raise forms.ValidationError(_("Choose a reviewer from the list."))
        return self.reviewers[value]


class SecrecyReviewForm(forms.Form):
    necessary = forms.BooleanField(
        label=_("Disclosure is necessary and within the catalogue or the rules"), required=False
    )
    accurate = forms.BooleanField(label=_("The content is accurate and complete"), required=False)
    no_secrets = forms.BooleanField(label=_("It contains no state or party secrets"), required=False)
    no_private_data = forms.BooleanField(
        label=_("It contains no private data (ID numbers, phone numbers, addresses, health)"), required=False
    )
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class CommentForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 3}), required=False)


class ReturnForm(forms.Form):
    comment = forms.CharField(label=_("What must change"), widget=forms.Textarea(attrs={"rows": 3}))


class CorrectionForm(forms.Form):
    note = forms.CharField(
        label=_("What the correction changes and why"), widget=forms.Textarea(attrs={"rows": 3})
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(label=_("PDF or image"))


class FeedbackForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind"), choices=FeedbackKind.choices, widget=forms.RadioSelect, initial=FeedbackKind.COMMENT
    )
    body = forms.CharField(
        label=_("Your comment or objection"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(label=_("Answer"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class CatalogueEntryForm(forms.ModelForm):
    applies_to = forms.MultipleChoiceField(
        label=_("Organisation kinds"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        choices=[
            ("committee", _("Primary party committee")),
            ("general_branch", _("General party branch")),
            ("branch", _("Party branch")),
            ("group", _("Party group")),
        ],
    )

    class Meta:
        model = CatalogueEntry
        fields = ENTRY_FIELDS
        widgets = {"starts_on": DateInput, "description": forms.Textarea(attrs={"rows": 2})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["key"].disabled = True

    def clean(self):
        data = super().clean()
        if data.get("frequency") and data["frequency"] != Frequency.EVENT and not data.get("applies_to"):
            self.add_error("applies_to", _("A periodic entry names the kinds of organisation that owe it."))
        return data

    def _post_clean(self):
        # The service writes; the form only validates (no instance.full_clean uniqueness surprises).
        pass
