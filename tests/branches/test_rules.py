import datetime as dt

import pytest

from branches import rules
from branches.models import Member
from tests.factories import MemberFactory, make_id_number


@pytest.mark.parametrize(
    ("category", "standing", "suspended", "active", "votes"),
    [
        ("full", "normal", False, True, True),
        ("probationary", "normal", False, True, False),
        ("candidate", "normal", False, True, False),
        ("activist", "normal", False, True, False),
        ("applicant", "normal", False, True, False),
        ("full", "probation", False, True, False),
        ("full", "normal", True, True, False),
        ("full", "normal", False, False, False),
    ],
)
def test_voting_rights_follow_the_rule_in_python_and_in_sql(db, category, standing, suspended, active, votes):
    member = MemberFactory(category=category, standing=standing, rights_suspended=suspended, is_active=active)
    assert rules.has_voting_rights(member) is votes
    assert Member.objects.with_voting_rights().filter(pk=member.pk).exists() is votes


def test_migrant_and_lost_contact_members_keep_their_vote(db):
    member = MemberFactory(migrant=True, migrant_to="深圳", lost_contact=True)
    assert member.has_voting_rights


@pytest.mark.parametrize(
    ("full_on", "today", "age"),
    [
        (dt.date(2020, 6, 30), dt.date(2026, 6, 29), 5),
        (dt.date(2020, 6, 30), dt.date(2026, 6, 30), 6),
        (dt.date(2020, 2, 29), dt.date(2021, 2, 28), 0),
    ],
)
def test_party_age_counts_whole_years_from_becoming_full(db, full_on, today, age):
    member = Member(category="full", full_on=full_on)
    assert rules.party_age(member, today) == age


def test_a_probationary_member_has_no_party_age():
    assert rules.party_age(Member(category="probationary", joined_on=dt.date(2025, 1, 1))) is None


def test_id_numbers_are_checked_and_masked():
    good = make_id_number(dt.date(1975, 5, 17))
    assert rules.id_number_is_valid(good)
    bad_check = good[:17] + ("0" if good[17] != "0" else "1")
    assert not rules.id_number_is_valid(bad_check)
    assert not rules.id_number_is_valid("11010119751317001X")  # month 13
    assert not rules.id_number_is_valid("12345")
    assert rules.mask_id_number(good) == good[:6] + "********" + good[-4:]
    assert rules.mask_id_number(None) == ""


def shape(full, size=3, secretary=True, deputies=0):
    return rules.CommitteeShape(
        full_members=full, committee_size=size, has_secretary=secretary, deputies=deputies
    )


@pytest.mark.parametrize(
    ("committee_shape", "expected_fragments"),
    [
        (shape(2, size=1), ["at least 3"]),
        (shape(3, size=1), []),
        (shape(6, size=1), []),
        (shape(7, size=1), ["committee of 3–5"]),
        (shape(7, size=3), []),
        (shape(7, size=5), []),
        (shape(7, size=6), ["committee of 3–5"]),
        (shape(50, size=5), []),
        (shape(51, size=5), ["more than 50"]),
        (shape(10, size=4, deputies=2), ["deputy"]),
        (shape(10, size=4, secretary=False), ["no secretary"]),
    ],
)
def test_committee_structure_warnings_at_their_boundaries(settings, committee_shape, expected_fragments):
    settings.LANGUAGE_CODE = "en"
    from django.utils import translation

    with translation.override("en"):
        warnings = rules.committee_warnings(committee_shape)
    assert len(warnings) == len(expected_fragments)
    for fragment, warning in zip(expected_fragments, warnings, strict=True):
        assert fragment in warning


@pytest.mark.parametrize(
    ("unit_type", "start", "end", "reminder"),
    [
        ("enterprise", dt.date(2024, 3, 15), dt.date(2027, 3, 15), dt.date(2026, 9, 15)),
        ("village", dt.date(2024, 3, 15), dt.date(2029, 3, 15), dt.date(2028, 9, 15)),
        ("community", dt.date(2024, 8, 31), dt.date(2029, 8, 31), dt.date(2029, 2, 28)),
    ],
)
def test_terms_last_three_years_or_five_for_villages_and_communities(unit_type, start, end, reminder):
    from branches.models import Organisation

    assert rules.term_dates(Organisation(unit_type=unit_type), start) == (end, reminder)


def test_attendance_figures_leave_the_excluded_out_of_the_expected():
    figures = rules.attendance_figures(["present", "present", "excused", "excluded", "expected"])
    assert (figures.expected, figures.present, figures.excused, figures.excluded, figures.absent) == (
        4,
        2,
        1,
        1,
        1,
    )


def test_a_committee_above_branches_gets_no_branch_size_warning(settings):
    from django.utils import translation

    county = rules.CommitteeShape(
        full_members=800, committee_size=9, has_secretary=True, deputies=3, branch_rules=False
    )
    with translation.override("en"):
        assert rules.committee_warnings(county) == []
        headless = rules.CommitteeShape(
            full_members=1, committee_size=0, has_secretary=False, deputies=0, branch_rules=False
        )
        assert rules.committee_warnings(headless) == ["The organisation has no secretary."]
        group = rules.CommitteeShape(
            full_members=1,
            committee_size=0,
            has_secretary=False,
            deputies=0,
            branch_rules=False,
            secretary_post=False,
        )
        assert rules.committee_warnings(group) == []


@pytest.mark.parametrize(
    ("kind", "branch", "secretary_post"),
    [
        ("committee", False, True),
        ("general_branch", False, True),
        ("branch", True, True),
        ("group", False, False),
    ],
)
def test_the_unit_type_predicates(kind, branch, secretary_post):
    from branches.models import Organisation

    org = Organisation(kind=kind)
    assert rules.is_branch(org) is branch
    assert rules.has_secretary_post(org) is secretary_post
