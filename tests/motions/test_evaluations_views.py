"""Evaluation pages per persona (allowed / 404 / 403 / 405), the one-time invitation page, the public
results of 民评官, and a member told only his own grade."""

import datetime as dt

import pytest
from django.urls import reverse

from branches.models import Member
from motions import services
from motions.models import Assessment, MemberEvaluation
from motions.services.evaluations import poll_counts

from .motion_helpers import make_branch


@pytest.fixture
def branch(tree, sam, alice, petra):
    return make_branch(tree, sam, alice, petra)


@pytest.fixture
def personas(branch, bob, olga, victor):
    return {"sam": branch.sam, "alice": branch.alice, "bob": bob, "olga": olga, "victor": victor}


@pytest.fixture
def evaluation(branch):
    return services.start_member_evaluation(actor=branch.sam, organisation=branch.org, year=2026)


@pytest.fixture
def leadership(branch):
    return services.start_leadership_evaluation(
        actor=branch.sam,
        organisation=branch.org,
        period="2026 上半年",
        held_on=dt.date(2026, 6, 30),
        report="述职报告",
    )


@pytest.mark.parametrize(
    "persona, status", [("sam", 200), ("alice", 200), ("olga", 200), ("victor", 200), ("bob", 404)]
)
def test_who_sees_a_member_evaluation(client, personas, evaluation, leadership, persona, status):
    client.force_login(personas[persona])
    assert client.get(reverse("motions:member_evaluation", args=[evaluation.pk])).status_code == status
    assert client.get(reverse("motions:leadership_evaluation", args=[leadership.pk])).status_code == status


@pytest.mark.parametrize(
    "persona, status", [("sam", 302), ("olga", 302), ("alice", 403), ("victor", 403), ("bob", 404)]
)
def test_who_moves_an_evaluation_on(client, personas, evaluation, persona, status):
    client.force_login(personas[persona])
    response = client.post(reverse("motions:member_evaluation_action", args=[evaluation.pk, "advance"]))
    assert response.status_code == status


def test_evaluation_actions_are_post_only(client, branch, evaluation, leadership):
    client.force_login(branch.sam)
    assert (
        client.get(reverse("motions:member_evaluation_action", args=[evaluation.pk, "advance"])).status_code
        == 405
    )
    assert (
        client.get(reverse("motions:leadership_action", args=[leadership.pk, "question"])).status_code == 405
    )
    assert (
        client.post(reverse("motions:leadership_action", args=[leadership.pk, "nonsense"])).status_code == 404
    )


def test_a_member_writes_his_self_assessment_and_sees_only_his_grade(client, branch, evaluation):
    client.force_login(branch.alice)
    url = reverse("motions:member_evaluation_action", args=[evaluation.pk, "self"])
    assert client.post(url, {"text": "按时缴纳党费，参加组织生活"}).status_code == 302
    assert Assessment.objects.get(
        evaluation=evaluation, member__user=branch.alice
    ).self_assessment.startswith("按时")
    Assessment.objects.filter(evaluation=evaluation).update(grade="qualified")
    Assessment.objects.filter(evaluation=evaluation, member__user=branch.alice).update(grade="excellent")
    MemberEvaluation.objects.filter(pk=evaluation.pk).update(status="concluded")
    page = client.get(reverse("motions:member_evaluation", args=[evaluation.pk])).content.decode()
    assert 'data-testid="my-grade"' in page and "Excellent" in page
    assert 'id="grades"' not in page  # the others' grades are for the committee


def test_the_grading_page_refuses_too_many_excellent(client, branch, evaluation, monkeypatch):
    MemberEvaluation.objects.filter(pk=evaluation.pk).update(status="grading")
    members = list(evaluation.assessments.values_list("member_id", flat=True))
    data = {f"grade-{m}": "excellent" if i < 3 else "qualified" for i, m in enumerate(members)}
    client.force_login(branch.sam)
    response = client.post(
        reverse("motions:member_evaluation_action", args=[evaluation.pk, "grades"]), data, follow=True
    )
    assert "At most 2 of 7 members may be graded excellent" in response.content.decode()
    assert not Assessment.objects.filter(evaluation=evaluation, grade="excellent").exists()


def test_an_invited_representative_rates_without_an_account_once(client, branch, leadership):
    _inv, token = services.invite_representative(actor=branch.sam, evaluation=leadership, name="群众代表")
    url = reverse("motions:rate", args=[token])
    assert client.get(url).status_code == 200
    assert client.get(reverse("motions:rate", args=["guessed-token"])).status_code == 404


def test_the_published_public_rating_is_public_and_the_open_one_is_not(client, branch, bob):
    rating = services.create_public_rating(
        actor=branch.sam,
        organisation=branch.org,
        leader=Member.objects.get(user=branch.sam),
        title="民评官 2026",
    )
    _inv, token = services.invite_public_rater(actor=branch.sam, rating=rating, name="村民")
    page = client.get(reverse("motions:rate", args=[token])).content.decode()
    assert "政治立场" in page and 'name="r-0"' in page
    response = client.post(reverse("motions:rate", args=[token]), {"r-0": "good", "r-3": "poor"})
    assert 'data-testid="rated"' in response.content.decode()
    url = reverse("motions:public_rating", args=[rating.pk])
    client.force_login(bob)
    assert client.get(url).status_code == 404
    services.publish_public_rating(actor=branch.sam, rating=rating)
    client.logout()
    page = client.get(url).content.decode()
    assert 'id="public-results"' in page and "政治立场" in page


@pytest.mark.parametrize(
    "persona, audience, status",
    [
        ("sam", "members", 302),
        ("sam", "higher", 403),
        ("olga", "higher", 302),
        ("alice", "members", 403),
        ("bob", "members", 404),
    ],
)
def test_two_way_ratings_come_from_the_right_audience(client, personas, branch, persona, audience, status):
    report = services.record_two_way_report(
        actor=branch.sam,
        organisation=branch.org,
        secretary=Member.objects.get(user=branch.sam),
        period="2026",
        to_higher="向上级述职",
        to_members="向党员述职",
    )
    client.force_login(personas[persona])
    response = client.post(
        reverse("motions:two_way_rate", args=[report.pk]),
        {"audience": audience, "good": 3, "fair": 1, "poor": 0},
    )
    assert response.status_code == status


def test_the_evaluation_list_is_scoped(client, branch, evaluation, bob):
    client.force_login(bob)
    assert list(client.get(reverse("motions:evaluations")).context["member_evaluations"]) == []
    client.force_login(branch.alice)
    assert list(client.get(reverse("motions:evaluations")).context["member_evaluations"]) == [evaluation]


def test_counts_of_an_uncounted_poll_are_empty():
    assert poll_counts(None) == {}


def test_the_consequences_table_is_on_the_page(client, branch, leadership):
    from motions.models import LeadershipEvaluation

    LeadershipEvaluation.objects.filter(pk=leadership.pk).update(
        status="concluded", verdicts={"team": "basically_adapted", "members": {}}
    )
    client.force_login(branch.alice)
    page = client.get(reverse("motions:leadership_evaluation", args=[leadership.pk])).content.decode()
    assert 'data-consequence="talk_secretary"' in page and "Talk with the secretary" in page
