import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from .models import Member, MemberCategory

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
