"""List filters (django-filter) for the boards; they narrow a queryset that is already scoped."""

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .forms.common import bootstrap_widgets
from .models import (
    Inquiry,
    InquiryKind,
    InquiryStatus,
    Motion,
    MotionCategory,
    MotionStatus,
    Proposal,
    ProposalStatus,
    Topic,
    TopicStatus,
)
from .rules import AMBER, DONE, GREEN, RED, WAITING

LIGHTS = [
    (RED, _("Overdue")),
    (AMBER, _("Due soon")),
    (GREEN, _("On course")),
    (WAITING, _("Not yet registered")),
    (DONE, _("Answered or closed")),
]


class BootstrapFilterSet(django_filters.FilterSet):
    """Bootstrap classes on the filter widgets (the boards render them in one row)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        bootstrap_widgets(self.form.fields)


def _search(fields):
    def search(queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    return search


class ProposalFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method=_search(["title", "content", "proposer__name", "department"])
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=ProposalStatus.choices)
    light = django_filters.ChoiceFilter(label=_("Time limit"), choices=LIGHTS, field_name="light")

    class Meta:
        model = Proposal
        fields = ["q", "status", "light"]


class InquiryFilter(BootstrapFilterSet):
    q = django_filters.CharFilter(label=_("Search"), method=_search(["subject", "questions"]))
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=InquiryKind.choices)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=InquiryStatus.choices)
    light = django_filters.ChoiceFilter(label=_("Time limit"), choices=LIGHTS, field_name="light")

    class Meta:
        model = Inquiry
        fields = ["q", "kind", "status", "light"]


class TopicFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(label=_("Status"), choices=TopicStatus.choices)

    class Meta:
        model = Topic
        fields = ["status"]


class MotionFilter(BootstrapFilterSet):
    status = django_filters.ChoiceFilter(label=_("State"), choices=MotionStatus.choices, empty_label=_("All"))
    category = django_filters.ChoiceFilter(
        label=_("Category"), choices=MotionCategory.choices, empty_label=_("All")
    )
    year = django_filters.NumberFilter(label=_("Year"), field_name="created_at", lookup_expr="year")

    class Meta:
        model = Motion
        fields = ["status", "category", "year"]
