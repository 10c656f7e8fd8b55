"""Search and filters of the boards (django-filter); they narrow an already scoped queryset."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from branches.models import Organisation
from branches.outbox import DisclosureScope
from branches.rules import is_ascii_digits

from .models import BoardCategory, DisclosureItem, ItemStatus


class BoardFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"),
        method="search",
        widget=forms.TextInput(attrs={"type": "search", "placeholder": _("Search")}),
    )
    organisation = django_filters.ModelChoiceFilter(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        method="within",
        empty_label=_("All organisations"),
    )
    category = django_filters.ChoiceFilter(
        label=_("Board category"), choices=BoardCategory.choices, empty_label=_("All categories")
    )
    period = django_filters.CharFilter(
        label=_("Period"), method="in_period", widget=forms.TextInput(attrs={"placeholder": "2026-Q1"})
    )

    class Meta:
        model = DisclosureItem
        fields = ["q", "organisation", "category", "period"]

    def __init__(self, *args, organisations=None, **kwargs):
        super().__init__(*args, **kwargs)
        if organisations is not None:
            self.filters["organisation"].queryset = organisations
            self.form.fields["organisation"].queryset = organisations

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(body__icontains=value))

    def within(self, queryset, name, value):
        return queryset.filter(organisation__path__startswith=value.path) if value else queryset

    def in_period(self, queryset, name, value):
        """ "2026" matches every period of 2026 (2026-Q1, 2026-03 …); "2026-Q1" matches exactly."""
        value = value.strip()
        if not value:
            return queryset
        if len(value) == 4 and is_ascii_digits(value):
            return queryset.filter(Q(period__startswith=value) | Q(published_at__year=int(value)))
        return queryset.filter(period=value)


class MemberBoardFilter(BoardFilter):
    scope = django_filters.ChoiceFilter(
        label=_("Scope"), choices=DisclosureScope.choices, empty_label=_("All scopes")
    )
    archive = django_filters.BooleanFilter(
        label=_("Include expired and archived items"), method="with_archive", widget=forms.CheckboxInput
    )

    class Meta(BoardFilter.Meta):
        fields = [*BoardFilter.Meta.fields, "scope"]

    def with_archive(self, queryset, name, value):
        return queryset  # the view widens the base queryset when asked; nothing to narrow here


class WorkbenchFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("All stages"),
        choices=[(s, ItemStatus(s).label) for s in ("draft", "review", "approval", "returned", "scheduled")],
    )

    class Meta:
        model = DisclosureItem
        fields = ["status"]
