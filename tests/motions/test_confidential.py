"""The confidential channel (检举/控告): discipline officers see a report, the person accused never does, and
the reporter's name is in no export, no list, no audit page."""

import pytest
from django.urls import reverse

from branches.models import AuditLog, Notification
from motions import services
from motions.models import Inquiry, MisconductReport

from .conftest import member

REPORTER_NAME = "米娅"  # mia


@pytest.fixture
def report_on_dora(people):
    """mia reports dora, the branch's own discipline committee member."""
    return services.file_report(
        actor=people["mia"],
        reporter=member(people["mia"]),
        kind="accusation",
        content="杜某在发放慰问金时优亲厚友。",
        accused=member(people["dora"]),
    )


@pytest.fixture
def report_on_sam(people):
    return services.file_report(
        actor=people["mia"],
        reporter=member(people["mia"]),
        kind="complaint",
        content="孙某打击报复提意见的党员。",
        accused=member(people["sam"]),
    )


# report detail → status for each persona
VISIBILITY = {
    "report_on_dora": {
        "dora": 404,
        "victor": 200,
        "mia": 200,
        "sam": 404,
        "alice": 404,
        "bob": 404,
        "olga": 404,
    },
    "report_on_sam": {
        "sam": 404,
        "dora": 200,
        "victor": 200,
        "mia": 200,
        "alice": 404,
        "bob": 404,
        "olga": 404,
    },
}


@pytest.mark.parametrize("which", list(VISIBILITY))
def test_the_accused_gets_404_and_a_discipline_officer_sees_it(client, people, request, which):
    report = request.getfixturevalue(which)
    url = reverse("motions:report", args=[report.pk])
    for persona, expected in VISIBILITY[which].items():
        client.force_login(people[persona])
        assert client.get(url).status_code == expected, persona


def test_a_superuser_without_a_discipline_role_does_not_see_it(client, report_on_sam, admin_user):
    client.force_login(admin_user)
    assert client.get(reverse("motions:report", args=[report_on_sam.pk])).status_code == 404
    assert "admin" not in [m.app_label for m in []]  # not registered in the admin either:
    from django.contrib import admin

    assert MisconductReport not in admin.site._registry


def test_only_discipline_officers_handle_it_and_the_reporter_sees_the_conclusion(
    client, people, report_on_sam
):
    client.force_login(people["mia"])
    assert client.post(reverse("motions:report_take_up", args=[report_on_sam.pk])).status_code == 403
    client.force_login(people["dora"])
    client.post(reverse("motions:report_take_up", args=[report_on_sam.pk]))
    client.post(
        reverse("motions:report_conclude", args=[report_on_sam.pk]),
        {"conclusion": "经核实，情况属实，已处理。"},
    )
    report_on_sam.refresh_from_db()
    assert report_on_sam.status == "concluded"
    assert Notification.objects.filter(recipient=people["mia"], kind="report.concluded").exists()


def test_the_officers_are_told_but_not_the_accused(people, report_on_dora):
    told = set(Notification.objects.filter(kind="report.filed").values_list("recipient__username", flat=True))
    assert told == {"victor"}
    assert (
        not Notification.objects.filter(recipient=people["dora"])
        .exclude(kind__startswith="proposal")
        .exists()
    )
    assert REPORTER_NAME not in " ".join(
        Notification.objects.filter(kind="report.filed").values_list("subject", flat=True)
    )


def test_the_reporters_name_is_in_no_export_list_or_audit_page(
    client, people, report_on_dora, report_on_sam, tree
):
    client.force_login(people["victor"])
    export = client.get(reverse("motions:report_export"))
    assert export.status_code == 200
    text = export.content.decode("utf-8-sig")
    assert "杜纪检" in text and "孙书记" in text  # the persons concerned are listed
    assert REPORTER_NAME not in text
    for url in [
        reverse("motions:reports"),
        reverse("motions:proposal_export"),
        reverse("motions:inquiry_export"),
        reverse("motions:proposals"),
        reverse("motions:inquiries"),
    ]:
        assert REPORTER_NAME not in client.get(url).content.decode("utf-8-sig"), url
    # The branch's audit page (its secretary may be the person accused) does not show that a report exists.
    from branches.selectors import audit_for

    assert not audit_for(tree.a).filter(verb__startswith="report").exists()
    client.force_login(people["sam"])
    assert "report.file" not in client.get(reverse("branches:audit", args=[tree.a.pk])).content.decode()
    entries = AuditLog.objects.filter(content_type__model="misconductreport")
    assert entries.count() == 2
    assert all(e.actor_id is None and e.organisation_id is None for e in entries)
    assert all(REPORTER_NAME not in e.object_repr for e in entries)


def test_only_discipline_officers_export_reports(client, people, report_on_sam):
    for persona, expected in {
        "sam": 403,
        "olga": 403,
        "alice": 403,
        "mia": 403,
        "dora": 200,
        "victor": 200,
    }.items():
        client.force_login(people[persona])
        assert client.get(reverse("motions:report_export")).status_code == expected, persona


def test_the_report_list_shows_each_officer_his_jurisdiction_less_what_names_him(
    client, people, report_on_dora, report_on_sam
):
    client.force_login(people["dora"])
    page = client.get(reverse("motions:reports")).content.decode()
    assert f"#{report_on_sam.pk}" in page and f"#{report_on_dora.pk}" not in page
    client.force_login(people["alice"])
    assert "#" + str(report_on_sam.pk) not in client.get(reverse("motions:reports")).content.decode()


def test_an_inquiry_that_is_really_a_report_moves_to_the_confidential_channel(client, people):
    inquiry = services.file_inquiry(
        actor=people["alice"],
        author=member(people["alice"]),
        kind="ask",
        subject="关于陈某",
        questions="陈某挪用了活动经费吗？",
        target=member(people["carl"]),
    )
    client.force_login(people["sam"])
    response = client.post(reverse("motions:inquiry_to_confidential", args=[inquiry.pk]))
    assert response.status_code == 302
    assert not Inquiry.objects.filter(pk=inquiry.pk).exists()
    report = MisconductReport.objects.get()
    assert (report.reporter, report.accused) == (member(people["alice"]), member(people["carl"]))
    client.force_login(people["carl"])
    assert client.get(reverse("motions:report", args=[report.pk])).status_code == 404
    client.force_login(people["dora"])
    assert client.get(reverse("motions:report", args=[report.pk])).status_code == 200


def test_a_member_cannot_move_an_inquiry_to_the_confidential_channel(client, people):
    inquiry = services.file_inquiry(
        actor=people["alice"], author=member(people["alice"]), kind="ask", subject="问题", questions="问题？"
    )
    client.force_login(people["mia"])
    assert client.post(reverse("motions:inquiry_to_confidential", args=[inquiry.pk])).status_code == 403
    assert Inquiry.objects.filter(pk=inquiry.pk).exists()


def test_a_report_needs_facts_and_concerns_somebody_else(people):
    with pytest.raises(services.MotionError, match="facts"):
        services.file_report(
            actor=people["mia"], reporter=member(people["mia"]), kind="accusation", content=" "
        )
    with pytest.raises(services.MotionError, match="somebody else"):
        services.file_report(
            actor=people["mia"],
            reporter=member(people["mia"]),
            kind="accusation",
            content="x",
            accused=member(people["mia"]),
        )
    assert not MisconductReport.objects.exists()
