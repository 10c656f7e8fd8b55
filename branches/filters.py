import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import AuditLog, Member, MemberCategory

STATUS_CHOICES = [
    ("voting", _("With voting rights")),
    ("migrant", _("Migrant")),
    ("lost_contact", _("Lost contact")),
    ("probation", _("Party probation")),
    ("suspended", _("Rights suspended")),
]


def member_search_q(value: str) -> Q:
    """Members whose name contains the text, or whose pinyin (full or initials) does, or with that phone."""
    value = value.strip()
    term = value.replace(" ", "").lower()
    return Q(name__icontains=value) | Q(name_pinyin__icontains=term) | Q(phone=value)


class MemberFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(label=_("Name or pinyin"), method="search")
    category = django_filters.ChoiceFilter(
        label=pgettext_lazy("person", "Category"), choices=MemberCategory.choices, empty_label=_("All")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"), choices=STATUS_CHOICES, method="by_status", empty_label=_("All")
    )

    class Meta:
        model = Member
        fields = ["q", "category", "status"]

    def search(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(member_search_q(value))

    def by_status(self, queryset, name, value):
        from .rules import voting_rights_q

        return {
            "voting": lambda qs: qs.filter(voting_rights_q()),
            "migrant": lambda qs: qs.filter(migrant=True),
            "lost_contact": lambda qs: qs.filter(lost_contact=True),
            "probation": lambda qs: qs.filter(standing="probation"),
            "suspended": lambda qs: qs.filter(rights_suspended=True),
        }[value](queryset)


def _verb_choices(verbs) -> list[tuple[str, str]]:
    from .verbs import action_of

    return sorted(((verb, action_of(verb)) for verb in verbs), key=lambda c: c[1])


class AuditFilter(django_filters.FilterSet):
    """The audit log by date, person and action; it narrows a list already scoped to one subtree."""

    since = django_filters.DateFilter(
        label=_("From"),
        field_name="created_at",
        lookup_expr="date__gte",
        widget=forms.DateInput({"type": "date"}),
    )
    until = django_filters.DateFilter(
        label=_("Until"),
        field_name="created_at",
        lookup_expr="date__lte",
        widget=forms.DateInput({"type": "date"}),
    )
    person = django_filters.CharFilter(label=_("Person"), method="by_person")
    verb = django_filters.ChoiceFilter(label=_("Action"), choices=[], empty_label=_("All"))

    class Meta:
        model = AuditLog
        fields = ["since", "until", "person", "verb"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The actions offered are those this subtree's log holds (one query): the list names no verb that
        # happens elsewhere — the confidential channel's, above all (motions.services.common.log_confidential).
        verbs = self.queryset.order_by().values_list("verb", flat=True).distinct()
        self.form.fields["verb"].choices = [("", _("All")), *_verb_choices(verbs)]
        for field in self.form.fields.values():
            is_select = isinstance(field.widget, forms.Select)
            field.widget.attrs.setdefault("class", "form-select" if is_select else "form-control")

    def by_person(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(actor__member__name__icontains=value)
            | Q(actor__member__name_pinyin__icontains=value.replace(" ", "").lower())
            | Q(actor__username__iexact=value)
        )
