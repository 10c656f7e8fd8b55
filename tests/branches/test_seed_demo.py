"""`manage.py seed_demo` builds the demo county through the services, once."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.http import HttpRequest

from branches import rules
from branches.management.commands import seed_demo
from branches.models import (
    Attendance,
    AuditLog,
    Household,
    Liaison,
    Meeting,
    Member,
    Organisation,
    Role,
    User,
)

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Organisation, Member, User, Role, Meeting, Attendance, Household, Liaison, AuditLog)
    }


@pytest.fixture
def seeded() -> dict[str, int]:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "Demo data built" in out.getvalue()
    return counts()


def test_it_builds_a_believable_county(seeded):
    county = Organisation.objects.get(name=seed_demo.COUNTY_NAME, parent=None)
    branches = Organisation.objects.subtree_of(county).filter(kind="branch")
    assert branches.count() >= 8
    assert {b.unit_type for b in branches} >= {"village", "community", "enterprise", "institution", "organ"}
    assert Organisation.objects.filter(kind="group").exists()
    for branch in branches:
        assert Role.objects.current().filter(organisation=branch, kind="secretary").count() == 1
        assert branch.terms.exists()
    assert 380 <= seeded["Member"] <= 420
    assert set(Member.objects.values_list("category", flat=True)) >= {
        "full",
        "probationary",
        "activist",
        "applicant",
    }
    assert Member.objects.filter(migrant=True).exists()
    assert Member.objects.filter(lost_contact=True).exists()
    assert Member.objects.filter(standing="probation").exists()
    assert Member.objects.filter(rights_suspended=True).exists()
    for id_number, pinyin in Member.objects.values_list("id_number", "name_pinyin"):
        assert rules.id_number_is_valid(id_number)
        assert pinyin
    in_progress = Meeting.objects.get(status="in_progress")
    assert in_progress.attendances.filter(status="present").count() > 10
    assert Meeting.objects.filter(
        status="scheduled", is_open=True, organisation=in_progress.organisation
    ).exists()
    assert seeded["Household"] >= 10
    assert seeded["Liaison"] >= 10


def test_each_persona_logs_in_with_the_demo_password_and_has_his_role(seeded, client):
    for persona in seed_demo.ACCOUNTS:
        # django-axes needs the request, which Django's test client does not pass on by itself.
        assert client.login(
            request=HttpRequest(), username=persona.username, password=seed_demo.DEMO_PASSWORD
        )
        assert Member.objects.get(user__username=persona.username).phone == persona.phone
        client.logout()

    def kinds(username):
        return set(Role.objects.filter(member__user__username=username).values_list("kind", flat=True))

    assert kinds(seed_demo.SECRETARY) == {"secretary"}
    assert kinds(seed_demo.OFFICER) == {"officer"}
    assert kinds(seed_demo.SUPERVISOR) == {"supervisor"}
    assert Member.objects.get(user__username=seed_demo.PROBATIONARY).category == "probationary"

    member = next(p for p in seed_demo.ACCOUNTS if p.username == seed_demo.MEMBER)
    response = client.post(
        "/accounts/login/", {"username": member.phone, "password": seed_demo.DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert client.get("/").context["user"].username == seed_demo.MEMBER


def test_a_second_run_adds_nothing(seeded):
    out = StringIO()
    call_command("seed_demo", stdout=out)
    assert "already present" in out.getvalue()
    assert counts() == seeded
