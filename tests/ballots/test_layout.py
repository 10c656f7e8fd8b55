"""The engine left elections/ for ballots/ without moving a row: the tables kept their names, the
append-only triggers still guard them, the content types followed the models, the migrations run both ways
as no-ops on the data, and the old addresses redirect permanently.

scripts/check_layout_migration.py proves the same on a database built by the old code (demo data, counted
polls, an election in progress), which a test cannot check out.
"""

import secrets

import pytest
from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from ballots.models import Ballot, HasVoted, Poll, PollResult

from .conftest import make_poll, option_ids, passphrases_of

ENGINE_TABLES = {
    "elections_poll",
    "elections_polloption",
    "elections_scrutineer",
    "elections_rollentry",
    "elections_hasvoted",
    "elections_ballot",
    "elections_countedballot",
    "elections_namedvote",
    "elections_papercount",
    "elections_signature",
    "elections_pollresult",
}
GUARDED = {  # table → its append-only triggers (elections/migrations/0002)
    "elections_ballot": {"elections_ballot_append_only", "elections_ballot_while_open"},
    "elections_hasvoted": {"elections_hasvoted_append_only", "elections_hasvoted_while_open"},
    "elections_countedballot": {"elections_countedballot_append_only"},
    "elections_namedvote": {"elections_namedvote_append_only"},
    "elections_pollresult": {"elections_pollresult_append_only"},
    "elections_rollentry": {"elections_rollentry_append_only"},
    "elections_signature": {"elections_signature_append_only"},
    "elections_poll": {"elections_poll_guard"},
    "elections_polloption": {"elections_option_guard"},
}
BEFORE_THE_MOVE = [("elections", "0003_election_procedure"), ("motions", "0002_motions_evaluations")]


def triggers() -> dict[str, set[str]]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE NOT tgisinternal")
        found: dict[str, set[str]] = {}
        for table, name in cursor.fetchall():
            found.setdefault(table, set()).add(name)
    return found


@pytest.mark.django_db
def test_the_engine_models_belong_to_ballots_and_keep_their_tables():
    models = {m._meta.db_table: m for m in apps.get_app_config("ballots").get_models()}
    assert set(models) == ENGINE_TABLES | {"ballots_ballotinbox"}  # the inbox came after the move
    assert all(ContentType.objects.get_for_model(m).app_label == "ballots" for m in models.values())
    assert not [m for m in apps.get_app_config("elections").get_models() if m._meta.db_table in ENGINE_TABLES]


@pytest.mark.django_db
def test_every_append_only_trigger_still_guards_its_table():
    found = triggers()
    for table, names in GUARDED.items():
        assert names <= found.get(table, set()), table


@pytest.mark.schema_owner  # it migrates: as the tables' owner
@pytest.mark.django_db(transaction=True)
def test_the_move_runs_back_and_forth_without_touching_a_row(meeting, sam, members):
    poll = make_poll(meeting, sam, options=[members["m1"]], scrutineers=[members["m4"], members["m5"]])
    from ballots import services

    for name in ("alice", "m2", "m3"):
        services.cast_ballot(
            user=members[name].user,
            poll=poll,
            marks={option_ids(poll)[0]: "for"},
            write_ins=[],
            idempotency_key=secrets.token_urlsafe(24),
        )
    services.close_poll(actor=sam, poll=poll)
    services.count_poll(actor=sam, poll=Poll.objects.get(pk=poll.pk), passphrases=passphrases_of(poll))
    ct = ContentType.objects.get_for_model(Poll)
    counts = (Ballot.objects.count(), HasVoted.objects.count(), PollResult.objects.count())

    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    try:
        executor.migrate([*BEFORE_THE_MOVE, ("ballots", None)])
        ct.refresh_from_db()
        assert ct.app_label == "elections"  # the content type went back with the models
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM elections_ballot")
            assert cursor.fetchone()[0] == counts[0]
    finally:
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate(latest)
    ct.refresh_from_db()
    assert ct.app_label == "ballots"
    assert (
        (Ballot.objects.count(), HasVoted.objects.count(), PollResult.objects.count()) == counts == (3, 3, 1)
    )
    assert all(names <= triggers().get(table, set()) for table, names in GUARDED.items())


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/elections/polls/7/vote/", "/ballots/polls/7/vote/"),
        ("/elections/polls/7/results/?q=abc", "/ballots/polls/7/results/?q=abc"),
        ("/elections/meetings/3/new/", "/ballots/meetings/3/new/"),
        ("/elections/options/9/remove/", "/ballots/options/9/remove/"),
        ("/elections/scrutineers/9/remove/", "/ballots/scrutineers/9/remove/"),
        ("/elections/elections/4/", "/elections/4/"),
        ("/elections/elections/4/step/open_nomination/", "/elections/4/step/open_nomination/"),
        ("/elections/branches/5/elections/new/", "/elections/branches/5/new/"),
    ],
)
def test_old_addresses_redirect_permanently(client, old, new):
    response = client.get(old)
    assert response.status_code == 301 and response["Location"] == new
    posted = client.post(old, {"x": "1"})
    assert posted.status_code == 308 and posted["Location"] == new  # a posted form is re-posted, not lost


def test_the_new_addresses_are_not_shadowed_by_the_redirects(client):
    assert client.get("/elections/invite/abc/").status_code != 301
    assert client.get("/ballots/").status_code == 302  # to the login
