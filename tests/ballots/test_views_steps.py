"""The POST steps posted from a poll page and from a candidate page, where the URL names a row below them
(an option, a scrutineer, a question, an objection): missing answers 404, hidden 404, forbidden 403, GET
405; otherwise the step's message or refusal is flashed and the page goes back where it came from."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from ballots.models import PollOption, Scrutineer
from elections import services
from elections.models import CandidateQuestion, Objection
from tests.elections.procedure_flow import candidacy, members_by_username, to_candidates, to_notice
from tests.factories import MemberFactory, UserFactory

from .conftest import make_poll

pytestmark = pytest.mark.django_db


PROCEDURE = {"candidate", "election", "question_answer", "objection_answer"}  # 公推直选's own pages


def url(name, *args):
    return reverse(f"{'elections' if name in PROCEDURE else 'ballots'}:{name}", args=args)


def flashed(client, response) -> list[str]:
    """The levels of the messages the response leaves for the next page; read once (the cookie goes)."""
    levels = [m.level_tag for m in get_messages(response.wsgi_request)]
    client.cookies.pop("messages", None)
    return levels


@pytest.fixture
def draft(meeting, sam, members):
    return make_poll(
        meeting,
        sam,
        options=[members["m1"], members["m2"]],
        scrutineers=[members["m4"]],
        seal=False,
        open_=False,
    )


@pytest.mark.parametrize(
    "name, rows", [("option_remove", PollOption.objects), ("scrutineer_remove", Scrutineer.objects)]
)
def test_a_row_of_a_poll_is_removed_by_its_organiser_only(client, draft, sam, alice, bob, name, rows):
    row = rows.filter(poll=draft).first()
    client.force_login(bob)
    assert client.post(url(name, row.pk)).status_code == 404
    client.force_login(alice)
    assert client.post(url(name, row.pk)).status_code == 404  # a draft is seen by its organisers only
    client.force_login(sam)
    assert client.get(url(name, row.pk)).status_code == 405
    assert client.post(url(name, 999999)).status_code == 404
    response = client.post(url(name, row.pk))
    assert response.status_code == 302 and response["Location"] == url("poll", draft.pk)
    assert flashed(client, response) == []
    assert not rows.filter(pk=row.pk).exists()


def test_a_refused_removal_is_flashed_on_the_poll_page(client, sam, meeting, members):
    poll = make_poll(meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]])
    client.force_login(sam)
    response = client.post(url("option_remove", poll.options.get().pk))
    assert response["Location"] == url("poll", poll.pk)
    assert flashed(client, response) == ["error"]
    assert poll.options.exists()


@pytest.mark.parametrize("name", ["option_add", "scrutineer_add"])
def test_an_incomplete_form_is_flashed_on_the_poll_page(client, draft, sam, name):
    client.force_login(sam)
    response = client.post(url(name, draft.pk), {"member": 999999})
    assert response["Location"] == url("poll", draft.pk)
    assert flashed(client, response) == ["error"]


def test_a_poll_step_flashes_its_message_or_its_refusal(client, sam, meeting, members):
    poll = make_poll(
        meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]], open_=False
    )
    client.force_login(sam)
    opened = client.post(url("open", poll.pk))
    assert opened["Location"] == url("poll", poll.pk) and flashed(client, opened) == ["success"]
    voided = client.post(url("void", poll.pk), {"reason": "重来"})
    assert voided["Location"] == url("poll", poll.pk) and flashed(client, voided) == []
    poll.refresh_from_db()
    assert poll.status == "void"
    closed = client.post(url("close", poll.pk))
    assert closed["Location"] == url("poll", poll.pk) and flashed(client, closed) == ["error"]


@pytest.fixture
def ten(tree, sam, alice, petra, olga):
    for i in range(1, 9):
        MemberFactory(organisation=tree.a, user=UserFactory(username=f"m{i}"))
    return members_by_username(tree.a)


def test_only_the_candidate_answers_a_question(client, tree, sam, olga, ten):
    election = to_candidates(tree, sam, olga, ten)
    asked = services.ask_question(
        actor=ten["m5"].user, candidacy=candidacy(election, ten["m1"].name), text="为什么？"
    )
    page = url("candidate", asked.candidacy_id)
    assert client.post(url("question_answer", asked.pk), {"text": "因为"}).status_code == 302  # to the login
    client.force_login(ten["m5"].user)
    assert client.post(url("question_answer", asked.pk), {"text": "因为"}).status_code == 403
    client.force_login(ten["m1"].user)
    assert client.get(url("question_answer", asked.pk)).status_code == 405
    assert client.post(url("question_answer", 999999), {"text": "因为"}).status_code == 404
    refused = client.post(url("question_answer", asked.pk), {"text": ""})
    assert refused["Location"] == page and flashed(client, refused) == ["error"]
    response = client.post(url("question_answer", asked.pk), {"text": "因为"})
    assert response["Location"] == page and flashed(client, response) == ["success"]
    assert CandidateQuestion.objects.get(pk=asked.pk).answer == "因为"


def test_an_objection_is_answered_by_a_manager_and_back_goes_to_the_election(client, tree, sam, olga, ten):
    election = to_notice(tree, sam, olga, ten)
    raised = services.raise_objection(
        actor=ten["m5"].user, candidacy=candidacy(election, ten["m1"].name), text="意见"
    )
    client.force_login(ten["m5"].user)
    assert client.post(url("objection_answer", raised.pk), {"answer": "已核实"}).status_code == 403
    client.force_login(sam)
    assert client.post(url("objection_answer", 999999), {"answer": "已核实"}).status_code == 404
    response = client.post(url("objection_answer", raised.pk), {"answer": "已核实", "back": "election"})
    assert response["Location"] == url("election", election.pk) and flashed(client, response) == ["success"]
    assert not Objection.objects.get(pk=raised.pk).is_open
    again = client.post(url("objection_answer", raised.pk), {"answer": "已核实"})
    assert again["Location"] == url("candidate", raised.candidacy_id) and flashed(client, again) == ["error"]
